// The monitor's verdict on one side of one connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sp::monitor {

enum class Verdict { kConforms, kDeparts, kInconclusive };

const char* verdict_name(Verdict v);  // "conforms", "departs", "inconclusive"

// What the spec allowed instead of a departing segment.
struct Allowed {
  std::string segment;     // `flags=A seq=1001 ack=2002`, or "nothing"
  std::string transition;  // the step that sends it (`rcv_fin_established`)
  std::string cite;        // its RFC sentence (`RFC 9293 §3.10.7.4`)
  std::string note;        // e.g. "only if the rtx timer expired earlier than 1 s"
};

struct Departure {
  uint64_t frame = 0;          // the capture's record number
  int64_t time_us = 0;
  std::string direction;       // "sent by the role", "received by the role"
  std::string segment;         // the departing segment in the spec's fields
  std::vector<std::string> states;  // the role's possible control states before it
  std::vector<Allowed> allowed;
};

struct SideResult {
  std::string role_host;       // `10.0.0.1:80`
  std::string side;            // "client" (sent the first SYN) or "server"
  Verdict verdict = Verdict::kConforms;
  std::string reason;          // inconclusive: why; conforms: notes (mid-connection start)
  bool mid_connection = false;
  uint64_t checked = 0;        // segments checked
  Departure departure;         // kDeparts
};

struct ConnectionResult {
  uint64_t id = 0;             // the frame number of its first segment
  std::string a, b;            // the endpoints as `ip:port`, a sent the first packet
  uint64_t first_frame = 0, last_frame = 0;
  int64_t first_time_us = 0, last_time_us = 0;
  uint64_t packets = 0;
  std::vector<SideResult> sides;
};

}  // namespace sp::monitor
