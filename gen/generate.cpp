#include "gen/generate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gen/fork_map.hpp"
#include "gen/packetdrill_writer.hpp"
#include "gen/pcap_writer.hpp"
#include "gen/spt_writer.hpp"
#include "gen/suite.hpp"
#include "util/z3_context.hpp"
#include "util/atomic_file.hpp"

namespace sp::gen {

std::string SuiteContext::unique(const std::string& name) const {
  if (!names.count(name)) return name;
  for (int i = 2;; ++i) {
    std::string n = name + "." + std::to_string(i);
    if (!names.count(n)) return n;
  }
}

void SuiteContext::add(TestCase tc, int target) {
  const ir::Role& role = enc.role();
  const ir::Transition& tr = role.transitions[target];
  tc.name = unique(tc.name);
  names.insert(tc.name);
  tc.covers.insert(tc.covers.begin(), role.name + "." + tr.name);
  if (!tr.cite.empty()) tc.cites.insert(tc.cites.begin(), tr.cite);
  out.tests.push_back(std::move(tc));
}

std::optional<Node> respond(SuiteContext& sc, int parent, int transition,
                            const z3::expr& stimulus, const Node& templ) {
  const ir::Role& role = sc.enc.role();
  const ir::Transition& tr = role.transitions[transition];
  const Node& p = sc.ex.node(parent);
  sc.ex.enter(parent);
  if (sc.ex.check(stimulus && templ.stim_domain) != z3::sat) return std::nullopt;
  std::vector<int> order{transition};
  for (int t = 0; t < static_cast<int>(role.transitions.size()); ++t) {
    const ir::Transition& o = role.transitions[t];
    if (t != transition && o.from[p.state.control] && o.event == tr.event &&
        o.event_index == tr.event_index) {
      order.push_back(t);
    }
  }
  for (int t : order) {
    if (!sc.ex.controllable(parent, t, nullptr)) continue;
    z3::expr excl = sc.enc.ctx().bool_val(true);
    for (Node& kid : sc.ex.expand(parent, t, &excl)) {
      z3::expr c = (stimulus && kid.stim_domain && kid.guard && kid.body).simplify();
      if (sc.ex.check(c) == z3::sat) {
        kid.constraint = c;
        kid.exclusion = excl;
        return std::move(kid);
      }
    }
  }
  Node n = templ;
  n.parent = parent;
  n.ignored = true;
  n.sends.clear();
  n.state = p.state;
  n.atoms.clear();
  n.map_writes.clear();
  n.branch.clear();
  n.constraint = stimulus && templ.stim_domain;
  n.exclusion = sc.enc.ctx().bool_val(true);
  return n;
}

namespace {

bool Generate(const ir::Model& model, const GenOptions& options, GenResult* out, std::string* error) {
  auto t0 = std::chrono::steady_clock::now();
  const int role = model.find_role(options.role);
  if (role < 0) {
    *error = "no role '" + options.role + "' in this spec";
    if (!model.roles.empty()) {
      *error += " (roles:";
      for (const ir::Role& r : model.roles) *error += " " + r.name;
      *error += ")";
    }
    return false;
  }
  *out = GenResult();
  out->role = options.role;
  std::unique_ptr<z3::context> made = make_z3_context(error);
  if (!made) {
    out->out_of_memory = true;
    return false;
  }
  z3::context& ctx = *made;
  Encoder enc(model, role, ctx);
  // The solver: Z3's default (combined) incremental solver, or -- for measurements --
  // STATEPROOF_GEN_SOLVER=simple (the SMT kernel alone) / qfbv (the QF_BV logic solver).
  const char* kind = std::getenv("STATEPROOF_GEN_SOLVER");
  z3::solver solver = kind && std::string(kind) == "simple" ? z3::solver(ctx, z3::solver::simple())
                      : kind && std::string(kind) == "qfbv" ? z3::solver(ctx, "QF_BV")
                                                            : z3::solver(ctx);
  leave_sigint_alone(solver);
  ExploreOptions eo;
  eo.depth = options.depth;
  eo.per_key = options.per_key;
  const ir::Role& r = model.roles[role];
  eo.prefer_via = r.preamble_via;  // the spec's `preamble via`, plus --prefer-via
  eo.prefer_via.resize(r.states.size(), false);
  for (const std::string& name : options.prefer_via) {
    auto it = std::find(r.states.begin(), r.states.end(), name);
    if (it == r.states.end()) {
      *error = "--prefer-via: role " + r.name + " has no state '" + name + "' (states:";
      for (const std::string& s : r.states) *error += " " + s;
      *error += ")";
      return false;
    }
    eo.prefer_via[static_cast<size_t>(it - r.states.begin())] = true;
  }
  const int jobs = options.jobs > 0 ? options.jobs : available_cpus();
  Explorer ex(enc, solver, eo);
  try {
    ex.run();
    out->explore_queries = ex.stats().queries;
    out->explore_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Concretizer conc(ex);
    SuiteContext sc{model, options, enc, ex, conc, *out, {}};
    add_tests_in_workers(sc, jobs);
    add_isn_test(sc);
    if (options.coverage == Coverage::kWMethod) add_wmethod_tests(sc, jobs);
  } catch (const z3::exception& e) {
    *error = std::string("solver error: ") + e.msg();
    out->out_of_memory = std::string(e.msg()).find("out of memory") != std::string::npos;
    return false;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  out->queries = ex.stats().queries;
  out->unknown = ex.stats().unknown;
  out->model_hits = ex.stats().model_hits;
  out->solver_seconds = ex.stats().seconds;
  out->nodes = static_cast<int>(ex.nodes().size());
  out->depth = options.depth;
  out->states_reached = ex.reached_states();
  out->states = static_cast<int>(model.roles[role].states.size());
  out->truncated = ex.truncated();
  out->total_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace

bool generate(const ir::Model& model, const GenOptions& options, GenResult* out, std::string* error) {
  try {
    return Generate(model, options, out, error);
  } catch (const std::bad_alloc&) {
    *error = "out of memory";
  } catch (const z3::exception& e) {
    *error = std::string("solver error: ") + e.msg();
  }
  out->out_of_memory = true;
  return false;
}

std::string GenResult::report() const {
  std::ostringstream o;
  int covered = 0, unreachable = 0, notgen = 0;
  for (const CoverageEntry& c : coverage) {
    covered += c.status == CoverageEntry::Status::kCovered;
    unreachable += c.status == CoverageEntry::Status::kUnreachable;
    notgen += c.status == CoverageEntry::Status::kNotGenerated;
  }
  const int reachable = covered + notgen;
  o << "role " << role << ": " << coverage.size() << " transitions, " << covered
    << " covered, " << unreachable << " unreachable, " << notgen << " not generated\n";
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.0f%%", reachable ? 100.0 * covered / reachable : 100.0);
  o << "transition coverage of reachable transitions: " << pct << "\n";
  o << "tests: " << tests.size() << "\n";
  o << "exploration: depth " << depth << ", " << nodes << " paths, " << states_reached << "/"
    << states << " control states reached" << (truncated ? " (node limit reached)" : "") << "\n";
  o << "\ncovered:\n";
  for (const CoverageEntry& c : coverage) {
    if (c.status != CoverageEntry::Status::kCovered) continue;
    o << "  " << c.transition << ":";
    for (const std::string& t : c.tests) o << " " << t;
    o << "\n";
  }
  // (transition, from-state) pairs: transition coverage tests each transition from each
  // state of its from-set; those with several states are listed.
  int pairs = 0, pairs_tested = 0;
  for (const CoverageEntry& c : coverage) {
    for (const CoverageEntry::FromState& f : c.from) {
      ++pairs;
      pairs_tested += !f.test.empty();
    }
  }
  if (pairs > 0) {
    o << "\nfrom-states: " << pairs_tested << " of " << pairs << " (transition, from-state) pairs tested\n";
    for (const CoverageEntry& c : coverage) {
      if (c.from.size() < 2) continue;
      o << "  " << c.transition << ":";
      for (const CoverageEntry::FromState& f : c.from) o << " " << f.state << "=" << (f.test.empty() ? "-" : f.test);
      o << "\n";
    }
  }
  o << "\nunreachable:\n";
  for (const CoverageEntry& c : coverage) {
    if (c.status == CoverageEntry::Status::kUnreachable) o << "  " << c.transition << ": " << c.why << "\n";
  }
  o << "\nnot generated:\n";
  for (const CoverageEntry& c : coverage) {
    if (c.status == CoverageEntry::Status::kNotGenerated) o << "  " << c.transition << ": " << c.why << "\n";
  }
  // Boundary and W-method variants that were not generated: not transitions, so listed
  // apart (the counts above are of transitions only).
  if (!skipped.empty()) {
    o << "\nvariants not generated: " << skipped.size() << "\n";
    for (const std::string& s : skipped) o << "  " << s << "\n";
  }
  return o.str();
}

namespace {

// The files a generated suite consists of: replaced as a whole by the next `gen`.
bool is_suite_file(const std::string& name) {
  const std::string ext = std::filesystem::path(name).extension().string();
  return ext == ".spt" || ext == ".pcap" || ext == ".pkt" || name == "coverage.txt" ||
         name == "packetdrill-skipped.txt";
}

}  // namespace

bool write_suite(const ir::Model& model, const GenResult& result, const GenOptions& options,
                 const std::string& dir, std::string* error) {
  (void)model;
  namespace fs = std::filesystem;
  std::error_code ec;
  // The directory is the suite (`stateproof run DIR` runs every .spt in it): a previous
  // suite's files go, so no test of an earlier generation is run as part of this one.
  // Tests that no `gen` wrote (no coverage.txt beside them) are not ours to delete; other
  // files (results, notes) stay.
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      *error = dir + " exists and is not a directory";
      return false;
    }
    bool stale = false;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      stale = stale || (entry.is_regular_file() && is_suite_file(entry.path().filename().string()));
    }
    if (ec) {
      *error = "cannot read " + dir + ": " + ec.message();
      return false;
    }
    if (stale && !fs::exists(fs::path(dir) / "coverage.txt")) {
      *error = dir + " holds tests that stateproof gen did not write (no coverage.txt): "
                     "give an empty or new directory";
      return false;
    }
  } else {
    fs::path parent = fs::path(dir).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) {
      *error = "cannot create " + parent.string() + ": " + ec.message();
      return false;
    }
  }
  // The suite is built in a directory beside DIR and becomes DIR only when complete: a
  // full disk or a crash leaves the previous suite (or none), never half of one.
  const fs::path canonical = fs::weakly_canonical(dir, ec);
  const std::string target = ec ? dir : canonical.string();
  const std::string built = util::make_temp_dir_beside(target, error);
  if (built.empty()) return false;
  auto write = [&](const std::string& name, const std::string& text) {
    if (util::write_file_checked((fs::path(built) / name).string(), text, error)) return true;
    *error = "cannot write " + (fs::path(dir) / name).string() + error->substr(error->rfind(':'));
    fs::remove_all(built, ec);
    return false;
  };
  std::string pd_skipped;
  for (const TestCase& tc : result.tests) {
    if (!write(tc.name + ".spt", to_spt(tc))) return false;
    if (options.packetdrill && tc.wire == "tcp") {
      std::string why;
      std::string script = to_packetdrill(tc, &why);
      if (script.empty()) {
        pd_skipped += tc.name + ": " + why + "\n";
      } else if (!write(tc.name + ".pkt", script)) {
        return false;
      }
    }
    if (options.pcap && !write(tc.name + ".pcap", pcap_file(tc))) return false;
  }
  if (!pd_skipped.empty() &&
      !write("packetdrill-skipped.txt",
             "# tests without a packetdrill script (the .spt runs with `stateproof run`)\n" +
                 pd_skipped)) {
    return false;
  }
  if (!write("coverage.txt", result.report())) return false;
  return util::replace_directory(built, target,
                                 [](const std::string& name) { return !is_suite_file(name); }, error);
}

}  // namespace sp::gen
