#include "http_gateway.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "../src/api_convert.h"
#include "http_request.h"
#include "static_assets.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

unsigned httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::RefusedByRule: return 422;
    case ErrorCode::Unauthorized: return 403;
    case ErrorCode::IoError: return 503;
    case ErrorCode::Corruption:
    case ErrorCode::Internal: return 500;
  }
  return 500;
}

kj::StringPtr statusText(unsigned status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

// The problem's `code` for a status the error classes do not cover.
kj::StringPtr codeName(const Error& error) {
  if (error.code == ErrorCode::Unauthorized) return "forbidden";
  return kj::StringPtr(errorCodeName(error.code).data());
}

std::string jsonString(std::string_view text) {
  // Replaces invalid UTF-8 (a detail may quote the bad input) rather than throw.
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

}  // namespace

HttpGateway::HttpGateway(ServerParts& parts, kj::HttpHeaderTable::Builder& tableBuilder)
    : parts_(parts),
      authorization_(tableBuilder.add("Authorization")),
      idempotencyKey_(tableBuilder.add("Idempotency-Key")),
      lastEventId_(tableBuilder.add("Last-Event-ID")),
      cacheControl_(tableBuilder.add("Cache-Control")),
      allow_(tableBuilder.add("Allow")),
      table_(tableBuilder.getFutureTable()) {
  json_.handleByAnnotation<rpc::Event>();
  json_.handleByAnnotation<rpc::EventPage>();
  json_.setRejectUnknownFields(true);
}

kj::Promise<void> HttpGateway::request(kj::HttpMethod method, kj::StringPtr url,
                                       const kj::HttpHeaders& headers,
                                       kj::AsyncInputStream& requestBody, Response& response) {
  auto r = kj::heap<Request>(method, headers, requestBody, response);
  Request& ref = *r;
  KJ_IF_MAYBE(parsed, kj::Url::tryParse(url, kj::Url::HTTP_REQUEST)) {
    ref.url = kj::mv(*parsed);
  } else {
    return sendProblem(ref, 400, "invalid_input", "the request's URL does not parse").attach(kj::mv(r));
  }
  for (auto& segment : ref.url.path) ref.path.push_back(segment.cStr());
  return route(ref).attach(kj::mv(r));
}

std::optional<Principal> HttpGateway::authenticate(const Request& r, bool allowQueryToken) const {
  KJ_IF_MAYBE(header, r.headers.get(authorization_)) {
    std::string_view value(header->cStr(), header->size());
    constexpr std::string_view scheme = "Bearer ";
    if (value.substr(0, scheme.size()) != scheme) return std::nullopt;
    return parts_.tokens.authenticate(value.substr(scheme.size()));
  }
  if (allowQueryToken) {
    if (auto token = r.param("access_token")) return parts_.tokens.authenticate(*token);
  }
  return std::nullopt;
}

kj::Promise<void> HttpGateway::route(Request& r) {
  const auto& path = r.path;
  if (path.empty() || path[0] != "v1") return serveOperations(r);
  if (path.size() == 2 && path[1] == "openapi.json") {
    if (r.method != kj::HttpMethod::GET) return sendProblem(r, 405, "method_not_allowed", "GET only");
    return sendBody(r, 200, "application/json", kj::str(assets::openapiJson()));
  }
  const bool stream = path.size() == 3 && path[1] == "events" && path[2] == "stream";
  r.who = authenticate(r, stream);
  if (!r.who) {
    const bool presented = r.headers.get(authorization_) != nullptr || r.param("access_token");
    return sendProblem(r, 401, "unauthenticated",
                       presented ? "the bearer token is not known"
                                 : "send Authorization: Bearer <token>");
  }
  if (!parts_.ready.load()) {
    return sendProblem(r, 503, "unavailable", "the server is starting or shutting down");
  }
  if (path.size() >= 2 && path[1] == "campaigns") return routeCampaigns(r);
  if (path.size() >= 2 && path[1] == "dossiers") return routeDossiers(r);
  if (path.size() >= 2 && path[1] == "events") return routeEvents(r);
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::serveOperations(Request& r) {
  if (r.method != kj::HttpMethod::GET && r.method != kj::HttpMethod::HEAD) {
    return sendProblem(r, 405, "method_not_allowed", "GET only");
  }
  const std::string name = r.path.empty() ? "" : r.path[0];
  if (r.path.size() <= 1) {
    if (name == "healthz") return sendBody(r, 200, "text/plain", kj::str("ok\n"));
    if (name == "readyz") {
      const bool ready = parts_.ready.load() && !parts_.api.log().readOnly();
      if (ready) return sendBody(r, 200, "text/plain", kj::str("ready\n"));
      return sendProblem(r, 503, "unavailable",
                         parts_.api.log().readOnly() ? "the store turned read-only"
                                                     : "starting or shutting down");
    }
    if (name == "metrics") {
      auto& log = parts_.api.log();
      return sendBody(r, 200, "text/plain; version=0.0.4",
                      kj::str(parts_.metrics
                                  .render(log.stats(), log.head(), parts_.views.checkpoint())
                                  .c_str()));
    }
    if (auto asset = assets::dashboardFile(name.empty() ? "index.html" : name)) {
      return sendBody(r, 200, kj::StringPtr(asset->contentType), kj::str(asset->body));
    }
  }
  return sendProblem(r, 404, "not_found", kj::str("no such page: ", r.pathText()));
}

// ------------------------------------------------------------------ reads

namespace {

// Runs a read of the Api into a fresh Results message.
template <typename Results, typename Fn>
Result<kj::Own<capnp::MallocMessageBuilder>> runRead(Fn&& read) {
  auto message = kj::heap<capnp::MallocMessageBuilder>();
  auto results = message->initRoot<Results>();
  if (auto s = read(results); !s) return s.error();
  return message;
}

}  // namespace

kj::Promise<void> HttpGateway::routeCampaigns(Request& r) {
  const auto& path = r.path;  // v1 campaigns [id [what]]
  const Principal& who = *r.who;
  Api& api = parts_.api;
  if (path.size() == 2) {
    if (r.method != kj::HttpMethod::GET) return sendProblem(r, 405, "method_not_allowed", "GET");
    auto m = runRead<P::CampaignsResults>([&](auto out) { return api.campaigns(who, out); });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::CampaignsResults>().asReader());
  }
  const kj::StringPtr id = path[2].c_str();
  if (path.size() == 3) {
    if (r.method == kj::HttpMethod::POST) return campaignWrite(r, id, "open");
    if (r.method != kj::HttpMethod::GET) {
      return sendProblem(r, 405, "method_not_allowed", "GET, or POST to open");
    }
    capnp::MallocMessageBuilder params;
    params.initRoot<P::CampaignParams>().setCampaignId(id);
    auto m = runRead<P::CampaignResults>([&](auto out) {
      return api.campaign(who, params.getRoot<P::CampaignParams>().asReader(), out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::CampaignResults>().getCampaign().asReader());
  }
  if (path.size() != 4) return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  const std::string& what = path[3];
  if (what == "rules" || what == "jury") {
    if (r.method != kj::HttpMethod::PUT) return sendProblem(r, 405, "method_not_allowed", "PUT");
    return campaignWrite(r, id, what.c_str());
  }
  if (what == "conflicts" || what == "phase" || what == "budget") {
    if (what == "budget" && r.method == kj::HttpMethod::GET) {
      capnp::MallocMessageBuilder params;
      params.initRoot<P::BudgetParams>().setCampaignId(id);
      auto m = runRead<P::BudgetResults>([&](auto out) {
        return api.budget(who, params.getRoot<P::BudgetParams>().asReader(), out);
      });
      if (!m) return sendProblem(r, m.error());
      return sendJson(r, (*m)->getRoot<P::BudgetResults>().getBudget().asReader());
    }
    if (r.method != kj::HttpMethod::POST) return sendProblem(r, 405, "method_not_allowed", "POST");
    return campaignWrite(r, id, what.c_str());
  }
  if (r.method != kj::HttpMethod::GET) return sendProblem(r, 405, "method_not_allowed", "GET");
  if (what == "stats") {
    capnp::MallocMessageBuilder params;
    params.initRoot<P::StatsParams>().setCampaignId(id);
    auto m = runRead<P::StatsResults>([&](auto out) {
      return api.stats(who, params.getRoot<P::StatsParams>().asReader(), out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::StatsResults>().getStats().asReader());
  }
  if (what == "leaderboard") {
    capnp::MallocMessageBuilder params;
    params.initRoot<P::LeaderboardParams>().setCampaignId(id);
    auto m = runRead<P::LeaderboardResults>([&](auto out) {
      return api.leaderboard(who, params.getRoot<P::LeaderboardParams>().asReader(), out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::LeaderboardResults>().asReader());
  }
  if (what == "audit") {
    auto after = r.numberParam("after", 0, UINT64_MAX);
    auto limit = r.numberParam("limit", 0, UINT32_MAX);
    if (!after) return sendProblem(r, after.error());
    if (!limit) return sendProblem(r, limit.error());
    const auto format = r.param("format").value_or("json");
    if (format == "csv") {
      auto entries = api.campaignAuditEntries(who, id.cStr(), {*after, *limit});
      if (!entries) return sendProblem(r, entries.error());
      return sendBody(r, 200, "text/csv; charset=utf-8",
                      kj::str(workflows::auditCsv(*entries).c_str()));
    }
    if (format != "json") return sendProblem(r, 400, "invalid_input", "format: json or csv");
    capnp::MallocMessageBuilder params;
    auto p = params.initRoot<P::CampaignAuditParams>();
    p.setCampaignId(id);
    p.setAfter(*after);
    p.setLimit(static_cast<std::uint32_t>(*limit));
    auto m = runRead<P::CampaignAuditResults>(
        [&](auto out) { return api.campaignAudit(who, p.asReader(), out); });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::CampaignAuditResults>().asReader());
  }
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::routeDossiers(Request& r) {
  const auto& path = r.path;  // v1 dossiers [id [what]]
  const Principal& who = *r.who;
  Api& api = parts_.api;
  if (path.size() == 2) {
    if (r.method != kj::HttpMethod::GET) return sendProblem(r, 405, "method_not_allowed", "GET");
    auto limit = r.numberParam("limit", 100, 10'000);
    if (!limit) return sendProblem(r, limit.error());
    capnp::MallocMessageBuilder params;
    auto query = params.initRoot<P::StatusParams>().initQuery();
    query.setCampaignId(r.param("campaign").value_or(""));
    query.setStatus(r.param("status").value_or(""));
    query.setAfter(r.param("after").value_or(""));
    query.setLimit(static_cast<std::uint32_t>(*limit == 0 ? 100 : *limit));
    const std::string search = r.param("q").value_or("");
    auto m = runRead<P::StatusResults>([&](auto out) {
      return api.status(who, params.getRoot<P::StatusParams>().asReader(), search, out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::StatusResults>().getPage().asReader());
  }
  const kj::StringPtr id = path[2].c_str();
  if (path.size() == 4 && r.method == kj::HttpMethod::POST) return dossierWrite(r, id, path[3].c_str());
  if (r.method != kj::HttpMethod::GET) {
    return sendProblem(r, 405, "method_not_allowed", path.size() == 4 ? "GET or POST" : "GET");
  }
  if (path.size() == 3) {
    capnp::MallocMessageBuilder params;
    params.initRoot<P::DossierParams>().setDossierId(id);
    auto m = runRead<P::DossierResults>([&](auto out) {
      return api.dossier(who, params.getRoot<P::DossierParams>().asReader(), out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::DossierResults>().getDossier().asReader());
  }
  if (path.size() == 4 && path[3] == "timeline") {
    capnp::MallocMessageBuilder params;
    params.initRoot<P::TimelineParams>().setDossierId(id);
    auto m = runRead<P::TimelineResults>([&](auto out) {
      return api.timeline(who, params.getRoot<P::TimelineParams>().asReader(), out);
    });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::TimelineResults>().asReader());
  }
  if (path.size() == 4 && path[3] == "audit") {
    auto after = r.numberParam("after", 0, UINT64_MAX);
    auto limit = r.numberParam("limit", 0, UINT32_MAX);
    if (!after) return sendProblem(r, after.error());
    if (!limit) return sendProblem(r, limit.error());
    const auto format = r.param("format").value_or("json");
    if (format == "csv") {
      auto entries = api.dossierAuditEntries(who, id.cStr(), {*after, *limit});
      if (!entries) return sendProblem(r, entries.error());
      return sendBody(r, 200, "text/csv; charset=utf-8",
                      kj::str(workflows::auditCsv(*entries).c_str()));
    }
    if (format != "json") return sendProblem(r, 400, "invalid_input", "format: json or csv");
    capnp::MallocMessageBuilder params;
    auto p = params.initRoot<P::DossierAuditParams>();
    p.setDossierId(id);
    p.setAfter(*after);
    p.setLimit(static_cast<std::uint32_t>(*limit));
    auto m = runRead<P::DossierAuditResults>(
        [&](auto out) { return api.dossierAudit(who, p.asReader(), out); });
    if (!m) return sendProblem(r, m.error());
    return sendJson(r, (*m)->getRoot<P::DossierAuditResults>().asReader());
  }
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::routeEvents(Request& r) {
  if (r.method != kj::HttpMethod::GET) return sendProblem(r, 405, "method_not_allowed", "GET");
  if (r.path.size() == 3 && r.path[2] == "stream") return eventStream(r);
  if (r.path.size() != 2) return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  auto from = r.numberParam("from", 0, UINT64_MAX);
  auto limit = r.numberParam("limit", 100, 1000);
  if (!from) return sendProblem(r, from.error());
  if (!limit) return sendProblem(r, limit.error());
  capnp::MallocMessageBuilder params;
  auto p = params.initRoot<P::EventsParams>();
  p.setFrom(*from);
  p.setLimit(static_cast<std::uint32_t>(*limit));
  r.fillFilter(p.initFilter());
  auto m = runRead<P::EventsResults>(
      [&](auto out) { return parts_.api.events(*r.who, p.asReader(), out); });
  if (!m) return sendProblem(r, m.error());
  return sendJson(r, (*m)->getRoot<P::EventsResults>().getPage().asReader());
}

// ------------------------------------------------------------------ responses

kj::Promise<void> HttpGateway::sendBody(Request& r, unsigned status, kj::StringPtr contentType,
                                        kj::String body) {
  parts_.metrics.httpResponse(static_cast<int>(status));
  kj::HttpHeaders headers(table_);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, contentType);
  headers.set(cacheControl_, "no-store");
  if (r.method == kj::HttpMethod::HEAD) {
    r.response.send(status, statusText(status), headers, body.size());
    return kj::READY_NOW;
  }
  auto stream = r.response.send(status, statusText(status), headers, body.size());
  auto written = stream->write(body.begin(), body.size());
  return written.attach(kj::mv(stream), kj::mv(body));
}

kj::Promise<void> HttpGateway::sendProblem(Request& r, const Error& error) {
  return sendProblem(r, httpStatus(error.code), codeName(error), error.message.c_str());
}

kj::Promise<void> HttpGateway::sendProblem(Request& r, unsigned status, kj::StringPtr code,
                                           kj::StringPtr detail) {
  if (status >= 500) {
    parts_.logger->error("http {} {}: {}", status, r.pathText().cStr(), detail.cStr());
  }
  // RFC 9457: type, title, status, detail; `code` is ours (the CLI's words).
  std::string body = "{\"type\":\"https://parcours.dev/problems/" + std::string(code.cStr()) +
                     "\",\"title\":" + jsonString(statusText(status).cStr()) +
                     ",\"status\":" + std::to_string(status) + ",\"code\":" +
                     jsonString(code.cStr()) + ",\"detail\":" + jsonString(detail.cStr()) + "}";
  return sendBody(r, status, "application/problem+json", kj::str(body.c_str()));
}

}  // namespace parcours::adapters
