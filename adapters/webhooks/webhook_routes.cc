// /v1/webhooks: the webhook subscriptions over HTTP (docs/webhooks.md).
//   POST   /v1/webhooks                              create (201, with the secret)
//   GET    /v1/webhooks                              list
//   GET    /v1/webhooks/{id}                         show: cursor, lag, dead letters
//   DELETE /v1/webhooks/{id}                         remove
//   GET    /v1/webhooks/{id}/dead-letters            ?after=&limit=, with a next link
//   POST   /v1/webhooks/{id}/dead-letters/replay     re-deliver them in order (202)
//   GET    /v1/webhooks/{id}/events                  ?after=&limit=: what the
//          subscription's filter selects, to re-read what a receiver missed
#include <nlohmann/json.hpp>

#include "../http/http_gateway.h"
#include "../http/http_request.h"
#include "webhook_service.h"

namespace parcours::adapters {
namespace {

std::string webhookJsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

kj::Promise<void> HttpGateway::sendWebhookJson(Request& r, unsigned status,
                                               const Result<nlohmann::json>& result) {
  if (!result) return sendProblem(r, result.error());
  return sendBody(r, status, "application/json", kj::str(webhookJsonText(*result).c_str()));
}

kj::Promise<void> HttpGateway::routeWebhooks(Request& r) {
  if (parts_.webhooks == nullptr) {
    return sendProblem(r, 503, "unavailable", "webhooks are not running on this server");
  }
  webhooks::WebhookService& service = *parts_.webhooks;
  const auto& path = r.path;  // v1 webhooks [id [dead-letters [replay] | events]]
  const Principal& who = *r.who;
  if (path.size() == 2) {
    if (r.method == kj::HttpMethod::GET) return sendWebhookJson(r, 200, service.list(who));
    // POST (http_routes.h lets no other method through).
    // The role first: a refused caller's body is not even read.
    if (auto s = webhooks::mayManageWebhooks(who); !s) return sendProblem(r, s.error());
    KJ_IF_MAYBE (length, r.body.tryGetLength()) {
      if (*length > httpBodyBytesMax) {
        return sendProblem(r, 413, "too_large",
                           kj::str("the body is over ", httpBodyBytesMax, " bytes"));
      }
    }
    return r.body.readAllText(httpBodyBytesMax)
        .then(
            [this, &r, &service](kj::String text) -> kj::Promise<void> {
              auto created = service.create(*r.who, std::string_view(text.cStr(), text.size()));
              return sendWebhookJson(r, 201, created);
            },
            [this, &r](kj::Exception&& e) -> kj::Promise<void> {
              return sendProblem(r, 413, "too_large",
                                 kj::str("the body could not be read within ", httpBodyBytesMax,
                                         " bytes: ", kjMessage(e).c_str()));
            });
  }
  const std::string id = path[2];
  if (path.size() == 3) {
    if (r.method == kj::HttpMethod::GET) return sendWebhookJson(r, 200, service.show(who, id));
    return sendWebhookJson(r, 200, service.remove(who, id));  // DELETE
  }
  if (path.size() == 4 && path[3] == "dead-letters") {
    auto after = r.numberParam("after", 0, UINT64_MAX);
    auto limit = r.numberParam("limit", 100, webhookPageMax);
    if (!after) return sendProblem(r, after.error());
    if (!limit) return sendProblem(r, limit.error());
    return sendWebhookJson(r, 200, service.deadLetters(who, id, *after, *limit));
  }
  if (path.size() == 5 && path[3] == "dead-letters" && path[4] == "replay") {
    return sendWebhookJson(r, 202, service.replay(who, id));
  }
  if (path.size() == 4 && path[3] == "events") {
    return webhookEvents(r, id);
  }
  return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
}

kj::Promise<void> HttpGateway::webhookEvents(Request& r, const std::string& id) {
  auto subscription = parts_.webhooks->readable(*r.who, id);
  if (!subscription) return sendProblem(r, subscription.error());
  auto after = r.numberParam("after", 0, UINT64_MAX - 1);
  auto limit = r.numberParam("limit", 100, webhookPageMax);
  if (!after) return sendProblem(r, after.error());
  if (!limit) return sendProblem(r, limit.error());
  const std::size_t max = *limit == 0 ? 100 : *limit;
  store::EventLog& log = parts_.api.log();
  const store::Position head = log.head();
  // The events the filter selects after `after`; at most `max`, and at
  // most webhookEventsScanMax examined: `next` resumes either way.
  std::string events = "[";
  std::size_t kept = 0;
  std::size_t examined = 0;
  store::Position next = *after + 1;
  while (kept < max && examined < webhookEventsScanMax && next <= head) {
    Status failed = okStatus();
    auto last = log.scanAll(next, std::min<std::size_t>(max - kept, 1024),
                            [&](const store::EventView& event) -> Status {
                              ++examined;
                              auto encoded = parts_.feed.encode(event);
                              if (!encoded) return okStatus();  // `verify` names it
                              const FeedEvent& e = **encoded;
                              if (subscription->filter.matches(e.type, e.streamId, e.campaignId)) {
                                if (kept++ > 0) events += ",";
                                events += e.json;
                              }
                              return okStatus();
                            });
    if (!last) return sendProblem(r, last.error());
    if (*last == 0) break;
    next = *last + 1;
  }
  events += "]";
  const store::Position through = next - 1;  // everything up to here was examined
  std::string body = "{\"id\":" + webhookJsonText(id) + ",\"events\":" + events +
                     ",\"after\":\"" + std::to_string(*after) + "\",\"head\":\"" +
                     std::to_string(head) + "\",\"next\":";
  if (through < head) {
    body += webhookJsonText("/v1/webhooks/" + id + "/events?after=" + std::to_string(through) +
                            "&limit=" + std::to_string(max));
  } else {
    body += "null";
  }
  body += ",\"through\":\"" + std::to_string(through) + "\"}";
  return sendBody(r, 200, "application/json", kj::str(body.c_str()));
}

}  // namespace parcours::adapters
