// What the symbolic engines look for (internal): one "bad state" predicate per property,
// the outcomes they fill, and counterexamples rebuilt from a Z3 model on the explicit
// interpreter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/result.hpp"
#include "checker/symbolic/encoding.hpp"

namespace sp::checker::symbolic {

enum class TargetKind { kInvariant, kDeadlock, kError };

struct Target {
  size_t outcome = 0;               // index into the outcomes
  TargetKind kind = TargetKind::kInvariant;
  const ir::Expr* expr = nullptr;   // invariant; deadlock `except` (or null)
  bool lemma = false;
  bool open = true;                 // not answered yet
};

// The outcomes (names, "not checked" messages) and the targets to search for.
void make_targets(const ir::TransitionSystem& ts, const std::vector<int>& properties, bool check_errors,
                  std::vector<Outcome>& outcomes, std::vector<Target>& targets);

// The bad-state predicate of `t` on frame `f` (kError: a step from `f`, choices named
// `tag`, raises an error). Sets *exact false when deadlock could not be encoded exactly.
z3::expr bad_state(Encoding& enc, const Target& t, const Frame& f, const std::string& tag, bool* exact);

// The run the model describes: frames[0] is the initial state, step k goes from
// frames[k] to frames[k+1] by the action tagged tags[k]; with `error_tag`, one more step
// from the last frame raises a checking error. Rebuilt on the explicit interpreter;
// nullopt and *error when a step does not match it.
std::optional<Trace> rebuild_from_model(const Encoding& enc, const z3::model& model, const std::vector<Frame>& frames,
                                        const std::vector<std::string>& tags, const std::string* error_tag,
                                        std::string* error);

// Fills outcome `o` as violated by `trace` (message as the explicit engine writes it).
void record_violation(const ir::TransitionSystem& ts, const Target& t, Outcome& o, Trace trace);

}  // namespace sp::checker::symbolic
