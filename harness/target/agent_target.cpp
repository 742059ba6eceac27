#include "harness/target/agent_target.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/packet/arp.hpp"
#include "harness/packet/checksum.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/ethernet.hpp"
#include "harness/target/wait.hpp"

namespace sp::harness {
namespace {

std::string errno_text(const std::string& what, int err) {
  return what + ": " + std::strerror(err) + " (" + strerrorname_np(err) + ")";
}

CallOutcome harness_failure(std::string message) { return {false, true, std::move(message)}; }

// A frame the sending kernel handed over with its TCP/UDP checksum left to the NIC
// (CHECKSUM_PARTIAL: a veth peer in the same host, TP_STATUS_CSUMNOTREADY). On a wire
// the NIC would have filled it in; the harness does the same so that it can still check
// every other checksum. Only for IPv4 TCP and UDP, the only offloaded ones here.
void complete_checksum(std::vector<uint8_t>& frame) {
  constexpr size_t kEth = 14;
  if (frame.size() < kEth + 20 || frame[12] != 0x08 || frame[13] != 0x00) return;
  size_t ihl = static_cast<size_t>(frame[kEth] & 0x0f) * 4;
  size_t total = (static_cast<size_t>(frame[kEth + 2]) << 8) | frame[kEth + 3];
  uint8_t protocol = frame[kEth + 9];
  if (ihl < 20 || total < ihl || kEth + total > frame.size()) return;
  size_t field = protocol == 6 ? 16 : protocol == 17 ? 6 : 0;
  if (!field || total - ihl < field + 2) return;
  uint8_t* l4 = frame.data() + kEth + ihl;
  l4[field] = l4[field + 1] = 0;
  auto addr = [&](size_t at) {
    return packet::Ipv4Address{(static_cast<uint32_t>(frame[at]) << 24) | (static_cast<uint32_t>(frame[at + 1]) << 16) |
                               (static_cast<uint32_t>(frame[at + 2]) << 8) | frame[at + 3]};
  };
  uint16_t sum = packet::pseudo_header_checksum(addr(kEth + 12), addr(kEth + 16), protocol,
                                                std::span<const uint8_t>(l4, total - ihl));
  l4[field] = static_cast<uint8_t>(sum >> 8);
  l4[field + 1] = static_cast<uint8_t>(sum & 0xff);
}

// A CLOCK_REALTIME stamp (SO_TIMESTAMPNS) on the monotonic clock, given the monotonic
// time `mono_now` read just before: the stamp's age on the realtime clock, taken back
// from mono_now. Never later than mono_now (a clock step makes the age negative).
double monotonic_from_realtime(const struct timespec& stamp, double mono_now) {
  struct timespec real {};
  clock_gettime(CLOCK_REALTIME, &real);
  double age = static_cast<double>(real.tv_sec - stamp.tv_sec) +
               static_cast<double>(real.tv_nsec - stamp.tv_nsec) * 1e-9;
  return age > 0 && age < 60 ? mono_now - age : mono_now;
}

}  // namespace

std::unique_ptr<AgentTarget> AgentTarget::create(const AgentTargetConfig& config,
                                                 std::unique_ptr<agent::AgentClient> agent, std::string* error) {
  std::unique_ptr<AgentTarget> t(new AgentTarget(config));
  t->agent_ = std::move(agent);
  t->ifindex_ = static_cast<int>(if_nametoindex(config.ifname.c_str()));
  if (t->ifindex_ == 0) {
    *error = errno_text("interface " + config.ifname, errno);
    return nullptr;
  }
  t->fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (t->fd_ < 0) {
    *error = errno_text("socket(AF_PACKET)", errno) + " (needs CAP_NET_RAW)";
    return nullptr;
  }
  // Our own transmissions are not the IUT's packets.
  int one = 1;
  setsockopt(t->fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  // Whether a frame's checksum is still to be computed (checksum offload, complete_checksum).
  setsockopt(t->fd_, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one);
  // The kernel's receive time of each frame: the IUT's segment arrived then, however
  // late this process gets to read it (the reaction latency, TestResult).
  setsockopt(t->fd_, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  struct sockaddr_ll sll {};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = t->ifindex_;
  if (bind(t->fd_, reinterpret_cast<struct sockaddr*>(&sll), sizeof sll) != 0) {
    *error = errno_text("bind(AF_PACKET) to " + config.ifname, errno);
    return nullptr;
  }
  // The IUT's frames are addressed to tester.mac, which need not be the interface's own
  // address; the membership ends with the socket.
  struct packet_mreq mr {};
  mr.mr_ifindex = t->ifindex_;
  mr.mr_type = PACKET_MR_PROMISC;
  if (setsockopt(t->fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
    *error = errno_text("PACKET_MR_PROMISC on " + config.ifname, errno);
    return nullptr;
  }
  // Whatever was queued before bind (from any interface) or before the test is not ours.
  char buf[2048];
  while (recv(t->fd_, buf, sizeof buf, MSG_DONTWAIT) > 0) {
  }
  for (const auto& [name, value] : config.sysctls) {
    if (!t->agent_) break;
    agent::Command c;
    c.verb = agent::Command::Verb::kSysctl;
    c.name = name;
    c.value = value;
    std::optional<agent::Reply> r = t->agent_->request(c);
    if (!r || !r->ok) {
      *error = "sysctl " + name + "=" + value + " through the agent: " +
               (r ? "err " + r->code + " " + r->text : t->agent_->error());
      return nullptr;
    }
  }
  return t;
}

AgentTarget::~AgentTarget() {
  agent_.reset();  // the agent resets its stack first (its sockets go with RSTs)
  if (fd_ >= 0) close(fd_);
}

double AgentTarget::now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

bool AgentTarget::send(std::span<const uint8_t> packet, std::string* error) {
  struct sockaddr_ll to {};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex_;
  to.sll_halen = 6;
  if (packet.size() >= 6) std::memcpy(to.sll_addr, packet.data(), 6);
  ssize_t n = sendto(fd_, packet.data(), packet.size(), 0, reinterpret_cast<struct sockaddr*>(&to), sizeof to);
  if (n != static_cast<ssize_t>(packet.size())) {
    *error = n < 0 ? errno_text("sendto(AF_PACKET)", errno) : "short write to " + config_.ifname;
    return false;
  }
  ++frames_sent_;
  return true;
}

bool AgentTarget::answer_arp(const std::vector<uint8_t>& frame) {
  auto d = packet::decode_frame(frame);
  if (!d.ok() || !d->arp) return false;
  const packet::ArpPacket& req = *d->arp;
  if (req.operation != packet::kArpRequest || req.target_ip != config_.book.tester_ip) return false;
  // RFC 826: "swap hardware and protocol fields, putting the local hardware and
  // protocol addresses in the sender fields; set the ar$op field to ares_op$REPLY".
  packet::ArpPacket reply;
  reply.operation = packet::kArpReply;
  reply.sender_mac = config_.book.tester_mac;
  reply.sender_ip = config_.book.tester_ip;
  reply.target_mac = req.sender_mac;
  reply.target_ip = req.sender_ip;
  packet::EthernetHeader eth{req.sender_mac, config_.book.tester_mac, packet::kEtherTypeArp};
  std::vector<uint8_t> bytes = packet::build_frame_arp(eth, reply);
  std::string ignored;
  send(bytes, &ignored);
  return true;
}

Received AgentTarget::receive(double deadline) {
  Received r;
  std::vector<uint8_t> buf(65536 + 64);
  while (true) {
    struct sockaddr_ll from {};
    struct iovec iov {buf.data(), buf.size()};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(struct tpacket_auxdata)) +
                                         CMSG_SPACE(sizeof(struct timespec))];
    struct msghdr msg {};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n > 0 && from.sll_pkttype != PACKET_OUTGOING) {
      r.status = Received::Status::kPacket;
      r.time = now();
      buf.resize(static_cast<size_t>(n));
      for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          struct timespec stamp;
          std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
          r.time = monotonic_from_realtime(stamp, r.time);
          continue;
        }
        if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
        struct tpacket_auxdata aux;
        std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
        if (aux.tp_status & TP_STATUS_CSUMNOTREADY) complete_checksum(buf);
      }
      r.harness = config_.answer_arp && answer_arp(buf);
      r.bytes = std::move(buf);
      return r;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      r.status = Received::Status::kError;
      r.error = errno_text("recvfrom(AF_PACKET)", errno);
      return r;
    }
    if (n > 0) continue;
    double left = deadline - now();
    if (left <= 0) {
      r.status = Received::Status::kTimeout;
      return r;
    }
    if (wait_readable(fd_, left) < 0 && errno != EINTR) {
      r.status = Received::Status::kError;
      r.error = errno_text("ppoll", errno);
      return r;
    }
  }
}

std::string AgentTarget::sync() {
  if (!config_.sync_frames || !agent_) return "";
  return agent_->sync(frames_sent_);
}

CallOutcome AgentTarget::call(const Call& call) {
  if (!agent_) return harness_failure(std::string(call_name(call.kind)) + ": no agent (--agent CMD|ADDR) to drive the stack");
  if (std::string why = sync(); !why.empty()) return harness_failure(std::string(call_name(call.kind)) + ": " + why);
  return agent_->call(call, config_.book);
}

StateObservation AgentTarget::tcp_state() {
  if (!agent_) return {false, "", "", "no agent (--agent CMD|ADDR) to observe the TCP state"};
  if (std::string why = sync(); !why.empty()) return {false, "", "", why};
  return agent_->tcp_state(config_.book.tester_ip, config_.book.tester_port);
}

NeighbourObservation AgentTarget::neighbour(packet::Ipv4Address address) {
  if (!agent_) return {false, std::nullopt, "", "no agent (--agent CMD|ADDR) to observe the ARP cache"};
  if (std::string why = sync(); !why.empty()) return {false, std::nullopt, "", why};
  return agent_->neighbour(address);
}

}  // namespace sp::harness
