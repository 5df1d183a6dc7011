// Read workloads on one populated store: read one 100-event stream among many
// streams, and scan the whole global log, each decoding Cap'n Proto.
#include <capnp/serialize.h>

#include <cstring>
#include <random>

#include "../common/progress.h"
#include "parcours/store/event_log.h"
#include "parcours/store/schema/envelope.capnp.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

// Raw side: the log's events family, the stream family holding envelopes
// (parcours's layout) and a stream family holding only positions (the
// pointer layout parcours did not choose).
enum RawFamily : std::size_t { Events = 0, Clustered = 1, Pointers = 2 };

std::string streamName(std::size_t i) {
  return "dossier-" + std::to_string(i);
}

// Streams [0, hotStreams) are hot (hotStreamEvents each), the rest cold.
std::size_t eventsOf(const Settings& s, std::size_t stream) {
  return stream < s.hotStreams ? s.hotStreamEvents : s.coldStreamEvents;
}

std::uint64_t totalEvents(const Settings& s) {
  return s.hotStreams * s.hotStreamEvents + (s.streams - s.hotStreams) * s.coldStreamEvents;
}

// Visits (stream, version) in the order both stores are filled: round r
// gives event r to every stream that has at least r events, so one stream's
// events are spread across the log as real dossiers' are.
template <typename Fn>
void forEachEventInLogOrder(const Settings& s, Fn&& visit) {
  const std::size_t rounds = std::max(s.hotStreamEvents, s.coldStreamEvents);
  for (std::size_t round = 1; round <= rounds; ++round) {
    const std::size_t streams = round <= s.coldStreamEvents ? s.streams : s.hotStreams;
    for (std::size_t i = 0; i < streams; ++i) {
      if (round <= eventsOf(s, i)) visit(i, static_cast<store::StreamVersion>(round));
    }
  }
}

Status populateParcours(const Settings& s, const std::filesystem::path& path,
                        const std::string& payload, const Logger& logger) {
  store::Options options;
  options.path = path.string();
  options.sync = false;  // bulk import
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  cli::ProgressBar progress("filling parcours", totalEvents(s));
  store::AppendRequest request;
  std::uint64_t done = 0;
  auto flush = [&]() -> Status {
    if (request.streams.empty()) return okStatus();
    auto r = (*log)->append(request);
    if (!r) return r.error();
    done += request.streams.size();
    progress.update(done);
    request.streams.clear();
    return okStatus();
  };
  Status failed = okStatus();
  store::StreamVersion round = 1;
  forEachEventInLogOrder(s, [&](std::size_t stream, store::StreamVersion version) {
    if (!failed) return;
    // A new round may name a stream already in the request: send it first.
    if (version != round) {
      failed = flush();
      round = version;
      if (!failed) return;
    }
    request.streams.push_back({streamName(stream),
                               store::ExpectedVersion::exactly(version - 1),
                               {{benchEventType, payload}}});
    if (request.streams.size() == 16) failed = flush();
  });
  if (!failed) return failed;
  return flush();
}

Status populateRaw(const Settings& s, RawDb& raw, const std::string& payload) {
  cli::ProgressBar progress("filling raw RocksDB", totalEvents(s));
  rocksdb::WriteBatch batch;
  store::Position position = 0;
  rocksdb::WriteOptions options;
  options.sync = false;
  Status failed = okStatus();
  forEachEventInLogOrder(s, [&](std::size_t stream, store::StreamVersion version) {
    if (!failed) return;
    ++position;
    const std::string id = streamName(stream);
    const std::string envelope = envelopeFor(position, id, version, payload);
    batch.Put(raw.family(Events), positionKey(position), envelope);
    batch.Put(raw.family(Clustered), streamVersionKey(id, version), envelope);
    batch.Put(raw.family(Pointers), streamVersionKey(id, version), positionKey(position));
    if (batch.Count() >= 3000) {
      if (auto st = raw.db().Write(options, &batch); !st.ok())
        failed = Error::ioError(st.ToString());
      batch.Clear();
      progress.update(position);
    }
  });
  if (!failed) return failed;
  if (auto st = raw.db().Write(options, &batch); !st.ok()) return Error::ioError(st.ToString());
  return okStatus();
}

