// EventLog on RocksDB: opening, reads and tables. Appends are AppendWriter's.
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

#include "append_writer.h"
#include "backup_engine.h"
#include "head_notifier.h"
#include "replica_writer.h"
#include "keys.h"
#include "log_families.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/event_log.h"
#include "parcours/store/limits.h"
#include "request_validation.h"
#include "rocks_options.h"
#include "rocks_status.h"
#include "rocks_table.h"

namespace parcours::store {
namespace {

constexpr std::string_view eventsFamily = "events";
constexpr std::string_view streamsFamily = "streams";
constexpr std::string_view metaFamily = "meta";
constexpr std::string_view tableFamilyPrefix = "table:";

class RocksEventLog final : public EventLog {
 public:
  RocksEventLog(std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db,
                std::vector<rocksdb::ColumnFamilyHandle*> handles, std::vector<std::string> names,
                std::shared_ptr<rocksdb::Cache> cache, Options options,
                std::shared_ptr<spdlog::logger> logger)
      : env_(std::move(env)),
        db_(std::move(db)),
        cache_(std::move(cache)),
        options_(std::move(options)),
        logger_(std::move(logger)) {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      FamilyHandle handle = ownHandle(handles[i]);
      if (names[i] == eventsFamily) log_.events = handle.get();
      if (names[i] == streamsFamily) log_.streams = handle.get();
      if (names[i] == metaFamily) log_.meta = handle.get();
      if (names[i].starts_with(tableFamilyPrefix)) {
        tables_[names[i].substr(tableFamilyPrefix.size())] = handle;
      }
      families_.push_back(std::move(handle));
    }
    log_.db = db_.get();
  }

  Status start() {
    auto tip = readChainTip(log_, damage_);
    if (!tip) return std::move(tip).takeError();
    notifier_ = std::make_unique<HeadNotifier>(tip->position);
    if (damage_) logger_->critical("event log opened read-only: {}", damage_->message);
    writer_ = std::make_unique<AppendWriter>(log_, *notifier_, options_.sync, options_.hashChain,
                                             *tip, damage_ ? damage_->message : std::string(),
                                             logger_);
    if (!options_.replicaOf.empty() && !damage_) {
      replica_ = std::make_unique<ReplicaWriter>(log_, *notifier_, options_.sync, *tip);
    }
    logger_->info("event log open path={} head={} sync={}{}", options_.path, tip->position,
                  options_.sync, replica_ ? " replica-of=" + options_.replicaOf : std::string());
    return okStatus();
  }

  ~RocksEventLog() override {
    writer_.reset();  // answers everything in flight first
    tables_.clear();
    families_.clear();
    if (db_) {
      rocksdb::Status s = db_->Close();
      if (!s.ok()) logger_->error("closing the event log: {}", s.ToString());
    }
  }

  Result<AppendResult> append(AppendRequest request) override {
    if (!options_.replicaOf.empty()) {
      return Error::refused("this store is a read replica of " + options_.replicaOf +
                            ": it refuses writes; send them to the primary");
    }
    if (auto s = validateAppendRequest(request); !s) return s.error();
    return writer_->append(std::move(request));
  }

  Result<Position> appendReplicated(const std::vector<std::string>& envelopes) override {
    if (!replica_) {
      if (damage_) return Error::corruption("replicated append: " + damage_->message);
      return Error::invalidInput(
          "replicated append: this store is not a read replica (it was not opened with "
          "Options::replicaOf)");
    }
    return replica_->append(envelopes);
  }

