#include "checker/msc.hpp"

#include <algorithm>
#include <sstream>

namespace sp::checker {

namespace {

constexpr size_t kIndent = 6;  // the step number column

class Chart {
 public:
  explicit Chart(const ir::TransitionSystem& ts) : sys_(ts.system()), m_(ts.model()) {
    width_ = 10;
    for (const ir::Instance& i : sys_.instances) {
      width_ = std::max(width_, i.name.size() + 3);
      for (const std::string& s : m_.roles[static_cast<size_t>(i.role)].states) {
        width_ = std::max(width_, s.size() + 3);
      }
    }
    width_ = std::min<size_t>(width_, 24);
    notes_at_ = kIndent + sys_.instances.size() * width_ + 1;
  }

  // A row of lifelines, with `text` in the annotation column.
  std::string row(const std::string& prefix) const {
    std::string r = prefix;
    r.resize(kIndent, ' ');
    for (size_t i = 0; i < sys_.instances.size(); ++i) {
      r += '|';
      r.append(width_ - 1, ' ');
    }
    return r;
  }

  void put(std::string& r, size_t column, const std::string& text) const {
    const size_t x = kIndent + column * width_;
    const size_t n = std::min(text.size(), width_ - 1);
    r.replace(x, n, text.substr(0, n));
  }

  std::string annotate(std::string r, const std::string& note) const {
    if (note.empty()) {
      while (!r.empty() && r.back() == ' ') r.pop_back();
      return r + "\n";
    }
    r.resize(notes_at_, ' ');
    return r + note + "\n";
  }

  // An arrow from lifeline a to lifeline b.
  std::string arrow(size_t a, size_t b, bool lost, bool dup) const {
    std::string r = row("");
    if (a == b) return r;
    const size_t xa = kIndent + a * width_, xb = kIndent + b * width_;
    const char fill = dup ? '=' : '-';
    const size_t lo = std::min(xa, xb), hi = std::max(xa, xb);
    for (size_t x = lo + 1; x < hi; ++x) r[x] = fill;
    if (lost) {
      const size_t mid = (lo + hi) / 2;
      if (xb > xa) {
        for (size_t x = mid + 1; x < hi; ++x) r[x] = ' ';
        r[mid] = 'X';
      } else {
        for (size_t x = lo + 1; x < mid; ++x) r[x] = ' ';
        r[mid] = 'X';
      }
    } else if (xb > xa) {
      r[xb - 1] = '>';
      if (dup && xb - 2 > xa) r[xb - 2] = '>';
    } else {
      r[xb + 1] = '<';
      if (dup && xb + 2 < xa) r[xb + 2] = '<';
    }
    return r;
  }

  size_t width() const { return width_; }

 private:
  const ir::System& sys_;
  const ir::Model& m_;
  size_t width_;
  size_t notes_at_;
};

std::string EventText(const ir::TransitionSystem& ts, const ir::Role& role,
                      const ir::Transition& tr, const ir::Label& l) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  switch (tr.event) {
    case ir::EventKind::kRecv: {
      std::string from;
      int msg = -1;
      if (l.recv_queue >= 0 && l.recv_queue < static_cast<int>(sys.queues.size())) {
        const ir::Queue& q = sys.queues[static_cast<size_t>(l.recv_queue)];
        msg = q.message;
        from = q.senders.size() == 1 ? sys.instances[static_cast<size_t>(q.senders[0])].name : q.name;
      }
      std::string s = "<- " + ts.message_text(msg, l.received);
      if (!from.empty()) s += " from " + from;
      if (l.redelivered) s += "  KEPT (stays queued: delivered again later)";
      return s;
    }
    case ir::EventKind::kCall: {
      const ir::Call* c = tr.event_index >= 0 && tr.event_index < static_cast<int>(role.calls.size())
                              ? &role.calls[static_cast<size_t>(tr.event_index)]
                              : nullptr;
      std::string s = "call " + (c ? c->name : std::string("?"));
      if (!l.args.empty()) {
        s += "(";
        for (size_t k = 0; k < l.args.size(); ++k) {
          const ir::TypeId t = c && k < c->params.size() ? c->params[k].type : -1;
          s += (k ? ", " : "") + ir::format_value(m, t, l.args[k]);
        }
        s += ")";
      }
      return s;
    }
    case ir::EventKind::kTimeout:
      return "timeout " + (tr.event_index >= 0 && tr.event_index < static_cast<int>(role.timers.size())
                               ? role.timers[static_cast<size_t>(tr.event_index)].name
                               : std::string("?"));
    case ir::EventKind::kInternal:
      return "internal";
  }
  return "";
}

// "snd_nxt=7 rcv_nxt=3 rtx started" for every variable and timer of every instance that
// differs between the two states.
std::string Changes(const ir::TransitionSystem& ts, const ir::Slots& a, const ir::Slots& b) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  const ir::Layout& lay = ts.layout();
  std::string out;
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const ir::Instance& inst = sys.instances[i];
    const ir::Role& role = m.roles[static_cast<size_t>(inst.role)];
    const ir::InstanceLayout& il = lay.instances[i];
    std::string mine;
    for (size_t v = 0; v < role.vars.size() && v < il.vars.size(); ++v) {
      const ir::Var& var = role.vars[v];
      const int slot = il.vars[v];
      const bool is_map = var.type >= 0 && m.types[static_cast<size_t>(var.type)].kind == ir::TypeKind::kMap;
      const int span = is_map ? 1 + 2 * m.types[static_cast<size_t>(var.type)].capacity : 1;
      bool changed = false;
      for (int k = 0; k < span; ++k) {
        const size_t s = static_cast<size_t>(slot + k);
        if (s < a.size() && s < b.size() && a[s] != b[s]) changed = true;
      }
      if (!changed) continue;
      mine += " " + var.name + "=";
      if (is_map) {
        const ir::Type& t = m.types[static_cast<size_t>(var.type)];
        mine += "{";
        for (int64_t j = 0; j < b[static_cast<size_t>(slot)] && j < t.capacity; ++j) {
          mine += (j ? ", " : "") +
                  ir::format_value(m, t.key, b[static_cast<size_t>(slot + 1 + 2 * j)]) + ": " +
                  ir::format_value(m, t.value, b[static_cast<size_t>(slot + 2 + 2 * j)]);
        }
        mine += "}";
      } else {
        mine += ir::format_value(m, var.type, b[static_cast<size_t>(slot)]);
      }
    }
    for (size_t t = 0; t < il.timers.size() && t < role.timers.size(); ++t) {
      const size_t s = static_cast<size_t>(il.timers[t]);
      if (s >= a.size() || s >= b.size() || a[s] == b[s]) continue;
      mine += " " + role.timers[t].name + (b[s] ? " started" : " stopped");
    }
    if (!mine.empty()) out += (out.empty() ? "" : "; ") + inst.name + ":" + mine;
  }
  return out;
}

}  // namespace

