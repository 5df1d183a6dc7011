#include "replica_follower.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "../src/server_limits.h"
#include "event_message.h"
#include "parcours/store/limits.h"

namespace parcours::adapters::nats {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t batchMax = replicaBatchEventsMax;  // server_limits.h
constexpr auto batchWindow = std::chrono::milliseconds(50);
constexpr auto republishEvery = std::chrono::seconds(1);
constexpr const char* sequenceKey = "stream-sequence";

}  // namespace

ReplicaFollower::ReplicaFollower(store::EventLog& log, StreamSettings settings,
                                 std::shared_ptr<spdlog::logger> logger)
    : log_(log), settings_(std::move(settings)), logger_(std::move(logger)) {
  status_.state = "connecting";
}

ReplicaFollower::~ReplicaFollower() { stop(); }

Status ReplicaFollower::start() {
  auto table = log_.openTable("nats-replica");
  if (!table) return std::move(table).takeError();
  table_ = std::move(table).value();
  auto saved = table_->get(sequenceKey);
  if (!saved) return saved.error();
  if (*saved) lastSeq_ = std::strtoull((*saved)->c_str(), nullptr, 10);
  status_.applied = log_.head();
  status_.streamSeq = lastSeq_;
  logger_->info("replica of url={} stream={} head={} stream_sequence={}", settings_.url,
                settings_.stream, log_.head(), lastSeq_);
  writer_ = std::make_unique<ReplicaBatchWriter>(
      log_, [this](const ReplicaBatch& batch) { written(batch); });
  thread_ = std::thread([this] { run(); });
  return okStatus();
}

void ReplicaFollower::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  writer_.reset();  // writes what it was given
}

FollowerStatus ReplicaFollower::status() const {
  std::lock_guard lock(mutex_);
  FollowerStatus out = status_;
  out.applied = log_.head();
  return out;
}

void ReplicaFollower::sleepFor(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void ReplicaFollower::run() {
  auto backoff = backoffFirst;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    Status step = session_ ? consume() : openSession();
    if (step) {
      backoff = backoffFirst;
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      status_.problem = step.error().message;
      if (!status_.behindAGap()) status_.state = "backing_off";
    }
    logger_->warn("replica: {} (retrying in {} ms)", step.error().message, backoff.count());
    subscription_.reset();
    session_.reset();
    sleepFor(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, backoffMax);
  }
  subscription_.reset();
  session_.reset();
}

Status ReplicaFollower::openSession() {
  auto session = NatsSession::connect(settings_, "parcours replica");
  if (!session) return session.error();
  session_ = std::move(session).value();
  auto state = session_->streamState();
  if (!state) return state.error();
  if (state->lastSeq < lastSeq_) {
    // The stream was re-created: its sequences started again.
    logger_->warn("replica: stream {} ends at sequence {}, before the {} read here: reading it "
                  "again from its start",
                  settings_.stream, state->lastSeq, lastSeq_);
    lastSeq_ = 0;
  }
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = settings_.stream.c_str();
  options.Ordered = true;
  if (lastSeq_ > 0) {
    options.Config.DeliverPolicy = js_DeliverByStartSequence;
    options.Config.OptStartSeq = lastSeq_ + 1;
  } else {
    options.Config.DeliverPolicy = js_DeliverAll;
  }
  natsSubscription* subscription = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const std::string subjects = settings_.subjectPrefix + ".>";
  natsStatus s = js_SubscribeSync(&subscription, session_->jetStream(), subjects.c_str(), nullptr,
                                  &options, &code);
  if (s != NATS_OK) return natsError(s, "subscribing to the JetStream stream " + settings_.stream);
  subscription_.reset(subscription);
  natsSubscription_SetPendingLimits(subscription, 1 << 20, 1 << 30);
  if (auto settled = settle(); !settled) return settled;
  std::lock_guard lock(mutex_);
  if (!status_.behindAGap()) status_.state = "following";
  return okStatus();
}

Status ReplicaFollower::consume() {
  // A batch gathers what arrives within batchWindow of its first message
  // (at most batchMax): one verified, synced RocksDB write, made by the
  // writer while the next batch is read.
  Clock::time_point batchEnd{};
  while (batch_.envelopes.size() < batchMax) {
    std::int64_t waitMillis = 250;
    if (!batch_.envelopes.empty()) {
      waitMillis = std::max<std::int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(batchEnd - Clock::now()).count());
    }
    natsMsg* raw = nullptr;
    natsStatus s = natsSubscription_NextMsg(&raw, subscription_.get(), waitMillis);
    if (s == NATS_TIMEOUT) {
      if (batch_.envelopes.empty() || Clock::now() >= batchEnd) break;
      continue;
    }
    if (s != NATS_OK) {
      submit();
      return natsError(s, "reading the JetStream stream " + settings_.stream);
    }
    if (batch_.envelopes.empty()) batchEnd = Clock::now() + batchWindow;
    if (auto taken = take(MessagePtr(raw)); !taken) {
      submit();
      return taken;
    }
  }
  const bool idle = batch_.envelopes.empty();
  submit();
  if (auto failure = writer_->takeFailure()) {
    if (auto settled = settleAfter(*failure); !settled) return settled;
  }
  if (idle && Clock::now() - lastCheck_ > idleCheckEvery) {
    lastCheck_ = Clock::now();
    if (auto settled = settle(); !settled) return settled;
    {
      std::lock_guard lock(mutex_);
      if (status_.state == "following") status_.state = "caught_up";
    }
    auto state = session_->streamState();
    if (!state) return state.error();
    if (state->lastSeq < lastSeq_) return Error::ioError("the stream was re-created");
    // Still behind a gap: ask again (the primary may have been away).
    FollowerStatus now = status();
    if (now.behindAGap()) requestRepublish(log_.head() + 1, now.problem, now.state.c_str());
  }
  return okStatus();
}

