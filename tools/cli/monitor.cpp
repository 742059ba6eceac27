// stateproof monitor SPEC --role R CAPTURE: checks the TCP connections of a capture (pcap
// or pcapng) against a role of the spec, one verdict per connection and side
// (harness/monitor/, docs/monitor.md). Exit 0: no side departs; 1: some side departs;
// 2: bad flags, or a spec or capture that cannot be read (then no output file is written).
#include <chrono>
#include <iostream>
#include <memory>

#include "tools/cli/common.hpp"
#include "tools/cli/numbers.hpp"

#if defined(STATEPROOF_HAVE_MONITOR) && defined(STATEPROOF_HAVE_HARNESS_RUN)
#include "harness/monitor/monitor.hpp"
#include "harness/monitor/pcap_out.hpp"
#include "harness/monitor/report.hpp"
#include "harness/monitor/role_system.hpp"
#include "harness/packet/address.hpp"
#include "harness/profile/profile.hpp"
#include "util/atomic_file.hpp"
#endif

namespace sp::cli {

#if defined(STATEPROOF_HAVE_MONITOR) && defined(STATEPROOF_HAVE_HARNESS_RUN)

namespace {

struct MonitorFlags {
  SpecOptions spec;
  std::string role;
  std::string capture;
  std::string side = "both";
  std::string json;
  std::string pcap_out;
  std::string profile;
  bool untimed = false;
  double slack = 0.1;
  double linger = 2;
  double idle = 600;
  bool quiet = false;
  int jobs = 1;
};

// The role's timer intervals: the spec's, or a target profile's `parameter` entries.
bool TimerPolicyFor(const MonitorFlags& f, const monitor::RoleSystem& rs, monitor::TimerPolicy* out) {
  const ir::Role& r = rs.role();
  out->check = !f.untimed;
  out->slack = f.slack;
  for (const ir::Timer& t : r.timers) out->interval_us.push_back(t.duration_ms * 1000);
  out->transition_interval_us.assign(r.transitions.size(), 0);
  if (f.profile.empty()) return true;
  std::optional<std::string> builtin = harness::builtin_profile_text(f.profile);
  std::vector<harness::ParseError> errors;
  std::optional<harness::Profile> p = builtin ? harness::parse_profile(*builtin, "<built-in " + f.profile + ".profile>", &errors)
                                              : harness::read_profile(f.profile, &errors);
  if (!p) {
    for (const harness::ParseError& e : errors) std::cerr << e.message << "\n";
    if (errors.empty()) std::cerr << "stateproof monitor: cannot read profile " << f.profile << "\n";
    return false;
  }
  for (const harness::Deviation& d : p->deviations) {
    if (!d.parameter || !d.timer) continue;
    for (const std::string& at : d.at) {
      if (at.compare(0, r.name.size() + 1, r.name + ".") != 0) continue;
      for (size_t t = 0; t < r.transitions.size(); ++t) {
        if (r.transitions[t].name == at.substr(r.name.size() + 1)) {
          out->transition_interval_us[t] = static_cast<int64_t>(d.timer->seconds * 1e6);
        }
      }
    }
  }
  return true;
}

bool SideFor(const std::string& text, monitor::MonitorOptions* o) {
  if (text == "both") o->side = monitor::SideChoice::kBoth;
  else if (text == "client") o->side = monitor::SideChoice::kClient;
  else if (text == "server") o->side = monitor::SideChoice::kServer;
  else if (std::optional<packet::Ipv4Address> ip = packet::Ipv4Address::parse(text)) {
    o->side = monitor::SideChoice::kAddress;
    o->address = ip->value;
  } else {
    return false;
  }
  return true;
}

int RunMonitor(const MonitorFlags& f) {
  monitor::MonitorOptions o;
  if (!SideFor(f.side, &o)) {
    std::cerr << "stateproof monitor: --side " << f.side << ": expected both, client, server or an IPv4 address\n";
    return kUsage;
  }
  SpecOptions spec = f.spec;
  if (!spec.seq_bits) spec.seq_bits = 32;  // the wire's sequence numbers, not checking's
  int code = kOk;
  std::optional<ir::Model> model = load_spec(spec, &code);
  if (!model) return code;
  std::string error;
  std::unique_ptr<monitor::RoleSystem> rs = monitor::RoleSystem::build(*model, f.role, "tcp", &error);
  if (!rs) {
    std::cerr << "stateproof monitor: " << error << "\n";
    return kUsage;
  }
  std::optional<monitor::TcpWireMap> wire = monitor::TcpWireMap::build(rs->model(), rs->message(), &error);
  if (!wire) {
    std::cerr << "stateproof monitor: " << error << "\n";
    return kUsage;
  }
  if (!TimerPolicyFor(f, *rs, &o.timers)) return kUsage;
  o.linger_us = static_cast<int64_t>(f.linger * 1e6);
  o.idle_us = static_cast<int64_t>(f.idle * 1e6);
  o.jobs = f.jobs;

  util::AtomicFile json;
  if (!f.json.empty()) {
    if (!json.open(f.json, &error)) {
      std::cerr << "stateproof monitor: " << error << "\n";
      return kUsage;
    }
    json.write("{\"capture\": " + monitor::json_string(f.capture) + ", \"connections\": [\n");
  }
  std::vector<monitor::FlowRange> departing;
  bool first = true;
  const auto start = std::chrono::steady_clock::now();
  monitor::Totals totals;
  auto sink = [&](const monitor::ConnectionResult& r, const monitor::FlowKey& key) {
    bool departs = false, conforms = true;
    for (const monitor::SideResult& s : r.sides) {
      departs = departs || s.verdict == monitor::Verdict::kDeparts;
      conforms = conforms && s.verdict == monitor::Verdict::kConforms;
    }
    if (!f.quiet || !conforms) std::cout << monitor::connection_text(r);
    if (departs) departing.push_back({key, r.first_frame, r.last_frame});
    if (!f.json.empty()) {
      json.write((first ? "" : ",\n") + monitor::connection_json(r));
      first = false;
    }
  };
  const bool read = monitor::run_monitor(f.capture, *rs, *wire, o, sink, &totals, &error);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!read) {
    std::cerr << "stateproof monitor: " << error << "\n";
    return kUsage;  // the AtomicFile is dropped: no JSON file
  }
  std::cout << monitor::totals_text(totals, seconds);
  if (!f.json.empty()) {
    json.write("\n], \"totals\": " + monitor::totals_json(totals, seconds) + "}\n");
    if (!json.commit(&error)) {
      std::cerr << "stateproof monitor: " << error << "\n";
      return kUsage;
    }
  }
  if (!f.pcap_out.empty()) {
    if (!monitor::write_flows_pcap(f.capture, departing, f.pcap_out, &error)) {
      std::cerr << "stateproof monitor: " << error << "\n";
      return kUsage;
    }
    std::cout << departing.size() << " departing connections written to " << f.pcap_out << "\n";
  }
  return totals.departs ? kFailed : kOk;
}

}  // namespace

