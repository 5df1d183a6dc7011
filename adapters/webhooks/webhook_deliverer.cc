#include "webhook_deliverer.h"

#include <kj/debug.h>

#include <chrono>
#include <optional>
#include <random>
#include <spdlog/fmt/fmt.h>

#include "../src/server_limits.h"
#include "webhook_signing.h"

namespace parcours::adapters::webhooks {
namespace {

constexpr std::size_t webhookBatchMax = webhookBatchEventsMax;  // server_limits.h
constexpr kj::Duration webhookLoopRestartDelay = 1 * kj::SECONDS;

// Throws a failed Status into the loop's promise chain: the loop logs it
// and starts again from its stored cursor (at least once).
void webhookCheck(const Status& s) {
  if (!s) kj::throwFatalException(KJ_EXCEPTION(FAILED, s.error().message.c_str()));
}
template <typename T>
void webhookCheck(const Result<T>& r) {
  if (!r) kj::throwFatalException(KJ_EXCEPTION(FAILED, r.error().message.c_str()));
}

std::string unixSeconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// One delivery's outcome.
struct WebhookOutcome {
  bool delivered = false;
  std::uint32_t attempts = 0;
  std::string lastError;
};

// One event being delivered: its attempts so far and its deadline.
struct WebhookAttempts {
  FeedEventPtr event;
  kj::TimePoint deadline = kj::origin<kj::TimePoint>();
  std::uint64_t backoffMillis = 0;
  std::uint32_t attempts = 0;
  std::string lastError;
};

// What one request holds until its answer: the header values kj refers to.
struct WebhookRequest {
  std::string id;
  std::string timestamp;
  std::string signature;
  kj::HttpHeaders headers;
  explicit WebhookRequest(const kj::HttpHeaderTable& table) : headers(table) {}
};

}  // namespace

class WebhookDeliverer::Loop {
 public:
  Loop(WebhookDeliverer& owner, Subscription subscription, store::Position cursor)
      : owner_(owner),
        subscription_(std::move(subscription)),
        attachment_(owner.feed_),
        random_(std::random_device{}()) {
    counters_.cursor = cursor;
    auto key = secretKey(subscription_.secret);
    key_ = key ? *key : std::string();
    newClient();
  }

  void start() {
    task_ = guarded().eagerlyEvaluate([this](kj::Exception&& e) {
      owner_.logger_->error("webhook {}: delivery stopped: {}", subscription_.id,
                            e.getDescription().cStr());
    });
  }

  void wake() {
    replayWanted_ = true;
    if (wake_) {
      wake_->fulfill();
      wake_ = nullptr;
    }
  }

  const DeliveryCounters& counters() const { return counters_; }

 private:
  void newClient() {
    client_ = kj::newHttpClient(owner_.timer_, owner_.headerTable_, owner_.network_, nullptr);
  }

  // The loop, started again from the stored cursor after any failure of
  // the store or the feed.
  kj::Promise<void> guarded() {
    return run().catch_([this](kj::Exception&& e) -> kj::Promise<void> {
      owner_.logger_->error("webhook {}: {} (starting again from the stored cursor)",
                            subscription_.id, e.getDescription().cStr());
      return owner_.timer_.afterDelay(webhookLoopRestartDelay).then([this] {
        auto cursor = owner_.store_.cursor(subscription_.id);
        if (cursor) counters_.cursor = *cursor;
        return guarded();
      });
    });
  }

  Status loadBlocked() {
    blocked_.clear();
    store::Position after = 0;
    for (;;) {
      auto letters = owner_.store_.deadLetters(subscription_.id, after, 1024);
      if (!letters) return letters.error();
      for (const auto& letter : *letters) blocked_.emplace(letter.streamId, letter.position);
      if (letters->size() < 1024) return okStatus();
      after = letters->back().position;
    }
  }

  kj::Promise<void> run() {
    webhookCheck(loadBlocked());
    auto asked = owner_.store_.replayRequested(subscription_.id);
    webhookCheck(asked);
    if (replayWanted_ || *asked) return replay().then([this] { return run(); });
    auto woken = kj::newPromiseAndFulfiller<void>();
    wake_ = kj::mv(woken.fulfiller);
    return owner_.feed_.next(counters_.cursor + 1, subscription_.filter, webhookBatchMax)
        .then([](FeedBatch b) { return std::optional<FeedBatch>(kj::mv(b)); })
        .exclusiveJoin(woken.promise.then([] { return std::optional<FeedBatch>(); }))
        .then([this](std::optional<FeedBatch> batch) -> kj::Promise<void> {
          wake_ = nullptr;
          if (!batch) return run();  // woken for a replay
          pendingNext_ = batch->next;
          pending_ = kj::mv(batch->events);
          return deliverPending(0).then([this] { return run(); });
        });
  }

