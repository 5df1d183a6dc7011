#include "http_gateway.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "../nats/nats_node.h"
#include "../src/api_convert.h"
#include "../src/listener.h"
#include "../src/server_limits.h"
#include "../webhooks/webhook_service.h"
#include "parcours/workflows/timer_service.h"
#include "http_request.h"
#include "http_routes.h"
#include "parcours/workflows/zoned_time.h"
#include "static_assets.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

unsigned httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return 400;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::PreconditionFailed:
      return 412;
    case ErrorCode::RefusedByRule:
      return 422;
    case ErrorCode::Unauthorized:
      return 403;
    case ErrorCode::IoError:
      return 503;
    case ErrorCode::Corruption:
    case ErrorCode::Internal:
      return 500;
  }
  return 500;
}

kj::StringPtr statusText(unsigned status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 421:
      return "Misdirected Request";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

// The problem's `code` for a status the error classes do not cover.
kj::StringPtr codeName(const Error& error) {
  if (error.code == ErrorCode::Unauthorized) return "forbidden";
  return kj::StringPtr(errorCodeName(error.code).data());
}

std::string jsonString(std::string_view text) {
  // Replaces invalid UTF-8 (a detail may quote the bad input) rather than throw.
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

HttpGateway::HttpGateway(ServerParts& parts, kj::HttpHeaderTable::Builder& tableBuilder)
    : parts_(parts),
      authorization_(tableBuilder.add("Authorization")),
      idempotencyKey_(tableBuilder.add("Idempotency-Key")),
      lastEventId_(tableBuilder.add("Last-Event-ID")),
      cacheControl_(tableBuilder.add("Cache-Control")),
      allow_(tableBuilder.add("Allow")),
      retryAfter_(tableBuilder.add("Retry-After")),
      position_(tableBuilder.add("Parcours-Position")),
      head_(tableBuilder.add("Parcours-Head")),
      etag_(tableBuilder.add("ETag")),
      ifMatch_(tableBuilder.add("If-Match")),
      ifNoneMatch_(tableBuilder.add("If-None-Match")),
      range_(tableBuilder.add("Range")),
      contentRange_(tableBuilder.add("Content-Range")),
      acceptRanges_(tableBuilder.add("Accept-Ranges")),
      contentDisposition_(tableBuilder.add("Content-Disposition")),
      table_(tableBuilder.getFutureTable()) {
  json_.handleByAnnotation<rpc::Event>();
  json_.handleByAnnotation<rpc::EventPage>();
  json_.setRejectUnknownFields(true);
}

kj::Promise<void> HttpGateway::request(kj::HttpMethod method, kj::StringPtr url,
                                       const kj::HttpHeaders& headers,
                                       kj::AsyncInputStream& requestBody, Response& response) {
  // HEAD is GET without the body (RFC 9110): routed as a GET, answered bare.
  const bool headOnly = method == kj::HttpMethod::HEAD;
  auto r = kj::heap<Request>(headOnly ? kj::HttpMethod::GET : method, headers, requestBody,
                             response);
  Request& ref = *r;
  ref.headOnly = headOnly;
  if (auto s = checkFraming(headers); !s) return sendProblem(ref, s.error()).attach(kj::mv(r));
  KJ_IF_MAYBE (parsed, kj::Url::tryParse(url, kj::Url::HTTP_REQUEST)) {
    ref.url = kj::mv(*parsed);
  } else {
    return sendProblem(ref, 400, "invalid_input", "the request's URL does not parse")
        .attach(kj::mv(r));
  }
  // A decoded %00 would cut the segment short where it is read as a C
  // string ("/index.html%00.js" served index.html): no such path.
  for (auto& segment : ref.url.path) {
    if (std::string_view(segment.cStr()).size() != segment.size()) {
      return sendProblem(ref, 404, "not_found", "no such path: it holds a NUL (%00)")
          .attach(kj::mv(r));
    }
    ref.path.push_back(segment.cStr());
  }
  for (auto& q : ref.url.query) {
    if (std::string_view(q.name.cStr()).size() != q.name.size() ||
        std::string_view(q.value.cStr()).size() != q.value.size()) {
      return sendProblem(ref, 400, "invalid_input", "a query parameter holds a NUL (%00)")
          .attach(kj::mv(r));
    }
  }
  return route(ref).attach(kj::mv(r));
}

Status HttpGateway::checkFraming(const kj::HttpHeaders& headers) {
  // kj reads these only when a handler reads the body, and then fails with
  // an internal message; they are checked first, for every request.
  KJ_IF_MAYBE (length, headers.get(kj::HttpHeaderId::CONTENT_LENGTH)) {
    const std::string_view text(length->cStr(), length->size());
    const bool digits = !text.empty() && text.size() <= 19 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      return Error::invalidInput("Content-Length: \"" + std::string(text.substr(0, 40)) +
                                 "\" is not one decimal length");
    }
  }
  KJ_IF_MAYBE (coding, headers.get(kj::HttpHeaderId::TRANSFER_ENCODING)) {
    std::string value(coding->cStr(), coding->size());
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value != "chunked") {
      return Error::invalidInput("Transfer-Encoding: \"" + value.substr(0, 40) +
                                 "\" is not supported (only chunked)");
    }
    if (headers.get(kj::HttpHeaderId::CONTENT_LENGTH) != nullptr) {
      return Error::invalidInput("both Content-Length and Transfer-Encoding: send one");
    }
  }
  return okStatus();
}

