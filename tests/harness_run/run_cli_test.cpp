// `stateproof run` as a process: exit statuses (0 pass, 1 fail, 2 bad input, 3
// environment), messages on stderr, diffs on stdout, --filter/--shard/--fast.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/runner/runner.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;
};

// Runs a shell command line; stdout and stderr together.
Outcome shell(const std::string& cmd) {
  Outcome r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class RunCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(STATEPROOF_RUN_BINARY, X_OK) != 0) GTEST_SKIP() << "no " STATEPROOF_RUN_BINARY;
    dir_ = fs::temp_directory_path() / ("sp_cli_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream f(dir_ / name);
    f << text;
  }
  std::string bin() const { return STATEPROOF_RUN_BINARY; }
  bool privileged() const { return check_environment(TargetKind::kLinux).ok; }
  fs::path dir_;
};

TEST_F(RunCli, BadInputIsExit2WithFileLine) {
  write("bad.spt", "test bad\n+0 call teleport\n");
  Outcome r = shell(bin() + " run " + dir_.string() + " --quiet");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("bad.spt:2:9: error: unknown call `teleport`"), std::string::npos) << r.out;
  EXPECT_EQ(shell(bin() + " run " + dir_.string() + "/missing.spt").status, 2);
  EXPECT_EQ(shell(bin() + " run " + dir_.string() + " --target bsd").status, 2);
  EXPECT_EQ(shell(bin() + " run " + dir_.string() + " --shard 3/2").status, 2);
  fs::remove(dir_ / "bad.spt");
  Outcome empty = shell(bin() + " run " + dir_.string());
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.out.find("no test files (*.spt) found"), std::string::npos) << empty.out;
}

// A profile is checked against the specs `--spec` names before anything runs: a transition
// the role lacks is bad input with the profile's file:line; so are a spec that does not
// exist or does not compile, and a malformed profile.
TEST_F(RunCli, ProfileCheckedAgainstTheSpecsIsExit2) {
  write("ok.spt", "test ok\ncovers Endpoint.passive_open\nwire tcp\n+0 call listen\n");
  write("typo.profile",
        "profile t\ntargets linux\n\ndeviation d\nat Endpoint.rcv_fni_established\ncite \"RFC 9293 §3.10.7.4\"\n"
        "rfc \"r\"\nreason \"y\"\nmatch kind=timeout expected=\"flags=A seq=1 ack=2\"\n");
  const std::string spec = std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp";
  const std::string base = bin() + " run " + (dir_ / "ok.spt").string() + " --profile " + (dir_ / "typo.profile").string();
  Outcome r = shell(base + " --spec " + spec);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("typo.profile:4: error: deviation d names Endpoint.rcv_fni_established, which is not a "
                       "transition of role Endpoint (its transitions: "),
            std::string::npos)
      << r.out;
  EXPECT_EQ(shell(base + " --spec " + (dir_ / "nope.sp").string()).status, 2);
  write("broken.sp", "protocol p \"x\"\nrole R {\n");
  EXPECT_EQ(shell(base + " --spec " + (dir_ / "broken.sp").string()).status, 2);
  write("bad.profile", "deviation d\nat Endpoint.x\nmatch kind=packet field=flags expected=* actual=R\n");
  Outcome bad = shell(bin() + " run " + (dir_ / "ok.spt").string() + " --profile " + (dir_ / "bad.profile").string());
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("bad.profile:3:"), std::string::npos) << bad.out;
}

TEST_F(RunCli, WithoutPrivilegesIsExit3SayingWhat) {
  if (getuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "needs root and setpriv";
  write("ok.spt", "test ok\n+0 call listen\n");
  fs::permissions(dir_, fs::perms::all);
  fs::permissions(dir_ / "ok.spt", fs::perms::all);
  Outcome r = shell("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all " + bin() + " run " +
                dir_.string());
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("environment problem: cannot create a network namespace: unshare(CLONE_NEWNET): "
                       "Operation not permitted"),
            std::string::npos)
      << r.out;
}

TEST_F(RunCli, PassFailAndSelection) {
  if (!privileged()) GTEST_SKIP() << "needs root and /dev/net/tun";
  write("pass.spt", "test pass_one\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA seq=0 ack=1\n");
  write("slow.spt", "test slow_one\ntier slow\n+0 call listen\n+0 wait 3\n");
  Outcome ok = shell(bin() + " run " + dir_.string() + " --fast --jobs 2");
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("2 tests in"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("1 pass, 1 skipped"), std::string::npos) << ok.out;

  write("fail.spt", "test fail_one\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=RA\n");
  Outcome bad = shell(bin() + " run " + dir_.string() + " --fast --quiet");
  EXPECT_EQ(bad.status, 1) << bad.out;
  EXPECT_NE(bad.out.find("fail.spt:4: fail: the packet from the IUT does not match the expect"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("flags: expected: RA vs actual: SA"), std::string::npos) << bad.out;

  Outcome filtered = shell(bin() + " run " + dir_.string() + " --filter 'pass_*' --quiet");
  EXPECT_EQ(filtered.status, 0) << filtered.out;
  EXPECT_NE(filtered.out.find("1 tests in"), std::string::npos) << filtered.out;
  // Three files in two shards: 2 + 1, and the shards together fail exactly once.
  Outcome s1 = shell(bin() + " run " + dir_.string() + " --fast --quiet --shard 1/2");
  Outcome s2 = shell(bin() + " run " + dir_.string() + " --fast --quiet --shard 2/2");
  EXPECT_NE(s1.out.find("2 tests in"), std::string::npos) << s1.out;
  EXPECT_NE(s2.out.find("1 tests in"), std::string::npos) << s2.out;
  EXPECT_EQ((s1.status == 1) + (s2.status == 1), 1) << s1.out << s2.out;
}

// The contract with the generator: what `stateproof gen` writes, `stateproof run` reads
// and runs without bad input or errors. Uses the full binary when it is built (the
// generator needs Z3); the ARP spec generates in about a second.
TEST_F(RunCli, GeneratedSuiteRunsWithoutErrors) {
  if (access(STATEPROOF_BINARY, X_OK) != 0) GTEST_SKIP() << "no " STATEPROOF_BINARY " (not built)";
  if (!check_environment(TargetKind::kLinuxTap).ok) GTEST_SKIP() << "needs root and /dev/net/tun";
  std::string sp = STATEPROOF_BINARY;
  Outcome gen = shell(sp + " gen " STATEPROOF_SOURCE_DIR "/spec/arp.sp --role Host --out " +
                      (dir_ / "arp").string() + " -q");
  ASSERT_EQ(gen.status, 0) << gen.out;
  fs::path json = dir_ / "results.json";
  Outcome run = shell(sp + " run " + (dir_ / "arp").string() + " --target linux-tap --jobs 2 --quiet --results " +
                      json.string());
  EXPECT_TRUE(run.status == 0 || run.status == 1) << run.out;
  std::ifstream f(json);
  std::string text((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(text.find("\"pass\""), std::string::npos) << text.substr(0, 400);
  EXPECT_EQ(text.find("\"verdict\": \"error\""), std::string::npos) << run.out;
}

}  // namespace
}  // namespace sp::harness
