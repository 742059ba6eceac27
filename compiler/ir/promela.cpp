// The Promela writer (promela.hpp). The model mirrors the interpreter (interpreter.cpp)
// step for step, so that SPIN's "states stored" equals stateproof's state count:
//  - state variables are exactly the IR's slots: control states, written variables,
//    timers' armed bits, maps (size + sorted key/value arrays, unused pairs at the types'
//    lowest values), queues (length + message array, unused entries at the fields'
//    lowest values), loss / duplication budgets, environment counters; variables no
//    transition writes are #defines; everything else is `hidden` (not in SPIN's state);
//  - one `do` option per IR event choice (transition x receive queue x bag position,
//    transition x environment entry x argument values, timeout, internal), enabled by a
//    side-effect-free expression, so a step never blocks half-way: SPIN stores no
//    intermediate state of a d_step/atomic, and between steps every process is at its
//    loop head;
//  - loss and duplication are branches of the send (as in the IR: delivered, lost while
//    the budget lasts, duplicated), a full channel or map, an overflowing int, a failing
//    `assert` and an absent map key are failed `assert`s (checking errors).
#include "compiler/ir/promela.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <map>
#include <set>
#include <sstream>

#include "compiler/ir/promela_expr.hpp"
#include "compiler/ir/promela_names.hpp"
#include "compiler/ir/system.hpp"

