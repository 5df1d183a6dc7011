#include "parcours/adapters/server.h"

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/compat/http.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../http/http_gateway.h"
#include "../rpc/rpc_server.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/key_store.h"
#include "server_limits.h"
#include "listener.h"
#include "server_parts.h"
#include "../nats/nats_node.h"
#include "../webhooks/webhook_service.h"
#include "parcours/workflows/timer_service.h"

namespace parcours::adapters {
namespace {

constexpr kj::Duration drainTimeout = 30 * kj::SECONDS;

int fail(const Error& error, spdlog::logger& logger) {
  logger.error("serve: {}", error.message);
  std::cerr << "parcours serve: " << error.message << "\n";
  return exitCodeFor(error.code);
}

Status writePortFile(const std::string& path, unsigned httpPort, unsigned rpcPort) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "{\"http\": \"127.0.0.1:" << httpPort << "\", \"rpc\": \"127.0.0.1:" << rpcPort
        << "\"}\n";
    if (!out) return Error::ioError("cannot write " + temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Error::ioError("cannot write " + path + ": " + ec.message());
  return okStatus();
}

// One connection past the limit: told so in HTTP, then closed.
kj::Promise<void> refuseHttpConnection(kj::Own<kj::AsyncIoStream> connection) {
  static constexpr kj::StringPtr answer =
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: application/problem+json\r\n"
      "Retry-After: 1\r\n"
      "Connection: close\r\n"
      "Content-Length: 160\r\n\r\n"
      "{\"type\":\"https://parcours.dev/problems/unavailable\",\"title\":\"Service Unavailable\","
      "\"status\":503,\"code\":\"unavailable\",\"detail\":\"too many open connections: retry\"}"_kj;
  auto written = connection->write(answer.begin(), answer.size());
  return written.then([&stream = *connection] { stream.shutdownWrite(); })
      .attach(kj::mv(connection));
}

// What kj's HTTP server answers on its own: a request that does not parse
// (a malformed Content-Length, two of them, an unknown Transfer-Encoding)
// or a handler that failed. The answer is a problem document with no
// internals (kj's messages name source files and addresses); the details go
// to the log.
class HttpErrorHandler final : public kj::HttpServerErrorHandler {
 public:
  explicit HttpErrorHandler(spdlog::logger& logger) : logger_(logger) {}

  kj::Promise<void> handleClientProtocolError(kj::HttpHeaders::ProtocolError error,
                                              kj::HttpService::Response& response) override {
    logger_.debug("http: a request that does not parse: {}", error.description.cStr());
    return answer(response, error.statusCode, error.statusMessage, "invalid_input",
                  "the request does not parse as HTTP/1.1: " + std::string(error.description.cStr()));
  }

  kj::Promise<void> handleApplicationError(kj::Exception exception,
                                           kj::Maybe<kj::HttpService::Response&> response) override {
    if (exception.getType() == kj::Exception::Type::DISCONNECTED) return kj::READY_NOW;
    KJ_IF_MAYBE (r, response) {
      if (exception.getType() == kj::Exception::Type::OVERLOADED) {
        return answer(*r, 503, "Service Unavailable", "unavailable", "the server is overloaded: retry");
      }
      // kj reads the framing headers before any handler runs and fails on
      // a Content-Length that is not one number ("invalid Content-Length
      // header value") or an unknown Transfer-Encoding ("unknown transfer
      // encoding"): the client's mistake, 400. (HttpGateway::checkFraming
      // refuses what kj lets through: "-1", both headers at once.) Anything
      // else is a bug: 500. Either way the details go to the log only.
      const std::string what = exception.getDescription().cStr();
      if (what.find("Content-Length") != std::string::npos ||
          what.find("transfer encoding") != std::string::npos) {
        logger_.debug("http: malformed framing: {}", what);
        return answer(*r, 400, "Bad Request", "invalid_input",
                      "the request's framing headers do not parse: Content-Length must be one "
                      "decimal length, Transfer-Encoding only chunked");
      }
      logger_.error("http: request failed: {}", what);
      return answer(*r, 500, "Internal Server Error", "internal",
                    "the server failed on this request; its log says why");
    }
    logger_.warn("http: request failed after its answer began: {}",
                 exception.getDescription().cStr());
    return kj::READY_NOW;
  }

