// Live subscriptions, one mechanism under every transport (SSE and RPC).
//
// A subscriber is only a cursor: the next position it wants. It reads from
// a bounded ring of the most recent events, encoded once for everybody
// (JSON for SSE, a Cap'n Proto message for RPC); a cursor older than the
// ring reads the store instead. Because every read is by position, the
// switch from catch-up to live has no gap and no duplicate, and a slow
// subscriber only falls behind on its own: appends never wait for it, and
// nobody else does either.
//
// Threads: everything runs on the event loop's thread, except the log's
// head listener, which only rings a cross-thread doorbell.
#pragma once

#include <capnp/compat/json.h>
#include <kj/async.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api.h"
#include "parcours/store/event_log.h"

namespace parcours::adapters {

struct FeedEvent {
  store::Position position = 0;
  std::string type;
  std::string streamId;
  std::string campaignId;
  std::string json;                // the rpc::Event as one line of JSON
  kj::Array<capnp::word> message;  // the rpc::Event as a flat message
};
using FeedEventPtr = std::shared_ptr<const FeedEvent>;

struct FeedBatch {
  std::vector<FeedEventPtr> events;  // in order, all matching the filter
  store::Position next = 0;          // where the subscriber reads from next
  store::Position head = 0;          // the durable head this batch saw
};

class EventFeed {
 public:
  // `ringCapacity`: how many recent events stay encoded in memory.
  EventFeed(store::EventLog& log, std::size_t ringCapacity = 16'384);
  ~EventFeed();

  // Follows the log's head. Call on the event loop's thread.
  void start();

  // Matching events from position `from` on, at most `max`. Resolves as soon
  // as the log has anything at or past `from` (it may then hold no matching
  // event: read again from `next`).
  kj::Promise<FeedBatch> next(store::Position from, const EventFilter& filter, std::size_t max);

  store::Position head() const { return fed_; }

  // Held by each live subscription while it lasts: with none, new events
  // are not encoded at all (a later subscriber reads them from the store).
  class Attachment {
   public:
    explicit Attachment(EventFeed& feed) : feed_(feed) { ++feed_.attached_; }
    ~Attachment() { --feed_.attached_; }
    Attachment(const Attachment&) = delete;
    Attachment& operator=(const Attachment&) = delete;

   private:
    EventFeed& feed_;
  };

  // Encodes one event (for the ring, and for reads older than the ring).
  Result<FeedEventPtr> encode(const store::EventView& event);

 private:
  kj::Promise<void> ringDoorbell();
  void onHeadMoved();
  // Reads events batch.next..to from the store into `batch` (for cursors
  // older than the ring), at most `max` matching.
  Status readStore(store::Position to, std::size_t max, const EventFilter& filter,
                   FeedBatch& batch);

  store::EventLog& log_;
  const std::size_t capacity_;
  capnp::JsonCodec json_;
  std::deque<FeedEventPtr> ring_;  // positions ring_.front()->position .. fed_
  store::Position fed_ = 0;        // the last position encoded into the ring
  int attached_ = 0;               // live subscriptions (Attachment)
  std::vector<kj::Own<kj::PromiseFulfiller<void>>> waiters_;

  // The doorbell: the head listener (any thread) fulfils it, the loop re-arms.
  std::mutex doorbellMutex_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> doorbell_;  // guarded
  bool rung_ = false;                                        // guarded
  std::unique_ptr<store::HeadSubscription> headSubscription_;
  kj::Promise<void> following_ = nullptr;
};

}  // namespace parcours::adapters