namespace sp::ir {

namespace {

using promela::ExprWriter;
using promela::Identifier;
using promela::Interval;
using promela::NameTable;
using promela::Names;
using promela::Scope;
using promela::Unsupported;

std::string Comment(std::string s) {
  for (size_t at = s.find("*/"); at != std::string::npos; at = s.find("*/")) s.replace(at, 2, "* /");
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

std::string PromelaType(int64_t lo, int64_t hi) {
  if (lo >= 0 && hi <= 1) return "bit";
  if (lo >= 0 && hi <= 255) return "byte";
  if (lo >= -32768 && hi <= 32767) return "short";
  return "int";
}

std::string Indent(int n) { return std::string(static_cast<size_t>(n), ' '); }

struct QueueNames {
  std::string base;       // the message array; `base_len`, `base_loss`, `base_dup`
  std::string typedef_name;
};

class Writer {
 public:
  Writer(const Model& m, int system)
      : m_(m), sys_(m.systems.at(static_cast<size_t>(system))), system_(system), ts_(m, system),
        init_(ts_.initial_state()) {}

  PromelaModel Run();

 private:
  void MakeNames();
  void Header();
  void Declarations();
  void Inlines();
  void Process(int i);
  void Monitor();
  void Ltl();

  const Layout& L() const { return ts_.layout(); }
  const Role& RoleOf(int i) const { return m_.roles[static_cast<size_t>(sys_.instances[static_cast<size_t>(i)].role)]; }
  const Message* MessageOf(int q) const {
    const int msg = sys_.queues[static_cast<size_t>(q)].message;
    return msg >= 0 && msg < static_cast<int>(m_.messages.size()) ? &m_.messages[static_cast<size_t>(msg)] : nullptr;
  }
  std::vector<int> SendQueues(int i, int port) const;
  bool Branches(int i, const std::vector<Stmt>& body) const;
  std::string Room(int i, const Transition& tr) const;

  // `value` fitted into type `t` as the interpreter's Fit does; range checks go through
  // `temp`. Returns the value's expression; appends the statements before it.
  std::string Fit(TypeId t, const Expr& e, const Scope& s, const std::string& temp, std::vector<std::string>& pre,
                  const std::string& what) const;
  void Body(int i, const std::vector<Stmt>& body, const Scope& s, int indent, std::ostringstream& o) const;
  void Statements(const std::vector<std::string>& lines, int indent, std::ostringstream& o) const;
  std::string Defined(const Expr& e, const Scope& s) const {  // "" when always defined
    const std::optional<std::string> d = x_->Defined(e, s);
    return d ? *d : std::string();
  }
  std::string Holds(const Expr& e, const Scope& s) const {  // defined and true
    x_->Bounds(e);
    const std::string d = Defined(e, s);
    const std::string v = x_->Print(e, s);
    return d.empty() ? v : "(" + d + " && " + v + ")";
  }

  const Model& m_;
  const System& sys_;
  int system_;
  TransitionSystem ts_;
  Slots init_;
  Names n_;
  NameTable names_;
  std::unique_ptr<ExprWriter> x_;
  std::vector<QueueNames> q_;
  std::vector<std::string> env_count_;  // per environment entry (empty: unbounded)
  std::string env_pc_;
  std::vector<std::string> msg_typedef_;  // per message
  std::vector<bool> state_type_;          // per type: a role's control-state enum
  std::vector<std::string> prop_flag_;    // per model property (this system's)
  std::vector<std::string> ltl_claim_;
  int max_fields_ = 1;
  std::ostringstream o_;
  std::vector<PromelaProperty> props_;
};

void Writer::MakeNames() {
  const size_t ni = sys_.instances.size();
  n_.proc.resize(ni);
  n_.state.resize(ni);
  n_.var.resize(ni);
  n_.constant.resize(ni);
  n_.timer.resize(ni);
  for (size_t i = 0; i < ni; ++i) {
    const Instance& inst = sys_.instances[i];
    const Role& role = RoleOf(static_cast<int>(i));
    n_.proc[i] = names_.ClaimFamily(inst.name, {{"P", ""}});  // pan.h: #define P<proctype>
    n_.state[i] = names_.Claim(inst.name + "_state");
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const Var& var = role.vars[v];
      const bool map = var.type >= 0 && m_.types[static_cast<size_t>(var.type)].kind == TypeKind::kMap;
      n_.var[i].push_back(map ? names_.ClaimFamily(inst.name + "_" + var.name, {{"", "_size"}, {"", "_key"}, {"", "_val"},
                                                                              {"put_", ""}, {"remove_", ""}})
                              : names_.Claim(inst.name + "_" + var.name));
      const Slot& slot = L().slots[static_cast<size_t>(L().instances[i].vars[v])];
      const detail::ValueRange r = detail::RangeOf(m_, var.type);
      // A 0-bit slot of a multi-valued type is a variable no transition writes.
      n_.constant[i].push_back(!map && slot.bits == 0 && r.hi > r.lo);
    }
    for (const Timer& t : role.timers) n_.timer[i].push_back(names_.Claim(inst.name + "_" + t.name));
  }
  n_.state_macro.resize(m_.roles.size());
  for (size_t r = 0; r < m_.roles.size(); ++r) {
    for (const std::string& st : m_.roles[r].states) n_.state_macro[r].push_back(names_.Claim(m_.roles[r].name + "_" + st));
  }
  // Enum items: bare when unique across the spec, else prefixed with their type.
  std::map<std::string, int> count;
  for (const Type& t : m_.types) {
    if (t.kind == TypeKind::kEnum) {
      for (const std::string& it : t.items) ++count[it];
    }
  }
  n_.item.resize(m_.types.size());
  state_type_.assign(m_.types.size(), false);
  for (size_t t = 0; t < m_.types.size(); ++t) {
    const Type& type = m_.types[t];
    if (type.kind != TypeKind::kEnum) continue;
    // A role's control-state type (`Role.state`): its items are the state macros.
    const int role = type.name.size() > 6 && type.name.compare(type.name.size() - 6, 6, ".state") == 0
                         ? m_.find_role(type.name.substr(0, type.name.size() - 6))
                         : -1;
    if (role >= 0 && m_.roles[static_cast<size_t>(role)].states == type.items) {
      n_.item[t] = n_.state_macro[static_cast<size_t>(role)];
      state_type_[t] = true;
      continue;
    }
    const std::string prefix = Identifier(type.name) ? type.name : "E" + std::to_string(t);
    for (const std::string& it : type.items) {
      n_.item[t].push_back(names_.Claim(count[it] == 1 ? it : prefix + "_" + it));
    }
  }
  // Message fields are typedef members: unique in the whole model too, since SPIN's
  // lexer reads a proctype's name as a keyword-like token wherever it appears, and the
  // preprocessor rewrites a member named like a #define (an enum item, a constant).
  n_.field.resize(m_.messages.size());
  for (size_t mi = 0; mi < m_.messages.size(); ++mi) {
    msg_typedef_.push_back(names_.Claim(m_.messages[mi].name));
    for (const Field& f : m_.messages[mi].fields) n_.field[mi].push_back(names_.Claim(f.name));
  }
  for (size_t q = 0; q < sys_.queues.size(); ++q) {
    const Queue& qu = sys_.queues[q];
    const Role& rr = RoleOf(qu.receiver);
    std::string base = "to_" + sys_.instances[static_cast<size_t>(qu.receiver)].name + "_" +
                       rr.ports.at(static_cast<size_t>(qu.recv_port)).name;
    int same = 0;
    for (const Queue& other : sys_.queues) same += other.receiver == qu.receiver && other.recv_port == qu.recv_port;
    if (same > 1 && qu.senders.size() == 1) base += "_from_" + sys_.instances[static_cast<size_t>(qu.senders[0])].name;
    QueueNames qn;
    qn.base = names_.ClaimFamily(base, {{"", "_len"}, {"", "_loss"}, {"", "_dup"}, {"", "_run"}, {"recv_", ""}, {"keep_", ""}, {"send_", ""}});
    n_.queue_len.push_back(qn.base + "_len");
    qn.typedef_name = qu.message >= 0 ? msg_typedef_[static_cast<size_t>(qu.message)] : "";
    q_.push_back(qn);
    if (const Message* msg = MessageOf(static_cast<int>(q))) {
      max_fields_ = std::max(max_fields_, static_cast<int>(msg->fields.size()));
    }
  }
  const Environment& env = sys_.environment;
  for (size_t e = 0; e < env.entries.size(); ++e) {
    env_count_.push_back(L().env_counters[e] >= 0 ? names_.Claim("env_" + std::to_string(e) + "_count") : "");
  }
  if (L().script_pc >= 0) env_pc_ = names_.Claim("env_pc");
  for (size_t p = 0; p < m_.properties.size(); ++p) {
    const Property& prop = m_.properties[p];
    const bool mine = prop.system == system_;
    prop_flag_.push_back(mine && prop.kind != PropertyKind::kLtl ? names_.Claim("prop_" + prop.name) : "");
    std::vector<std::pair<std::string, std::string>> atoms;  // the claim's atoms: NAME_p0, NAME_p1, ...
    for (size_t k = 0; k < prop.atoms.size(); ++k) atoms.emplace_back("", "_p" + std::to_string(k));
    ltl_claim_.push_back(mine && prop.kind == PropertyKind::kLtl ? names_.ClaimFamily(prop.name, atoms) : "");
  }
  for (const Role& r : m_.roles) {
    for (const Call& c : r.calls) max_fields_ = std::max(max_fields_, static_cast<int>(c.params.size()));
  }
  x_ = std::make_unique<ExprWriter>(m_, sys_, n_);
}

std::vector<int> Writer::SendQueues(int i, int port) const {
  std::vector<int> out;
  for (size_t q = 0; q < sys_.queues.size(); ++q) {
    const Queue& qu = sys_.queues[q];
    if (qu.send_port == port && std::find(qu.senders.begin(), qu.senders.end(), i) != qu.senders.end()) {
      out.push_back(static_cast<int>(q));
    }
  }
  return out;
}

bool Writer::Branches(int i, const std::vector<Stmt>& body) const {
  for (const Stmt& st : body) {
    if (st.kind == StmtKind::kSend) {
      for (int q : SendQueues(i, st.index)) {
        const Queue& qu = sys_.queues[static_cast<size_t>(q)];
        if (qu.lossy || (qu.dup && !qu.redeliver)) return true;
      }
    }
    if (st.kind == StmtKind::kIf && (Branches(i, st.then_body) || Branches(i, st.else_body))) return true;
  }
  return false;
}

void Writer::Header() {
  const std::string& sys = sys_.name;
  o_ << "/*\n * " << (m_.source_path.empty() ? std::string("spec") : Comment(m_.source_path)) << ", system " << sys
     << ": Promela model written by `stateproof export --to promela`.\n"
     << " * Protocol " << m_.protocol << (m_.description.empty() ? "" : " (" + Comment(m_.description) + ")") << ".\n";
  if (!m_.consts.empty()) {
    o_ << " * Constants:";
    for (const auto& [name, value] : m_.consts) o_ << " " << name << "=" << value;
    o_ << "\n";
  }
  o_ << " *\n"
        " * Safety (invariants, deadlocks, checking errors), every property in one search:\n"
        " *   spin -a model.pml && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -m100000\n"
        " *   (./pan -c0 goes on after a violation: each violated property is named once,\n"
        " *   `assertion violated prop_NAME`; a checking error is a failed assert in a step)\n"
        " * LTL property P (the monitor process is left out, see below):\n"
        " *   spin -DLIVENESS -a model.pml && gcc -O2 -DNOREDUCE -o pan pan.c && ./pan -a [-f] -N P\n"
        " *\n"
        " * One process per instance; each IR step is one d_step (atomic when it branches on\n"
        " * a loss or duplication or uses scratch variables) enabled by a side-effect-free\n"
        " * expression, so SPIN stores exactly stateproof's states (`states, stored` =\n"
        " * stateproof check's states).\n"
        " */\n\n";
}

void Writer::Declarations() {
  // Control states and enum items.
  for (size_t r = 0; r < m_.roles.size(); ++r) {
    bool used = false;
    for (const Instance& in : sys_.instances) used = used || in.role == static_cast<int>(r);
    if (!used) continue;
    o_ << "/* role " << m_.roles[r].name << ": control states */\n";
    for (size_t s = 0; s < n_.state_macro[r].size(); ++s) o_ << "#define " << n_.state_macro[r][s] << " " << s << "\n";
  }
  for (size_t t = 0; t < m_.types.size(); ++t) {
    if (n_.item[t].empty() || state_type_[t]) continue;
    o_ << "/* " << Comment(m_.types[t].name) << " */\n";
    for (size_t k = 0; k < n_.item[t].size(); ++k) o_ << "#define " << n_.item[t][k] << " " << k << "\n";
  }
  o_ << "\n";
  // Messages.
  std::set<int> messages;
  for (const Queue& q : sys_.queues) {
    if (q.message >= 0) messages.insert(q.message);
  }
  for (int mi : messages) {
    const Message& msg = m_.messages[static_cast<size_t>(mi)];
    o_ << "typedef " << msg_typedef_[static_cast<size_t>(mi)] << " {";
    if (msg.fields.empty()) o_ << " bit unused;";
    for (size_t fi = 0; fi < msg.fields.size(); ++fi) {
      const Field& f = msg.fields[fi];
      const detail::ValueRange r = x_->Range(f.type);
      o_ << " " << PromelaType(r.lo, r.hi) << " " << n_.field[static_cast<size_t>(mi)][fi];
      if (r.lo != 0) o_ << " = " << r.lo;
      o_ << ";";
    }
    o_ << " }\n";
  }
  if (!messages.empty()) o_ << "\n";

  // Instances.
  for (size_t i = 0; i < sys_.instances.size(); ++i) {
    const Role& role = RoleOf(static_cast<int>(i));
    const InstanceLayout& il = L().instances[i];
    o_ << "/* instance " << sys_.instances[i].name << ": " << role.name << " */\n";
    o_ << PromelaType(0, static_cast<int64_t>(role.states.size()) - 1) << " " << n_.state[i] << " = "
       << n_.state_macro[static_cast<size_t>(sys_.instances[i].role)][static_cast<size_t>(init_[static_cast<size_t>(il.state)])]
       << ";\n";
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const Var& var = role.vars[v];
      const int slot = il.vars[v];
      const std::string& name = n_.var[i][v];
      const Type* type = var.type >= 0 ? &m_.types[static_cast<size_t>(var.type)] : nullptr;
      if (type != nullptr && type->kind == TypeKind::kMap) {
        const int cap = std::max(0, type->capacity);
        const detail::ValueRange kr = x_->Range(type->key), vr = x_->Range(type->value);
        o_ << PromelaType(0, cap) << " " << name << "_size = 0;\t/* map<" << Comment(m_.types[static_cast<size_t>(type->key)].name)
           << ", " << Comment(m_.types[static_cast<size_t>(type->value)].name) << "> capacity " << cap
           << ", sorted by key */\n";
        if (cap > 0) {
          o_ << PromelaType(kr.lo, kr.hi) << " " << name << "_key[" << cap << "] = " << init_[static_cast<size_t>(slot + 1)] << ";\n";
          o_ << PromelaType(vr.lo, vr.hi) << " " << name << "_val[" << cap << "] = " << init_[static_cast<size_t>(slot + 2)] << ";\n";
        }
        continue;
      }
      const detail::ValueRange r = x_->Range(var.type);
      if (type != nullptr && type->kind == TypeKind::kList) x_->CheckListWidth(var.type);
      if (std::max(std::abs(r.lo), std::abs(r.hi)) > promela::kMaxMagnitude) {
        throw Unsupported("variable " + sys_.instances[i].name + "." + var.name + " has values beyond 2^30");
      }
      const std::string value = x_->Constant(var.type, init_[static_cast<size_t>(slot)]);
      if (n_.constant[i][v]) {
        o_ << "#define " << name << " " << value << "\t/* never assigned */\n";
      } else {
        o_ << PromelaType(r.lo, r.hi) << " " << name << " = " << value << ";\n";
      }
    }
    for (size_t t = 0; t < role.timers.size(); ++t) {
      o_ << "bit " << n_.timer[i][t] << " = " << init_[static_cast<size_t>(il.timers[t])] << ";\t/* timer "
         << role.timers[t].name << " armed */\n";
    }
    o_ << "\n";
  }

