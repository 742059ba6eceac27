// What the LTL product search needs of a system: packed states, their successors with
// the transition group that produced each, and the valuation of the property's atoms.
//
// ir::TransitionSystem is adapted by TsStateSpace (ts_space.hpp); tests and tools can
// implement it directly (ExplicitStateSpace below: a small graph given edge by edge).
// A StateSpace is used by one search at a time (it may keep scratch space).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sp::checker::ltl {

// Successors of one state, appended by StateSpace::successors(). Reused between calls.
class Successors {
 public:
  explicit Successors(size_t state_bytes = 0) : bytes_(state_bytes) {}
  void reset(size_t state_bytes) {
    bytes_ = state_bytes;
    clear();
  }
  void clear() {
    states_.clear();
    groups_.clear();
  }
  // Appends a successor produced by transition group `group` (>= 0). Returns where to
  // write its packed state (state_bytes bytes).
  uint8_t* add(int group) {
    groups_.push_back(group);
    states_.resize(states_.size() + bytes_);
    return states_.data() + states_.size() - bytes_;
  }
  void add(const uint8_t* state, int group) {
    uint8_t* p = add(group);
    if (bytes_ != 0) std::memcpy(p, state, bytes_);
  }
  size_t size() const { return groups_.size(); }
  const uint8_t* state(size_t i) const { return states_.data() + i * bytes_; }
  int group(size_t i) const { return groups_[i]; }

 private:
  size_t bytes_;
  std::vector<uint8_t> states_;
  std::vector<int> groups_;
};

class StateSpace {
 public:
  virtual ~StateSpace() = default;

  // Bytes of a packed state (may be 0 for a one-state system).
  virtual size_t state_bytes() const = 0;
  // Transition groups are numbered 0 .. group_count() - 1 (fairness refers to them).
  virtual int group_count() const = 0;
  virtual void initial_state(uint8_t* out) = 0;
  // Sets *valuation to the atoms holding in `state` (bit i: atom i). Returns false on an
  // evaluation error, described by error().
  virtual bool atoms(const uint8_t* state, uint64_t* valuation) = 0;
  // Appends every successor of `state` that is not a checking error (a state whose only
  // successors are errors has none: the run stops there and stutters, as a deadlock).
  // Returns false on an error, described by error().
  virtual bool successors(const uint8_t* state, Successors& out) = 0;
  virtual std::string error() const { return {}; }
};

// A state space given explicitly: states 0..n-1 (packed as 4 bytes), edges with groups,
// and each state's atom valuation. For tests and small hand-made examples.
class ExplicitStateSpace : public StateSpace {
 public:
  struct Edge {
    int to = 0;
    int group = 0;
  };
  ExplicitStateSpace(int states, int groups, int initial = 0)
      : out_(static_cast<size_t>(states)), atoms_(static_cast<size_t>(states), 0), groups_(groups),
        initial_(initial) {}

  void add_edge(int from, int to, int group) { out_[static_cast<size_t>(from)].push_back({to, group}); }
  void set_atoms(int state, uint64_t valuation) { atoms_[static_cast<size_t>(state)] = valuation; }
  int states() const { return static_cast<int>(out_.size()); }
  const std::vector<Edge>& edges(int state) const { return out_[static_cast<size_t>(state)]; }
  uint64_t valuation(int state) const { return atoms_[static_cast<size_t>(state)]; }
  static int decode(const uint8_t* p) {
    int v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }

  size_t state_bytes() const override { return sizeof(int); }
  int group_count() const override { return groups_; }
  void initial_state(uint8_t* out) override { std::memcpy(out, &initial_, sizeof initial_); }
  bool atoms(const uint8_t* state, uint64_t* valuation) override {
    *valuation = atoms_[static_cast<size_t>(decode(state))];
    return true;
  }
  bool successors(const uint8_t* state, Successors& out) override {
    const auto& edges = out_[static_cast<size_t>(decode(state))];
    for (const Edge& e : edges) out.add(reinterpret_cast<const uint8_t*>(&e.to), e.group);
    return true;
  }

 private:
  std::vector<std::vector<Edge>> out_;
  std::vector<uint64_t> atoms_;
  int groups_;
  int initial_;
};

}  // namespace sp::checker::ltl
