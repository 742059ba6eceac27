// Token parsers for the X3 grammar (grammar_def.hpp): thin Spirit wrappers over the
// lexer (lexer.hpp), each with a readable name for "expected X" messages, plus the
// per-parse state they reach through the context and the nesting-depth guard.
//
// Include only from the one translation unit that instantiates the grammar (parser.cpp).
#pragma once

#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "compiler/ast.hpp"
#include "compiler/parse/lexer.hpp"

namespace sp::parse {

namespace x3 = boost::spirit::x3;

// Deepest nesting of expressions, blocks and types (recursion depth of the parser and
// depth of the trees it builds): beyond it, "nesting too deep" instead of a stack overflow.
constexpr int kMaxNesting = 200;

// State of one parse, reached from the parsers as x3::get<state_tag>(context).
struct ParseState {
  explicit ParseState(std::string_view text) : base(text.data()), lines(text) {}
  ast::Loc loc(const char* p) const {
    return lines.locate(static_cast<uint32_t>(p - base));
  }

  const char* base;
  LineMap lines;
  int depth = 0;  // current nesting (nest[] directives entered)
};
struct state_tag;

template <typename Context>
ParseState& state_of(Context const& ctx) {
  return x3::get<state_tag>(ctx);
}

// An expression being built, with the depth of its tree (the AST has no room for it).
struct Node {
  ast::Expr e;
  int depth = 1;
};

// An operator and where it is.
struct OpTok {
  std::string op;
  ast::Loc loc;
};

// A string literal's text and where it starts.
struct StrTok {
  std::string text;
  ast::Loc loc;
};

// Whether the punctuation `s` is at `p`: "-" is not the start of "->", "!" and "=" are
// not the start of "!=" and "==", "." is not the start of "..".
inline bool punct_at(const char* p, const char* end, std::string_view s) {
  if (static_cast<size_t>(end - p) < s.size() || std::string_view(p, s.size()) != s) {
    return false;
  }
  char next = p + s.size() < end ? p[s.size()] : '\0';
  if (s == "-") return next != '>';
  if (s == "!" || s == "=") return next != '=';
  if (s == ".") return next != '.';
  return true;
}

// A keyword or punctuation spelling at `p`.
inline bool spelling_at(const char* p, const char* end, std::string_view s) {
  return is_word_start(s[0]) ? word_at(p, end, s) : punct_at(p, end, s);
}

// Skips blanks at a copy of `first` (through the context's skipper).
template <typename Context>
const char* skipped(const char* first, const char* last, Context const& ctx) {
  x3::skip_over(first, last, ctx);
  return first;
}

// ---------------------------------------------------------------------------------
// The skipper: whitespace and comments.
struct blank_skipper : x3::parser<blank_skipper> {
  using attribute_type = x3::unused_type;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    return skip_blanks(first, last);
  }
};

// A keyword or punctuation token, no attribute: kw("from"), tok("->").
struct token_parser : x3::parser<token_parser> {
  using attribute_type = x3::unused_type;
  constexpr explicit token_parser(std::string_view s) : spelling(s) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr&) const {
    const char* p = skipped(first, last, ctx);
    if (!spelling_at(p, last, spelling)) return false;
    first = p + spelling.size();
    return true;
  }
  std::string_view spelling;
};

// One of a few keywords or punctuation spellings, as an Ident with its position:
// `same`, `true`/`false`, `*` in `client.*`, fairness selectors.
struct word_parser : x3::parser<word_parser> {
  using attribute_type = ast::Ident;
  template <typename... S>
  constexpr word_parser(const char* what, S... s) : what(what), words{s...}, count(sizeof...(s)) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    for (size_t i = 0; i < count; ++i) {
      if (spelling_at(p, last, words[i])) {
        x3::traits::move_to(ast::Ident{std::string(words[i]), state_of(ctx).loc(p)}, attr);
        first = p + words[i].size();
        return true;
      }
    }
    return false;
  }
  const char* what;
  std::array<std::string_view, 9> words;
  size_t count;
};

// An operator among a few spellings (longer ones listed first), as an OpTok.
struct op_parser : x3::parser<op_parser> {
  using attribute_type = OpTok;
  template <typename... S>
  constexpr op_parser(const char* what, S... s) : what(what), ops{s...}, count(sizeof...(s)) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    for (size_t i = 0; i < count; ++i) {
      if (spelling_at(p, last, ops[i])) {
        x3::traits::move_to(OpTok{std::string(ops[i]), state_of(ctx).loc(p)}, attr);
        first = p + ops[i].size();
        return true;
      }
    }
    return false;
  }
  const char* what;
  std::array<std::string_view, 7> ops;
  size_t count;
};

// An identifier (a word that is not a keyword); `what` names its role in messages.
// Field names may be keywords (`seq: Seq`, `s.seq`): where they appear, nothing else can.
// A contextual name may be any keyword but the reserved ones (is_reserved): `dup` as a
// parameter, `send` as a transition name.
struct name_parser : x3::parser<name_parser> {
  using attribute_type = ast::Ident;
  constexpr explicit name_parser(const char* what, bool keywords_too = false, bool contextual = false)
      : what(what), keywords_too(keywords_too), contextual(contextual) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    size_t n = scan_word(p, last);
    const std::string_view word(p, n);
    if (n == 0 || (!keywords_too && is_keyword(word) && (!contextual || is_reserved(word)))) return false;
    x3::traits::move_to(ast::Ident{std::string(p, n), state_of(ctx).loc(p)}, attr);
    first = p + n;
    return true;
  }
  const char* what;
  bool keywords_too;
  bool contextual;
};

