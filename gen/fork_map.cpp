#include "gen/fork_map.hpp"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace sp::gen {

namespace {

// A child's result on the pipe: one status byte ('0' ok, '1' failed) then the bytes
// (the result, or the error message).
void RunChild(int fd, int k, const std::function<std::string(int)>& work) {
  std::string out;
  char status = '0';
  try {
    out = work(k);
  } catch (const std::exception& e) {
    status = '1';
    out = e.what();
  } catch (...) {
    status = '1';
    out = "unknown exception";
  }
  auto write_all = [fd](const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  };
  const bool ok = write_all(&status, 1) && write_all(out.data(), out.size());
  ::_exit(ok ? 0 : 3);
}

struct Running {
  int task = -1;
  pid_t pid = -1;
  int fd = -1;
  std::string bytes;
};

}  // namespace

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

bool fork_map(int tasks, int jobs, const std::function<std::string(int)>& work,
              std::vector<std::string>* results, std::string* error) {
  results->assign(static_cast<size_t>(std::max(tasks, 0)), std::string());
  if (jobs < 1) jobs = 1;
  std::vector<Running> running;
  int next = 0;
  std::string failure;
  auto reap = [&](Running& r) {
    int status = 0;
    while (::waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
    }
    ::close(r.fd);
    std::string why;
    if (WIFSIGNALED(status)) {
      why = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
            strsignal(WTERMSIG(status)) + ")";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      why = "exited with status " + std::to_string(WEXITSTATUS(status));
    } else if (r.bytes.empty()) {
      why = "wrote no result";
    } else if (r.bytes[0] != '0') {
      why = r.bytes.substr(1);
    }
    if (!why.empty()) {
      if (failure.empty()) failure = "worker for task " + std::to_string(r.task) + ": " + why;
    } else {
      (*results)[static_cast<size_t>(r.task)] = r.bytes.substr(1);
    }
  };
  while (next < tasks || !running.empty()) {
    while (failure.empty() && next < tasks && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (::pipe(fds) != 0) {
        failure = std::string("pipe: ") + std::strerror(errno);
        break;
      }
      const pid_t pid = ::fork();
      if (pid < 0) {
        failure = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        break;
      }
      if (pid == 0) {
        ::close(fds[0]);
        for (const Running& r : running) ::close(r.fd);
        RunChild(fds[1], next, work);
      }
      ::close(fds[1]);
      running.push_back(Running{next, pid, fds[0], {}});
      ++next;
    }
    if (!failure.empty()) next = tasks;  // start no more; collect the running ones
    if (running.empty()) break;
    std::vector<pollfd> pfds;
    for (const Running& r : running) pfds.push_back(pollfd{r.fd, POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      failure = std::string("poll: ") + std::strerror(errno);
      for (Running& r : running) {
        ::kill(r.pid, SIGKILL);
        reap(r);
      }
      break;
    }
    for (size_t i = running.size(); i-- > 0;) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t n = ::read(running[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        running[i].bytes.append(buf, static_cast<size_t>(n));
        continue;
      }
      reap(running[i]);  // end of file: the child is done
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  if (!failure.empty()) {
    *error = failure;
    return false;
  }
  return true;
}

}  // namespace sp::gen