std::optional<Principal> HttpGateway::authenticate(const Request& r) const {
  KJ_IF_MAYBE (header, r.headers.get(authorization_)) {
    std::string_view value(header->cStr(), header->size());
    // The scheme is case-insensitive (RFC 9110 section 11.1): "bearer" too.
    constexpr std::string_view scheme = "bearer ";
    if (value.size() < scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return std::nullopt;
    }
    return parts_.tokens.authenticate(value.substr(scheme.size()));
  }
  // Never from the URL: a token there ends up in logs and histories.
  return std::nullopt;
}

kj::Promise<void> HttpGateway::route(Request& r) {
  const auto& path = r.path;
  // The route table first (http_routes.h): past this, the path is one the
  // gateway serves and the method one its route lists.
  const HttpRoute* found = findHttpRoute(path);
  if (found == nullptr) {
    const bool api = !path.empty() && (path[0] == "v1" || path[0] == "public");
    return sendProblem(r, 404, "not_found",
                       kj::str(api ? "no such endpoint: " : "no such page: ", r.pathText()));
  }
  if (!routeAllows(*found, r.headOnly ? kj::HttpMethod::HEAD : r.method)) {
    return methodNotAllowed(r, kj::heapString(found->allow.data(), found->allow.size()));
  }
  if (!path.empty() && path[0] == "public") return servePublic(r);
  if (path.empty() || path[0] != "v1") return serveOperations(r);
  if (path.size() == 2 && path[1] == "openapi.json") {
    return sendBody(r, 200, "application/json", kj::str(assets::openapiJson()));
  }
  r.who = authenticate(r);
  if (!r.who) {
    const bool presented = r.headers.get(authorization_) != nullptr;
    return sendProblem(r, 401, "unauthenticated",
                       presented ? "the bearer token is not known, has expired or was revoked"
                                 : "send Authorization: Bearer <token> (never a token in the URL)");
  }
  if (!parts_.ready.load()) {
    return sendProblem(r, 503, "unavailable", "the server is starting or shutting down");
  }
  if (parts_.nats != nullptr && parts_.nats->isReplica() && r.method != kj::HttpMethod::GET &&
      r.method != kj::HttpMethod::HEAD) {
    return sendProblem(r, 421, "read_replica", parts_.nats->writeRefusal().c_str());
  }
  if (r.param("at") || r.param("as_of")) {
    // Replaying the log is work: the role is checked first, and the replay
    // runs on a worker, bounded, never on the event loop.
    return openPast(r).then([this, &r](Status opened) -> kj::Promise<void> {
      if (!opened) return sendProblem(r, opened.error());
      return routeV1(r);
    });
  }
  if (r.method == kj::HttpMethod::GET && r.param("minPosition")) {
    auto position = r.numberParam("minPosition", 0, UINT64_MAX);
    if (!position) return sendProblem(r, position.error());
    const auto deadline = parts_.timer.now() + minPositionWait;
    return viewsReach(*position, deadline).then([this, &r](bool reached) -> kj::Promise<void> {
      if (!reached) {
        return sendProblem(r, 503, "unavailable",
                           kj::str("the views have not reached position ",
                                   *r.numberParam("minPosition", 0, UINT64_MAX), " yet (at ",
                                   parts_.views.checkpoint(), "): retry"));
      }
      return routeV1(r);
    });
  }
  return routeV1(r);
}

