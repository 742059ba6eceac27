#include "harness/lwip_agent/lwip_driver.hpp"

#include <semaphore.h>
#include <unistd.h>

#include <atomic>

#include <cstring>
#include <ctime>

#include "harness/engine/target.hpp"

namespace sp::harness::lwip_agent {
namespace {

using agent::Command;
using agent::err_reply;
using agent::ok_reply;
using agent::Reply;

// Holds lwIP's core lock for a scope (LOCK_TCPIP_CORE: NO_SYS=0 with core locking).
class CoreLock {
 public:
  CoreLock() { LOCK_TCPIP_CORE(); }
  ~CoreLock() { UNLOCK_TCPIP_CORE(); }
  CoreLock(const CoreLock&) = delete;
  CoreLock& operator=(const CoreLock&) = delete;
};

Reply stack_error(const char* what, err_t err) {
  return err_reply(agent::kErrStack, std::string(err_name(err)) + ": " + what + ": " + lwip_strerr(err));
}

err_t accept_trampoline(void* arg, struct tcp_pcb* pcb, err_t err) {
  return static_cast<ListenTag*>(arg)->driver->on_accept(pcb, err);
}

err_t recv_callback(void* arg, struct tcp_pcb* pcb, struct pbuf* p, err_t) {
  Slot* slot = static_cast<Slot*>(arg);
  if (!p) {
    // The peer's FIN. The application has not closed: nothing to do but note it (the
    // default handler, tcp_recv_null, would close the connection on the user's behalf).
    slot->eof = true;
    return ERR_OK;
  }
  // The application reads at once: the data leaves the receive window.
  slot->received += p->tot_len;
  tcp_recved(pcb, p->tot_len);
  pbuf_free(p);
  return ERR_OK;
}

void err_callback(void* arg, err_t) {
  Slot* slot = static_cast<Slot*>(arg);
  slot->pcb = nullptr;  // lwIP has freed it
  slot->died = true;
}

err_t connected_callback(void*, struct tcp_pcb*, err_t) { return ERR_OK; }

std::string addr_text(const ip_addr_t& a, uint16_t port) {
  return std::string(ipaddr_ntoa(&a)) + ":" + std::to_string(port);
}

double monotonic_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

const char* err_name(err_t err) {
  switch (err) {
    case ERR_OK: return "ERR_OK";
    case ERR_MEM: return "ERR_MEM";
    case ERR_BUF: return "ERR_BUF";
    case ERR_TIMEOUT: return "ERR_TIMEOUT";
    case ERR_RTE: return "ERR_RTE";
    case ERR_INPROGRESS: return "ERR_INPROGRESS";
    case ERR_VAL: return "ERR_VAL";
    case ERR_WOULDBLOCK: return "ERR_WOULDBLOCK";
    case ERR_USE: return "ERR_USE";
    case ERR_ALREADY: return "ERR_ALREADY";
    case ERR_ISCONN: return "ERR_ISCONN";
    case ERR_CONN: return "ERR_CONN";
    case ERR_IF: return "ERR_IF";
    case ERR_ABRT: return "ERR_ABRT";
    case ERR_RST: return "ERR_RST";
    case ERR_CLSD: return "ERR_CLSD";
    case ERR_ARG: return "ERR_ARG";
    default: return "ERR_UNKNOWN";
  }
}

Slot* LwipDriver::new_slot(struct tcp_pcb* pcb) {
  slots_.push_back(std::make_unique<Slot>());
  Slot* s = slots_.back().get();
  s->pcb = pcb;
  tcp_arg(pcb, s);
  tcp_recv(pcb, recv_callback);
  tcp_err(pcb, err_callback);
  return s;
}

err_t LwipDriver::on_accept(struct tcp_pcb* pcb, err_t err) {
  if (err != ERR_OK || !pcb) return ERR_VAL;
  accepted_.push_back(new_slot(pcb));
  return ERR_OK;
}

Reply LwipDriver::handle(const Command& c) {
  switch (c.verb) {
    case Command::Verb::kListen: return do_listen(c);
    case Command::Verb::kConnect: return do_connect(c);
    case Command::Verb::kAccept: return do_accept();
    case Command::Verb::kSend: return do_send(c.bytes);
    case Command::Verb::kRecv: return do_recv();
    case Command::Verb::kShutdown: return do_shutdown();
    case Command::Verb::kClose: return do_close(false);
    case Command::Verb::kAbort: return do_close(true);
    case Command::Verb::kState: return do_state(c);
    case Command::Verb::kResolve: return do_resolve(c.address.value);
    case Command::Verb::kAnnounce: {
      CoreLock lock;
      err_t e = etharp_gratuitous(netif_);
      return e == ERR_OK ? ok_reply() : stack_error("etharp_gratuitous", e);
    }
    case Command::Verb::kNeighbour: return do_neighbour(c.address.value);
    case Command::Verb::kSysctl: return err_reply(agent::kErrUnsupported, "lwIP has no sysctls");
    case Command::Verb::kSync: return do_sync(c.frames);
    case Command::Verb::kReset: return do_reset();
    case Command::Verb::kQuit: return ok_reply();
  }
  return err_reply(agent::kErrUnsupported, "unknown command");
}

Reply LwipDriver::do_listen(const Command& c) {
  CoreLock lock;
  forget_ended_connection();
  struct tcp_pcb* pcb = nullptr;
  if (Reply r = new_bound_pcb(c.port, c.reuseaddr, &pcb); !r.ok) return r;
  err_t e = ERR_OK;
  struct tcp_pcb* lpcb = tcp_listen_with_backlog_and_err(pcb, 16, &e);
  if (!lpcb) {
    tcp_close(pcb);
    return stack_error("tcp_listen", e);
  }
  retire_earlier_connections(c.port, nullptr);
  if (listener_) close_listener();
  listen_tags_.push_back(std::make_unique<ListenTag>(ListenTag{this}));
  tcp_arg(lpcb, listen_tags_.back().get());
  tcp_accept(lpcb, accept_trampoline);
  listener_ = lpcb;
  port_ = c.port;
  return ok_reply();
}

void LwipDriver::forget_ended_connection() {
  // A reset or aborted connection (the error callback ran) no longer holds the user's
  // OPEN; after CLOSE conn_ is already null and the pcb is lwIP's (closed_).
  if (conn_ && !conn_->pcb) conn_ = nullptr;
}

Reply LwipDriver::new_bound_pcb(uint16_t port, bool reuseaddr, struct tcp_pcb** out) {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (!pcb) return stack_error("tcp_new", ERR_MEM);
  if (reuseaddr) ip_set_option(pcb, SOF_REUSEADDR);
  // ERR_USE while a pcb of an earlier connection (TIME-WAIT included) holds the port,
  // unless both have SOF_REUSEADDR: the stack refuses the OPEN.
  if (err_t e = tcp_bind(pcb, IP4_ADDR_ANY, port); e != ERR_OK) {
    tcp_close(pcb);
    return stack_error("tcp_bind", e);
  }
  *out = pcb;
  return ok_reply();
}

void LwipDriver::retire_earlier_connections(uint16_t port, const struct tcp_pcb* except) {
  // A pcb is named by its address and its callback argument: lwIP reuses freed pcb
  // memory, but every argument the driver gives (a Slot, a listener's ListenTag, which
  // its SYN_RCVD pcbs inherit) is an object of its own that lives as long as the driver.
  for (struct tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs}) {
    for (struct tcp_pcb* p = list; p; p = p->next) {
      if (p->local_port == port && p != except) earlier_.push_back({p, p->callback_arg});
    }
  }
  closed_ = nullptr;
}

bool LwipDriver::earlier(const struct tcp_pcb* pcb) const {
  for (const auto& [p, arg] : earlier_) {
    if (p == pcb && arg == pcb->callback_arg) return true;
  }
  return false;
}

void LwipDriver::close_listener() {
  if (!listener_) return;
  tcp_close(listener_);  // a listening pcb is freed at once; its SYN_RCVD pcbs live on
  listener_ = nullptr;
}

Reply LwipDriver::do_connect(const Command& c) {
  CoreLock lock;
  forget_ended_connection();
  // RFC 9293 §3.10.1, LISTEN: "If the foreign socket is specified, then change the
  // connection from passive to active": the listener gives way to the active pcb.
  close_listener();
  struct tcp_pcb* pcb = nullptr;
  if (Reply r = new_bound_pcb(c.local_port, c.reuseaddr, &pcb); !r.ok) return r;
  ip_addr_t peer;
  IP_ADDR4(&peer, (c.address.value >> 24) & 0xff, (c.address.value >> 16) & 0xff, (c.address.value >> 8) & 0xff,
           c.address.value & 0xff);
  Slot* slot = new_slot(pcb);
  if (err_t e = tcp_connect(pcb, &peer, c.port, connected_callback); e != ERR_OK) {
    tcp_abort(pcb);
    return stack_error("tcp_connect", e);
  }
  retire_earlier_connections(pcb->local_port, pcb);
  port_ = pcb->local_port;
  conn_ = slot;
  return ok_reply();
}

void LwipDriver::adopt_pending_connection() {
  if (conn_ || !listener_) return;
  while (!accepted_.empty()) {
    Slot* s = accepted_.front();
    accepted_.pop_front();
    if (!s->pcb) {
      lost_pending_ = true;
      continue;
    }
    conn_ = s;
    close_listener();
    return;
  }
}

Reply LwipDriver::do_accept() {
  {
    CoreLock lock;
    if (!listener_) return err_reply(agent::kErrNoSocket, "no listening pcb (listen first)");
    if (conn_) return err_reply(agent::kErrExists, "a connection already exists");
  }
  double deadline = monotonic_now() + kDefaultWithin;
  while (true) {
    {
      CoreLock lock;
      adopt_pending_connection();
      if (conn_) return ok_reply();
    }
    if (monotonic_now() >= deadline) break;
    usleep(2000);
  }
  return err_reply(agent::kErrTimeout, "no established connection within 0.5 s");
}

Reply LwipDriver::do_send(int64_t bytes) {
  CoreLock lock;
  adopt_pending_connection();
  if (!conn_ || !conn_->pcb) {
    return err_reply(agent::kErrNoSocket, listener_ ? "the connection is not established yet" : "no connection");
  }
  std::vector<char> data(static_cast<size_t>(bytes), 'x');
  if (bytes > 0) {
    if (bytes > tcp_sndbuf(conn_->pcb)) return stack_error("tcp_write (send buffer)", ERR_MEM);
    if (err_t e = tcp_write(conn_->pcb, data.data(), static_cast<u16_t>(bytes), TCP_WRITE_FLAG_COPY); e != ERR_OK) {
      return stack_error("tcp_write", e);
    }
    if (err_t e = tcp_output(conn_->pcb); e != ERR_OK) return stack_error("tcp_output", e);
  }
  return ok_reply(std::to_string(bytes));
}

Reply LwipDriver::do_recv() {
  CoreLock lock;
  adopt_pending_connection();
  if (!conn_) return err_reply(agent::kErrNoSocket, "no connection");
  int64_t n = conn_->received;
  conn_->received = 0;
  return ok_reply(std::to_string(n) + (conn_->eof ? " eof" : ""));
}

Reply LwipDriver::do_shutdown() {
  CoreLock lock;
  adopt_pending_connection();
  if (!conn_ || !conn_->pcb) return err_reply(agent::kErrNoSocket, "no connection");
  if (err_t e = tcp_shutdown(conn_->pcb, 0, 1); e != ERR_OK) return stack_error("tcp_shutdown", e);
  return ok_reply();
}

void LwipDriver::adopt_syn_rcvd_connection() {
  if (conn_ || !listener_) return;
  // RFC 9293 §3.10.4 and §3.10.5 define CLOSE and ABORT in SYN-RECEIVED; lwIP keeps
  // that connection's pcb in tcp_active_pcbs (its `listener` is ours) and its own
  // tcp_close/tcp_abort handle the state, but the raw API hands the pcb to the
  // application only after the handshake. The driver takes it from the list, so that
  // the test reaches lwIP's code for these events (the Linux target cannot: deviations
  // 6 and 7 in docs/harness.md).
  for (struct tcp_pcb* p = tcp_active_pcbs; p; p = p->next) {
    if (p->state == SYN_RCVD && p->listener == reinterpret_cast<struct tcp_pcb_listen*>(listener_)) {
      conn_ = new_slot(p);
      close_listener();
      return;
    }
  }
}

Reply LwipDriver::do_close(bool abort) {
  CoreLock lock;
  adopt_pending_connection();
  adopt_syn_rcvd_connection();
  if (conn_) {
    Slot* s = conn_;
    conn_ = nullptr;
    if (!s->pcb) return ok_reply();  // already reset: the TCB is gone
    if (abort) {
      tcp_abort(s->pcb);  // sends the RST, frees the pcb, runs the error callback
      return ok_reply();
    }
    // After tcp_close the pcb is lwIP's; our callbacks still find the slot, and an
    // ABORT may still come for it (closed_).
    err_t e = tcp_close(s->pcb);
    closed_ = s->pcb;
    s->pcb = nullptr;
    return e == ERR_OK ? ok_reply() : stack_error("tcp_close", e);
  }
  if (abort && closed_ && still_exists(closed_)) {
    // ABORT after CLOSE (FIN-WAIT, CLOSING, LAST-ACK, TIME-WAIT): RFC 9293 §3.10.5 still
    // applies to the TCB; lwIP frees closing pcbs without calling back, so whether the
    // pcb lives is read from its lists.
    struct tcp_pcb* pcb = closed_;
    closed_ = nullptr;
    tcp_abort(pcb);
    return ok_reply();
  }
  if (listener_) {
    // ABORT in LISTEN: "Any outstanding RECEIVEs should be returned with "error:
    // connection reset" responses. Delete TCB" (RFC 9293 §3.10.5): nothing is sent, and
    // tcp_abort does not take listening pcbs.
    close_listener();
    return ok_reply();
  }
  return err_reply(agent::kErrNoSocket, "no pcb");
}

bool LwipDriver::still_exists(struct tcp_pcb* pcb) const {
  for (struct tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs}) {
    for (struct tcp_pcb* p = list; p; p = p->next) {
      if (p == pcb && p->local_port == port_) return true;
    }
  }
  return false;
}

