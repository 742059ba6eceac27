// `stateproof export --to promela` never writes a model SPIN rejects: every system of every
// spec in spec/, spec/variants/ and spec/examples/ is exported through the CLI (exit 0),
// and `spin -a` must accept the model for the safety search and with -DLIVENESS for the
// LTL claims, and gcc must accept the safety verifier SPIN writes (names become C
// identifiers in pan.c; -fsyntax-only). Skipped, with a message, when spin or gcc is
// missing (scripts/install-deps.sh).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> EverySpec() {
  std::vector<std::string> out;
  for (const char* dir : {"spec", "spec/variants", "spec/examples"}) {
    if (!fs::is_directory(src(dir))) continue;
    for (const auto& e : fs::directory_iterator(src(dir))) {
      if (e.path().extension() == ".sp") out.push_back(std::string(dir) + "/" + e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param.substr(info.param.find('/') + 1);
  n = n.substr(0, n.size() - 3);
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

bool Have(const std::string& tool) { return run("command -v " + tool).status == 0; }

// The systems `stateproof show` lists ("system NAME: ...").
std::vector<std::string> Systems(const std::string& spec) {
  const CommandResult r = run(bin() + " show " + src(spec));
  EXPECT_EQ(r.status, 0) << r.out;
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("system ", 0) == 0 && line.find(':') != std::string::npos) {
      out.push_back(line.substr(7, line.find(':') - 7));
    }
  }
  return out;
}

class ExportSpinAccepts : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportSpinAccepts, EverySystem) {
  if (!Have("spin") || !Have("gcc")) GTEST_SKIP() << "needs spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  const std::vector<std::string> systems = Systems(GetParam());
  ASSERT_FALSE(systems.empty()) << GetParam() << ": no system";
  char tmpl[] = "/tmp/sp_export_spin_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  for (const std::string& sys : systems) {
    const std::string where = GetParam() + " system " + sys;
    CommandResult r = run(bin() + " export " + src(GetParam()) + " --to promela --system " + sys + " -o " + dir + "/model.pml");
    ASSERT_EQ(r.status, 0) << where << "\n" << r.out;
    for (const char* flags : {"", "-DLIVENESS"}) {
      // spin reports some errors and still exits 0: its output must name no error.
      r = run("cd " + dir + " && rm -f pan.* && spin " + flags + " -a model.pml");
      EXPECT_EQ(r.status, 0) << where << ": spin " << flags << " -a rejects the model\n" << r.out;
      EXPECT_EQ(r.out.find("rror"), std::string::npos) << where << ": spin " << flags << " -a\n" << r.out;
      if (r.status != 0 || flags[0] != '\0') continue;
      // The C names are the same in both builds: one check is enough, and gcc's syntax
      // and type check finds a clash (a redefined struct, a macro-rewritten member) in a
      // tenth of a compile.
      r = run("cd " + dir + " && gcc -w -DSAFETY -fsyntax-only pan.c");
      EXPECT_EQ(r.status, 0) << where << ": gcc does not compile SPIN's pan.c\n" << r.out;
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

INSTANTIATE_TEST_SUITE_P(Specs, ExportSpinAccepts, ::testing::ValuesIn(EverySpec()), TestName);

}  // namespace
}  // namespace sp::e2e
