#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace sp::util {

namespace fs = std::filesystem;

namespace {

std::string failure(const std::string& what, const std::string& path, int err) {
  return what + " " + path + ": " + std::strerror(err);
}

// The process's umask: a new file gets 0666 and a new directory 0777 less it, as with
// open() and mkdir() (mkstemp and mkdtemp make them private).
mode_t umask_now() {
  static const mode_t mask = [] {
    mode_t m = umask(022);
    umask(m);
    return m;
  }();
  return mask;
}

bool write_all(int fd, std::string_view data, int* err) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Flushes a directory's entry list (after a rename into it). Filesystems that cannot
// fsync a directory say EINVAL; that is no error here.
void sync_directory(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

std::string parent_of(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

AtomicFile::~AtomicFile() { abort(); }

bool AtomicFile::open(const std::string& path, std::string* error) {
  abort();
  path_ = path;
  errno_ = 0;
  target_ = path;
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    // A device or FIFO: written in place.
    fd_ = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) {
      *error = failure("cannot write", path, errno);
      return false;
    }
    temp_ = path;
    target_.clear();
    return true;
  }
  std::error_code ec;
  if (fs::is_symlink(path, ec)) {
    fs::path resolved = fs::weakly_canonical(path, ec);
    if (!ec) target_ = resolved.string();
  }
  fs::path target(target_);
  temp_ = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    temp_.clear();
    *error = failure("cannot write", path, err);
    return false;
  }
  if (::fchmod(fd_, exists ? (st.st_mode & 07777) : (0666 & ~umask_now())) != 0) {
    int err = errno;
    abort();
    *error = failure("cannot write", path, err);
    return false;
  }
  return true;
}

bool AtomicFile::write(std::string_view data) {
  if (fd_ < 0) {
    if (errno_ == 0) errno_ = EBADF;
    return false;
  }
  if (errno_ != 0) return false;
  return write_all(fd_, data, &errno_);
}

bool AtomicFile::commit(std::string* error) {
  if (fd_ < 0) {
    *error = failure("cannot write", path_, EBADF);
    return false;
  }
  int err = errno_;
  // Devices such as /dev/null cannot be fsynced (EINVAL): only regular files are.
  if (err == 0 && !target_.empty() && ::fsync(fd_) != 0) err = errno;
  if (::close(fd_) != 0 && err == 0) err = errno;
  fd_ = -1;
  if (err == 0 && !target_.empty() && ::rename(temp_.c_str(), target_.c_str()) != 0) err = errno;
  if (err != 0) {
    if (!target_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
    *error = failure("cannot write", path_, err);
    return false;
  }
  if (!target_.empty()) sync_directory(parent_of(target_));
  temp_.clear();
  return true;
}

void AtomicFile::abort() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    if (!target_.empty() && !temp_.empty()) ::unlink(temp_.c_str());
  }
  temp_.clear();
}

bool write_file_atomic(const std::string& path, std::string_view content, std::string* error) {
  AtomicFile f;
  if (!f.open(path, error)) return false;
  f.write(content);
  return f.commit(error);
}

bool write_file_checked(const std::string& path, std::string_view content, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    *error = failure("cannot write", path, errno);
    return false;
  }
  int err = 0;
  write_all(fd, content, &err);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    *error = failure("cannot write", path, err);
    return false;
  }
  return true;
}

std::string make_temp_dir_beside(const std::string& path, std::string* error) {
  fs::path p(path);
  if (p.filename().empty()) p = p.parent_path();  // "out/" names "out"
  std::string temp = (p.parent_path() / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
  if (::mkdtemp(temp.data()) == nullptr) {
    *error = failure("cannot create a directory beside", path, errno);
    return "";
  }
  ::chmod(temp.c_str(), 0777 & ~umask_now());
  return temp;
}

bool replace_directory(const std::string& built, const std::string& path, KeepEntry keep,
                       std::string* error) {
  std::error_code ec;
  auto fail = [&](const std::string& message) {
    fs::remove_all(built, ec);
    *error = message;
    return false;
  };
  // Everything written into `built` reaches the disk before it becomes `path`.
  int dfd = ::open(built.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return fail(failure("cannot open", built, errno));
  int sync_err = ::syncfs(dfd) == 0 ? 0 : errno;
  ::close(dfd);
  if (sync_err != 0) return fail(failure("cannot write", path, sync_err));

  fs::path target(path);
  if (target.filename().empty()) target = target.parent_path();
  if (!fs::exists(target, ec)) {
    if (::rename(built.c_str(), target.c_str()) != 0) return fail(failure("cannot create", path, errno));
    sync_directory(parent_of(target.string()));
    return true;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) ::chmod(built.c_str(), st.st_mode & 07777);
  // Exchange the two, so that `path` is at every moment either the old directory or the
  // new one; then carry over what the old one held that is not being replaced.
  std::string old = built;  // the old directory, after the exchange
  if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno == EBUSY) return fail(failure("cannot replace", path, errno) + " (a mount point?)");
    if (errno != EINVAL && errno != ENOSYS) return fail(failure("cannot replace", path, errno));
    // No exchange on this filesystem: move the old one aside, then the new one in.
    old = built + ".old";
    if (::rename(target.c_str(), old.c_str()) != 0) return fail(failure("cannot replace", path, errno));
    if (::rename(built.c_str(), target.c_str()) != 0) {
      int err = errno;
      ::rename(old.c_str(), target.c_str());
      return fail(failure("cannot replace", path, err));
    }
  }
  for (const auto& entry : fs::directory_iterator(old, ec)) {
    const std::string name = entry.path().filename().string();
    if (!keep || !keep(name)) continue;
    fs::path to = target / name;
    if (fs::exists(fs::symlink_status(to, ec))) continue;
    if (::rename(entry.path().c_str(), to.c_str()) != 0) {
      *error = failure("cannot move " + entry.path().string() + " to", to.string(), errno);
      return false;  // the old directory stays, holding what could not be moved
    }
  }
  sync_directory(parent_of(target.string()));
  fs::remove_all(old, ec);
  return true;
}

}  // namespace sp::util
