#include "compiler/diagnostics.hpp"

#include <gtest/gtest.h>

namespace sp {
namespace {

TEST(Diagnostics, FormatsFileLineColumnSourceAndCaret) {
  SourceFile file{"x.sp", "role A {\n  states ONE, TWO\n}\n"};
  Diagnostics d(file);
  d.error(d.locate(18), "unknown thing");
  EXPECT_EQ(d.format_all(),
            "x.sp:2:10: error: unknown thing\n"
            "    states ONE, TWO\n"
            "           ^\n");
  EXPECT_TRUE(d.has_errors());
}

TEST(Diagnostics, WarningsDoNotCountAsErrors) {
  SourceFile file{"x.sp", "a\n"};
  Diagnostics d(file);
  d.warning(d.locate(0), "w");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.format_all(), "x.sp:1:1: warning: w\n  a\n  ^\n");
}

TEST(NearestName, SuggestsCloseNamesOnly) {
  std::vector<std::string> states = {"ESTABLISHED", "LISTEN", "CLOSED"};
  EXPECT_EQ(nearest_name("ESTABLISED", states), "ESTABLISHED");
  EXPECT_EQ(nearest_name("closed", states), "CLOSED");
  EXPECT_EQ(nearest_name("FOO", states), "");
  EXPECT_EQ(did_you_mean("LISTN", states), " (did you mean LISTEN?)");
}

}  // namespace
}  // namespace sp
