// `stateproof gen`: a conformance test suite for one role of a spec (docs/gen.md).
//
// generate() explores the role symbolically (gen/explore.hpp), picks tests by the
// coverage criterion and concretizes them (gen/concretize.hpp); write_suite() writes the
// `.spt` files, coverage.txt and, on request, pcaps and packetdrill scripts. Both are
// pure functions of (model, options): the same seed gives byte-identical output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "gen/testcase.hpp"

namespace sp::gen {

enum class Coverage { kTransition, kBoundary, kWMethod };

struct GenOptions {
  std::string role;
  Coverage coverage = Coverage::kTransition;
  uint64_t seed = 0;
  int depth = 10;            // exploration depth (tester actions)
  int per_key = 1;           // paths expanded per abstract state (2 gives tcp.sp the
                             // same transition suite at 1.7x the exploration time)
  int extra_states = 0;      // W-method: m = states + extra_states
  std::vector<std::string> prefer_via;  // control states preambles pass through when a
                                        // path of the same length can (docs/gen.md)
  int jobs = 0;              // worker processes (0: one per CPU); the suite is the same
                             // for every value (gen/workers.cpp)
  bool pcap = false;
  bool packetdrill = false;
};

struct CoverageEntry {
  std::string transition;
  enum class Status { kCovered, kUnreachable, kNotGenerated } status = Status::kCovered;
  std::vector<std::string> tests;
  std::string why;
  // Transition coverage tests a transition from each state of its from-set: the
  // (transition, from-state) pairs, each with its test ("" when none: no explored path
  // takes the transition from that state, or no concrete values were found).
  struct FromState {
    std::string state;
    std::string test;
  };
  std::vector<FromState> from;
};

struct GenResult {
  std::string role;
  std::vector<TestCase> tests;
  std::vector<CoverageEntry> coverage;
  std::vector<std::string> skipped;   // variants not generated, with the reason
  long queries = 0, unknown = 0;
  long model_hits = 0;                // checks answered by a cached model (no query)
  long explore_queries = 0;           // of `queries`: made by the exploration
  double solver_seconds = 0, total_seconds = 0, explore_seconds = 0;
  int nodes = 0, depth = 0, states_reached = 0, states = 0;
  bool truncated = false;
  bool out_of_memory = false;         // generate() failed for want of memory (Z3's or ours)

  std::string report() const;         // coverage.txt
};

// Returns false with *error set for a usage problem (no such role), or when memory ran
// out (out->out_of_memory).
bool generate(const ir::Model& model, const GenOptions& options, GenResult* out,
              std::string* error);

bool write_suite(const ir::Model& model, const GenResult& result, const GenOptions& options,
                 const std::string& dir, std::string* error);

}  // namespace sp::gen
