#include "parcours/adapters/webhook_bench.h"

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "parcours/store/event_log.h"
#include "webhook_service.h"

namespace parcours::adapters {
namespace {

// The receiver: answers 200 to everything, on its own thread and loop.
class BenchReceiverService final : public kj::HttpService {
 public:
  explicit BenchReceiverService(const kj::HttpHeaderTable& table) : table_(table) {}
  kj::Promise<void> request(kj::HttpMethod, kj::StringPtr, const kj::HttpHeaders&,
                            kj::AsyncInputStream& body, Response& response) override {
    return body.readAllBytes().then([this, &response](kj::Array<kj::byte>&&) {
      received.fetch_add(1, std::memory_order_relaxed);
      kj::HttpHeaders headers(table_);
      const kj::StringPtr ok("{}");
      auto out = response.send(200, "OK", headers, ok.size());
      return out->write(ok.begin(), ok.size()).attach(kj::mv(out));
    });
  }
  std::atomic<std::uint64_t> received{0};

 private:
  const kj::HttpHeaderTable& table_;
};

}  // namespace

Result<WebhookBenchRun> benchWebhookDeliveries(const std::filesystem::path& storePath,
                                               std::shared_ptr<spdlog::logger> logger) {
  std::promise<unsigned> portPromise;
  auto portFuture = portPromise.get_future();
  std::promise<kj::Own<kj::CrossThreadPromiseFulfiller<void>>> stopPromise;
  auto stopFuture = stopPromise.get_future();
  std::thread receiver([&] {
    auto io = kj::setupAsyncIo();
    kj::HttpHeaderTable table;
    BenchReceiverService service(table);
    kj::HttpServer server(io.provider->getTimer(), table, service);
    auto listener =
        io.provider->getNetwork().parseAddress("127.0.0.1", 0).wait(io.waitScope)->listen();
    auto stop = kj::newPromiseAndCrossThreadFulfiller<void>();
    stopPromise.set_value(kj::mv(stop.fulfiller));
    portPromise.set_value(listener->getPort());
    server.listenHttp(*listener).exclusiveJoin(kj::mv(stop.promise)).wait(io.waitScope);
  });
  const unsigned port = portFuture.get();
  auto stopReceiver = stopFuture.get();

  Result<WebhookBenchRun> result = Error::bug("not run");
  {
    auto io = kj::setupAsyncIo();
    store::Options options;
    options.path = storePath.string();
    auto log = store::EventLog::open(options, logger);
    if (!log) {
      result = log.error();
    } else {
      EventFeed feed(**log);
      feed.start();
      auto runtime = webhooks::WebhookRuntime::start(**log, feed, io.provider->getTimer(),
                                                     io.provider->getNetwork(),
                                                     WebhookSettings{}, logger);
      if (!runtime) {
        result = runtime.error();
      } else {
        const Principal admin{"bench", {Role::Administrator}};
        const auto started = std::chrono::steady_clock::now();
        auto created = (*runtime)->service().create(
            admin, "{\"url\": \"http://127.0.0.1:" + std::to_string(port) + "/hook\", \"after\": 0}");
        if (!created) {
          result = created.error();
        } else {
          const std::string id = created->at("id");
          const store::Position head = (*log)->head();
          // Polls the loop's cursor every millisecond while the loop runs.
          auto& timer = io.provider->getTimer();
          std::function<kj::Promise<void>()> poll = [&]() -> kj::Promise<void> {
            return timer.afterDelay(1 * kj::MILLISECONDS).then([&]() -> kj::Promise<void> {
              auto shown = (*runtime)->service().show(admin, id);
              if (shown && shown->at("cursor") == std::to_string(head)) return kj::READY_NOW;
              return poll();
            });
          };
          poll().wait(io.waitScope);
          const double seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          auto shown = (*runtime)->service().show(admin, id);
          WebhookBenchRun run;
          run.seconds = seconds;
          run.deliveries = shown ? shown->at("delivery").at("delivered").get<std::uint64_t>() : 0;
          (void)(*runtime)->service().remove(admin, id);
          result = run;
        }
        (*runtime)->stop();
      }
    }
  }
  stopReceiver->fulfill();
  receiver.join();
  return result;
}

}  // namespace parcours::adapters
