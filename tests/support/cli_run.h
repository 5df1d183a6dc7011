// Running the parcours binary from the end-to-end tests: one command line,
// its exit code, stdout and stderr.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace parcours::testing {

struct Outcome {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Whether `part` is in `text`: what the tests ask of output and messages.
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Single-quotes an argument for /bin/sh.
std::string shellQuote(const std::string& arg);

// Runs `binary args...` through /bin/sh, `env` first when given (e.g.
// "env -u PARCOURS_DATA"); stderr goes through `errFile`.
Outcome runCommand(const std::string& binary, const std::vector<std::string>& args,
                   const std::filesystem::path& errFile, const std::string& env = "");

}  // namespace parcours::testing
