#include "harness/monitor/report.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace sp::monitor {

namespace {

std::string time_text(int64_t us) {
  char b[64];
  std::snprintf(b, sizeof b, "%lld.%06lld", static_cast<long long>(us / 1000000), static_cast<long long>(us % 1000000));
  return b;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

std::string connection_text(const ConnectionResult& r) {
  std::string s = "#" + std::to_string(r.id) + " " + r.a + " <-> " + r.b + ": frames " +
                  std::to_string(r.first_frame) + "-" + std::to_string(r.last_frame) + ", " +
                  std::to_string(r.packets) + " segments\n";
  for (const SideResult& side : r.sides) {
    s += "  " + side.side + " " + side.role_host + ": " + verdict_name(side.verdict);
    if (side.verdict == Verdict::kDeparts) {
      const Departure& d = side.departure;
      s += " at frame " + std::to_string(d.frame) + " (" + d.direction + "): " + d.segment + "\n";
      s += "    in " + join(d.states, ", ") + "; the spec allowed instead:\n";
      for (const Allowed& a : d.allowed) {
        s += "      " + a.segment;
        if (!a.transition.empty()) s += "  (" + a.transition + (a.cite.empty() ? "" : ", " + a.cite) + ")";
        if (!a.note.empty()) s += "  " + a.note;
        s += "\n";
      }
      if (d.allowed.empty()) s += "      nothing at all\n";
    } else {
      s += " (" + std::to_string(side.checked) + " segments checked" + (side.reason.empty() ? "" : "; " + side.reason) +
           ")\n";
    }
  }
  return s;
}

std::string connection_json(const ConnectionResult& r) {
  nlohmann::ordered_json j;
  j["id"] = r.id;
  j["a"] = r.a;
  j["b"] = r.b;
  j["first_frame"] = r.first_frame;
  j["last_frame"] = r.last_frame;
  j["first_time"] = time_text(r.first_time_us);
  j["last_time"] = time_text(r.last_time_us);
  j["segments"] = r.packets;
  j["sides"] = nlohmann::ordered_json::array();
  for (const SideResult& side : r.sides) {
    nlohmann::ordered_json o;
    o["role"] = side.role_host;
    o["side"] = side.side;
    o["verdict"] = verdict_name(side.verdict);
    o["reason"] = side.reason;
    o["mid_connection"] = side.mid_connection;
    o["checked"] = side.checked;
    if (side.verdict == Verdict::kDeparts) {
      const Departure& d = side.departure;
      nlohmann::ordered_json dj;
      dj["frame"] = d.frame;
      dj["time"] = time_text(d.time_us);
      dj["direction"] = d.direction;
      dj["segment"] = d.segment;
      dj["states"] = d.states;
      dj["allowed"] = nlohmann::ordered_json::array();
      for (const Allowed& a : d.allowed) {
        dj["allowed"].push_back({{"segment", a.segment}, {"transition", a.transition}, {"cite", a.cite}, {"note", a.note}});
      }
      o["departure"] = dj;
    }
    j["sides"].push_back(o);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_string(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string totals_json(const Totals& t, double seconds) {
  nlohmann::ordered_json j;
  j["records"] = t.records;
  j["tcp_segments"] = t.tcp;
  j["arp"] = t.arp;
  j["other"] = t.other;
  j["truncated"] = t.truncated;
  j["undecodable"] = t.undecodable;
  j["fragments"] = t.fragments;
  j["connections"] = t.connections;
  j["conforms"] = t.conforms;
  j["departs"] = t.departs;
  j["inconclusive"] = t.inconclusive;
  j["peak_open_connections"] = t.peak_open;
  j["seconds"] = seconds;
  return j.dump();
}

std::string totals_text(const Totals& t, double seconds) {
  char b[512];
  std::snprintf(b, sizeof b,
                "%llu connections: %llu sides conform, %llu depart, %llu inconclusive\n"
                "%llu records in %.2f s: %llu TCP segments, %llu ARP (not checked), %llu other, %llu truncated, "
                "%llu undecodable, %llu fragments\n",
                static_cast<unsigned long long>(t.connections), static_cast<unsigned long long>(t.conforms),
                static_cast<unsigned long long>(t.departs), static_cast<unsigned long long>(t.inconclusive),
                static_cast<unsigned long long>(t.records), seconds, static_cast<unsigned long long>(t.tcp),
                static_cast<unsigned long long>(t.arp), static_cast<unsigned long long>(t.other),
                static_cast<unsigned long long>(t.truncated), static_cast<unsigned long long>(t.undecodable),
                static_cast<unsigned long long>(t.fragments));
  return b;
}

}  // namespace sp::monitor
