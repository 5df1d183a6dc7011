// One HTTP request through the gateway of `parcours serve`, with no socket:
// the input is the request's bytes as a client sends them (request line,
// headers, blank line, body). kj's own parser splits the head, exactly as
// kj::HttpServer does before it calls the gateway; the gateway then routes
// it over a real store (the demo's two campaigns, opened once per process,
// in a temporary directory) with the server's real parts: tokens, views,
// event feed, command workers.
//
// A request must end in exactly one response, of the size it declared,
// whose JSON (or problem+json) body parses; never in an exception or an
// internal error (500). Time is virtual: timers (the ?minPosition= wait, the
// event stream's heartbeat) fire at once, up to a minute per request, after
// which an endless event stream is dropped as a client would hang up.
//
// The store keeps what earlier requests wrote: a crash may need the inputs
// before it. ctest replays the seeds, then the regressions, in name order
// on a fresh demo store: keep crash inputs that reproduce that way.
#include <kj/debug.h>
#include <kj/timer.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http_fuzz_server.h"

namespace {

using namespace parcours;
using namespace parcours::adapters;

void require(bool ok, const char* what, std::string_view detail = "") {
  if (ok) return;
  std::fprintf(stderr, "http_fuzz: %s %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// The body, as the connection would deliver it.
class Body final : public kj::AsyncInputStream {
 public:
  explicit Body(std::string_view bytes) : rest_(bytes) {}
  kj::Promise<size_t> tryRead(void* buffer, size_t minBytes, size_t maxBytes) override {
    (void)minBytes;
    const size_t n = std::min(maxBytes, rest_.size());
    if (n > 0) std::memcpy(buffer, rest_.data(), n);
    rest_.remove_prefix(n);
    return n;
  }
  kj::Maybe<uint64_t> tryGetLength() override { return uint64_t{rest_.size()}; }

 private:
  std::string_view rest_;
};

class BodySink final : public kj::AsyncOutputStream {
 public:
  explicit BodySink(std::string& out) : out_(out) {}
  kj::Promise<void> write(const void* buffer, size_t size) override {
    out_.append(static_cast<const char*>(buffer), size);
    return kj::READY_NOW;
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    for (auto piece : pieces) out_.append(piece.asChars().begin(), piece.size());
    return kj::READY_NOW;
  }
  kj::Promise<void> whenWriteDisconnected() override { return kj::NEVER_DONE; }

 private:
  std::string& out_;
};

// What the gateway answered.
class Capture final : public kj::HttpService::Response {
 public:
  kj::Own<kj::AsyncOutputStream> send(unsigned statusCode, kj::StringPtr statusText,
                                      const kj::HttpHeaders& headers,
                                      kj::Maybe<uint64_t> expectedBodySize) override {
    (void)statusText;
    require(!sent, "a second response to one request");
    sent = true;
    status = statusCode;
    expected = expectedBodySize;
    KJ_IF_MAYBE (type, headers.get(kj::HttpHeaderId::CONTENT_TYPE)) {
      contentType = type->cStr();
    }
    return kj::heap<BodySink>(body);
  }
  kj::Own<kj::WebSocket> acceptWebSocket(const kj::HttpHeaders&) override {
    KJ_UNIMPLEMENTED("the gateway has no WebSocket route");
  }

  bool sent = false;
  unsigned status = 0;
  kj::Maybe<uint64_t> expected;
  std::string contentType;
  std::string body;
};

void checkResponse(const Capture& response, kj::HttpMethod method) {
  require(response.sent, "the request completed without a response");
  require(response.status >= 200 && response.status <= 599, "status out of range");
  require(response.status < 500 || response.status == 503, "an internal error:", response.body);
  if (method == kj::HttpMethod::HEAD) return;
  KJ_IF_MAYBE (size, response.expected) {
    require(*size == response.body.size(), "the body is not the size declared");
  }
  const std::string_view type = response.contentType;
  if (type.rfind("application/json", 0) == 0 || type.rfind("application/problem+json", 0) == 0) {
    require(nlohmann::json::accept(response.body),
            "a JSON body that does not parse:", response.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzServer& server = FuzzServer::get();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The head ends at the first blank line (CRLF or bare LF, as kj reads);
  // kj wants it with its last line break and without the blank line.
  std::size_t headEnd = input.size(), bodyStart = input.size();
  if (auto crlf = input.find("\r\n\r\n"); crlf != std::string_view::npos) {
    headEnd = crlf + 2, bodyStart = crlf + 4;
  }
  if (auto lf = input.find("\n\n"); lf != std::string_view::npos && lf + 1 < headEnd) {
    headEnd = lf + 1, bodyStart = lf + 2;
  }
  kj::Array<char> head = kj::heapArray<char>(input.substr(0, headEnd).data(), headEnd);
  kj::HttpHeaders headers(server.headerTable());
  auto parsed = headers.tryParseRequest(head);
  if (!parsed.is<kj::HttpHeaders::Request>()) return 0;  // kj's server answers 400 itself
  const auto request = parsed.get<kj::HttpHeaders::Request>();

  Body body(input.substr(bodyStart));
  Capture response;
  bool done = false;
  kj::Promise<void> answered =
      server.gateway()
          .request(request.method, request.url, headers, body, response)
          .then([&done] { done = true; },
                [](kj::Exception&& e) {
                  require(false, "the gateway threw:", e.getDescription().cStr());
                })
          .eagerlyEvaluate(nullptr);
  // Only writes run on workers, whose answer comes from another thread.
  const bool write =
      request.method == kj::HttpMethod::POST || request.method == kj::HttpMethod::PUT;
  server.drive(answered, done, write);
  if (done) checkResponse(response, request.method);
  return 0;
}
