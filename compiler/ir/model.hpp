// The IR: an immutable description of a compiled spec, held by value.
//
// compiler/ builds a Model; checker/ and gen/ read it (and the next-state interface in
// ir/system.hpp) and never see the AST. Everything is resolved: names are indices,
// constants are folded, types are table entries, `forall` over instances is expanded.
//
// Values. Every scalar is an int64_t:
//   bool 0/1; int the integer itself; enum the item index; set a bit mask over its
//   enum's items (or, set<int[0..N]>, bit v for element v); seq a number in [0, 2^bits); mac / ip4 an index into the model's
//   address domain for that kind (see AddrDomain).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::ir {

using TypeId = int;

enum class TypeKind { kBool, kInt, kEnum, kSet, kSeq, kMac, kIp4, kDuration, kMap, kList };

struct Type {
  TypeKind kind = TypeKind::kBool;
  std::string name;          // as written or declared (`Flags`, `int[0..2]`)
  int64_t lo = 0, hi = 1;    // kInt: range; kBool: 0..1; kEnum: 0..n-1; others: value range
  int enum_type = -1;        // kSet: the element type: an enum, or int[0..N] (bit = value)
  std::vector<std::string> items;     // kEnum: item names
  std::vector<int64_t> item_codes;    // kEnum: wire codes (default: the index)
  int seq_bits = 0;          // kSeq: width in checking (after --seq-bits)
  int seq_wire_bits = 0;     // kSeq: declared width (32 for seq<32>)
  TypeId key = -1, value = -1;  // kMap; kList: `value` is the element type
  int capacity = 0;          // kMap, kList
};

// The concrete addresses a mac or ip4 value can take in checking: index 0 is the zero
// address, then every literal the spec mentions (sorted), then one "other" address that
// stands for every address the spec does not mention.
struct AddrDomain {
  std::vector<uint64_t> values;  // values[i] is the concrete address of index i
  int other = 0;                 // index of the "other" address (the last one)
};

// ---------------------------------------------------------------------------------
// Expressions.
enum class Op {
  kConst,        // value
  kVar,          // the current instance's variable `index`
  kState,        // the current instance's control state (an int: state index)
  kMsgField,     // field `index` of the message being received
  kCallArg,      // argument `index` of the call being handled
  kInstVar,      // (properties) variable `index` of instance `instance`
  kInstState,    // (properties) control state of instance `instance`
  kTimerArmed,   // timer `index` of the current instance (or of `instance` >= 0) is armed
  kNot, kNeg,
  kAdd, kSub, kMul, kDiv, kMod,     // on int; kAdd/kSub on seq wrap; seq - seq = distance
                                    // kDiv truncates; kMod is in [0, |b|) (Euclidean)
  kMin, kMax,                       // on int or duration (the built-ins min, max)
  kEq, kNe, kLt, kLe, kGt, kGe,     // on seq: RFC 1982 serial comparison
  kAnd, kOr, kImplies,
  kSetHas,       // args[0] in set args[1] (bit test)
  kSetLit,       // a set value built from args (each an enum item or an int element)
  kSetUnion, kSetInter, kSetDiff,  // args[0] + args[1], args[0] * args[1], args[0] - args[1] on sets
  kMapHas,       // key args[0] is in map variable `index` (of `instance` when >= 0)
  kMapGet,       // map variable `index`[args[0]]; reading an absent key is an error
  kPortLen,      // messages waiting at port `index` of the current instance (or of `instance`
                 // >= 0): the summed length of every queue towards it (`len(p)`)
  kPortFull,     // a send on port `index` of the current instance (or of `instance` >= 0)
                 // would not fit: some queue it reaches is at capacity (`full(p)`)
  // Lists (`list<T, N>`, one integer each; ListShape in value_range.hpp). A result longer
  // than N, an index outside 0..len-1 and head/tail of an empty list are checking errors.
  kListLit,      // [args...] of the list type `type`
  kListCat,      // args[0] + args[1]: concatenation (append is `l + [x]`)
  kListLen,      // len(args[0])
  kListGet,      // args[0][args[1]], 0-based
  kListHead,     // head(args[0])
  kListTail,     // tail(args[0]): all but the first element
};

struct Expr {
  Op op = Op::kConst;
  TypeId type = -1;
  int64_t value = 0;    // kConst
  int index = -1;       // variable / field / argument / timer / map index
  int instance = -1;    // kInstVar / kInstState / kTimerArmed / kMap* in properties
  std::vector<Expr> args;
};

// ---------------------------------------------------------------------------------
// Roles.
struct Var {
  std::string name;
  TypeId type = -1;
  int64_t init = 0;     // default initial value (instances may override); maps start empty
  bool assigned = false;  // written by some transition (false: a per-instance constant)
  bool has_init = false;  // declared with a value (`var x: T = e`); else instances set it (or 0)
};

struct Field {
  std::string name;
  TypeId type = -1;
};

struct Message {
  std::string name;
  std::string wire;     // "tcp", "arp", or "" (no wire binding)
  std::vector<Field> fields;
};

struct Port {
  std::string name;
  int message = -1;
};

struct Call {
  std::string name;
  std::vector<Field> params;
};

struct Timer {
  std::string name;
  int64_t duration_ms = 0;
  int64_t backoff = 1;          // interval multiplier after each expiry that restarts it
  std::optional<int64_t> retries;  // informational: expiries before giving up
};

enum class StmtKind { kSend, kAssign, kMapPut, kMapRemove, kStart, kStop, kAssert, kIf };

