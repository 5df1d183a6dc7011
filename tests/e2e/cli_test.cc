// The parcours command line, run as a user runs it: help, exit codes,
// errors on bad input, and the bench's JSON contract.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "temp_dir.h"

namespace {

struct CommandRun {
  int exitCode;
  std::string out;  // stdout; stderr goes to a file read into err
  std::string err;
};

// Runs `parcours <args>` with a shell, capturing stdout and stderr.
CommandRun parcours(const std::string& args) {
  parcours::testing::TempDir dir;
  const std::string errFile = (dir.path() / "stderr").string();
  const std::string command = std::string(PARCOURS_BIN) + " " + args + " 2>" + errFile;
  CommandRun run{-1, "", ""};
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* err = std::fopen(errFile.c_str(), "r")) {
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), err))
      run.err.append(buffer.data(), n);
    std::fclose(err);
  }
  return run;
}

TEST(Cli, HelpListsCommandsAndExitCodes) {
  CommandRun run = parcours("--help");
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_NE(run.out.find("bench"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Exit codes: 0 ok"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Example:"), std::string::npos) << run.out;
}

TEST(Cli, EveryCommandHasHelpWithAnExample) {
  CommandRun run = parcours("bench --help");
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_NE(run.out.find("--json"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Example:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Exit codes"), std::string::npos) << run.out;
}

TEST(Cli, NoCommandIsInvalidInput) {
  CommandRun run = parcours("");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("--help"), std::string::npos) << run.err;
}

TEST(Cli, UnknownCommandIsInvalidInputAndSaysSo) {
  CommandRun run = parcours("frobnicate");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("frobnicate"), std::string::npos) << run.err;
}

TEST(Cli, OutOfRangeOptionIsInvalidInputNamingIt) {
  CommandRun run = parcours("bench append --runs 0");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("--runs"), std::string::npos) << run.err;
  CommandRun workload = parcours("bench sideways");
  EXPECT_EQ(workload.exitCode, 2);
  EXPECT_NE(workload.err.find("sideways"), std::string::npos) << workload.err;
}

TEST(Cli, UnknownLogLevelIsInvalidInput) {
  CommandRun run = parcours("--log-level loud bench append --filter nothing-matches");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("loud"), std::string::npos) << run.err;
}

TEST(Cli, UnusableDataDirectoryIsAnIoError) {
  parcours::testing::TempDir dir;
  const std::string file = (dir.path() / "a-file").string();
  std::fclose(std::fopen(file.c_str(), "w"));
  CommandRun run =
      parcours("--data " + file + "/sub bench append --filter bulk --seconds 0.05 --runs 1");
  EXPECT_EQ(run.exitCode, 7) << run.err;
}

// The JSON contract of `bench --json`: one object per line and per benchmark.
void expectBenchLines(const std::string& out, const std::vector<std::string>& names) {
  std::istringstream lines(out);
  std::string line;
  std::vector<std::string> seen;
  while (std::getline(lines, line)) {
    const auto json = nlohmann::json::parse(line);  // throws (fails) on bad JSON
    for (const char* field : {"name", "unit", "value", "raw_value", "ratio", "runs", "raw_runs"}) {
      EXPECT_TRUE(json.contains(field)) << field << " missing in " << line;
    }
    EXPECT_GT(json["value"].get<double>(), 0) << line;
    EXPECT_GT(json["raw_value"].get<double>(), 0) << line;
    const double ratio = json["value"].get<double>() / json["raw_value"].get<double>();
    EXPECT_NEAR(json["ratio"].get<double>(), ratio, 1e-9) << line;
    seen.push_back(json["name"]);
  }
  EXPECT_EQ(seen, names);
}

TEST(Cli, BenchAppendPrintsOneJsonObjectPerBenchmark) {
  parcours::testing::TempDir dir;
  CommandRun run = parcours("--data " + dir.path().string() +
                            " bench append --json --seconds 0.1 --runs 1 --filter bulk");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  expectBenchLines(run.out, {"append.bulk.100", "append.bulk.100.2cp"});
}

TEST(Cli, BenchReadOnATinyStore) {
  parcours::testing::TempDir dir;
  CommandRun run =
      parcours("--data " + dir.path().string() +
               " bench read --json --runs 1 --streams 300 --hot-streams 20 --reads 50");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  expectBenchLines(run.out, {"read.stream.100.p50", "read.stream.ptr.p50"});
}

TEST(Cli, JsonLogsAreOneJsonObjectPerLine) {
  parcours::testing::TempDir dir;
  CommandRun run = parcours("--log-format json --log-level info --data " + dir.path().string() +
                            " bench append --seconds 0.05 --runs 1 --filter bulk");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  std::istringstream lines(run.err);
  std::string line;
  int logLines = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;  // the bench's own progress notes
    const auto json = nlohmann::json::parse(line);
    EXPECT_TRUE(json.contains("time") && json.contains("level") && json.contains("message"));
    ++logLines;
  }
  EXPECT_GT(logLines, 0) << run.err;
}

TEST(Cli, BenchTableIsForPeople) {
  parcours::testing::TempDir dir;
  CommandRun run = parcours("--data " + dir.path().string() +
                            " bench scan --runs 1 --streams 200 --hot-streams 10");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("raw RocksDB"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("scan.all"), std::string::npos) << run.out;
}

}  // namespace
