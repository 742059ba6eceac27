// The namespace the tests' namespaces are created in.
//
// By default every network namespace shares the kernel's one TCP established-hash table
// (tcp_ehash_entries, sized by memory: 262144 buckets here), and a sock_diag dump, which
// is how `expect state` reads the IUT's state, walks all of it: about 1.2 ms of CPU per
// observation with no socket at all, preemptible, so tens of milliseconds on a busy
// machine, between the IUT's segment and the tester's answer. A namespace created from
// one whose net.ipv4.tcp_child_ehash_entries is set gets a table of its own of that
// size (Linux 5.19+), and the dump costs ~20 us. The runner makes one such parent
// namespace per run (never touching its own); workers create their test namespace from
// it. Two limits the kernel derives from the table's size in a new namespace,
// tcp_max_tw_buckets and tcp_max_syn_backlog, are set back to what a namespace created
// from the runner's gets, so the IUT sees the kernel's defaults (docs/harness.md).
#pragma once

#include <cstdint>
#include <string>

#include "harness/netns/netns.hpp"

namespace sp::harness::netns {

class ParentNetns {
 public:
  ParentNetns() = default;
  ParentNetns(ParentNetns&& other) noexcept;
  ParentNetns& operator=(ParentNetns&& other) noexcept;
  ParentNetns(const ParentNetns&) = delete;
  ParentNetns& operator=(const ParentNetns&) = delete;
  ~ParentNetns();

  // Creates the parent from the calling thread, which ends in the namespace it started
  // in (or the error says it could not get back). Fails on kernels without
  // tcp_child_ehash_entries; callers then use enter_new_netns().
  static Status create(ParentNetns* out);

  // For a worker: enters a new namespace made from the parent (or, with no parent, from
  // the current one, as enter_new_netns()), with the kernel's default limits.
  Status enter_child(uint64_t host_netns) const;

  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  std::string max_tw_buckets_, max_syn_backlog_;
};

// Buckets of the tests' own TCP hash table: a test has a handful of sockets.
inline constexpr int kChildEhashEntries = 128;

}  // namespace sp::harness::netns
