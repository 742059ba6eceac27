// Whether a file is a well-formed SVG document, for the --msc-svg tests: xmllint
// --noout when it is installed (Debian: libxml2-utils), otherwise a structural check
// (the XML declaration, an <svg> root in the SVG namespace, every element closed in
// order). "" when it is, else what is wrong.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/file_text.hpp"

namespace sp::testing {

inline std::string svg_problem(const std::string& path) {
  const std::string text = file_text(path);
  if (text.empty()) return "cannot read " + path;
  if (text.rfind("<?xml", 0) != 0) return "no XML declaration";
  if (text.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") == std::string::npos) return "no <svg> root";
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    std::string out;
    FILE* p = popen(("xmllint --noout '" + path + "' 2>&1").c_str(), "r");
    if (!p) return "cannot run xmllint";
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    return pclose(p) == 0 ? "" : "xmllint: " + out;
  }
  std::vector<std::string> open;
  for (size_t at = text.find('<', 1); at != std::string::npos; at = text.find('<', at + 1)) {
    const size_t end = text.find('>', at);
    if (end == std::string::npos) return "an unclosed tag";
    const std::string tag = text.substr(at + 1, end - at - 1);
    const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" />", tag[0] == '/' ? 1 : 0));
    if (tag[0] == '/') {
      if (open.empty() || open.back() != name) return "</" + name + "> closes nothing open";
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(name);
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> is not closed";
}

}  // namespace sp::testing
