// GET /v1/events/stream: Server-Sent Events over the EventFeed. Each event
// goes out as `id: <position>`, `event: <type>`, `data: <Event JSON>`; a
// client resumes with Last-Event-ID (or ?from=). A comment line every
// heartbeat keeps proxies from closing an idle stream and lets the server
// notice a client that went away.
#include <kj/async-io.h>
#include <kj/debug.h>

#include "http_gateway.h"
#include "http_request.h"

namespace parcours::adapters {
namespace {

constexpr kj::Duration heartbeatEvery = 15 * kj::SECONDS;
constexpr std::size_t eventsPerWrite = 256;

struct Stream {
  kj::Own<kj::AsyncOutputStream> out;
  EventFilter filter;
  store::Position next = 1;
  Metrics& metrics;
  EventFeed::Attachment attachment;
  Stream(kj::Own<kj::AsyncOutputStream> o, EventFilter f, store::Position n, Metrics& m,
         EventFeed& feed)
      : out(kj::mv(o)), filter(kj::mv(f)), next(n), metrics(m), attachment(feed) {
    metrics.subscriberOpened();
  }
  ~Stream() { metrics.subscriberClosed(); }
};

kj::Promise<void> pump(Stream& stream, EventFeed& feed, kj::Timer& timer) {
  auto batch = feed.next(stream.next, stream.filter, eventsPerWrite);
  auto heartbeat = timer.afterDelay(heartbeatEvery).then([] { return std::optional<FeedBatch>(); });
  return batch.then([](FeedBatch b) { return std::optional<FeedBatch>(kj::mv(b)); })
      .exclusiveJoin(kj::mv(heartbeat))
      .then([&stream, &feed, &timer](std::optional<FeedBatch> b) {
        kj::String text;
        if (!b) {
          text = kj::str(": heartbeat\n\n");
        } else {
          std::string out;
          for (const auto& e : b->events) {
            out += "id: " + std::to_string(e->position) + "\nevent: " + e->type +
                   "\ndata: " + e->json + "\n\n";
          }
          stream.metrics.eventsDelivered(b->events.size());
          stream.next = b->next;
          if (out.empty()) return pump(stream, feed, timer);  // nothing matched yet
          text = kj::str(out.c_str());
        }
        auto written = stream.out->write(text.begin(), text.size());
        return written.attach(kj::mv(text)).then([&stream, &feed, &timer] {
          return pump(stream, feed, timer);
        });
      });
}

}  // namespace

kj::Promise<void> HttpGateway::eventStream(Request& r) {
  if (auto s = parts_.api.mayReadEvents(*r.who); !s) return sendProblem(r, s.error());
  capnp::MallocMessageBuilder scratch;
  auto filterIn = scratch.initRoot<rpc::EventFilter>();
  r.fillFilter(filterIn);
  auto filter = EventFilter::read(filterIn.asReader());
  if (!filter) return sendProblem(r, filter.error());
  // Where to start: after Last-Event-ID, else ?from=, else the head (live only).
  store::Position from = parts_.feed.head() + 1;
  KJ_IF_MAYBE (last, r.headers.get(lastEventId_)) {
    std::uint64_t id = 0;
    auto [ptr, ec] = std::from_chars(last->begin(), last->end(), id);
    // The largest position has no next one: it would wrap to 0 and replay all.
    if (last->size() == 0 || ec != std::errc() || ptr != last->end() || id == UINT64_MAX) {
      return sendProblem(r, 400, "invalid_input",
                         kj::str("Last-Event-ID: \"", *last, "\" is not an event position"));
    }
    from = id + 1;
  } else if (r.param("from")) {
    auto number = r.numberParam("from", 0, UINT64_MAX - 1);
    if (!number) return sendProblem(r, number.error());
    from = std::max<std::uint64_t>(*number, 1);
  }
  // Each stream holds a connection and a cursor: a bounded number of them.
  if (liveStreams_ >= sseSubscribersMax) {
    return sendProblem(r, 503, "unavailable",
                       kj::str(sseSubscribersMax, " event streams are open, the limit: retry"));
  }
  parts_.metrics.httpResponse(200);
  kj::HttpHeaders headers(table_);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, "text/event-stream");
  headers.set(cacheControl_, "no-store");
  headers.set(position_, kj::str(parts_.views.checkpoint()));
  headers.set(head_, kj::str(parts_.api.log().head()));
  auto stream = kj::heap<Stream>(r.response.send(200, "OK", headers), kj::mv(filter).value(), from,
                                 parts_.metrics, parts_.feed);
  // The first bytes tell the client the stream is open even when nothing
  // is to be sent yet.
  auto hello = kj::str(": parcours event stream from ", from, "\n\n");
  auto opened = stream->out->write(hello.begin(), hello.size()).attach(kj::mv(hello));
  Stream& ref = *stream;
  EventFeed& feed = parts_.feed;
  kj::Timer& timer = parts_.timer;
  // The stream never completes: it ends when the client goes away (a write
  // fails, DISCONNECTED) or when the server shuts down, which ends it the
  // same way, so the HTTP server closes the connection without a word.
  auto closing = parts_.shuttingDown.addBranch().then([]() -> kj::Promise<void> {
    return KJ_EXCEPTION(DISCONNECTED, "the server is shutting down");
  });
  ++liveStreams_;
  return opened.then([&ref, &feed, &timer] { return pump(ref, feed, timer); })
      .exclusiveJoin(kj::mv(closing))
      .attach(kj::mv(stream), kj::defer([this] { --liveStreams_; }));
}

}  // namespace parcours::adapters
