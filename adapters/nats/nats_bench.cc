// The NATS benchmarks' bodies (parcours/adapters/nats_bench.h).
#include "parcours/adapters/nats_bench.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "jetstream_publisher.h"
#include "replica_follower.h"

namespace parcours::adapters {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

nats::StreamSettings benchStream(const std::string& url, const std::string& stream) {
  nats::StreamSettings settings;
  settings.url = url;
  settings.stream = stream;
  settings.subjectPrefix = "bench-" + stream;
  return settings;
}

// A fresh start: the stream and the publisher's checkpoint removed.
Status resetStream(store::EventLog& log, const nats::StreamSettings& settings) {
  auto session = nats::NatsSession::connect(settings, "parcours bench");
  if (!session) return session.error();
  natsStatus s = js_DeleteStream((*session)->jetStream(), settings.stream.c_str(), nullptr, nullptr);
  if (s != NATS_OK && s != NATS_NOT_FOUND) return nats::natsError(s, "deleting " + settings.stream);
  auto table = log.openTable("nats-publisher");
  if (!table) return std::move(table).takeError();
  auto batch = (*table)->newBatch();
  batch->remove(nats::checkpointKey(settings));
  return (*table)->commit(*batch);
}

// Waits until the publisher's checkpoint reaches `position` (at most 10 min).
Status awaitCheckpoint(const nats::JetStreamPublisher& publisher, store::Position position) {
  const auto deadline = Clock::now() + std::chrono::minutes(10);
  while (publisher.status().checkpoint < position) {
    if (Clock::now() > deadline) {
      return Error::ioError("the publisher did not reach position " + std::to_string(position) +
                            ": " + publisher.status().lastError);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return okStatus();
}

}  // namespace

Result<double> benchPublishAll(store::EventLog& log, const std::string& url,
                               const std::string& stream, std::shared_ptr<spdlog::logger> logger) {
  const auto settings = benchStream(url, stream);
  if (auto reset = resetStream(log, settings); !reset) return reset.error();
  nats::JetStreamPublisher publisher(log, settings, "http://bench", logger);
  const auto start = Clock::now();
  if (auto started = publisher.start(); !started) return started.error();
  if (auto done = awaitCheckpoint(publisher, log.head()); !done) return done.error();
  const double seconds = secondsSince(start);
  publisher.stop();
  return seconds;
}

Result<LivePublishRun> benchPublishWhileAppending(store::EventLog& log, const std::string& url,
                                                  const std::string& stream, double seconds,
                                                  int appenders, double eventsPerSecond,
                                                  std::shared_ptr<spdlog::logger> logger) {
  const auto settings = benchStream(url, stream);
  if (auto reset = resetStream(log, settings); !reset) return reset.error();
  nats::JetStreamPublisher publisher(log, settings, "http://bench", logger);
  if (auto started = publisher.start(); !started) return started.error();
  if (auto done = awaitCheckpoint(publisher, log.head()); !done) return done.error();
  LivePublishRun run;
  const store::Position startHead = log.head();
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  const std::string payload(200, 'x');
  constexpr std::size_t perAppend = 50;
  // Each appender's share of the rate: one append of 50 every `every`.
  const auto every = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
      static_cast<double>(perAppend) * appenders / std::max(eventsPerSecond, 1.0)));
  for (int t = 0; t < appenders; ++t) {
    threads.emplace_back([&, t] {
      std::vector<store::NewEvent> events(perAppend, store::NewEvent{"BenchEventAppended", payload});
      const std::string streamId = "bench-" + stream + "-" + std::to_string(t);
      auto next = Clock::now();
      while (!stop.load()) {
        if (!log.append(streamId, store::ExpectedVersion::any(), events, {})) failed = true;
        next += every;
        std::this_thread::sleep_until(next);
      }
    });
  }
  const auto start = Clock::now();
  const store::Position startCheckpoint = publisher.status().checkpoint;
  while (secondsSince(start) < seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    run.maxLag = std::max<std::uint64_t>(run.maxLag, publisher.status().lag());
  }
  const auto status = publisher.status();
  run.seconds = secondsSince(start);
  run.published = status.checkpoint - startCheckpoint;
  stop = true;
  for (auto& thread : threads) thread.join();
  if (failed) return Error::ioError("an append failed during the NATS bench");
  run.appended = log.head() - startHead;
  const auto drainStart = Clock::now();
  if (auto done = awaitCheckpoint(publisher, log.head()); !done) return done.error();
  run.drainSeconds = secondsSince(drainStart);
  publisher.stop();
  return run;
}

Result<double> benchReplicaCatchUp(const std::filesystem::path& replicaPath, const std::string& url,
                                   const std::string& stream, store::Position events,
                                   std::shared_ptr<spdlog::logger> logger) {
  std::error_code ec;
  std::filesystem::remove_all(replicaPath, ec);
  store::Options options;
  options.path = replicaPath.string();
  options.replicaOf = url + " (stream " + stream + ")";
  auto log = store::EventLog::open(options, logger);
  if (!log) return log.error();
  nats::ReplicaFollower follower(**log, benchStream(url, stream), logger);
  const auto start = Clock::now();
  if (auto started = follower.start(); !started) return started.error();
  const auto deadline = start + std::chrono::minutes(10);
  while ((*log)->head() < events) {
    if (Clock::now() > deadline) {
      return Error::ioError("the replica did not reach position " + std::to_string(events) + ": " +
                            follower.status().problem);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double seconds = secondsSince(start);
  follower.stop();
  return seconds;
}

}  // namespace parcours::adapters
