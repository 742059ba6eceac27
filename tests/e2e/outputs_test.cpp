// Outputs are whole or absent: on a full device or filesystem every writer fails with a
// clear message and a non-zero exit, and leaves neither a truncated file nor a half
// suite (util/atomic_file.hpp). The filesystem cases mount a small tmpfs in a mount
// namespace of this test process's own (ctest runs each test as a process), so nothing
// outlives the test; they are skipped where mounting is not permitted.
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/e2e/run_command.hpp"
#include "tests/file_text.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNoSpace = "No space left on device";

using testing::file_text;

// Every file below `dir` with its contents.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? file_text(e.path()) : "<dir>";
  }
  return files;
}

// A tmpfs of `size` at a fresh directory, private to this process.
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& size) {
    dir_ = fs::temp_directory_path() / ("sp_full_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    if (unshare(CLONE_NEWNS) != 0) {
      why_ = std::string("unshare(CLONE_NEWNS): ") + strerror(errno);
      return;
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) {
      why_ = std::string("mount tmpfs: ") + strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  bool ok() const { return mounted_; }
  const std::string& why() const { return why_; }
  const fs::path& dir() const { return dir_; }
  // Fills the filesystem until `leave` bytes are free.
  void fill(size_t leave) {
    struct statvfs st {};
    statvfs(dir_.c_str(), &st);
    size_t free_bytes = st.f_bavail * st.f_frsize;
    std::ofstream f(dir_ / "filler", std::ios::binary);
    f << std::string(free_bytes > leave ? free_bytes - leave : 0, 'x');
  }

 private:
  fs::path dir_;
  std::string why_;
  bool mounted_ = false;
};

TEST(Outputs, ExportToAFullDeviceFailsWithTheReason) {
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela -o /dev/full");
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("cannot write /dev/full: " + std::string(kNoSpace)), std::string::npos) << r.out;
}

TEST(Outputs, TraceToAFullDeviceFailsWithTheReason) {
  CommandResult r = run(bin() + " check " + src("spec/examples/abp_bug.sp") + " -q --trace-out /dev/full");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cannot write /dev/full: " + std::string(kNoSpace)), std::string::npos) << r.out;
}

TEST(Outputs, FullFilesystemLeavesNoPartialFile) {
  SmallFilesystem small("256k");
  if (!small.ok()) GTEST_SKIP() << "needs root to mount a tmpfs: " << small.why();
  const fs::path pml = small.dir() / "tcp.pml", trace = small.dir() / "trace.json";
  // A previous export stays as it was when the new one does not fit.
  {
    std::ofstream(pml) << "previous\n";
  }
  small.fill(4096);
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela -o " + pml.string());
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(kNoSpace), std::string::npos) << r.out;
  r = run(bin() + " check " + src("spec/examples/abp_bug.sp") + " -q --trace-out " + trace.string());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(kNoSpace), std::string::npos) << r.out;
  fs::remove(small.dir() / "filler");
  std::map<std::string, std::string> left = tree(small.dir());
  EXPECT_EQ(left.size(), 1u);  // no temporary files, no trace
  EXPECT_EQ(left["tcp.pml"], "previous\n");
}

TEST(Outputs, GenOnAFullFilesystemLeavesThePreviousSuite) {
  SmallFilesystem small("4m");
  if (!small.ok()) GTEST_SKIP() << "needs root to mount a tmpfs: " << small.why();
  const fs::path suite = small.dir() / "suite";
  const std::string gen = bin() + " gen " + src("spec/tcp.sp") + " --role Endpoint -q --out " + suite.string();
  CommandResult r = run(gen);
  ASSERT_EQ(r.status, 0) << r.out;
  {
    std::ofstream(suite / "notes.txt") << "mine\n";
  }
  const std::map<std::string, std::string> before = tree(suite);
  // A suite with pcaps and packetdrill scripts does not fit in what is left.
  small.fill(64 * 1024);
  r = run(gen + " --pcap --packetdrill");
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("cannot write " + suite.string() + "/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(kNoSpace), std::string::npos) << r.out;
  EXPECT_EQ(tree(suite), before);
  std::vector<std::string> top;
  for (const auto& e : fs::directory_iterator(small.dir())) top.push_back(e.path().filename().string());
  EXPECT_EQ(top.size(), 2u) << "a temporary directory was left behind";  // suite, filler
  // With room, the new suite replaces the old one whole; files gen did not write stay.
  fs::remove(small.dir() / "filler");
  r = run(gen + " --pcap");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::exists(suite / "coverage.txt"));
  EXPECT_EQ(file_text(suite / "notes.txt"), "mine\n");
  size_t spt = 0, pcap = 0;
  for (const auto& e : fs::directory_iterator(suite)) {
    spt += e.path().extension() == ".spt";
    pcap += e.path().extension() == ".pcap";
  }
  EXPECT_GT(spt, 0u);
  EXPECT_EQ(spt, pcap);
  top.clear();
  for (const auto& e : fs::directory_iterator(small.dir())) top.push_back(e.path().filename().string());
  EXPECT_EQ(top, std::vector<std::string>{"suite"});
}

}  // namespace
}  // namespace sp::e2e