void add_monitor(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("monitor", "Check the TCP connections of a capture (pcap, pcapng) against a role of a spec");
  auto f = std::make_shared<MonitorFlags>();
  f->spec.add_to(*cmd);
  cmd->add_option("capture", f->capture, "the capture: pcap or pcapng (Ethernet, Linux cooked SLL/SLL2, raw IP)")
      ->required();
  cmd->add_option("--role", f->role, "the role each checked host plays (e.g. Endpoint)")->required();
  cmd->add_option("--side", f->side, "whose side of each connection is the role: both (default), client (sent the "
                                     "first SYN), server, or the host with an IPv4 address");
  cmd->add_option("--json", f->json, "write the results as JSON to FILE");
  cmd->add_option("--pcap-out", f->pcap_out, "write the connections that depart to FILE (pcap)");
  cmd->add_option("--profile", f->profile, "take timer intervals from a target profile's parameters (linux, lwip, "
                                           "or a profile file)");
  cmd->add_flag("--untimed", f->untimed, "do not check when timers expire (as checking does)");
  cmd->add_option("--timer-slack", f->slack, "how early a timer may expire, as a fraction of its interval (0.1)")
      ->check(real_in(0.0, 1.0));
  cmd->add_option("--linger", f->linger, "seconds of capture time a connection stays after its RST or FINs (2)")
      ->check(real_in(0.0, 1e6));
  cmd->add_option("--idle", f->idle, "seconds of capture time after which a quiet connection ends (600)")
      ->check(real_in(0.0, 1e9));
  cmd->add_option("-j,--jobs", f->jobs, "worker threads, connections split among them by 4-tuple (1; with more, "
                                        "connections are reported in a varying order)")
      ->check(integer_in(1, 64));
  cmd->add_flag("-q,--quiet", f->quiet, "print only the connections that do not conform, and the totals");
  cmd->callback([=] { *run = [=] { return RunMonitor(*f); }; });
}

#else

void add_monitor(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("monitor", "Check the TCP connections of a capture against a role of a spec");
  cmd->allow_extras();
  cmd->callback([=] {
    *run = [] {
      std::cerr << "stateproof monitor: this build has no harness (configured with STATEPROOF_SKIP=harness)\n";
      return static_cast<int>(kEnvironment);
    };
  });
}

#endif

}  // namespace sp::cli
