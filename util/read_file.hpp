// Reading an input file whole, with a bound: specs, test files, profiles, traces and
// results files all come through here. The size is checked before reading (st_size of a
// regular file) and the read itself stops one byte past the bound, so a device or a pipe
// without end (/dev/zero, whose st_size is 0) is refused instead of exhausting memory.
// Header-only: the compiler, the checker and the harness use it and share no library.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sp {

// The largest input file any command reads.
inline constexpr size_t kMaxInputBytes = size_t{64} << 20;

// Reads `path` into *text. On failure returns false with *error set to the reason, without
// the path ("No such file or directory", "it is a directory", "larger than 64 MiB").
inline bool read_file_bounded(const std::string& path, std::string* text, std::string* error,
                              size_t max_bytes = kMaxInputBytes) {
  const std::string limit = std::to_string(max_bytes >> 20) + " MiB";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  auto fail = [&](const std::string& why) {
    ::close(fd);
    *error = why;
    return false;
  };
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("it is a directory");
  if (S_ISREG(st.st_mode) && static_cast<unsigned long long>(st.st_size) > max_bytes) {
    return fail("larger than " + limit);
  }
  text->clear();
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    if (text->size() + static_cast<size_t>(n) > max_bytes) {
      text->clear();
      return fail("larger than " + limit);
    }
    text->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

}  // namespace sp
