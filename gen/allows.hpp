// The `allow` lines of a generated test (docs/gen.md, "Retransmissions in tests that are
// not about a timer").
#pragma once

#include <vector>

#include "gen/testcase.hpp"

namespace sp::gen {

// For a wire tcp test with no timer expiry on its path: one `allow ... unprompted` per
// SYN, SYN-ACK or FIN the IUT sends that the tester never acknowledges on the path (a
// retransmission of it by the IUT's own timer is an output the spec allows, which the
// test does not aim at). Empty for other tests. `tc.events` and `tc.packets` as
// concretize writes them: the k-th `expect` is the k-th packet from the IUT.
std::vector<Allow> retransmission_allows(const TestCase& tc, bool has_timeout);

}  // namespace sp::gen