Reply LwipDriver::do_state(const Command& c) {
  CoreLock lock;
  if (port_ == 0) return ok_reply("CLOSED no listen or connect yet");
  // Like sock_diag on Linux: the pcb that stands for the connection is a synchronized
  // one over a SYN_RCVD one over a TIME_WAIT one over the listener.
  int best = -1;
  std::string state = "CLOSED", detail;
  auto consider = [&](struct tcp_pcb* pcb, int rank) {
    std::string who = std::string(tcp_debug_state_str(pcb->state)) + " " + addr_text(pcb->local_ip, pcb->local_port);
    if (pcb->state != LISTEN) who += " > " + addr_text(pcb->remote_ip, pcb->remote_port);
    detail += (detail.empty() ? "" : "; ") + who;
    if (rank > best) {
      best = rank;
      state = tcp_debug_state_str(pcb->state);
    }
  };
  for (struct tcp_pcb* p = tcp_listen_pcbs.pcbs; p; p = p->next) {
    if (p->local_port == port_) consider(p, 0);
  }
  auto peer_matches = [&](struct tcp_pcb* p) {
    return !c.has_peer || (p->remote_port == c.port && IP_IS_V4(&p->remote_ip) &&
                           lwip_ntohl(ip_2_ip4(&p->remote_ip)->addr) == c.address.value);
  };
  // Connections from before the latest OPEN are history (a TIME-WAIT one lingers).
  for (struct tcp_pcb* p = tcp_active_pcbs; p; p = p->next) {
    if (p->local_port == port_ && peer_matches(p) && !earlier(p)) consider(p, p->state == SYN_RCVD ? 2 : 3);
  }
  for (struct tcp_pcb* p = tcp_tw_pcbs; p; p = p->next) {
    if (p->local_port == port_ && peer_matches(p) && !earlier(p)) consider(p, 1);
  }
  // A connection that completed the handshake and was reset before anyone took it: the
  // listener no longer stands for a passive OPEN (as on Linux, docs/harness.md).
  bool lost = lost_pending_;
  for (Slot* s : accepted_) lost = lost || !s->pcb;
  if (best == 0 && lost) state = "CLOSED";
  if (detail.empty()) detail = "no pcb on port " + std::to_string(port_);
  return ok_reply(state + " " + detail);
}