  // Queues.
  for (size_t q = 0; q < sys_.queues.size(); ++q) {
    const Queue& qu = sys_.queues[q];
    const QueueLayout& ql = L().queues[q];
    o_ << "/* channel " << Comment(qu.name) << ": capacity " << qu.capacity << (qu.bag ? ", bag" : ", fifo")
       << (qu.lossy ? ", lossy" + (qu.loss_budget ? " " + std::to_string(*qu.loss_budget) : std::string()) : "")
       << (qu.loss_run ? " consecutive " + std::to_string(*qu.loss_run) : std::string())
       << (qu.dup ? ", dup" + (qu.dup_budget ? " " + std::to_string(*qu.dup_budget) : std::string()) : "") << " */\n";
    o_ << PromelaType(0, qu.capacity) << " " << q_[q].base << "_len = 0;\n";
    if (qu.capacity > 0 && !q_[q].typedef_name.empty()) o_ << q_[q].typedef_name << " " << q_[q].base << "[" << qu.capacity << "];\n";
    if (ql.loss_budget >= 0) {
      o_ << PromelaType(0, *qu.loss_budget) << " " << q_[q].base << "_loss = " << init_[static_cast<size_t>(ql.loss_budget)] << ";\n";
    }
    if (ql.dup_budget >= 0) {
      o_ << PromelaType(0, *qu.dup_budget) << " " << q_[q].base << "_dup = " << init_[static_cast<size_t>(ql.dup_budget)] << ";\n";
    }
    if (ql.loss_run >= 0) o_ << PromelaType(0, *qu.loss_run) << " " << q_[q].base << "_run = 0;\n";
  }
  // Environment.
  const Environment& env = sys_.environment;
  for (size_t e = 0; e < env.entries.size(); ++e) {
    if (env_count_[e].empty()) continue;
    o_ << PromelaType(0, *env.entries[e].bound) << " " << env_count_[e] << " = 0;\t/* calls made of environment entry "
       << e << " (at most " << *env.entries[e].bound << ") */\n";
  }
  if (!env_pc_.empty()) {
    o_ << PromelaType(0, static_cast<int64_t>(env.entries.size())) << " " << env_pc_ << " = 0;\t/* environment script position */\n";
  }
  o_ << "\n/* Scratch variables: not part of the state. */\n";
  o_ << "hidden int sp_t, sp_k, sp_v, sp_i, sp_j;\n";
  o_ << "hidden int sp_m0";
  for (int k = 1; k < max_fields_; ++k) o_ << ", sp_m" << k;
  o_ << ";\t/* the message being received */\n";
  o_ << "hidden int sp_f0";
  for (int k = 1; k < max_fields_; ++k) o_ << ", sp_f" << k;
  o_ << ";\t/* the message being sent */\n";
  std::vector<std::string> flags;
  for (const std::string& f : prop_flag_) {
    if (!f.empty()) flags.push_back(f);
  }
  if (!flags.empty()) {
    o_ << "hidden byte";
    for (size_t k = 0; k < flags.size(); ++k) o_ << (k ? ", " : " ") << flags[k];
    o_ << ";\t/* set to 0 and asserted by the monitor when the property is violated */\n";
  }
  o_ << "\n";
}

void Writer::Inlines() {
  // Maps: size, keys ascending, values; unused pairs hold the lowest key and value. One
  // pair of inlines per map variable: SPIN does not take arrays as inline arguments.
  for (size_t i = 0; i < sys_.instances.size(); ++i) {
    const Role& role = RoleOf(static_cast<int>(i));
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const TypeId tid = role.vars[v].type;
      if (tid < 0 || m_.types[static_cast<size_t>(tid)].kind != TypeKind::kMap) continue;
      const Type& t = m_.types[static_cast<size_t>(tid)];
      const std::string& b = n_.var[i][v];
      const std::string size = b + "_size", key = b + "_key", val = b + "_val";
      const std::string find = "  sp_i = 0;\t/* where sp_k is, or would go */\n  do\n  :: sp_i < " + size + " && " + key +
                               "[sp_i] < sp_k -> sp_i++\n  :: else -> break\n  od;\n";
      o_ << "inline put_" << b << "() {\t/* " << b << "[sp_k] = sp_v */\n" << find << "  if\n  :: sp_i < " << size << " && "
         << key << "[sp_i] == sp_k -> " << val << "[sp_i] = sp_v\n  :: else ->\n    assert(" << size << " < "
         << std::max(0, t.capacity) << ");\t/* checking error: the map is full */\n    sp_j = " << size
         << ";\n    do\n    :: sp_j > sp_i -> " << key << "[sp_j] = " << key << "[sp_j - 1]; " << val << "[sp_j] = " << val
         << "[sp_j - 1]; sp_j--\n    :: else -> break\n    od;\n    " << key << "[sp_i] = sp_k; " << val
         << "[sp_i] = sp_v; " << size << "++\n  fi\n}\n";
      o_ << "inline remove_" << b << "() {\t/* remove " << b << "[sp_k] */\n" << find << "  if\n  :: sp_i < " << size
         << " && " << key << "[sp_i] == sp_k ->\n    do\n    :: sp_i + 1 < " << size << " -> " << key << "[sp_i] = " << key
         << "[sp_i + 1]; " << val << "[sp_i] = " << val << "[sp_i + 1]; sp_i++\n    :: else -> break\n    od;\n    "
         << key << "[" << size << " - 1] = " << x_->Range(t.key).lo << "; " << val << "[" << size << " - 1] = "
         << x_->Range(t.value).lo << "; " << size << "--\n  :: else -> skip\n  fi\n}\n";
    }
  }
  for (size_t q = 0; q < sys_.queues.size(); ++q) {
    const Queue& qu = sys_.queues[q];
    const Message* msg = MessageOf(static_cast<int>(q));
    if (msg == nullptr) continue;
    const std::string& b = q_[q].base;
    const std::vector<std::string>& field = n_.field[static_cast<size_t>(qu.message)];
    auto copy = [&](const std::string& to) {  // the message in sp_f* into `to`
      std::string s;
      for (size_t f = 0; f < msg->fields.size(); ++f) s += (f ? "; " : "") + to + "." + field[f] + " = sp_f" + std::to_string(f);
      return s.empty() ? std::string("skip") : s;
    };
    // Receive: the message at `pos` into sp_m*, the ones behind it move up, the freed
    // entry gets the fields' lowest values (the IR's canonical empty entry).
    o_ << "inline recv_" << b << "(pos) {\n";
    for (size_t f = 0; f < msg->fields.size(); ++f) o_ << "  sp_m" << f << " = " << b << "[pos]." << field[f] << ";\n";
    o_ << "  sp_i = pos;\n  do\n  :: sp_i + 1 < " << b << "_len ->\n";
    for (const std::string& f : field) o_ << "    " << b << "[sp_i]." << f << " = " << b << "[sp_i + 1]." << f << ";\n";
    o_ << "    sp_i++\n  :: else -> break\n  od;\n";
    for (size_t f = 0; f < msg->fields.size(); ++f) {
      o_ << "  " << b << "[" << b << "_len - 1]." << field[f] << " = " << x_->Range(msg->fields[f].type).lo << ";\n";
    }
    o_ << "  " << b << "_len--\n}\n";
    // `dup redeliver`: a receive that leaves the message in place, for one unit of the
    // dup budget (the IR's redelivery; Promela's `q?<m>`, a receive that does not remove).
    if (qu.dup && qu.redeliver) {
      o_ << "inline keep_" << b << "(pos) {\n";
      for (size_t f = 0; f < msg->fields.size(); ++f) o_ << "  sp_m" << f << " = " << b << "[pos]." << field[f] << ";\n";
      o_ << "  " << (L().queues[q].dup_budget >= 0 ? b + "_dup--" : std::string("skip")) << "\n}\n";
    }
    // Send one copy (fields in sp_f*): delivered, lost or duplicated, as the IR branches.
    const std::string put = copy(b + "[" + b + "_len]") + "; " + b + "_len++";
    // `lossy consecutive R`: b_run counts the copies lost in a row; a copy that gets
    // through ends the run.
    const bool run = L().queues[q].loss_run >= 0;
    const std::string end_run = run ? "; " + b + "_run = 0" : "";
    o_ << "inline send_" << b << "() {\n";
    const bool dup_at_send = qu.dup && !qu.redeliver;
    const bool choice = qu.lossy || dup_at_send;
    const std::string pad = choice ? "  :: " : "  ";
    if (choice) o_ << "  if\n";
    if (qu.blocking) {  // the step's guard made room (Room)
      o_ << pad << put << end_run << (choice ? "\t/* delivered */\n" : "\n");
    } else {
      o_ << pad << "assert(" << b << "_len < " << qu.capacity << ");\t/* checking error: the channel is full */\n"
         << (choice ? "     " : "  ") << put << end_run << (choice ? "\t/* delivered */\n" : "\n");
    }
    if (qu.lossy) {
      std::string when, effect;
      if (L().queues[q].loss_budget >= 0) {
        when = b + "_loss > 0";
        effect = b + "_loss--";
      }
      if (run) {
        when += (when.empty() ? "" : " && ") + b + "_run < " + std::to_string(*qu.loss_run);
        effect += (effect.empty() ? "" : "; ") + b + "_run++";
      }
      o_ << "  :: " << (when.empty() ? "true" : when) << " -> " << (effect.empty() ? "skip" : effect) << "\t/* lost */\n";
    }
    if (dup_at_send) {
      const bool budget = L().queues[q].dup_budget >= 0;
      const std::string fits = b + "_len + 2 <= " + std::to_string(qu.capacity);
      if (qu.blocking) {  // no room for the second copy: no duplication (never an error)
        o_ << "  :: " << (budget ? b + "_dup > 0 && " + fits + " -> " + b + "_dup--; " : fits + " -> ")
           << "\t/* duplicated */\n";
      } else {
        o_ << "  :: " << (budget ? b + "_dup > 0 -> " + b + "_dup--; " : std::string("true -> ")) << "\t/* duplicated */\n"
           << "     assert(" << fits << ");\t/* checking error: the channel is full */\n";
      }
      o_ << "     " << put << ";\n     " << put << end_run << "\n";
    }
    if (choice) o_ << "  fi\n";
    o_ << "}\n";
  }
  o_ << "\n";
}

