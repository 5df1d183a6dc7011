// Test support: small edits of a valid text (a definition file, a
// submission) to make the invalid variants the parser tests refuse.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace parcours::testing {

// `text` with the first `from` replaced by `to` (which must be there).
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not in the text: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// `text` without the line holding `needle` (which must be there).
inline std::string without(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "not in the text: " << needle;
  if (at == std::string::npos) return text;
  const auto begin = text.rfind('\n', at);
  const auto end = text.find('\n', at);
  return text.substr(0, begin) + text.substr(end);
}

}  // namespace parcours::testing
