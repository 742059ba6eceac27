#include "harness/netns/parent.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace sp::harness::netns {
namespace {

// /proc/sys/<name with dots as slashes> of the calling thread's namespace, trimmed.
Status read_sysctl(const std::string& name, std::string* value) {
  std::string path = "/proc/sys/";
  for (char c : name) path += c == '.' ? '/' : c;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Errno("sysctl " + name, errno);
  char buf[64];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  int err = errno;
  close(fd);
  if (n <= 0) return Status::Errno("sysctl " + name, n < 0 ? err : EIO);
  value->assign(buf, static_cast<size_t>(n));
  while (!value->empty() && (value->back() == '\n' || value->back() == ' ')) value->pop_back();
  return Status::Ok();
}

constexpr const char* kTwBuckets = "net.ipv4.tcp_max_tw_buckets";
constexpr const char* kSynBacklog = "net.ipv4.tcp_max_syn_backlog";

}  // namespace

ParentNetns::ParentNetns(ParentNetns&& other) noexcept { *this = std::move(other); }

ParentNetns& ParentNetns::operator=(ParentNetns&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    max_tw_buckets_ = std::move(other.max_tw_buckets_);
    max_syn_backlog_ = std::move(other.max_syn_backlog_);
  }
  return *this;
}

ParentNetns::~ParentNetns() {
  if (fd_ >= 0) close(fd_);
}

Status ParentNetns::create(ParentNetns* out) {
  std::optional<uint64_t> host = current_netns();
  if (!host) return Status::Errno("stat /proc/self/ns/net", errno);
  int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) return Status::Errno("open /proc/thread-self/ns/net", errno);
  if (unshare(CLONE_NEWNET) != 0) {
    int err = errno;
    close(home);
    return Status::Errno("unshare(CLONE_NEWNET)", err);
  }
  // In the new namespace: what a fresh namespace gets, then the children's table size.
  ParentNetns p;
  Status s = read_sysctl(kTwBuckets, &p.max_tw_buckets_);
  if (s.ok()) s = read_sysctl(kSynBacklog, &p.max_syn_backlog_);
  if (s.ok()) s = write_sysctl(*host, "net.ipv4.tcp_child_ehash_entries", std::to_string(kChildEhashEntries));
  if (s.ok()) {
    p.fd_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (p.fd_ < 0) s = Status::Errno("open /proc/thread-self/ns/net", errno);
  }
  if (setns(home, CLONE_NEWNET) != 0) {
    int err = errno;
    close(home);
    return Status::Errno("setns back to the runner's network namespace", err);
  }
  close(home);
  if (!s.ok()) return s;
  *out = std::move(p);
  return Status::Ok();
}

Status ParentNetns::enter_child(uint64_t host_netns) const {
  if (fd_ < 0) return enter_new_netns();
  if (setns(fd_, CLONE_NEWNET) != 0) return Status::Errno("setns to the tests' parent namespace", errno);
  if (Status s = enter_new_netns(); !s.ok()) return s;
  if (Status s = write_sysctl(host_netns, kTwBuckets, max_tw_buckets_); !s.ok()) return s;
  return write_sysctl(host_netns, kSynBacklog, max_syn_backlog_);
}

}  // namespace sp::harness::netns
