#include "webhook_service.h"

#include "../src/json_bounds.h"
#include "../src/server_limits.h"

#include <capnp/message.h>
#include <kj/compat/url.h>
#include <openssl/rand.h>

#include <set>

#include "parcours/adapters/webhooks.h"
#include "webhook_signing.h"

namespace parcours::adapters::webhooks {
namespace {

using nlohmann::json;

std::string newWebhookId() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "wh_";
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

Status checkWebhookUrl(const std::string& url) {
  if (url.empty()) return Error::invalidInput("url: required (http://host:port/path)");
  if (url.size() > webhookUrlBytesMax) {
    return Error::invalidInput("url: longer than " + std::to_string(webhookUrlBytesMax) +
                               " bytes");
  }
  KJ_IF_MAYBE (parsed, kj::Url::tryParse(kj::StringPtr(url.c_str()))) {
    if (parsed->scheme == "https") {
      return Error::invalidInput("url: \"" + url +
                                 "\": https is not supported yet (kj-tls is not available): "
                                 "use http:// to a local TLS proxy");
    }
    if (parsed->scheme != "http") {
      return Error::invalidInput("url: \"" + url + "\" is not an http:// URL");
    }
    if (parsed->host.size() == 0) return Error::invalidInput("url: \"" + url + "\" has no host");
    if (parsed->fragment != nullptr) {
      return Error::invalidInput("url: \"" + url + "\" has a fragment (#...): leave it out");
    }
    return okStatus();
  }
  return Error::invalidInput("url: \"" + url + "\" does not parse as a URL");
}

Result<EventFilter> readWebhookFilter(const json& in) {
  if (!in.is_object()) return Error::invalidInput("filter: must be an object");
  capnp::MallocMessageBuilder scratch;
  auto filter = scratch.initRoot<rpc::EventFilter>();
  for (const auto& [name, value] : in.items()) {
    if (name == "types") {
      if (!value.is_array()) return Error::invalidInput("filter.types: must be a list of event types");
      auto list = filter.initTypes(static_cast<unsigned>(value.size()));
      for (unsigned i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
          return Error::invalidInput("filter.types[" + std::to_string(i) + "]: must be a string");
        }
        list.set(i, value[i].get<std::string>());
      }
    } else if (name == "campaign" || name == "stream") {
      if (!value.is_string()) return Error::invalidInput("filter." + name + ": must be a string");
      if (name == "campaign") filter.setCampaignId(value.get<std::string>());
      if (name == "stream") filter.setStreamPrefix(value.get<std::string>());
    } else {
      return Error::invalidInput("filter." + name +
                                 ": unknown field (types, campaign, stream)");
    }
  }
  auto read = EventFilter::read(filter.asReader());
  if (!read) return Error::invalidInput("filter." + read.error().message);
  return read;
}

Result<std::uint64_t> readWebhookPosition(const std::string& field, const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    try {
      std::size_t used = 0;
      const auto n = std::stoull(text, &used);
      if (used == text.size() && !text.empty() && text[0] != '-') return n;
    } catch (const std::exception&) {
    }
  }
  return Error::invalidInput(field + ": must be a log position (a whole number)");
}

}  // namespace

Status mayManageWebhooks(const Principal& who) {
  if (who.has(Role::Administrator)) return okStatus();
  return Error::unauthorized("\"" + who.subject +
                             "\" may not manage webhooks: administrators only");
}

WebhookService::WebhookService(store::EventLog& log, WebhookStore& store,
                               WebhookDeliverer* deliverer)
    : log_(log), store_(store), deliverer_(deliverer) {}

Result<Subscription> WebhookService::existing(const std::string& id) const {
  auto found = store_.find(id);
  if (!found) return found.error();
  if (!*found) {
    return Error::notFound("no webhook \"" + id + "\" (list them with `parcours webhook list`)");
  }
  return std::move(**found);
}