  kj::Promise<void> handleNoResponse(kj::HttpService::Response& response) override {
    return answer(response, 500, "Internal Server Error", "internal", "the server gave no answer");
  }

 private:
  static kj::Promise<void> answer(kj::HttpService::Response& response, unsigned status,
                                  kj::StringPtr title, kj::StringPtr code,
                                  const std::string& detail) {
    const std::string body = nlohmann::json{{"type", "https://parcours.dev/problems/" +
                                                         std::string(code.cStr())},
                                            {"title", title.cStr()},
                                            {"status", status},
                                            {"code", code.cStr()},
                                            {"detail", detail}}
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    kj::HttpHeaderTable table;
    kj::HttpHeaders headers(table);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, "application/problem+json");
    auto text = kj::heapString(body.c_str());
    auto stream = response.send(status, title, headers, text.size());
    auto written = stream->write(text.begin(), text.size());
    return written.attach(kj::mv(stream), kj::mv(text));
  }

  spdlog::logger& logger_;
};


// How often a server collects drafts and documents nobody can use.
constexpr auto collectEvery = 1 * kj::HOURS;

void collectUnused(workflows::Drafts& drafts, const engine::Clock& clock, spdlog::logger& logger) {
  auto expired = drafts.collectExpired(workflows::draftGraceMicros);
  if (!expired) {
    logger.warn("collecting drafts: {}", expired.error().message);
  } else if (*expired > 0) {
    logger.info("collected {} drafts of campaigns closed to submissions", *expired);
  }
  auto documents = drafts.documents().collect(
      engine::toMicros(clock.now()), workflows::documentGraceMicros,
      [&](const std::string& dossierId, const std::string& sha256) {
        return drafts.holds(dossierId, sha256);
      });
  if (!documents) {
    logger.warn("collecting documents: {}", documents.error().message);
  } else if (*documents > 0) {
    logger.info("collected {} uploads and documents nothing holds", *documents);
  }
}

}  // namespace