kj::Promise<Status> HttpGateway::openPast(Request& r) {
  if (r.method != kj::HttpMethod::GET) {
    return Status(Error::invalidInput("?at= and ?as_of= read the views as they stood: GET only"));
  }
  // The scope: which streams the answer needs (past_views.h), and whether
  // the caller may read it at all, asked of the live views before any replay.
  const auto& path = r.path;  // v1 campaigns|dossiers [id ...]
  workflows::PastScope scope;
  Status may = okStatus();
  if (path.size() >= 3 && path[1] == "dossiers") {
    scope = workflows::PastScope::dossier(path[2]);
    may = parts_.api.mayReadDossier(*r.who, path[2]);
  } else if (path.size() >= 3 && path[1] == "campaigns") {
    scope = workflows::PastScope::campaign(path[2]);
    may = parts_.api.mayReadCampaignViews(*r.who, path[2]);
  } else if (path.size() == 2 && path[1] == "dossiers" && r.param("campaign")) {
    scope = workflows::PastScope::campaign(*r.param("campaign"));
    may = parts_.api.mayReadCampaignViews(*r.who, *r.param("campaign"));
  } else if (path.size() == 2 && (path[1] == "dossiers" || path[1] == "campaigns")) {
    may = parts_.api.mayReadThePastOfEverything(*r.who);
  } else {
    return Status(Error::invalidInput(
        "?at= and ?as_of= apply to the views (campaigns, dossiers), not to " +
        std::string(r.pathText().cStr())));
  }
  if (!may) return may;
  store::EventLog& log = parts_.api.log();
  if (r.param("at")) {
    auto at = r.numberParam("at", 1, UINT64_MAX);
    if (!at) return Status(at.error());
    if (*at > log.head()) {
      return Status(Error::notFound("the log holds " + std::to_string(log.head()) +
                                    " events: there is no position " + std::to_string(*at) +
                                    " yet"));
    }
    scope.at = *at;
    r.viewsAt = *at;
  }
  if (auto asOf = r.param("as_of")) {
    auto micros = workflows::parseInstant(*asOf);
    if (!micros) return Status(Error::invalidInput("as_of: " + micros.error().message));
    scope.asOfMicros = *micros;
  }
  scope.eventsMax = pastViewEventsMax;
  struct Job {
    Result<std::unique_ptr<workflows::PastViews>> past = Error::bug("not run");
  };
  auto job = std::make_shared<Job>();
  const workflows::ViewQueries& live = parts_.views;
  return parts_.pool
      .run([job, &log, &live, scope] { job->past = workflows::PastViews::open(log, live, scope); })
      .then(
          [this, &r, job]() -> Status {
            if (!job->past) return job->past.error();
            r.past = std::move(job->past).value();
            r.pastApi.emplace(parts_.api.readingFrom(*r.past));
            return okStatus();
          },
          [](kj::Exception&& e) -> Status { return fromException(e); });
}

const Api& HttpGateway::reader(const Request& r) const {
  return r.pastApi ? *r.pastApi : parts_.api;
}