std::string Writer::Fit(TypeId t, const Expr& e, const Scope& s, const std::string& temp, std::vector<std::string>& pre,
                        const std::string& what) const {
  const Interval b = x_->Bounds(e);
  const std::string d = Defined(e, s);
  if (!d.empty()) pre.push_back("assert(" + d + ")\t/* checking error: absent map key, division by zero, or a list index, head, tail or append out of range */");
  const std::string v = x_->Print(e, s);
  const detail::ValueRange& r = x_->Range(t);
  if (r.seq_mask) return b.lo >= 0 && b.hi <= static_cast<int64_t>(r.seq_mask) ? v : "(" + v + " & " + std::to_string(r.seq_mask) + ")";
  if (!r.checked || (b.lo >= r.lo && b.hi <= r.hi)) return v;
  pre.push_back(temp + " = " + v);
  pre.push_back("assert(" + temp + " >= " + std::to_string(r.lo) + " && " + temp + " <= " + std::to_string(r.hi) +
                ")\t/* checking error: " + Comment(what) + " overflows */");
  return temp;
}

void Writer::Statements(const std::vector<std::string>& lines, int indent, std::ostringstream& o) const {
  for (const std::string& l : lines) o << Indent(indent) << l << ";\n";
}

void Writer::Body(int i, const std::vector<Stmt>& body, const Scope& s, int indent, std::ostringstream& o) const {
  const Role& role = RoleOf(i);
  for (const Stmt& st : body) {
    std::vector<std::string> pre;
    switch (st.kind) {
      case StmtKind::kSend: {
        const Port& port = role.ports.at(static_cast<size_t>(st.index));
        const Message& msg = m_.messages.at(static_cast<size_t>(port.message));
        o << Indent(indent) << "/* send " << port.name << " (line " << st.line << ") */\n";
        for (size_t f = 0; f < msg.fields.size(); ++f) {
          const Expr e = f < st.exprs.size() ? st.exprs[f] : Expr{};
          const std::string temp = "sp_f" + std::to_string(f);
          const std::string v = Fit(msg.fields[f].type, e, s, temp, pre, msg.name + "." + msg.fields[f].name);
          if (v != temp) pre.push_back(temp + " = " + v);
        }
        for (int q : SendQueues(i, st.index)) pre.push_back("send_" + q_[static_cast<size_t>(q)].base + "()");
        break;
      }
      case StmtKind::kAssign: {
        const Var& var = role.vars.at(static_cast<size_t>(st.index));
        const std::string v = Fit(var.type, st.exprs.empty() ? Expr{} : st.exprs[0], s, "sp_t", pre, var.name);
        pre.push_back(n_.var[static_cast<size_t>(i)][static_cast<size_t>(st.index)] + " = " + v);
        break;
      }
      case StmtKind::kMapPut:
      case StmtKind::kMapRemove: {
        const Var& var = role.vars.at(static_cast<size_t>(st.index));
        const Type& t = m_.types.at(static_cast<size_t>(var.type));
        const std::string& b = n_.var[static_cast<size_t>(i)][static_cast<size_t>(st.index)];
        const Expr key = st.exprs.empty() ? Expr{} : st.exprs[0];
        if (st.kind == StmtKind::kMapPut) {
          const std::string k = Fit(t.key, key, s, "sp_k", pre, var.name + " key");
          if (k != "sp_k") pre.push_back("sp_k = " + k);
          const std::string v = Fit(t.value, st.exprs.size() > 1 ? st.exprs[1] : Expr{}, s, "sp_v", pre, var.name + " value");
          if (v != "sp_v") pre.push_back("sp_v = " + v);
          pre.push_back("put_" + b + "()");
        } else {
          x_->Bounds(key);
          const std::string d = Defined(key, s);
          if (!d.empty()) pre.push_back("assert(" + d + ")");
          pre.push_back("sp_k = " + x_->Print(key, s));
          pre.push_back("remove_" + b + "()");
        }
        break;
      }
      case StmtKind::kStart:
      case StmtKind::kStop:
        pre.push_back(n_.timer[static_cast<size_t>(i)].at(static_cast<size_t>(st.index)) + " = " +
                      (st.kind == StmtKind::kStart ? "1" : "0"));
        break;
      case StmtKind::kAssert: {
        const Expr c = st.exprs.empty() ? Expr{} : st.exprs[0];
        x_->Bounds(c);
        const std::string d = Defined(c, s);
        if (!d.empty()) pre.push_back("assert(" + d + ")");
        pre.push_back("assert(" + x_->Print(c, s) + ")\t/* checking error: assert " + Comment(st.text) + " (line " +
                      std::to_string(st.line) + ") */");
        break;
      }
      case StmtKind::kIf: {
        const Expr c = st.exprs.empty() ? Expr{} : st.exprs[0];
        x_->Bounds(c);
        const std::string d = Defined(c, s);
        if (!d.empty()) pre.push_back("assert(" + d + ")");
        Statements(pre, indent, o);
        o << Indent(indent) << "if\n" << Indent(indent) << ":: " << x_->Print(c, s) << " ->\n";
        if (st.then_body.empty()) o << Indent(indent + 3) << "skip\n";
        Body(i, st.then_body, s, indent + 3, o);
        o << Indent(indent) << ":: else ->\n";
        if (st.else_body.empty()) o << Indent(indent + 3) << "skip\n";
        Body(i, st.else_body, s, indent + 3, o);
        o << Indent(indent) << "fi;\n";
        continue;
      }
    }
    Statements(pre, indent, o);
  }
}