std::string format_msc(const ir::TransitionSystem& ts, const Trace& trace,
                       const MscOptions& options) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  Chart chart(ts);
  std::ostringstream o;

  std::string head = chart.row("step");
  for (size_t i = 0; i < sys.instances.size(); ++i) chart.put(head, i, sys.instances[i].name);
  o << chart.annotate(head, "");
  std::string init = chart.row("");
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    const int s = ts.control_state(trace.initial, static_cast<int>(i));
    init[kIndent + i * chart.width()] = ' ';
    chart.put(init, i, s >= 0 && s < static_cast<int>(role.states.size()) ? role.states[static_cast<size_t>(s)] : "?");
  }
  o << chart.annotate(init, "initial state");

  const ir::Slots* prev = &trace.initial;
  for (size_t n = 0; n < trace.steps.size(); ++n) {
    const TraceStep& st = trace.steps[n];
    const ir::Label& l = st.label;
    if (trace.loop_start && *trace.loop_start == n) {
      o << chart.annotate(chart.row(""), "---- the cycle starts here (repeats forever) ----");
    }
    if (l.instance < 0 || l.instance >= static_cast<int>(sys.instances.size())) {
      o << chart.annotate(chart.row(std::to_string(n + 1)), "(a step of no instance)");
      continue;
    }
    const size_t col = static_cast<size_t>(l.instance);
    const ir::Instance& inst = sys.instances[col];
    const ir::Role& role = m.roles[static_cast<size_t>(inst.role)];
    const bool known = l.transition >= 0 && l.transition < static_cast<int>(role.transitions.size());
    std::string note = inst.name + "." + (known ? role.transitions[static_cast<size_t>(l.transition)].name
                                               : "#" + std::to_string(l.transition));
    if (known) {
      const ir::Transition& tr = role.transitions[static_cast<size_t>(l.transition)];
      note += "  " + EventText(ts, role, tr, l);
      if (!tr.cite.empty()) note += "  [" + tr.cite + "]";
    }
    std::string line = chart.row(std::to_string(n + 1));
    std::string marker = "*";
    if (known) marker += " " + role.transitions[static_cast<size_t>(l.transition)].name;
    if (marker.size() > chart.width() - 1) marker = "*";
    line.replace(kIndent + col * chart.width(), 1, " ");
    chart.put(line, col, marker);
    o << chart.annotate(line, note);

    const int before = ts.control_state(*prev, l.instance);
    const int after = st.error ? before : ts.control_state(st.state, l.instance);
    if (before != after) {
      std::string s = chart.row("");
      s[kIndent + col * chart.width()] = ' ';
      chart.put(s, col, after >= 0 && after < static_cast<int>(role.states.size())
                            ? role.states[static_cast<size_t>(after)]
                            : "?");
      const std::string b = before >= 0 && before < static_cast<int>(role.states.size())
                                ? role.states[static_cast<size_t>(before)]
                                : "?";
      o << chart.annotate(s, b + " -> " + role.states[static_cast<size_t>(after)]);
    }
    for (const ir::SendEvent& se : l.sends) {
      if (se.queue < 0 || se.queue >= static_cast<int>(sys.queues.size())) continue;
      const ir::Queue& q = sys.queues[static_cast<size_t>(se.queue)];
      std::string text = "-> " + ts.message_text(q.message, se.fields);
      if (q.receiver >= 0) text += " to " + sys.instances[static_cast<size_t>(q.receiver)].name;
      if (se.lost) text += "  LOST";
      if (se.duplicated) text += "  DUPLICATED";
      const size_t to = q.receiver >= 0 ? static_cast<size_t>(q.receiver) : col;
      o << chart.annotate(chart.arrow(col, to, se.lost, se.duplicated), text);
    }
    if (st.error) {
      std::string e = chart.row("");
      e[kIndent + col * chart.width()] = 'E';
      std::string msg = "ERROR: " + st.error->message;
      if (st.error->line > 0) msg += " (line " + std::to_string(st.error->line) + ")";
      o << chart.annotate(e, msg);
      break;
    }
    if (options.variables) {
      std::string ch = Changes(ts, *prev, st.state);
      if (!ch.empty()) o << chart.annotate(chart.row(""), ch);
    }
    prev = &st.state;
  }
  if (trace.loop_start) {
    o << chart.annotate(chart.row(""), "---- back to the start of the cycle ----");
  }
  if (!trace.verdict.empty()) {
    std::string v = trace.verdict;
    if (trace.end == TraceEnd::kInvariant || trace.end == TraceEnd::kCycle || trace.end == TraceEnd::kDeadlock) {
      if (!trace.property.empty() && v.find(trace.property) == std::string::npos) {
        v = trace.property + ": " + v;
      }
    }
    o << "  => " << v << "\n";
  }
  if (options.final_state) {
    o << "final state:\n";
    std::istringstream lines(ts.describe_state(*prev));
    for (std::string s; std::getline(lines, s);) o << "    " << s << "\n";
  }
  return o.str();
}

