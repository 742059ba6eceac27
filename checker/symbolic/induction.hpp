// k-induction's step case (internal): an unrolling from an arbitrary well-formed state,
// frames pairwise distinct (simple path), on a solver of its own. For each open target,
// "the property holds in frames 0..k (and so do the lemmas) but not in frame k+1" is
// asked under assumptions; unsat proves the target k-inductive.
#pragma once

#include <string>
#include <vector>

#include "checker/symbolic/base_search.hpp"

namespace sp::checker::symbolic {

class InductionStep {
 public:
  InductionStep(Encoding& enc, std::vector<Target>& targets, const Deadline& deadline);

  // Makes frames 0..k+1 exist (k: the number of hypothesis frames minus one).
  void ensure(int k);

  enum class Answer { kProved, kFailed, kLimit };
  // Is target `t` k-inductive, assuming the targets in `lemmas` too? On kFailed,
  // *cti describes the counterexample to induction; on kLimit, *why the limit.
  Answer prove(size_t t, const std::vector<size_t>& lemmas, int k, std::string* cti, std::string* why);

 private:
  z3::expr ok(size_t t, int frame);  // literal: target t is not bad in `frame`

  Encoding& enc_;
  std::vector<Target>& targets_;
  const Deadline& deadline_;
  z3::solver solver_;
  std::vector<Frame> frames_;
  std::vector<std::vector<std::optional<z3::expr>>> ok_;  // per target, per frame
};

}  // namespace sp::checker::symbolic
