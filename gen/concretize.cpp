#include "gen/concretize.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

#include "gen/allows.hpp"
#include "gen/spt_writer.hpp"
#include "gen/wire_format.hpp"
#include "util/z3_context.hpp"

namespace sp::gen {

namespace {

// Tolerance of timer expiries: expected in [d * (1 - kTol), d * (1 + kTol) + kSlack].
constexpr double kTol = 0.25;
constexpr double kSlack = 0.2;
// How long an `expect state` at a timer's lower bound may take to observe the state that
// must still hold there.
constexpr double kStateNow = 0.1;

uint64_t Value(const z3::model& m, const z3::expr& e) {
  z3::expr v = m.eval(e, true);
  if (v.is_bool()) return v.is_true() ? 1 : 0;
  uint64_t out = 0;
  if (v.is_numeral()) v.is_numeral_u64(out);
  return out;
}

uint64_t Fnv(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string Seconds(double s) { return seconds_text(s); }

// The state a step starts from.
const SymState& Pre(const Explorer& ex, const std::vector<const Node*>& steps, size_t i) {
  return i == 0 ? ex.node(0).state : steps[i - 1]->state;
}

// Does the step send a TCP segment with SYN (one that tells the tester the IUT's ISN)?
bool SendsSyn(const ir::Model& model, const Node& n) {
  for (const SymSend& snd : n.sends) {
    const ir::Message& msg = model.messages[snd.message];
    if (msg.wire != "tcp") continue;
    for (size_t f = 0; f < msg.fields.size(); ++f) {
      if (msg.fields[f].name != "flags") continue;
      const z3::expr v = snd.fields[f].simplify();
      uint64_t bits = 0;
      if (v.is_numeral() && v.is_numeral_u64(bits) &&
          (flag_bits(model, msg.fields[f].type, bits) & 0x02)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Concretizer::Concretizer(Explorer& ex) : ex_(ex), validity_(ex.encoder().ctx()) {
  leave_sigint_alone(validity_);
  z3::params p(ex.encoder().ctx());
  if (ex.options().query_rlimit) p.set("rlimit", ex.options().query_rlimit);
  validity_.set(p);
}

std::optional<TestCase> Concretizer::run(const ConcretizeInput& in, std::string* why) {
  const Encoder& enc = ex_.encoder();
  const ir::Model& model = enc.model();
  const ir::Role& role = enc.role();
  z3::context& c = enc.ctx();
  z3::solver& s = ex_.solver();

  std::vector<const Node*> steps;
  for (int id : ex_.path(in.base)) steps.push_back(&ex_.node(id));
  for (const Node* n : in.tail) steps.push_back(n);
  if (steps.empty()) {
    *why = "empty path";
    return std::nullopt;
  }

  ex_.enter(in.base);
  s.push();
  int pushes = 1;
  struct Popper {
    z3::solver& s;
    int& n;
    ~Popper() {
      if (n > 0) s.pop(static_cast<unsigned>(n));
    }
  } popper{s, pushes};
  z3::expr pc = c.bool_val(true);
  for (int id : ex_.path(in.base)) pc = pc && ex_.node(id).constraint;
  for (const Node* n : in.tail) {
    ex_.assume(n->constraint);
    pc = pc && n->constraint;
  }
  if (in.extra) {
    ex_.assume(*in.extra);
    pc = pc && *in.extra;
  }
  std::vector<std::string> tc_notes;
  // Steps where another transition takes the same stimulus: the test writes their
  // outcomes as `or` lines (docs/test-format.md, "Alternatives").
  std::vector<char> open_step(steps.size(), 0);
  z3::check_result r = ex_.check_current();
  if (r != z3::sat) {
    *why = r == z3::unsat ? "constraints unsatisfiable" : "solver gave up (unknown)";
    return std::nullopt;
  }

  // Determinism: no other transition may take any stimulus of the path (soft: when
  // impossible, the test says so).
  for (size_t i = 0; i < steps.size(); ++i) {
    const z3::expr& ex = steps[i]->exclusion;
    if (ex.is_true()) continue;
    if (ex_.check(ex) == z3::sat) {
      s.push();
      ++pushes;
      ex_.assume(ex);
    } else {
      open_step[i] = 1;
    }
  }

  std::mt19937_64 rng(in.seed * 0x9E3779B97F4A7C15ull ^ Fnv(in.name));
  std::vector<z3::expr> fixed;
  auto try_fix = [&](const z3::expr& cond) {
    if (ex_.check(cond) != z3::sat) return false;
    s.push();
    ++pushes;
    ex_.assume(cond);
    fixed.push_back(cond);
    return true;
  };
  auto fix_to_model = [&](const z3::expr& sym) {
    if (ex_.check_current() != z3::sat) return;
    z3::model m = s.get_model();
    z3::expr v = m.eval(sym, true);
    s.push();
    ++pushes;
    ex_.assume(sym == v);
    fixed.push_back(sym == v);
  };

  // The tester's ISN stays free (expected values are relative to it) except in tests
  // that set it (wrap-around), where it is fixed once the other choices are.
  const z3::expr& T = enc.tester_isn();

  // Relative values mean something only once their sequence space is anchored
  // (docs/test-format.md): the tester's by its first injected segment (its SYN carries
  // the ISN, RFC 9293 §3.4, so that one is at 0 or where the path puts it), the IUT's by
  // the IUT's first SYN (before it the harness counts the ISN as 0, so an `ack` there is
  // absolute). A seed's random values are tried only in an anchored space.
  bool tester_anchored = false, iut_anchored = false;

  // The tester's choices, step by step.
  for (size_t i = 0; i < steps.size(); ++i) {
    const SymState& pre = Pre(ex_, steps, i);
    for (const Choice& ch : steps[i]->choices) {
      const ir::TypeKind k = enc.kind(ch.type);
      const unsigned w = ch.sym.is_bool() ? 1 : ch.sym.get_sort().bv_size();
      bool done = false;
      const bool anchored = ch.space == 0 || (ch.space == 1 ? tester_anchored : iut_anchored);
      if (in.seed != 0 && anchored && (k == ir::TypeKind::kSeq || k == ir::TypeKind::kInt)) {
        uint64_t v = rng();
        if (k == ir::TypeKind::kInt) {
          const ir::Type& t = model.types[ch.type];
          uint64_t span = static_cast<uint64_t>(t.hi - t.lo) + 1;
          v = static_cast<uint64_t>(t.lo) + (span ? v % span : 0);
        } else if (w < 64) {
          v &= (uint64_t{1} << w) - 1;
        }
        done = try_fix(ch.sym == c.bv_val(v, w));
      }
      if (!done && ch.space != 0) {
        // Where the IUT's own variables point in that sequence space, latest first.
        const z3::expr base = enc.coerce(ch.space == 1 ? T : enc.iut_isn(), ch.sym.get_sort());
        for (size_t v = role.vars.size(); v-- > 0 && !done;) {
          if (!enc.is_seq(role.vars[v].type)) continue;
          const z3::expr& x = pre.vars[v];
          if (!contains(x, ch.space == 1 ? T : enc.iut_isn())) continue;
          done = try_fix(ch.sym == (x - base).simplify());
        }
      }
      if (!done && k == ir::TypeKind::kSet && ex_.check_current() == z3::sat) {
        // Fewest flags: clear the model's bits one by one, highest first.
        uint64_t v = Value(s.get_model(), ch.sym);
        for (unsigned b = w; b-- > 0;) {
          if (!((v >> b) & 1)) continue;
          if (try_fix(ch.sym == c.bv_val(v & ~(uint64_t{1} << b), w))) {
            v &= ~(uint64_t{1} << b);
            done = true;
          }
        }
        if (!done) done = try_fix(ch.sym == c.bv_val(v, w));
      } else if (!done && (k == ir::TypeKind::kIp4 || k == ir::TypeKind::kMac)) {
        const bool ip = k == ir::TypeKind::kIp4;
        const uint64_t prefs[] = {ip ? Addresses::kTesterIp : Addresses::kTesterMac,
                                  ip ? Addresses::kIutIp : Addresses::kIutMac,
                                  ip ? Addresses::kOtherIp : Addresses::kOtherMac, 0};
        for (uint64_t a : prefs) {
          if ((done = try_fix(ch.sym == c.bv_val(a, w)))) break;
        }
      } else if (!done && k == ir::TypeKind::kBool) {
        done = try_fix(!ch.sym);
      } else if (!done && k == ir::TypeKind::kInt) {
        const ir::Type& t = model.types[ch.type];
        done = try_fix(ch.sym == c.bv_val(static_cast<uint64_t>(t.lo), 64));
      } else if (!done) {
        done = try_fix(ch.sym == c.bv_val(0, w));
      }
      if (!done) fix_to_model(ch.sym);
    }
    const ir::Transition& str = role.transitions[steps[i]->transition];
    if (str.event == ir::EventKind::kRecv &&
        model.messages[role.ports[str.event_index].message].wire == "tcp") {
      tester_anchored = true;
    }
    if (!iut_anchored) iut_anchored = SendsSyn(model, *steps[i]);
  }
  if (in.fix_tester_isn) {
    // Closest to the wrap first, so that the value does not depend on the solver's model.
    bool set = false;
    for (uint64_t cand : {0xFFFFFFFFull, 0xFFFFFFFEull, 0xFFFFFF00ull, 0xFFFF0000ull}) {
      if ((set = try_fix(T == c.bv_val(static_cast<uint64_t>(cand), 32)))) break;
    }
    if (!set) fix_to_model(T);
  }
  if (ex_.check_current() != z3::sat) {
    *why = "solver gave up while fixing the tester's values";
    return std::nullopt;
  }
  z3::model m = s.get_model();
  z3::expr_vector fixed_src(c), fixed_dst(c);
  for (const z3::expr& f : fixed) {
    if (f.is_app() && f.decl().decl_kind() == Z3_OP_EQ && f.arg(0).is_const() &&
        f.arg(1).is_numeral()) {
      fixed_src.push_back(f.arg(0));
      fixed_dst.push_back(f.arg(1));
    }
  }

  TestCase tc;
  tc.name = in.name;
  tc.notes = tc_notes;
  tc.target_transition = steps.back()->transition;

  // Valid for every ISN of the IUT? (The tester's values fixed, the path condition must
  // hold whatever the IUT chooses.)
  validity_.push();
  for (const z3::expr& f : fixed) validity_.add(f);
  validity_.add(!pc);
  z3::check_result vr = z3::unknown;
  try {
    vr = validity_.check();
  } catch (const z3::exception&) {
  }
  validity_.pop();
  if (vr != z3::unsat) {
    tc.notes.push_back(vr == z3::sat ? "the stimuli are right only for some ISNs of the IUT"
                                     : "validity for every ISN of the IUT not established");
  }

  // A concrete run for the pcap and the replay: the IUT's ISN fixed too.
  z3::model mc = m;
  const bool have_isn = enc.iut_isn_var() >= 0;
  for (const z3::expr& conc : {enc.iut_isn() == c.bv_val(kPcapIutIsn, 32) &&
                                    T == c.bv_val(kPcapTesterIsn, 32),
                                enc.iut_isn() == c.bv_val(kPcapIutIsn, 32)}) {
    if (ex_.check(conc) != z3::sat) continue;
    s.push();
    ex_.assume(conc);
    if (ex_.check_current() == z3::sat) mc = s.get_model();
    s.pop();
    break;
  }
  tc.concrete_iut_isn = static_cast<uint32_t>(Value(mc, enc.iut_isn()));
  tc.concrete_tester_isn = static_cast<uint32_t>(Value(mc, T));
  if (in.fix_tester_isn) tc.tester_isn = tc.concrete_tester_isn;
  for (size_t v = 0; v < role.vars.size(); ++v) {
    const ir::Var& var = role.vars[v];
    if (enc.kind(var.type) == ir::TypeKind::kMap) {
      tc.iut_params.push_back(0);
    } else if (!var.assigned) {
      tc.iut_params.push_back(enc.to_ir(var.type, Value(mc, ex_.node(0).state.vars[v])));
    } else {
      tc.iut_params.push_back(var.init);
    }
  }
  (void)have_isn;

  const bool tcp_wire = [&] {
    for (const ir::Port& p : role.ports) {
      if (model.messages[p.message].wire == "tcp") return true;
    }
    return false;
  }();
  tc.wire = tcp_wire ? "tcp" : "arp";

  // An expected field's value in `mod`, relative to its ISN for a TCP seq or ack, and
  // whether the path (plus whatever the solver holds now) determines it.
  auto expected_value = [&](const ir::Message& msg, const ir::Field& fd, const z3::expr& val, const z3::model& mod,
                            bool* determined) {
    z3::expr rel = val;
    if (msg.wire == "tcp" && enc.is_seq(fd.type) && (fd.name == "seq" || fd.name == "ack")) {
      rel = val - enc.coerce(fd.name == "seq" ? enc.iut_isn() : T, val.get_sort());
    }
    const uint64_t v = Value(mod, rel);
    z3::expr vv = rel.is_bool() ? c.bool_val(v != 0) : c.bv_val(v, rel.get_sort().bv_size());
    z3::expr folded = rel.substitute(fixed_src, fixed_dst).simplify();
    *determined = folded.is_numeral() || folded.is_true() || folded.is_false() || ex_.check(rel != vv) == z3::unsat;
    return v;
  };

  // The `or` lines of step i: every other transition that takes the step's stimulus in
  // its state, with the test's values fixed, and what it sends (one wire packet or none)
  // and the state it leads to. False when some outcome sends more than one packet, which
  // an `or` line cannot state.
  auto alternatives = [&](size_t i, std::vector<Event>* out) {
    const Node& n = *steps[i];
    const ir::Transition& tr = role.transitions[n.transition];
    const SymState& pre = Pre(ex_, steps, i);
    bool all = true;
    for (size_t o = 0; o < role.transitions.size(); ++o) {
      const ir::Transition& ot = role.transitions[o];
      if (static_cast<int>(o) == n.transition || !ot.from[pre.control] || ot.event != tr.event ||
          ot.event_index != tr.event_index) {
        continue;
      }
      for (const Outcome& oc : execute(enc, static_cast<int>(o), pre, n.stimulus)) {
        const z3::expr cond = oc.condition();
        if (ex_.check(cond) != z3::sat) continue;
        std::vector<const SymSend*> wire;
        for (const SymSend& snd : oc.sends) {
          if (!model.messages[snd.message].wire.empty()) wire.push_back(&snd);
        }
        if (wire.size() > 1) {
          all = false;
          continue;
        }
        s.push();
        ex_.assume(cond);
        if (ex_.check_current() != z3::sat) {
          s.pop();
          all = false;
          continue;
        }
        const z3::model am = s.get_model();
        Event alt;
        alt.kind = Event::Kind::kAlternative;
        alt.name = role.name + "." + ot.name;
        if (!wire.empty()) {
          const ir::Message& msg = model.messages[wire[0]->message];
          uint64_t flags = 0;
          for (size_t f = 0; f < msg.fields.size(); ++f) {
            const ir::Field& fd = msg.fields[f];
            bool determined = false;
            const uint64_t v = expected_value(msg, fd, wire[0]->fields[f], am, &determined);
            if (msg.wire == "tcp" && fd.name == "flags") {
              flags = flag_bits(model, fd.type, v);
              alt.fields.emplace_back(fd.name, flag_letters(model, fd.type, v));
            } else {
              alt.fields.emplace_back(fd.name, determined ? value_text(model, fd.type, v) : "*");
            }
          }
          // As for an expect: no `ack` on a segment without ACK (RFC 9293 §3.1).
          if (msg.wire == "tcp" && !(flags & 0x10)) {
            std::erase_if(alt.fields, [](const auto& fv) { return fv.first == "ack"; });
          }
        }
        s.pop();
        if (tc.wire == "tcp") alt.args.push_back(role.states[oc.state.control]);
        alt.comment = ot.cite;
        out->push_back(std::move(alt));
      }
    }
    return all;
  };

  double now = 0;
  // The latest step that sent a wire packet, and the step that last (re)started each
  // timer: a timer started where the IUT sent its latest packet is timed from that
  // packet's arrival (`iut+0`, docs/test-format.md), not from whatever the test did
  // after it, e.g. a state observation or the tester's answer.
  int last_send_step = -1;
  // Whether the IUT has sent a SYN, and whether its connection has since gone back to
  // CLOSED or LISTEN (its next SYN starts a new connection).
  bool iut_synchronized = false, reincarnated = false;
  std::vector<int> started(role.timers.size(), -1);
  for (size_t i = 0; i < steps.size(); ++i) {
    const Node& n = *steps[i];
    const ir::Transition& tr = role.transitions[n.transition];
    const bool last = i + 1 == steps.size();
    ReplayStep rs;
    rs.transition = n.transition;
    rs.ignored = n.ignored;
    rs.state_after = n.state.control;
    std::string step_note;
    bool open_ended = false;  // the test ends at a give-up checked from below only
    if (tr.event == ir::EventKind::kCall) {
      const ir::Call& call = role.calls[tr.event_index];
      Event e;
      e.kind = Event::Kind::kCall;
      e.name = call.name;
      for (size_t a = 0; a < call.params.size(); ++a) {
        uint64_t v = Value(m, n.stimulus.args[a]);
        e.args.push_back(value_text(model, call.params[a].type, v));
        rs.args.push_back(enc.to_ir(call.params[a].type, Value(mc, n.stimulus.args[a])));
      }
      // No transition takes the call here: the RFC answers the user with an error
      // ("connection already exists", "connection does not exist"), which the test
      // accepts; what goes on the wire is judged by the lines after it.
      e.may_refuse = n.ignored;
      e.comment = tr.name;
      tc.events.push_back(std::move(e));
    } else if (tr.event == ir::EventKind::kRecv) {
      const ir::Message& msg = model.messages[role.ports[tr.event_index].message];
      Event e;
      e.kind = Event::Kind::kInject;
      Packet pk;
      pk.time = next_packet_time(tc.packets, now);
      bool has_win = false;
      for (size_t f = 0; f < msg.fields.size(); ++f) {
        const ir::Field& fd = msg.fields[f];
        const Choice& ch = n.choices[f];
        uint64_t rel = Value(m, ch.sym);
        uint64_t abs = Value(mc, n.stimulus.msg[f]);
        rs.msg.push_back(enc.to_ir(fd.type, abs));
        std::string text = msg.wire == "tcp" && fd.name == "flags"
                               ? flag_letters(model, fd.type, rel)
                               : value_text(model, fd.type, rel);
        e.fields.emplace_back(fd.name, text);
        if (fd.name == "flags") pk.flags = flag_bits(model, fd.type, abs);
        if (fd.name == "seq") pk.seq = static_cast<uint32_t>(abs);
        if (fd.name == "ack") pk.ack = static_cast<uint32_t>(abs);
        if (fd.name == "win") pk.win = static_cast<uint16_t>(abs), has_win = true;
        if (fd.name == "len") pk.len = static_cast<uint16_t>(abs);
        if (fd.name == "op") pk.op = static_cast<uint16_t>(model.types[fd.type].item_codes.size() > abs
                                                               ? model.types[fd.type].item_codes[abs]
                                                               : abs);
        if (fd.name == "sha") pk.sha = abs;
        if (fd.name == "tha") pk.tha = abs;
        if (fd.name == "spa") pk.spa = static_cast<uint32_t>(abs);
        if (fd.name == "tpa") pk.tpa = static_cast<uint32_t>(abs);
      }
      if (msg.wire == "tcp" && !has_win) e.fields.emplace_back("win", "65535");
      if (msg.wire == "arp") {
        pk.eth_src = pk.sha;
        pk.eth_dst = pk.op == 2 ? pk.tha : Addresses::kBroadcastMac;
      }
      e.comment = n.ignored ? "no transition takes it" : tr.name;
      tc.events.push_back(std::move(e));
      tc.packets.push_back(pk);
    }
    // What the IUT sends.
    double within = -1;
    std::function<void(Event*)> timer_stamp;  // set by a timer's expiry: see stamp_timer
    if (tr.event == ir::EventKind::kTimeout) {
      tc.tier = "slow";
      const double d = static_cast<double>(n.wait_ms) / 1000.0;
      const TimerState& ts = Pre(ex_, steps, i).timers[n.fired_timer];
      const ir::Timer& timer = role.timers[n.fired_timer];
      std::string what = n.ignored ? "no timer runs: silence for " + Seconds(d) + " s"
                                   : timer.name + " expires after " + Seconds(d) + " s";
      if (ts.expiries > 0 && !n.ignored) {
        what += " (" + Seconds(static_cast<double>(timer.duration_ms) / 1000.0) + " s x " +
                std::to_string(timer.backoff) + "^" + std::to_string(ts.expiries) + ")";
      }
      step_note = what;
      // Every time derived from this expiry names the timer and its base interval, so a
      // target profile can rescale it to the stack's own value (a `timer` parameter).
      auto stamp_timer = [name = timer.name, base = timer.duration_ms, ignored = n.ignored](Event* e) {
        if (ignored) return;
        e->timer = name;
        e->timer_base_ms = base;
      };
      timer_stamp = stamp_timer;
      const bool anchored = !n.ignored && last_send_step >= 0 && started[n.fired_timer] == last_send_step;
      const double lo = d * (1 - kTol), hi = d * (1 + kTol) + kSlack;
      bool wire_send = false;
      for (const SymSend& snd : n.sends) wire_send |= !model.messages[snd.message].wire.empty();
      if (wire_send) {
        Event quiet;
        quiet.kind = Event::Kind::kExpectNone;
        quiet.within = lo;
        quiet.comment = tr.name + ": " + what;
        quiet.after_iut_packet = anchored;
        stamp_timer(&quiet);
        tc.events.push_back(std::move(quiet));
        within = hi - lo;
      } else {
        // A timer that changes the state without sending (TIME-WAIT's 2 MSL, a user
        // timeout): the state is checked at both ends of its window, so a timer that
        // expires early fails as surely as one that expires late.
        const int before = Pre(ex_, steps, i).control;
        const bool both_bounds = tc.wire == "tcp" && before != n.state.control;
        // Giving up after a timer's retries (the user timeout) is checked from below only
        // when the test ends there: RFC 9293 §3.8.3 leaves R2 to the implementation ("at
        // least 100 seconds", 3 minutes for a SYN), and the spec's MAX_RETX is sized for
        // checking, so a stack that retransmits longer is not wrong; one that gives up
        // before the spec's last retransmission has waited out its interval is.
        open_ended = both_bounds && last && timer.retries.has_value();
        if (open_ended) {
          tc.notes.push_back("the IUT must not give up before " + Seconds(lo) +
                             " s; when it does (R2, RFC 9293 §3.8.3) is its own choice");
        }
        Event wait;
        wait.kind = Event::Kind::kWait;
        wait.seconds = both_bounds ? lo : hi;
        wait.comment = tr.name + ": " + what + (both_bounds ? ", not before " + Seconds(lo) + " s" : "");
        wait.after_iut_packet = anchored;
        stamp_timer(&wait);
        tc.events.push_back(std::move(wait));
        if (both_bounds) {
          Event still;
          still.kind = Event::Kind::kExpectState;
          still.name = role.states[before];
          still.within = kStateNow;
          tc.events.push_back(std::move(still));
        }
        if (both_bounds && !open_ended) {
          Event rest;
          rest.kind = Event::Kind::kWait;
          rest.seconds = hi - lo;
          rest.comment = tr.name + ": " + what + ", by " + Seconds(hi) + " s";
          stamp_timer(&rest);
          tc.events.push_back(std::move(rest));
        }
      }
      now += d;
    }
    bool sent = false;
    for (const SymSend& snd : n.sends) {
      const ir::Message& msg = model.messages[snd.message];
      std::vector<int64_t> ir_fields;
      for (size_t f = 0; f < msg.fields.size(); ++f) {
        ir_fields.push_back(enc.to_ir(msg.fields[f].type, Value(mc, snd.fields[f])));
      }
      rs.sends.emplace_back(snd.port, ir_fields);
      if (msg.wire.empty()) continue;
      sent = true;
      Event e;
      e.kind = Event::Kind::kExpect;
      Packet pk;
      pk.from_iut = true;
      pk.time = next_packet_time(tc.packets, now);
      pk.win = 65535;
      for (size_t f = 0; f < msg.fields.size(); ++f) {
        const ir::Field& fd = msg.fields[f];
        z3::expr val = snd.fields[f];
        bool determined = false;
        const uint64_t v = expected_value(msg, fd, val, m, &determined);
        std::string text;
        if (msg.wire == "tcp" && fd.name == "flags") {
          text = flag_letters(model, fd.type, v);
          if (!determined) tc.notes.push_back("the flags of a sent segment are not determined");
        } else {
          text = determined ? value_text(model, fd.type, v) : "*";
        }
        e.fields.emplace_back(fd.name, text);
        uint64_t abs = Value(mc, val);
        if (fd.name == "flags") pk.flags = flag_bits(model, fd.type, abs);
        if (fd.name == "seq") pk.seq = static_cast<uint32_t>(abs);
        if (fd.name == "ack") pk.ack = static_cast<uint32_t>(abs);
        if (fd.name == "win") pk.win = static_cast<uint16_t>(abs);
        if (fd.name == "len") pk.len = static_cast<uint16_t>(abs);
        if (fd.name == "op") pk.op = static_cast<uint16_t>(model.types[fd.type].item_codes.size() > abs
                                                               ? model.types[fd.type].item_codes[abs]
                                                               : abs);
        if (fd.name == "sha") pk.sha = abs;
        if (fd.name == "tha") pk.tha = abs;
        if (fd.name == "spa") pk.spa = static_cast<uint32_t>(abs);
        if (fd.name == "tpa") pk.tpa = static_cast<uint32_t>(abs);
      }
      if (msg.wire == "tcp" && (pk.flags & 0x02)) {
        // A SYN of a new connection, after the IUT's first one was closed down (back in
        // CLOSED or LISTEN): it picks a new ISN (RFC 9293 §3.4.1) that the spec's one ISS
        // cannot say, so the seq is `*`, and the harness counts the relative numbers
        // after it from that SYN (docs/test-format.md).
        if (reincarnated) {
          for (auto& [name, text] : e.fields) {
            if (name == "seq") text = "*";
          }
        }
        iut_synchronized = true;
        reincarnated = false;
      }
      if (msg.wire == "tcp") {
        // Unnamed fields are not checked: no `ack` on segments without ACK (RFC 9293
        // §3.1: the field is significant only when the ACK bit is set).
        if (!(pk.flags & 0x10)) {
          for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
            if (it->first == "ack") {
              e.fields.erase(it);
              break;
            }
          }
        }
      } else if (msg.wire == "arp") {
        pk.eth_src = pk.sha;
        pk.eth_dst = pk.op == 2 ? pk.tha : Addresses::kBroadcastMac;
      }
      if (within > 0) {
        e.within = within;
        within = -1;
        if (timer_stamp) timer_stamp(&e);
      }
      e.comment = step_note.empty() ? tr.name : tr.name + ": " + step_note;
      if (tr.event == ir::EventKind::kInternal) e.comment = tr.name + " (the IUT by itself)";
      tc.events.push_back(std::move(e));
      tc.packets.push_back(pk);
    }
    if (sent) last_send_step = static_cast<int>(i);
    if (iut_synchronized && (role.states[n.state.control] == "CLOSED" || role.states[n.state.control] == "LISTEN")) {
      reincarnated = true;
    }
    const SymState& pre_timers = Pre(ex_, steps, i);
    for (size_t t = 0; t < started.size(); ++t) {
      const TimerState& a = pre_timers.timers[t];
      const TimerState& b = n.state.timers[t];
      if (b.armed && (!a.armed || a.deadline_ms != b.deadline_ms || a.expiries != b.expiries)) {
        started[t] = static_cast<int>(i);
      }
    }
    if (last && !sent && tr.event != ir::EventKind::kTimeout) {
      Event e;
      e.kind = Event::Kind::kExpectNone;
      e.within = 0.5;
      // A stimulus no transition takes is at the step of the transition whose event it
      // is (a refused call's), so a target profile can name it.
      e.comment = tr.name + (n.ignored ? ": not taken here, no answer" : ": no answer");
      tc.events.push_back(std::move(e));
    }
    // Observations after the step.
    if (open_ended) {
      tc.replay.push_back(std::move(rs));
      continue;
    }
    const size_t first_obs = tc.events.size();
    if (tc.wire == "tcp") {
      Event e;
      e.kind = Event::Kind::kExpectState;
      e.name = role.states[n.state.control];
      tc.events.push_back(std::move(e));
    } else {
      for (const auto& [var, key] : n.map_writes) {
        const ir::Type& mt = model.types[role.vars[var].type];
        if (enc.kind(mt.key) != ir::TypeKind::kIp4 || enc.kind(mt.value) != ir::TypeKind::kMac) {
          continue;
        }
        const auto& entries = n.state.maps[var];
        uint64_t kv = Value(m, key);
        z3::expr kconst = c.bv_val(kv, 32);
        const bool key_fixed = ex_.check(key != kconst) == z3::unsat;
        if (!key_fixed) continue;
        z3::expr has = enc.map_has(entries, kconst);
        Event e;
        e.kind = Event::Kind::kExpectCache;
        e.name = ip_name(kv);
        if (ex_.check(has) == z3::unsat) {
          e.args.push_back("absent");
        } else if (ex_.check(!has) == z3::unsat) {
          z3::expr val = enc.map_get(entries, kconst);
          uint64_t vv = Value(m, val);
          if (ex_.check(val != c.bv_val(vv, 48)) != z3::unsat) continue;
          e.args.push_back(mac_name(vv));
        } else {
          continue;
        }
        bool dup = false;
        for (size_t x = first_obs; x < tc.events.size(); ++x) {
          dup |= tc.events[x].kind == Event::Kind::kExpectCache && tc.events[x].name == e.name;
        }
        if (!dup) tc.events.push_back(std::move(e));
      }
    }
    if (open_step[i]) {
      std::vector<Event> alts;
      const bool all = tr.event != ir::EventKind::kTimeout && !n.ignored && alternatives(i, &alts);
      if (all && !alts.empty()) {
        for (Event& a : alts) tc.events.push_back(std::move(a));
      } else {
        tc.notes.push_back("step " + std::to_string(i + 1) + " (" + tr.name +
                           "): the spec also lets another transition take this stimulus" +
                           (tr.event == ir::EventKind::kTimeout ? "" : ", with an outcome an `or` line cannot state"));
      }
    }
    tc.replay.push_back(std::move(rs));
  }
  bool has_timeout = false;
  for (const Node* n : steps) has_timeout |= role.transitions[n->transition].event == ir::EventKind::kTimeout;
  tc.allows = retransmission_allows(tc, has_timeout);
  return tc;
}

}  // namespace sp::gen
