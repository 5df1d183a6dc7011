#include "append_writer.h"

#include "parcours/store/assert.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "keys.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/limits.h"
#include "rocks_status.h"

namespace parcours::store {
namespace {

// The histogram bucket of `value`: the first upper bound it does not pass,
// or the last (+Inf) bucket.
template <std::size_t N>
std::size_t bucketOf(const std::array<std::uint64_t, N>& bounds, std::uint64_t value) {
  std::size_t i = 0;
  while (i < N && value > bounds[i]) ++i;
  return i;
}

// Stream versions the writer remembers; past this the cache is cleared and
// versions are read back from RocksDB (still exact, just slower).
constexpr std::size_t versionCacheStreamsMax = 1u << 16;

std::size_t eventCount(const AppendRequest& request) {
  std::size_t n = 0;
  for (const StreamWrite& w : request.streams) n += w.events.size();
  return n;
}

const char* const unknownOutcome =
    "; the outcome of this append is unknown: retry with the same command id once the log is "
    "reopened";

}  // namespace

AppendWriter::AppendWriter(LogFamilies log, HeadNotifier& notifier, bool sync, bool hashChain,
                           const ChainTip& tip, std::string readOnlyReason,
                           std::shared_ptr<spdlog::logger> logger)
    : log_(log),
      notifier_(notifier),
      sync_(sync),
      hashChain_(hashChain),
      logger_(std::move(logger)),
      lastWritten_(tip.position),
      lastHash_(tip.hash) {
  if (!readOnlyReason.empty()) {
    readOnly_ = true;
    readOnlyReason_ = std::move(readOnlyReason);
  }
  syncer_ = std::thread([this] { syncLoop(); });
}

AppendWriter::~AppendWriter() {
  {
    std::lock_guard lock(syncMutex_);
    stopping_ = true;
  }
  syncWanted_.notify_all();
  syncer_.join();
  logger_->info("append writer stopped batches={} requests={} syncs={}", batchesWritten_.load(),
                requestsStaged_.load(), syncs_.load());
}

bool AppendWriter::readOnly() const {
  std::lock_guard lock(queueMutex_);
  return readOnly_;
}

std::string AppendWriter::readOnlyReason() const {
  std::lock_guard lock(queueMutex_);
  return readOnlyReason_;
}

Result<AppendResult> AppendWriter::append(AppendRequest request) {
  Ticket ticket(std::move(request));
  bool lead = false;
  {
    std::unique_lock lock(queueMutex_);
    queueNotFull_.wait(lock,
                       [&] { return queue_.size() < limits::appendQueueRequestsMax || readOnly_; });
    if (readOnly_) {
      return Error::ioError("the log is read-only (" + readOnlyReason_ +
                            "); nothing was written. Fix the cause and reopen the log");
    }
    queue_.push_back(&ticket);
    if (!leaderActive_) leaderActive_ = lead = true;
  }
  while (true) {
    if (lead) {
      leadOneBatch();
      lead = false;
    }
    std::unique_lock lock(ticket.mutex);
    ticket.wake.wait(lock, [&] { return ticket.answer.has_value() || ticket.lead; });
    if (ticket.answer) return std::move(*ticket.answer);
    ticket.lead = false;
    lead = true;
  }
}

void AppendWriter::answer(Ticket& ticket, Result<AppendResult> result) {
  // Notify under the lock: once its owner sees the answer it returns and the
  // ticket (its condition variable included) is gone.
  std::lock_guard lock(ticket.mutex);
  ticket.answer = std::move(result);
  ticket.wake.notify_one();
}

void AppendWriter::passLeadership() {
  std::lock_guard lock(queueMutex_);
  if (queue_.empty()) {
    leaderActive_ = false;
    return;
  }
  Ticket& next = *queue_.front();
  // Notify under the ticket's lock: as soon as its owner sees `lead` it may
  // lead, be answered and return, and the ticket is gone.
  std::lock_guard ticketLock(next.mutex);
  next.lead = true;
  next.wake.notify_one();
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
                                         rocksdb::WriteBatch& batch, ChainTip& next) {
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
                             write.expected.describe() + "; reload the stream and decide again");
    }
    current.push_back(*version);
  }
  // Validated before it was queued (request_validation.h): the writer never
  // sees more than one batch can hold.
  std::size_t events = 0;
  for (const StreamWrite& write : request.streams) events += write.events.size();
  PARCOURS_ASSERT(!request.streams.empty() && request.streams.size() <= limits::streamsPerAppendMax &&
                      events <= limits::eventsPerAppendMax,
                  "an unvalidated request reached the writer: " +
                      std::to_string(request.streams.size()) + " streams, " +
                      std::to_string(events) + " events");
  AppendResult result;
  result.firstPosition = next.position + 1;
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
      event.position = ++next.position;
      event.streamVersion = ++version;
      event.eventType = e.eventType;
      event.payload = e.payload;
      const std::string envelope =
          hashChain_ ? codec::encodeChainedEnvelope(event, next.hash) : codec::encodeEnvelope(event);
      next.hash = event.hash;
      batch.Put(log_.events, keys::eventKey(event.position), envelope);
      batch.Put(log_.streams, keys::streamKey(write.streamId, version), envelope);
      streamResult.positions.push_back(event.position);
    }
    streamResult.lastVersion = version;
    view.versions[write.streamId] = version;
    result.streams.push_back(std::move(streamResult));
  }
  result.lastPosition = next.position;
  PARCOURS_ASSERT(result.lastPosition + 1 == result.firstPosition + events,
                  "positions " + std::to_string(result.firstPosition) + ".." +
                      std::to_string(result.lastPosition) + " for " + std::to_string(events) +
                      " events");
  if (!context.commandId.empty()) {
    batch.Put(log_.meta, keys::commandKey(context.commandId), codec::encodeCommandRecord(result));
    view.commands.emplace(context.commandId, result);
  }
  return result;
}

