// Builds small IR Models by hand for the interpreter tests (no compiler involved).
#pragma once

#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/system.hpp"

namespace sp::ir::test {

// --- expressions ------------------------------------------------------------------------
inline Expr Const(TypeId type, int64_t v) {
  Expr e;
  e.op = Op::kConst;
  e.type = type;
  e.value = v;
  return e;
}
inline Expr Leaf(Op op, TypeId type, int index, int instance = -1) {
  Expr e;
  e.op = op;
  e.type = type;
  e.index = index;
  e.instance = instance;
  return e;
}
inline Expr VarE(TypeId type, int index) { return Leaf(Op::kVar, type, index); }
inline Expr FieldE(TypeId type, int index) { return Leaf(Op::kMsgField, type, index); }
inline Expr ArgE(TypeId type, int index) { return Leaf(Op::kCallArg, type, index); }
inline Expr InstVar(TypeId type, int instance, int index) { return Leaf(Op::kInstVar, type, index, instance); }
inline Expr InstState(int instance) { return Leaf(Op::kInstState, -1, -1, instance); }
inline Expr Node(Op op, TypeId type, std::vector<Expr> args) {
  Expr e;
  e.op = op;
  e.type = type;
  e.args = std::move(args);
  return e;
}
inline Expr Bin(Op op, TypeId type, Expr a, Expr b) { return Node(op, type, {std::move(a), std::move(b)}); }
inline Expr MapGet(TypeId value_type, int var, Expr key, int instance = -1) {
  Expr e = Node(Op::kMapGet, value_type, {std::move(key)});
  e.index = var;
  e.instance = instance;
  return e;
}
inline Expr MapHas(TypeId bool_type, int var, Expr key, int instance = -1) {
  Expr e = Node(Op::kMapHas, bool_type, {std::move(key)});
  e.index = var;
  e.instance = instance;
  return e;
}

// --- statements -------------------------------------------------------------------------
inline Stmt MakeStmt(StmtKind kind, int index, std::vector<Expr> exprs, int line = 0) {
  Stmt s;
  s.kind = kind;
  s.index = index;
  s.exprs = std::move(exprs);
  s.line = line;
  return s;
}
inline Stmt Assign(int var, Expr v, int line = 0) { return MakeStmt(StmtKind::kAssign, var, {std::move(v)}, line); }
inline Stmt Send(int port, std::vector<Expr> fields, int line = 0) {
  return MakeStmt(StmtKind::kSend, port, std::move(fields), line);
}
inline Stmt Start(int timer) { return MakeStmt(StmtKind::kStart, timer, {}); }
inline Stmt Stop(int timer) { return MakeStmt(StmtKind::kStop, timer, {}); }
inline Stmt Put(int var, Expr k, Expr v) { return MakeStmt(StmtKind::kMapPut, var, {std::move(k), std::move(v)}); }
inline Stmt Remove(int var, Expr k) { return MakeStmt(StmtKind::kMapRemove, var, {std::move(k)}); }
inline Stmt Assert(Expr cond, std::string text, int line = 0) {
  Stmt s = MakeStmt(StmtKind::kAssert, -1, {std::move(cond)}, line);
  s.text = std::move(text);
  return s;
}
inline Stmt If(Expr cond, std::vector<Stmt> then_body, std::vector<Stmt> else_body = {}) {
  Stmt s = MakeStmt(StmtKind::kIf, -1, {std::move(cond)});
  s.then_body = std::move(then_body);
  s.else_body = std::move(else_body);
  return s;
}

// --- models -----------------------------------------------------------------------------
class ModelBuilder {
 public:
  Model m;

  TypeId AddType(Type t) {
    m.types.push_back(std::move(t));
    return static_cast<TypeId>(m.types.size()) - 1;
  }
  TypeId Bool() {
    Type t;
    t.kind = TypeKind::kBool;
    t.name = "bool";
    return AddType(t);
  }
  TypeId Int(int64_t lo, int64_t hi) {
    Type t;
    t.kind = TypeKind::kInt;
    t.lo = lo;
    t.hi = hi;
    t.name = "int[" + std::to_string(lo) + ".." + std::to_string(hi) + "]";
    return AddType(t);
  }
  TypeId Enum(std::string name, std::vector<std::string> items) {
    Type t;
    t.kind = TypeKind::kEnum;
    t.name = std::move(name);
    t.lo = 0;
    t.hi = static_cast<int64_t>(items.size()) - 1;
    t.items = std::move(items);
    return AddType(t);
  }
  TypeId Set(std::string name, TypeId enum_type) {
    Type t;
    t.kind = TypeKind::kSet;
    t.name = std::move(name);
    t.enum_type = enum_type;
    return AddType(t);
  }
  TypeId Seq(int bits, int wire_bits = 32) {
    Type t;
    t.kind = TypeKind::kSeq;
    t.name = "seq<" + std::to_string(wire_bits) + ">";
    t.seq_bits = bits;
    t.seq_wire_bits = wire_bits;
    return AddType(t);
  }
  TypeId Mac() {
    Type t;
    t.kind = TypeKind::kMac;
    t.name = "mac";
    return AddType(t);
  }
  TypeId Ip4() {
    Type t;
    t.kind = TypeKind::kIp4;
    t.name = "ip4";
    return AddType(t);
  }
  TypeId Map(TypeId key, TypeId value, int capacity) {
    Type t;
    t.kind = TypeKind::kMap;
    t.name = "map";
    t.key = key;
    t.value = value;
    t.capacity = capacity;
    return AddType(t);
  }

