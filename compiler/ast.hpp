// The position-tagged abstract syntax tree of a spec file (docs/language.md).
//
// The parser (compiler/parse/) produces it; semantic analysis (compiler/sema/) reads it
// and lowers it to the IR. Nothing outside compiler/ sees it. Plain values: no Spirit
// types, no pointers; recursive nodes hold their children in std::vector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::ast {

// A position in the source: byte offset plus 1-based line and column (0 = unknown).
struct Loc {
  uint32_t offset = 0;
  uint32_t line = 0;
  uint32_t col = 0;
};

struct Ident {
  std::string name;
  Loc loc;
};

// ---------------------------------------------------------------------------------
// Expressions: one uniform node type.
enum class ExprKind {
  kInt,       // int_value
  kBool,      // int_value 0/1
  kDuration,  // int_value in milliseconds
  kMac,       // int_value: 48-bit address
  kIp4,       // int_value: 32-bit address, host order
  kName,      // name
  kField,     // args[0] . name
  kIndex,     // args[0] [ args[1] ]
  kUnary,     // op args[0]             op: "-", "!", "always", "never", "eventually", "next"
  kBinary,    // args[0] op args[1]     op: + - * / % == != < <= > >= && || -> in until
  kSet,       // { args... }
  kList,      // [ args... ]
  kLet,       // let name = args[0] in args[1]   (op_loc: the name)
  kForall,    // forall name : type_name . args[0]
  kExists,    // exists name : type_name . args[0]
  kCall,      // name ( args... ): a `def` or a built-in (min, max)
  kChannelFn, // op ( args[0] )         op: "len", "empty", "full", "nfull"; args[0]: a port
              //                        (kName) or, in a property, instance.port (kField)
};

struct Expr {
  ExprKind kind = ExprKind::kInt;
  std::string op;         // operator spelling for kUnary / kBinary
  std::string name;       // kName, kField (the field), kForall/kExists (the bound variable)
  std::string type_name;  // kForall/kExists: the role quantified over
  int64_t int_value = 0;
  std::vector<Expr> args;
  Loc loc;  // where the expression starts (for binary: the operator's left operand)
  Loc op_loc;  // kUnary/kBinary/kField/kIndex: where the operator / field name is
};

// ---------------------------------------------------------------------------------
// Types.
enum class TypeKind { kBool, kInt, kEnum, kSet, kSeq, kMac, kIp4, kDuration, kMap, kList, kNamed };

struct EnumItem {
  Ident name;
  std::optional<Expr> code;  // wire code, `A = 1`
};

struct TypeExpr {
  TypeKind kind = TypeKind::kBool;
  Loc loc;
  std::vector<Expr> bounds;      // kInt: {lo, hi}; kMap, kList: {capacity}; kSeq: {M} (`seq mod M`)
  std::vector<EnumItem> items;   // kEnum
  std::vector<TypeExpr> args;    // kSet, kList: {element}; kMap: {key, value}
  int64_t bits = 0;              // kSeq
  Ident name;                    // kNamed
};

// ---------------------------------------------------------------------------------
// Declarations.
struct Protocol {
  Ident name;
  std::string description;
};

struct Const {
  Ident name;
  std::optional<TypeExpr> type;
  Expr value;
};

struct TypeDecl {
  Ident name;
  TypeExpr type;
};

struct Field {
  Ident name;
  TypeExpr type;
};

struct Message {
  Ident name;
  std::optional<Ident> wire;  // tcp, arp, ...
  std::vector<Field> fields;
};

struct Port {
  Ident name;
  Ident message;
};

struct Param {
  Ident name;
  TypeExpr type;
};

// `def NAME(p: T, ...) [: T] = expr`: a named predicate or function, expanded where it
// is used (top level, or inside a role, where it also sees the role's variables).
struct FuncDecl {
  Ident name;
  std::vector<Param> params;  // a param's type may be a bare `int` (kInt, no bounds)
  std::optional<TypeExpr> result;
  Expr body;
  Loc loc;  // the `def` keyword
};

struct CallDecl {
  Ident name;
  std::vector<Param> params;
};

struct Group {
  Ident name;
  std::vector<Ident> states;
};

struct VarDecl {
  std::vector<Ident> names;
  TypeExpr type;
  std::optional<Expr> init;
};

struct TimerDecl {
  Ident name;
  Expr duration;
  std::optional<Expr> backoff;
  std::optional<Expr> retries;
};

struct FieldInit {
  Ident name;
  Expr value;
};

enum class StmtKind { kSend, kAssign, kRemove, kStart, kStop, kAssert, kIf, kLet, kChoose };