void AppendWriter::leadOneBatch() {
  auto staged = std::make_unique<StagedBatch>();
  {
    std::lock_guard lock(queueMutex_);
    std::size_t events = 0;
    while (!queue_.empty() && staged->tickets.size() < limits::requestsPerBatchMax) {
      const std::size_t n = eventCount(queue_.front()->request);
      if (!staged->tickets.empty() && events + n > limits::eventsPerBatchMax) break;
      events += n;
      staged->tickets.push_back(queue_.front());
      queue_.pop_front();
    }
  }
  queueNotFull_.notify_all();
  if (readOnly()) {
    for (Ticket* t : staged->tickets) {
      answer(*t, Error::ioError("the log is read-only after a disk failure; nothing was "
                                "written. Fix the disk and reopen the log"));
    }
    passLeadership();
    return;
  }
  rocksdb::WriteBatch batch;
  BatchView view;
  // The chain's tip as the last batch left it (lastHash_ is that batch's
  // last event's hash): each staged event chains onto it.
  ChainTip next{lastWritten_, lastHash_};
  for (Ticket* ticket : staged->tickets) {
    ticket->staged = stage(ticket->request, view, batch, next);
    const Result<AppendResult>& r = *ticket->staged;
    if (!r && r.error().code != ErrorCode::Conflict) {
      logger_->error("append check failed: {}", r.error().message);
    }
  }
  batchesWritten_.fetch_add(1, std::memory_order_relaxed);
  requestsStaged_.fetch_add(staged->tickets.size(), std::memory_order_relaxed);
  batchRequests_[bucketOf(LogStats::batchBuckets, staged->tickets.size())].fetch_add(
      1, std::memory_order_relaxed);
  if (batch.Count() > 0) {
    // Contiguous: the batch continues the log exactly where it ended.
    PARCOURS_ASSERT(next.position > lastWritten_,
                    "a batch that writes events ends at position " +
                        std::to_string(next.position) + ", not past the log's " +
                        std::to_string(lastWritten_));
    // The chain's head travels with the events it ends: a log whose tail
    // went missing is noticed on open (see readChainTip).
    batch.Put(log_.meta, keys::chainHeadKey, encodeChainTip(next));
    rocksdb::WriteOptions options;
    options.sync = false;  // synced below, or by the sync thread
    rocksdb::Status s = log_.db->Write(options, &batch);
    if (!s.ok()) {
      const std::string why = "writing a batch failed: " + s.ToString();
      enterReadOnly(why);
      failAll(*staged, why);
      passLeadership();
      return;
    }
    lastWritten_ = next.position;
    lastHash_ = next.hash;
    if (versionCache_.size() + view.versions.size() > versionCacheStreamsMax) {
      versionCache_.clear();
    }
    for (auto& [stream, version] : view.versions) versionCache_[stream] = version;
  }
  staged->lastPosition = lastWritten_;
  // The next leader builds and writes the next batch while this one syncs.
  passLeadership();
  if (!sync_) {
    finish(*staged);
    return;
  }
  if (claimSyncIfIdle()) {
    // No sync under way or queued: sync here, saving a lone appender a thread
    // hop. A SyncWAL covers every Write that returned before it, so this
    // batch and every earlier one are durable when it returns; a later
    // leader may get here first and answer its batch before ours, which is
    // fine: nobody is answered before their own batch is on disk.
    std::deque<std::unique_ptr<StagedBatch>> batches;
    batches.push_back(std::move(staged));
    syncAndFinish(batches);
    releaseSync();
    return;
  }
  {
    std::lock_guard lock(syncMutex_);
    syncQueue_.push_back(std::move(staged));
  }
  syncWanted_.notify_one();
}

