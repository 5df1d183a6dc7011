// `parcours bench timers` (docs/timers.md): scheduling a million pending
// timers in bulk, the server's memory with them pending, firing a due
// backlog durably through the workflow, and the lag from due instant to
// firing at 1,000 timers due per second — each beside raw RocksDB doing the
// comparable writes in the same run.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "bench_campaign.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/timer_service.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

constexpr std::size_t timersPerAppend = 1000;  // the store's events-per-append limit
constexpr std::int64_t farFutureMicros = 1893456000000000;  // 2030-01-01T00:00:00Z

std::string scheduledPayload(const std::string& campaignId, const std::string& timerId,
                             std::int64_t dueMicros) {
  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<workflows::schema::CampaignEvent>();
  e.setCampaignId(campaignId);
  e.setRulesVersion(1);
  e.setReason("bench");
  auto t = e.initTimerScheduled();
  t.setTimerId(timerId);
  t.setDueMicros(dueMicros);
  return workflows::flattenMessage(message);
}

Result<std::unique_ptr<store::EventLog>> openLog(const std::filesystem::path& dir,
                                                 const Logger& logger) {
  store::Options options;
  options.path = dir.string();
  return store::EventLog::open(options, logger);
}

// The rules of the bulk and lag campaigns: a deadline (2030) after every
// instant the bench runs at, so no deadline timer falls due by itself.
workflows::CampaignRules futureRules() {
  auto rules = benchRules();
  rules.deadlineLocal = "2030-06-30T23:59:59";
  rules.deadlineMicros = 1909094399000000;
  return rules;
}

// `count` pending timers, 1,000 a campaign: each campaign opened through the
// workflow (its deadline timer is one), then its other 999 TimerScheduled
// appended in one durable append — events no decision writes (replay would
// say so), so that a million pending timers need a thousand campaigns, not
// a million: what the index, the scheduler and the server hold is the same.
Status scheduleInBulk(store::EventLog& log, workflows::Workflow& workflow, std::size_t count) {
  const workflows::CommandContext admin{{"", "bench-admin", "", ""}, "bench"};
  for (std::size_t done = 0, batch = 0; done < count; ++batch) {
    const std::string campaignId = "b" + std::to_string(batch);
    const std::string stream = "campaign-" + campaignId;
    auto opened = workflow.campaign(
        campaignId, workflows::campaign_command::Open{{campaignId, futureRules()}}, admin);
    if (!opened) return opened.error();
    ++done;
    std::vector<store::NewEvent> events;
    for (std::size_t i = 1; i < timersPerAppend && done < count; ++i, ++done) {
      const std::string id = stream + ":close-submissions:" + std::to_string(2 + i);
      events.push_back({"TimerScheduled",
                        scheduledPayload(campaignId, id, farFutureMicros + static_cast<std::int64_t>(done))});
    }
    if (events.empty()) continue;
    auto r = log.append(stream, store::ExpectedVersion::exactly(2), std::move(events),
                        {"", "bench", "", "", benchNowMicros});
    if (!r) return r.error();
  }
  return okStatus();
}

// Timers/s: the durable appends and the due index caught up over them.
Result<double> bulkSchedule(const Settings& s, const Logger& logger,
                            const std::filesystem::path& keep = {}) {
  ScratchDir dir(s, "bench-timers-bulk");
  const std::filesystem::path path = keep.empty() ? dir.path() : keep;
  auto log = openLog(path, logger);
  if (!log) return std::move(log).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock);
  const auto start = Clock::now();
  if (auto st = scheduleInBulk(**log, workflow, s.timerCount); !st) return st.error();
  auto timers = workflows::TimerService::open(**log, workflow, clock, logger);
  if (!timers) return std::move(timers).takeError();
  const double elapsed = secondsSince(start);
  auto counts = (*timers)->counts();
  if (!counts) return std::move(counts).takeError();
  if (counts->pending != s.timerCount) {
    return Error::bug("the index holds " + std::to_string(counts->pending) + " pending timers, not " +
                      std::to_string(s.timerCount));
  }
  return static_cast<double>(s.timerCount) / elapsed;
}

// Runs `parcours` with `args`, output to /dev/null; returns its pid.
Result<pid_t> spawnParcours(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid < 0) return Error::ioError("fork failed");
  if (pid == 0) {
    const int devNull = ::open("/dev/null", O_WRONLY);
    if (devNull >= 0) {
      ::dup2(devNull, STDOUT_FILENO);
      ::dup2(devNull, STDERR_FILENO);
    }
    std::vector<char*> argv;
    static std::string name = "parcours";
    argv.push_back(name.data());
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  return pid;
}

