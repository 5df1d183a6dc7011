// `parcours bench nats`: the JetStream publisher and a read replica's
// follower of `parcours serve`, against a real nats-server (one is started
// on loopback when --nats-url is not given), each against raw RocksDB
// doing the matching work in the same run:
// - nats.publish.catchup: the publisher sending a whole workflow log of
//   --nats-events events; raw: RocksDB reading the same events once;
// - nats.publish.live: the publisher keeping up while 8 appenders append
//   durably at --nats-rate events/s in all (20,000 by default): what it
//   publishes and the most events it ever lets wait; raw: synced batches
//   of 50 envelopes;
// - nats.replica.catchup: a new replica following that stream into its own
//   log until it holds every event; raw: synced batches of 4,096 envelopes
//   written twice (both families), as the replica writes them.
// Built into the parcours command (it needs the adapters).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "bench.h"
#include "parcours/adapters/nats_bench.h"
#include "workflow_log.h"
#include "workload.h"

namespace parcours::bench {
namespace {

int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool portOpen(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return open;
}

// nats-server -js on loopback for the bench's length, when none is given.
class LocalNatsServer {
 public:
  static Result<std::unique_ptr<LocalNatsServer>> start(const std::filesystem::path& dir) {
    auto server = std::unique_ptr<LocalNatsServer>(new LocalNatsServer());
    server->port_ = freePort();
    std::filesystem::create_directories(dir);
    const std::string port = std::to_string(server->port_);
    const std::string store = (dir / "jetstream").string();
    const std::string log = (dir / "nats.log").string();
    server->pid_ = ::fork();
    if (server->pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      std::FILE* out = std::freopen(log.c_str(), "a", stdout);
      std::FILE* err = std::freopen(log.c_str(), "a", stderr);
      (void)out;
      (void)err;
      ::execlp("nats-server", "nats-server", "-js", "-a", "127.0.0.1", "-p", port.c_str(), "-sd",
               store.c_str(), static_cast<char*>(nullptr));
      ::execl("/usr/sbin/nats-server", "nats-server", "-js", "-a", "127.0.0.1", "-p",
              port.c_str(), "-sd", store.c_str(), static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    for (int i = 0; i < 200 && !portOpen(server->port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!portOpen(server->port_)) {
      return Error::ioError("nats-server did not start (install Debian's nats-server, or give "
                            "--nats-url); see " + log);
    }
    return server;
  }
  ~LocalNatsServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

 private:
  LocalNatsServer() = default;
  int port_ = 0;
  pid_t pid_ = -1;
};

Result<std::unique_ptr<store::EventLog>> openBenchLog(const std::filesystem::path& path,
                                                      const Logger& logger) {
  store::Options options;
  options.path = path.string();
  return store::EventLog::open(options, logger);
}

}  // namespace

Result<std::vector<Figure>> runNats(const Settings& settings, const Logger& logger) {
  std::unique_ptr<LocalNatsServer> local;
  std::string url = settings.natsUrl;
  if (url.empty()) {
    auto started = LocalNatsServer::start(settings.workDir / "nats-server");
    if (!started) return started.error();
    local = std::move(started).value();
    url = local->url();
  }
  logger->info("bench nats: JetStream at {}", url);
  const auto logPath = settings.workDir / "nats-log";
  std::error_code ec;
  std::filesystem::remove_all(logPath, ec);
  auto events = populateWorkflowLog(logPath, settings.natsEvents, logger);
  if (!events) return events.error();
  const std::string n = std::to_string(*events);

  Figure catchup = makeFigure("nats.publish.catchup." + n,
                              "the publisher sending a log of " + n +
                                  " workflow events to JetStream, from nothing to every ack",
                              "events/s");
  catchup.rawDescription = "raw RocksDB reading the same events once, same run";
  catchup.target = Target{">= 20,000 events/s", 20000.0, std::nullopt, std::nullopt, std::nullopt};
  Figure replica = makeFigure("nats.replica.catchup." + n,
                              "a new read replica following the stream into its own log "
                              "(checked: position, chain, hash, encoding, version; synced)",
                              "events/s");
  replica.rawDescription = "raw RocksDB: synced batches of 4,096 envelopes written twice";
  replica.target = Target{">= 100,000 events/s", 100000.0, std::nullopt, std::nullopt, std::nullopt};
  for (int run = 0; run < settings.runs; ++run) {
    {
      auto log = openBenchLog(logPath, logger);
      if (!log) return log.error();
      auto seconds = adapters::benchPublishAll(**log, url, "BENCH", logger);
      if (!seconds) return seconds.error();
      catchup.runs.push_back(static_cast<double>(*events) / *seconds);
    }
    auto raw = rawScanSeconds(logPath, *events);
    if (!raw) return raw.error();
    catchup.rawRuns.push_back(static_cast<double>(*events) / *raw);

    auto followed =
        adapters::benchReplicaCatchUp(settings.workDir / "nats-replica", url, "BENCH", *events, logger);
    if (!followed) return followed.error();
    replica.runs.push_back(static_cast<double>(*events) / *followed);
    auto rawWrites = rawBatches(settings, 4096, /*sync=*/true, /*bothCopies=*/true);
    if (!rawWrites) return rawWrites.error();
    replica.rawRuns.push_back(*rawWrites);
  }
  finalize(catchup);
  finalize(replica);
  std::filesystem::remove_all(settings.workDir / "nats-replica", ec);
  std::filesystem::remove_all(logPath, ec);

  constexpr int appenders = 8;
  const std::string rate = std::to_string(static_cast<long>(settings.natsRate));
  Figure live = makeFigure("nats.publish.live." + rate,
                           "events JetStream acknowledged per second while 8 appenders append "
                           "durably (batches of 50), " + rate + " events/s in all",
                           "events/s");
  live.rawDescription = "raw RocksDB: synced batches of 50 envelopes written twice";
  // Keeping up: publishing at the appenders' pace (1% for the sampling
  // edges), with a lag that stays small (the .max_lag figure).
  live.target = Target{">= 99% of " + rate + " events/s (keeps up)", 0.99 * settings.natsRate,
                       std::nullopt, std::nullopt, std::nullopt};
  Figure lag = makeFigure("nats.publish.live." + rate + ".max_lag",
                          "the most events waiting for JetStream during that run, sampled every "
                          "10 ms (bounded: it does not grow with the run's length)",
                          "events", false);
  lag.rawDescription = "(none: the raw column is the rate the appenders reached, events/s)";
  for (int run = 0; run < settings.runs; ++run) {
    const auto livePath = settings.workDir / "nats-live";
    std::filesystem::remove_all(livePath, ec);
    auto log = openBenchLog(livePath, logger);
    if (!log) return log.error();
    auto measured = adapters::benchPublishWhileAppending(**log, url, "BENCH_LIVE", settings.seconds,
                                                         appenders, settings.natsRate, logger);
    if (!measured) return measured.error();
    live.runs.push_back(static_cast<double>(measured->published) / measured->seconds);
    lag.runs.push_back(static_cast<double>(measured->maxLag));
    lag.rawRuns.push_back(static_cast<double>(measured->appended) / measured->seconds);
    logger->info("bench nats live: appended={} published={} seconds={:.2f} max_lag={} drain={:.3f}s",
                 measured->appended, measured->published, measured->seconds, measured->maxLag,
                 measured->drainSeconds);
    log->reset();
    std::filesystem::remove_all(livePath, ec);
    auto raw = rawBatches(settings, 50, /*sync=*/true, /*bothCopies=*/true);
    if (!raw) return raw.error();
    live.rawRuns.push_back(*raw);
  }
  finalize(live);
  finalize(lag);
  return std::vector<Figure>{std::move(catchup), std::move(replica), std::move(live), std::move(lag)};
}

}  // namespace parcours::bench
