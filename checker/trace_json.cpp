#include "checker/trace_json.hpp"

#include <nlohmann/json.hpp>

#include "checker/lasso_recheck.hpp"

namespace sp::checker {

namespace {

using Json = nlohmann::json;          // reading and comparing (key order does not matter)
using OJson = nlohmann::ordered_json;  // writing (keys in a readable order)

// How to print the value of each slot of the state vector.
enum class SlotKind { kInt, kBool, kState, kTyped };
struct SlotFmt {
  SlotKind kind = SlotKind::kInt;
  ir::TypeId type = -1;
  const ir::Role* role = nullptr;
};

std::vector<SlotFmt> SlotFormats(const ir::TransitionSystem& ts) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  const ir::Layout& lay = ts.layout();
  std::vector<SlotFmt> f(lay.slots.size());
  auto set = [&](int slot, SlotFmt v) {
    if (slot >= 0 && slot < static_cast<int>(f.size())) f[static_cast<size_t>(slot)] = v;
  };
  for (size_t i = 0; i < sys.instances.size() && i < lay.instances.size(); ++i) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    const ir::InstanceLayout& il = lay.instances[i];
    set(il.state, {SlotKind::kState, -1, &role});
    for (size_t v = 0; v < role.vars.size() && v < il.vars.size(); ++v) {
      const ir::TypeId t = role.vars[v].type;
      if (t >= 0 && m.types[static_cast<size_t>(t)].kind == ir::TypeKind::kMap) {
        const ir::Type& mt = m.types[static_cast<size_t>(t)];
        for (int k = 0; k < mt.capacity; ++k) {
          set(il.vars[v] + 1 + 2 * k, {SlotKind::kTyped, mt.key, nullptr});
          set(il.vars[v] + 2 + 2 * k, {SlotKind::kTyped, mt.value, nullptr});
        }
      } else {
        set(il.vars[v], {SlotKind::kTyped, t, nullptr});
      }
    }
    for (int t : il.timers) set(t, {SlotKind::kBool, -1, nullptr});
  }
  for (size_t q = 0; q < sys.queues.size() && q < lay.queues.size(); ++q) {
    const ir::QueueLayout& ql = lay.queues[q];
    const int msg = sys.queues[q].message;
    if (msg < 0 || ql.fields == 0) continue;
    const ir::Message& mm = m.messages[static_cast<size_t>(msg)];
    for (int k = 0; k < sys.queues[q].capacity; ++k) {
      for (int fi = 0; fi < ql.fields; ++fi) {
        set(ql.first + k * ql.fields + fi, {SlotKind::kTyped, mm.fields[static_cast<size_t>(fi)].type, nullptr});
      }
    }
  }
  return f;
}

Json ValueJson(const ir::Model& m, ir::TypeId type, int64_t v) {
  if (type < 0 || type >= static_cast<int>(m.types.size())) return v;
  switch (m.types[static_cast<size_t>(type)].kind) {
    case ir::TypeKind::kBool:
      if (v == 0 || v == 1) return v == 1;
      return v;
    case ir::TypeKind::kInt:
    case ir::TypeKind::kSeq:
    case ir::TypeKind::kDuration:
    case ir::TypeKind::kMap:
      return v;
    default:
      return ir::format_value(m, type, v);
  }
}

Json SlotJson(const ir::Model& m, const SlotFmt& f, int64_t v) {
  switch (f.kind) {
    case SlotKind::kInt: return v;
    case SlotKind::kBool: return v != 0;
    case SlotKind::kState:
      if (v >= 0 && v < static_cast<int64_t>(f.role->states.size())) return f.role->states[static_cast<size_t>(v)];
      return v;
    case SlotKind::kTyped: return ValueJson(m, f.type, v);
  }
  return v;
}

Json StateJson(const ir::TransitionSystem& ts, const std::vector<SlotFmt>& fmts, const ir::Slots& s) {
  Json j = Json::object();
  const auto& slots = ts.layout().slots;
  for (size_t i = 0; i < slots.size() && i < s.size(); ++i) j[slots[i].name] = SlotJson(ts.model(), fmts[i], s[i]);
  return j;
}

