#include "json_bounds.h"

#include <string>

namespace parcours::adapters {
namespace {

bool isEscapedNul(std::string_view text, std::size_t backslash) {
  // \u0000, hex digits in either case: only "0" has a case-free spelling.
  return text.substr(backslash, 6) == "\\u0000";
}

}  // namespace

Status checkJsonBounds(std::string_view text, std::size_t depthMax) {
  std::size_t depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      return Error::invalidInput("the body holds a NUL byte at offset " + std::to_string(i) +
                                 ": text may not contain NUL characters");
    }
    if (inString) {
      if (c == '\\') {
        if (isEscapedNul(text, i)) {
          return Error::invalidInput("the body holds \\u0000 at offset " + std::to_string(i) +
                                     ": text may not contain NUL characters");
        }
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > depthMax) {
        return Error::invalidInput("the body nests deeper than " + std::to_string(depthMax) +
                                   " levels (at offset " + std::to_string(i) +
                                   "): no parcours body nests that deep");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return okStatus();
}

}  // namespace parcours::adapters