  // Settles pending_[i..] in order: delivered, dead-lettered, or parked
  // behind an earlier dead letter of its stream.
  kj::Promise<void> deliverPending(std::size_t i) {
    for (; i < pending_.size(); ++i) {
      const FeedEventPtr& event = pending_[i];
      auto blocker = blocked_.find(event->streamId);
      if (blocker == blocked_.end()) {
        return deliver(event).then([this, i, event](WebhookOutcome outcome) {
          settle(event, outcome);
          return deliverPending(i + 1);
        });
      }
      DeadLetter letter;
      letter.position = event->position;
      letter.streamId = event->streamId;
      letter.type = event->type;
      letter.deadAt = webhookNow();
      letter.parkedBehind = blocker->second;
      letter.lastError = fmt::format("parked behind the dead letter at position {}", blocker->second);
      webhookCheck(owner_.store_.deadLetter(subscription_.id, letter, true));
      counters_.cursor = event->position;
      ++counters_.parked;
    }
    pending_.clear();
    if (pendingNext_ > counters_.cursor + 1) {
      // Past the events the filter skipped: the cursor says how far it read.
      counters_.cursor = pendingNext_ - 1;
      webhookCheck(owner_.store_.setCursor(subscription_.id, counters_.cursor));
    }
    return kj::READY_NOW;
  }

  void settle(const FeedEventPtr& event, const WebhookOutcome& outcome) {
    counters_.cursor = event->position;
    if (outcome.delivered) {
      ++counters_.delivered;
      webhookCheck(owner_.store_.setCursor(subscription_.id, event->position));
      return;
    }
    ++counters_.deadLettered;
    DeadLetter letter;
    letter.position = event->position;
    letter.streamId = event->streamId;
    letter.type = event->type;
    letter.attempts = outcome.attempts;
    letter.lastError = outcome.lastError;
    letter.deadAt = webhookNow();
    owner_.logger_->warn("webhook {}: event {} ({}) dead-lettered after {} attempts: {}",
                         subscription_.id, event->position, event->type, outcome.attempts,
                         outcome.lastError);
    webhookCheck(owner_.store_.deadLetter(subscription_.id, letter, true));
    blocked_.emplace(event->streamId, event->position);
  }

  // ------------------------------------------------------------ replay

  struct ReplayState {
    std::vector<DeadLetter> letters;
    std::map<std::string, store::Position> failed;  // streams still blocked
  };

  kj::Promise<void> replay() {
    replayWanted_ = false;
    webhookCheck(owner_.store_.clearReplay(subscription_.id));
    auto state = std::make_shared<ReplayState>();
    store::Position after = 0;
    for (;;) {
      auto letters = owner_.store_.deadLetters(subscription_.id, after, 1024);
      webhookCheck(letters);
      for (auto& letter : *letters) state->letters.push_back(std::move(letter));
      if (letters->size() < 1024) break;
      after = state->letters.back().position;
    }
    owner_.logger_->info("webhook {}: replaying {} dead letters", subscription_.id,
                         state->letters.size());
    return replayFrom(state, 0).then([this] { webhookCheck(loadBlocked()); });
  }

  kj::Promise<void> replayFrom(std::shared_ptr<ReplayState> state, std::size_t i) {
    for (; i < state->letters.size(); ++i) {
      DeadLetter& letter = state->letters[i];
      auto blocker = state->failed.find(letter.streamId);
      if (blocker != state->failed.end()) {
        letter.parkedBehind = blocker->second;
        webhookCheck(owner_.store_.deadLetter(subscription_.id, letter, false));
        continue;
      }
      FeedEventPtr event;
      auto read = owner_.log_.scanAll(letter.position, 1, [&](const store::EventView& view) -> Status {
        auto encoded = owner_.feed_.encode(view);
        if (!encoded) return encoded.error();
        event = std::move(encoded).value();
        return okStatus();
      });
      webhookCheck(read);
      if (!event || event->position != letter.position) {
        // Not readable any more: nothing can be sent; `verify` names it.
        webhookCheck(owner_.store_.forgetDeadLetter(subscription_.id, letter.position));
        continue;
      }
      return deliver(event).then([this, state, i, event](WebhookOutcome outcome) {
        DeadLetter& letter = state->letters[i];
        if (outcome.delivered) {
          ++counters_.delivered;
          webhookCheck(owner_.store_.forgetDeadLetter(subscription_.id, letter.position));
        } else {
          ++counters_.deadLettered;
          letter.attempts += outcome.attempts;
          letter.lastError = outcome.lastError;
          letter.deadAt = webhookNow();
          letter.parkedBehind = 0;
          webhookCheck(owner_.store_.deadLetter(subscription_.id, letter, false));
          state->failed.emplace(letter.streamId, letter.position);
        }
        return replayFrom(state, i + 1);
      });
    }
    return kj::READY_NOW;
  }