OJson StateOJson(const ir::TransitionSystem& ts, const std::vector<SlotFmt>& fmts, const ir::Slots& s) {
  OJson j = OJson::object();
  const auto& slots = ts.layout().slots;
  for (size_t i = 0; i < slots.size() && i < s.size(); ++i) {
    j[slots[i].name] = OJson(SlotJson(ts.model(), fmts[i], s[i]));
  }
  return j;
}

Json FieldsJson(const ir::Model& m, int message, const std::vector<int64_t>& fields) {
  Json j = Json::object();
  if (message < 0 || message >= static_cast<int>(m.messages.size())) return j;
  const ir::Message& mm = m.messages[static_cast<size_t>(message)];
  for (size_t f = 0; f < mm.fields.size() && f < fields.size(); ++f) {
    j[mm.fields[f].name] = ValueJson(m, mm.fields[f].type, fields[f]);
  }
  return j;
}

const char* EventName(ir::EventKind k) {
  switch (k) {
    case ir::EventKind::kRecv: return "recv";
    case ir::EventKind::kCall: return "call";
    case ir::EventKind::kTimeout: return "timeout";
    case ir::EventKind::kInternal: return "internal";
  }
  return "?";
}

const char* EndName(TraceEnd e) {
  switch (e) {
    case TraceEnd::kNone: return "none";
    case TraceEnd::kInvariant: return "invariant";
    case TraceEnd::kDeadlock: return "deadlock";
    case TraceEnd::kError: return "error";
    case TraceEnd::kCycle: return "cycle";
  }
  return "none";
}

std::optional<TraceEnd> ParseEnd(const std::string& s) {
  for (TraceEnd e : {TraceEnd::kNone, TraceEnd::kInvariant, TraceEnd::kDeadlock, TraceEnd::kError,
                     TraceEnd::kCycle}) {
    if (s == EndName(e)) return e;
  }
  return std::nullopt;
}

// The label of a step as JSON (what replay matches), without the resulting state.
Json LabelJson(const ir::TransitionSystem& ts, const ir::Label& l, const std::optional<ir::StepError>& error) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  Json j = Json::object();
  if (l.instance < 0 || l.instance >= static_cast<int>(sys.instances.size())) return j;
  const ir::Instance& inst = sys.instances[static_cast<size_t>(l.instance)];
  const ir::Role& role = m.roles[static_cast<size_t>(inst.role)];
  j["instance"] = inst.name;
  if (l.transition < 0 || l.transition >= static_cast<int>(role.transitions.size())) return j;
  const ir::Transition& tr = role.transitions[static_cast<size_t>(l.transition)];
  j["transition"] = tr.name;
  if (l.recv_queue >= 0 && l.recv_queue < static_cast<int>(sys.queues.size())) {
    const ir::Queue& q = sys.queues[static_cast<size_t>(l.recv_queue)];
    Json r = {{"queue", q.name}, {"message", m.messages[static_cast<size_t>(q.message)].name},
              {"fields", FieldsJson(m, q.message, l.received)}};
    if (q.bag) r["position"] = l.recv_position;
    if (q.redeliver) r["kept"] = l.redelivered;  // `dup redeliver`: left in the queue
    j["received"] = r;
  }
  if (tr.event == ir::EventKind::kCall && tr.event_index >= 0 &&
      tr.event_index < static_cast<int>(role.calls.size())) {
    const ir::Call& c = role.calls[static_cast<size_t>(tr.event_index)];
    Json a = Json::object();
    for (size_t k = 0; k < c.params.size() && k < l.args.size(); ++k) {
      a[c.params[k].name] = ValueJson(m, c.params[k].type, l.args[k]);
    }
    j["args"] = a;
  }
  Json sends = Json::array();
  for (const ir::SendEvent& s : l.sends) {
    if (s.queue < 0 || s.queue >= static_cast<int>(sys.queues.size())) continue;
    const ir::Queue& q = sys.queues[static_cast<size_t>(s.queue)];
    sends.push_back({{"queue", q.name},
                     {"to", q.receiver >= 0 ? sys.instances[static_cast<size_t>(q.receiver)].name : ""},
                     {"message", m.messages[static_cast<size_t>(q.message)].name},
                     {"fields", FieldsJson(m, q.message, s.fields)},
                     {"lost", s.lost},
                     {"dup", s.duplicated}});
  }
  j["sends"] = sends;
  if (error) j["error"] = {{"message", error->message}, {"line", error->line}};
  return j;
}

