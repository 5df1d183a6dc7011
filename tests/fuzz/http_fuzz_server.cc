#include "http_fuzz_server.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "demo_scenario.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/key_store.h"

namespace parcours::adapters {

bool WakePort::wait() {
  std::unique_lock lock(mutex_);
  woken_.wait(lock, [this] { return wake_; });
  wake_ = false;
  return true;
}

bool WakePort::poll() {
  std::lock_guard lock(mutex_);
  const bool woke = wake_;
  wake_ = false;
  return woke;
}

void WakePort::wake() const {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  woken_.notify_all();
}

void WakePort::awaitWake() {
  std::unique_lock lock(mutex_);
  woken_.wait(lock, [this] { return wake_; });
}

namespace {

[[noreturn]] void die(const std::string& what, const Error& error) {
  std::fprintf(stderr, "http_fuzz: cannot set up the server: %s: %s\n", what.c_str(),
               error.message.c_str());
  std::abort();
}

template <typename T>
T orDie(Result<T> result, const std::string& what) {
  if (!result) die(what, result.error());
  return std::move(result).value();
}

// Quiet, unless PARCOURS_FUZZ_LOG is set (then the server's log on stderr).
std::shared_ptr<spdlog::logger> makeLogger() {
  if (std::getenv("PARCOURS_FUZZ_LOG") != nullptr) {
    auto logger =
        std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_level(spdlog::level::debug);
    return logger;
  }
  return std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// The tokens file the fuzzed server reads: one token per role.
std::string fuzzTokens() {
  struct Token {
    const char* token;
    const char* subject;
    const char* role;
  };
  static constexpr Token tokens[] = {
      {"t-admin", "admin", "administrator"},
      {"t-instructor", "instructeur", "instructor"},
      {"t-juror", "juror-1", "juror"},
      {"t-auditor", "auditeur", "auditor"},
      {"t-integrator", "integrateur", "integrator"},
      {"t-applicant", "applicant-1", "applicant"},
  };
  std::string json = "{\"tokens\": [";
  for (const Token& t : tokens) {
    if (json.back() == '}') json += ", ";
    json += std::string("{\"sha256\": \"") + toHex(hashToken(t.token)) + "\", \"subject\": \"" +
            t.subject + "\", \"roles\": [\"" + t.role + "\"]}";
  }
  return json + "]}";
}

std::filesystem::path makeDirectory() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "parcours-http-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) die("mkdtemp", Error::ioError(pattern));
  return pattern;
}

}  // namespace

// Declared in the order they are made; destroyed in reverse by ~FuzzServer.
struct FuzzServer::Parts {
  std::shared_ptr<spdlog::logger> logger = makeLogger();
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<engine::KeyStore> keys;
  std::unique_ptr<workflows::Views> views;
  // Past the demo's 2020: later decisions stand after every recorded one.
  engine::ManualClock clock{engine::fromMicros(1'609'459'200'000'000)};  // 2021-01-01
  std::unique_ptr<workflows::Workflow> workflow;
  Metrics metrics;
  std::unique_ptr<Api> api;
  std::unique_ptr<EventFeed> feed;
  CommandPool pool{2};
  std::unique_ptr<TokenFile> tokens;
  kj::PromiseFulfillerPair<void> shutdown = kj::newPromiseAndFulfiller<void>();
  kj::ForkedPromise<void> shuttingDown = shutdown.promise.fork();
  std::atomic<bool> ready{true};
  std::unique_ptr<ServerParts> server;
};

FuzzServer& FuzzServer::get() {
  static FuzzServer server;
  return server;
}

FuzzServer::FuzzServer() : dir_(makeDirectory()) {
  parts_ = std::make_unique<Parts>();
  Parts& p = *parts_;
  store::Options options;
  options.path = (dir_ / "store").string();
  options.sync = false;  // a fuzzer's store need not survive a power cut
  p.log = orDie(store::EventLog::open(options, p.logger), "store");
  p.keys = orDie(engine::KeyStore::open((dir_ / "keys").string()), "key store");
  orDie(demo::runDemoScenario(
            *p.log, {20, 2020}, [](const std::string&) {}, p.keys.get()),
        "demo");
  p.views = orDie(workflows::Views::open(*p.log, p.logger), "views");
  p.views->startLive();
  p.workflow = std::make_unique<workflows::Workflow>(*p.log, p.clock, p.keys.get());
  p.api = std::make_unique<Api>(*p.log, *p.workflow, *p.views, p.metrics);
  p.feed = std::make_unique<EventFeed>(*p.log);
  p.feed->start();
  const auto tokensFile = dir_ / "tokens.json";
  std::ofstream(tokensFile) << fuzzTokens();
  p.tokens = orDie(TokenFile::open(tokensFile), "tokens");
  p.server = std::make_unique<ServerParts>(ServerParts{*p.api, *p.feed, p.pool, p.metrics, *p.tokens,
                                                       *p.views, timer_, p.logger, p.shuttingDown,
                                                       p.ready});
  gateway_ = std::make_unique<HttpGateway>(*p.server, tableBuilder_);
  table_ = tableBuilder_.build();
}

FuzzServer::~FuzzServer() {
  // As serve() shuts down: no more requests, the workers finish, the
  // views stop, then the store closes.
  gateway_.reset();
  parts_->pool.drain();
  parts_->feed.reset();
  parts_->views->stop();
  parts_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void FuzzServer::drive(kj::Promise<void>& promise, const bool& done, bool mayWait) {
  const kj::TimePoint deadline = timer_.now() + 60 * kj::SECONDS;
  while (!done) {
    if (promise.poll(waitScope_)) {
      promise.wait(waitScope_);  // ready: runs its continuation, which sets `done`
      continue;
    }
    KJ_IF_MAYBE (next, timer_.nextEvent()) {
      if (*next <= deadline) {
        timer_.advanceTo(*next);
        continue;
      }
    }
    if (!mayWait) return;
    port_.awaitWake();
  }
}

}  // namespace parcours::adapters
