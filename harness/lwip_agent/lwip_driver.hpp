// An agent-protocol driver for lwIP (docs/agent-protocol.md): the commands as lwIP
// raw-API calls, `state` from lwIP's own pcb lists, `neighbour` from its ARP table.
//
// Threading: lwIP's tcpip_thread runs the stack and its timers, and calls the callbacks
// below with the core lock held; the command thread takes the same lock
// (LOCK_TCPIP_CORE) around every lwIP call, so all members are guarded by it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/agent/serve.hpp"
#include "harness/lwip_agent/lwip.hpp"

namespace sp::harness::lwip_agent {

// The netif's input function (main.cpp gives it to netif_add): tcpip_input, then counts
// the frame, so that `sync N` (LwipDriver::do_sync) knows when lwIP has taken the N
// frames the lower tester wrote to the TAP.
err_t counting_input(struct pbuf* p, struct netif* inp);

// One connection pcb as the application holds it. lwIP frees a pcb on RST or abort and
// then only calls the error callback: `pcb` becomes null there. Slots live as long as
// the driver, so a callback for a pcb the application has let go still finds its slot.
struct Slot {
  struct tcp_pcb* pcb = nullptr;
  int64_t received = 0;  // bytes delivered since the last `recv`
  bool eof = false;      // the peer's FIN was delivered
  bool died = false;     // reset or aborted (the error callback ran)
};

class LwipDriver;

// The callback argument of a listening pcb (and of the SYN_RCVD pcbs it makes): one per
// `listen`, so that pcbs of different OPENs never share an argument.
struct ListenTag {
  LwipDriver* driver;
};

class LwipDriver : public agent::Driver {
 public:
  explicit LwipDriver(struct netif* netif) : netif_(netif) {}
  agent::Reply handle(const agent::Command& command) override;

  // lwIP callbacks (static trampolines in the .cpp), with the core lock held.
  err_t on_accept(struct tcp_pcb* pcb, err_t err);

 private:
  agent::Reply do_listen(const agent::Command& c);
  agent::Reply do_connect(const agent::Command& c);
  agent::Reply do_accept();
  agent::Reply do_send(int64_t bytes);
  agent::Reply do_recv();
  agent::Reply do_shutdown();
  agent::Reply do_close(bool abort);
  agent::Reply do_state(const agent::Command& c);
  agent::Reply do_resolve(uint32_t address);
  agent::Reply do_neighbour(uint32_t address);
  agent::Reply do_reset();
  agent::Reply do_sync(uint64_t frames);
  Slot* new_slot(struct tcp_pcb* pcb);
  // The RFC's passive OPEN is one TCB that becomes the connection: a call meant for the
  // connection that finds only the listener takes an accepted connection first.
  void adopt_pending_connection();
  // CLOSE or ABORT with only the listener: the connection still in SYN-RECEIVED.
  void adopt_syn_rcvd_connection();
  void close_listener();
  // OPEN (listen, connect): a new pcb each, as the socket API would; the stack decides
  // whether the port is free (docs/harness.md, "Upper tester").
  void forget_ended_connection();
  agent::Reply new_bound_pcb(uint16_t port, bool reuseaddr, struct tcp_pcb** out);
  // The pcbs on `port` but `except` (the new OPEN's): `state` no longer sees them.
  void retire_earlier_connections(uint16_t port, const struct tcp_pcb* except);
  bool earlier(const struct tcp_pcb* pcb) const;

  struct netif* netif_;
  struct tcp_pcb* listener_ = nullptr;
  std::deque<Slot*> accepted_;  // established, not yet taken by `accept`
  Slot* conn_ = nullptr;
  struct tcp_pcb* closed_ = nullptr;  // the connection's pcb after CLOSE: lwIP's now
  // The pcb is still in lwIP's active or TIME-WAIT list, on our port.
  bool still_exists(struct tcp_pcb* pcb) const;
  std::vector<std::pair<struct tcp_pcb*, void*>> earlier_;  // (pcb, its callback argument)
  std::vector<std::unique_ptr<ListenTag>> listen_tags_;
  bool lost_pending_ = false;   // a connection in accepted_ was reset before it was taken
  uint16_t port_ = 0;
  struct udp_pcb* udp_ = nullptr;
  std::vector<std::unique_ptr<Slot>> slots_;
};

// lwIP's name for an err_t: "ERR_MEM", "ERR_RST", ...
const char* err_name(err_t err);

}  // namespace sp::harness::lwip_agent