  // ------------------------------------------------------------ attempts

  kj::Promise<WebhookOutcome> deliver(FeedEventPtr event) {
    auto attempts = std::make_shared<WebhookAttempts>();
    attempts->event = kj::mv(event);
    attempts->deadline =
        owner_.timer_.now() + owner_.settings_.retryForMillis * kj::MILLISECONDS;
    attempts->backoffMillis = std::max<std::uint64_t>(owner_.settings_.backoffInitialMillis, 1);
    return attemptUntilDone(attempts);
  }

  kj::Promise<WebhookOutcome> attemptUntilDone(std::shared_ptr<WebhookAttempts> a) {
    if (a->attempts > 0) ++counters_.retries;
    return attempt(*a->event).then(
        [this, a](std::optional<std::string> error) -> kj::Promise<WebhookOutcome> {
          ++a->attempts;
          if (!error) return WebhookOutcome{true, a->attempts, ""};
          ++counters_.failures;
          a->lastError = kj::mv(*error);
          const kj::TimePoint now = owner_.timer_.now();
          if (now >= a->deadline) return WebhookOutcome{false, a->attempts, a->lastError};
          // Full backoff w, waited at random in [w/2, w] (jitter), never
          // past the deadline: the last attempt is at the deadline.
          const std::uint64_t w = a->backoffMillis;
          std::uniform_int_distribution<std::uint64_t> pick(w / 2, w);
          kj::Duration wait = pick(random_) * kj::MILLISECONDS;
          if (now + wait > a->deadline) wait = a->deadline - now;
          a->backoffMillis = std::min(w * 2, std::max<std::uint64_t>(
                                                 owner_.settings_.backoffMaxMillis, 1));
          return owner_.timer_.afterDelay(wait).then([this, a] { return attemptUntilDone(a); });
        });
  }

  // One POST; nothing on a 2xx, else what went wrong.
  kj::Promise<std::optional<std::string>> attempt(const FeedEvent& event) {
    auto request = kj::heap<WebhookRequest>(owner_.headerTable_);
    request->id = subscription_.id + "-" + std::to_string(event.position);
    request->timestamp = unixSeconds();
    request->signature = sign(key_, request->id, request->timestamp, event.json);
    auto& h = request->headers;
    h.set(kj::HttpHeaderId::CONTENT_TYPE, "application/json");
    h.add("user-agent", "parcours-webhooks/1");
    h.add("webhook-id", request->id.c_str());
    h.add("webhook-timestamp", request->timestamp.c_str());
    h.add("webhook-signature", request->signature.c_str());
    const kj::Duration timeout = owner_.settings_.attemptTimeoutMillis * kj::MILLISECONDS;
    auto sent = kj::evalNow([&]() -> kj::Promise<std::optional<std::string>> {
      auto call = client_->request(kj::HttpMethod::POST, subscription_.url.c_str(), h,
                                   static_cast<std::uint64_t>(event.json.size()));
      auto writing = call.body->write(event.json.data(), event.json.size())
                         .catch_([](kj::Exception&&) {})  // the answer says why
                         .attach(kj::mv(call.body))
                         .eagerlyEvaluate(nullptr);
      return call.response
          .then([](kj::HttpClient::Response&& response)
                    -> kj::Promise<std::optional<std::string>> {
            const unsigned status = response.statusCode;
            auto body = kj::mv(response.body);
            auto reading = body->readAllBytes(webhookReplyBytesMax);
            auto verdict = [status]() -> std::optional<std::string> {
              if (status >= 200 && status < 300) return std::nullopt;
              return "the receiver answered HTTP " + std::to_string(status);
            };
            return reading.attach(kj::mv(body)).then(
                [verdict](kj::Array<kj::byte>&&) { return verdict(); },
                [verdict](kj::Exception&&) { return verdict(); });
          })
          .attach(kj::mv(writing));
    });
    return sent.attach(kj::mv(request))
        .exclusiveJoin(owner_.timer_.afterDelay(timeout).then([this]() {
          newClient();  // the connection is in an unknown state
          return std::optional<std::string>("no answer within " +
                                            formatWebhookDuration(
                                                owner_.settings_.attemptTimeoutMillis));
        }))
        .catch_([this](kj::Exception&& e) -> std::optional<std::string> {
          newClient();
          return std::string("the request failed: ") + e.getDescription().cStr();
        });
  }