// The condition that a step of transition `tr` fits its sends into every blocking
// channel (each copy counted as delivered, as the interpreter's Fire counts them); "" if
// none. Sends inside an `if` to a blocking channel are refused: whether they happen is
// known only after the body's assignments, and an option's guard must be decided first.
std::string Writer::Room(int i, const Transition& tr) const {
  std::map<int, int> need;  // queue -> copies
  std::function<void(const std::vector<Stmt>&, bool)> walk = [&](const std::vector<Stmt>& body, bool nested) {
    for (const Stmt& st : body) {
      if (st.kind == StmtKind::kIf) {
        walk(st.then_body, true);
        walk(st.else_body, true);
        continue;
      }
      if (st.kind != StmtKind::kSend) continue;
      for (int q : SendQueues(i, st.index)) {
        const Queue& qu = sys_.queues[static_cast<size_t>(q)];
        if (!qu.blocking) continue;
        if (nested) {
          throw Unsupported("transition " + tr.name + " sends to the blocking channel " + qu.name +
                            " inside an `if`: not expressible in Promela (the room a step needs must be known "
                            "before it starts); send unconditionally, or split the transition by the condition");
        }
        ++need[q];
      }
    }
  };
  walk(tr.actions, false);
  std::string out;
  for (const auto& [q, n] : need) {
    out += (out.empty() ? "" : " && ") + q_[static_cast<size_t>(q)].base + "_len + " + std::to_string(n) +
           " <= " + std::to_string(sys_.queues[static_cast<size_t>(q)].capacity);
  }
  return out;
}

