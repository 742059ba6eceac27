// Semantic analysis and lowering: ast::Spec -> ir::Model.
//
// One Lowerer per compilation. It resolves names, checks types and ranges, folds
// constants and reports every problem as a `file:line:col` diagnostic; what it builds is
// only valid when no error was reported. The work is split by concern:
//   types.cpp     constants, type declarations, address domains
//   expr.cpp      expressions (typing, coercions, constant folding)
//   channel_expr.cpp  channel conditions: len, empty, full, nfull
//   role.cpp      messages, roles, transitions, statements
//   system.cpp    systems: instances, channels, environment
//   property.cpp  properties, LTL, fairness
//   warnings.cpp  unreachable states, unused variables
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"

namespace sp::sema {

struct ConstValue {
  ir::TypeId type = -1;
  int64_t value = 0;
};

// A name bound to an expression: a `def` parameter (its argument) or a `let` in an
// action (its value). Uses of the name are replaced by the expression.
struct Binding {
  std::string name;
  ir::Expr value;
  int let = -1;  // a `let`: index into Lowerer::lets_; -1 for a def parameter
};

// What names mean inside one expression.
struct Scope {
  int role = -1;                   // transitions: the role whose variables are visible
  std::string msg_binder;          // recv PORT(x): x
  int msg = -1;                    //   its message index
  std::vector<std::pair<std::string, ir::TypeId>> params;  // call NAME(a, b)
  bool property = false;           // properties: instances are visible
  int system = -1;
  std::vector<std::pair<std::string, int>> instances;     // bound by forall over a role
  std::vector<std::pair<std::string, ConstValue>> values;  // bound by forall over a type
  bool allow_temporal = false;
  std::vector<Binding> bound;      // innermost first: def parameters, `let`s
};

class Lowerer {
 public:
  Lowerer(const ast::Spec& spec, Diagnostics& diags, const CompileOptions& options,
          ir::Model& out);
  bool run();

 private:
  // ---- types.cpp
  void init_builtin_types();
  void collect_addresses();
  void lower_const(const ast::Const& c);
  void check_const_overrides();
  void lower_type_decl(const ast::TypeDecl& d);
  std::optional<ir::TypeId> resolve_type(const ast::TypeExpr& t, const std::string& name_hint);
  ir::TypeId int_type(int64_t lo, int64_t hi);
  ir::TypeId set_type(ir::TypeId enum_type);
  ir::TypeId list_type(ir::TypeId elem, int capacity);
  ir::TypeId add_type(ir::Type t);
  int address_index(ir::TypeKind kind, uint64_t value) const;
  std::string type_name(ir::TypeId t) const;

