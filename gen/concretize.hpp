// From a symbolic path to a concrete test: the tester's choices are fixed one by one
// (preferred values first, the seed's random values when a seed is given, the solver's
// model last), expected fields are written relative to the ISNs when the path determines
// them and `*` otherwise, and the exchange is evaluated with concrete ISNs for the pcap
// and the IR replay. Not thread-safe (uses the Explorer's solver).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gen/explore.hpp"
#include "gen/testcase.hpp"

namespace sp::gen {

// Concrete ISNs of the pcap exchange and the replay (docs/gen.md).
constexpr uint32_t kPcapIutIsn = 1000000;
constexpr uint32_t kPcapTesterIsn = 2000000;

struct ConcretizeInput {
  int base = 0;                       // explorer node: its path is the preamble (+ target)
  std::vector<const Node*> tail;      // steps after `base` that are not explorer nodes
  std::optional<z3::expr> extra;      // e.g. a boundary constraint
  bool fix_tester_isn = false;        // write the tester's ISN in the header (wrap tests)
  std::string name;
  uint64_t seed = 0;
};

class Concretizer {
 public:
  explicit Concretizer(Explorer& ex);
  // The test, or nullopt with *why set (infeasible, solver unknown).
  std::optional<TestCase> run(const ConcretizeInput& in, std::string* why);

 private:
  Explorer& ex_;
  z3::solver validity_;
};

}  // namespace sp::gen
