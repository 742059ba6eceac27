// A scripted Target for executor tests: a virtual clock, a responder that answers each
// injected packet with packets after given delays, settable TCP state and neighbour
// table. No privileges, no real time passes.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/target.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/tcp.hpp"

namespace sp::harness::testing {

class FakeTarget : public Target {
 public:
  struct Scheduled {
    double time;
    std::vector<uint8_t> bytes;
  };
  // Given an injected packet, what the IUT sends back (delay in seconds, packet).
  using Responder =
      std::function<std::vector<std::pair<double, std::vector<uint8_t>>>(const std::vector<uint8_t>&)>;

  explicit FakeTarget(LinkType link = LinkType::kIpv4) : link_(link) {}

  LinkType link() const override { return link_; }
  double now() override { return now_; }
  bool send(std::span<const uint8_t> packet, std::string*) override {
    std::vector<uint8_t> bytes(packet.begin(), packet.end());
    injected.push_back(bytes);
    if (responder) {
      for (auto& [delay, reply] : responder(bytes)) emit(delay, std::move(reply));
    }
    return true;
  }
  Received receive(double deadline) override {
    Received r;
    auto it = std::min_element(queue_.begin(), queue_.end(),
                               [](const Scheduled& a, const Scheduled& b) { return a.time < b.time; });
    if (it == queue_.end() || it->time > deadline) {
      now_ = std::max(now_, deadline);
      r.status = Received::Status::kTimeout;
      return r;
    }
    now_ = std::max(now_, it->time);
    r.status = Received::Status::kPacket;
    r.time = it->time;
    r.bytes = std::move(it->bytes);
    queue_.erase(it);
    return r;
  }
  CallOutcome call(const Call& c) override {
    calls.push_back(c.kind);
    if (on_call) return on_call(c);
    return {};
  }
  StateObservation tcp_state() override {
    now_ += observe_cost;
    StateObservation s;
    s.state = state;
    return s;
  }
  NeighbourObservation neighbour(packet::Ipv4Address address) override {
    NeighbourObservation n;
    auto it = neighbours.find(address.value);
    if (it != neighbours.end()) n.mac = it->second;
    return n;
  }

  // The IUT sends `bytes` `delay` seconds from now.
  void emit(double delay, std::vector<uint8_t> bytes) { queue_.push_back({now_ + delay, std::move(bytes)}); }

  Responder responder;
  std::function<CallOutcome(const Call&)> on_call;
  std::string state = "CLOSED";
  double observe_cost = 0;  // seconds each tcp_state() takes (virtual time)
  std::map<uint32_t, packet::MacAddress> neighbours;
  std::vector<std::vector<uint8_t>> injected;
  std::vector<Call::Kind> calls;

 private:
  LinkType link_;
  double now_ = 100.0;
  std::vector<Scheduled> queue_;
};

// An IPv4/TCP packet from the IUT (192.0.2.1:8080) to the tester (192.0.2.2:40000).
inline std::vector<uint8_t> iut_segment(uint16_t flags, uint32_t seq, uint32_t ack,
                                        size_t payload = 0, uint16_t window = 64240,
                                        packet::TcpOptions options = {}) {
  packet::Ipv4Header ip;
  ip.src = packet::Ipv4Address::from_octets(192, 0, 2, 1);
  ip.dst = packet::Ipv4Address::from_octets(192, 0, 2, 2);
  packet::TcpSegment seg;
  seg.header.src_port = 8080;
  seg.header.dst_port = 40000;
  seg.header.seq = seq;
  seg.header.ack = ack;
  seg.header.flags = flags;
  seg.header.window = window;
  seg.header.options = std::move(options);
  seg.payload.assign(payload, 'y');
  return packet::build_ipv4_tcp(ip, seg).value();
}

// The same, to tester port `dst_port` (tests with several connections).
inline std::vector<uint8_t> iut_segment_to(uint16_t flags, uint32_t seq, uint32_t ack, uint16_t dst_port) {
  packet::DecodedIpv4 d = packet::decode_ipv4(iut_segment(flags, seq, ack)).value();
  packet::TcpSegment seg = *d.tcp;
  seg.header.dst_port = dst_port;
  return packet::build_ipv4_tcp(d.ip.header, seg).value();
}

// The TCP segment inside an injected IPv4 packet.
inline packet::TcpSegment tcp_of(const std::vector<uint8_t>& bytes) {
  return *packet::decode_ipv4(bytes).value().tcp;
}

}  // namespace sp::harness::testing
