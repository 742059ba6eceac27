// `--msc-svg FILE` on check and replay: the counterexample drawn as a well-formed SVG
// message sequence chart, with a lifeline per instance, a step per transition with its
// cite, and the lost or duplicated messages marked. Bad paths are clear errors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/run_command.hpp"
#include "tests/file_text.hpp"
#include "tests/svg_check.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

using testing::file_text;

TEST(MscSvg, CheckAndReplayDrawTheCounterexample) {
  const fs::path dir = fs::temp_directory_path() / ("sp_msc_svg_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path svg = dir / "abp.svg", trace = dir / "abp.json", replayed = dir / "replayed.svg";
  CommandResult r = run(bin() + " check " + src("spec/examples/abp_bug.sp") + " -q --trace-out " + trace.string() +
                        " --msc-svg " + svg.string());
  EXPECT_EQ(r.status, 1) << r.out;  // violated
  EXPECT_NE(r.out.find("(chart drawn in " + svg.string() + ")"), std::string::npos) << r.out;
  EXPECT_EQ(testing::svg_problem(svg.string()), "");
  const std::string s = file_text(svg);
  EXPECT_NE(s.find(">sender</text>"), std::string::npos);
  EXPECT_NE(s.find(">receiver</text>"), std::string::npos);
  EXPECT_NE(s.find("class=\"lifeline\""), std::string::npos);
  EXPECT_NE(s.find("class=\"cite\""), std::string::npos);  // the RFC / paper cite of a step
  EXPECT_TRUE(s.find("message lost") != std::string::npos || s.find("message duplicated") != std::string::npos)
      << "abp_bug's counterexample loses or duplicates a frame";
  r = run(bin() + " replay " + src("spec/examples/abp_bug.sp") + " " + trace.string() + " -q --msc-svg " +
          replayed.string());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(testing::svg_problem(replayed.string()), "");
  EXPECT_NE(file_text(replayed).find(">sender</text>"), std::string::npos);
  fs::remove_all(dir);
}

TEST(MscSvg, UnwritablePathIsAClearError) {
  CommandResult r = run(bin() + " check " + src("spec/examples/abp_bug.sp") + " -q --msc-svg /nonexistent/dir/x.svg");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cannot write /nonexistent/dir/x.svg: No such file or directory"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sp::e2e
