// The CLI as a user meets it: exit codes, --help, show, export, simulate.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

TEST(Cli, HelpOnEverySubcommandExitsZero) {
  for (const char* sub : {"", "show", "export", "simulate"}) {
    CommandResult r = run(bin() + " " + sub + " --help");
    EXPECT_EQ(r.status, 0) << sub << "\n" << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub;
  }
}

TEST(Cli, BadUsageExitsTwo) {
  EXPECT_EQ(run(bin()).status, 2);
  EXPECT_EQ(run(bin() + " frobnicate").status, 2);
  EXPECT_EQ(run(bin() + " show").status, 2);  // missing SPEC
  EXPECT_EQ(run(bin() + " show " + src("spec/tcp.sp") + " --bogus").status, 2);
  EXPECT_EQ(run(bin() + " export " + src("spec/tcp.sp") + " --to nonsense").status, 2);
  EXPECT_EQ(run(bin() + " show " + src("spec/tcp.sp") + " --const MAX_RETX").status, 2);
  EXPECT_EQ(run(bin() + " show " + src("spec/tcp.sp") + " --const NOPE=1").status, 2);
  EXPECT_EQ(run(bin() + " show " + src("spec/tcp.sp") + " --seq-bits 99").status, 2);
  CommandResult via = run(bin() + " gen " + src("spec/tcp.sp") +
                          " --role Endpoint --out /nonexistent/never --prefer-via ESTABLISHD");
  EXPECT_EQ(via.status, 2);
  EXPECT_NE(via.out.find("no state 'ESTABLISHD'"), std::string::npos) << via.out;
  EXPECT_EQ(run(bin() + " gen " + src("spec/tcp.sp") + " --role Endpoint --out /tmp/x --jobs 0").status, 2);
}

TEST(Cli, UnreadableFileExitsTwoWithReason) {
  CommandResult r = run(bin() + " show /nonexistent/x.sp");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("cannot read /nonexistent/x.sp: No such file or directory"), std::string::npos)
      << r.out;
  r = run(bin() + " show /tmp");  // a directory
  EXPECT_EQ(r.status, 2) << r.out;
}

TEST(Cli, BadSpecExitsOneWithPositionedError) {
  std::string path = ::testing::TempDir() + "/bad.sp";
  std::ofstream(path) << "role R {\n  states A\n  initial B\n}\n";
  CommandResult r = run(bin() + " show " + path);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(path + ":3:11: error: unknown state 'B' in role R"), std::string::npos)
      << r.out;
}

TEST(Cli, BinaryGarbageIsAnErrorNotACrash) {
  std::string path = ::testing::TempDir() + "/garbage.sp";
  std::ofstream f(path, std::ios::binary);
  for (int i = 0; i < 4096; ++i) f.put(static_cast<char>((i * 7919) & 0xff));
  f.close();
  CommandResult r = run(bin() + " show " + path);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("error:"), std::string::npos);
}

TEST(Cli, ShowTcpSummarisesTheIr) {
  CommandResult r = run(bin() + " show " + src("spec/tcp.sp"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("role Endpoint: 11 states"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rcv_syn_listen"), std::string::npos);
  EXPECT_NE(r.out.find("RFC 9293 §3.10.7.2"), std::string::npos);
  EXPECT_NE(r.out.find("system pair: 2 instances, 2 queues, state vector"), std::string::npos);
}

TEST(Cli, SeqBitsAndConstChangeTheStateVector) {
  CommandResult narrow = run(bin() + " show " + src("spec/tcp.sp") + " --slots");
  CommandResult wide = run(bin() + " show " + src("spec/tcp.sp") + " --slots --seq-bits 32");
  CommandResult small = run(bin() + " show " + src("spec/tcp.sp") + " --const MAX_RETX=1");
  ASSERT_EQ(narrow.status, 0);
  ASSERT_EQ(wide.status, 0);
  ASSERT_EQ(small.status, 0) << small.out;
  auto bits = [](const std::string& out) {
    size_t at = out.find("state vector ");
    return at == std::string::npos ? -1 : std::stoi(out.substr(at + 13));
  };
  EXPECT_GT(bits(wide.out), bits(narrow.out));
  EXPECT_LT(bits(small.out), bits(narrow.out));  // smaller retry counter and channels
  EXPECT_NE(small.out.find("MAX_RETX=1"), std::string::npos);
}

TEST(Cli, SimulateIsDeterministicPerSeed) {
  std::string cmd = bin() + " simulate " + src("spec/tcp.sp") + " --system pair --steps 40 --seed ";
  CommandResult a = run(cmd + "7");
  CommandResult b = run(cmd + "7");
  CommandResult c = run(cmd + "8");
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_NE(a.out.find("-> server: Segment{flags={SYN}"), std::string::npos) << a.out;
}

TEST(Cli, SimulateUnknownSystemIsUsageError) {
  CommandResult r = run(bin() + " simulate " + src("spec/tcp.sp") + " --system pare");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("no system 'pare' in the spec (did you mean pair?)"), std::string::npos)
      << r.out;
}

TEST(Cli, ExportDotHasTheRfcDiagramShape) {
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to dot");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* edge : {"\"Endpoint.CLOSED\" -> \"Endpoint.LISTEN\"",
                           "\"Endpoint.LISTEN\" -> \"Endpoint.SYN_RCVD\"",
                           "\"Endpoint.SYN_SENT\" -> \"Endpoint.ESTABLISHED\"",
                           "\"Endpoint.ESTABLISHED\" -> \"Endpoint.FIN_WAIT_1\"",
                           "\"Endpoint.ESTABLISHED\" -> \"Endpoint.CLOSE_WAIT\"",
                           "\"Endpoint.FIN_WAIT_1\" -> \"Endpoint.FIN_WAIT_2\"",
                           "\"Endpoint.FIN_WAIT_1\" -> \"Endpoint.CLOSING\"",
                           "\"Endpoint.FIN_WAIT_2\" -> \"Endpoint.TIME_WAIT\"",
                           "\"Endpoint.CLOSING\" -> \"Endpoint.TIME_WAIT\"",
                           "\"Endpoint.CLOSE_WAIT\" -> \"Endpoint.LAST_ACK\"",
                           "\"Endpoint.LAST_ACK\" -> \"Endpoint.CLOSED\"",
                           "\"Endpoint.TIME_WAIT\" -> \"Endpoint.CLOSED\""}) {
    EXPECT_NE(r.out.find(edge), std::string::npos) << edge;
  }
  // No self loops unless asked for.
  EXPECT_EQ(r.out.find("\"Endpoint.TIME_WAIT\" -> \"Endpoint.TIME_WAIT\""), std::string::npos);
  CommandResult loops = run(bin() + " export " + src("spec/tcp.sp") + " --to dot --self-loops");
  EXPECT_NE(loops.out.find("\"Endpoint.TIME_WAIT\" -> \"Endpoint.TIME_WAIT\""), std::string::npos);
}

TEST(Cli, ExportRendersSvgWhenGraphvizIsInstalled) {
  if (run("command -v dot").status != 0) GTEST_SKIP() << "Graphviz's dot is not installed";
  std::string svg = ::testing::TempDir() + "/tcp.svg";
  CommandResult r = run(bin() + " export " + src("spec/tcp.sp") + " --to dot -o " + svg);
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream in(svg);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("SYN_RCVD"), std::string::npos);
}

}  // namespace
}  // namespace sp::e2e