kj::Promise<bool> HttpGateway::viewsReach(std::uint64_t position, kj::TimePoint deadline) {
  if (parts_.views.checkpoint() >= position) return true;
  if (parts_.timer.now() >= deadline) return false;
  return parts_.timer.afterDelay(2 * kj::MILLISECONDS).then([this, position, deadline] {
    return viewsReach(position, deadline);
  });
}

kj::Promise<void> HttpGateway::routeV1(Request& r) {
  if (!r.viewsAt) r.viewsAt = parts_.views.checkpoint();
  const auto& path = r.path;
  if (path.size() >= 2 && path[1] == "campaigns") return routeCampaigns(r);
  if (path.size() >= 2 && path[1] == "dossiers") return routeDossiers(r);
  if (path.size() >= 2 && path[1] == "events") return routeEvents(r);
  if (path.size() >= 2 && path[1] == "timers") return routeTimers(r);
  if (path.size() >= 2 && path[1] == "webhooks") return routeWebhooks(r);
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::serveOperations(Request& r) {
  const std::string name = r.path.empty() ? "" : r.path[0];
  if (r.path.size() <= 1) {
    if (name == "healthz") return sendBody(r, 200, "text/plain", kj::str("ok\n"));
    if (name == "readyz") {
      const bool ready = parts_.ready.load() && !parts_.api.log().readOnly();
      const std::string gap = parts_.nats != nullptr ? parts_.nats->notReadyReason() : "";
      if (ready && !gap.empty()) return sendProblem(r, 503, "unavailable", gap.c_str());
      if (ready) return sendBody(r, 200, "text/plain", kj::str("ready\n"));
      return sendProblem(
          r, 503, "unavailable",
          parts_.api.log().readOnly() ? "the store turned read-only" : "starting or shutting down");
    }
    if (name == "metrics") {
      auto& log = parts_.api.log();
      std::string timerMetrics;
      if (parts_.timers != nullptr) {
        auto counts = parts_.timers->counts();
        if (counts) {
          timerMetrics = Metrics::renderTimers(*counts, parts_.timers->stats(),
                                               engine::toMicros(engine::SystemClock().now()));
        }
      }
      return sendBody(
          r, 200, "text/plain; version=0.0.4",
          kj::str(
              parts_.metrics.render(log.stats(), log.head(), parts_.views.checkpoint()).c_str(),
              parts_.webhooks ? parts_.webhooks->renderMetrics().c_str() : "",
              parts_.nats != nullptr ? parts_.nats->metrics().c_str() : "",
              connectionMetrics().c_str(), timerMetrics.c_str()));
    }
    if (name == "status") {
      // The node at a glance, for `parcours status` and operators.
      auto& log = parts_.api.log();
      nlohmann::json status{{"role", "primary"},
                            {"head", log.head()},
                            {"views", parts_.views.checkpoint()},
                            {"readOnly", log.readOnly()}};
      if (parts_.nats != nullptr) {
        status["nats"] = parts_.nats->status();
        status["role"] = parts_.nats->isReplica() ? "replica" : "primary";
      }
      return sendBody(r, 200, "application/json", kj::str(status.dump().c_str(), "\n"));
    }
    if (auto asset = assets::dashboardFile(name.empty() ? "index.html" : name)) {
      return sendBody(r, 200, kj::StringPtr(asset->contentType), kj::str(asset->body));
    }
  }
  return sendProblem(r, 404, "not_found", kj::str("no such page: ", r.pathText()));
}

// What a call publishes, for everyone and without a token: its laureates,
// once published (docs/http-api.md, "Public pages").
kj::Promise<void> HttpGateway::servePublic(Request& r) {
  if (!parts_.ready.load()) {
    return sendProblem(r, 503, "unavailable", "the server is starting or shutting down");
  }
  const auto& path = r.path;  // public v1 campaigns ID laureates[.html]
  if (path.size() != 5 || path[1] != "v1" || path[2] != "campaigns" ||
      (path[4] != "laureates" && path[4] != "laureates.html")) {
    return sendProblem(r, 404, "not_found", kj::str("no such page: ", r.pathText()));
  }
  auto published = parts_.api.laureates(path[3]);
  if (!published) return sendProblem(r, published.error());
  if (path[4] == "laureates.html") {
    return sendBody(r, 200, "text/html; charset=utf-8",
                    kj::str(workflows::laureatesHtml(*published).c_str()));
  }
  const auto format = r.param("format").value_or("json");
  if (format == "csv") {
    return sendBody(r, 200, "text/csv; charset=utf-8",
                    kj::str(workflows::laureatesCsv(*published).c_str()));
  }
  if (format != "json") return sendProblem(r, 400, "invalid_input", "format: json or csv");
  nlohmann::json laureates = nlohmann::json::array();
  for (const workflows::Laureate& l : published->laureates) {
    laureates.push_back({{"dossierId", l.dossierId},
                         {"territory", l.territory},
                         {"territoryKind", l.territoryKind},
                         {"title", l.title},
                         {"labelName", l.labelName},
                         {"strands", l.strands},
                         {"grantedCents", std::to_string(l.grantedCents)}});
  }
  nlohmann::json out{{"campaignId", published->campaignId},
                     {"campaignName", published->campaignName},
                     {"organiser", published->organiser},
                     {"publishedAt", workflows::formatUtc(published->publishedAtMicros)},
                     {"laureates", std::move(laureates)}};
  return sendBody(r, 200, "application/json", kj::str(out.dump().c_str(), "\n"));
}

std::string HttpGateway::connectionMetrics() const {
  std::string out =
      "# HELP parcours_sse_streams_open Live event streams open now.\n"
      "# TYPE parcours_sse_streams_open gauge\n"
      "parcours_sse_streams_open " + std::to_string(liveStreams_) + "\n";
  if (const Listener* http = parts_.httpConnections) {
    out += "# HELP parcours_http_connections_open HTTP connections open now.\n"
           "# TYPE parcours_http_connections_open gauge\n"
           "parcours_http_connections_open " + std::to_string(http->openConnections()) + "\n"
           "# HELP parcours_http_connections_refused_total Connections refused past --max-connections.\n"
           "# TYPE parcours_http_connections_refused_total counter\n"
           "parcours_http_connections_refused_total " + std::to_string(http->refusedConnections()) + "\n"
           "# HELP parcours_http_accept_errors_total Failed accept() calls (each followed by a backoff).\n"
           "# TYPE parcours_http_accept_errors_total counter\n"
           "parcours_http_accept_errors_total " + std::to_string(http->acceptErrors()) + "\n";
  }
  return out;
}

// ------------------------------------------------------------------ reads

template <typename Params, typename Results, typename Fill, typename Pick>
kj::Promise<void> HttpGateway::serveRead(Request& r, Fill&& fill,
                                         Status (Api::*read)(const Principal&,
                                                             typename Params::Reader,
                                                             typename Results::Builder) const,
                                         Pick&& pick) {
  capnp::MallocMessageBuilder params;
  if (auto s = fill(params.initRoot<Params>()); !s) return sendProblem(r, s.error());
  capnp::MallocMessageBuilder results;
  auto out = results.initRoot<Results>();
  if (auto s = (reader(r).*read)(*r.who, params.getRoot<Params>().asReader(), out); !s) {
    return sendProblem(r, s.error());
  }
  return sendJson(r, pick(out.asReader()));
}

namespace {

// ?after= and ?limit= of an audit trail.
template <typename Builder>
Status auditPage(const HttpGateway::Request& r, Builder p) {
  auto after = r.numberParam("after", 0, UINT64_MAX);
  auto limit = r.numberParam("limit", 0, UINT32_MAX);
  if (!after) return after.error();
  if (!limit) return limit.error();
  p.setAfter(*after);
  p.setLimit(static_cast<std::uint32_t>(*limit));
  return okStatus();
}

auto whole = [](auto results) { return results; };

}  // namespace

kj::Promise<void> HttpGateway::routeCampaigns(Request& r) {
  const auto& path = r.path;  // v1 campaigns [id [what]]
  if (path.size() == 2) {
    return serveRead<P::CampaignsParams, P::CampaignsResults>(
        r, [](auto) { return okStatus(); }, &Api::campaigns, whole);
  }
  const kj::StringPtr id = path[2].c_str();
  auto byId = [id](auto p) {
    p.setCampaignId(id);
    return okStatus();
  };
  if (path.size() == 3) {
    if (r.method == kj::HttpMethod::POST) return campaignWrite(r, id, "open");
    return serveRead<P::CampaignParams, P::CampaignResults>(
        r, byId, &Api::campaign, [](auto out) { return out.getCampaign(); });
  }
  if (path.size() != 4)
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  const std::string& what = path[3];
  if (what == "rules" && r.method == kj::HttpMethod::GET) {
    return serveRead<P::RulesParams, P::RulesResults>(r, byId, &Api::rules, whole);
  }
  if (what == "rules" || what == "jury") return campaignWrite(r, id, what.c_str());  // PUT
  if (what == "budget" && r.method == kj::HttpMethod::GET) {
    return serveRead<P::BudgetParams, P::BudgetResults>(r, byId, &Api::budget,
                                                        [](auto out) { return out.getBudget(); });
  }
  if (what == "conflicts" || what == "phase" || what == "budget" || what == "milestones") {
    return campaignWrite(r, id, what.c_str());  // POST
  }
  if (what == "stats") {
    return serveRead<P::StatsParams, P::StatsResults>(r, byId, &Api::stats,
                                                      [](auto out) { return out.getStats(); });
  }
  if (what == "leaderboard") {
    return serveRead<P::LeaderboardParams, P::LeaderboardResults>(r, byId, &Api::leaderboard,
                                                                  whole);
  }
  if (what == "audit") {
    const auto format = r.param("format").value_or("json");
    if (format == "csv") return auditCsv(r, id, false);
    if (format != "json") return sendProblem(r, 400, "invalid_input", "format: json or csv");
    return serveRead<P::CampaignAuditParams, P::CampaignAuditResults>(
        r,
        [&r, id](auto p) {
          p.setCampaignId(id);
          return auditPage(r, p);
        },
        &Api::campaignAudit, whole);
  }
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::routeDossiers(Request& r) {
  const auto& path = r.path;  // v1 dossiers [id [what]]
  if (path.size() == 2) return dossierList(r);
  const kj::StringPtr id = path[2].c_str();
  auto byId = [id](auto p) {
    p.setDossierId(id);
    return okStatus();
  };
  if (path.size() >= 4 && path[3] == "draft") return dossierDraft(r, id);
  if (path.size() >= 4 && path[3] == "documents") return dossierDocuments(r, id);
  if (path.size() == 4 && r.method == kj::HttpMethod::POST)
    return dossierWrite(r, id, path[3].c_str());
  if (path.size() == 3) {
    return serveRead<P::DossierParams, P::DossierResults>(
        r, byId, &Api::dossier, [](auto out) { return out.getDossier(); });
  }
  if (path.size() == 4 && path[3] == "timeline") {
    return serveRead<P::TimelineParams, P::TimelineResults>(r, byId, &Api::timeline, whole);
  }
  if (path.size() == 4 && path[3] == "answers") return dossierAnswers(r, id);
  if (path.size() == 4 && path[3] == "audit") {
    const auto format = r.param("format").value_or("json");
    if (format == "csv") return auditCsv(r, id, true);
    if (format != "json") return sendProblem(r, 400, "invalid_input", "format: json or csv");
    return serveRead<P::DossierAuditParams, P::DossierAuditResults>(
        r,
        [&r, id](auto p) {
          p.setDossierId(id);
          return auditPage(r, p);
        },
        &Api::dossierAudit, whole);
  }
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

// The answers as the JSON object they are (docs/forms.md), not as the text
// the RPC answer carries them in. Always the dossier's as submitted: the
// answers never change after the submission, so ?at= has nothing to add.
kj::Promise<void> HttpGateway::dossierAnswers(Request& r, kj::StringPtr id) {
  if (r.past) {
    return sendProblem(r, 400, "invalid_input",
                       "?at= and ?as_of= apply to the views, not to a dossier's answers "
                       "(they are the submission's, unchanged since)");
  }
  capnp::MallocMessageBuilder params;
  params.initRoot<P::AnswersParams>().setDossierId(id);
  capnp::MallocMessageBuilder results;
  auto out = results.initRoot<P::AnswersResults>();
  if (auto s = parts_.api.answers(*r.who, params.getRoot<P::AnswersParams>().asReader(), out); !s) {
    return sendProblem(r, s.error());
  }
  return sendBody(r, 200, "application/json",
                  kj::str("{\"dossierId\":", jsonString(id.cStr()).c_str(), ",\"answers\":",
                          out.getAnswers(), "}"));
}

kj::Promise<void> HttpGateway::dossierList(Request& r) {
  auto limit = r.numberParam("limit", 100, 10'000);
  if (!limit) return sendProblem(r, limit.error());
  capnp::MallocMessageBuilder params;
  auto query = params.initRoot<P::StatusParams>().initQuery();
  query.setCampaignId(r.param("campaign").value_or(""));
  query.setStatus(r.param("status").value_or(""));
  query.setAfter(r.param("after").value_or(""));
  query.setLimit(static_cast<std::uint32_t>(*limit == 0 ? 100 : *limit));
  capnp::MallocMessageBuilder results;
  auto out = results.initRoot<P::StatusResults>();
  // `q` is HTTP's own: the dashboard's search box.
  if (auto s = reader(r).status(*r.who, params.getRoot<P::StatusParams>().asReader(),
                                 r.param("q").value_or(""), out);
      !s) {
    return sendProblem(r, s.error());
  }
  return sendJson(r, out.getPage().asReader());
}

kj::Promise<void> HttpGateway::routeTimers(Request& r) {
  const auto& path = r.path;  // v1 timers [id action]
  if (path.size() == 4 && r.method == kj::HttpMethod::POST) {
    return timerWrite(r, path[2].c_str(), path[3].c_str());
  }
  if (path.size() != 2) {
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  }
  auto limit = r.numberParam("limit", 0, 1000);
  if (!limit) return sendProblem(r, limit.error());
  return serveRead<P::TimersParams, P::TimersResults>(
      r,
      [&r, limit = *limit](auto p) {
        p.setCampaignId(r.param("campaign").value_or(""));
        p.setDossierId(r.param("dossier").value_or(""));
        p.setDueBefore(r.param("due_before").value_or(""));
        p.setAfter(r.param("after").value_or(""));
        p.setLimit(static_cast<std::uint32_t>(limit));
        return okStatus();
      },
      &Api::timers, [](auto out) { return out.getPage(); });
}

kj::Promise<void> HttpGateway::auditCsv(Request& r, kj::StringPtr id, bool dossier) {
  auto after = r.numberParam("after", 0, UINT64_MAX);
  auto limit = r.numberParam("limit", 0, UINT32_MAX);
  if (!after) return sendProblem(r, after.error());
  if (!limit) return sendProblem(r, limit.error());
  const workflows::AuditQuery query{*after, *limit};
  auto entries = dossier ? reader(r).dossierAuditEntries(*r.who, id.cStr(), query)
                         : reader(r).campaignAuditEntries(*r.who, id.cStr(), query);
  if (!entries) return sendProblem(r, entries.error());
  return sendBody(r, 200, "text/csv; charset=utf-8",
                  kj::str(workflows::auditCsv(*entries).c_str()));
}

kj::Promise<void> HttpGateway::routeEvents(Request& r) {
  if (r.path.size() == 3 && r.path[2] == "stream") {
    return eventStream(r);
  }
  if (r.path.size() != 2)
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  return serveRead<P::EventsParams, P::EventsResults>(
      r,
      [&r](auto p) -> Status {
        auto from = r.numberParam("from", 0, UINT64_MAX);
        auto limit = r.numberParam("limit", 100, eventsPageMax);
        if (!from) return from.error();
        if (!limit) return limit.error();
        p.setFrom(*from);
        p.setLimit(static_cast<std::uint32_t>(*limit));
        r.fillFilter(p.initFilter());
        return okStatus();
      },
      &Api::events, [](auto out) { return out.getPage(); });
}

// ------------------------------------------------------------------ responses

kj::Promise<void> HttpGateway::sendBody(Request& r, unsigned status, kj::StringPtr contentType,
                                        kj::String body) {
  parts_.metrics.httpResponse(static_cast<int>(status));
  // The path only: query strings may carry an access token.
  parts_.logger->debug("http request method={} path={} status={} micros={} subject={}",
                       kj::str(r.method).cStr(), r.pathText().cStr(), status,
                       std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - r.started)
                           .count(),
                       r.who ? r.who->subject : "-");
  kj::HttpHeaders headers(table_);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, contentType);
  headers.set(cacheControl_, "no-store");
  // The position every answer reflects (a replica's may trail the primary's).
  headers.set(position_, kj::str(r.viewsAt.value_or(parts_.views.checkpoint())));
  headers.set(head_, kj::str(parts_.api.log().head()));
  if (status == 405 && r.allow) headers.set(allow_, kj::str(r.allow->c_str()));
  if (r.etag && status < 300) headers.set(etag_, kj::str(r.etag->c_str()));
  if (status == 503) headers.set(retryAfter_, "1");
  if (r.headOnly) {
    r.response.send(status, statusText(status), headers, body.size());
    return kj::READY_NOW;
  }
  auto stream = r.response.send(status, statusText(status), headers, body.size());
  auto written = stream->write(body.begin(), body.size());
  return written.attach(kj::mv(stream), kj::mv(body));
}

kj::Promise<void> HttpGateway::methodNotAllowed(Request& r, kj::StringPtr allow) {
  r.allow = allow.cStr();
  return sendProblem(r, 405, "method_not_allowed", kj::str("this resource allows ", allow));
}

kj::Promise<void> HttpGateway::sendProblem(Request& r, const Error& error) {
  return sendProblem(r, httpStatus(error.code), codeName(error), error.message.c_str(),
                     error.problems);
}

kj::Promise<void> HttpGateway::sendProblem(Request& r, unsigned status, kj::StringPtr code,
                                           kj::StringPtr detail,
                                           const std::vector<FieldProblem>& problems) {
  if (status >= 500) {
    parts_.logger->error("http {} {}: {}", status, r.pathText().cStr(), detail.cStr());
  }
  // RFC 9457: type, title, status, detail; `code` is ours (the CLI's words).
  std::string body = "{\"type\":\"https://parcours.dev/problems/" + std::string(code.cStr()) +
                     "\",\"title\":" + jsonString(statusText(status).cStr()) +
                     ",\"status\":" + std::to_string(status) +
                     ",\"code\":" + jsonString(code.cStr()) +
                     ",\"detail\":" + jsonString(detail.cStr());
  // Several problems found at once (a form's answers): each with the JSON
  // Pointer of the field it is about, RFC 9457's extension member "errors".
  if (!problems.empty()) {
    body += ",\"errors\":[";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      body += std::string(i == 0 ? "" : ",") + "{\"pointer\":" + jsonString(problems[i].pointer) +
              ",\"detail\":" + jsonString(problems[i].message) + "}";
    }
    body += "]";
  }
  body += "}";
  return sendBody(r, status, "application/problem+json", kj::str(body.c_str()));
}

}  // namespace parcours::adapters