// The resident set, in MiB, of `parcours serve` over `data` once it serves
// (its views and due index caught up) and its scheduler looked for due
// timers: read from /proc, of the server's own image (a fork's rusage
// would count the bench's pages it was copied from).
Result<double> serverRssMiB(const std::filesystem::path& data) {
  const std::filesystem::path dir = data.parent_path();
  const std::string tokens = (dir / "tokens.json").string();
  const std::string ports = (dir / "ports.json").string();
  std::filesystem::remove(ports);
  if (!std::filesystem::exists(tokens)) {
    auto made = spawnParcours({"token", "add", "--tokens", tokens, "--subject", "bench", "--role",
                               "administrator"});
    if (!made) return made.error();
    int status = 0;
    if (::waitpid(*made, &status, 0) != *made || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return Error::ioError("`parcours token add` failed");
    }
  }
  auto server = spawnParcours({"--data", data.string(), "serve", "--tokens", tokens, "--http",
                               "127.0.0.1:0", "--rpc", "127.0.0.1:0", "--port-file", ports});
  if (!server) return server.error();
  for (int i = 0; i < 600 && !std::filesystem::exists(ports); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const bool serving = std::filesystem::exists(ports);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the scheduler's first looks
  double mib = -1;
  std::ifstream status("/proc/" + std::to_string(*server) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) mib = std::stod(line.substr(6)) / 1024.0;  // in kB
  }
  ::kill(*server, SIGTERM);
  int code = 0;
  ::waitpid(*server, &code, 0);
  if (mib < 0 || !serving) {
    return Error::ioError("`parcours serve` on " + data.string() + " did not start");
  }
  return mib;
}

// Opens `count` campaigns whose deadline passed by the time the clock is
// moved (their deadline timers form the backlog), with `threads` openers.
Status openCampaigns(workflows::Workflow& workflow, std::size_t count, int threads,
                     const workflows::CampaignRules& rules, const std::string& prefix) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> openers;
  for (int t = 0; t < threads; ++t) {
    openers.emplace_back([&] {
      const workflows::CommandContext admin{{"", "bench-admin", "", ""}, "bench"};
      for (std::size_t i = next++; i < count && !failed; i = next++) {
        const std::string id = prefix + std::to_string(i);
        auto r = workflow.campaign(id, workflows::campaign_command::Open{{id, rules}}, admin);
        if (!r && !failed.exchange(true)) failure = r.error().message;
      }
    });
  }
  for (auto& o : openers) o.join();
  if (failed) return Error::ioError("opening the bench campaigns failed: " + failure);
  return okStatus();
}

// Timers/s of a due backlog fired through the workflow (TimerFired and
// PhaseChanged per timer, one durable append each), `threads` firing.
Result<double> fireBacklog(const Settings& s, std::size_t threads, const Logger& logger) {
  ScratchDir dir(s, "bench-timers-fire");
  auto log = openLog(dir.path(), logger);
  if (!log) return std::move(log).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock);
  if (auto st = openCampaigns(workflow, s.timerFireCount, 16, benchRules(), "f"); !st) return st.error();
  engine::SchedulerSettings settings;
  settings.firingThreads = threads;
  auto timers = workflows::TimerService::open(**log, workflow, clock, logger, settings);
  if (!timers) return std::move(timers).takeError();
  clock.set(engine::fromMicros(benchNowMicros + std::int64_t{40} * 86'400'000'000));
  const auto start = Clock::now();
  auto ran = (*timers)->runDue();
  const double elapsed = secondsSince(start);
  if (!ran) return std::move(ran).takeError();
  if (ran->fired != s.timerFireCount) {
    return Error::bug("fired " + std::to_string(ran->fired) + " of " +
                      std::to_string(s.timerFireCount) + " due timers" +
                      (ran->firstError ? ": " + ran->firstError->message : std::string()));
  }
  return static_cast<double>(ran->fired) / elapsed;
}

// Raw: `threads` writers, each one synchronous WriteBatch of two envelopes
// (a firing's two events) at a time, `count` in all. Writes/s.
Result<double> rawPairWriters(const Settings& s, std::size_t count, std::size_t threads) {
  ScratchDir dir(s, "bench-timers-raw");
  auto raw = RawDb::open(dir.path(), {"events"});
  if (!raw) return std::move(raw).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      rocksdb::WriteOptions options;
      options.sync = true;
      for (std::uint64_t n = next++; n < count && !failed; n = next++) {
        rocksdb::WriteBatch batch;
        for (std::uint64_t k = 0; k < 2; ++k) {
          const std::uint64_t position = 2 * n + k + 1;
          batch.Put((*raw)->family(0), positionKey(position),
                    envelopeFor(position, "campaign-f" + std::to_string(n), k + 1, payload));
        }
        if (!(*raw)->db().Write(options, &batch).ok()) failed = true;
      }
    });
  }
  for (auto& w : workers) w.join();
  if (failed) return Error::ioError("raw write failed");
  return static_cast<double>(count) / secondsSince(start);
}