  int AddMessage(std::string name, std::vector<std::pair<std::string, TypeId>> fields) {
    Message msg;
    msg.name = std::move(name);
    for (auto& [n, t] : fields) msg.fields.push_back(Field{n, t});
    m.messages.push_back(std::move(msg));
    return static_cast<int>(m.messages.size()) - 1;
  }

  int AddRole(std::string name, std::vector<std::string> states, int initial = 0) {
    Role r;
    r.name = std::move(name);
    r.states = std::move(states);
    r.initial = initial;
    m.roles.push_back(std::move(r));
    return static_cast<int>(m.roles.size()) - 1;
  }
  Role& role(int r) { return m.roles[static_cast<size_t>(r)]; }

  int AddVar(int r, std::string name, TypeId type, int64_t init = 0, bool assigned = true) {
    role(r).vars.push_back(Var{std::move(name), type, init, assigned});
    return static_cast<int>(role(r).vars.size()) - 1;
  }
  int AddPort(int r, std::string name, int message) {
    role(r).ports.push_back(Port{std::move(name), message});
    return static_cast<int>(role(r).ports.size()) - 1;
  }
  int AddCall(int r, std::string name, std::vector<std::pair<std::string, TypeId>> params = {}) {
    Call c;
    c.name = std::move(name);
    for (auto& [n, t] : params) c.params.push_back(Field{n, t});
    role(r).calls.push_back(std::move(c));
    return static_cast<int>(role(r).calls.size()) - 1;
  }
  int AddTimer(int r, std::string name) {
    Timer t;
    t.name = std::move(name);
    role(r).timers.push_back(t);
    return static_cast<int>(role(r).timers.size()) - 1;
  }
  // from: state indices (empty: any); target -1: same.
  Transition& AddTransition(int r, std::string name, std::vector<int> from, EventKind event, int event_index,
                            int target, std::vector<Stmt> actions = {}) {
    Transition t;
    t.name = std::move(name);
    t.from.assign(role(r).states.size(), from.empty());
    for (int s : from) t.from[static_cast<size_t>(s)] = true;
    t.event = event;
    t.event_index = event_index;
    t.guard = Const(-1, 1);
    t.target = target;
    t.actions = std::move(actions);
    role(r).transitions.push_back(std::move(t));
    return role(r).transitions.back();
  }

  int AddSystem(std::string name) {
    System s;
    s.name = std::move(name);
    m.systems.push_back(std::move(s));
    return static_cast<int>(m.systems.size()) - 1;
  }
  System& sys(int s = 0) { return m.systems[static_cast<size_t>(s)]; }
  int AddInstance(int s, std::string name, int r) {
    Instance in;
    in.name = std::move(name);
    in.role = r;
    for (const Var& v : role(r).vars) in.init.push_back(v.init);
    sys(s).instances.push_back(std::move(in));
    return static_cast<int>(sys(s).instances.size()) - 1;
  }
  Queue& AddQueue(int s, std::string name, std::vector<int> senders, int send_port, int receiver, int recv_port,
                  int message, int capacity) {
    Queue q;
    q.name = std::move(name);
    q.senders = std::move(senders);
    q.send_port = send_port;
    q.receiver = receiver;
    q.recv_port = recv_port;
    q.message = message;
    q.capacity = capacity;
    sys(s).queues.push_back(std::move(q));
    return sys(s).queues.back();
  }
};

// --- exploring --------------------------------------------------------------------------
struct Collected {
  Label label;
  Slots state;
  std::string error;  // empty: no error
};

inline std::vector<Collected> Succs(const TransitionSystem& ts, const Slots& s) {
  std::vector<Collected> out;
  ts.successors(s, [&](const Successor& x) {
    out.push_back(Collected{x.label, x.state, x.error ? x.error->message : std::string()});
  });
  return out;
}

struct Reach {
  size_t states = 0;
  size_t edges = 0;   // non-error successors
  size_t errors = 0;  // error successors
  std::set<Packed> seen;
};

// Breadth-first search over packed states.
inline Reach Bfs(const TransitionSystem& ts) {
  Reach r;
  std::vector<Packed> frontier;
  Packed p;
  ts.layout().pack(ts.initial_state(), p);
  r.seen.insert(p);
  frontier.push_back(p);
  Slots cur;
  while (!frontier.empty()) {
    std::vector<Packed> next;
    for (const Packed& f : frontier) {
      ts.layout().unpack(f.data(), cur);
      ts.successors(cur, [&](const Successor& x) {
        if (x.error) {
          ++r.errors;
          return;
        }
        ++r.edges;
        Packed q;
        ts.layout().pack(x.state, q);
        if (r.seen.insert(q).second) next.push_back(std::move(q));
      });
    }
    frontier = std::move(next);
  }
  r.states = r.seen.size();
  return r;
}

}  // namespace sp::ir::test
