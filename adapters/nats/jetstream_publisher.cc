#include "jetstream_publisher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "event_message.h"
#include "parcours/store/hash_chain.h"

namespace parcours::adapters::nats {
namespace {

constexpr auto ackWait = std::chrono::seconds(10);

}  // namespace

std::string checkpointKey(const StreamSettings& settings) { return "checkpoint/" + settings.stream; }

JetStreamPublisher::JetStreamPublisher(store::EventLog& log, StreamSettings settings,
                                       std::string primaryUrl,
                                       std::shared_ptr<spdlog::logger> logger, std::size_t window)
    : log_(log),
      settings_(std::move(settings)),
      primaryUrl_(std::move(primaryUrl)),
      logger_(std::move(logger)),
      window_(std::clamp<std::size_t>(window, 1, 8192)) {
  status_.state = "connecting";
}

JetStreamPublisher::~JetStreamPublisher() { stop(); }

Status JetStreamPublisher::start() {
  auto table = log_.openTable("nats-publisher");
  if (!table) return std::move(table).takeError();
  table_ = std::move(table).value();
  auto saved = table_->get(checkpointKey(settings_));
  if (!saved) return saved.error();
  if (*saved) status_.checkpoint = std::strtoull((*saved)->c_str(), nullptr, 10);
  cursor_ = status_.checkpoint + 1;
  logger_->info("nats publisher url={} stream={} replicas={} checkpoint={}", settings_.url,
                settings_.stream, settings_.replicas, status_.checkpoint);
  thread_ = std::thread([this] { run(); });
  return okStatus();
}

void JetStreamPublisher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

PublisherStatus JetStreamPublisher::status() const {
  std::lock_guard lock(mutex_);
  PublisherStatus out = status_;
  out.head = log_.head();
  out.connected = out.state != "connecting" && out.state != "backing_off";
  return out;
}

void JetStreamPublisher::setState(const char* state) {
  std::lock_guard lock(mutex_);
  status_.state = state;
}

void JetStreamPublisher::sleepFor(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void JetStreamPublisher::run() {
  auto backoff = backoffFirst;
  auto lastCheck = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    Status step = okStatus();
    if (!session_) {
      step = openSession();
    } else if (cursor_ > log_.head() && republishFrom_.load() == 0) {
      setState("caught_up");
      log_.waitForHead(cursor_ - 1, std::chrono::milliseconds(200));
      // Caught up and idle: make sure the stream still holds what we sent
      // (a wiped or re-created stream is healed from the log).
      if (std::chrono::steady_clock::now() - lastCheck > idleCheckEvery) {
        lastCheck = std::chrono::steady_clock::now();
        auto state = session_->streamState();
        if (!state) {
          step = state.error();
        } else if (state->lastSeq + 1 < nextSeq_ || (state->messages == 0 && cursor_ > 1)) {
          logger_->warn("nats publisher: stream {} lost messages (last sequence {}, {} messages); "
                        "resuming from its tail",
                        settings_.stream, state->lastSeq, state->messages);
          step = resumeFromTail();
        }
      }
    } else {
      setState("publishing");
      step = publishWindow();
    }
    if (step) {
      backoff = backoffFirst;
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      ++status_.failures;
      status_.lastError = step.error().message;
      status_.state = status_.state == std::string("fork") ? "fork" : "backing_off";
    }
    logger_->warn("nats publisher: {} (retrying in {} ms)", step.error().message, backoff.count());
    control_.reset();
    session_.reset();  // a fresh connection; resume from the stream's tail
    sleepFor(backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, backoffMax);
  }
  control_.reset();
  session_.reset();
}

Status JetStreamPublisher::openSession() {
  setState("connecting");
  auto session = NatsSession::connect(settings_, "parcours publisher", &JetStreamPublisher::onAck, this);
  if (!session) return session.error();
  session_ = std::move(session).value();
  if (auto ensured = session_->ensureStream(); !ensured) return ensured.error();
  {
    std::lock_guard lock(mutex_);
    sent_ = acked_ = 0;
    ackErrors_ = 0;
  }
  if (auto resumed = resumeFromTail(); !resumed) return resumed;
  natsSubscription* control = nullptr;
  const std::string subject = republishSubject(settings_);
  natsStatus s = natsConnection_Subscribe(&control, session_->connection(), subject.c_str(),
                                          &JetStreamPublisher::onRepublishRequest, this);
  if (s != NATS_OK) return natsError(s, "listening for re-publish requests on " + subject);
  control_.reset(control);
  logger_->info("nats publisher connected stream={} next_position={} next_sequence={}",
                settings_.stream, cursor_, nextSeq_);
  return okStatus();
}

Status JetStreamPublisher::resumeFromTail() {
  auto state = session_->streamState();
  if (!state) return state.error();
  nextSeq_ = state->lastSeq + 1;
  std::optional<store::Position> tail;
  if (state->messages > 0) {
    auto last = session_->messageAt(state->lastSeq);
    if (!last && last.error().code != ErrorCode::NotFound) return last.error();
    if (last) {
      auto received = carriedEvent(last->get());
      auto forked = [&](const std::string& why) {
        setState("fork");
        return Error::conflict("the JetStream stream " + settings_.stream + " " + why +
                               ": another history was published to it (a fork); not "
                               "publishing until it is removed or another stream is given");
      };
      if (!received) return forked("ends with a message parcours did not publish");
      const store::Position head = log_.head();
      if (received->position > head) {
        return forked("ends at position " + std::to_string(received->position) +
                      " but this log ends at " + std::to_string(head));
      }
      auto hash = store::hashAt(log_, received->position);
      if (!hash) return hash.error();
      if (*hash != received->hash) {
        return forked("holds at position " + std::to_string(received->position) +
                      " an event this log does not have");
      }
      tail = received->position;
    }
  }
  store::Position checkpoint = 0;
  {
    std::lock_guard lock(mutex_);
    checkpoint = status_.checkpoint;
  }
  if (tail) {
    cursor_ = *tail + 1;
  } else if (state->messages == 0) {
    cursor_ = 1;  // an empty stream: all of the log
  } else {
    cursor_ = checkpoint + 1;  // its last message was deleted: trust the checkpoint
  }
  if (cursor_ <= checkpoint) {
    logger_->warn("nats publisher: stream {} lost acknowledged positions {}..{}; re-publishing them "
                  "from the log",
                  settings_.stream, cursor_, checkpoint);
    healEnd_ = std::max(healEnd_, checkpoint);
    healTag_ = nextSeq_;
  }
  std::lock_guard lock(mutex_);
  status_.checkpoint = cursor_ - 1;
  status_.streamLastSeq = state->lastSeq;
  return okStatus();
}

Status JetStreamPublisher::publishWindow() {
  if (store::Position from = republishFrom_.exchange(0); from != 0) {
    {
      std::lock_guard lock(mutex_);
      ++status_.republishRequests;
    }
    if (from < cursor_) {
      logger_->info("nats publisher: re-publishing positions {}..{} on request", from, cursor_ - 1);
      healEnd_ = std::max(healEnd_, cursor_ - 1);
      healTag_ = nextSeq_;
      cursor_ = from;
    }
  }
  // Pipelined: a window is sent while the acks of the one before are still
  // coming; at most two windows are in flight.
  if (auto room = awaitAcks(window_); !room) return room;
  std::size_t healed = 0;
  auto scanned = log_.scanAll(cursor_, window_, [&](const store::EventView& event) -> Status {
    auto message = toMessage(settings_.subjectPrefix, event, primaryUrl_);
    if (!message) return message.error();
    // A re-publication needs an id of its own: the first one may still be
    // in JetStream's duplicate window even though the message is gone.
    const bool heal = event.position <= healEnd_;
    const std::string msgId = heal ? std::to_string(event.position) + "-r" + std::to_string(healTag_)
                                   : std::to_string(event.position);
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MsgId = msgId.c_str();
    options.ExpectLastSeq = nextSeq_ - 1;  // 0 (unset) only for an empty stream's first
    natsMsg* raw = message->release();
    natsStatus s = js_PublishMsgAsync(session_->jetStream(), &raw, &options);
    natsMsg_Destroy(raw);  // no-op when the library took it
    if (s != NATS_OK) return natsError(s, "publishing position " + std::to_string(event.position));
    ++sent_;
    if (heal) ++healed;
    ++nextSeq_;
    cursor_ = event.position + 1;
    return okStatus();
  });
  if (healed != 0) {
    std::lock_guard lock(mutex_);
    status_.republished += healed;
  }
  if (!scanned) return std::move(scanned).takeError();
  if (auto failed = ackFailure(); !failed) return failed;
  // Caught up: every ack in before saying so (the checkpoint is the head).
  if (cursor_ > log_.head()) {
    if (auto all = awaitAcks(0); !all) return all;
  }
  return saveCheckpoint();
}

Status JetStreamPublisher::awaitAcks(std::size_t inFlightMax) {
  const auto deadline = std::chrono::steady_clock::now() + ackWait;
  std::unique_lock lock(mutex_);
  while (sent_ - acked_ > inFlightMax) {
    if (ackErrors_ != 0) break;
    if (stopping_) return Error::ioError("stopping with messages waiting for their acks");
    if (wake_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return Error::ioError("JetStream did not acknowledge " + std::to_string(sent_ - acked_) +
                            " messages within " + std::to_string(ackWait.count()) + " s");
    }
  }
  lock.unlock();
  return ackFailure();
}

Status JetStreamPublisher::ackFailure() {
  std::string why;
  {
    std::lock_guard lock(mutex_);
    if (ackErrors_ == 0) return okStatus();
    why = status_.lastError;
  }
  // Messages after a refused one are refused too (their expected sequence
  // is wrong): drop them all and resume from the stream's tail.
  natsMsgList pending;
  if (js_PublishAsyncGetPendingList(&pending, session_->jetStream()) == NATS_OK) {
    natsMsgList_Destroy(&pending);
  }
  return Error::ioError("JetStream refused a message (" + why + ")");
}

Status JetStreamPublisher::saveCheckpoint() {
  std::string value;
  {
    std::lock_guard lock(mutex_);
    if (status_.checkpoint == savedCheckpoint_) return okStatus();
    savedCheckpoint_ = status_.checkpoint;
    value = std::to_string(status_.checkpoint);
  }
  auto batch = table_->newBatch();
  batch->put(checkpointKey(settings_), value);
  return table_->commit(*batch);
}

void JetStreamPublisher::onAck(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* self) {
  auto* publisher = static_cast<JetStreamPublisher*>(self);
  {
    std::lock_guard lock(publisher->mutex_);
    ++publisher->acked_;
    if (error != nullptr) {
      ++publisher->ackErrors_;
      publisher->status_.lastError =
          error->ErrText != nullptr ? error->ErrText : natsStatus_GetText(error->Err);
    } else if (ack != nullptr) {
      // Each message expects the sequence before it, so a stored message
      // means every one sent before it in this session is stored too: the
      // checkpoint is the highest position acknowledged.
      const char* position = nullptr;
      if (natsMsgHeader_Get(msg, header::position, &position) == NATS_OK && position != nullptr) {
        auto& s = publisher->status_;
        s.checkpoint = std::max<store::Position>(s.checkpoint, std::strtoull(position, nullptr, 10));
        s.streamLastSeq = std::max<std::uint64_t>(s.streamLastSeq, ack->Sequence);
        ++s.published;
        if (ack->Duplicate) ++s.duplicates;
      }
    }
  }
  publisher->wake_.notify_all();
  natsMsg_Destroy(msg);
}

void JetStreamPublisher::onRepublishRequest(natsConnection* nc, natsSubscription*, natsMsg* msg,
                                            void* self) {
  auto* publisher = static_cast<JetStreamPublisher*>(self);
  nlohmann::json reply;
  auto body = nlohmann::json::parse(
      std::string_view(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))),
      nullptr, false);
  if (body.is_object() && body.contains("from") && body["from"].is_number_unsigned() &&
      body["from"].get<std::uint64_t>() >= 1) {
    const store::Position from = body["from"].get<std::uint64_t>();
    store::Position current = publisher->republishFrom_.load();
    while ((current == 0 || from < current) &&
           !publisher->republishFrom_.compare_exchange_weak(current, from)) {
    }
    reply = {{"accepted", true}, {"from", from}, {"head", publisher->log_.head()}};
    publisher->wake_.notify_all();
  } else {
    reply = {{"accepted", false}, {"error", "expected {\"from\": <position >= 1>}"}};
  }
  if (const char* to = natsMsg_GetReply(msg); to != nullptr) {
    natsConnection_PublishString(nc, to, reply.dump().c_str());
  }
  natsMsg_Destroy(msg);
}

}  // namespace parcours::adapters::nats
