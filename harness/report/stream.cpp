#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <numeric>

#include "harness/report/report.hpp"
#include "util/atomic_file.hpp"

namespace sp::harness {

namespace {

std::string failure(const std::string& what, const std::string& path, int err) {
  return what + " " + path + ": " + std::strerror(err);
}

// An anonymous file in `dir` (O_TMPFILE; else a named one, unlinked at once).
int open_spool(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string name = dir + "/.stateproof-spool-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}

}  // namespace

StreamedReport::~StreamedReport() {
  if (spool_ >= 0) ::close(spool_);
}

bool StreamedReport::open(const std::string& path, const std::string& target, std::string* error) {
  path_ = path;
  target_ = target;
  std::string dir = std::filesystem::path(path).parent_path().string();
  spool_ = open_spool(dir.empty() ? "." : dir);
  if (spool_ < 0) {
    *error = failure("cannot write", path, errno);
    return false;
  }
  return true;
}

bool StreamedReport::add(const TestResult& r, uint64_t order, std::string* error) {
  ++counts_[verdict_name(r.verdict)];
  std::string entry;
  double height = 0;
  if (format_ == Format::kJson) {
    entry = json_test(r);
  } else if (format_ == Format::kMscSvg) {
    util::MscDrawing d = util::draw_msc(run_msc_chart(r));
    entry = std::move(d.svg);
    height = d.height;
    width_ = std::max(width_, d.width);
  } else {
    entry = junit_testcase(r, target_);
    if (std::string p = junit_test_properties(r); !p.empty()) test_properties_.push_back(std::move(p));
  }
  for (size_t done = 0; done < entry.size();) {
    ssize_t n = ::pwrite(spool_, entry.data() + done, entry.size() - done, static_cast<off_t>(end_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = failure("cannot write", path_, errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (entry.size() > UINT32_MAX) {
    *error = "cannot write " + path_ + ": the entry of test " + r.name + " is over 4 GB";
    return false;
  }
  entries_.push_back({order, end_, static_cast<uint32_t>(entry.size()), static_cast<float>(height)});
  end_ += entry.size();
  return true;
}

bool StreamedReport::finish(const ReportInfo& info, std::string* error) {
  util::AtomicFile out;
  if (!out.open(path_, error)) return false;
  const bool json = format_ == Format::kJson, svg = format_ == Format::kMscSvg;
  double height = 0;
  for (const Entry& e : entries_) height += e.height;
  out.write(json ? json_header(info, counts_)
            : svg ? util::msc_svg_header(width_, height)
                  : junit_header(info, counts_, test_properties_));
  std::vector<size_t> order(entries_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return entries_[a].order < entries_[b].order; });
  std::string buf;
  double y = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const Entry& e = entries_[order[k]];
    buf.resize(e.size);
    for (size_t done = 0; done < e.size;) {
      ssize_t n = ::pread(spool_, buf.data() + done, e.size - done, static_cast<off_t>(e.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *error = failure("cannot read back the spool of", path_, n < 0 ? errno : EIO);
        return false;
      }
      done += static_cast<size_t>(n);
    }
    if (json) out.write(k ? ",\n    " : "\n    ");
    out.write(svg ? util::msc_svg_placed(buf, y) : buf);
    y += e.height;
  }
  out.write(json ? "\n  ]\n}\n" : svg ? util::msc_svg_footer() : "  </testsuite>\n</testsuites>\n");
  return out.commit(error);
}

bool write_report(StreamedReport::Format format, const std::string& path,
                  const std::vector<TestResult>& results, const ReportInfo& info, std::string* error) {
  StreamedReport report(format);
  if (!report.open(path, info.target, error)) return false;
  // In path order (ties: as given).
  std::vector<size_t> by_path(results.size());
  std::iota(by_path.begin(), by_path.end(), size_t{0});
  std::stable_sort(by_path.begin(), by_path.end(),
                   [&](size_t a, size_t b) { return results[a].path < results[b].path; });
  for (size_t k = 0; k < by_path.size(); ++k) {
    if (!report.add(results[by_path[k]], k, error)) return false;
  }
  return report.finish(info, error);
}

}  // namespace sp::harness