// The keys of a recorded step that replay matches against a successor's label.
const char* const kLabelKeys[] = {"instance", "transition", "received", "args", "sends", "error"};

constexpr int kTraceVersion = 1;

// What makes the document no trace this code reads, or "": the header fields, and the
// type of every field the replay reads (so a malformed file is told apart from a trace
// that does not replay).
std::string Malformed(const Json& j) {
  if (!j.is_object() || j.value("format", Json()) != "stateproof-trace") {
    return "not a stateproof trace (no \"format\": \"stateproof-trace\")";
  }
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != kTraceVersion) {
    return "trace version " + (j.contains("version") ? j["version"].dump() : std::string("missing")) +
           " (this stateproof reads version " + std::to_string(kTraceVersion) + ")";
  }
  if (!j.contains("system") || !j["system"].is_string()) return "the trace names no system";
  for (const char* key : {"property", "end", "verdict"}) {
    if (j.contains(key) && !j[key].is_string()) return std::string("\"") + key + "\" is not a string";
  }
  if (!ParseEnd(j.value("end", std::string("none")))) return "unknown \"end\": " + j["end"].dump();
  for (const char* key : {"initial", "consts"}) {
    if (j.contains(key) && !j[key].is_object()) return std::string("\"") + key + "\" is not an object";
  }
  if (j.contains("seq_bits") && !j["seq_bits"].is_number_integer()) return "\"seq_bits\" is not an integer";
  if (j.contains("loop_start") && !j["loop_start"].is_null() && !j["loop_start"].is_number_unsigned()) {
    return "\"loop_start\" is neither null nor a step index";
  }
  if (!j.contains("steps") || !j["steps"].is_array()) return "the trace has no \"steps\" array";
  for (size_t k = 0; k < j["steps"].size(); ++k) {
    const Json& step = j["steps"][k];
    const std::string where = "step " + std::to_string(k + 1) + ": ";
    if (!step.is_object()) return where + "not an object";
    for (const char* key : {"instance", "transition"}) {
      if (!step.contains(key) || !step[key].is_string()) return where + "no string \"" + key + "\"";
    }
    if (step.contains("state") && !step["state"].is_object()) return where + "\"state\" is not an object";
  }
  return "";
}

std::string Short(const Json& j) {
  std::string s = j.dump();
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return s;
}

// The first difference between two states as JSON objects, or "".
std::string StateDiff(const Json& recorded, const Json& actual) {
  for (auto it = actual.begin(); it != actual.end(); ++it) {
    if (!recorded.contains(it.key())) return "slot " + it.key() + " is missing from the trace";
    if (recorded[it.key()] != it.value()) {
      return "slot " + it.key() + " is " + it.value().dump() + ", the trace says " +
             recorded[it.key()].dump();
    }
  }
  for (auto it = recorded.begin(); it != recorded.end(); ++it) {
    if (!actual.contains(it.key())) return "the trace has slot " + it.key() + ", the system does not";
  }
  return "";
}

std::string StepName(const Json& step) {
  std::string s = step.value("instance", std::string("?")) + "." + step.value("transition", std::string("?"));
  return s;
}

}  // namespace

