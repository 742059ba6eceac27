#include "harness/netns/netlink.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace sp::harness::netns {

Netlink::Netlink(Netlink&& other) noexcept : fd_(std::exchange(other.fd_, -1)), seq_(other.seq_) {}

Netlink& Netlink::operator=(Netlink&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    seq_ = other.seq_;
  }
  return *this;
}

Netlink::~Netlink() {
  if (fd_ >= 0) close(fd_);
}

Status Netlink::open(int protocol, Netlink* out) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
  if (fd < 0) return Status::Errno("socket(AF_NETLINK)", errno);
  struct sockaddr_nl local {};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<struct sockaddr*>(&local), sizeof local) != 0) {
    int err = errno;
    close(fd);
    return Status::Errno("bind(AF_NETLINK)", err);
  }
  Netlink n;
  n.fd_ = fd;
  *out = std::move(n);
  return Status::Ok();
}

Status Netlink::transact(std::vector<uint8_t> request, std::vector<std::vector<uint8_t>>* replies) {
  if (fd_ < 0) return Status::Error("netlink socket not open");
  auto* hdr = reinterpret_cast<struct nlmsghdr*>(request.data());
  hdr->nlmsg_len = static_cast<uint32_t>(request.size());
  hdr->nlmsg_seq = ++seq_;
  const bool dump = (hdr->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  struct sockaddr_nl kernel {};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<struct sockaddr*>(&kernel),
             sizeof kernel) < 0) {
    return Status::Errno("netlink sendto", errno);
  }
  std::vector<uint8_t> buf(64 * 1024);
  while (true) {
    struct pollfd p {fd_, POLLIN, 0};
    int pr = poll(&p, 1, 2000);
    if (pr == 0) return Status::Error("netlink: no answer from the kernel within 2 s");
    if (pr < 0) {
      if (errno == EINTR) continue;
      return Status::Errno("netlink poll", errno);
    }
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Errno("netlink recv", errno);
    }
    int len = static_cast<int>(n);
    for (auto* m = reinterpret_cast<struct nlmsghdr*>(buf.data()); NLMSG_OK(m, len);
         m = NLMSG_NEXT(m, len)) {
      if (m->nlmsg_seq != seq_) continue;  // a late answer to an earlier request
      if (m->nlmsg_type == NLMSG_DONE) return Status::Ok();
      if (m->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<struct nlmsgerr*>(NLMSG_DATA(m));
        if (e->error == 0) {
          if (!dump) return Status::Ok();
          continue;
        }
        return Status::Errno("netlink", -e->error);
      }
      const uint8_t* data = static_cast<const uint8_t*>(NLMSG_DATA(m));
      replies->emplace_back(data, data + (m->nlmsg_len - NLMSG_HDRLEN));
      if (!dump && !(m->nlmsg_flags & NLM_F_MULTI)) return Status::Ok();
    }
  }
}

namespace {

std::vector<uint8_t> message(uint16_t type, uint16_t flags, const void* body, size_t body_len) {
  std::vector<uint8_t> m(NLMSG_HDRLEN + NLMSG_ALIGN(body_len));
  auto* hdr = reinterpret_cast<struct nlmsghdr*>(m.data());
  hdr->nlmsg_type = type;
  hdr->nlmsg_flags = flags;
  std::memcpy(m.data() + NLMSG_HDRLEN, body, body_len);
  return m;
}

void append_attr(std::vector<uint8_t>& m, uint16_t type, const void* data, size_t len) {
  size_t at = m.size();
  m.resize(at + RTA_SPACE(len));
  auto* rta = reinterpret_cast<struct rtattr*>(m.data() + at);
  rta->rta_type = type;
  rta->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), data, len);
}

}  // namespace

Status dump_tcp_sockets(Netlink& diag, std::vector<TcpSocketInfo>* out) {
  struct inet_diag_req_v2 req {};
  req.sdiag_family = AF_INET;
  req.sdiag_protocol = IPPROTO_TCP;
  // Every state from ESTABLISHED (1) to NEW_SYN_RECV (12); not BOUND_INACTIVE (13).
  req.idiag_states = 0x1ffe;
  std::vector<std::vector<uint8_t>> replies;
  Status s = diag.transact(message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &req, sizeof req),
                           &replies);
  if (!s.ok()) return Status::Error("sock_diag: " + s.error);
  for (const auto& r : replies) {
    if (r.size() < sizeof(struct inet_diag_msg)) continue;
    struct inet_diag_msg msg;
    std::memcpy(&msg, r.data(), sizeof msg);
    if (msg.idiag_family != AF_INET) continue;
    TcpSocketInfo info;
    info.state = msg.idiag_state;
    info.src.value = ntohl(msg.id.idiag_src[0]);
    info.dst.value = ntohl(msg.id.idiag_dst[0]);
    info.sport = ntohs(msg.id.idiag_sport);
    info.dport = ntohs(msg.id.idiag_dport);
    info.rqueue = msg.idiag_rqueue;
    info.cookie = static_cast<uint64_t>(msg.id.idiag_cookie[0]) | static_cast<uint64_t>(msg.id.idiag_cookie[1]) << 32;
    out->push_back(info);
  }
  return Status::Ok();
}

