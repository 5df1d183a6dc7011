// Append workloads: durable with many appenders, durable latency of one
// appender, unsynced bulk. Each against raw RocksDB doing the same writes.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "parcours/store/event_log.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

struct Throughput {
  double eventsPerSecond = 0;
};

Result<std::unique_ptr<store::EventLog>> openLog(const ScratchDir& dir, bool sync,
                                                 const Logger& logger, bool hashChain = true) {
  store::Options options;
  options.path = dir.path().string();
  options.sync = sync;
  options.hashChain = hashChain;
  return store::EventLog::open(options, logger);
}

// Raw: `threads` threads each writing one envelope per synchronous Write.
Result<double> rawSingleWriters(const Settings& s, int threads) {
  ScratchDir dir(s, "bench-raw-writers");
  auto raw = RawDb::open(dir.path(), {"events"});
  if (!raw) return std::move(raw).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      rocksdb::WriteOptions options;
      options.sync = true;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::uint64_t position = ++next;
        const std::string envelope =
            envelopeFor(position, "bench-" + std::to_string(t), position, payload);
        if (!(*raw)->db().Put(options, (*raw)->family(0), positionKey(position), envelope).ok())
          return;
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  const std::uint64_t count = done.load();
  const double elapsed = secondsSince(start);
  stop = true;
  for (auto& w : workers) w.join();
  return static_cast<double>(count) / elapsed;
}

// p50 latency in microseconds of one durable append at a time.
Result<double> parcoursLatency(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-latency");
  auto log = openLog(dir, true, logger);
  if (!log) return std::move(log).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  std::vector<double> samples;
  const auto start = Clock::now();
  for (store::StreamVersion v = 0; secondsSince(start) < s.seconds; ++v) {
    const auto t0 = Clock::now();
    auto r = (*log)->append("bench-latency", store::ExpectedVersion::exactly(v),
                            {{benchEventType, payload}}, {"", "bench", "", "", 1591221599000000});
    if (!r) return std::move(r).takeError();
    samples.push_back(microsSince(t0));
  }
  return median(samples);
}

Result<double> rawLatency(const Settings& s) {
  ScratchDir dir(s, "bench-raw-latency");
  auto raw = RawDb::open(dir.path(), {"events"});
  if (!raw) return std::move(raw).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  rocksdb::WriteOptions options;
  options.sync = true;
  std::vector<double> samples;
  const auto start = Clock::now();
  for (std::uint64_t p = 1; secondsSince(start) < s.seconds; ++p) {
    const auto t0 = Clock::now();
    const std::string envelope = envelopeFor(p, "bench-latency", p, payload);
    if (!(*raw)->db().Put(options, (*raw)->family(0), positionKey(p), envelope).ok()) {
      return Error::ioError("raw put failed");
    }
    samples.push_back(microsSince(t0));
  }
  return median(samples);
}

// p50 of one fdatasync after appending a 4 KiB block to a file: "one fsync".
Result<double> fsyncLatency(const Settings& s) {
  ScratchDir dir(s, "bench-fsync");
  const std::string path = (dir.path() / "probe").string();
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_APPEND, 0600);
  if (fd < 0) return Error::ioError("cannot create " + path);
  const std::string block(4096, 'x');
  std::vector<double> samples;
  const auto start = Clock::now();
  while (secondsSince(start) < s.seconds) {
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) break;
    const auto t0 = Clock::now();
    if (::fdatasync(fd) != 0) break;
    samples.push_back(microsSince(t0));
  }
  ::close(fd);
  if (samples.empty()) return Error::ioError("fdatasync failed on " + path);
  return median(samples);
}

}  // namespace

// `threads` appenders, each on its own stream, `eventsPerAppend` per call.
// Raw: one thread writing WriteBatches of `batchSize` envelopes, each under
// its position, and with `bothCopies` a second time under its stream key as
// parcours's layout does (store/FORMAT.md).
Result<double> rawBatches(const Settings& s, std::size_t batchSize, bool sync,
                          bool bothCopies) {
  ScratchDir dir(s, "bench-raw-append");
  auto raw = RawDb::open(dir.path(), {"events", "streams"});
  if (!raw) return std::move(raw).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  rocksdb::WriteOptions options;
  options.sync = sync;
  std::uint64_t position = 0;
  const auto start = Clock::now();
  while (secondsSince(start) < s.seconds) {
    rocksdb::WriteBatch batch;
    for (std::size_t i = 0; i < batchSize; ++i) {
      ++position;
      const std::string stream = "bench-" + std::to_string(bothCopies ? 0 : position % 64);
      const std::string envelope = envelopeFor(position, stream, position, payload);
      batch.Put((*raw)->family(0), positionKey(position), envelope);
      if (bothCopies) batch.Put((*raw)->family(1), streamVersionKey(stream, position), envelope);
    }
    rocksdb::Status st = (*raw)->db().Write(options, &batch);
    if (!st.ok()) return Error::ioError("raw write failed: " + st.ToString());
  }
  return static_cast<double>(position) / secondsSince(start);
}