// Decodes an envelope as the raw baseline does: aligned copy, reader, fields.
std::uint64_t decodeRaw(const rocksdb::Slice& value, kj::Array<capnp::word>& scratch) {
  // A kj::Array, not a std::vector: capnp::word cannot be copied, and
  // vector::resize needs to (clang's libstdc++ checks it).
  const std::size_t words = value.size() / sizeof(capnp::word);
  if (scratch.size() < words) scratch = kj::heapArray<capnp::word>(words);
  std::memcpy(scratch.begin(), value.data(), value.size());
  capnp::FlatArrayMessageReader reader(kj::ArrayPtr<const capnp::word>(scratch.begin(), words));
  auto envelope = reader.getRoot<store::schema::Envelope>();
  return envelope.getPosition() + envelope.getStreamVersion() + envelope.getPayload().size() +
         envelope.getStreamId().size() + envelope.getEventType().size();
}

// An iterator over one stream's keys in a raw family (either layout).
std::unique_ptr<rocksdb::Iterator> rawStreamIterator(RawDb& raw, RawFamily family,
                                                     const std::string& id, std::string& upper,
                                                     rocksdb::Slice& upperSlice) {
  upper = id;
  upper.push_back('\x01');
  upperSlice = rocksdb::Slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upperSlice;
  std::unique_ptr<rocksdb::Iterator> it(raw.db().NewIterator(options, raw.family(family)));
  it->Seek(streamVersionKey(id, 0));
  return it;
}

// A read of one stream in the raw clustered layout; returns events read.
std::size_t rawReadClustered(RawDb& raw, const std::string& id, kj::Array<capnp::word>& scratch,
                             std::uint64_t& sink) {
  std::string upper;
  rocksdb::Slice upperSlice;
  auto it = rawStreamIterator(raw, Clustered, id, upper, upperSlice);
  std::size_t n = 0;
  for (; it->Valid(); it->Next(), ++n) sink += decodeRaw(it->value(), scratch);
  return n;
}

// A read of one stream in the pointer layout: positions, then one Get each.
std::size_t rawReadPointers(RawDb& raw, const std::string& id, kj::Array<capnp::word>& scratch,
                            std::uint64_t& sink) {
  std::string upper;
  rocksdb::Slice upperSlice;
  auto it = rawStreamIterator(raw, Pointers, id, upper, upperSlice);
  std::size_t n = 0;
  std::string value;
  for (; it->Valid(); it->Next(), ++n) {
    if (raw.db().Get(rocksdb::ReadOptions(), raw.family(Events), it->value(), &value).ok()) {
      sink += decodeRaw(value, scratch);
    }
  }
  return n;
}

template <typename ReadFn>
Result<double> readP50(const Settings& s, int run, ReadFn&& readOne) {
  std::mt19937_64 random(s.seed + static_cast<std::uint64_t>(run));
  std::vector<double> samples;
  samples.reserve(s.readsPerRun);
  for (std::size_t i = 0; i < s.readsPerRun; ++i) {
    const std::string id = streamName(random() % s.hotStreams);
    const auto t0 = Clock::now();
    auto n = readOne(id);
    samples.push_back(microsSince(t0));
    if (!n) return std::move(n).takeError();
    if (*n != s.hotStreamEvents) {
      return Error::corruption("read " + std::to_string(*n) + " events of " + id + ", expected " +
                               std::to_string(s.hotStreamEvents));
    }
  }
  return median(samples);
}

}  // namespace

