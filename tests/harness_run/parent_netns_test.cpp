// ParentNetns: a test namespace made from it has a TCP established-hash table of its
// own (kChildEhashEntries buckets) and the limits a namespace made from the caller's
// gets; the caller stays in its namespace. Needs root (skipped otherwise).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "harness/netns/parent.hpp"

namespace sp::harness {
namespace {

std::string sysctl(const std::string& name) {
  std::string path = "/proc/sys/net/ipv4/" + name, v;
  std::ifstream(path) >> v;
  return v;
}

// The three values in a namespace entered by `enter`, read in a forked child.
std::string child_values(const netns::ParentNetns& parent, uint64_t host) {
  int p[2];
  if (pipe(p) != 0) return "pipe";
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    std::string v = parent.enter_child(host).ok()
                        ? sysctl("tcp_ehash_entries") + " " + sysctl("tcp_max_tw_buckets") + " " +
                              sysctl("tcp_max_syn_backlog")
                        : "enter failed";
    (void)!write(p[1], v.data(), v.size());
    _exit(0);
  }
  close(p[1]);
  std::string out;
  char buf[256];
  for (ssize_t n; (n = read(p[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(p[0]);
  waitpid(pid, nullptr, 0);
  return out;
}

TEST(ParentNetns, ChildrenGetTheirOwnHashTableAndDefaultLimits) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  if (sysctl("tcp_child_ehash_entries").empty()) GTEST_SKIP() << "kernel without tcp_child_ehash_entries";
  std::optional<uint64_t> host = netns::current_netns();
  ASSERT_TRUE(host);
  netns::ParentNetns none;
  EXPECT_FALSE(none.valid());
  std::string plain = child_values(none, *host);  // unshare from here: the shared table
  netns::ParentNetns parent;
  netns::Status s = netns::ParentNetns::create(&parent);
  ASSERT_TRUE(s.ok()) << s.error;
  ASSERT_TRUE(parent.valid());
  EXPECT_EQ(netns::current_netns(), host);
  std::string own = child_values(parent, *host);
  // tcp_ehash_entries is negative for the shared table.
  ASSERT_EQ(plain.rfind('-', 0), 0u) << plain;
  std::string limits = plain.substr(plain.find(' '));
  EXPECT_EQ(own, std::to_string(netns::kChildEhashEntries) + limits);
}

}  // namespace
}  // namespace sp::harness
