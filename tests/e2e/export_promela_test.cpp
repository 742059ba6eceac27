// `stateproof export SPEC --to promela`: the model on stdout or in a file, and bad flags
// or inexpressible systems as clear errors with the documented exit codes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

TEST(ExportPromela, WritesTheModelOfTheOnlySystem) {
  const std::string out = "/tmp/sp_export_" + std::to_string(getpid()) + ".pml";
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela --const MAX_RETX=1 -o " + out);
  EXPECT_EQ(r.status, 0) << r.out;
  std::ifstream f(out);
  std::ostringstream b;
  b << f.rdbuf();
  const std::string text = b.str();
  EXPECT_NE(text.find("active proctype client()"), std::string::npos);
  EXPECT_NE(text.find("active proctype server()"), std::string::npos);
  EXPECT_NE(text.find("ltl close_completes {"), std::string::npos);
  EXPECT_NE(text.find("prop_no_deadlock"), std::string::npos);
  EXPECT_NE(text.find("Constants: MAX_RETX=1"), std::string::npos);
  std::remove(out.c_str());

  r = run(bin() + " export " + src("spec/arp.sp") + " --to promela --system lan_mutual");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("system lan_mutual"), std::string::npos);
}

TEST(ExportPromela, BadFlagsExitTwo) {
  // Several systems and no --system.
  CommandResult r = run(bin() + " export " + src("spec/arp.sp") + " --to promela");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("choose one with --system: lan lan_mutual"), std::string::npos) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela --system nope");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("no system 'nope'"), std::string::npos) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela --self-loops");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--self-loops applies to --to dot only"), std::string::npos) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to dot --system pair");
  EXPECT_EQ(r.status, 2) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to spin");
  EXPECT_EQ(r.status, 2) << r.out;
  r = run(bin() + " export /nonexistent.sp --to promela");
  EXPECT_EQ(r.status, 2) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela --const MAX_RETX");
  EXPECT_EQ(r.status, 2) << r.out;
  r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela -o /nonexistent-dir/x.pml");
  EXPECT_EQ(r.status, 2) << r.out;
}

TEST(ExportPromela, InexpressibleSystemExitsOne) {
  // seq<32> at 31 bits: arithmetic would overflow Promela's 32-bit int.
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to promela --seq-bits 31");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("cannot export to Promela"), std::string::npos) << r.out;
}

TEST(ExportPromela, MoreProcessesThanSpinRunsExitsOne) {
  std::string spec = "protocol many\nrole R {\n  states S\n  initial S\n}\nsystem big {\n";
  for (int i = 0; i < 254; ++i) spec += "  instance r" + std::to_string(i) + ": R\n";
  spec += "}\n";
  const std::string path = "/tmp/sp_export_many_" + std::to_string(getpid()) + ".sp";
  {
    std::ofstream f(path);
    f << spec;
  }
  CommandResult r = run(bin() + " export " + path + " --to promela -o /dev/null");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("cannot export to Promela: system big has 254 instances; SPIN runs at most 255 processes"),
            std::string::npos)
      << r.out;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sp::e2e