Result<nlohmann::json> WebhookService::create(const Principal& who, std::string_view body) {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  // Bounded before nlohmann's recursive parser sees it, whatever the door
  // (HTTP or RPC).
  if (auto s = checkJsonBounds(body, jsonDepthMax); !s) return s.error();
  json in;
  try {
    in = json::parse(body);
  } catch (const json::exception& e) {
    return Error::invalidInput(std::string("the body is not valid JSON: ") + e.what());
  }
  if (!in.is_object()) return Error::invalidInput("the body must be a JSON object");
  Subscription s;
  store::Position cursor = log_.head();  // new events only, unless "after" says
  bool haveUrl = false;
  for (const auto& [name, value] : in.items()) {
    if (name == "url") {
      if (!value.is_string()) return Error::invalidInput("url: must be a string");
      s.url = value.get<std::string>();
      haveUrl = true;
    } else if (name == "filter") {
      auto filter = readWebhookFilter(value);
      if (!filter) return filter.error();
      s.filter = std::move(filter).value();
    } else if (name == "secret") {
      if (!value.is_string()) return Error::invalidInput("secret: must be a string");
      s.secret = value.get<std::string>();
      if (auto key = secretKey(s.secret); !key) return key.error();
    } else if (name == "description") {
      if (!value.is_string()) return Error::invalidInput("description: must be a string");
      s.description = value.get<std::string>();
      if (s.description.size() > webhookDescriptionBytesMax) {
        return Error::invalidInput("description: longer than " +
                                   std::to_string(webhookDescriptionBytesMax) + " bytes");
      }
    } else if (name == "after") {
      auto after = readWebhookPosition("after", value);
      if (!after) return after.error();
      if (*after > log_.head()) {
        return Error::invalidInput("after: " + std::to_string(*after) + " is past the log's head (" +
                                   std::to_string(log_.head()) + ")");
      }
      cursor = *after;
    } else {
      return Error::invalidInput("\"" + name +
                                 "\": unknown field (url, filter, secret, description, after)");
    }
  }
  if (!haveUrl) return Error::invalidInput("url: required (http://host:port/path)");
  if (auto ok = checkWebhookUrl(s.url); !ok) return ok.error();
  if (s.secret.empty()) s.secret = generateSecret();
  s.id = newWebhookId();
  s.createdAt = webhookNow();
  if (auto stored = store_.create(s, cursor); !stored) return stored.error();
  if (deliverer_) deliverer_->added(s, cursor);
  auto out = toJson(s);
  out["cursor"] = std::to_string(cursor);
  out["secret"] = s.secret;  // shown this once
  return out;
}

Result<nlohmann::json> WebhookService::list(const Principal& who) const {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  auto all = store_.list();
  if (!all) return all.error();
  json out = json::array();
  for (const auto& s : *all) {
    auto one = toJson(s);
    auto cursor = store_.cursor(s.id);
    if (!cursor) return cursor.error();
    one["cursor"] = std::to_string(*cursor);
    out.push_back(std::move(one));
  }
  return json{{"webhooks", out}, {"head", std::to_string(log_.head())}};
}

Result<nlohmann::json> WebhookService::show(const Principal& who, const std::string& id) const {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  auto s = existing(id);
  if (!s) return s.error();
  auto cursor = store_.cursor(id);
  if (!cursor) return cursor.error();
  std::size_t dead = 0;
  std::size_t parked = 0;
  store::Position after = 0;
  for (;;) {
    auto letters = store_.deadLetters(id, after, 1024);
    if (!letters) return letters.error();
    for (const auto& l : *letters) (l.parkedBehind == 0 ? dead : parked) += 1;
    if (letters->size() < 1024) break;
    after = letters->back().position;
  }
  auto out = toJson(*s);
  const store::Position head = log_.head();
  out["cursor"] = std::to_string(*cursor);
  out["head"] = std::to_string(head);
  out["lagEvents"] = head > *cursor ? head - *cursor : 0;
  out["deadLetters"] = dead;
  out["parked"] = parked;
  out["replayPending"] = store_.replayRequested(id) ? *store_.replayRequested(id) : false;
  if (deliverer_) {
    if (auto c = deliverer_->counters(id)) {
      out["delivery"] = {{"delivered", c->delivered},       {"failures", c->failures},
                         {"retries", c->retries},           {"deadLettered", c->deadLettered},
                         {"parked", c->parked}};
    }
  }
  return out;
}

Result<nlohmann::json> WebhookService::remove(const Principal& who, const std::string& id) {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  auto s = existing(id);
  if (!s) return s.error();
  if (deliverer_) deliverer_->removed(id);  // first: no delivery writes after this
  if (auto removed = store_.remove(id); !removed) return removed.error();
  return json{{"id", id}, {"removed", true}};
}

