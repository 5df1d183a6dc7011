#include "append_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "parcours/store/envelope_codec.h"
#include "keys.h"
#include "parcours/store/limits.h"
#include "rocks_status.h"

namespace parcours::store {
namespace {

// Stream versions the writer remembers; past this the cache is cleared and
// versions are read back from RocksDB (still exact, just slower).
constexpr std::size_t versionCacheStreamsMax = 1u << 16;

std::size_t eventCount(const AppendRequest& request) {
  std::size_t n = 0;
  for (const StreamWrite& w : request.streams) n += w.events.size();
  return n;
}

}  // namespace

AppendWriter::AppendWriter(LogFamilies log, HeadNotifier& notifier, bool sync,
                           Position lastPosition, std::shared_ptr<spdlog::logger> logger)
    : log_(log),
      notifier_(notifier),
      sync_(sync),
      logger_(std::move(logger)),
      lastWritten_(lastPosition) {
  writer_ = std::thread([this] { writerLoop(); });
  syncer_ = std::thread([this] { syncLoop(); });
}

AppendWriter::~AppendWriter() {
  {
    std::lock_guard lock(queueMutex_);
    stopping_ = true;
  }
  queueNotEmpty_.notify_all();
  queueNotFull_.notify_all();
  writer_.join();
  syncer_.join();
}

bool AppendWriter::readOnly() const {
  std::lock_guard lock(queueMutex_);
  return readOnly_;
}

Result<AppendResult> AppendWriter::append(AppendRequest request) {
  auto ticket = std::make_unique<Ticket>();
  ticket->request = std::move(request);
  std::future<Result<AppendResult>> answer = ticket->answer.get_future();
  {
    std::unique_lock lock(queueMutex_);
    queueNotFull_.wait(lock, [&] {
      return queue_.size() < limits::appendQueueRequestsMax || stopping_ || readOnly_;
    });
    if (readOnly_) {
      return Error::ioError("the log is read-only after a disk failure (" + readOnlyReason_ +
                            "); nothing was written. Fix the disk and reopen the log");
    }
    if (stopping_) return Error::ioError("the log is closing; nothing was written");
    queue_.push_back(std::move(ticket));
  }
  queueNotEmpty_.notify_one();
  return answer.get();
}

bool AppendWriter::takeRequests(std::vector<std::unique_ptr<Ticket>>& out) {
  std::unique_lock lock(queueMutex_);
  queueNotEmpty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
  if (queue_.empty()) return false;  // stopping and drained
  std::size_t events = 0;
  while (!queue_.empty() && out.size() < limits::requestsPerBatchMax) {
    const std::size_t n = eventCount(queue_.front()->request);
    if (!out.empty() && events + n > limits::eventsPerBatchMax) break;
    events += n;
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  lock.unlock();
  queueNotFull_.notify_all();
  return true;
}

Result<StreamVersion> AppendWriter::currentVersion(const std::string& streamId,
                                                   const BatchView& view) {
  if (auto it = view.versions.find(streamId); it != view.versions.end()) return it->second;
  if (auto it = versionCache_.find(streamId); it != versionCache_.end()) return it->second;
  // Everything written so far is visible to the writer, synced or not: the
  // WAL keeps it in order, so it is durable before anything staged after it.
  auto tip = readStreamTip(log_, streamId, lastWritten_);
  if (!tip) return std::move(tip).takeError();
  return tip->version;
}

Result<AppendResult> AppendWriter::stage(const AppendRequest& request, BatchView& view,
                                         rocksdb::WriteBatch& batch, Position& nextPosition) {
  const AppendContext& context = request.context;
  if (!context.commandId.empty()) {
    if (auto it = view.commands.find(context.commandId); it != view.commands.end()) {
      AppendResult original = it->second;
      original.deduplicated = true;
      return original;
    }
    auto recorded = readCommandRecord(log_, context.commandId);
    if (!recorded) return std::move(recorded).takeError();
    if (recorded->has_value()) {
      AppendResult original = std::move(**recorded);
      original.deduplicated = true;
      return original;
    }
  }
  // Check every expectation before staging anything: a conflict writes nothing.
  std::vector<StreamVersion> current;
  current.reserve(request.streams.size());
  for (const StreamWrite& write : request.streams) {
    auto version = currentVersion(write.streamId, view);
    if (!version) return std::move(version).takeError();
    if (!write.expected.matches(*version)) {
      return Error::conflict("stream \"" + write.streamId + "\" is at version " +
                             std::to_string(*version) + " but the append expected " +
                             write.expected.describe() +
                             "; reload the stream and decide again");
    }
    current.push_back(*version);
  }
  AppendResult result;
  result.firstPosition = nextPosition + 1;
  RecordedEvent event;
  event.recordedAtMicros = context.recordedAtMicros;
  event.actor = context.actor;
  event.commandId = context.commandId;
  event.correlationId = context.correlationId;
  event.causationId = context.causationId;
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    const StreamWrite& write = request.streams[i];
    StreamAppendResult streamResult;
    streamResult.streamId = write.streamId;
    streamResult.firstVersion = current[i] + 1;
    event.streamId = write.streamId;
    StreamVersion version = current[i];
    for (const NewEvent& e : write.events) {
      event.position = ++nextPosition;
      event.streamVersion = ++version;
      event.eventType = e.eventType;
      event.payload = e.payload;
      const std::string envelope = codec::encodeEnvelope(event);
      batch.Put(log_.events, keys::eventKey(event.position), envelope);
      batch.Put(log_.streams, keys::streamKey(write.streamId, version), envelope);
      streamResult.positions.push_back(event.position);
    }
    streamResult.lastVersion = version;
    view.versions[write.streamId] = version;
    result.streams.push_back(std::move(streamResult));
  }
  result.lastPosition = nextPosition;
  if (!context.commandId.empty()) {
    batch.Put(log_.meta, keys::commandKey(context.commandId), codec::encodeCommandRecord(result));
    view.commands.emplace(context.commandId, result);
  }
  return result;
}

void AppendWriter::writerLoop() {
  std::vector<std::unique_ptr<Ticket>> tickets;
  while (true) {
    tickets.clear();
    if (!takeRequests(tickets)) break;
    if (readOnly()) {
      for (auto& t : tickets) {
        t->answer.set_value(Error::ioError(
            "the log is read-only after a disk failure; nothing was written. Fix the disk and "
            "reopen the log"));
      }
      continue;
    }
    auto staged = std::make_unique<StagedBatch>();
    rocksdb::WriteBatch batch;
    BatchView view;
    Position nextPosition = lastWritten_;
    for (auto& ticket : tickets) {
      auto result = stage(ticket->request, view, batch, nextPosition);
      if (!result && result.error().code != ErrorCode::Conflict) {
        // A read failed while checking: the store cannot be trusted to decide.
        logger_->error("append check failed: {}", result.error().message);
      }
      staged->answers.push_back({ticket.get(), std::move(result)});
    }
    staged->tickets = std::move(tickets);
    if (batch.Count() > 0) {
      rocksdb::WriteOptions options;
      options.sync = false;  // the sync thread fsyncs; see the header
      rocksdb::Status s = log_.db->Write(options, &batch);
      if (!s.ok()) {
        const std::string why = "writing a batch failed: " + s.ToString();
        enterReadOnly(why);
        failAll(*staged, why);
        continue;
      }
      lastWritten_ = nextPosition;
      if (versionCache_.size() + view.versions.size() > versionCacheStreamsMax) {
        versionCache_.clear();
      }
      for (auto& [stream, version] : view.versions) versionCache_[stream] = version;
    }
    staged->lastPosition = lastWritten_;
    if (!sync_) {
      finish(std::move(staged));
      continue;
    }
    {
      std::lock_guard lock(syncMutex_);
      syncQueue_.push_back(std::move(staged));
    }
    syncNotEmpty_.notify_one();
  }
  {
    std::lock_guard lock(syncMutex_);
    writerDone_ = true;
  }
  syncNotEmpty_.notify_one();
}

void AppendWriter::syncLoop() {
  std::deque<std::unique_ptr<StagedBatch>> batches;
  while (true) {
    {
      std::unique_lock lock(syncMutex_);
      syncNotEmpty_.wait(lock, [&] { return !syncQueue_.empty() || writerDone_; });
      if (syncQueue_.empty()) return;  // writer done and nothing left
      batches.swap(syncQueue_);
    }
    // One fsync covers every batch written so far.
    rocksdb::Status s = log_.db->SyncWAL();
    if (!s.ok()) {
      const std::string why = "syncing the write-ahead log failed: " + s.ToString();
      enterReadOnly(why);
      for (auto& b : batches) failAll(*b, why);
    } else {
      for (auto& b : batches) finish(std::move(b));
    }
    batches.clear();
  }
}

void AppendWriter::finish(std::unique_ptr<StagedBatch> staged) {
  notifier_.publish(staged->lastPosition);
  for (Answer& a : staged->answers) a.ticket->answer.set_value(std::move(a.result));
}

void AppendWriter::failAll(StagedBatch& staged, const std::string& why) {
  for (Answer& a : staged.answers) {
    a.ticket->answer.set_value(Error::ioError(
        why + "; the outcome of this append is unknown: retry with the same command id once "
              "the log is reopened"));
  }
}

void AppendWriter::enterReadOnly(const std::string& why) {
  {
    std::lock_guard lock(queueMutex_);
    if (readOnly_) return;
    readOnly_ = true;
    readOnlyReason_ = why;
  }
  queueNotFull_.notify_all();
  logger_->critical("event log is now read-only: {}", why);
}

}  // namespace parcours::store