void Writer::Process(int i) {
  const Role& role = RoleOf(i);
  const Environment& env = sys_.environment;
  const std::string& st = n_.state[static_cast<size_t>(i)];
  const auto& macros = n_.state_macro[static_cast<size_t>(sys_.instances[static_cast<size_t>(i)].role)];
  o_ << "active proctype " << n_.proc[static_cast<size_t>(i)] << "() {\t/* instance " << sys_.instances[static_cast<size_t>(i)].name
     << " */\nend:\n  do\n";
  int options = 0;
  for (size_t t = 0; t < role.transitions.size(); ++t) {
    const Transition& tr = role.transitions[t];
    std::string from;
    int nfrom = 0;
    for (size_t s = 0; s < tr.from.size() && s < role.states.size(); ++s) nfrom += tr.from[s];
    if (nfrom == 0) continue;
    if (nfrom < static_cast<int>(role.states.size())) {
      for (size_t s = 0; s < tr.from.size() && s < role.states.size(); ++s) {
        if (tr.from[s]) from += std::string(from.empty() ? "" : " || ") + st + " == " + macros[s];
      }
      if (nfrom > 1) from = "(" + from + ")";
    }
    // One event choice: what enables it (besides the state and the guard), how the event
    // is consumed, and the names for the message and the arguments.
    struct Choice {
      std::string when, consume, note;
      Scope guard_scope, body_scope;
      std::vector<int64_t> args;
    };
    std::vector<Choice> choices;
    switch (tr.event) {
      case EventKind::kRecv:
        for (size_t q = 0; q < sys_.queues.size(); ++q) {
          const Queue& qu = sys_.queues[q];
          if (qu.receiver != i || qu.recv_port != tr.event_index) continue;
          const Message* msg = MessageOf(static_cast<int>(q));
          const std::string& b = q_[q].base;
          for (int pos = 0; pos < (qu.bag ? qu.capacity : std::min(1, qu.capacity)); ++pos) {
            Choice c;
            c.when = b + "_len > " + std::to_string(pos);
            const std::vector<std::string>* field = msg != nullptr ? &n_.field[static_cast<size_t>(qu.message)] : nullptr;
            for (int prev = 0; prev < pos && field != nullptr; ++prev) {  // a bag offers each distinct message once
              std::string same;
              for (const std::string& f : *field) {
                same += (same.empty() ? "" : " && ") + b + "[" + std::to_string(prev) + "]." + f + " == " + b + "[" +
                        std::to_string(pos) + "]." + f;
              }
              if (!same.empty()) c.when += " && !(" + same + ")";
            }
            c.consume = "recv_" + b + "(" + std::to_string(pos) + ")";
            c.note = "recv " + Comment(qu.name) + (qu.bag ? " at " + std::to_string(pos) : "");
            c.guard_scope.msg = [field, b, pos](int f) {
              return b + "[" + std::to_string(pos) + "]." + field->at(static_cast<size_t>(f));
            };
            c.body_scope.msg = [](int f) { return "sp_m" + std::to_string(f); };
            if (qu.dup && qu.redeliver) {  // the same message, left in place (a redelivery)
              Choice keep = c;
              if (L().queues[q].dup_budget >= 0) keep.when += " && " + b + "_dup > 0";
              keep.consume = "keep_" + b + "(" + std::to_string(pos) + ")";
              keep.note += ", kept (redelivery)";
              choices.push_back(std::move(c));
              choices.push_back(std::move(keep));
            } else {
              choices.push_back(std::move(c));
            }
          }
        }
        break;
      case EventKind::kCall: {
        const Call& call = role.calls.at(static_cast<size_t>(tr.event_index));
        std::vector<std::pair<int, int>> entries;  // (entry, target); (-1, -1): unrestricted
        if (env.unrestricted) {
          entries.emplace_back(-1, -1);
        } else {
          for (size_t e = 0; e < env.entries.size(); ++e) {
            const auto& targets = env.entries[e].targets;
            for (size_t k = 0; k < targets.size(); ++k) {
              if (targets[k].instance == i && (targets[k].call == tr.event_index || targets[k].call < 0)) {
                entries.emplace_back(static_cast<int>(e), static_cast<int>(k));
              }
            }
          }
        }
        for (const auto& [e, k] : entries) {
          // Argument values as the interpreter enumerates them (GenCall).
          std::vector<std::pair<int64_t, int64_t>> dom;
          for (size_t p = 0; p < call.params.size(); ++p) {
            const CallEntry::Target* target = e >= 0 ? &env.entries[static_cast<size_t>(e)].targets[static_cast<size_t>(k)] : nullptr;
            if (target != nullptr && p < target->args.size() && target->args[p]) {
              dom.emplace_back(*target->args[p], *target->args[p]);
              continue;
            }
            const detail::ValueRange& r = x_->Range(call.params[p].type);
            int64_t lo = r.lo;
            if ((r.kind == TypeKind::kMac || r.kind == TypeKind::kIp4) && r.hi >= 1) lo = 1;
            dom.emplace_back(lo, r.hi);
          }
          __int128 combos = 1;
          for (const auto& d : dom) combos *= static_cast<__int128>(d.second - d.first + 1);
          if (combos > 4096) {
            throw Unsupported("call " + call.name + " of " + sys_.instances[static_cast<size_t>(i)].name +
                              " has more than 4096 argument combinations");
          }
          std::vector<int64_t> args;
          for (const auto& d : dom) args.push_back(d.first);
          while (true) {
            Choice c;
            std::string note = "call " + call.name;
            if (!args.empty()) {
              note += "(";
              for (size_t p = 0; p < args.size(); ++p) note += (p ? ", " : "") + format_value(m_, call.params[p].type, args[p]);
              note += ")";
            }
            if (e >= 0 && env.script) {
              c.when = env_pc_ + " == " + std::to_string(e);
              c.consume = env_pc_ + "++";
            } else if (e >= 0 && !env_count_[static_cast<size_t>(e)].empty()) {
              c.when = env_count_[static_cast<size_t>(e)] + " < " + std::to_string(*env.entries[static_cast<size_t>(e)].bound);
              c.consume = env_count_[static_cast<size_t>(e)] + "++";
            }
            if (e >= 0) note += ", environment entry " + std::to_string(e);
            c.note = Comment(note);
            c.args = args;
            choices.push_back(std::move(c));
            size_t p = args.size();
            bool done = true;
            while (p > 0) {  // odometer, last argument fastest
              --p;
              if (args[p] < dom[p].second) {
                ++args[p];
                done = false;
                break;
              }
              args[p] = dom[p].first;
            }
            if (done) break;
          }
        }
        break;
      }
      case EventKind::kTimeout: {
        Choice c;
        const std::string& timer = n_.timer[static_cast<size_t>(i)].at(static_cast<size_t>(tr.event_index));
        c.when = timer;
        c.consume = timer + " = 0";
        c.note = "timeout " + role.timers.at(static_cast<size_t>(tr.event_index)).name;
        choices.push_back(std::move(c));
        break;
      }
      case EventKind::kInternal: {
        Choice c;
        c.note = "internal";
        choices.push_back(std::move(c));
        break;
      }
    }
    const bool branches = Branches(i, tr.actions);
    const std::string room = Room(i, tr);
    for (Choice& c : choices) {
      c.guard_scope.acting = c.body_scope.acting = i;
      c.guard_scope.args = c.body_scope.args = &c.args;
      std::string guard;
      const bool always = tr.guard.op == Op::kConst && tr.guard.value != 0;
      if (!always) {
        x_->Bounds(tr.guard);
        const std::string d = Defined(tr.guard, c.guard_scope);
        const std::string g = x_->Print(tr.guard, c.guard_scope);
        // A guard that cannot be evaluated is a step (an error step), as in the IR.
        guard = d.empty() ? g : "(!" + d + " || " + g + ")";
        if (!room.empty()) guard = d.empty() ? g + " && " + room : "(!" + d + " || (" + g + " && " + room + "))";
      } else {
        guard = room;
      }
      std::string enabled;
      for (const std::string* part : {&from, &c.when, &guard}) {
        if (!part->empty()) enabled += (enabled.empty() ? "" : " && ") + *part;
      }
      if (enabled.empty()) enabled = "true";
      o_ << "  /* " << tr.name << ": " << c.note << (tr.cite.empty() ? "" : " [" + Comment(tr.cite) + "]") << ", line "
         << tr.line << " */\n";
      std::ostringstream body;
      if (!c.consume.empty()) body << "       " << c.consume << ";\n";
      if (!always) {
        const std::string d = Defined(tr.guard, c.guard_scope);
        if (!d.empty()) body << "       assert(" << d << ");\t/* checking error in the guard */\n";
      }
      Body(i, tr.actions, c.body_scope, 7, body);
      if (tr.target >= 0) body << "       " << st << " = " << macros[static_cast<size_t>(tr.target)] << ";\n";
      std::string text = body.str();
      if (text.size() < 2 || text.compare(text.size() - 2, 2, ";\n") != 0) text += "       skip;\n";
      text.erase(text.size() - 2);  // the last statement's `;`
      // pan undoes a d_step by restoring the state vector only, not the hidden scratch
      // variables; an atomic step that reads one after a loss branch (revisited after
      // the subtree of its first branch ran other steps) needs them restored. So a step
      // that writes a scratch variable is never a d_step.
      const bool scratch = text.find("sp_") != std::string::npos || text.find("recv_") != std::string::npos ||
                           text.find("send_") != std::string::npos || text.find("put_") != std::string::npos ||
                           text.find("remove_") != std::string::npos;
      o_ << "  :: " << (branches || scratch ? "atomic" : "d_step") << " { " << enabled << " ->\n";
      o_ << text << "\n     }\n";
      ++options;
    }
  }
  if (options == 0) o_ << "  :: false\n";
  o_ << "  od\n}\n\n";
}

