// Whether the IUT's initial sequence numbers could be predicted from each other (RFC 9293
// §3.4.1; RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
// so that a connection's ISN tells an off-path attacker nothing about another
// connection's). `expect isn unpredictable` in a test: the ISNs of the connections it
// opened from different tester ports, in the order they appeared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sp::harness {

struct IsnSample {
  uint32_t isn = 0;
  double time = 0;          // seconds, when the IUT's SYN (or SYN-ACK) arrived
  uint16_t peer_port = 0;   // the tester's port of that connection
};

struct IsnVerdict {
  bool enough = false;      // at least kMinIsnSamples ISNs
  bool predictable = false;
  std::string detail;       // the ISNs, their differences and the fit
};

inline constexpr size_t kMinIsnSamples = 5;
// A difference that a fit predicts within this many sequence numbers is predictable: an
// attacker who can guess an ISN to within 2^20 needs about 2^20 / window tries, not
// 2^32 / window (RFC 6528 §2 on the attack).
inline constexpr double kIsnTolerance = 1 << 20;

// The successive differences d_i = ISN_i - ISN_(i-1) (mod 2^32) fitted by least squares
// as d_i = a + r * (t_i - t_(i-1)): a global counter (r = 0: constant steps) or a clock
// (ISN = M alone, RFC 9293's 4 µs timer) fits within kIsnTolerance; ISNs from RFC 6528's
// keyed hash of different 4-tuples do not.
IsnVerdict judge_isns(const std::vector<IsnSample>& samples);

}  // namespace sp::harness