bool AppendWriter::claimSyncIfIdle() {
  std::lock_guard lock(syncMutex_);
  if (syncBusy_ || !syncQueue_.empty()) return false;
  syncBusy_ = true;
  return true;
}

void AppendWriter::releaseSync() {
  {
    std::lock_guard lock(syncMutex_);
    syncBusy_ = false;
  }
  syncWanted_.notify_one();
}

LogStats AppendWriter::stats() const {
  LogStats out;
  out.appendRequests = requestsStaged_.load(std::memory_order_relaxed);
  out.batchesWritten = batchesWritten_.load(std::memory_order_relaxed);
  out.syncs = syncs_.load(std::memory_order_relaxed);
  out.syncMicrosTotal = syncMicrosTotal_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < out.syncLatency.size(); ++i) {
    out.syncLatency[i] = syncLatency_[i].load(std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < out.batchRequests.size(); ++i) {
    out.batchRequests[i] = batchRequests_[i].load(std::memory_order_relaxed);
  }
  return out;
}

void AppendWriter::syncAndFinish(std::deque<std::unique_ptr<StagedBatch>>& batches) {
  // One fsync covers every batch written so far.
  const auto started = std::chrono::steady_clock::now();
  rocksdb::Status s = log_.db->SyncWAL();
  const auto micros =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count());
  syncs_.fetch_add(1, std::memory_order_relaxed);
  syncMicrosTotal_.fetch_add(micros, std::memory_order_relaxed);
  syncLatency_[bucketOf(LogStats::syncBucketsMicros, micros)].fetch_add(1,
                                                                        std::memory_order_relaxed);
  if (!s.ok()) {
    const std::string why = "syncing the write-ahead log failed: " + s.ToString();
    enterReadOnly(why);
    for (auto& b : batches) failAll(*b, why);
  } else {
    for (auto& b : batches) finish(*b);
  }
  batches.clear();
}

void AppendWriter::syncLoop() {
  std::deque<std::unique_ptr<StagedBatch>> batches;
  while (true) {
    {
      std::unique_lock lock(syncMutex_);
      syncWanted_.wait(lock, [&] {
        return (!syncQueue_.empty() && !syncBusy_) || (stopping_ && syncQueue_.empty());
      });
      if (syncQueue_.empty()) return;  // stopping, and nothing left to answer
      batches.swap(syncQueue_);
      syncBusy_ = true;
    }
    syncAndFinish(batches);
    {
      std::lock_guard lock(syncMutex_);
      syncBusy_ = false;
    }
    syncWanted_.notify_all();
  }
}

void AppendWriter::finish(StagedBatch& staged) {
  notifier_.publish(staged.lastPosition);
  for (Ticket* t : staged.tickets) answer(*t, std::move(*t->staged));
}

void AppendWriter::failAll(StagedBatch& staged, const std::string& why) {
  for (Ticket* t : staged.tickets) answer(*t, Error::ioError(why + unknownOutcome));
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