std::string trace_to_json(const ir::TransitionSystem& ts, const Trace& trace, const TraceInfo& info) {
  const ir::Model& m = ts.model();
  const ir::System& sys = ts.system();
  const std::vector<SlotFmt> fmts = SlotFormats(ts);
  OJson j;
  j["format"] = "stateproof-trace";
  j["version"] = kTraceVersion;
  j["protocol"] = m.protocol;
  if (!info.spec.empty()) j["spec"] = info.spec;
  if (!info.engine.empty()) j["engine"] = info.engine;
  j["system"] = sys.name;
  OJson consts = OJson::object();
  for (const auto& [name, value] : m.consts) consts[name] = value;
  j["consts"] = consts;
  if (info.seq_bits) j["seq_bits"] = *info.seq_bits;
  j["property"] = trace.property;
  j["end"] = EndName(trace.end);
  j["verdict"] = trace.verdict;
  j["loop_start"] = trace.loop_start ? OJson(*trace.loop_start) : OJson(nullptr);
  j["initial"] = StateOJson(ts, fmts, trace.initial);
  OJson steps = OJson::array();
  const ir::Slots* prev = &trace.initial;
  for (const TraceStep& st : trace.steps) {
    const ir::Label& l = st.label;
    Json label = LabelJson(ts, l, st.error);
    OJson s;
    s["instance"] = label.value("instance", "");
    s["transition"] = label.value("transition", "");
    if (l.instance >= 0 && l.instance < static_cast<int>(sys.instances.size())) {
      const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(l.instance)].role)];
      if (l.transition >= 0 && l.transition < static_cast<int>(role.transitions.size())) {
        const ir::Transition& tr = role.transitions[static_cast<size_t>(l.transition)];
        s["cite"] = tr.cite;
        s["event"] = EventName(tr.event);
        if (tr.event == ir::EventKind::kTimeout && tr.event_index >= 0 &&
            tr.event_index < static_cast<int>(role.timers.size())) {
          s["timer"] = role.timers[static_cast<size_t>(tr.event_index)].name;
        }
        const int before = ts.control_state(*prev, l.instance);
        const int after = st.error ? before : ts.control_state(st.state, l.instance);
        auto name = [&](int x) {
          return x >= 0 && x < static_cast<int>(role.states.size()) ? role.states[static_cast<size_t>(x)]
                                                                      : std::to_string(x);
        };
        s["from"] = name(before);
        s["to"] = name(after);
      }
    }
    for (const char* k : {"received", "args", "sends", "error"}) {
      if (label.contains(k)) s[k] = OJson::parse(label[k].dump());
    }
    if (!st.error) s["state"] = StateOJson(ts, fmts, st.state);
    steps.push_back(std::move(s));
    if (!st.error) prev = &st.state;
  }
  j["steps"] = std::move(steps);
  return j.dump(2) + "\n";
}

std::optional<std::string> trace_file_system(const std::string& json_text, std::string* error) {
  try {
    Json j = Json::parse(json_text);
    const std::string why = Malformed(j);
    if (!why.empty()) {
      if (error) *error = why;
      return std::nullopt;
    }
    return j["system"].get<std::string>();
  } catch (const Json::exception& e) {
    if (error) *error = std::string("not valid JSON: ") + e.what();
    return std::nullopt;
  }
}

TraceCompile trace_file_compile(const std::string& json_text) {
  TraceCompile out;
  try {
    const Json j = Json::parse(json_text);
    if (!j.is_object()) return out;
    if (j.contains("consts") && j["consts"].is_object()) {
      for (auto it = j["consts"].begin(); it != j["consts"].end(); ++it) {
        if (it.value().is_number_integer()) out.consts.emplace_back(it.key(), it.value().get<int64_t>());
      }
    }
    if (j.contains("seq_bits") && j["seq_bits"].is_number_integer()) out.seq_bits = j["seq_bits"].get<int>();
  } catch (const Json::exception&) {
  }
  return out;
}

