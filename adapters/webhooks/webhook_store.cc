#include "webhook_store.h"

#include <chrono>
#include <cstdio>

#include "parcours/workflows/zoned_time.h"

namespace parcours::adapters::webhooks {
namespace {

std::string subscriptionKey(const std::string& id) { return "s/" + id; }
std::string cursorKey(const std::string& id) { return "c/" + id; }
std::string replayKey(const std::string& id) { return "r/" + id; }
std::string deadPrefix(const std::string& id) { return "d/" + id + "/"; }
std::string deadKey(const std::string& id, store::Position position) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(position));
  return deadPrefix(id) + digits;
}

Result<Subscription> readSubscription(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    Subscription s;
    s.id = j.at("id").get<std::string>();
    s.url = j.at("url").get<std::string>();
    s.secret = j.at("secret").get<std::string>();
    s.description = j.value("description", "");
    s.createdAt = j.value("createdAt", "");
    const auto& f = j.at("filter");
    s.filter.types = f.value("types", std::vector<std::string>{});
    s.filter.campaignId = f.value("campaign", "");
    s.filter.streamPrefix = f.value("stream", "");
    return s;
  } catch (const nlohmann::json::exception& e) {
    return Error::corruption(std::string("a webhook subscription does not read: ") + e.what());
  }
}

Result<DeadLetter> readDeadLetter(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    DeadLetter d;
    d.position = std::stoull(j.at("position").get<std::string>());
    d.streamId = j.at("streamId").get<std::string>();
    d.type = j.at("type").get<std::string>();
    d.attempts = j.at("attempts").get<std::uint32_t>();
    d.lastError = j.value("lastError", "");
    d.deadAt = j.value("deadAt", "");
    d.parkedBehind = std::stoull(j.value("parkedBehind", std::string("0")));
    return d;
  } catch (const std::exception& e) {
    return Error::corruption(std::string("a webhook dead letter does not read: ") + e.what());
  }
}

nlohmann::json filterJson(const EventFilter& f) {
  return {{"types", f.types}, {"campaign", f.campaignId}, {"stream", f.streamPrefix}};
}

}  // namespace

nlohmann::json toJson(const Subscription& s) {
  return {{"id", s.id},
          {"url", s.url},
          {"filter", filterJson(s.filter)},
          {"description", s.description},
          {"createdAt", s.createdAt}};
}

nlohmann::json toJson(const DeadLetter& d) {
  // Positions as strings, as every 64-bit integer of the HTTP API.
  return {{"position", std::to_string(d.position)},
          {"streamId", d.streamId},
          {"type", d.type},
          {"attempts", d.attempts},
          {"lastError", d.lastError},
          {"deadAt", d.deadAt},
          {"parkedBehind", std::to_string(d.parkedBehind)}};
}

std::string webhookNow() {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return workflows::formatUtc(micros);
}

Result<std::unique_ptr<WebhookStore>> WebhookStore::open(store::EventLog& log) {
  auto table = log.openTable("webhooks");
  if (!table) return table.error();
  return std::unique_ptr<WebhookStore>(new WebhookStore(std::move(table).value()));
}

Status WebhookStore::create(const Subscription& s, store::Position cursor) {
  auto stored = toJson(s);
  stored["secret"] = s.secret;
  auto batch = table_->newBatch();
  batch->put(subscriptionKey(s.id), stored.dump());
  batch->put(cursorKey(s.id), std::to_string(cursor));
  return table_->commit(*batch);
}

Result<std::optional<Subscription>> WebhookStore::find(const std::string& id) const {
  auto row = table_->get(subscriptionKey(id));
  if (!row) return row.error();
  if (!*row) return std::optional<Subscription>();
  auto s = readSubscription(**row);
  if (!s) return s.error();
  return std::optional<Subscription>(std::move(s).value());
}

Result<std::vector<Subscription>> WebhookStore::list() const {
  std::vector<Subscription> out;
  std::string after;
  for (;;) {
    auto rows = table_->scan("s/", after, 256);
    if (!rows) return rows.error();
    for (const auto& [key, value] : *rows) {
      auto s = readSubscription(value);
      if (!s) return s.error();
      out.push_back(std::move(s).value());
    }
    if (rows->size() < 256) break;
    after = rows->back().first;
  }
  return out;
}

Status WebhookStore::remove(const std::string& id) {
  auto batch = table_->newBatch();
  batch->remove(subscriptionKey(id));
  batch->remove(cursorKey(id));
  batch->remove(replayKey(id));
  std::string after;
  for (;;) {
    auto rows = table_->scan(deadPrefix(id), after, 1024);
    if (!rows) return rows.error();
    for (const auto& row : *rows) batch->remove(row.first);
    if (rows->size() < 1024) break;
    after = rows->back().first;
  }
  return table_->commit(*batch);
}

Result<store::Position> WebhookStore::cursor(const std::string& id) const {
  auto row = table_->get(cursorKey(id));
  if (!row) return row.error();
  if (!*row) return Error::notFound("webhook " + id + " has no cursor");
  return static_cast<store::Position>(std::stoull(**row));
}

Status WebhookStore::setCursor(const std::string& id, store::Position cursor) {
  auto batch = table_->newBatch();
  batch->put(cursorKey(id), std::to_string(cursor));
  return table_->commit(*batch);
}

Status WebhookStore::deadLetter(const std::string& id, const DeadLetter& letter,
                                bool moveCursor) {
  auto batch = table_->newBatch();
  batch->put(deadKey(id, letter.position), toJson(letter).dump());
  if (moveCursor) batch->put(cursorKey(id), std::to_string(letter.position));
  return table_->commit(*batch);
}

Status WebhookStore::forgetDeadLetter(const std::string& id, store::Position position) {
  auto batch = table_->newBatch();
  batch->remove(deadKey(id, position));
  return table_->commit(*batch);
}

Result<std::vector<DeadLetter>> WebhookStore::deadLetters(const std::string& id,
                                                          store::Position after,
                                                          std::size_t limit) const {
  auto rows = table_->scan(deadPrefix(id), after == 0 ? "" : deadKey(id, after), limit);
  if (!rows) return rows.error();
  std::vector<DeadLetter> out;
  for (const auto& [key, value] : *rows) {
    auto d = readDeadLetter(value);
    if (!d) return d.error();
    out.push_back(std::move(d).value());
  }
  return out;
}

Status WebhookStore::requestReplay(const std::string& id) {
  auto batch = table_->newBatch();
  batch->put(replayKey(id), "1");
  return table_->commit(*batch);
}

Result<bool> WebhookStore::replayRequested(const std::string& id) const {
  auto row = table_->get(replayKey(id));
  if (!row) return row.error();
  return row->has_value();
}

Status WebhookStore::clearReplay(const std::string& id) {
  auto batch = table_->newBatch();
  batch->remove(replayKey(id));
  return table_->commit(*batch);
}

}  // namespace parcours::adapters::webhooks