  Result<std::vector<RecordedEvent>> readStream(std::string_view streamId, StreamVersion from,
                                                Direction direction,
                                                std::size_t limit) const override {
    if (auto s = validateStreamId(streamId); !s) return s.error();
    if (auto s = checkReadLimit(limit); !s) return s.error();
    const Position visible = notifier_->head();
    std::vector<RecordedEvent> events;
    events.reserve(std::min<std::size_t>(limit, 128));
    const std::string lower = keys::streamKey(streamId, 0);
    const std::string upper = keys::streamUpperBound(streamId);
    rocksdb::Slice lowerSlice(lower), upperSlice(upper);
    rocksdb::ReadOptions read;
    read.iterate_lower_bound = &lowerSlice;
    read.iterate_upper_bound = &upperSlice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, log_.streams));
    if (direction == Direction::Forward) {
      it->Seek(keys::streamKey(streamId, std::max<StreamVersion>(from, 1)));
    } else if (from == 0) {
      it->SeekToLast();
    } else {
      it->SeekForPrev(keys::streamKey(streamId, from));
    }
    for (; it->Valid() && events.size() < limit;
         direction == Direction::Forward ? it->Next() : it->Prev()) {
      std::string_view key(it->key().data(), it->key().size());
      auto version = keys::parseStreamKey(key, streamId);
      if (!version) return Error::corruption("malformed key in streams/" + std::string(streamId));
      const codec::ValueLocation where{codec::ValueLocation::Family::Streams, streamId, *version};
      bool durable = true;
      auto s = codec::visitEnvelope({it->value().data(), it->value().size()}, where,
                                    [&](const EventView& event) {
                                      durable = event.position <= visible;
                                      if (durable) event.copyTo(events.emplace_back());
                                      return okStatus();
                                    });
      if (!s) return s.error();
      // Not durable yet: versions grow with positions, so forward nothing
      // further is visible either; backward, older versions may be.
      if (!durable && direction == Direction::Forward) break;
    }
    if (!it->status().ok()) {
      return fromRocks(it->status(), "reading stream " + std::string(streamId));
    }
    return events;
  }

  Result<std::vector<RecordedEvent>> readAll(Position from, std::size_t limit) const override {
    if (auto s = checkReadLimit(limit); !s) return s.error();
    std::vector<RecordedEvent> events;
    events.reserve(std::min<std::size_t>(limit, 1024));
    auto scanned = scanAll(from, limit, [&](const EventView& event) {
      event.copyTo(events.emplace_back());
      return okStatus();
    });
    if (!scanned) return std::move(scanned).takeError();
    return events;
  }

  Result<Position> scanAll(Position from, std::size_t limit,
                           const EventVisitor& visit) const override {
    const Position visible = notifier_->head();
    const Position first = std::max<Position>(from, 1);
    if (first > visible || limit == 0) return Position{0};
    const std::string upper = keys::eventKey(visible + 1);
    rocksdb::Slice upperSlice(upper);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upperSlice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, log_.events));
    Position expected = first;
    std::size_t seen = 0;
    for (it->Seek(keys::eventKey(expected)); it->Valid() && seen < limit; it->Next(), ++seen) {
      auto position = keys::parseEventKey({it->key().data(), it->key().size()});
      if (!position) return Error::corruption("events family holds a key that is not 8 bytes");
      if (*position != expected) {
        return Error::corruption("event at position " + std::to_string(expected) +
                                 " is missing (the next stored is " + std::to_string(*position) +
                                 ")");
      }
      const codec::ValueLocation where{codec::ValueLocation::Family::Events, {}, *position};
      if (auto s = codec::visitEnvelope({it->value().data(), it->value().size()}, where, visit);
          !s) {
        return s.error();
      }
      ++expected;
    }
    if (!it->status().ok()) return fromRocks(it->status(), "reading the global log");
    if (seen < limit && expected <= visible) {
      return Error::corruption("event at position " + std::to_string(expected) +
                               " is missing (the durable head is " + std::to_string(visible) + ")");
    }
    return expected - 1;
  }

  Status scanStreamCopies(const EventVisitor& visit) const override {
    const Position visible = notifier_->head();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_.streams));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      const bool wellFormed = key.size() > keys::u64Bytes + 1 &&
                              key[key.size() - keys::u64Bytes - 1] == '\0';
      if (!wellFormed) return Error::corruption("streams family holds a malformed key");
      const std::string_view streamId = key.substr(0, key.size() - keys::u64Bytes - 1);
      const StreamVersion version = keys::readBigEndian(key.substr(key.size() - keys::u64Bytes));
      const codec::ValueLocation where{codec::ValueLocation::Family::Streams, streamId, version};
      auto s = codec::visitEnvelope({it->value().data(), it->value().size()}, where,
                                    [&](const EventView& event) {
                                      return event.position <= visible ? visit(event) : okStatus();
                                    });
      if (!s) return s;
    }
    if (!it->status().ok()) return fromRocks(it->status(), "reading the streams family");
    return okStatus();
  }

  Position head() const override { return notifier_->head(); }

  Result<StreamVersion> streamVersion(std::string_view streamId) const override {
    if (auto s = validateStreamId(streamId); !s) return s.error();
    auto tip = readStreamTip(log_, streamId, notifier_->head());
    if (!tip) return std::move(tip).takeError();
    return tip->version;
  }

  Result<std::optional<AppendResult>> findCommand(std::string_view commandId) const override {
    if (commandId.empty()) return Error::invalidInput("command id is empty");
    if (commandId.size() > limits::metadataIdBytesMax) {
      return Error::invalidInput("command id is longer than " +
                                 std::to_string(limits::metadataIdBytesMax) + " bytes");
    }
    auto record = readCommandRecord(log_, commandId);
    if (!record) return record;
    // An append not yet durable has not happened, as far as readers know.
    if (record->has_value() && (*record)->lastPosition > notifier_->head()) {
      return std::optional<AppendResult>();
    }
    if (record->has_value()) (*record)->deduplicated = true;
    return record;
  }

  Position waitForHead(Position after, std::chrono::milliseconds timeout) const override {
    return notifier_->waitForHead(after, timeout);
  }

  std::unique_ptr<HeadSubscription> subscribeHead(HeadListener listener) override {
    return notifier_->subscribe(std::move(listener));
  }

  Result<std::shared_ptr<Table>> openTable(std::string_view name) override {
    if (auto s = validateStreamId(name); !s) {
      return Error::invalidInput("table name: " + s.error().message);
    }
    std::lock_guard lock(tablesMutex_);
    std::string key(name);
    auto it = tables_.find(key);
    if (it == tables_.end()) {
      rocksdb::ColumnFamilyHandle* raw = nullptr;
      rocksdb::Status s = db_->CreateColumnFamily(
          familyOptions(familyName(name), tableFamilyPrefix, cache_), familyName(name), &raw);
      if (!s.ok()) return fromRocks(s, "creating table " + key);
      it = tables_.emplace(key, ownHandle(raw)).first;
    }
    return std::shared_ptr<Table>(std::make_shared<RocksTable>(db_.get(), it->second, key));
  }

  Status dropTable(std::string_view name) override {
    std::lock_guard lock(tablesMutex_);
    auto it = tables_.find(std::string(name));
    if (it == tables_.end()) return Error::notFound("no table named " + std::string(name));
    rocksdb::Status s = db_->DropColumnFamily(it->second.get());
    if (!s.ok()) return fromRocks(s, "dropping table " + std::string(name));
    tables_.erase(it);
    return okStatus();
  }

  std::vector<std::string> listTables() const override {
    std::lock_guard lock(tablesMutex_);
    std::vector<std::string> names;
    for (const auto& [name, handle] : tables_) names.push_back(name);
    return names;
  }

  bool readOnly() const override { return writer_->readOnly(); }
  std::string readOnlyReason() const override { return writer_->readOnlyReason(); }
  std::optional<LogDamage> damage() const override { return damage_; }
  LogStats stats() const override { return writer_->stats(); }

  Status compact() override {
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
    for (const FamilyHandle& family : families_) {
      rocksdb::Status s = db_->CompactRange(options, family.get(), nullptr, nullptr);
      if (!s.ok()) return fromRocks(s, "compacting " + family->GetName());
    }
    return okStatus();
  }

  Status checkpointTo(const std::string& dir) override {
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!s.ok()) return fromRocks(s, "preparing a checkpoint of " + options_.path);
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // log_size_for_flush 0: the memtables are flushed first, so the image
    // is table files (hard links) plus a short WAL.
    s = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
    if (!s.ok()) return fromRocks(s, "checkpointing " + options_.path + " into " + dir);
    return okStatus();
  }

  Result<BackupAdded> backupInto(const std::string& backupDir) override {
    return addBackupOfOpenDatabase(*db_, backupDir, /*flushFirst=*/true);
  }

  static std::string familyName(std::string_view table) {
    return std::string(tableFamilyPrefix) + std::string(table);
  }

 private:
  static Status checkReadLimit(std::size_t limit) {
    if (limit > limits::eventsPerReadMax) {
      return Error::invalidInput("read limit " + std::to_string(limit) + " is over the maximum " +
                                 std::to_string(limits::eventsPerReadMax));
    }
    return okStatus();
  }

  FamilyHandle ownHandle(rocksdb::ColumnFamilyHandle* raw) {
    rocksdb::DB* db = db_.get();
    return FamilyHandle(raw,
                        [db](rocksdb::ColumnFamilyHandle* h) { db->DestroyColumnFamilyHandle(h); });
  }

  // Declared before db_: the database writes through it until closed.
  std::unique_ptr<rocksdb::Env> env_;  // only with Options::fileSystem
  std::unique_ptr<rocksdb::DB> db_;
  const std::shared_ptr<rocksdb::Cache> cache_;  // shared by every family
  const Options options_;
  const std::shared_ptr<spdlog::logger> logger_;
  LogFamilies log_;
  std::vector<FamilyHandle> families_;
  mutable std::mutex tablesMutex_;
  std::map<std::string, FamilyHandle> tables_;  // guarded by tablesMutex_
  std::unique_ptr<HeadNotifier> notifier_;
  std::unique_ptr<AppendWriter> writer_;
  std::unique_ptr<ReplicaWriter> replica_;  // only on a read replica
  std::optional<LogDamage> damage_;  // set once by start()
};

