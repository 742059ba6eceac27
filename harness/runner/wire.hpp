// TestResult to bytes and back, for the pipe from a worker process to the runner.
// Little-endian length-prefixed fields; decoding checks every length and never reads
// past the buffer, so a worker killed mid-write gives a clean failure.
#pragma once

#include <string>
#include <string_view>

#include "harness/engine/result.hpp"

namespace sp::harness {

std::string encode_result(const TestResult& result);
// False when `bytes` is not one complete encoded result.
bool decode_result(std::string_view bytes, TestResult* out);

}  // namespace sp::harness