util::MscChart msc_chart(const ir::TransitionSystem& ts, const Trace& trace) {
  using Row = util::MscRow;
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  util::MscChart chart;
  chart.title = "system " + sys.name + (trace.verdict.empty() ? "" : ": " + trace.verdict);
  auto state_name = [&](size_t i, const ir::Slots& s) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    const int c = ts.control_state(s, static_cast<int>(i));
    return c >= 0 && c < static_cast<int>(role.states.size()) ? role.states[static_cast<size_t>(c)] : "?";
  };
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    chart.lifelines.push_back(sys.instances[i].name);
    chart.initial.push_back(state_name(i, trace.initial));
  }
  const ir::Slots* prev = &trace.initial;
  for (size_t n = 0; n < trace.steps.size(); ++n) {
    const TraceStep& st = trace.steps[n];
    const ir::Label& l = st.label;
    if (trace.loop_start && *trace.loop_start == n) {
      chart.rows.push_back({Row::Kind::kNote, 0, 0, "", "the cycle starts here (repeats forever)", "", false, false, false});
    }
    if (l.instance < 0 || l.instance >= static_cast<int>(sys.instances.size())) continue;
    const size_t col = static_cast<size_t>(l.instance);
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[col].role)];
    Row step{Row::Kind::kStep, col, col, std::to_string(n + 1), sys.instances[col].name + ".#" + std::to_string(l.transition), "", false, false, false};
    if (l.transition >= 0 && l.transition < static_cast<int>(role.transitions.size())) {
      const ir::Transition& tr = role.transitions[static_cast<size_t>(l.transition)];
      step.text = sys.instances[col].name + "." + tr.name + "  " + EventText(ts, role, tr, l);
      step.cite = tr.cite;
    }
    chart.rows.push_back(step);
    if (st.error) {
      std::string msg = "ERROR: " + st.error->message;
      if (st.error->line > 0) msg += " (line " + std::to_string(st.error->line) + ")";
      chart.rows.push_back({Row::Kind::kError, col, col, "", msg, "", false, false, false});
      break;
    }
    const std::string before = state_name(col, *prev), after = state_name(col, st.state);
    if (before != after) chart.rows.push_back({Row::Kind::kState, col, col, after, before + " -> " + after, "", false, false, false});
    for (const ir::SendEvent& se : l.sends) {
      if (se.queue < 0 || se.queue >= static_cast<int>(sys.queues.size())) continue;
      const ir::Queue& q = sys.queues[static_cast<size_t>(se.queue)];
      const size_t to = q.receiver >= 0 ? static_cast<size_t>(q.receiver) : col;
      chart.rows.push_back({Row::Kind::kMessage, col, to, "", ts.message_text(q.message, se.fields), "", se.lost,
                            se.duplicated, false});
    }
    if (std::string ch = Changes(ts, *prev, st.state); !ch.empty()) {
      chart.rows.push_back({Row::Kind::kNote, col, col, "", ch, "", false, false, false});
    }
    prev = &st.state;
  }
  if (trace.loop_start) chart.rows.push_back({Row::Kind::kNote, 0, 0, "", "back to the start of the cycle", "", false, false, false});
  if (!trace.verdict.empty()) chart.rows.push_back({Row::Kind::kNote, 0, 0, "", "=> " + trace.verdict, "", false, false, false});
  return chart;
}

}  // namespace sp::checker
