// The HTTP/JSON API, the live event stream (SSE), the operations endpoints
// and the dashboard's files, as one kj::HttpService. Routes and bodies:
// docs/http-api.md. Every body is the JSON form of a struct of
// adapters/rpc/parcours.capnp, read and written by Cap'n Proto's JSON codec.
#pragma once

#include <capnp/compat/json.h>
#include <kj/compat/http.h>
#include <kj/compat/url.h>

#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "../src/server_limits.h"
#include "../src/server_parts.h"
#include "parcours/workflows/documents.h"

namespace parcours::adapters {

// How long a read with ?minPosition= waits for the views before a 503.
inline constexpr kj::Duration minPositionWait = 5 * kj::SECONDS;

class HttpGateway final : public kj::HttpService {
 public:
  // Adds the headers it reads to `tableBuilder`; build the table before
  // serving.
  HttpGateway(ServerParts& parts, kj::HttpHeaderTable::Builder& tableBuilder);

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url,
                            const kj::HttpHeaders& headers, kj::AsyncInputStream& requestBody,
                            Response& response) override;

  struct Request;  // one request's parsed parts (http_request.h)
  struct Action;   // how a body maps onto a command (http_writes.cc)

 private:
  kj::Promise<void> route(Request& r);
  kj::Promise<void> routeV1(Request& r);
  // Read-your-writes: a read with ?minPosition=N (a write's lastPosition)
  // waits until every view reflects position N, at most minPositionWait.
  kj::Promise<bool> viewsReach(std::uint64_t position, kj::TimePoint deadline);
  kj::Promise<void> routeCampaigns(Request& r);
  kj::Promise<void> routeDossiers(Request& r);
  kj::Promise<void> routeEvents(Request& r);
  // GET /v1/timers, POST /v1/timers/{timerId}/reschedule|cancel.
  kj::Promise<void> routeTimers(Request& r);
  kj::Promise<void> serveOperations(Request& r);
  kj::Promise<void> servePublic(Request& r);
  kj::Promise<void> dossierList(Request& r);
  // ?at= / ?as_of=: builds the views as they stood then for this request's
  // reads (the scope from its path); errors are the request's answer.
  // ?at= / ?as_of=: checks the caller may read the scope, then replays it
  // on a worker into r.past.
  kj::Promise<Status> openPast(Request& r);
  // Content-Length one decimal, Transfer-Encoding only chunked, not both.
  static Status checkFraming(const kj::HttpHeaders& headers);
  // The Api a request's reads go through: the live one, or openPast's.
  const Api& reader(const Request& r) const;
  kj::Promise<void> auditCsv(Request& r, kj::StringPtr id, bool dossier);

  // A read: `fill(params)` from the request (a Status: InvalidInput is a
  // 400), the Api's `read`, and `pick(results)` is what the body holds.
  template <typename Params, typename Results, typename Fill, typename Pick>
  kj::Promise<void> serveRead(Request& r, Fill&& fill,
                              Status (Api::*read)(const Principal&, typename Params::Reader,
                                                  typename Results::Builder) const,
                              Pick&& pick);

  // Writes: the body becomes a command, run on a worker (http_writes.cc).
  kj::Promise<void> campaignWrite(Request& r, kj::StringPtr campaignId, kj::StringPtr action);
  kj::Promise<void> dossierWrite(Request& r, kj::StringPtr dossierId, kj::StringPtr action);
  kj::Promise<void> timerWrite(Request& r, kj::StringPtr timerId, kj::StringPtr action);
  // A submit's body ({"campaignId", "application"}) into `into`'s root, an
  // rpc::Submission: the checks and codecs of every write's body.
  Status readSubmission(kj::StringPtr body, capnp::MallocMessageBuilder& into) const;
  // /v1/dossiers/{id}/draft (GET, PUT, DELETE) and .../draft/submit (POST):
  // http_drafts.cc.
  kj::Promise<void> dossierDraft(Request& r, kj::StringPtr dossierId);
  // If-Match: absent (0), or one strong entity tag "<version>" as ETag gave.
  Result<std::uint64_t> readIfMatch(const Request& r) const;
  // /v1/dossiers/{id}/documents[/{sha256}] (http_documents.cc).
  struct Upload;  // an upload in flight
  kj::Promise<void> dossierDocuments(Request& r, kj::StringPtr dossierId);
  kj::Promise<void> uploadDocument(Request& r, kj::StringPtr dossierId);
  kj::Promise<bool> receiveUpload(Request& r, std::shared_ptr<Upload> state);
  kj::Promise<void> detachDocument(Request& r, kj::StringPtr dossierId, const std::string& sha256);
  kj::Promise<void> downloadDocument(Request& r, kj::StringPtr dossierId,
                                     const std::string& sha256);
  kj::Promise<void> sendDocumentBytes(kj::AsyncOutputStream& out,
                                      workflows::StoredDocument document, std::uint64_t from,
                                      std::uint64_t end);
  template <typename Params, typename Results>
  kj::Promise<void> runWrite(Request& r, const Action& action, const char* idField,
                             kj::StringPtr id,
                             Status (Api::*call)(const Principal&, typename Params::Reader,
                                                 typename Results::Builder));
  // The live stream (http_sse.cc).
  kj::Promise<void> eventStream(Request& r);
  // /v1/webhooks (adapters/webhooks/webhook_routes.cc).
  kj::Promise<void> routeWebhooks(Request& r);
  kj::Promise<void> webhookEvents(Request& r, const std::string& id);
  kj::Promise<void> sendWebhookJson(Request& r, unsigned status,
                                    const Result<nlohmann::json>& result);

  // Responses.
  kj::Promise<void> sendBody(Request& r, unsigned status, kj::StringPtr contentType,
                             kj::String body);
  kj::Promise<void> sendProblem(Request& r, const Error& error);
  kj::Promise<void> dossierAnswers(Request& r, kj::StringPtr id);
  // 405 with the Allow header RFC 9110 requires.
  kj::Promise<void> methodNotAllowed(Request& r, kj::StringPtr allow);
  kj::Promise<void> sendProblem(Request& r, unsigned status, kj::StringPtr code,
                                kj::StringPtr detail,
                                const std::vector<FieldProblem>& problems = {});
  template <typename Reader>
  kj::Promise<void> sendJson(Request& r, Reader value) {
    return sendBody(r, 200, "application/json", json_.encode(value));
  }

  std::optional<Principal> authenticate(const Request& r) const;
  // /metrics' lines for the connections and live streams.
  std::string connectionMetrics() const;

  ServerParts& parts_;
  capnp::JsonCodec json_;
  kj::HttpHeaderId authorization_;
  kj::HttpHeaderId idempotencyKey_;
  kj::HttpHeaderId lastEventId_;
  kj::HttpHeaderId cacheControl_;
  kj::HttpHeaderId allow_;
  kj::HttpHeaderId retryAfter_;
  kj::HttpHeaderId position_;  // Parcours-Position: the views' position
  kj::HttpHeaderId head_;      // Parcours-Head: the log's head
  kj::HttpHeaderId etag_;      // a draft's version
  kj::HttpHeaderId ifMatch_;   // the version a draft's save read
  kj::HttpHeaderId ifNoneMatch_;
  kj::HttpHeaderId range_;
  kj::HttpHeaderId contentRange_;
  kj::HttpHeaderId acceptRanges_;
  kj::HttpHeaderId contentDisposition_;
  const kj::HttpHeaderTable& table_;
  std::size_t liveStreams_ = 0;  // open SSE streams (the event loop's thread only)
};

}  // namespace parcours::adapters