// The lag, in µs, from due instant to recorded firing, of `perSecond`
// timers a second falling due one after the other for Settings::seconds,
// fired by the scheduler's thread on the system clock. Returns p50, p99, max.
Result<std::array<double, 3>> lagAtRate(const Settings& s, std::size_t perSecond,
                                        const Logger& logger) {
  ScratchDir dir(s, "bench-timers-lag");
  auto log = openLog(dir.path(), logger);
  if (!log) return std::move(log).takeError();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock);
  const workflows::CampaignRules rules = futureRules();
  const std::size_t count = std::max<std::size_t>(1, static_cast<std::size_t>(s.seconds * perSecond));
  if (auto st = openCampaigns(workflow, count, 16, rules, "l"); !st) return st.error();
  // Each deadline timer moved to its instant in the coming seconds.
  const std::int64_t first = engine::toMicros(clock.now()) + 2'000'000;
  const std::int64_t step = 1'000'000 / static_cast<std::int64_t>(perSecond);
  const workflows::CommandContext admin{{"", "bench-admin", "", ""}, "bench"};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string id = "campaign-l" + std::to_string(i) + ":close-submissions:2";
    auto r = workflow.timer(id, workflows::timer_command::Reschedule{id, first + static_cast<std::int64_t>(i) * step, 0},
                            admin);
    if (!r) return r.error();
  }
  if (engine::toMicros(clock.now()) >= first) {
    return Error::bug("moving the timers took longer than the 2 s lead: lower --seconds");
  }
  auto timers = workflows::TimerService::open(**log, workflow, clock, logger);
  if (!timers) return std::move(timers).takeError();
  (*timers)->start();
  const auto give_up = Clock::now() + std::chrono::seconds(60) +
                       std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.seconds));
  while (Clock::now() < give_up) {
    auto counts = (*timers)->counts();
    if (counts && counts->pending == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  (*timers)->stop();
  std::vector<double> lags;
  const auto visit = [&](const store::EventView& e) -> Status {
    if (e.eventType != "TimerFired") return okStatus();
    auto due = workflows::readPayload<workflows::schema::CampaignEvent>(
        e.payload, e.eventType, [](workflows::schema::CampaignEvent::Reader r) -> Result<std::int64_t> {
          return r.getTimerFired().getDueMicros();
        });
    if (!due) return due.error();
    lags.push_back(static_cast<double>(e.recordedAtMicros - *due));
    return okStatus();
  };
  if (auto s = store::scanWholeLog(**log, visit); !s) return s.error();
  if (lags.size() != count) {
    return Error::bug("only " + std::to_string(lags.size()) + " of " + std::to_string(count) +
                      " timers fired within a minute of their due instant");
  }
  return std::array<double, 3>{percentile(lags, 0.50), percentile(lags, 0.99),
                               *std::max_element(lags.begin(), lags.end())};
}

// Raw: the p99 of one synchronous WriteBatch of two envelopes, in µs.
Result<double> rawPairLatencyP99(const Settings& s) {
  ScratchDir dir(s, "bench-timers-raw-latency");
  auto raw = RawDb::open(dir.path(), {"events"});
  if (!raw) return std::move(raw).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  rocksdb::WriteOptions options;
  options.sync = true;
  std::vector<double> samples;
  const auto start = Clock::now();
  for (std::uint64_t n = 0; secondsSince(start) < s.seconds; ++n) {
    rocksdb::WriteBatch batch;
    for (std::uint64_t k = 1; k <= 2; ++k) {
      batch.Put((*raw)->family(0), positionKey(2 * n + k), envelopeFor(2 * n + k, "raw", k, payload));
    }
    const auto t0 = Clock::now();
    if (!(*raw)->db().Write(options, &batch).ok()) return Error::ioError("raw write failed");
    samples.push_back(microsSince(t0));
  }
  return percentile(samples, 0.99);
}

}  // namespace