// A numeric literal as an expression node.
struct number_parser : x3::parser<number_parser> {
  using attribute_type = Node;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    const char* start = p;
    Number num;
    if (!lex_number(p, last, num)) return false;
    static constexpr ast::ExprKind kKinds[] = {ast::ExprKind::kInt, ast::ExprKind::kDuration,
                                               ast::ExprKind::kMac, ast::ExprKind::kIp4};
    Node n;
    n.e.kind = kKinds[static_cast<int>(num.kind)];
    n.e.int_value = num.value;
    n.e.loc = state_of(ctx).loc(start);
    x3::traits::move_to(std::move(n), attr);
    first = p;
    return true;
  }
};

// A plain integer literal (`seq<32>`, `lossy 1`).
struct integer_parser : x3::parser<integer_parser> {
  using attribute_type = int64_t;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    Number num;
    if (p >= last || !is_digit(*p) || !lex_number(p, last, num) ||
        num.kind != NumberKind::kInt) {
      return false;
    }
    x3::traits::move_to(num.value, attr);
    first = p;
    return true;
  }
};

// A string literal.
struct string_parser : x3::parser<string_parser> {
  using attribute_type = StrTok;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    const char* p = skipped(first, last, ctx);
    const char* start = p;
    std::string text;
    if (!lex_string(p, last, text)) return false;
    x3::traits::move_to(StrTok{std::move(text), state_of(ctx).loc(start)}, attr);
    first = p;
    return true;
  }
};

// Matches nothing; its attribute is the position of the next token (for `loc` fields).
struct here_parser : x3::parser<here_parser> {
  using attribute_type = ast::Loc;
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::traits::move_to(state_of(ctx).loc(skipped(first, last, ctx)), attr);
    return true;
  }
};

// nest[p]: p one nesting level deeper; past kMaxNesting levels, "nesting too deep".
template <typename Subject>
struct nest_directive : x3::unary_parser<Subject, nest_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, nest_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr nest_directive(Subject const& subject) : base_type(subject) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
    ParseState& st = state_of(ctx);
    if (st.depth >= kMaxNesting) throw LexError{skipped(first, last, ctx), "nesting too deep"};
    ++st.depth;
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{st.depth};
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};

struct nest_gen {
  template <typename Subject>
  constexpr nest_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};

constexpr nest_gen nest{};

// named("what")[p]: p, called `what` in "expected ..." messages.
template <typename Subject>
struct named_directive : x3::unary_parser<Subject, named_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, named_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr named_directive(Subject const& subject, const char* name)
      : base_type(subject), name(name) {}
  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
  const char* name;
};

struct named_gen {
  template <typename Subject>
  constexpr named_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject), name};
  }
  const char* name;
};

constexpr named_gen named(const char* name) { return named_gen{name}; }

}  // namespace sp::parse

// ---------------------------------------------------------------------------------
// Readable names for "expected X" messages. X3's default is the parser's typeid.
namespace boost::spirit::x3 {

template <>
struct get_info<sp::parse::token_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::token_parser const& p) const {
    return "'" + std::string(p.spelling) + "'";
  }
};

template <>
struct get_info<sp::parse::word_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::word_parser const& p) const { return p.what; }
};

template <>
struct get_info<sp::parse::op_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::op_parser const& p) const { return p.what; }
};

template <>
struct get_info<sp::parse::name_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::name_parser const& p) const { return p.what; }
};

template <>
struct get_info<sp::parse::number_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::number_parser const&) const { return "a number"; }
};

template <>
struct get_info<sp::parse::integer_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::integer_parser const&) const { return "an integer"; }
};

template <>
struct get_info<sp::parse::string_parser> {
  using result_type = std::string;
  std::string operator()(sp::parse::string_parser const&) const { return "a string"; }
};

// Composites are named after what they start with; alternatives list their choices.
template <typename Subject>
struct get_info<sp::parse::nest_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(sp::parse::nest_directive<Subject> const& p) const {
    return what(p.subject);
  }
};

template <typename Subject>
struct get_info<sp::parse::named_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(sp::parse::named_directive<Subject> const& p) const { return p.name; }
};

template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
  using result_type = std::string;
  std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};

template <typename Subject>
struct get_info<expect_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(expect_directive<Subject> const& p) const { return what(p.subject); }
};

template <typename Subject>
struct get_info<optional<Subject>> {
  using result_type = std::string;
  std::string operator()(optional<Subject> const& p) const { return what(p.subject); }
};

template <typename Left, typename Right>
struct get_info<sequence<Left, Right>> {
  using result_type = std::string;
  std::string operator()(sequence<Left, Right> const& p) const { return what(p.left); }
};

template <typename Left, typename Right>
struct get_info<list<Left, Right>> {
  using result_type = std::string;
  std::string operator()(list<Left, Right> const& p) const { return what(p.left); }
};

template <typename Left, typename Right>
struct get_info<alternative<Left, Right>> {
  using result_type = std::string;
  std::string operator()(alternative<Left, Right> const& p) const {
    return what(p.left) + " or " + what(p.right);
  }
};

}  // namespace boost::spirit::x3
