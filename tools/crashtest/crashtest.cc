#include "crashtest.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/logger.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "ack_collector.h"
#include "bench_campaign.h"
#include "crash_http.h"
#include "parcours/adapters/tokens.h"
#include "parcours/engine/clock.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/workflow.h"

namespace parcours::crashtest {
namespace {

namespace fs = std::filesystem;

// A child process with its stdout on a pipe (null: not wanted) and its
// stderr in `logFile`; killed with SIGKILL if this process dies first.
struct Child {
  pid_t pid = -1;
  int stdoutFd = -1;
};

Result<Child> spawn(const std::vector<std::string>& args, const fs::path& logFile,
                    bool pipeStdout) {
  int fds[2] = {-1, -1};
  if (pipeStdout && ::pipe(fds) != 0) return Error::ioError("pipe() failed");
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Error::ioError("cannot write " + logFile.string());
  const pid_t pid = ::fork();
  if (pid < 0) return Error::ioError("fork() failed");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(log, STDERR_FILENO);
    ::dup2(pipeStdout ? fds[1] : log, STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log);
  Child child{pid, -1};
  if (pipeStdout) {
    ::close(fds[1]);
    child.stdoutFd = fds[0];
  }
  return child;
}

// Killed, or ended on its own: the exit status, as waitpid says it.
int killAndReap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// Reads acknowledgement lines until the pipe closes (every writer dead).
void readAcks(int fd, AckCollector& acks) {
  std::FILE* in = ::fdopen(fd, "r");
  if (in == nullptr) return;
  char* line = nullptr;
  std::size_t capacity = 0;
  while (::getline(&line, &capacity, in) > 0) {
    if (auto ack = parseAckLine(line)) acks.add(std::move(*ack));
  }
  std::free(line);
  std::fclose(in);
}

// A fresh store: the campaign opened, and a token for the HTTP clients.
Result<std::string> prepareStore(const fs::path& dir,
                                 const std::shared_ptr<spdlog::logger>& logger) {
  store::Options options;
  options.path = (dir / "store").string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock);
  if (auto st = bench::openBenchCampaign(workflow, std::string(campaignId), crashRules()); !st) {
    return st.error();
  }
  using adapters::Role;
  return adapters::addToken(dir / "tokens.json", "crashtest",
                            {Role::Administrator, Role::Instructor, Role::Applicant});
}

struct RoundPlan {
  unsigned round = 0;
  bool http = false;
  unsigned killAfterMs = 0;
};

// Starts the in-process child; acknowledgements come through its pipe.
Result<int> runDirectRound(const CrashTestSettings& s, const RoundPlan& plan,
                           const fs::path& storeDir, AckCollector& acks) {
  const fs::path log = storeDir / ("round-" + std::to_string(plan.round) + ".log");
  auto child = spawn({s.parcoursBin, "--data", (storeDir / "store").string(), "crashtest",
                      "--child", "--seed", std::to_string(s.seed), "--round",
                      std::to_string(plan.round), "--threads", std::to_string(s.threads)},
                     log, true);
  if (!child) return std::move(child).takeError();
  std::thread reader(readAcks, child->stdoutFd, std::ref(acks));
  const bool started = acks.waitForFirst(std::chrono::seconds(60));
  if (started) std::this_thread::sleep_for(std::chrono::milliseconds(plan.killAfterMs));
  const int status = killAndReap(child->pid);
  reader.join();
  if (!started || !WIFSIGNALED(status)) {
    return Error::ioError("round " + std::to_string(plan.round) +
                          ": the child ended before the kill; see " + log.string());
  }
  return 0;
}

// Starts `parcours serve` and drives it over HTTP from here.
Result<int> runHttpRound(const CrashTestSettings& s, const RoundPlan& plan,
                         const fs::path& storeDir, const std::string& token, AckCollector& acks) {
  const fs::path log = storeDir / ("round-" + std::to_string(plan.round) + ".log");
  const fs::path ports = storeDir / "ports.json";
  fs::remove(ports);
  auto server = spawn({s.parcoursBin, "--data", (storeDir / "store").string(), "serve", "--http",
                       "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--tokens",
                       (storeDir / "tokens.json").string(), "--port-file", ports.string()},
                      log, false);
  if (!server) return std::move(server).takeError();
  for (int i = 0; i < 1200 && !fs::exists(ports); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string address;
  try {
    std::ifstream in(ports);
    address = nlohmann::json::parse(in).at("http").get<std::string>();
  } catch (const std::exception&) {
    killAndReap(server->pid);
    return Error::ioError("round " + std::to_string(plan.round) +
                          ": the server did not start; see " + log.string());
  }
  std::atomic<bool> stop{false};
  std::string failure;
  std::thread clients(runHttpClients, address, token, plan.round, s.threads, std::cref(stop),
                      std::ref(acks), std::ref(failure));
  const bool started = acks.waitForFirst(std::chrono::seconds(60));
  if (started) std::this_thread::sleep_for(std::chrono::milliseconds(plan.killAfterMs));
  const int status = killAndReap(server->pid);
  stop = true;
  clients.join();
  if (!failure.empty()) {
    return Error::ioError("round " + std::to_string(plan.round) + ": " + failure);
  }
  if (!started || !WIFSIGNALED(status)) {
    return Error::ioError("round " + std::to_string(plan.round) +
                          ": no command was acknowledged before the kill; see " + log.string());
  }
  return 0;
}

}  // namespace

bool CrashTestReport::ok() const {
  for (const auto& r : rounds) {
    if (!r.check.ok()) return false;
  }
  return true;
}

Result<CrashTestReport> runCrashTest(const CrashTestSettings& s,
                                     std::shared_ptr<spdlog::logger> logger,
                                     const RoundDone& roundDone) {
  CrashTestReport report;
  report.seed = s.seed;
  std::mt19937_64 rng(s.seed);
  std::vector<Ack> acknowledged;  // every acknowledgement of the current store
  fs::path storeDir;
  std::string token;
  for (unsigned round = 1; round <= s.rounds; ++round) {
    if ((round - 1) % s.roundsPerStore == 0) {
      storeDir = fs::path(s.workDir) / ("store-" + std::to_string(round));
      std::error_code ec;
      fs::remove_all(storeDir, ec);
      fs::create_directories(storeDir, ec);
      auto prepared = prepareStore(storeDir, logger);
      if (!prepared) return std::move(prepared).takeError();
      token = std::move(*prepared);
      acknowledged.clear();
    }
    RoundPlan plan;
    plan.round = round;
    plan.http = s.http && rng() % 3 == 0;
    plan.killAfterMs = s.killMinMs + static_cast<unsigned>(rng() % (s.killMaxMs - s.killMinMs + 1));
    AckCollector acks;
    auto ran = plan.http ? runHttpRound(s, plan, storeDir, token, acks)
                         : runDirectRound(s, plan, storeDir, acks);
    if (!ran) return std::move(ran).takeError();
    RoundResult result;
    result.round = round;
    result.mode = plan.http ? 'h' : 'd';
    result.killAfterMs = plan.killAfterMs;
    std::vector<Ack> fresh = acks.take();
    result.acks = fresh.size();
    acknowledged.insert(acknowledged.end(), std::make_move_iterator(fresh.begin()),
                        std::make_move_iterator(fresh.end()));
    result.check = checkStore((storeDir / "store").string(), acknowledged, rng, logger);
    if (roundDone) roundDone(result);
    report.rounds.push_back(std::move(result));
  }
  return report;
}

}  // namespace parcours::crashtest