Status checkFormatVersion(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) {
  std::string value;
  rocksdb::Status s = db.Get(rocksdb::ReadOptions(), meta, keys::formatVersionKey, &value);
  if (s.IsNotFound()) {
    rocksdb::WriteOptions write;
    write.sync = true;
    s = db.Put(write, meta, keys::formatVersionKey, keys::formatVersionCurrent);
    if (!s.ok()) return fromRocks(s, "recording the format version");
    return okStatus();
  }
  if (!s.ok()) return fromRocks(s, "reading the format version");
  if (value != keys::formatVersionCurrent) {
    return Error::corruption(
        "the log's format version is \"" + value + "\"; this build reads " +
        std::string(keys::formatVersionCurrent) +
        (value == "1" ? " (version 1 logs have no hash chain: replay their history into a new "
                        "log, e.g. `parcours demo` for the demonstration data)"
                      : ""));
  }
  return okStatus();
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::open(const Options& options,
                                                 std::shared_ptr<spdlog::logger> logger) {
  if (options.path.empty()) return Error::invalidInput("no data directory given");
  auto cache = rocksdb::NewLRUCache(options.blockCacheBytes);
  rocksdb::DBOptions dbOptions = logDbOptions();
  std::unique_ptr<rocksdb::Env> env;
  if (options.fileSystem) {
    env = rocksdb::NewCompositeEnv(options.fileSystem);
    dbOptions.env = env.get();
  }
  std::vector<std::string> names;
  rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(dbOptions, options.path, &names);
  if (!listed.ok()) names = {rocksdb::kDefaultColumnFamilyName};  // a new database
  for (std::string_view required : {eventsFamily, streamsFamily, metaFamily}) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      names.emplace_back(required);
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, familyOptions(name, tableFamilyPrefix, cache));
  }

  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(dbOptions, options.path, descriptors, &handles, &raw);
  if (!s.ok()) return fromRocks(s, "opening the event log at " + options.path);
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == metaFamily) meta = handles[i];
  }
  if (auto st = checkFormatVersion(*db, meta); !st) {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    return st.error();
  }
  auto log = std::make_unique<RocksEventLog>(std::move(env), std::move(db), std::move(handles),
                                             std::move(names), cache, options, logger);
  if (auto st = log->start(); !st) return st.error();
  return std::unique_ptr<EventLog>(std::move(log));
}

