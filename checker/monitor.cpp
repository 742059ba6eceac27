#include "checker/monitor.hpp"

#include <algorithm>

#include "checker/expr_slots.hpp"
#include "checker/trace_build.hpp"

namespace sp::checker {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kHolds: return "holds";
    case Verdict::kViolated: return "VIOLATED";
    case Verdict::kUnknown: return "unknown";
  }
  return "?";
}

namespace detail {

Monitor::Monitor(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                 bool check_errors)
    : ts_(ts) {
  const ir::Model& m = ts.model();
  const size_t n = properties.size() + (check_errors ? 1 : 0);
  open_ = std::make_unique<std::atomic<bool>[]>(n);
  found_.resize(n);
  for (size_t k = 0; k < properties.size(); ++k) {
    Outcome o;
    o.property = properties[k];
    const ir::Expr* expr = nullptr;
    bool watched = false;
    if (o.property >= 0 && o.property < static_cast<int>(m.properties.size())) {
      const ir::Property& p = m.properties[static_cast<size_t>(o.property)];
      o.name = p.name;
      if (p.system != ts.system_index()) {
        o.message = "property of another system";
      } else if (p.kind == ir::PropertyKind::kInvariant) {
        expr = &p.invariant;
        invariants_.push_back(static_cast<int>(k));
        const std::vector<int32_t> read = slots_read(ts, p.invariant);
        invariant_slots_.insert(invariant_slots_.end(), read.begin(), read.end());
        slot_invariants_.resize(ts.layout().slots.size());
        const uint64_t bit = uint64_t{1} << std::min<size_t>(invariants_.size() - 1, 63);
        for (const int32_t x : read) slot_invariants_[static_cast<size_t>(x)] |= bit;
        std::sort(invariant_slots_.begin(), invariant_slots_.end());
        invariant_slots_.erase(std::unique(invariant_slots_.begin(), invariant_slots_.end()), invariant_slots_.end());
        watched = true;
      } else if (p.kind == ir::PropertyKind::kDeadlock) {
        expr = p.except ? &*p.except : nullptr;
        deadlocks_.push_back(static_cast<int>(k));
        watched = true;
      } else {
        o.message = "an LTL property: not checked by the safety checker";
      }
    } else {
      o.name = "#" + std::to_string(o.property);
      o.message = "no such property";
    }
    exprs_.push_back(expr);
    open_[k].store(watched, std::memory_order_relaxed);
    if (watched) open_count_.fetch_add(1, std::memory_order_relaxed);
    outcomes_.push_back(std::move(o));
  }
  if (check_errors) {
    errors_ = static_cast<int>(properties.size());
    Outcome o;
    o.property = -1;
    o.name = "no checking errors";
    outcomes_.push_back(std::move(o));
    exprs_.push_back(nullptr);
    open_[errors_].store(true, std::memory_order_relaxed);
    open_count_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Monitor::record(int k, std::vector<uint32_t> path, TraceEnd end, std::string message,
                     const Stats& now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_[k].load(std::memory_order_relaxed)) return;
  auto f = std::make_unique<Found>();
  f->path = std::move(path);
  f->end = end;
  f->message = std::move(message);
  f->stats = now;
  found_[static_cast<size_t>(k)] = std::move(f);
  open_[k].store(false, std::memory_order_relaxed);
  open_count_.fetch_sub(1, std::memory_order_acq_rel);
}

std::vector<Outcome> Monitor::finish(bool complete, const std::string& limit,
                                     const Stats& final_stats) {
  std::vector<Outcome> out = outcomes_;
  for (size_t k = 0; k < out.size(); ++k) {
    Outcome& o = out[k];
    const Found* f = found_[k].get();
    if (f == nullptr) {
      if (!o.message.empty()) continue;  // not a property this search answers
      o.stats = final_stats;
      if (complete) {
        o.verdict = Verdict::kHolds;
      } else {
        o.verdict = Verdict::kUnknown;
        o.message = limit.empty() ? "search stopped" : limit;
      }
      continue;
    }
    o.verdict = Verdict::kViolated;
    o.message = f->message;
    o.stats = f->stats;
    std::string err;
    std::optional<Trace> t = rebuild_trace(ts_, f->path, &err);
    if (!t) {
      // successors() was not deterministic: report the violation without a trace.
      o.message += " (the counterexample could not be rebuilt: " + err + ")";
      continue;
    }
    t->end = f->end;
    t->verdict = f->message;
    if (o.property >= 0) t->property = o.name;
    o.trace = std::move(t);
  }
  return out;
}

}  // namespace detail
}  // namespace sp::checker
