// A TestCase as a `.spt` file (docs/test-format.md).
#pragma once

#include <string>

#include "gen/testcase.hpp"

namespace sp::gen {

std::string to_spt(const TestCase& tc);
// Seconds as the files write them: at most 3 decimals, no trailing zeros (`0.75`, `1`).
std::string seconds_text(double s);

}  // namespace sp::gen
