// `parcours bench` without --data: each run in a directory of its own,
// removed after it, and nobody else's (issue 17, defect 14: two benches on
// one machine shared /tmp/parcours-bench and the first to end deleted the
// other's).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

namespace fs = std::filesystem;

std::set<std::string> benchDirs(const fs::path& tmp) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(tmp)) {
    if (entry.path().filename().string().starts_with("parcours-bench")) out.insert(entry.path());
  }
  return out;
}

TEST(BenchCli, TwoBenchesAtOnceEachUseAndRemoveOnlyTheirOwnDirectory) {
  TempDir dir;
  const fs::path tmp = dir.path() / "tmp";
  fs::create_directory(tmp);
  // What the old code shared: it must survive both runs.
  fs::create_directory(tmp / "parcours-bench");
  std::ofstream(tmp / "parcours-bench" / "someone-else") << "kept";
  const std::string env = "TMPDIR=" + shellQuote(tmp.string());
  const std::vector<std::string> args = {"bench", "append", "--seconds", "0.2", "--runs", "1",
                                         "--appenders", "1", "--json"};
  auto first = std::async(std::launch::async, [&] {
    return runCommand(PARCOURS_BIN, args, dir.path() / "err1.txt", env);
  });
  auto second = std::async(std::launch::async, [&] {
    return runCommand(PARCOURS_BIN, args, dir.path() / "err2.txt", env);
  });
  const Outcome a = first.get();
  const Outcome b = second.get();
  EXPECT_EQ(a.exitCode, 0) << a.err;
  EXPECT_EQ(b.exitCode, 0) << b.err;
  EXPECT_TRUE(contains(a.err, "work dir " + tmp.string() + "/parcours-bench.")) << a.err;
  EXPECT_EQ(benchDirs(tmp), (std::set<std::string>{(tmp / "parcours-bench").string()}))
      << "each run removed its own directory, and only it";
  EXPECT_TRUE(fs::exists(tmp / "parcours-bench" / "someone-else"));
}

}  // namespace
}  // namespace parcours::testing
