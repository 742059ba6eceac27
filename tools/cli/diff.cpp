// stateproof diff A.json B.json [--baseline]: where two results files (`stateproof run
// --results`) differ, per test (harness/report/compare.hpp). With --baseline, A is the
// baseline and the exit status is 1 when B has a new failure.
#include <iostream>

#include "tools/cli/common.hpp"

#ifdef STATEPROOF_HAVE_HARNESS_RUN
#include "harness/report/compare.hpp"
#endif

namespace sp::cli {

void add_diff(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand(
      "diff", "Compare two results files of `stateproof run --results`: verdicts and the IUT's packets per test");
#ifdef STATEPROOF_HAVE_HARNESS_RUN
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto baseline = std::make_shared<bool>(false);
  cmd->add_option("a", *a, "results JSON (with --baseline: the baseline)")->required();
  cmd->add_option("b", *b, "results JSON to compare with it")->required();
  cmd->add_flag("--baseline", *baseline,
                "regression mode: A is the baseline; exit 1 when a test of B fails or errs where A's did not, "
                "or fails differently, or departs (an expected deviation) where A's passed or departed "
                "differently");
  cmd->callback([=] {
    *run = [=] {
      harness::ResultsFile ra, rb;
      std::string error;
      if (!harness::load_results(*a, &ra, &error) || !harness::load_results(*b, &rb, &error)) {
        std::cerr << "stateproof diff: " << error << "\n";
        return static_cast<int>(kUsage);
      }
      harness::Comparison c = harness::compare_results(ra, rb);
      std::cout << harness::format_comparison(c, ra, rb);
      return *baseline && c.regressions() > 0 ? static_cast<int>(kFailed) : static_cast<int>(kOk);
    };
  });
#else
  cmd->allow_extras();
  cmd->callback([=] {
    *run = [] {
      std::cerr << "stateproof diff: this build has no harness (configured with STATEPROOF_SKIP=harness)\n";
      return static_cast<int>(kEnvironment);
    };
  });
#endif
}

}  // namespace sp::cli
