// Building the Target of one test in a worker process, for every target kind, and the
// environment checks that the lwip and raw targets need beyond namespaces and TUN.
#pragma once

#include <memory>
#include <string>

#include "harness/engine/target.hpp"
#include "harness/runner/runner.hpp"

namespace sp::harness {

// The test's target, in the calling process's namespace (a fresh one, except for raw).
// nullptr with *error set on failure.
std::unique_ptr<Target> make_target(const TestCase& test, const RunOptions& options, uint64_t host_netns,
                                    std::string* error);

// lwip: its driver program exists; raw: the interface exists here and an AF_PACKET
// socket opens. ok for the other kinds.
EnvironmentStatus check_target_environment(TargetKind target, const std::string& interface);

}  // namespace sp::harness