void Writer::Monitor() {
  std::vector<std::string> lines;
  for (size_t p = 0; p < m_.properties.size(); ++p) {
    const Property& prop = m_.properties[p];
    if (prop.system != system_ || prop.kind == PropertyKind::kLtl) continue;
    const std::string& flag = prop_flag_[p];
    Scope s;
    std::string violated;
    if (prop.kind == PropertyKind::kInvariant) {
      violated = "!" + Holds(prop.invariant, s);
      if (violated.size() > 1 && violated[1] != '(') violated = "!(" + violated.substr(1) + ")";
    } else {
      violated = "timeout";
      if (prop.except) violated += " && !(" + Holds(*prop.except, s) + ")";
    }
    lines.push_back("  /* " + std::string(prop.lemma ? "lemma " : "property ") + prop.name + " (line " +
                    std::to_string(prop.line) + "): " + Comment(prop.text) + " */\n  :: atomic { " + violated +
                    " -> " + flag + " = 0; assert(" + flag + ") }\n");
  }
  o_ << "/* The safety properties. The monitor can move only when a property is violated, so\n"
        " * it adds no state and hides no deadlock; `timeout` holds exactly when no step of any\n"
        " * instance is enabled. (A deadlock in a state that also violates an invariant is\n"
        " * reported as the invariant's violation.) Left out with -DLIVENESS: its steps would\n"
        " * be extra stutter steps for LTL. */\n"
        "#ifndef LIVENESS\n"
        "active proctype sp_monitor() {\n"
        "end:\n"
        "  do\n";
  for (const std::string& l : lines) o_ << l;
  if (lines.empty()) o_ << "  :: false\n";
  o_ << "  od\n}\n#endif\n\n";
}