int serve(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger) {
  // Before any thread starts (RocksDB's, the views', the workers'): the
  // signals must be blocked in every thread for kj to receive them.
  kj::UnixEventPort::captureSignal(SIGTERM);
  kj::UnixEventPort::captureSignal(SIGINT);
  auto io = kj::setupAsyncIo();
  auto& ws = io.waitScope;

  if (options.dataDir.empty()) return fail(Error::invalidInput("--data: required"), *logger);
  if (options.tokensFile.empty()) {
    return fail(Error::invalidInput("--tokens: required (make one with `parcours token add`)"),
                *logger);
  }
  auto tokens = TokenFile::open(options.tokensFile);
  if (!tokens) return fail(tokens.error(), *logger);
  if (!options.replicaOf.empty() && !options.natsUrl.empty()) {
    return fail(Error::invalidInput("--nats and --replica-of: a node either publishes its log "
                                    "(a primary) or follows one (a replica), not both"),
                *logger);
  }
  // A new replica starts from an empty store and fills it from the stream.
  if (!options.replicaOf.empty()) std::filesystem::create_directories(options.dataDir);
  if (!std::filesystem::is_directory(options.dataDir)) {
    return fail(Error::notFound("--data " + options.dataDir +
                                " is not a store (run `parcours demo --data DIR` or "
                                "`parcours campaign open` first)"),
                *logger);
  }
  nats::StreamSettings natsSettings;
  natsSettings.url = options.replicaOf.empty() ? options.natsUrl : options.replicaOf;
  natsSettings.stream = options.natsStream;
  natsSettings.subjectPrefix = options.natsSubjectPrefix;
  natsSettings.replicas = options.natsReplicas;
  store::Options storeOptions;
  storeOptions.path = options.dataDir;  // durable: sync stays on
  if (!options.replicaOf.empty()) {
    storeOptions.replicaOf = options.replicaOf + " (stream " + options.natsStream + ")";
  }
  auto log = store::EventLog::open(storeOptions, logger);
  if (!log) return fail(log.error(), *logger);
  std::unique_ptr<engine::KeyStore> keys;
  if (!options.keysDir.empty()) {
    auto opened = engine::KeyStore::open(options.keysDir);
    if (!opened) return fail(opened.error(), *logger);
    keys = std::move(opened).value();
  }
  auto views = workflows::Views::open(**log, logger);
  if (!views) return fail(views.error(), *logger);
  (*views)->startLive();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock, keys.get());
  // The scheduler fires due timers through the same workflow, catching up
  // on whatever fell due while the server was down (docs/timers.md).
  std::unique_ptr<workflows::TimerService> timers;
  if (options.replicaOf.empty()) {
    auto opened = workflows::TimerService::open(**log, workflow, clock, logger);
    if (!opened) return fail(opened.error(), *logger);
    timers = std::move(opened).value();
  }
  // Drafts need the key that seals them, and are a primary's: a replica
  // takes no writes.
  std::unique_ptr<workflows::Drafts> drafts;
  if (options.replicaOf.empty() && keys) {
    auto opened = workflows::Drafts::open(
        **log, workflow, clock, *keys,
        workflows::DocumentLimits{options.documentMaxBytes, options.dossierDocumentsMaxBytes});
    if (!opened) return fail(opened.error(), *logger);
    drafts = std::move(opened).value();
  }
  Metrics metrics;
  Api api(**log, workflow, **views, metrics, timers.get(), drafts.get());
  EventFeed feed(**log);
  feed.start();
  CommandPool pool(options.commandWorkers);
  auto shutdown = kj::newPromiseAndFulfiller<void>();
  auto shuttingDown = shutdown.promise.fork();
  std::atomic<bool> ready{false};
  ServerParts parts{api,    feed,         pool, metrics, **tokens, **views, io.provider->getTimer(),
                    logger, shuttingDown, ready};
  auto webhookRuntime = webhooks::WebhookRuntime::start(
      **log, feed, io.provider->getTimer(), io.provider->getNetwork(), options.webhooks, logger);
  if (!webhookRuntime) return fail(webhookRuntime.error(), *logger);
  parts.webhooks = &(*webhookRuntime)->service();
  parts.keys = keys.get();
  parts.timers = timers.get();
  parts.dataDir = options.dataDir;

  kj::HttpHeaderTable::Builder tableBuilder;
  HttpGateway gateway(parts, tableBuilder);
  auto table = tableBuilder.build();
  kj::HttpServerSettings httpSettings;
  httpSettings.headerTimeout = httpHeaderTimeoutSecondsMax * kj::SECONDS;
  httpSettings.pipelineTimeout = httpIdleSecondsMax * kj::SECONDS;
  // A request refused before its body is read (the role first) still has
  // its body read and dropped, up to the body limit, so the client gets
  // the answer instead of a reset connection.
  httpSettings.canceledUploadGraceBytes = httpBodyBytesMax;
  HttpErrorHandler httpErrors(*logger);
  httpSettings.errorHandler = httpErrors;
  kj::HttpServer httpServer(io.provider->getTimer(), *table, gateway, httpSettings);
  capnp::TwoPartyServer rpcServer(newRpcGateway(parts));

  kj::Own<kj::ConnectionReceiver> httpListener, rpcListener;
  try {
    auto& network = io.provider->getNetwork();
    httpListener = network.parseAddress(options.httpAddress, 8080).wait(ws)->listen();
    rpcListener = network.parseAddress(options.rpcAddress, 8081).wait(ws)->listen();
  } catch (const kj::Exception& e) {
    return fail(Error::ioError(std::string("cannot listen: ") + e.getDescription().cStr()),
                *logger);
  }
  // Accept errors back off and resume; past the limit, 503 (listener.h).
  Listener httpAccept(
      "http", *httpListener, io.provider->getTimer(), options.httpConnectionsMax,
      [&httpServer](kj::Own<kj::AsyncIoStream> c) { return httpServer.listenHttp(kj::mv(c)); },
      refuseHttpConnection, logger);
  Listener rpcAccept(
      "rpc", *rpcListener, io.provider->getTimer(), rpcConnectionsMax,
      [&rpcServer](kj::Own<kj::AsyncIoStream> c) {
        auto served = rpcServer.accept(*c);
        return served.attach(kj::mv(c));
      },
      [](kj::Own<kj::AsyncIoStream>) -> kj::Promise<void> { return kj::READY_NOW; }, logger);
  parts.httpConnections = &httpAccept;
  kj::Promise<void> accepting = httpAccept.run().exclusiveJoin(rpcAccept.run()).eagerlyEvaluate(
      [logger](kj::Exception&& e) { logger->error("listener failed: {}", e.getDescription().cStr()); });
  if (!options.portFile.empty()) {
    if (auto s = writePortFile(options.portFile, httpListener->getPort(), rpcListener->getPort());
        !s) {
      return fail(s.error(), *logger);
    }
  }
  std::unique_ptr<nats::NatsNode> natsNode;
  if (!options.replicaOf.empty()) {
    natsNode = nats::NatsNode::replica(**log, natsSettings, logger);
  } else if (!options.natsUrl.empty()) {
    const std::string advertised =
        options.advertiseUrl.empty() ? "http://127.0.0.1:" + std::to_string(httpListener->getPort())
                                     : options.advertiseUrl;
    natsNode = nats::NatsNode::primary(**log, natsSettings, advertised, logger);
  }
  if (natsNode) {
    if (auto started = natsNode->start(); !started) return fail(started.error(), *logger);
    parts.nats = natsNode.get();
  }
  if (timers) timers->start();
  // Drafts and documents nobody can use any more (docs/documents.md),
  // collected at start and then every hour, on a worker.
  std::function<kj::Promise<void>()> collectLoop = [&]() -> kj::Promise<void> {
    return pool.run([&] { collectUnused(*drafts, clock, *logger); })
        .then([&] { return io.provider->getTimer().afterDelay(collectEvery); })
        .then([&] { return collectLoop(); });
  };
  kj::Promise<void> collecting = kj::READY_NOW;
  if (drafts) {
    collecting = collectLoop().eagerlyEvaluate([logger](kj::Exception&& e) {
      logger->warn("collecting drafts and documents stopped: {}", e.getDescription().cStr());
    });
  }
  ready = true;
  logger->info("serving http=127.0.0.1:{} rpc=127.0.0.1:{} data={} head={}",
               httpListener->getPort(), rpcListener->getPort(), options.dataDir, (*log)->head());

  auto signal =
      io.unixEventPort.onSignal(SIGTERM).exclusiveJoin(io.unixEventPort.onSignal(SIGINT)).wait(ws);
  logger->info("signal {}: shutting down", signal.si_signo);
  ready = false;
  if (timers) timers->stop();  // a firing under way finishes; the rest fire at the next start
  accepting = nullptr;  // no new connections
  collecting = nullptr;
  httpListener = nullptr;
  rpcListener = nullptr;
  shutdown.fulfiller->fulfill();  // live streams and subscriptions end
  (*webhookRuntime)->stop();      // webhook deliveries end; cursors stay stored
  httpServer.drain()
      .exclusiveJoin(io.provider->getTimer().afterDelay(drainTimeout).then([logger] {
        logger->warn("requests still open after the drain timeout: closing them");
      }))
      .wait(ws);
  pool.drain();  // every command taken is finished: its caller was answered or is gone
  if (natsNode) natsNode->stop();  // the publisher's checkpoint or the replica's position is stored
  (*views)->stop();
  if (auto error = (*views)->lastLiveError()) logger->warn("views: {}", error->message);
  logger->info("stopped at head={}", (*log)->head());
  return 0;
}

}  // namespace parcours::adapters