Result<std::vector<Figure>> runTimers(const Settings& s, const Logger& logger) {
  std::vector<Figure> out;
  const auto wanted = [&s](const std::string& name) {
    return s.filter.empty() || name.find(s.filter) != std::string::npos;
  };

  if (wanted("timers.schedule.bulk")) {
    Figure f = makeFigure("timers.schedule.bulk",
                          std::to_string(s.timerCount) +
                              " pending timers, 1,000 a campaign (opened, then 999 in one "
                              "durable append), due index caught up",
                          "timers/s");
    f.rawDescription = "synced WriteBatches of 1,000 envelopes, both copies";
    f.target = Target{">= 100,000 timers/s", 100000, std::nullopt, std::nullopt, std::nullopt};
    if (auto st = measurePair(
            f, s.runs, [&] { return bulkSchedule(s, logger); },
            [&] { return rawBatches(s, timersPerAppend, true, true); });
        !st) {
      return st.error();
    }
    out.push_back(std::move(f));
  }

  if (wanted("timers.memory")) {
    // One store with the timers pending, one empty: the child's largest
    // resident set on each, alternately.
    ScratchDir full(s, "bench-timers-memory-full");
    ScratchDir empty(s, "bench-timers-memory-empty");
    if (auto r = bulkSchedule(s, logger, full.path() / "data"); !r) return r.error();
    {
      auto log = openLog(empty.path() / "data", logger);
      if (!log) return std::move(log).takeError();
    }
    Figure f = makeFigure("timers.memory.pending",
                          "resident set of `parcours serve` once serving, with " +
                              std::to_string(s.timerCount) + " timers pending",
                          "MiB", false);
    f.rawDescription = "the same process on an empty store";
    f.target = Target{"<= 50 MiB more than with none", std::nullopt, std::nullopt, std::nullopt,
                      std::nullopt};
    if (auto st = measurePair(
            f, s.runs, [&] { return serverRssMiB(full.path() / "data"); },
            [&] { return serverRssMiB(empty.path() / "data"); });
        !st) {
      return st.error();
    }
    // The target is on the difference: a value, then checked as one.
    f.target->maxValue = f.rawValue + 50;
    out.push_back(std::move(f));
  }

  for (std::size_t threads : {std::size_t{1}, std::size_t{8}}) {
    const std::string name = "timers.fire.backlog." + std::to_string(threads);
    if (!wanted(name)) continue;
    Figure f = makeFigure(name,
                          std::to_string(s.timerFireCount) +
                              " due deadline timers fired through the workflow, " +
                              std::to_string(threads) + " firing thread(s)",
                          "timers/s");
    f.rawDescription = "synced WriteBatches of two envelopes, " + std::to_string(threads) +
                       " writer(s)";
    f.target = Target{">= 20,000 timers/s", 20000, std::nullopt, std::nullopt, std::nullopt};
    if (auto st = measurePair(
            f, s.runs, [&] { return fireBacklog(s, threads, logger); },
            [&] { return rawPairWriters(s, s.timerFireCount, threads); });
        !st) {
      return st.error();
    }
    out.push_back(std::move(f));
  }

  if (wanted("timers.lag")) {
    Figure p99 = makeFigure("timers.lag.p99",
                            "from due instant to recorded firing, 1,000 timers due a second "
                            "for --seconds, p99",
                            "us", false);
    p99.rawDescription = "p99 of one synced WriteBatch of two envelopes";
    p99.target = Target{"<= 50 ms", std::nullopt, 50'000, std::nullopt, std::nullopt};
    Figure p50 = makeFigure("timers.lag.p50", "the same, p50", "us", false);
    p50.rawDescription = p99.rawDescription;
    Figure max = makeFigure("timers.lag.max", "the same, the largest", "us", false);
    max.rawDescription = p99.rawDescription;
    for (int i = 0; i < s.runs; ++i) {
      auto lag = lagAtRate(s, 1000, logger);
      if (!lag) return lag.error();
      auto raw = rawPairLatencyP99(s);
      if (!raw) return raw.error();
      p50.runs.push_back((*lag)[0]);
      p99.runs.push_back((*lag)[1]);
      max.runs.push_back((*lag)[2]);
      for (Figure* f : {&p50, &p99, &max}) f->rawRuns.push_back(*raw);
    }
    for (Figure* f : {&p99, &p50, &max}) {
      finalize(*f);
      out.push_back(std::move(*f));
    }
  }
  return out;
}

}  // namespace parcours::bench
