// The spec grammar (docs/language.md, "Grammar (EBNF)") in Boost.Spirit X3.
//
// Every rule builds its AST node through semantic actions on `_val`: `set(&T::m)` stores
// the parsed value in member m, `push(&T::m)` appends it, `kind(K)` sets the node kind,
// `here[set(&T::loc)]` records where the node starts. Expressions are built as Node
// (the AST Expr plus its tree depth, so that depth can be limited in O(1)).
//
// After a keyword that decides the construct, `>` expects the rest: a mismatch throws
// x3::expectation_failure naming the rule ("expected a state name"), which parse_spec
// (parser.cpp) turns into a diagnostic. Include only from parser.cpp.
#pragma once

#include <utility>

#include "compiler/parse/tokens.hpp"

// Alternatives of expectation sequences (`kw("a") > x | kw("b") > y`) read as intended:
// `>` binds tighter than `|`.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wparentheses"

namespace sp::parse::grammar {

using namespace sp::ast;  // NOLINT: AST types read better unqualified in the grammar.
using x3::_attr;
using x3::_val;
namespace fusion = boost::fusion;

// ===================================================================================
// Tokens
// ===================================================================================
inline token_parser kw(std::string_view word) { return token_parser(word); }
inline token_parser tok(std::string_view punct) { return token_parser(punct); }

// p { "," p }: after a comma another p is expected.
template <typename P>
auto comma_list(P const& p) {
  return p >> *(tok(",") > p);
}

auto const here = here_parser{};
auto const number = number_parser{};
auto const integer = integer_parser{};
auto const string_lit = string_parser{};

auto const state_name = name_parser("a state name");
auto const group_name = name_parser("a group name");
auto const type_name = name_parser("a type name");
auto const field_name = name_parser("a field name", /*keywords_too=*/true);
auto const message_name = name_parser("a message name");
auto const role_name = name_parser("a role name");
auto const port_name = name_parser("a port name");
// A call's name follows `calls` or `,` in a declaration, `call` in an event, or `.` in an
// environment's call, where no keyword can be: any word, so `send` (RFC 9293's SEND) is one.
auto const call_name = name_parser("a call name", /*keywords_too=*/true);
auto const timer_name = name_parser("a timer name");
auto const var_name = name_parser("a variable name", false, /*contextual=*/true);
auto const const_name = name_parser("a constant name");
auto const instance_name = name_parser("an instance name");
auto const system_name = name_parser("a system name");
auto const property_name = name_parser("a property name");
// A transition's name is followed by ':' (or follows `fair` / `.`), where no keyword can
// be: any word, `send: from ...` (a role item keyword such as `timer` is taken as one).
auto const transition_name = name_parser("a transition name", /*keywords_too=*/true);
auto const name_ref = name_parser("a name", false, /*contextual=*/true);
auto const param_name = name_parser("a parameter name", false, /*contextual=*/true);
// Channel options: a loss or duplication budget is a primary, but not one of these.
auto const channel_option_word =
    word_parser("a channel option", "capacity", "lossy", "dup", "fifo", "bag", "broadcast", "blocking",
                "consecutive", "redeliver");

auto const kw_same = word_parser("'same'", "same");
auto const kw_bool_value = word_parser("'true' or 'false'", "true", "false");
auto const kw_quantifier = word_parser("'forall' or 'exists'", "forall", "exists");
auto const kw_once = word_parser("'once'", "once");
auto const kw_redeliver = word_parser("'redeliver'", "redeliver");
auto const star = word_parser("'*'", "*");
auto const quant_domain_type = word_parser("a type name", "bool", "mac", "ip4");
// Channel conditions (Promela's len/empty/full/nfull); not reserved: `len` is only one
// when a `(` follows, so `s.len` and a variable `len` stay names.
auto const channel_fn_word = word_parser("'len', 'empty', 'full' or 'nfull'", "len", "empty", "full", "nfull");
auto const selector_keyword =
    word_parser("a fairness selector", "timeout", "recv", "call", "internal", "channel");

auto const op_implies = op_parser("'->'", "->");
auto const op_or = op_parser("'||'", "||");
auto const op_and = op_parser("'&&'", "&&");
auto const op_until = op_parser("'until'", "until");
auto const op_temporal =
    op_parser("a temporal operator", "always", "never", "eventually", "next", "!");
auto const op_compare =
    op_parser("a comparison", "==", "!=", "<=", "<", ">=", ">", "in");
auto const op_add = op_parser("'+' or '-'", "+", "-");
auto const op_mul = op_parser("'*', '/' or '%'", "*", "/", "%");
auto const op_negate = op_parser("'-' or '!'", "-", "!");

// ===================================================================================
// Semantic actions
// ===================================================================================
inline Expr to_ast(Node&& n) { return std::move(n.e); }
template <typename T>
T&& to_ast(T&& v) {
  return std::forward<T>(v);
}

// _val.*m = the parsed value.
template <typename T, typename M>
auto set(M T::*m) {
  return [m](auto& ctx) { _val(ctx).*m = to_ast(std::move(_attr(ctx))); };
}
// _val.*m.push_back(the parsed value).
template <typename T, typename M>
auto push(M T::*m) {
  return [m](auto& ctx) { (_val(ctx).*m).push_back(to_ast(std::move(_attr(ctx)))); };
}
// _val.*m = v (a constant).
template <typename T, typename M, typename V>
auto assign(M T::*m, V v) {
  return [m, v](auto&& ctx) { _val(ctx).*m = v; };
}
template <typename K>
auto kind(K k) {
  return [k](auto& ctx) { _val(ctx).kind = k; };
}
auto const set_val = [](auto& ctx) { _val(ctx) = std::move(_attr(ctx)); };
auto const push_val = [](auto& ctx) { _val(ctx).push_back(std::move(_attr(ctx))); };

// Expression nodes. Depth beyond kMaxNesting is an error at the operator.
inline void check_depth(ParseState& st, int depth, const Loc& where) {
  if (depth > kMaxNesting) throw LexError{st.base + where.offset, "nesting too deep"};
}

inline Node make_unary(ParseState& st, OpTok&& op, Node&& operand) {
  Node n;
  n.depth = operand.depth + 1;
  check_depth(st, n.depth, op.loc);
  n.e.kind = ExprKind::kUnary;
  n.e.op = std::move(op.op);
  n.e.loc = op.loc;
  n.e.op_loc = op.loc;
  n.e.args.push_back(std::move(operand.e));
  return n;
}

inline Node make_binary(ParseState& st, Node&& lhs, Loc op_loc, ExprKind k, std::string op,
                        Node&& rhs) {
  Node n;
  n.depth = std::max(lhs.depth, rhs.depth) + 1;
  check_depth(st, n.depth, op_loc);
  n.e.kind = k;
  n.e.op = std::move(op);
  n.e.loc = lhs.e.loc;
  n.e.op_loc = op_loc;
  n.e.args.reserve(2);
  n.e.args.push_back(std::move(lhs.e));
  n.e.args.push_back(std::move(rhs.e));
  return n;
}

// (op > operand): _val = _val op operand.
auto const fold_binary = [](auto& ctx) {
  auto& a = _attr(ctx);
  OpTok& op = fusion::at_c<0>(a);
  _val(ctx) = make_binary(state_of(ctx), std::move(_val(ctx)), op.loc, ExprKind::kBinary,
                          std::move(op.op), std::move(fusion::at_c<1>(a)));
};
// (op > operand): _val = op operand.
auto const fold_unary = [](auto& ctx) {
  auto& a = _attr(ctx);
  _val(ctx) = make_unary(state_of(ctx), std::move(fusion::at_c<0>(a)),
                         std::move(fusion::at_c<1>(a)));
};
// ('.' > name): _val = _val.name
auto const fold_field = [](auto& ctx) {
  Ident& field = _attr(ctx);
  Node& val = _val(ctx);
  ++val.depth;
  check_depth(state_of(ctx), val.depth, field.loc);
  Expr e;
  e.kind = ExprKind::kField;
  e.name = std::move(field.name);
  e.loc = val.e.loc;
  e.op_loc = field.loc;
  e.args.push_back(std::move(val.e));
  val.e = std::move(e);
};
// (here '[' > expr > ']'): _val = _val[expr]
auto const fold_index = [](auto& ctx) {
  auto& a = _attr(ctx);
  _val(ctx) = make_binary(state_of(ctx), std::move(_val(ctx)), fusion::at_c<0>(a),
                          ExprKind::kIndex, "", std::move(fusion::at_c<1>(a)));
};
auto const make_name = [](auto& ctx) {
  Ident& id = _attr(ctx);
  Node n;
  n.e.kind = ExprKind::kName;
  n.e.name = std::move(id.name);
  n.e.loc = id.loc;
  _val(ctx) = std::move(n);
};
auto const make_bool = [](auto& ctx) {
  Ident& id = _attr(ctx);
  Node n;
  n.e.kind = ExprKind::kBool;
  n.e.int_value = id.name == "true" ? 1 : 0;
  n.e.loc = id.loc;
  _val(ctx) = std::move(n);
};
// Set literal elements and quantifier bodies: children one level down.
auto const push_arg = [](auto& ctx) {
  Node& val = _val(ctx);
  Node& arg = _attr(ctx);
  val.depth = std::max(val.depth, arg.depth + 1);
  check_depth(state_of(ctx), val.depth, val.e.loc);
  val.e.args.push_back(std::move(arg.e));
};
auto const start_set = [](auto& ctx) {
  _val(ctx).e.kind = ExprKind::kSet;
  _val(ctx).e.loc = _attr(ctx);
};
auto const start_list = [](auto& ctx) {
  _val(ctx).e.kind = ExprKind::kList;
  _val(ctx).e.loc = _attr(ctx);
};
// name "(": a call of a `def` or a built-in; the arguments follow (push_arg).
auto const start_call = [](auto& ctx) {
  Ident& id = _attr(ctx);
  Node& val = _val(ctx);
  val.e.kind = ExprKind::kCall;
  val.e.name = std::move(id.name);
  val.e.loc = id.loc;
};
// A `def` parameter or result typed `int` without a range: any integer.
auto const bare_int = [](auto& ctx) {
  _val(ctx).kind = TypeKind::kInt;
  _val(ctx).loc = _attr(ctx);
};
auto const start_quantifier = [](auto& ctx) {
  Ident& q = _attr(ctx);
  _val(ctx).e.kind = q.name == "forall" ? ExprKind::kForall : ExprKind::kExists;
  _val(ctx).e.loc = q.loc;
  _val(ctx).e.op_loc = q.loc;
};
auto const start_channel_fn = [](auto& ctx) {
  _val(ctx).e.kind = ExprKind::kChannelFn;
  _val(ctx).e.op = std::move(_attr(ctx).name);
  _val(ctx).e.loc = _attr(ctx).loc;
  _val(ctx).e.op_loc = _attr(ctx).loc;
};
auto const set_bound_var = [](auto& ctx) { _val(ctx).e.name = std::move(_attr(ctx).name); };
// `let NAME =`: the start of an expression-form let.
auto const start_let = [](auto& ctx) {
  Node& val = _val(ctx);
  val.e.kind = ExprKind::kLet;
  val.e.loc = fusion::at_c<0>(_attr(ctx));
  val.e.name = std::move(fusion::at_c<1>(_attr(ctx)).name);
  val.e.op_loc = fusion::at_c<1>(_attr(ctx)).loc;
};
auto const set_domain = [](auto& ctx) { _val(ctx).e.type_name = std::move(_attr(ctx).name); };

// Declarations.
auto const set_cite = [](auto& ctx) {
  _val(ctx).cite = std::move(_attr(ctx).text);
  _val(ctx).cite_loc = _attr(ctx).loc;
};
auto const set_description = [](auto& ctx) {
  _val(ctx).description = std::move(_attr(ctx).text);
};
auto const set_same = [](auto& ctx) {
  _val(ctx).target_same = true;
  _val(ctx).target = std::move(_attr(ctx));
};
auto const set_label = [](auto& ctx) { _val(ctx).name = std::move(_attr(ctx)); };
auto const start_assign = [](auto& ctx) {
  _val(ctx).kind = StmtKind::kAssign;
  _val(ctx).exprs.push_back(std::move(_attr(ctx).e));
};
auto const push_else_if = [](auto& ctx) { _val(ctx).else_body.push_back(std::move(_attr(ctx))); };
auto const set_channel_from_port = [](auto& ctx) { _val(ctx).from.port = std::move(_attr(ctx)); };
auto const set_channel_first = [](auto& ctx) {
  _val(ctx).from.instance = std::move(_attr(ctx));
};
auto const make_broadcast = [](auto& ctx) {
  Channel& c = _val(ctx);
  c.broadcast = true;
  c.port = std::move(c.from.instance);
  c.from.instance = Ident{};
};
auto const set_redeliver = [](auto& ctx) {
  _val(ctx).redeliver = true;
  _val(ctx).redeliver_loc = _attr(ctx).loc;
};
auto const set_once = [](auto& ctx) {
  Expr one;
  one.kind = ExprKind::kInt;
  one.int_value = 1;
  one.loc = _attr(ctx).loc;
  _val(ctx).bound = std::move(one);
};

// ===================================================================================
// Rules
// ===================================================================================
// Expressions, loosest first.
x3::rule<struct expr_id, Node> const expr = "expression";
x3::rule<struct guard_id, Node> const guard = "expression";
x3::rule<struct implies_id, Node> const implies = "expression";
x3::rule<struct or_id, Node> const or_expr = "expression";
x3::rule<struct and_id, Node> const and_expr = "expression";
x3::rule<struct until_id, Node> const until_expr = "expression";
x3::rule<struct temporal_id, Node> const temporal = "expression";
x3::rule<struct compare_id, Node> const compare = "expression";
x3::rule<struct additive_id, Node> const additive = "expression";
x3::rule<struct term_id, Node> const term = "expression";
x3::rule<struct unary_id, Node> const unary = "expression";
x3::rule<struct postfix_id, Node> const postfix = "expression";
x3::rule<struct primary_id, Node> const primary = "expression";
x3::rule<struct set_literal_id, Node> const set_literal = "'{'";
x3::rule<struct list_literal_id, Node> const list_literal = "'['";
x3::rule<struct let_expr_id, Node> const let_expr = "'let'";
x3::rule<struct quantifier_id, Node> const quantifier = "'forall' or 'exists'";
x3::rule<struct call_expr_id, Node> const call_expr = "a call";
x3::rule<struct channel_fn_id, Node> const channel_fn = "'len', 'empty', 'full' or 'nfull'";

// Types.
x3::rule<struct type_id, TypeExpr> const type = "a type";
x3::rule<struct enum_item_id, EnumItem> const enum_item = "an enum item";

// Declarations.
x3::rule<struct spec_id, Spec> const spec = "a declaration";
x3::rule<struct protocol_id, Protocol> const protocol = "'protocol'";
x3::rule<struct const_id, Const> const const_decl = "'const'";
x3::rule<struct type_decl_id, TypeDecl> const type_decl = "'type'";
x3::rule<struct message_id, Message> const message = "'message'";
x3::rule<struct field_id, Field> const field = "a field name";
x3::rule<struct def_decl_id, FuncDecl> const def_decl = "'def'";
x3::rule<struct def_param_id, Param> const def_param = "a parameter name";
x3::rule<struct def_type_id, TypeExpr> const def_type = "a type";

// Roles.
x3::rule<struct role_id, Role> const role = "'role'";
x3::rule<struct port_id, Port> const port = "a port name";
x3::rule<struct call_decl_id, CallDecl> const call_decl = "a call name";
x3::rule<struct param_id, Param> const param = "a parameter name";
x3::rule<struct group_id, Group> const group = "a group name";
x3::rule<struct var_decl_id, VarDecl> const var_decl = "a variable name";
x3::rule<struct timer_id, TimerDecl> const timer = "a timer name";
x3::rule<struct transition_id, Transition> const transition = "a transition";
x3::rule<struct state_sel_id, StateSel> const state_sel = "a state name, '{' or 'any'";
x3::rule<struct event_id, Event> const event =
    "an event (recv, call, timeout or internal)";
x3::rule<struct block_id, std::vector<Stmt>> const block = "'{'";
x3::rule<struct stmt_id, Stmt> const stmt = "a statement";
x3::rule<struct if_stmt_id, Stmt> const if_stmt = "'if'";
x3::rule<struct field_init_id, FieldInit> const field_init = "a field name";

// Systems and properties.
x3::rule<struct system_id, System> const system_decl = "'system'";
x3::rule<struct instance_id, Instance> const instance = "'instance'";
x3::rule<struct channel_id, Channel> const channel = "'channel'";
x3::rule<struct port_ref_id, PortRef> const port_ref = "an instance name";
x3::rule<struct environment_id, Environment> const environment = "'environment'";
x3::rule<struct call_pattern_id, CallPattern> const call_pattern = "a call (instance.call)";
x3::rule<struct call_ref_id, CallRef> const call_ref = "a call (instance.call)";
x3::rule<struct property_id, Property> const property = "'property'";
x3::rule<struct fairness_id, Fairness> const fairness = "'weak' or 'strong'";

// Closing braces, named after what else could have been there.
x3::rule<struct role_end_id> const role_end = "a role item or '}'";
x3::rule<struct system_end_id> const system_end = "'instance', 'channel', 'environment' or '}'";
x3::rule<struct block_end_id> const block_end = "a statement or '}'";
x3::rule<struct fields_end_id> const fields_end = "a field or '}'";
x3::rule<struct script_end_id> const script_end = "a call or '}'";

// ===================================================================================
// Grammar
// ===================================================================================

// ---- Expressions -----------------------------------------------------------------
// expr = implies; a transition guard stops before `->` (it is the transition's arrow).
auto const expr_def = nest[implies];
auto const guard_def = nest[or_expr];
// implies = or [ "->" implies ]  (right-associative)
auto const implies_def = or_expr[set_val] >> -(op_implies > nest[implies])[fold_binary];
auto const or_expr_def = and_expr[set_val] >> *(op_or > and_expr)[fold_binary];
auto const and_expr_def = until_expr[set_val] >> *(op_and > until_expr)[fold_binary];
auto const until_expr_def = temporal[set_val] >> -(op_until > temporal)[fold_binary];
auto const temporal_def = (op_temporal > nest[temporal])[fold_unary] | compare[set_val];
auto const compare_def = additive[set_val] >> -(op_compare > additive)[fold_binary];
auto const additive_def = term[set_val] >> *(op_add > term)[fold_binary];
auto const term_def = unary[set_val] >> *(op_mul > unary)[fold_binary];
auto const unary_def = (op_negate > nest[unary])[fold_unary] | postfix[set_val];
auto const postfix_def = primary[set_val] >>
    *( (tok(".") > field_name)[fold_field]
     | (here >> tok("[") > expr > tok("]"))[fold_index] );
auto const primary_def =
      number[set_val]
    | kw_bool_value[make_bool]
    | (tok("(") > expr > tok(")"))[set_val]
    | set_literal[set_val]
    | list_literal[set_val]
    | let_expr[set_val]  // before name_ref: `let` is not reserved
    | quantifier[set_val]
    | channel_fn[set_val]  // before call_expr: len(p) is a channel condition, not a def
    | call_expr[set_val]
    | name_ref[make_name];
// NAME "(" [ expr { "," expr } ] ")": a `def` or a built-in (min, max)
auto const call_expr_def =
    (name_ref >> tok("("))[start_call] > -comma_list(expr[push_arg]) > tok(")");
// "{" [ expr { "," expr } ] "}"
auto const set_literal_def =
    (here >> tok("{"))[start_set] > -comma_list(expr[push_arg]) > tok("}");
// "[" [ expr { "," expr } ] "]"
auto const list_literal_def =
    (here >> tok("["))[start_list] > -comma_list(expr[push_arg]) > tok("]");
// "let" IDENT "=" additive "in" expr: the value is an additive expression, because `in`
// after a comparison would be membership; the body extends as far right as possible.
// `let` stays a name (`let == 1`, `let in s`): only `let NAME =` starts one.
auto const let_expr_def = (here >> kw("let") >> var_name >> tok("="))[start_let] > additive[push_arg] > kw("in")
    > expr[push_arg];
// ("forall" | "exists") IDENT ":" (IDENT | "bool" | "mac" | "ip4") "." expr
auto const quantifier_def =
    kw_quantifier[start_quantifier] > var_name[set_bound_var] > tok(":")
    > (type_name[set_domain] | quant_domain_type[set_domain]) > tok(".") > expr[push_arg];

// ("len" | "empty" | "full" | "nfull") "(" postfix ")": a port, or instance.port
auto const channel_fn_def =
    (channel_fn_word >> &tok("("))[start_channel_fn] > tok("(") > postfix[push_arg] > tok(")");

// ---- Types -----------------------------------------------------------------------
auto const type_def = nest[here[set(&TypeExpr::loc)] >> (
      kw("bool")[kind(TypeKind::kBool)]
    | kw("int")[kind(TypeKind::kInt)] > tok("[") > expr[push(&TypeExpr::bounds)]
        > tok("..") > expr[push(&TypeExpr::bounds)] > tok("]")
    | kw("enum")[kind(TypeKind::kEnum)] > tok("{")
        > comma_list(enum_item[push(&TypeExpr::items)]) > tok("}")
    | kw("set")[kind(TypeKind::kSet)] > tok("<") > type[push(&TypeExpr::args)] > tok(">")
    // `seq<BITS>` or `seq mod M` (`mod` is not reserved; M a primary, so --const reaches it)
    | kw("seq")[kind(TypeKind::kSeq)] > named("'<' or 'mod'")[
          tok("<") > integer[set(&TypeExpr::bits)] > tok(">")
        | kw("mod") > primary[push(&TypeExpr::bounds)]]
    | kw("mac")[kind(TypeKind::kMac)]
    | kw("ip4")[kind(TypeKind::kIp4)]
    | kw("duration")[kind(TypeKind::kDuration)]
    | kw("map")[kind(TypeKind::kMap)] > tok("<") > type[push(&TypeExpr::args)] > tok(",")
        > type[push(&TypeExpr::args)] > tok(">") > kw("capacity")
        > expr[push(&TypeExpr::bounds)]
    // `list` is not reserved: only a type when `<` follows. The capacity is an additive
    // expression, so that the `>` closes the type.
    | (kw("list") >> tok("<"))[kind(TypeKind::kList)] > type[push(&TypeExpr::args)] > tok(",")
        > additive[push(&TypeExpr::bounds)] > tok(">")
    | type_name[kind(TypeKind::kNamed)][set(&TypeExpr::name)])];
auto const enum_item_def =
    name_parser("an enum item")[set(&EnumItem::name)] >> -(tok("=") > expr[set(&EnumItem::code)]);

// ---- Top-level declarations ------------------------------------------------------
auto const spec_def = *(
      protocol[push(&Spec::protocols)]
    | const_decl[push(&Spec::consts)]
    | type_decl[push(&Spec::types)]
    | message[push(&Spec::messages)]
    | role[push(&Spec::roles)]
    | system_decl[push(&Spec::systems)]
    | property[push(&Spec::properties)]
    | def_decl[push(&Spec::funcs)]);

auto const protocol_def = kw("protocol") > name_parser("a protocol name")[set(&Protocol::name)]
    >> -string_lit[set_description];
auto const const_decl_def = kw("const") > const_name[set(&Const::name)]
    > -(tok(":") > type[set(&Const::type)]) > tok("=") > expr[set(&Const::value)];
auto const type_decl_def =
    kw("type") > type_name[set(&TypeDecl::name)] > tok("=") > type[set(&TypeDecl::type)];
auto const message_def = kw("message") > message_name[set(&Message::name)]
    > -(kw("wire") > name_parser("a wire format")[set(&Message::wire)]) > tok("{")
    > *(field[push(&Message::fields)] >> -tok(",")) > fields_end;
auto const field_def = field_name[set(&Field::name)] > tok(":") > type[set(&Field::type)];
// "def" IDENT [ "(" [ param { "," param } ] ")" ] [ ":" type ] "=" expr. `def` is not
// reserved: `def: from ...` is a transition named def.
auto const def_decl_def = here[set(&FuncDecl::loc)] >> kw("def") >> !tok(":")
    > name_parser("a function name")[set(&FuncDecl::name)]
    > -(tok("(") > -comma_list(def_param[push(&FuncDecl::params)]) > tok(")"))
    > -(tok(":") > def_type[set(&FuncDecl::result)]) > tok("=") > expr[set(&FuncDecl::body)];
auto const def_param_def = param_name[set(&Param::name)] > tok(":")
    > def_type[set(&Param::type)];
auto const def_type_def = (here >> kw("int") >> !tok("["))[bare_int] | type[set_val];

// ---- Roles -----------------------------------------------------------------------
auto const role_def = kw("role") > role_name[set(&Role::name)] > tok("{") > *(
      kw("port") > port[push(&Role::ports)]
    | kw("calls") > comma_list(call_decl[push(&Role::calls)])
    | kw("states") > comma_list(state_name[push(&Role::states)])
    | kw("group") > group[push(&Role::groups)]
    | kw("initial") > state_name[push(&Role::initial)]
    // `preamble` and `via` are not reserved: a transition may be named `preamble`.
    | kw("preamble") >> kw("via") > comma_list(state_name[push(&Role::preamble_via)])
    | kw("var") > comma_list(var_decl[push(&Role::vars)])
    | kw("timer") > timer[push(&Role::timers)]
    | def_decl[push(&Role::funcs)]
    | transition[push(&Role::transitions)]) > role_end;

auto const port_def = port_name[set(&Port::name)] > tok(":") > message_name[set(&Port::message)];
auto const call_decl_def = call_name[set(&CallDecl::name)]
    >> -(tok("(") > comma_list(param[push(&CallDecl::params)]) > tok(")"));
auto const param_def = param_name[set(&Param::name)] > tok(":")
    > type[set(&Param::type)];
auto const group_def = group_name[set(&Group::name)] > tok("=") > tok("{")
    > comma_list(state_name[push(&Group::states)]) > tok("}");
// var a, b: T [= e] { "," c: U [= e] }
auto const var_decl_def = comma_list(var_name[push(&VarDecl::names)]) > tok(":")
    > type[set(&VarDecl::type)] > -(tok("=") > expr[set(&VarDecl::init)]);
auto const timer_def = timer_name[set(&TimerDecl::name)] > tok("=")
    > expr[set(&TimerDecl::duration)]
    > -(kw("backoff") >> !tok(":") > expr[set(&TimerDecl::backoff)])
    > -(kw("retries") >> !tok(":") > expr[set(&TimerDecl::retries)]);

// [ IDENT ":" ] "from" statesel "on" event [ "if" guard ] "->" target [ "cite" STRING ] [ block ]
auto const transition_def = here[set(&Transition::loc)]
    >> ((transition_name >> tok(":"))[set_label] > kw("from") | kw("from"))
    > state_sel[set(&Transition::from)] > kw("on") > event[set(&Transition::event)]
    > -(kw("if") > guard[set(&Transition::guard)]) > tok("->")
    > (state_name[set(&Transition::target)] | kw_same[set_same])
    > -(kw("cite") > string_lit[set_cite]) > -block[set(&Transition::actions)];

auto const state_list = state_name[push(&StateSel::states)]
    | tok("{") > comma_list(state_name[push(&StateSel::states)]) > tok("}");
auto const state_sel_def = here[set(&StateSel::loc)] >> (
      kw("any")[kind(StateSelKind::kAny)]
        >> -(kw("except")[kind(StateSelKind::kAnyExcept)] > state_list)
    | tok("{")[kind(StateSelKind::kSet)] > comma_list(state_name[push(&StateSel::states)])
        > tok("}")
    | state_name[kind(StateSelKind::kNamed)][push(&StateSel::states)]);

auto const event_def = here[set(&Event::loc)] >> (
      kw("recv")[kind(EventKind::kRecv)] > port_name[set(&Event::name)] > tok("(")
        > var_name[push(&Event::binders)] > tok(")")
    | kw("call")[kind(EventKind::kCall)] > call_name[set(&Event::name)]
        >> -(tok("(") > comma_list(var_name[push(&Event::binders)]) > tok(")"))
    | kw("timeout")[kind(EventKind::kTimeout)] > timer_name[set(&Event::name)]
    | kw("internal")[kind(EventKind::kInternal)]);

// ---- Statements ------------------------------------------------------------------
auto const block_def = nest[tok("{") > *stmt[push_val] > block_end];
auto const stmt_def = here[set(&Stmt::loc)] >> (
      kw("send")[kind(StmtKind::kSend)] > port_name[set(&Stmt::name)] > tok("{")
        > -comma_list(field_init[push(&Stmt::fields)]) > fields_end
    | kw("start")[kind(StmtKind::kStart)] > timer_name[set(&Stmt::name)]
    | kw("stop")[kind(StmtKind::kStop)] > timer_name[set(&Stmt::name)]
    | kw("assert")[kind(StmtKind::kAssert)] > expr[push(&Stmt::exprs)]
    | kw("remove")[kind(StmtKind::kRemove)] > postfix[push(&Stmt::exprs)]
    | if_stmt[set_val]
    // `let` is not reserved: `let = e` and `let[k] = e` assign a variable named let.
    | kw("let")[kind(StmtKind::kLet)] >> !(tok("=") | tok("[")) > var_name[set(&Stmt::name)]
        > tok("=") > expr[push(&Stmt::exprs)]
    // `choose x in lo..hi { ... }`; `choose` is not reserved either.
    | kw("choose")[kind(StmtKind::kChoose)] >> !(tok("=") | tok("[")) > var_name[set(&Stmt::name)]
        > kw("in") > expr[push(&Stmt::exprs)] > tok("..") > expr[push(&Stmt::exprs)]
        > block[set(&Stmt::then_body)]
    | postfix[start_assign] > tok("=") > expr[push(&Stmt::exprs)]);
// "if" expr block [ "else" ( block | ifstmt ) ]
auto const if_stmt_def = here[set(&Stmt::loc)] >> kw("if")[kind(StmtKind::kIf)]
    > expr[push(&Stmt::exprs)] > block[set(&Stmt::then_body)]
    > -(kw("else") > (block[set(&Stmt::else_body)] | nest[if_stmt][push_else_if]));
auto const field_init_def =
    field_name[set(&FieldInit::name)] > tok("=") > expr[set(&FieldInit::value)];

// ---- Systems ---------------------------------------------------------------------
auto const system_decl_def = kw("system") > system_name[set(&System::name)] > tok("{") > *(
      instance[push(&System::instances)]
    | channel[push(&System::channels)]
    | environment[push(&System::environments)]) > system_end;

auto const instance_def = kw("instance") > comma_list(instance_name[push(&Instance::names)])
    > tok(":") > role_name[set(&Instance::role)]
    >> -(tok("{") > -comma_list(field_init[push(&Instance::inits)]) > fields_end);

// "channel" a.p "->" b.q { chanopt }  |  "channel" p "broadcast" { chanopt }
auto const channel_def = here[set(&Channel::loc)] >> kw("channel")
    > name_parser("an instance or port name")[set_channel_first]
    > ( tok(".") > port_name[set_channel_from_port] > tok("->") > port_ref[set(&Channel::to)]
      | kw("broadcast")[make_broadcast])
    > *( kw("capacity") > expr[set(&Channel::capacity)]
       // A budget is a primary (a literal, a constant or a parenthesised expression) so
       // that `--const MAX_LOSS=2` reaches it; a following option keyword is not a primary.
       | kw("lossy")[assign(&Channel::lossy, true)]
           >> -(!channel_option_word >> primary[set(&Channel::loss_budget)])
           // `consecutive` is not reserved: only here, after `lossy [K]`.
           >> -(kw("consecutive") > primary[set(&Channel::loss_run)])
       | kw("dup")[assign(&Channel::dup, true)]
           >> -(!channel_option_word >> primary[set(&Channel::dup_budget)])
       // `redeliver` is not reserved: only a channel option here (with `dup`: sema).
       | kw_redeliver[set_redeliver]
       // `blocking` is not reserved: only an option here.
       | kw("blocking")[assign(&Channel::blocking, true)]
       | kw("fifo")[assign(&Channel::bag, false)]
       | kw("bag")[assign(&Channel::bag, true)]);
auto const port_ref_def =
    instance_name[set(&PortRef::instance)] > tok(".") > port_name[set(&PortRef::port)];

auto const environment_def = here[set(&Environment::loc)] >> kw("environment") > (
      kw("calls") > comma_list(call_pattern[push(&Environment::calls)])
    | kw("script")[assign(&Environment::script, true)] > tok("{")
        > *(call_ref[push(&Environment::steps)] >> -tok(";")) > script_end);
// ( callref | "{" callref { "," callref } "}" ) [ "once" | "at" "most" expr ]
auto const call_pattern_def = here[set(&CallPattern::loc)] >> (
      call_ref[push(&CallPattern::alternatives)]
    | tok("{") > comma_list(call_ref[push(&CallPattern::alternatives)]) > tok("}"))
    >> -( kw_once[set_once]
        | kw("at") > kw("most") > expr[set(&CallPattern::bound)]);
auto const call_ref_def = here[set(&CallRef::loc)] >> instance_name[set(&CallRef::instance)]
    > tok(".") > (call_name[set(&CallRef::call)] | star[set(&CallRef::call)])
    >> -(tok("(") > comma_list(expr[push(&CallRef::args)]) > tok(")"));

// ---- Properties ------------------------------------------------------------------
auto const property_def = here[set(&Property::loc)]
    >> (kw("property") | kw("lemma")[assign(&Property::lemma, true)])
    > property_name[set(&Property::name)] > kw("in") > system_name[set(&Property::system)]
    > tok(":") > (
      kw("deadlock")[assign(&Property::deadlock, true)] > kw("free")
        >> -(kw("except") > expr[set(&Property::except)])
    | expr[set(&Property::formula)]
        >> -(kw("under") > comma_list(fairness[push(&Property::fairness)])));
auto const fairness_def = here[set(&Fairness::loc)]
    >> (kw("weak") | kw("strong")[assign(&Fairness::strong, true)]) > kw("fair")
    > named("a fairness selector (timeout, recv, call, internal, an instance or a "
            "transition)")[selector_keyword[set(&Fairness::selector)]
                           | name_parser("an instance", /*keywords_too=*/true)[set(&Fairness::selector)]]
    >> -(tok(".") > transition_name[set(&Fairness::member)]);

auto const role_end_def = tok("}");
auto const system_end_def = tok("}");
auto const block_end_def = tok("}");
auto const fields_end_def = tok("}");
auto const script_end_def = tok("}");

BOOST_SPIRIT_DEFINE(expr, guard, implies, or_expr, and_expr, until_expr, temporal, compare,
                    additive, term, unary, postfix, primary, set_literal, quantifier, call_expr)
BOOST_SPIRIT_DEFINE(list_literal, let_expr)
BOOST_SPIRIT_DEFINE(channel_fn)
BOOST_SPIRIT_DEFINE(type, enum_item, spec, protocol, const_decl, type_decl, message, field)
BOOST_SPIRIT_DEFINE(def_decl, def_param, def_type)
BOOST_SPIRIT_DEFINE(role, port, call_decl, param, group, var_decl, timer, transition,
                    state_sel, event, block, stmt, if_stmt, field_init)
BOOST_SPIRIT_DEFINE(system_decl, instance, channel, port_ref, environment, call_pattern, call_ref,
                    property, fairness)
BOOST_SPIRIT_DEFINE(role_end, system_end, block_end, fields_end, script_end)

}  // namespace sp::parse::grammar

#pragma GCC diagnostic pop