Reply LwipDriver::do_resolve(uint32_t address) {
  CoreLock lock;
  if (!udp_) {
    udp_ = udp_new_ip_type(IPADDR_TYPE_V4);
    if (!udp_) return stack_error("udp_new", ERR_MEM);
  }
  // The datagram makes lwIP resolve the next hop (etharp_query queues it); once it
  // leaves, the harness recognises it by its payload.
  struct pbuf* p = pbuf_alloc(PBUF_TRANSPORT, static_cast<u16_t>(kResolveMarker.size()), PBUF_RAM);
  if (!p) return stack_error("pbuf_alloc", ERR_MEM);
  std::memcpy(p->payload, kResolveMarker.data(), kResolveMarker.size());
  ip_addr_t to;
  IP_ADDR4(&to, (address >> 24) & 0xff, (address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff);
  err_t e = udp_sendto(udp_, p, &to, 9);
  pbuf_free(p);
  // ERR_OK or queued behind the ARP request; anything else is a refusal.
  return e == ERR_OK ? ok_reply() : stack_error("udp_sendto", e);
}

Reply LwipDriver::do_neighbour(uint32_t address) {
  CoreLock lock;
  ip4_addr_t ip;
  IP4_ADDR(&ip, (address >> 24) & 0xff, (address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff);
  struct eth_addr* mac = nullptr;
  const ip4_addr_t* found = nullptr;
  // etharp_find_addr reports stable entries only (ETHARP_STATE_STABLE and later).
  if (etharp_find_addr(netif_, &ip, &mac, &found) < 0 || !mac) return ok_reply("none no stable entry");
  char text[32];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac->addr[0], mac->addr[1], mac->addr[2],
                mac->addr[3], mac->addr[4], mac->addr[5]);
  return ok_reply(std::string(text) + " stable");
}

namespace {

// Frames the netif has handed to the stack (counting_input).
std::atomic<uint64_t> g_frames_in{0};

void post_semaphore(void* sem) { sem_post(static_cast<sem_t*>(sem)); }

}  // namespace

err_t counting_input(struct pbuf* p, struct netif* inp) {
  err_t e = tcpip_input(p, inp);
  g_frames_in.fetch_add(1);
  return e;
}

// lwIP takes frames from the TAP on its own thread (tapif), so a call that follows an
// injected segment could run before lwIP has seen the segment. `sync N` waits until the
// netif has handed N frames to the stack, then until the tcpip thread has processed what
// was queued before it: a callback queued after the frames runs after them (one mbox).
Reply LwipDriver::do_sync(uint64_t frames) {
  timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (g_frames_in.load() < frames) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= 2) {
      return err_reply(agent::kErrTimeout, "lwIP took " + std::to_string(g_frames_in.load()) + " of " +
                                               std::to_string(frames) + " frames within 2 s");
    }
    usleep(100);
  }
  sem_t done;
  sem_init(&done, 0, 0);
  if (tcpip_callback(post_semaphore, &done) != ERR_OK) {
    sem_destroy(&done);
    return err_reply(agent::kErrStack, "tcpip_callback failed");
  }
  sem_wait(&done);
  sem_destroy(&done);
  return ok_reply();
}

Reply LwipDriver::do_reset() {
  CoreLock lock;
  close_listener();
  for (auto& s : slots_) {
    if (s->pcb) tcp_abort(s->pcb);
  }
  accepted_.clear();
  conn_ = nullptr;
  closed_ = nullptr;
  earlier_.clear();
  lost_pending_ = false;
  port_ = 0;
  if (udp_) {
    udp_remove(udp_);
    udp_ = nullptr;
  }
  return ok_reply();
}

}  // namespace sp::harness::lwip_agent