Result<double> parcoursAppenders(const Settings& s, int threads, std::size_t eventsPerAppend,
                                 bool sync, const Logger& logger, bool hashChain) {
  ScratchDir dir(s, "bench-append");
  auto log = openLog(dir, sync, logger, hashChain);
  if (!log) return std::move(log).takeError();
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> events{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string stream = "bench-" + std::to_string(t);
      std::vector<store::NewEvent> batch(eventsPerAppend, {benchEventType, payload});
      store::StreamVersion version = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        auto r = (*log)->append(stream, store::ExpectedVersion::exactly(version), batch,
                                {"", "bench", "", "", 1591221599000000});
        if (!r) {
          if (!failed.exchange(true)) failure = r.error().message;
          return;
        }
        version += eventsPerAppend;
        events.fetch_add(eventsPerAppend, std::memory_order_relaxed);
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  const std::uint64_t done = events.load();
  const double elapsed = secondsSince(start);
  stop = true;
  for (auto& w : workers) w.join();
  if (failed) return Error::ioError("bench append failed: " + failure);
  return static_cast<double>(done) / elapsed;
}

Result<std::vector<Figure>> runAppend(const Settings& s, const Logger& logger) {
  std::vector<Figure> figures;
  auto wanted = [&](const std::string& name) {
    return s.filter.empty() || name.find(s.filter) != std::string::npos;
  };
  for (const int n : s.appenders) {
    const std::string name = "append.durable." + std::to_string(n);
    if (!wanted(name)) continue;
    const std::string threads = n == 1 ? "1 thread," : std::to_string(n) + " threads, each";
    Figure f = makeFigure(name, threads + " appending 1 event per call to its own stream, fsync on",
                          "events/s");
    if (n != 64) {  // raw: the same closed loop, RocksDB's own group commit
      f.rawDescription = threads + " one Put per Write, sync=true";
      if (auto st = measurePair(
              f, s.runs, [&] { return parcoursAppenders(s, n, 1, true, logger); },
              [&] { return rawSingleWriters(s, n); });
          !st) {
        return st.error();
      }
      figures.push_back(std::move(f));
      continue;
    }
    f.rawDescription = "1 thread, WriteBatch of 64 envelopes, sync=true";
    f.target = Target{">= 40,000/s and >= 0.8x raw", 40000.0, {}, 0.8, {}};
    if (auto st = measurePair(
            f, s.runs, [&] { return parcoursAppenders(s, 64, 1, true, logger); },
            [&] { return rawBatches(s, 64, true, false); });
        !st) {
      return st.error();
    }
    // The same parcours runs against raw RocksDB in the same closed loop (64
    // threads, one synchronous Put each, RocksDB's own group commit): the
    // client model is then identical on both sides.
    Figure loop = makeFigure("append.durable.64.cl", "the same parcours runs as append.durable.64",
                             "events/s");
    loop.rawDescription = "64 threads, each one Put per Write, sync=true (RocksDB's group commit)";
    loop.runs = f.runs;
    for (int i = 0; i < s.runs; ++i) {
      auto raw = rawSingleWriters(s, 64);
      if (!raw) return std::move(raw).takeError();
      loop.rawRuns.push_back(*raw);
    }
    finalize(loop);
    figures.push_back(std::move(f));
    figures.push_back(std::move(loop));
  }
  if (wanted("append.durable.1.p50")) {
    // The yardstick first: one bare fsync on this disk, now.
    Figure fsync = makeFigure(
        "fsync.p50", "fdatasync after a 4 KiB append to a plain file (no RocksDB)", "us", false);
    fsync.rawDescription = "the same: this row is the yardstick of the machine's disk";
    if (auto st = measurePair(
            fsync, s.runs, [&] { return fsyncLatency(s); }, [&] { return fsyncLatency(s); });
        !st) {
      return st.error();
    }
    Figure f = makeFigure("append.durable.1.p50",
                          "1 thread, 1 event per durable append, median latency", "us", false);
    f.rawDescription = "1 thread, one Put per Write, sync=true, median latency";
    if (auto st = measurePair(
            f, s.runs, [&] { return parcoursLatency(s, logger); }, [&] { return rawLatency(s); });
        !st) {
      return st.error();
    }
    char text[96];
    std::snprintf(text, sizeof text, "<= 1.5x fsync (%.0f us)", 1.5 * fsync.value);
    f.target = Target{text, {}, 1.5 * fsync.value, {}, {}};
    figures.push_back(std::move(f));
    figures.push_back(std::move(fsync));
  }
  if (wanted("append.bulk.100")) {
    Figure f = makeFigure("append.bulk.100",
                          "1 thread, 100 events per append, sync off (bulk import)", "events/s");
    f.rawDescription = "1 thread, WriteBatch of 100 envelopes, sync=false";
    f.target = Target{">= 0.7x raw", {}, {}, 0.7, {}};
    if (auto st = measurePair(
            f, s.runs, [&] { return parcoursAppenders(s, 1, 100, false, logger); },
            [&] { return rawBatches(s, 100, false, false); });
        !st) {
      return st.error();
    }
    // The same parcours runs against raw RocksDB writing what parcours
    // writes: that ratio is parcours's own overhead, the layout's cost aside.
    Figure same =
        makeFigure("append.bulk.100.2cp", "the same parcours runs as append.bulk.100", "events/s");
    same.rawDescription =
        "1 thread, WriteBatch of 100 envelopes each written twice (events + streams "
        "families, parcours's layout), sync=false";
    same.runs = f.runs;
    for (int i = 0; i < s.runs; ++i) {
      auto raw = rawBatches(s, 100, false, /*bothCopies=*/true);
      if (!raw) return std::move(raw).takeError();
      same.rawRuns.push_back(*raw);
    }
    finalize(same);
    figures.push_back(std::move(f));
    figures.push_back(std::move(same));
  }
  return figures;
}

}  // namespace parcours::bench
