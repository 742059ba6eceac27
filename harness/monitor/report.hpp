// The monitor's results as text (a summary per connection) and as JSON (one object per
// connection, streamed: `{"capture": ..., "connections": [...], "totals": {...}}`).
#pragma once

#include <string>

#include "harness/monitor/monitor.hpp"
#include "harness/monitor/verdict.hpp"

namespace sp::monitor {

// `#3 10.0.0.1:40000 <-> 10.0.0.2:80: frames 7-15, 9 segments` and one line per side
// checked (with the departure's details under it).
std::string connection_text(const ConnectionResult& r);

// One connection as a JSON object (no trailing newline).
std::string connection_json(const ConnectionResult& r);

// A JSON string literal of `text` (quoted, escaped).
std::string json_string(const std::string& text);

// The totals as a JSON object, and as the closing line(s) of the text summary.
std::string totals_json(const Totals& t, double seconds);
std::string totals_text(const Totals& t, double seconds);

}  // namespace sp::monitor
