#include "harness/suite/steps.hpp"

#include <cctype>

namespace sp::harness {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string role_prefix(const TestCase& test) {
  if (test.covers.empty()) return "";
  size_t dot = test.covers.front().find('.');
  return dot == std::string::npos ? "" : test.covers.front().substr(0, dot + 1);
}

}  // namespace

std::string step_of_comment(const TestCase& test, const std::string& comment) {
  size_t end = 0;
  while (end < comment.size() && name_char(comment[end])) ++end;
  if (end == 0 || (end < comment.size() && comment[end] != ':')) return "";
  return role_prefix(test) + comment.substr(0, end);
}

std::string spec_state_of_comment(const std::string& comment) {
  size_t colon = comment.find(": in ");
  if (colon == std::string::npos) return "";
  for (size_t i = 0; i < colon; ++i) {
    if (!name_char(comment[i])) return "";
  }
  size_t begin = colon + 5, end = begin;
  while (end < comment.size() && (std::isupper(static_cast<unsigned char>(comment[end])) ||
                                  std::isdigit(static_cast<unsigned char>(comment[end])) || comment[end] == '_')) {
    ++end;
  }
  if (end == begin || (end < comment.size() && comment[end] != ';')) return "";
  return comment.substr(begin, end - begin);
}

std::string initial_step(const TestCase& test) { return test.covers.empty() ? "" : test.covers.front(); }

std::set<std::string> steps_of(const TestCase& test) {
  std::set<std::string> steps(test.covers.begin(), test.covers.end());
  for (const Event& e : test.events) {
    if (std::string s = step_of_comment(test, e.comment); !s.empty()) steps.insert(std::move(s));
  }
  return steps;
}

}  // namespace sp::harness
