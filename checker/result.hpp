// Options and results of an explicit-state check, shared by the safety checker
// (checker/safety.hpp) and the LTL engine (checker/ltl/).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/trace.hpp"

namespace sp::checker {

enum class Search { kBfs, kDfs };

// How visited states are remembered (docs/checker.md).
enum class StoreMode {
  kFull,         // the packed state: exact
  kHashCompact,  // a 64-bit hash signature of the state: a collision omits a state
  kBitstate,     // k bits in a bit array (DFS only): omissions likely on big models
};

// A snapshot of a running search, for progress lines.
struct Progress {
  uint64_t states = 0;
  uint64_t transitions = 0;
  uint64_t depth = 0;
  uint64_t queue = 0;         // BFS frontier, or DFS stack depth
  uint64_t memory_bytes = 0;
  double seconds = 0;
};

struct Options {
  Search search = Search::kBfs;
  int jobs = 0;                  // worker threads (BFS); 0: every core
  uint64_t max_states = 0;       // 0: no limit
  uint64_t max_memory = 0;       // bytes for the state store and queues; 0: no limit
  double timeout_seconds = 0;    // 0: no limit
  StoreMode store = StoreMode::kFull;
  int bitstate_log2 = 30;        // kBitstate: 2^n bits
  int bitstate_k = 3;            // kBitstate: hash functions
  bool check_errors = true;      // report checking errors as the implicit property
  // Partial-order reduction (breadth-first safety search only; docs/checker.md): a state
  // may be expanded by one instance's steps. Verdicts are those of the full search;
  // state counts and counterexample lengths are not.
  bool por = true;
  // Called now and then (about every `progress_interval` s) from one thread.
  std::function<void(const Progress&)> progress;
  double progress_interval = 0.25;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (verdicts unknown)
};

enum class Verdict { kHolds, kViolated, kUnknown };

const char* verdict_name(Verdict v);  // "holds", "VIOLATED", "unknown"

// Figures of one search (or of the part before a property was answered).
struct Stats {
  uint64_t states = 0;           // distinct states stored
  uint64_t transitions = 0;      // successors generated (error successors included)
  uint64_t max_depth = 0;        // BFS: levels; DFS: deepest stack
  double seconds = 0;             // wall-clock
  double cpu_seconds = 0;         // CPU time of the process (all workers) during the search
  uint64_t peak_memory_bytes = 0;  // estimated: state store + queue or stack
  double states_per_second() const { return seconds > 0 ? static_cast<double>(states) / seconds : 0; }
};

// The answer for one property. `property` indexes Model::properties; -1 is the
// implicit safety property "no checking errors" (failed assert, overflow, full channel...).
struct Outcome {
  int property = -1;
  std::string name;
  Verdict verdict = Verdict::kUnknown;
  std::string message;           // kViolated: what went wrong; kUnknown: why (the limit)
  std::optional<Trace> trace;    // kViolated: the counterexample
  Stats stats;                   // when the property was answered
};

struct Result {
  std::vector<Outcome> outcomes;  // one per property asked, then the implicit one
  Stats stats;                    // the whole search
  bool complete = false;          // every reachable state was explored
  std::string limit;              // why the search stopped early ("max-states", ...)
  // Lossy store modes: the estimated probability that a state was omitted (0: exact),
  // and for bitstate the hash factor (bits per state).
  double omission_probability = 0;
  double hash_factor = 0;
  std::vector<std::string> notes;  // e.g. "--jobs ignored with --dfs"
  // Partial-order reduction: states expanded by one instance only (0 without it).
  uint64_t reduced_states = 0;
};

}  // namespace sp::checker
