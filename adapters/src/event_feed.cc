#include "event_feed.h"

#include <capnp/serialize.h>
#include <kj/debug.h>

#include "api_convert.h"
#include "parcours/workflows/domain_events.h"
#include "server_limits.h"

namespace parcours::adapters {

EventFeed::EventFeed(store::EventLog& log, std::size_t ringCapacity)
    : log_(log), capacity_(ringCapacity) {
  json_.handleByAnnotation<rpc::Event>();
}

EventFeed::~EventFeed() {
  headSubscription_.reset();  // no listener may touch the doorbell after this
}

void EventFeed::start() {
  fed_ = log_.head();  // older events are read from the store on demand
  headSubscription_ = log_.subscribeHead([this](store::Position) {
    std::lock_guard lock(doorbellMutex_);
    if (doorbell_) {
      doorbell_->fulfill();
      doorbell_ = nullptr;
    } else {
      rung_ = true;  // rung while the loop was busy: it looks again at once
    }
  });
  following_ = ringDoorbell().eagerlyEvaluate(nullptr);
}

kj::Promise<void> EventFeed::ringDoorbell() {
  kj::Promise<void> rang = nullptr;
  {
    std::lock_guard lock(doorbellMutex_);
    if (rung_) {
      rung_ = false;
      rang = kj::evalLater([] {});
    } else {
      auto pair = kj::newPromiseAndCrossThreadFulfiller<void>();
      doorbell_ = kj::mv(pair.fulfiller);
      rang = kj::mv(pair.promise);
    }
  }
  return rang.then([this] {
    onHeadMoved();
    return ringDoorbell();
  });
}

Result<FeedEventPtr> EventFeed::encode(const store::EventView& event) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<rpc::Event>();
  if (auto s = writeEvent(event, root); !s) return s.error();
  auto out = std::make_shared<FeedEvent>();
  out->position = event.position;
  out->type = std::string(event.eventType);
  out->streamId = std::string(event.streamId);
  out->campaignId = workflows::toString(root.getCampaignId());
  out->json = json_.encode(root.asReader()).cStr();
  out->message = capnp::messageToFlatArray(message);
  return FeedEventPtr(std::move(out));
}

void EventFeed::onHeadMoved() {
  const store::Position head = log_.head();
  if (attached_ == 0) {
    // Nobody listens: skip the encoding; the ring restarts after the head.
    ring_.clear();
    fed_ = head;
  }
  while (fed_ < head) {
    auto last = log_.scanAll(fed_ + 1, 1024, [&](const store::EventView& event) -> Status {
      auto encoded = encode(event);
      if (!encoded) return encoded.error();
      ring_.push_back(std::move(encoded).value());
      if (ring_.size() > capacity_) ring_.pop_front();
      return okStatus();
    });
    if (!last || *last == 0) {
      // A payload that does not decode stays in the log for `verify` to
      // name; subscribers read past it from the store, where it is skipped.
      const std::string why = last ? "no event below the head" : last.error().message;
      KJ_LOG(ERROR, "the event feed could not read the log", why.c_str());
      ring_.clear();
      fed_ = head;
      break;
    }
    fed_ = *last;
  }
  for (auto& waiter : waiters_) waiter->fulfill();
  waiters_.clear();
}

Status EventFeed::readStore(store::Position to, std::size_t max, const EventFilter& filter,
                            FeedBatch& batch) {
  // Old events: read and encoded for this subscriber only.
  constexpr std::size_t scanMax = sseCatchUpScanMax;  // server_limits.h
  std::size_t examined = 0;
  while (batch.next <= to && batch.events.size() < max && examined < scanMax) {
    const std::size_t room = std::min<std::size_t>(to - batch.next + 1, max - batch.events.size());
    auto last = log_.scanAll(batch.next, room, [&](const store::EventView& event) -> Status {
      ++examined;
      auto encoded = encode(event);
      if (!encoded) return okStatus();  // undecodable: skipped, `verify` names it
      if (filter.matches((*encoded)->type, (*encoded)->streamId, (*encoded)->campaignId)) {
        batch.events.push_back(std::move(encoded).value());
      }
      return okStatus();
    });
    if (!last) return last.error();
    if (*last == 0) break;
    batch.next = *last + 1;
  }
  return okStatus();
}

kj::Promise<FeedBatch> EventFeed::next(store::Position from, const EventFilter& filter,
                                       std::size_t max) {
  from = std::max<store::Position>(from, 1);
  if (from > fed_) {
    auto pair = kj::newPromiseAndFulfiller<void>();
    waiters_.push_back(kj::mv(pair.fulfiller));
    return pair.promise.then([this, from, filter, max]() { return next(from, filter, max); });
  }
  FeedBatch batch;
  batch.next = from;
  batch.head = fed_;
  const store::Position ringFirst = ring_.empty() ? fed_ + 1 : ring_.front()->position;
  if (from < ringFirst) {
    if (auto s = readStore(ringFirst - 1, max, filter, batch); !s) {
      return KJ_EXCEPTION(FAILED,
                          "io_error: reading the log for a subscriber: " + s.error().message);
    }
    if (batch.next < ringFirst) return batch;  // more old events to read first
  }
  for (std::size_t i = batch.next - ringFirst; i < ring_.size() && batch.events.size() < max; ++i) {
    const FeedEventPtr& e = ring_[i];
    if (filter.matches(e->type, e->streamId, e->campaignId)) batch.events.push_back(e);
    batch.next = e->position + 1;
  }
  return batch;
}

}  // namespace parcours::adapters