bool UsesNext(const Ltl& f) {
  if (f.op == LtlOp::kNext) return true;
  return std::any_of(f.args.begin(), f.args.end(), UsesNext);
}

std::string LtlText(const Ltl& f, const std::vector<std::string>& atoms) {
  auto a = [&](size_t k) { return k < f.args.size() ? LtlText(f.args[k], atoms) : std::string("true"); };
  switch (f.op) {
    case LtlOp::kAtom: return f.atom >= 0 && f.atom < static_cast<int>(atoms.size()) ? atoms[static_cast<size_t>(f.atom)] : "false";
    case LtlOp::kTrue: return "true";
    case LtlOp::kNot: return "!(" + a(0) + ")";  // never `!!`
    case LtlOp::kAnd: return "(" + a(0) + " && " + a(1) + ")";
    case LtlOp::kOr: return "(" + a(0) + " || " + a(1) + ")";
    case LtlOp::kImplies: return "(" + a(0) + " -> " + a(1) + ")";
    case LtlOp::kNext: return "X (" + a(0) + ")";
    case LtlOp::kEventually: return "<> (" + a(0) + ")";
    case LtlOp::kAlways: return "[] (" + a(0) + ")";
    case LtlOp::kUntil: return "(" + a(0) + " U " + a(1) + ")";
  }
  return "false";
}

void Writer::Ltl() {
  std::ostringstream o;
  for (size_t p = 0; p < m_.properties.size(); ++p) {
    const Property& prop = m_.properties[p];
    if (prop.system != system_) continue;
    PromelaProperty pp;
    pp.property = static_cast<int>(p);
    pp.kind = prop.kind;
    if (prop.kind != PropertyKind::kLtl) {
      pp.flag = prop_flag_[p];
      props_.push_back(pp);
      continue;
    }
    pp.claim = ltl_claim_[p];
    pp.uses_next = UsesNext(prop.ltl);
    // Fairness: SPIN's `pan -f` is weak fairness per process, i.e. per instance here.
    std::set<std::set<std::pair<int, int>>> declared, per_instance;
    bool weak = true;
    for (const Fairness& f : prop.fairness) {
      weak = weak && !f.strong;
      for (const auto& set : f.sets) {
        std::set<std::pair<int, int>> s;
        for (const GroupRef& g : set) s.emplace(g.instance, g.transition);
        if (!s.empty()) declared.insert(s);
      }
    }
    for (size_t i = 0; i < sys_.instances.size(); ++i) {
      std::set<std::pair<int, int>> s;
      for (size_t t = 0; t < RoleOf(static_cast<int>(i)).transitions.size(); ++t) s.emplace(static_cast<int>(i), static_cast<int>(t));
      if (!s.empty()) per_instance.insert(s);
    }
    pp.fairness = declared.empty() ? SpinFairness::kNone
                  : (weak && declared == per_instance) ? SpinFairness::kPerProcess
                                                       : SpinFairness::kNotExpressible;
    std::vector<std::string> atoms;
    Scope s;
    o << "/* property " << prop.name << " (line " << prop.line << "): " << Comment(prop.text) << " */\n";
    for (size_t k = 0; k < prop.atoms.size(); ++k) {
      atoms.push_back(pp.claim + "_p" + std::to_string(k));
      o << "#define " << atoms.back() << " " << Holds(prop.atoms[k], s) << "\n";
    }
    if (pp.fairness == SpinFairness::kNone) {
      o << "/* no fairness: ./pan -a -N " << pp.claim << " */\n";
    } else if (pp.fairness == SpinFairness::kPerProcess) {
      o << "/* weak fairness per instance = per process: ./pan -a -f -N " << pp.claim << " */\n";
    } else {
      o << "/* fairness `";
      for (size_t k = 0; k < prop.fairness.size(); ++k) o << (k ? ", " : "") << Comment(prop.fairness[k].text);
      o << "` is not expressible in SPIN, whose only fairness (pan -f) is weak fairness per\n"
           " * process (instance): ./pan -a -N " << pp.claim
        << " checks without fairness (a violation may be an unfair run), ./pan -a -f -N " << pp.claim
        << "\n * with weak fairness per instance instead. */\n";
    }
    if (pp.uses_next) o << "/* uses X: needs a SPIN built with the next operator (-DNXT) */\n";
    o << "ltl " << pp.claim << " { " << LtlText(prop.ltl, atoms) << " }\n\n";
    props_.push_back(pp);
  }
  const std::string text = o.str();
  if (text.empty()) return;
  o_ << "/* LTL properties: spin -DLIVENESS -a; SPIN stutter-extends a run that ends in a\n"
        " * state without steps, as stateproof does. */\n#ifdef LIVENESS\n"
     << text << "#endif\n";
}

PromelaModel Writer::Run() {
  // pan keeps a process's id in a byte: one process per instance, plus the monitor and
  // SPIN's never claim, must fit.
  if (sys_.instances.size() > 253) {
    throw Unsupported("system " + sys_.name + " has " + std::to_string(sys_.instances.size()) +
                      " instances; SPIN runs at most 255 processes (253 instances, the monitor and the claim)");
  }
  MakeNames();
  Header();
  Declarations();
  Inlines();
  for (size_t i = 0; i < sys_.instances.size(); ++i) Process(static_cast<int>(i));
  Monitor();
  Ltl();
  PromelaModel out;
  out.text = o_.str();
  out.properties = std::move(props_);
  return out;
}

}  // namespace

std::optional<PromelaModel> to_promela(const Model& model, int system, std::string* error) {
  if (system < 0 || system >= static_cast<int>(model.systems.size())) {
    if (error != nullptr) *error = "no such system";
    return std::nullopt;
  }
  try {
    return Writer(model, system).Run();
  } catch (const Unsupported& e) {
    if (error != nullptr) *error = std::string("cannot export to Promela: ") + e.what();
  } catch (const std::out_of_range& e) {
    if (error != nullptr) *error = std::string("cannot export to Promela: malformed model (") + e.what() + ")";
  }
  return std::nullopt;
}

}  // namespace sp::ir