struct Stmt {
  StmtKind kind = StmtKind::kAssign;
  Loc loc;
  Ident name;                   // kSend: port; kStart/kStop: timer; kLet: the name bound
  std::vector<FieldInit> fields;  // kSend
  std::vector<Expr> exprs;      // kAssign: {lhs, rhs}; kRemove: {m[k]}; kAssert/kIf: {cond};
                                // kLet: {value}; kChoose: {lo, hi}, body in then_body
  std::vector<Stmt> then_body;  // kIf
  std::vector<Stmt> else_body;  // kIf (an `else if` is one kIf statement here)
};

enum class StateSelKind { kNamed, kSet, kAny, kAnyExcept };

struct StateSel {
  StateSelKind kind = StateSelKind::kNamed;
  std::vector<Ident> states;  // kNamed: one state or group; kSet / kAnyExcept: the list
  Loc loc;
};

enum class EventKind { kRecv, kCall, kTimeout, kInternal };

struct Event {
  EventKind kind = EventKind::kInternal;
  Ident name;                 // port, call or timer
  std::vector<Ident> binders;  // kRecv: {message variable}; kCall: parameter names
  Loc loc;
};

struct Transition {
  std::optional<Ident> name;
  StateSel from;
  Event event;
  std::optional<Expr> guard;
  bool target_same = false;
  Ident target;
  std::optional<std::string> cite;
  Loc cite_loc;
  std::vector<Stmt> actions;
  Loc loc;  // the `from` keyword, or the name when named
};

struct Role {
  Ident name;
  std::vector<Port> ports;
  std::vector<CallDecl> calls;
  std::vector<Ident> states;
  std::vector<Group> groups;
  std::vector<Ident> initial;  // should be exactly one; sema reports otherwise
  std::vector<Ident> preamble_via;  // `preamble via S, ...` (states or groups)
  std::vector<VarDecl> vars;
  std::vector<TimerDecl> timers;
  std::vector<Transition> transitions;
  std::vector<FuncDecl> funcs;  // role-local `def`s
};

struct Instance {
  std::vector<Ident> names;
  Ident role;
  std::vector<FieldInit> inits;
};

struct PortRef {
  Ident instance;
  Ident port;
};

struct Channel {
  bool broadcast = false;
  PortRef from;        // point-to-point
  PortRef to;          // point-to-point
  Ident port;          // broadcast: the port name shared by the attached instances
  std::optional<Expr> capacity;
  bool lossy = false;
  std::optional<Expr> loss_budget;  // `lossy 1`, `lossy MAX_LOSS`; none = unbounded
  bool dup = false;
  std::optional<Expr> dup_budget;
  bool redeliver = false;  // `dup [K] redeliver`: duplication by a receive that keeps the message
  Loc redeliver_loc;
  std::optional<Expr> loss_run;  // `lossy [K] consecutive R`: at most R losses in a row
  bool bag = false;
  bool blocking = false;  // a send that does not fit is not enabled (else: checking error)
  Loc loc;
};

struct CallRef {
  Ident instance;
  Ident call;  // name "*" for every call of the instance
  std::vector<Expr> args;
  Loc loc;
};

struct CallPattern {
  std::vector<CallRef> alternatives;  // one, or a {a, b} group sharing one bound
  std::optional<Expr> bound;          // `once` is bound 1
  Loc loc;
};

struct Environment {
  bool script = false;
  std::vector<CallPattern> calls;  // !script
  std::vector<CallRef> steps;      // script
  Loc loc;
};

struct System {
  Ident name;
  std::vector<Instance> instances;
  std::vector<Channel> channels;
  std::vector<Environment> environments;  // should be at most one; sema reports otherwise
};

struct Fairness {
  bool strong = false;
  Ident selector;                 // timeout, recv, call, internal, instance, transition
  std::optional<Ident> member;    // instance.transition
  Loc loc;
};

struct Property {
  Ident name;
  Ident system;
  bool lemma = false;
  bool deadlock = false;       // `deadlock free [except E]`
  std::optional<Expr> except;  // deadlock
  std::optional<Expr> formula; // !deadlock
  std::vector<Fairness> fairness;
  Loc loc;
};

struct Spec {
  std::vector<Protocol> protocols;
  std::vector<Const> consts;
  std::vector<TypeDecl> types;
  std::vector<Message> messages;
  std::vector<Role> roles;
  std::vector<System> systems;
  std::vector<Property> properties;
  std::vector<FuncDecl> funcs;  // top-level `def`s
};

}  // namespace sp::ast