Status ReplicaFollower::take(MessagePtr message) {
  // No header is parsed on this path: the envelope says all (event_message.h).
  auto carried = carriedEvent(message.get());
  if (!carried) {
    std::lock_guard lock(mutex_);
    ++status_.refused;
    status_.problem = carried.error().message;
    return okStatus();  // skipped: the positions tell if anything is missing
  }
  const store::Position position = carried->position;
  std::string& hash = carried->hash;
  const std::string_view data = carried->data;
  if (position < expected_) {
    // Already taken (a re-publication, or a re-delivery): the same event,
    // or a fork. Positions still on their way to the log are checked when
    // written.
    if (position > log_.head() && position + 1 != expected_) return okStatus();
    std::string have = batchTipHash_;
    if (position <= log_.head()) {
      auto local = store::hashAt(log_, position);
      if (!local) return local.error();
      have = *local;
    }
    std::lock_guard lock(mutex_);
    if (have == hash) {
      ++status_.duplicates;
    } else {
      ++status_.refused;
      status_.problem = "position " + std::to_string(position) +
                        " in the stream is not the event this replica has (a fork)";
      logger_->error("replica: {}", status_.problem);
    }
    return okStatus();
  }
  if (position > expected_) {
    // Make sure of where the log stands before calling it a gap.
    submit();
    if (auto settled = settle(); !settled) return settled;
    if (position > expected_) {
      {
        std::lock_guard lock(mutex_);
        if (status_.state != "gap") ++status_.gaps;  // a new gap, not the same one again
      }
      requestRepublish(expected_, "gap: expected position " + std::to_string(expected_) +
                                      ", the stream has " + std::to_string(position),
                       "gap");
      return okStatus();
    }
  }
  batch_.envelopes.emplace_back(data);
  batchTipHash_ = std::move(hash);
  ++expected_;
  lastMessage_ = std::move(message);
  return okStatus();
}

void ReplicaFollower::submit() {
  if (batch_.envelopes.empty()) return;
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, lastMessage_.get()) == NATS_OK) {
    lastSeq_ = meta->Sequence.Stream;
    jsMsgMetaData_Destroy(meta);
  }
  batch_.lastStreamSeq = lastSeq_;
  const char* primary = nullptr;
  if (natsMsgHeader_Get(lastMessage_.get(), header::primary, &primary) == NATS_OK &&
      primary != nullptr) {
    std::lock_guard lock(mutex_);
    status_.primaryUrl = primary;
  }
  lastMessage_.reset();
  writer_->submit(std::move(batch_));
  batch_ = ReplicaBatch{};
}

Status ReplicaFollower::settle() {
  writer_->drain();
  if (auto failure = writer_->takeFailure()) return settleAfter(*failure);
  expected_ = log_.head() + 1;
  return okStatus();
}

Status ReplicaFollower::settleAfter(const Error& failure) {
  writer_->drain();
  writer_->takeFailure();  // what followed the refused batch was dropped
  batch_ = ReplicaBatch{};
  lastMessage_.reset();
  expected_ = log_.head() + 1;
  if (failure.code != ErrorCode::Corruption) return failure;  // the disk: start over
  {
    std::lock_guard lock(mutex_);
    ++status_.refused;
  }
  requestRepublish(expected_, failure.message, "refused");
  return okStatus();
}

void ReplicaFollower::written(const ReplicaBatch& batch) {
  {
    std::lock_guard lock(mutex_);
    if (status_.behindAGap()) {
      logger_->info("replica: healed, head={}", log_.head());
      status_.problem.clear();
    }
    status_.state = "following";
    status_.streamSeq = batch.lastStreamSeq;
  }
  auto row = table_->newBatch();
  row->put(sequenceKey, std::to_string(batch.lastStreamSeq));
  if (auto saved = table_->commit(*row); !saved) {
    logger_->warn("replica: saving the stream sequence: {}", saved.error().message);
  }
}

void ReplicaFollower::requestRepublish(store::Position from, const std::string& why,
                                       const char* state) {
  {
    std::lock_guard lock(mutex_);
    status_.state = state;
    status_.problem = why;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - lastRequest_ < republishEvery) return;
  lastRequest_ = now;
  logger_->warn("replica: {}; asking the primary to re-publish from position {}", why, from);
  const std::string body = nlohmann::json{{"from", from}}.dump();
  natsMsg* reply = nullptr;
  natsStatus s = natsConnection_Request(&reply, session_->connection(),
                                        republishSubject(settings_).c_str(), body.data(),
                                        static_cast<int>(body.size()), 2000);
  natsMsg_Destroy(reply);
  std::lock_guard lock(mutex_);
  ++status_.republishRequests;
  if (s != NATS_OK) {
    status_.problem = why + "; the primary did not answer the re-publish request (" +
                      natsStatus_GetText(s) + "), asking again";
  }
}

}  // namespace parcours::adapters::nats