struct Stmt {
  StmtKind kind = StmtKind::kAssign;
  int index = -1;             // kSend: port; kAssign/kMap*: variable; kStart/kStop: timer
  std::vector<Expr> exprs;    // kSend: one per message field (unset: const 0);
                              // kAssign: {value}; kMapPut: {key, value}; kMapRemove: {key};
                              // kAssert/kIf: {condition}
  std::vector<Stmt> then_body, else_body;  // kIf
  std::string text;           // kAssert: the condition as written; for messages
  int line = 0;               // source line, for traces
};

enum class EventKind { kRecv, kCall, kTimeout, kInternal };

struct Transition {
  std::string name;           // given, or generated: `LISTEN_recv_net_3`
  bool generated_name = false;
  std::vector<bool> from;     // from[s]: enabled in control state s
  EventKind event = EventKind::kInternal;
  int event_index = -1;       // port / call / timer index
  Expr guard;                 // const true when absent
  int target = -1;            // control state index; -1 = same
  std::string cite;           // "RFC 9293 §3.10.7.4"; may be empty
  std::vector<Stmt> actions;
  int line = 0;               // source line of the transition
};

struct Role {
  std::string name;
  std::vector<std::string> states;
  int initial = 0;
  // States a generated test's preamble passes through when a path of the same length can
  // (`preamble via`; docs/gen.md). Indexed by state; empty: no preference.
  std::vector<bool> preamble_via;
  std::vector<Var> vars;
  std::vector<Port> ports;
  std::vector<Call> calls;
  std::vector<Timer> timers;
  std::vector<Transition> transitions;
};

// ---------------------------------------------------------------------------------
// Systems.
struct Instance {
  std::string name;
  int role = -1;
  std::vector<int64_t> init;  // initial value of every role variable (maps: 0 = empty)
};

// One FIFO (or bag) queue of messages towards one instance's port. A point-to-point
// channel is one queue; a broadcast channel is one queue per attached instance, and a
// send from any attached instance appends a copy to every other attached one's queue.
struct Queue {
  std::string name;           // `client.net->server.net`, `eth->b`
  std::vector<int> senders;   // instances whose sends on `send_port` reach this queue
  int send_port = -1;         // port index in the senders' role (same name in each)
  int receiver = -1;          // instance
  int recv_port = -1;         // port index in the receiver's role
  int message = -1;
  int capacity = 1;
  bool bag = false;           // any message may be received, not just the head
  bool lossy = false;
  std::optional<int> loss_budget;  // none: unbounded
  bool dup = false;
  std::optional<int> dup_budget;
  // `dup [K] redeliver`: a message is duplicated by being received and left in the queue
  // (each time one unit of the dup budget), not by a second copy at the send.
  bool redeliver = false;
  bool blocking = false;      // a step whose sends do not fit is not enabled (else: an error)
  std::optional<int> loss_run;  // lossy: at most this many copies lost in a row (none: no limit)
};

// The environment: which calls may happen, and how often.
struct CallEntry {
  struct Target {
    int instance = -1;
    int call = -1;
    std::vector<std::optional<int64_t>> args;  // fixed argument values; none: any value
  };
  std::vector<Target> targets;       // alternatives sharing one budget
  std::optional<int> bound;          // none: unlimited
};

struct Environment {
  bool script = false;               // calls happen in the order of `entries`
  bool unrestricted = true;          // no `environment` clause: every call always allowed
  std::vector<CallEntry> entries;
};

// ---------------------------------------------------------------------------------
// Properties.
enum class LtlOp { kAtom, kTrue, kNot, kAnd, kOr, kImplies, kNext, kEventually, kAlways, kUntil };

struct Ltl {
  LtlOp op = LtlOp::kAtom;
  int atom = -1;              // kAtom: index into Property::atoms
  std::vector<Ltl> args;
};

// A transition group of the system: one role transition of one instance.
struct GroupRef {
  int instance = -1;
  int transition = -1;
};

struct Fairness {
  bool strong = false;
  std::string text;                       // as written, for reports
  std::vector<std::vector<GroupRef>> sets;  // each set is fair as a unit
};

enum class PropertyKind { kInvariant, kDeadlock, kLtl };

struct Property {
  std::string name;
  int system = -1;
  PropertyKind kind = PropertyKind::kInvariant;
  bool lemma = false;
  Expr invariant;             // kInvariant: must hold in every reachable state
  std::optional<Expr> except; // kDeadlock: states where having no successor is fine
  Ltl ltl;                    // kLtl
  std::vector<Expr> atoms;    // kLtl: state predicates the formula refers to
  std::vector<Fairness> fairness;
  std::string text;           // the formula as written
  int line = 0;
};

struct System {
  std::string name;
  std::vector<Instance> instances;
  std::vector<Queue> queues;
  Environment environment;
  // Problems that make this system, and only it, impossible to check (a channel capacity
  // or fault budget out of range, often from a --const override), as `file:line:col:
  // text`. The spec still compiles and its other systems can be checked.
  std::vector<std::string> errors;
};

struct Model {
  std::string protocol;
  std::string description;
  std::string source_path;
  std::vector<Type> types;
  AddrDomain macs, ip4s;
  std::vector<Message> messages;
  std::vector<Role> roles;
  std::vector<System> systems;
  std::vector<Property> properties;
  std::vector<std::pair<std::string, int64_t>> consts;  // after overrides, for reports

  int find_system(const std::string& name) const;
  int find_role(const std::string& name) const;
  int find_property(const std::string& name) const;
};

// Renders a value of a type the way the spec writes it: `ESTABLISHED`, `{SYN, ACK}`,
// `192.0.2.1`, `02:00:00:00:00:01`, `5`, `true`.
std::string format_value(const Model& m, TypeId type, int64_t value);

}  // namespace sp::ir
