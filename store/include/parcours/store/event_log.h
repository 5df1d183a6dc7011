// The event log: an append-only, durable, ordered log of events grouped in
// streams, kept in one embedded RocksDB database. It knows nothing of the
// domain: events are (type, opaque payload) with metadata.
//
// Threads: every method may be called from any thread. Appends are serialized
// by one writer thread (group commit); reads never wait for it.
//
// Durability: with Options::sync (the default) an append returns only once
// its events are on disk (fsync). Readers only ever see events up to the
// durable head, so nobody observes an event that a crash could take back.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/backup.h"
#include "parcours/store/result.h"
#include "parcours/store/table.h"
#include "parcours/store/types.h"

namespace spdlog {
class logger;
}
namespace rocksdb {
class FileSystem;
}

namespace parcours::store {

struct Options {
  // Directory of the RocksDB database; created when missing.
  std::string path;
  // true: every acknowledged append is on disk (fsync), nothing acknowledged
  // is lost through kill -9 or power loss. false (bulk imports only): appends
  // are acknowledged once in the operating system's cache; a power loss may
  // lose the last acknowledged appends (a kill -9 loses nothing).
  bool sync = true;
  // true: every envelope carries the hash chain (hash_chain.h). false only
  // to measure what the chain costs (bench): such a log does not verify.
  bool hashChain = true;
  // RocksDB block cache for reads, in bytes.
  std::size_t blockCacheBytes = 64u << 20;
  // The file system RocksDB writes through; none: the operating system's.
  // Tests and `parcours crashtest` pass a wrapper that fails, delays or
  // forgets writes (tests/support/fault_file_system.h) to prove what the log
  // does when the disk misbehaves.
  std::shared_ptr<rocksdb::FileSystem> fileSystem;
  // Non-empty: this log is a read replica of that primary (for people: the
  // NATS URL and stream it follows). It takes events only through
  // appendReplicated(); append() is refused with a message naming it.
  std::string replicaOf;
};

// Counters of the log's writer since it opened, for /metrics. Histograms
// are cumulative counts per upper bound (Prometheus style); the last bucket
// is +Inf.
struct LogStats {
  static constexpr std::array<std::uint64_t, 12> syncBucketsMicros = {
      100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 1'000'000};
  static constexpr std::array<std::uint64_t, 10> batchBuckets = {1,  2,  4,   8,   16,
                                                                 32, 64, 128, 256, 512};
  std::uint64_t appendRequests = 0;  // requests written (each one append call)
  std::uint64_t batchesWritten = 0;  // group-commit batches (RocksDB writes)
  std::uint64_t syncs = 0;           // fsyncs of the write-ahead log
  std::uint64_t syncMicrosTotal = 0;
  std::array<std::uint64_t, syncBucketsMicros.size() + 1> syncLatency{};  // not cumulative
  std::array<std::uint64_t, batchBuckets.size() + 1> batchRequests{};     // not cumulative
};

// What opening the log found wrong with its end, comparing the chain head
// recorded with every write to the last event stored. Such a log refuses
// appends (nothing is chained onto a history that is not whole).
struct LogDamage {
  enum class Kind : std::uint8_t {
    TailCut,        // the head names a later position: events were removed from the end
    LastAltered,    // the last event does not carry the hash the head recorded
    WrittenBehind,  // events past the head's position: written without the writer
  };
  Kind kind = Kind::TailCut;
  Position recordedHead = 0;  // the position the chain head names
  std::string message;        // for people
};

// Sees one event in place during a scan; an error stops the scan.
using EventVisitor = std::function<Status(const EventView&)>;

// Called each time the durable head moves, on whichever thread completed the
// sync (an appending caller or the log's sync thread). Must be quick and must
// not append: wake someone up.
using HeadListener = std::function<void(Position durableHead)>;

// Keeps a HeadListener registered; unregisters when destroyed.
class HeadSubscription {
 public:
  virtual ~HeadSubscription() = default;
};

class EventLog {
 public:
  // Opens (or creates) the log at options.path. Fails with IoError when the
  // directory cannot be used, Corruption when the database does not recover.
  static Result<std::unique_ptr<EventLog>> open(const Options& options,
                                                std::shared_ptr<spdlog::logger> logger);

  // Closes the database. Every append must have returned, and every Table
  // and HeadSubscription obtained from this log must be gone.
  virtual ~EventLog() = default;

  // Appends atomically to one or more streams. Each stream's expected version
  // is checked against its current version; any mismatch fails the whole
  // request with Conflict (naming stream, expected and actual) and nothing is
  // written. Blocks until the events are durable (see Options::sync).
  // Errors: InvalidInput (empty request, a limit exceeded, a stream named
  // twice), Conflict, IoError (the disk failed: the log turns read-only).
  virtual Result<AppendResult> append(AppendRequest request) = 0;

  // Shorthand for an append to a single stream.
  Result<AppendResult> append(std::string streamId, ExpectedVersion expected,
                              std::vector<NewEvent> events, AppendContext context);