  WebhookDeliverer& owner_;
  Subscription subscription_;
  std::string key_;
  EventFeed::Attachment attachment_;
  kj::Own<kj::HttpClient> client_;
  std::mt19937_64 random_;
  DeliveryCounters counters_;
  std::map<std::string, store::Position> blocked_;  // stream -> its first dead letter
  std::vector<FeedEventPtr> pending_;
  store::Position pendingNext_ = 0;
  bool replayWanted_ = false;
  kj::Own<kj::PromiseFulfiller<void>> wake_;
  kj::Promise<void> task_ = nullptr;
};

WebhookDeliverer::WebhookDeliverer(store::EventLog& log, EventFeed& feed, WebhookStore& store,
                                   kj::Timer& timer, kj::Network& network,
                                   WebhookSettings settings,
                                   std::shared_ptr<spdlog::logger> logger)
    : log_(log),
      feed_(feed),
      store_(store),
      timer_(timer),
      network_(network),
      settings_(settings),
      logger_(std::move(logger)) {}

WebhookDeliverer::~WebhookDeliverer() { stop(); }

Status WebhookDeliverer::start() {
  auto subscriptions = store_.list();
  if (!subscriptions) return subscriptions.error();
  for (const auto& s : *subscriptions) {
    auto cursor = store_.cursor(s.id);
    if (!cursor) return cursor.error();
    added(s, *cursor);
  }
  logger_->info("webhooks: {} subscriptions, retry_for={} backoff_initial={} backoff_max={}",
                subscriptions->size(), formatWebhookDuration(settings_.retryForMillis),
                formatWebhookDuration(settings_.backoffInitialMillis),
                formatWebhookDuration(settings_.backoffMaxMillis));
  return okStatus();
}

void WebhookDeliverer::added(const Subscription& subscription, store::Position cursor) {
  auto loop = kj::heap<Loop>(*this, subscription, cursor);
  Loop& ref = *loop;
  loops_[subscription.id] = kj::mv(loop);
  ref.start();
}

void WebhookDeliverer::removed(const std::string& id) { loops_.erase(id); }

void WebhookDeliverer::replayRequested(const std::string& id) {
  auto found = loops_.find(id);
  if (found != loops_.end()) found->second->wake();
}

void WebhookDeliverer::stop() { loops_.clear(); }

std::optional<DeliveryCounters> WebhookDeliverer::counters(const std::string& id) const {
  auto found = loops_.find(id);
  if (found == loops_.end()) return std::nullopt;
  return found->second->counters();
}

std::string WebhookDeliverer::renderMetrics(store::Position head) const {
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    std::uint64_t (*value)(const DeliveryCounters&, store::Position);
  };
  static constexpr Family families[] = {
      {"parcours_webhook_deliveries_total", "counter",
       "Events a webhook receiver acknowledged with a 2xx.",
       [](const DeliveryCounters& c, store::Position) { return c.delivered; }},
      {"parcours_webhook_failures_total", "counter",
       "Webhook attempts that failed (not a 2xx, refused, timed out).",
       [](const DeliveryCounters& c, store::Position) { return c.failures; }},
      {"parcours_webhook_retries_total", "counter",
       "Webhook attempts after an event's first.",
       [](const DeliveryCounters& c, store::Position) { return c.retries; }},
      {"parcours_webhook_dead_letters_total", "counter",
       "Events dead-lettered after retrying for --webhook-retry-for.",
       [](const DeliveryCounters& c, store::Position) { return c.deadLettered; }},
      {"parcours_webhook_parked_total", "counter",
       "Events parked behind an earlier dead letter of their dossier.",
       [](const DeliveryCounters& c, store::Position) { return c.parked; }},
      {"parcours_webhook_lag_events", "gauge",
       "Log positions between the head and a webhook's cursor.",
       [](const DeliveryCounters& c, store::Position h) { return h > c.cursor ? h - c.cursor : 0; }},
  };
  std::string out;
  for (const Family& f : families) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& [id, loop] : loops_) {
      out += fmt::format("{}{{subscription=\"{}\"}} {}\n", f.name, id, f.value(loop->counters(), head));
    }
  }
  return out;
}

}  // namespace parcours::adapters::webhooks
