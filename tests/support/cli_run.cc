#include "cli_run.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace parcours::testing {
namespace {

std::string readAll(std::FILE* file) {
  std::string text;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file)) {
    text.append(buffer.data(), n);
  }
  return text;
}

}  // namespace

std::string shellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

Outcome runCommand(const std::string& binary, const std::vector<std::string>& args,
                   const std::filesystem::path& errFile, const std::string& env) {
  std::string command = env + (env.empty() ? "" : " ") + binary;
  for (const std::string& arg : args) command += " " + shellQuote(arg);
  command += " 2>" + shellQuote(errFile.string());
  Outcome run;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  run.out = readAll(pipe);
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (std::FILE* err = std::fopen(errFile.c_str(), "r")) {
    run.err = readAll(err);
    std::fclose(err);
  }
  return run;
}

}  // namespace parcours::testing