Status readStreamUpTo(const EventLog& log, std::string_view streamId, Position upTo,
                      std::vector<RecordedEvent>& out) {
  constexpr std::size_t chunk = 10'000;
  StreamVersion from = 1;
  while (true) {
    auto events = log.readStream(streamId, from, Direction::Forward, chunk);
    if (!events) return events.error();
    for (RecordedEvent& e : *events) {
      if (e.position > upTo) return okStatus();
      from = e.streamVersion + 1;
      out.push_back(std::move(e));
    }
    if (events->size() < chunk) return okStatus();
  }
}

Status scanWholeLog(const EventLog& log, const EventVisitor& visit) {
  constexpr std::size_t chunk = 10'000;
  const Position head = log.head();
  for (Position from = 1; from <= head;) {
    auto scanned = log.scanAll(from, chunk, visit);
    if (!scanned) return scanned.error();
    if (*scanned < from) break;  // nothing visited: the head moved back (never) or is reached
    from = *scanned + 1;
  }
  return okStatus();
}

Result<std::string> hashAt(const EventLog& log, Position position) {
  std::string hash;
  auto scanned = log.scanAll(position, 1, [&](const EventView& event) {
    if (event.position == position) hash = std::string(event.hash);
    return okStatus();
  });
  if (!scanned) return std::move(scanned).takeError();
  return hash;
}

Result<AppendResult> EventLog::append(std::string streamId, ExpectedVersion expected,
                                      std::vector<NewEvent> events, AppendContext context) {
  AppendRequest request;
  request.streams.push_back({std::move(streamId), expected, std::move(events)});
  request.context = std::move(context);
  return append(std::move(request));
}

}  // namespace parcours::store
