// Byte encoding of what a forked gen worker sends back to its parent (gen/fork_map.hpp):
// test cases, strings and counters. Both ends are the same binary, so the format has no
// version; the reader still checks every length against what is left, so a truncated
// result is an error rather than garbage.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "gen/testcase.hpp"

namespace sp::gen {

class ByteWriter {
 public:
  void u64(uint64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void f64(double v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    bytes_ += s;
  }
  void strs(const std::vector<std::string>& v) {
    u64(v.size());
    for (const std::string& s : v) str(s);
  }
  void pairs(const std::vector<std::pair<std::string, std::string>>& v) {
    u64(v.size());
    for (const auto& [k, x] : v) {
      str(k);
      str(x);
    }
  }
  void ints(const std::vector<int64_t>& v) {
    u64(v.size());
    for (int64_t x : v) i64(x);
  }
  void test(const TestCase& tc);
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

struct ByteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws ByteError on truncated or inconsistent input.
class ByteReader {
 public:
  explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
  uint64_t u64();
  int64_t i64() { return static_cast<int64_t>(u64()); }
  double f64();
  std::string str();
  std::vector<std::string> strs();
  std::vector<int64_t> ints();
  std::vector<std::pair<std::string, std::string>> pairs();
  size_t count();  // a vector's length, bounded by the bytes left
  TestCase test();
  bool done() const { return pos_ == bytes_.size(); }

 private:
  void Need(size_t n) const;
  template <typename T>
  T Fixed();  // a u64 or f64 as ByteWriter wrote it
  const std::string& bytes_;
  size_t pos_ = 0;
};

}  // namespace sp::gen