  // ---- expr.cpp
  std::optional<ir::Expr> expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint = -1);
  std::optional<ir::Expr> bool_expr(const ast::Expr& e, const Scope& scope);
  // Converts `e` to type `to` (int -> seq wraps, int -> int is checked at run time);
  // reports `what` on mismatch.
  std::optional<ir::Expr> coerce(ir::Expr e, ir::TypeId to, const ast::Loc& loc,
                                 const std::string& what);
  std::optional<ConstValue> fold(const ir::Expr& e, const ast::Loc& loc);
  std::optional<ConstValue> const_value(const ast::Expr& e, ir::TypeId hint = -1);
  std::optional<int64_t> const_int(const ast::Expr& e, const std::string& what);
  std::optional<ir::Expr> name_expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  std::optional<ir::Expr> field_expr(const ast::Expr& e, const Scope& scope);
  std::optional<ir::Expr> index_expr(const ast::Expr& e, const Scope& scope);
  std::optional<ir::Expr> binary_expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  std::optional<ir::Expr> in_expr(const ast::Expr& e, const Scope& scope);
  std::optional<ir::Expr> set_literal(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  // ---- list_expr.cpp: list literals, `+`, l[i], len/empty/full/nfull, head, tail
  std::optional<ir::Expr> list_literal(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  std::optional<ir::Expr> list_concat(const ast::Expr& e, ir::Expr a, ir::Expr b);
  std::optional<ir::Expr> list_index(const ast::Expr& e, ir::Expr list, const Scope& scope);
  std::optional<ir::Expr> list_fn(const ast::Expr& e, const std::string& fn, ir::Expr list);
  bool is_list(ir::TypeId t) const;
  // ---- seq_mod.cpp: `seq mod M`, lowered to integer operators
  ir::TypeId seq_mod_type(int64_t modulus);
  int64_t seq_mod(ir::TypeId t) const;  // M, or 0 when t is not a `seq mod M`
  ir::Expr modulo(ir::Expr x, int64_t modulus, ir::TypeId type);
  std::optional<ir::Expr> seq_mod_binary(const ast::Expr& e, ir::Expr a, ir::Expr b);
  std::optional<ir::Expr> quantifier(const ast::Expr& e, const Scope& scope);
  // ---- channel_expr.cpp: len(p), empty(p), full(p), nfull(p)
  std::optional<ir::Expr> channel_fn(const ast::Expr& e, const Scope& scope);
  bool names_value(const ast::Expr& arg, const Scope& scope);
  std::optional<int> state_of(int role, const ast::Ident& name, bool groups_too,
                              std::vector<int>* group_states);
  std::optional<int> instance_of(const ast::Expr& e, const Scope& scope);
  std::vector<std::string> names_in_scope(const Scope& scope) const;
  std::optional<ir::Expr> bound_name(const ast::Expr& e, const Binding& b);

  // ---- funcs.cpp: `def`s (expanded where used), built-ins min/max, `let`
  void lower_funcs();
  void check_func(int f);
  int find_func(const std::string& name, int role) const;
  std::optional<ir::Expr> call_expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  std::optional<ir::Expr> builtin_call(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  std::optional<ir::Expr> expand_func(int f, const ast::Expr& call, std::vector<ir::Expr> args);
  bool lower_let(const ast::Stmt& s, Scope& scope);
  bool let_name_free(const ast::Ident& name, const Scope& scope);
  std::optional<ir::Expr> let_expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint);
  // ---- choose.cpp: `choose x in lo..hi { ... }`, one transition per value
  void lower_transition_choices(int role, const ast::Transition& t, int ordinal);
  void lower_choose(const ast::Stmt& s, const Scope& scope, std::vector<ir::Stmt>& out);
  void writes_var(const Scope& scope, int var, const ast::Loc& loc);
  bool is_seq(ir::TypeId t) const;
  bool is_int(ir::TypeId t) const;
  bool int_set(ir::TypeId t) const;  // set<int[0..N]>
  ir::Expr constant(ir::TypeId type, int64_t value) const;

  // ---- role.cpp
  void lower_messages();
  void declare_roles();
  void lower_transitions();
  void lower_transition(int role, const ast::Transition& t, int ordinal);
  std::optional<std::vector<bool>> state_selector(int role, const ast::StateSel& sel);
  void lower_block(const std::vector<ast::Stmt>& in, const Scope& scope,
                   std::vector<ir::Stmt>& out);
  std::optional<ir::Stmt> lower_stmt(const ast::Stmt& s, const Scope& scope);
  std::optional<int> var_of(int role, const ast::Ident& name);

  // ---- system.cpp
  void lower_systems();
  void lower_system(const ast::System& s);
  void lower_environment(const ast::Environment& env, ir::System& sys);

  // ---- property.cpp
  void lower_properties();
  void lower_property(const ast::Property& p);
  // Lowers a formula: temporal structure into `out`, state predicates into `atoms`.
  bool ltl(const ast::Expr& e, const Scope& scope, ir::Property& prop, ir::Ltl& out);
  static bool is_temporal(const ast::Expr& e);
  void lower_fairness(const ast::Fairness& f, ir::Property& prop);

  // ---- warnings.cpp
  void warn_unreachable_states();
  void warn_unused_vars();

  const ast::Spec& spec_;
  Diagnostics& diags_;
  const CompileOptions& options_;
  ir::Model& m_;

  // Builtin types.
  ir::TypeId bool_ = -1, int_ = -1, duration_ = -1, mac_ = -1, ip4_ = -1;
  std::map<std::string, ConstValue> consts_;
  std::map<std::string, ir::TypeId> named_types_;
  std::map<ir::TypeId, int64_t> seq_mods_;  // `seq mod M` types (int ranges 0..M-1): M
  // Enum items by name: (enum type, item index); more than one entry = ambiguous.
  std::map<std::string, std::vector<std::pair<ir::TypeId, int>>> enum_items_;
  std::vector<ir::TypeId> state_types_;  // per role: an enum of its control states
  std::vector<std::map<std::string, std::vector<int>>> groups_;  // per role
  std::vector<const ast::Role*> ast_roles_;
  // Reads of role variables (role, var) from transitions and properties.
  std::set<std::pair<int, int>> var_reads_;
  std::set<std::pair<int, int>> var_writes_;
  std::vector<std::vector<ast::Loc>> var_locs_;  // per role, per var: declaration
  int nesting_ = 0;
  // `def`s: global ones first, then each role's, each in declaration order.
  struct Func {
    const ast::FuncDecl* decl = nullptr;
    int role = -1;                      // -1: top level
    std::vector<ir::TypeId> params;
    ir::TypeId result = -1;             // declared, or the body's type
    bool checked = false;               // its body has been checked (it may be used)
    bool ok = false;
  };
  std::vector<Func> funcs_;
  int checking_func_ = -1;              // the def whose body is being checked
  // `let`s of the action being lowered: what each reads, and the first write to one of
  // those variables after it (from then on the name would mean another value).
  struct Let {
    std::string name;
    std::set<int> reads;
    std::optional<std::pair<std::string, ast::Loc>> stale;  // variable, where written
  };
  std::vector<Let> lets_;
  // The transition copy being lowered: the value of each `choose`, and the name suffix.
  std::map<const ast::Stmt*, int64_t> choice_;
  std::string choice_suffix_;
  // Names whose declaration failed (already reported): uses of them fail silently
  // instead of cascading into "unknown name" errors. Role names are keyed by role index,
  // instance names by system index.
  std::set<std::pair<int, std::string>> poisoned_role_names_;
  std::set<std::pair<int, std::string>> poisoned_instances_;
  bool poisoned(int role, const std::string& name) const {
    return poisoned_role_names_.count({role, name}) > 0;
  }
  bool poisoned_instance(const Scope& scope, const ast::Expr& e) const {
    return scope.property && e.kind == ast::ExprKind::kName &&
           poisoned_instances_.count({scope.system, e.name}) > 0;
  }
};

}  // namespace sp::sema