ReplayResult replay_trace(const ir::TransitionSystem& ts, const std::string& json_text) {
  ReplayResult r;
  const ir::Model& m = ts.model();
  Json j;
  try {
    j = Json::parse(json_text);
  } catch (const Json::exception& e) {
    r.mismatch = std::string("not valid JSON: ") + e.what();
    return r;
  }
  try {
    r.mismatch = Malformed(j);
    if (!r.mismatch.empty()) return r;
    if (j.value("system", std::string()) != ts.system().name) {
      r.mismatch = "the trace is of system '" + j.value("system", std::string()) + "', not '" +
                   ts.system().name + "'";
      return r;
    }
    std::optional<TraceEnd> end = ParseEnd(j.value("end", std::string("none")));
    r.parsed = true;
    const std::vector<SlotFmt> fmts = SlotFormats(ts);
    Trace& t = r.trace;
    t.system = ts.system().name;
    t.initial = ts.initial_state();
    t.end = *end;
    t.property = j.value("property", std::string());
    if (j.contains("loop_start") && j["loop_start"].is_number_unsigned()) {
      t.loop_start = j["loop_start"].get<size_t>();
    }
    if (j.contains("initial")) {
      std::string d = StateDiff(j["initial"], StateJson(ts, fmts, t.initial));
      if (!d.empty()) {
        r.mismatch = "initial state: " + d;
        return r;
      }
    }
    const Json& steps = j["steps"];
    std::vector<ir::Successor> succ;
    for (size_t k = 0; k < steps.size(); ++k) {
      const Json& step = steps[k];
      const ir::Slots& cur = t.steps.empty() ? t.initial : t.steps.back().state;
      if (!t.steps.empty() && t.steps.back().error) {
        r.mismatch = "step " + std::to_string(k + 1) + ": the run already ended with a checking error";
        return r;
      }
      succ.clear();
      ts.successors(cur, [&](const ir::Successor& s) { succ.push_back(s); });
      std::vector<size_t> candidates;
      for (size_t c = 0; c < succ.size(); ++c) {
        Json label = LabelJson(ts, succ[c].label, succ[c].error);
        bool same = true;
        for (const char* key : kLabelKeys) {
          const bool a = step.contains(key), b = label.contains(key);
          if (std::string(key) == "sends" && !a && b && label[key].empty()) continue;
          if (a != b || (a && step[key] != label[key])) {
            same = false;
            break;
          }
        }
        if (same) candidates.push_back(c);
      }
      const std::string where = "step " + std::to_string(k + 1) + " (" + StepName(step) + "): ";
      if (candidates.empty()) {
        std::string enabled;
        size_t shown = 0;
        for (const ir::Successor& s : succ) {
          Json label = LabelJson(ts, s.label, s.error);
          std::string n = label.value("instance", "?") + "." + label.value("transition", "?");
          if (enabled.find(n) != std::string::npos) continue;
          if (++shown > 12) {
            enabled += ", ...";
            break;
          }
          enabled += (enabled.empty() ? "" : ", ") + n;
        }
        bool name_enabled = false;
        for (const ir::Successor& s : succ) {
          Json label = LabelJson(ts, s.label, s.error);
          if (label.value("instance", "") == step.value("instance", "") &&
              label.value("transition", "") == step.value("transition", "")) {
            name_enabled = true;
          }
        }
        if (name_enabled) {
          r.mismatch = where + "the transition is enabled but not with the recorded message, "
                               "arguments, sends or error: " + Short(step);
        } else {
          r.mismatch = where + "not enabled here" +
                       (enabled.empty() ? std::string(" (no transition is)") : "; enabled: " + enabled);
        }
        return r;
      }
      size_t pick = candidates[0];
      std::string diff;
      if (step.contains("state")) {
        bool found = false;
        for (size_t c : candidates) {
          if (succ[c].error) continue;
          std::string d = StateDiff(step["state"], StateJson(ts, fmts, succ[c].state));
          if (d.empty()) {
            pick = c;
            found = true;
            break;
          }
          if (diff.empty()) diff = d;
        }
        if (!found) {
          r.mismatch = where + "the resulting state differs: " + diff;
          return r;
        }
      }
      TraceStep ts_step;
      ts_step.label = succ[pick].label;
      if (succ[pick].error) {
        ts_step.error = succ[pick].error;
        ts_step.state = cur;
      } else {
        ts_step.state = succ[pick].state;
      }
      t.steps.push_back(std::move(ts_step));
      ++r.steps_matched;
    }
    r.replayed = true;

    // Recheck the verdict on the end of the run.
    const ir::Slots& last = t.steps.empty() ? t.initial : t.steps.back().state;
    const bool ended_in_error = !t.steps.empty() && t.steps.back().error.has_value();
    const int p = t.property.empty() ? -1 : m.find_property(t.property);
    switch (t.end) {
      case TraceEnd::kNone:
        r.verdict_matches = !ended_in_error;
        r.verdict = ended_in_error ? "the run ends with a checking error" : "the run replays";
        break;
      case TraceEnd::kError:
        r.verdict_matches = ended_in_error;
        if (ended_in_error) {
          r.verdict = "checking error: " + t.steps.back().error->message;
          if (t.steps.back().error->line > 0) r.verdict += " (line " + std::to_string(t.steps.back().error->line) + ")";
        } else {
          r.verdict = "the run does not end with a checking error";
        }
        break;
      case TraceEnd::kInvariant: {
        if (p < 0 || m.properties[static_cast<size_t>(p)].kind != ir::PropertyKind::kInvariant) {
          r.verdict = "the spec has no invariant '" + t.property + "'";
          break;
        }
        std::string err;
        std::optional<int64_t> v = ts.eval(last, m.properties[static_cast<size_t>(p)].invariant, &err);
        r.verdict_matches = !ended_in_error && (!v || *v == 0);
        r.verdict = r.verdict_matches
                        ? "invariant " + t.property + (v ? " is violated" : " cannot be evaluated: " + err)
                        : "invariant " + t.property + " holds in the last state";
        break;
      }
      case TraceEnd::kDeadlock: {
        if (p >= 0 && m.properties[static_cast<size_t>(p)].kind == ir::PropertyKind::kLtl) {
          // An LTL counterexample that ends in a state without steps (the stutter).
          const LassoRecheck lr = recheck_lasso(ts, m.properties[static_cast<size_t>(p)], t);
          r.verdict_matches = lr.violates;
          r.verdict = lr.verdict;
          break;
        }
        if (!t.property.empty() && (p < 0 || m.properties[static_cast<size_t>(p)].kind != ir::PropertyKind::kDeadlock)) {
          r.verdict = "the spec has no deadlock or LTL property '" + t.property + "'";
          break;
        }
        size_t n = 0;
        ts.successors(last, [&](const ir::Successor&) { ++n; });
        bool excused = false;
        if (p >= 0 && m.properties[static_cast<size_t>(p)].kind == ir::PropertyKind::kDeadlock &&
            m.properties[static_cast<size_t>(p)].except) {
          std::optional<int64_t> v = ts.eval(last, *m.properties[static_cast<size_t>(p)].except);
          excused = v && *v != 0;
        }
        r.verdict_matches = !ended_in_error && n == 0 && !excused;
        r.verdict = n != 0 ? "the last state has " + std::to_string(n) + " successors: no deadlock"
                    : excused ? "the last state is excused by the property's `except`"
                              : "deadlock: no transition is enabled";
        break;
      }
      case TraceEnd::kCycle: {
        if (p < 0 || m.properties[static_cast<size_t>(p)].kind != ir::PropertyKind::kLtl) {
          r.verdict = "the spec has no LTL property '" + t.property + "'";
          break;
        }
        // The lasso must close, violate the formula as the spec states it now, and be fair.
        const LassoRecheck lr = recheck_lasso(ts, m.properties[static_cast<size_t>(p)], t);
        r.verdict_matches = lr.violates;
        r.verdict = lr.verdict;
        break;
      }
    }
    t.verdict = r.verdict;
  } catch (const Json::exception& e) {
    r.mismatch = std::string("malformed trace: ") + e.what();
    r.parsed = false;
    r.replayed = false;
  }
  return r;
}

}  // namespace sp::checker