Status dump_neighbours(Netlink& route, int ifindex, std::vector<NeighbourInfo>* out) {
  struct ndmsg nd {};
  nd.ndm_family = AF_INET;
  nd.ndm_ifindex = ifindex;
  std::vector<std::vector<uint8_t>> replies;
  Status s = route.transact(message(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, &nd, sizeof nd),
                            &replies);
  if (!s.ok()) return Status::Error("RTM_GETNEIGH: " + s.error);
  for (const auto& r : replies) {
    if (r.size() < sizeof(struct ndmsg)) continue;
    struct ndmsg got;
    std::memcpy(&got, r.data(), sizeof got);
    if (got.ndm_family != AF_INET || (ifindex != 0 && got.ndm_ifindex != ifindex)) continue;
    NeighbourInfo info;
    info.nud_state = got.ndm_state;
    info.ifindex = got.ndm_ifindex;
    bool have_dst = false;
    int len = static_cast<int>(r.size() - NLMSG_ALIGN(sizeof(struct ndmsg)));
    // The attributes follow the aligned ndmsg; copy to keep alignment right.
    std::vector<uint8_t> attrs(r.begin() + NLMSG_ALIGN(sizeof(struct ndmsg)), r.end());
    for (auto* a = reinterpret_cast<struct rtattr*>(attrs.data()); RTA_OK(a, len);
         a = RTA_NEXT(a, len)) {
      if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) {
        uint32_t v;
        std::memcpy(&v, RTA_DATA(a), 4);
        info.address.value = ntohl(v);
        have_dst = true;
      } else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
        packet::MacAddress mac;
        std::memcpy(mac.bytes.data(), RTA_DATA(a), 6);
        info.mac = mac;
      }
    }
    if (have_dst) out->push_back(info);
  }
  return Status::Ok();
}

Status add_permanent_neighbour(uint64_t host_netns, Netlink& route, int ifindex,
                               packet::Ipv4Address address, const packet::MacAddress& mac) {
  if (Status s = require_private_netns(host_netns); !s.ok()) return s;
  struct ndmsg nd {};
  nd.ndm_family = AF_INET;
  nd.ndm_ifindex = ifindex;
  nd.ndm_state = NUD_PERMANENT;
  std::vector<uint8_t> m =
      message(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, &nd, sizeof nd);
  uint32_t dst = htonl(address.value);
  append_attr(m, NDA_DST, &dst, 4);
  append_attr(m, NDA_LLADDR, mac.bytes.data(), 6);
  std::vector<std::vector<uint8_t>> replies;
  Status s = route.transact(std::move(m), &replies);
  if (!s.ok()) return Status::Error("RTM_NEWNEIGH: " + s.error);
  return Status::Ok();
}

Status flush_learned_neighbours(uint64_t host_netns, Netlink& route, int ifindex) {
  if (Status s = require_private_netns(host_netns); !s.ok()) return s;
  std::vector<NeighbourInfo> entries;
  if (Status s = dump_neighbours(route, ifindex, &entries); !s.ok()) return s;
  for (const NeighbourInfo& n : entries) {
    if ((n.nud_state & (NUD_PERMANENT | NUD_NOARP)) != 0) continue;
    struct ndmsg nd {};
    nd.ndm_family = AF_INET;
    nd.ndm_ifindex = n.ifindex;
    std::vector<uint8_t> m = message(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK, &nd, sizeof nd);
    uint32_t dst = htonl(n.address.value);
    append_attr(m, NDA_DST, &dst, 4);
    std::vector<std::vector<uint8_t>> replies;
    Status s = route.transact(std::move(m), &replies);
    // ENOENT: the entry went away by itself between the dump and the delete.
    if (!s.ok() && s.error.find("ENOENT") == std::string::npos && s.error.find("No such file") == std::string::npos) {
      return Status::Error("RTM_DELNEIGH " + n.address.to_string() + ": " + s.error);
    }
  }
  return Status::Ok();
}

const char* kernel_tcp_state_name(uint8_t state) {
  static const char* const kNames[] = {
      "UNKNOWN",    "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1",    "FIN_WAIT2",
      "TIME_WAIT",  "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",       "CLOSING",
      "NEW_SYN_RECV", "BOUND_INACTIVE"};
  return state < sizeof kNames / sizeof kNames[0] ? kNames[state] : "UNKNOWN";
}

std::string nud_state_name(uint16_t state) {
  static constexpr struct {
    uint16_t bit;
    const char* name;
  } kBits[] = {{NUD_INCOMPLETE, "INCOMPLETE"}, {NUD_REACHABLE, "REACHABLE"}, {NUD_STALE, "STALE"},
               {NUD_DELAY, "DELAY"},           {NUD_PROBE, "PROBE"},         {NUD_FAILED, "FAILED"},
               {NUD_NOARP, "NOARP"},           {NUD_PERMANENT, "PERMANENT"}};
  std::string s;
  for (const auto& b : kBits) {
    if (state & b.bit) s += std::string(s.empty() ? "" : "|") + b.name;
  }
  return s.empty() ? "NONE" : s;
}

}  // namespace sp::harness::netns
