// Read-only views of a Model for people: the `show` summary, Graphviz export, and random
// simulation printed as a message sequence. Library functions behind `stateproof show`,
// `stateproof export --to dot` and `stateproof simulate`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/system.hpp"

namespace sp::ir {

// Roles (states, transitions with names and cites, variables), systems (instances,
// queues, environment, state-vector layout size) and properties.
std::string summary(const Model& model, bool with_slots);

// One Graphviz digraph with a cluster per role: states as nodes (the initial one
// doubled), one edge per pair of states, labelled with the names of the transitions
// between them. Transitions that keep the state are left out unless `self_loops`: the
// picture then has the shape of the RFC's state diagram.
std::string to_dot(const Model& model, bool self_loops = false);

struct SimulationStep {
  Label label;
  Slots state;    // after the step
  std::string error;  // non-empty: the step raised a checking error and the run ended
};

struct Simulation {
  Slots initial;
  std::vector<SimulationStep> steps;
  bool deadlock = false;  // ended because no transition was enabled
};

// A random run of at most `max_steps` steps, the same for the same seed.
Simulation simulate(const TransitionSystem& ts, uint64_t seed, int max_steps);

// The run as a message sequence: one line per step naming the instance, transition,
// state change and cite, with indented lines for the message received and each sent.
std::string format_simulation(const TransitionSystem& ts, const Simulation& sim);

}  // namespace sp::ir
