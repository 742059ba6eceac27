#include "checker/symbolic/base_search.hpp"

#include <algorithm>

#include "util/z3_context.hpp"

namespace sp::checker::symbolic {

unsigned Deadline::query_ms() const {
  if (!limited()) return 0;
  const double left = seconds_ - elapsed();
  return left <= 0.001 ? 1u : static_cast<unsigned>(std::min(left * 1000.0, 4.0e9));
}

z3::solver make_solver(z3::context& ctx) {
  // The QF_BV solver (bit-blasting to SAT, incremental): about 5x faster on tcp.sp than
  // the default SMT core (docs/checker.md, "Symbolic engine").
  z3::solver s(ctx, "QF_BV");
  leave_sigint_alone(s);
  return s;
}

void set_query_timeout(z3::solver& s, const Deadline& d) {
  z3::params p(s.ctx());
  p.set("timeout", d.limited() ? d.query_ms() : 4294967295u);
  s.set(p);
}

BaseSearch::BaseSearch(Encoding& enc, std::vector<Target>& targets, std::vector<Outcome>& outcomes,
                       const Deadline& deadline, bool simple_paths)
    : enc_(enc), targets_(targets), outcomes_(outcomes), deadline_(deadline), simple_(simple_paths),
      solver_(make_solver(enc.ctx())) {
  frames_.push_back(enc_.frame("s0"));
  solver_.add(enc_.initial(frames_[0]));
  solver_.add(enc_.wellformed(frames_[0]));
}

void BaseSearch::extend() {
  const size_t k = frames_.size();
  frames_.push_back(enc_.frame("s" + std::to_string(k)));
  tags_.push_back("t" + std::to_string(k - 1));
  solver_.add(enc_.wellformed(frames_[k]));
  solver_.add(enc_.step(frames_[k - 1], frames_[k], tags_.back()));
  if (simple_) {
    for (size_t j = 0; j < k; ++j) solver_.add(!enc_.same(frames_[j], frames_[k]));
  }
}

BaseSearch::Status BaseSearch::check_targets(std::string* why) {
  z3::context& ctx = enc_.ctx();
  const int k = depth();
  const std::string etag = "e" + std::to_string(k);
  solver_.push();
  std::vector<std::pair<size_t, z3::expr>> lits;  // target, literal
  for (size_t t = 0; t < targets_.size(); ++t) {
    if (!targets_[t].open) continue;
    bool exact = true;
    z3::expr lit = ctx.bool_const(("bad" + std::to_string(t) + "@" + std::to_string(k)).c_str());
    solver_.add(lit == bad_state(enc_, targets_[t], frames_.back(), etag, &exact));
    lits.emplace_back(t, lit);
  }
  Status status = Status::kDone;
  for (int round = 0;; ++round) {
    z3::expr any = ctx.bool_val(false);
    size_t open = 0;
    for (const auto& [t, lit] : lits) {
      if (targets_[t].open) {
        any = any || lit;
        ++open;
      }
    }
    if (open == 0) break;
    const z3::expr q = ctx.bool_const(("query@" + std::to_string(k) + "." + std::to_string(round)).c_str());
    solver_.add(z3::implies(q, any));
    z3::expr_vector assume(ctx);
    assume.push_back(q);
    set_query_timeout(solver_, deadline_);
    const z3::check_result r = solver_.check(assume);
    if (r == z3::unsat) break;
    if (r == z3::unknown) {
      *why = deadline_.expired() ? deadline_.why() : "z3: " + solver_.reason_unknown();
      status = Status::kLimit;
      break;
    }
    const z3::model model = solver_.get_model();
    for (const auto& [t, lit] : lits) {
      Target& tg = targets_[t];
      if (!tg.open || !model.eval(lit, true).is_true()) continue;
      tg.open = false;
      Outcome& o = outcomes_[tg.outcome];
      o.stats.max_depth = static_cast<uint64_t>(k);
      o.stats.seconds = deadline_.elapsed();
      std::string err;
      const bool error_end = tg.kind == TargetKind::kError;
      std::optional<Trace> trace = rebuild_from_model(enc_, model, frames_, tags_, error_end ? &etag : nullptr, &err);
      if (!trace && deadline_.expired()) {
        // The deadline or a signal interrupted the context while the model was read: the
        // evaluation was cut short, so the failed replay says nothing about the encoding.
        tg.open = true;
        *why = deadline_.why();
        status = Status::kLimit;
        break;
      }
      if (!trace) {
        // The encoding and the interpreter disagree: never report an unconfirmed bug.
        o.verdict = Verdict::kUnknown;
        o.message = "symbolic counterexample not confirmed by the interpreter: " + err;
        continue;
      }
      record_violation(enc_.ts(), tg, o, std::move(*trace));
    }
    if (status == Status::kLimit) break;
  }
  solver_.pop();
  return status;
}

z3::check_result BaseSearch::path_exists() {
  set_query_timeout(solver_, deadline_);
  return solver_.check();
}

}  // namespace sp::checker::symbolic
