// `stateproof run --target lwip|raw:IFACE` when what they need is missing: a clear
// message and exit 3 (environment) or 2 (bad flags), before any test runs. No privileges.
#include <gtest/gtest.h>

#include "run_command.hpp"

namespace sp::e2e {
namespace {

TEST(TargetChoice, LwipWithoutItsDriverIsAnEnvironmentProblem) {
  CommandResult r = run("STATEPROOF_LWIP_AGENT=/nonexistent/stateproof-lwip-agent " + bin() + " run " +
                        src("tests/harness_run/suites/tcp") + " --target lwip");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("the lwip target is not built: liblwip-dev missing"), std::string::npos) << r.out;
}

TEST(TargetChoice, RawNeedsAnExistingInterfaceAndAgentOnlyGoesWithRaw) {
  CommandResult r = run(bin() + " run " + src("tests/harness_run/suites/tcp") + " --target raw:nosuchif0");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("no interface `nosuchif0`"), std::string::npos) << r.out;
  r = run(bin() + " run " + src("tests/harness_run/suites/tcp") + " --target linux --agent x");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--agent is for raw:IFACE targets"), std::string::npos) << r.out;
  r = run(bin() + " run " + src("tests/harness_run/suites/tcp") + " --target raw:");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("unknown target `raw:`"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sp::e2e