  // A read replica's only way in (Options::replicaOf): copies of the
  // primary's stored envelopes, written verbatim in one atomic batch, durable
  // as any append. Each must be the next position after the head, chain onto
  // the head's hash, carry the hash its content gives, be in parcours's exact
  // encoding (store/FORMAT.md) and be the next version of its stream; else
  // nothing is written and the error (Corruption) names the position and
  // what disagreed. At most limits::eventsPerBatchMax envelopes. Returns the
  // new durable head. Refused (InvalidInput) on a log that is not a replica.
  virtual Result<Position> appendReplicated(const std::vector<std::string>& envelopes) = 0;

  // Reads up to `limit` events of one stream. Forward: versions from `from`
  // upwards (from = 1 reads from the start). Backward: versions from `from`
  // downwards; from = 0 starts at the end of the stream. An unknown stream
  // reads as empty.
  virtual Result<std::vector<RecordedEvent>> readStream(std::string_view streamId,
                                                        StreamVersion from, Direction direction,
                                                        std::size_t limit) const = 0;

  // Reads up to `limit` events of the global log with positions >= from, in
  // order, never past the durable head.
  virtual Result<std::vector<RecordedEvent>> readAll(Position from, std::size_t limit) const = 0;

  // Visits up to `limit` events of the global log with positions >= from, in
  // order, never past the durable head, without copying them: the view is
  // valid during the call only. An error returned by `visit` stops the scan
  // and is returned. Returns the last position visited (0 if none).
  virtual Result<Position> scanAll(Position from, std::size_t limit,
                                   const EventVisitor& visit) const = 0;

  // Visits every stored copy in the streams family (each stream's own copy
  // of its events), by stream id then version, never past the durable head:
  // for `parcours verify`, which checks them against the global log. A
  // copy that does not decode, or disagrees with its key, is Corruption.
  virtual Status scanStreamCopies(const EventVisitor& visit) const = 0;

  // The durable head: the position of the last event a reader may see.
  virtual Position head() const = 0;

  // The current (durable) version of a stream; 0 when it does not exist.
  virtual Result<StreamVersion> streamVersion(std::string_view streamId) const = 0;

  // The recorded result of an earlier append with this command id, if any.
  virtual Result<std::optional<AppendResult>> findCommand(std::string_view commandId) const = 0;

  // Blocks until the durable head passes `after` or the timeout expires;
  // returns the durable head then.
  virtual Position waitForHead(Position after, std::chrono::milliseconds timeout) const = 0;

  // Registers a listener told of each new durable head (no polling).
  virtual std::unique_ptr<HeadSubscription> subscribeHead(HeadListener listener) = 0;

  // Tables: named key-value stores kept in the same database, each in its own
  // column family, for projections (see table.h). Opening creates.
  virtual Result<std::shared_ptr<Table>> openTable(std::string_view name) = 0;
  // Deletes a table and its rows. Callers must hold no other reference to it.
  virtual Status dropTable(std::string_view name) = 0;
  virtual std::vector<std::string> listTables() const = 0;

  // Compacts every family into its final shape: after a bulk import, reads
  // stop sharing the disk with background compactions. Blocks until done.
  virtual Status compact() = 0;

  // True once the log refuses appends, reads still working: after a disk
  // failure, or when it was found damaged on open (readOnlyReason() says
  // which).
  virtual bool readOnly() const = 0;
  virtual std::string readOnlyReason() const = 0;
  // What opening found wrong with the log's end, if anything.
  virtual std::optional<LogDamage> damage() const = 0;

  // The writer's counters (appends, batch sizes, fsync latency).
  virtual LogStats stats() const = 0;

  // A consistent image of the whole database (the log, the views, every
  // table) in `dir`, which must not exist: RocksDB's checkpoint, its table
  // files hard-linked, taken while appends go on. It holds at least every
  // event durable when called. For `parcours backup` (store/backup.h).
  virtual Status checkpointTo(const std::string& dir) = 0;

  // Adds a backup of this database to `backupDir` (store/backup.h), while
  // it stays open: meant for a checkpoint opened as a log, whose events
  // can be read (its digest computed) meanwhile.
  virtual Result<BackupAdded> backupInto(const std::string& backupDir) = 0;
};

// Every event of one stream with a position <= upTo (UINT64_MAX: all), in
// version order, appended to `out`, read a chunk at a time.
Status readStreamUpTo(const EventLog& log, std::string_view streamId, Position upTo,
                      std::vector<RecordedEvent>& out);

// Visits every event of the global log up to the durable head when the call
// starts, in order, a chunk at a time (EventLog::scanAll's rules).
Status scanWholeLog(const EventLog& log, const EventVisitor& visit);

// The chain hash of the event at `position`; empty when the log does not
// hold it (yet). What a consumer of a copy of the log compares with.
Result<std::string> hashAt(const EventLog& log, Position position);

}  // namespace parcours::store