Result<nlohmann::json> WebhookService::deadLetters(const Principal& who, const std::string& id,
                                                   store::Position after,
                                                   std::size_t limit) const {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  if (auto s = existing(id); !s) return s.error();
  if (limit == 0) limit = 100;
  limit = std::min(limit, webhookPageMax);
  auto letters = store_.deadLetters(id, after, limit);
  if (!letters) return letters.error();
  json list = json::array();
  for (const auto& l : *letters) list.push_back(toJson(l));
  json next = nullptr;
  if (letters->size() == limit) {
    next = "/v1/webhooks/" + id + "/dead-letters?after=" +
           std::to_string(letters->back().position) + "&limit=" + std::to_string(limit);
  }
  return json{{"id", id}, {"deadLetters", list}, {"next", next}};
}

Result<nlohmann::json> WebhookService::replay(const Principal& who, const std::string& id) {
  if (auto s = mayManageWebhooks(who); !s) return s.error();
  if (auto s = existing(id); !s) return s.error();
  std::size_t count = 0;
  store::Position after = 0;
  for (;;) {
    auto letters = store_.deadLetters(id, after, 1024);
    if (!letters) return letters.error();
    count += letters->size();
    if (letters->size() < 1024) break;
    after = letters->back().position;
  }
  if (auto s = store_.requestReplay(id); !s) return s.error();
  if (deliverer_) deliverer_->replayRequested(id);
  return json{{"id", id}, {"replaying", count}, {"serverRunning", deliverer_ != nullptr}};
}

Result<Subscription> WebhookService::readable(const Principal& who, const std::string& id) const {
  if (!who.has(Role::Administrator) && !who.has(Role::Auditor) && !who.has(Role::Integrator)) {
    return Error::unauthorized("\"" + who.subject +
                               "\" may not read a webhook's events: administrators, auditors "
                               "and integrators only");
  }
  return existing(id);
}

Result<std::string> WebhookService::call(const Principal& who, const std::string& operation,
                                         const std::string& id, const std::string& body) {
  Result<json> answer = Error::invalidInput(
      "operation \"" + operation +
      "\": create, list, show, remove, dead-letters or replay");
  if (operation == "create") answer = create(who, body);
  if (operation == "list") answer = list(who);
  if (operation == "show") answer = show(who, id);
  if (operation == "remove") answer = remove(who, id);
  if (operation == "replay") answer = replay(who, id);
  if (operation == "dead-letters") {
    store::Position after = 0;
    std::size_t limit = 100;
    if (!body.empty()) {
      if (auto s = mayManageWebhooks(who); !s) return s.error();
      if (auto s = checkJsonBounds(body, jsonDepthMax); !s) return s.error();
      try {
        const auto page = json::parse(body);
        after = page.value("after", store::Position{0});
        limit = page.value("limit", std::size_t{100});
      } catch (const json::exception& e) {
        return Error::invalidInput(std::string("dead-letters: the page is not valid JSON: ") +
                                   e.what());
      }
    }
    answer = deadLetters(who, id, after, limit);
  }
  if (!answer) return answer.error();
  return answer->dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string WebhookService::renderMetrics() const {
  return deliverer_ ? deliverer_->renderMetrics(log_.head()) : std::string();
}

Result<std::unique_ptr<WebhookRuntime>> WebhookRuntime::start(
    store::EventLog& log, EventFeed& feed, kj::Timer& timer, kj::Network& network,
    const WebhookSettings& settings, std::shared_ptr<spdlog::logger> logger) {
  auto store = WebhookStore::open(log);
  if (!store) return store.error();
  auto runtime = std::unique_ptr<WebhookRuntime>(new WebhookRuntime());
  runtime->store_ = std::move(store).value();
  runtime->deliverer_ = std::make_unique<WebhookDeliverer>(log, feed, *runtime->store_, timer,
                                                           network, settings, std::move(logger));
  runtime->service_ =
      std::make_unique<WebhookService>(log, *runtime->store_, runtime->deliverer_.get());
  if (auto s = runtime->deliverer_->start(); !s) return s.error();
  return runtime;
}

}  // namespace parcours::adapters::webhooks

namespace parcours::adapters {

Result<std::string> webhookOperationOnStore(store::EventLog& log, const std::string& operation,
                                            const std::string& webhookId,
                                            const std::string& body) {
  auto store = webhooks::WebhookStore::open(log);
  if (!store) return store.error();
  webhooks::WebhookService service(log, **store, nullptr);
  const Principal local{"local", {Role::Administrator}};
  return service.call(local, operation, webhookId, body);
}

}  // namespace parcours::adapters