Result<std::vector<Figure>> runReadAndScan(const Settings& s, bool read, bool scan,
                                           const Logger& logger) {
  auto wanted = [&](const std::string& name) {
    return s.filter.empty() || name.find(s.filter) != std::string::npos;
  };
  read = read && (wanted("read.stream.100.p50") || wanted("read.stream.ptr.p50"));
  scan = scan && wanted("scan.all");
  if (!read && !scan) return std::vector<Figure>{};
  if (s.hotStreams == 0 || s.hotStreams > s.streams) {
    return Error::invalidInput("--hot-streams must be between 1 and --streams");
  }
  ScratchDir oursDir(s, "bench-read");
  ScratchDir rawDir(s, "bench-raw-read");
  const std::string payload = makePayload(s.payloadBytes, s.seed);
  if (auto st = populateParcours(s, oursDir.path(), payload, logger); !st) return st.error();
  auto raw = RawDb::open(rawDir.path(), {"events", "clustered", "pointers"});
  if (!raw) return std::move(raw).takeError();
  if (auto st = populateRaw(s, **raw, payload); !st) return st.error();
  // Reopen both stores, so each reads what recovery left on disk, alike.
  raw->reset();
  raw = RawDb::open(rawDir.path(), {"events", "clustered", "pointers"});
  if (!raw) return std::move(raw).takeError();

  store::Options options;
  options.path = oursDir.path().string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  // Let both stores settle, so reads measure the layout, not a compaction
  // that happens to run at the same time.
  if (auto st = (*log)->compact(); !st) return st.error();
  for (std::size_t family = 0; family < 3; ++family) {
    rocksdb::CompactRangeOptions compactOptions;
    compactOptions.bottommost_level_compaction =
        rocksdb::BottommostLevelCompaction::kForceOptimized;
    if (auto st =
            (*raw)->db().CompactRange(compactOptions, (*raw)->family(family), nullptr, nullptr);
        !st.ok()) {
      return Error::ioError("compacting raw RocksDB: " + st.ToString());
    }
  }

  std::vector<Figure> figures;
  kj::Array<capnp::word> scratch;
  std::uint64_t sink = 0;  // keeps the raw decoding from being optimised away
  const std::string streamsText =
      std::to_string(s.streams) + " streams, " + std::to_string(totalEvents(s)) + " events";
  if (read) {
    Figure f = makeFigure("read.stream.100.p50",
                          "read one " + std::to_string(s.hotStreamEvents) +
                              "-event stream, decoded, median latency (" + streamsText + ")",
                          "us", false);
    f.rawDescription = "iterate the stream's key range holding the envelopes, decode each";
    f.target = Target{"<= 150 us", {}, 150.0, {}, {}};
    Figure pointer = makeFigure("read.stream.ptr.p50",
                                "the layout not chosen: raw RocksDB, stream keys pointing to "
                                "positions, one Get per event (parcours column)",
                                "us", false);
    pointer.rawDescription = "raw RocksDB, stream keys holding the envelopes (raw column)";
    for (int run = 0; run < s.runs; ++run) {
      auto ours = readP50(s, run, [&](const std::string& id) -> Result<std::size_t> {
        auto events = (*log)->readStream(id, 1, store::Direction::Forward, s.hotStreamEvents);
        if (!events) return std::move(events).takeError();
        return events->size();
      });
      if (!ours) return std::move(ours).takeError();
      auto clustered = readP50(s, run, [&](const std::string& id) -> Result<std::size_t> {
        return rawReadClustered(**raw, id, scratch, sink);
      });
      if (!clustered) return std::move(clustered).takeError();
      auto pointers = readP50(s, run, [&](const std::string& id) -> Result<std::size_t> {
        return rawReadPointers(**raw, id, scratch, sink);
      });
      if (!pointers) return std::move(pointers).takeError();
      f.runs.push_back(*ours);
      f.rawRuns.push_back(*clustered);
      pointer.runs.push_back(*pointers);
      pointer.rawRuns.push_back(*clustered);
    }
    finalize(f);
    finalize(pointer);
    figures.push_back(std::move(f));
    figures.push_back(std::move(pointer));
  }
  if (scan) {
    Figure f =
        makeFigure("scan.all", "read the whole global log in order, decoded (" + streamsText + ")",
                   "events/s");
    f.rawDescription = "iterate the events family, decode each envelope";
    f.target = Target{">= 0.7x raw", {}, {}, 0.7, {}};
    const std::uint64_t total = totalEvents(s);
    for (int run = 0; run < s.runs; ++run) {
      auto start = Clock::now();
      std::uint64_t seen = 0;
      auto scanned = (*log)->scanAll(1, total, [&](const store::EventView& e) {
        sink += e.position + e.streamVersion + e.payload.size() + e.streamId.size() +
                e.eventType.size();
        ++seen;
        return okStatus();
      });
      if (!scanned) return std::move(scanned).takeError();
      if (seen != total) {
        return Error::corruption("scan saw " + std::to_string(seen) + " events of " +
                                 std::to_string(total));
      }
      f.runs.push_back(static_cast<double>(seen) / secondsSince(start));
      start = Clock::now();
      std::unique_ptr<rocksdb::Iterator> it(
          (*raw)->db().NewIterator(rocksdb::ReadOptions(), (*raw)->family(Events)));
      std::uint64_t rawSeen = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next(), ++rawSeen)
        sink += decodeRaw(it->value(), scratch);
      f.rawRuns.push_back(static_cast<double>(rawSeen) / secondsSince(start));
    }
    finalize(f);
    figures.push_back(std::move(f));
  }
  if (sink == 1) logger->debug("sink {}", sink);
  return figures;
}

}  // namespace parcours::bench
