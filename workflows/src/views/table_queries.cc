// The queries over the views' tables, wherever the tables come from: the
// live projections (Views) or tables built in memory for a past position
// (PastViews). Keys in views/keys.h.
#include "views/table_queries.h"

#include <algorithm>

#include "views/keys.h"
#include "views/row_codec.h"

namespace parcours::workflows {
namespace {

constexpr std::size_t scanPage = 1000;
constexpr std::size_t maxStatusLimit = 10'000;

// Every row under `prefix` after `startAfter`, at most `limit` (0: all).
Result<std::vector<store::Row>> scanRows(const store::Table& table, std::string_view prefix,
                                         std::string startAfter = {}, std::size_t limit = 0) {
  std::vector<store::Row> all;
  while (limit == 0 || all.size() < limit) {
    const std::size_t want = limit == 0 ? scanPage : std::min(scanPage, limit - all.size());
    auto rows = table.scan(prefix, startAfter, want);
    if (!rows) return std::move(rows).takeError();
    const std::size_t got = rows->size();
    for (auto& row : *rows) all.push_back(std::move(row));
    if (got < want) break;
    startAfter = all.back().first;
  }
  return all;
}

}  // namespace

store::Position ViewTables::checkpoint() const {
  store::Position lowest = UINT64_MAX;
  for (std::size_t i = 0; i < viewCount; ++i) {
    lowest = std::min(lowest, checkpoint(static_cast<ViewIndex>(i)));
  }
  return lowest;
}

// ------------------------------------------------------------------ campaigns

namespace {

std::string reflects(store::Position checkpoint) {
  return "the views reflect the log up to position " + std::to_string(checkpoint);
}

Status fillDossierCount(const store::Table& table, CampaignSummary& c) {
  const std::string key = views::totalCounterKey(c.campaignId);
  auto stored = table.get(key);
  if (!stored) return std::move(stored).takeError();
  c.dossiers = 0;
  if (stored->has_value()) {
    auto n = views::decodeCount(**stored, key);
    if (!n) return std::move(n).takeError();
    c.dossiers = *n;
  }
  return okStatus();
}

}  // namespace

Result<std::vector<CampaignSummary>> TableQueries::campaigns() const {
  auto table = tables_.table(campaignsView);
  if (!table) return std::move(table).takeError();
  auto rows = scanRows(**table, "i/");
  if (!rows) return std::move(rows).takeError();
  std::vector<CampaignSummary> out;
  out.reserve(rows->size());
  for (const auto& [key, value] : *rows) {
    auto c = views::decodeCampaignSummary(value, key);
    if (!c) return std::move(c).takeError();
    if (auto s = fillDossierCount(**table, *c); !s) return s.error();
    out.push_back(std::move(*c));
  }
  return out;
}

Result<CampaignSummary> TableQueries::campaign(std::string_view campaignId) const {
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  auto table = tables_.table(campaignsView);
  if (!table) return std::move(table).takeError();
  const std::string key = views::campaignInfoKey(campaignId);
  auto stored = (*table)->get(key);
  if (!stored) return std::move(stored).takeError();
  if (!stored->has_value()) {
    return Error::notFound("no campaign \"" + std::string(campaignId) + "\" (" +
                           reflects(tables_.checkpoint()) + "; `parcours campaign list` shows them all)");
  }
  auto c = views::decodeCampaignSummary(**stored, key);
  if (!c) return std::move(c).takeError();
  if (auto s = fillDossierCount(**table, *c); !s) return s.error();
  return c;
}

Result<CampaignStats> TableQueries::stats(std::string_view campaignId) const {
  auto summary = campaign(campaignId);
  if (!summary) return std::move(summary).takeError();
  auto table = tables_.table(campaignsView);
  if (!table) return std::move(table).takeError();
  const std::string prefix = views::counterPrefix(campaignId);
  auto rows = scanRows(**table, prefix);
  if (!rows) return std::move(rows).takeError();
  CampaignStats stats;
  stats.campaignId = summary->campaignId;
  stats.name = summary->name;
  for (const auto& [key, value] : *rows) {
    auto n = views::decodeCount(value, key);
    if (!n) return std::move(n).takeError();
    const std::string_view rest = std::string_view(key).substr(prefix.size());
    if (rest == "total") {
      stats.total = *n;
    } else if (rest.size() > 2 && rest[1] == '/') {
      const std::string name(rest.substr(2));
      switch (rest[0]) {
        case 's':
          stats.byStatus[name] = *n;
          break;
        case 'k':
          stats.byApplicantKind[name] = *n;
          break;
        case 'v':
          stats.byStrand[name] = *n;
          break;
        default:
          return Error::corruption("unknown counter row " + key);
      }
    } else {
      return Error::corruption("unknown counter row " + key);
    }
  }
  return stats;
}

Result<std::vector<LeaderboardEntry>> TableQueries::leaderboard(std::string_view campaignId) const {
  if (auto known = campaign(campaignId); !known) return std::move(known).takeError();
  auto table = tables_.table(campaignsView);
  if (!table) return std::move(table).takeError();
  auto rows = scanRows(**table, views::leaderboardPrefix(campaignId));
  if (!rows) return std::move(rows).takeError();
  std::vector<LeaderboardEntry> out;
  out.reserve(rows->size());
  for (const auto& [key, value] : *rows) {
    auto entry = views::decodeLeaderboardEntry(value, key);
    if (!entry) return std::move(entry).takeError();
    // Standard competition ranking: equal means share the better rank.
    entry->rank = !out.empty() && out.back().meanMilli == entry->meanMilli
                      ? out.back().rank
                      : static_cast<std::uint32_t>(out.size() + 1);
    out.push_back(std::move(*entry));
  }
  return out;
}

Result<Budget> TableQueries::budget(std::string_view campaignId) const {
  auto summary = campaign(campaignId);
  if (!summary) return std::move(summary).takeError();
  auto table = tables_.table(campaignsView);
  if (!table) return std::move(table).takeError();
  auto rows = scanRows(**table, views::grantPrefix(campaignId));
  if (!rows) return std::move(rows).takeError();
  Budget budget;
  budget.campaignId = summary->campaignId;
  budget.envelopeCents = summary->envelopeCents;
  budget.grantedCents = summary->grantedCents;
  budget.remainingCents = summary->envelopeCents - summary->grantedCents;
  for (const auto& [key, value] : *rows) {
    auto grant = views::decodeGrant(value, key);
    if (!grant) return std::move(grant).takeError();
    budget.grants.push_back(std::move(*grant));
  }
  return budget;
}

// ------------------------------------------------------------------ dossiers

Result<DossierRow> TableQueries::dossier(std::string_view dossierId) const {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  auto table = tables_.table(dossiersView);
  if (!table) return std::move(table).takeError();
  const std::string key = views::dossierKey(dossierId);
  auto stored = (*table)->get(key);
  if (!stored) return std::move(stored).takeError();
  if (!stored->has_value()) {
    return Error::notFound("no dossier \"" + std::string(dossierId) + "\" (" +
                           reflects(tables_.checkpoint()) + ")");
  }
  return views::decodeDossierRow(**stored, key);
}

// A dossier's trail: the positions its row lists, read from the campaign's
// audit entries. The two views may stand at different checkpoints while
// they follow the log: entries past the audit view's are left out until it
// catches up.
Result<std::vector<AuditEntry>> TableQueries::trail(std::string_view dossierId,
                                             const AuditQuery& query) const {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  auto dossiers = tables_.table(dossiersView);
  if (!dossiers) return std::move(dossiers).takeError();
  auto audit = tables_.table(auditView);
  if (!audit) return std::move(audit).takeError();
  const store::Position auditCheckpoint = tables_.checkpoint(auditView);
  const std::string key = views::dossierKey(dossierId);
  auto stored = (*dossiers)->get(key);
  if (!stored) return std::move(stored).takeError();
  if (!stored->has_value()) {
    return Error::notFound("no dossier \"" + std::string(dossierId) + "\" (" +
                           reflects(tables_.checkpoint()) + ")");
  }
  std::vector<store::Position> positions;
  auto row = views::decodeDossierRow(**stored, key, &positions);
  if (!row) return std::move(row).takeError();
  std::vector<AuditEntry> out;
  for (store::Position p : positions) {
    if (p <= query.after) continue;
    if (query.limit != 0 && out.size() >= query.limit) break;
    const std::string entryKey = views::campaignAuditKey(row->campaignId, p);
    auto entry = (*audit)->get(entryKey);
    if (!entry) return std::move(entry).takeError();
    if (!entry->has_value()) {
      if (p > auditCheckpoint) break;
      return Error::corruption("the audit view has no entry at position " + std::to_string(p) +
                               " for dossier " + std::string(dossierId) + ": rebuild the views");
    }
    auto decoded = views::decodeAuditEntry(**entry, entryKey);
    if (!decoded) return std::move(decoded).takeError();
    out.push_back(std::move(*decoded));
  }
  return out;
}

Result<std::vector<TimelineEntry>> TableQueries::timeline(std::string_view dossierId) const {
  auto trail = this->trail(dossierId, {});
  if (!trail) return std::move(trail).takeError();
  // The dossier's own stream: the campaign's decisions about it are in its
  // audit trail, with the campaign stream's versions.
  const std::string stream = dossierStream(dossierId);
  std::vector<TimelineEntry> out;
  out.reserve(trail->size());
  for (AuditEntry& e : *trail) {
    if (e.streamId != stream) continue;
    out.push_back({e.position, e.streamVersion, e.recordedAtMicros, std::move(e.eventType),
                   std::move(e.actor), std::move(e.reason), e.rulesVersion, std::move(e.summary)});
  }
  return out;
}

Result<StatusPage> ViewQueries::status(std::string_view campaignId,
                                       std::optional<DossierStatus> filter, std::string_view after,
                                       std::size_t limit) const {
  return status(StatusQuery{std::string(campaignId), filter, std::string(after), limit});
}

Result<StatusPage> TableQueries::status(const StatusQuery& query) const {
  if (query.limit == 0 || query.limit > maxStatusLimit) {
    return Error::invalidInput("a page holds 1 to " + std::to_string(maxStatusLimit) +
                               " dossiers, not " + std::to_string(query.limit));
  }
  if (query.status == DossierStatus::Absent) {
    return Error::invalidInput("no dossier is in the state \"absent\": choose another state");
  }
  if (!query.campaignId.empty()) {
    if (auto known = campaign(query.campaignId); !known) return std::move(known).takeError();
  }
  auto tableResult = tables_.table(dossiersView);
  if (!tableResult) return std::move(tableResult).takeError();
  const store::Table& table = **tableResult;

  const bool everyCampaign = query.campaignId.empty();
  const std::string prefix = everyCampaign  ? std::string("s/")
                             : query.status ? views::statusPrefix(query.campaignId, *query.status)
                                            : views::statusCampaignPrefix(query.campaignId);
  const std::string cursor = query.after.empty() ? std::string() : "s/" + query.after;
  if (!cursor.empty() && (!cursor.starts_with(prefix) || cursor.size() == prefix.size())) {
    return Error::invalidInput("the cursor \"" + query.after +
                               "\" does not come from this query: start again without it");
  }

  // One more than the page, to know whether another page follows.
  const std::size_t want = query.limit + 1;
  std::vector<std::string> keys;
  if (everyCampaign && query.status) {
    // Skip from campaign to campaign, reading only the wanted state's rows.
    std::string campaignId;
    if (cursor.empty()) {
      auto first = table.scan("s/", "", 1);
      if (!first) return std::move(first).takeError();
      if (!first->empty()) campaignId = views::keySegment(first->front().first, 2);
    } else {
      campaignId = views::keySegment(cursor, 2);
    }
    while (!campaignId.empty() && keys.size() < want) {
      const std::string statePrefix = views::statusPrefix(campaignId, *query.status);
      if (cursor.empty() || cursor < statePrefix || cursor.starts_with(statePrefix)) {
        const std::string from = cursor.starts_with(statePrefix) ? cursor : std::string();
        auto rows = table.scan(statePrefix, from, want - keys.size());
        if (!rows) return std::move(rows).takeError();
        for (auto& row : *rows) keys.push_back(std::move(row.first));
      }
      // '\xff' sorts after every key of this campaign: the next key is the
      // next campaign's first.
      auto next = table.scan("s/", views::statusCampaignPrefix(campaignId) + '\xff', 1);
      if (!next) return std::move(next).takeError();
      campaignId =
          next->empty() ? std::string() : std::string(views::keySegment(next->front().first, 2));
    }
  } else {
    auto rows = table.scan(prefix, cursor, want);
    if (!rows) return std::move(rows).takeError();
    for (auto& row : *rows) keys.push_back(std::move(row.first));
  }

  StatusPage page;
  if (keys.size() > query.limit) {
    keys.resize(query.limit);
    page.nextCursor = keys.back().substr(2);
  }
  page.rows.reserve(keys.size());
  for (const std::string& key : keys) {
    const std::string_view dossierId = std::string_view(key).substr(key.rfind('/') + 1);
    const std::string rowKey = views::dossierKey(dossierId);
    auto stored = table.get(rowKey);
    if (!stored) return std::move(stored).takeError();
    if (!stored->has_value()) {
      return Error::corruption("status index names dossier " + std::string(dossierId) +
                               " but the view has no row for it");
    }
    auto row = views::decodeDossierRow(**stored, rowKey);
    if (!row) return std::move(row).takeError();
    page.rows.push_back(std::move(*row));
  }
  return page;
}

// ------------------------------------------------------------------ audit

Result<std::vector<AuditEntry>> TableQueries::campaignAudit(std::string_view campaignId,
                                                     const AuditQuery& query) const {
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  auto table = tables_.table(auditView);
  if (!table) return std::move(table).takeError();
  const std::string prefix = views::campaignAuditPrefix(campaignId);
  auto rows =
      scanRows(**table, prefix,
               query.after == 0 ? std::string() : views::campaignAuditKey(campaignId, query.after),
               query.limit);
  if (!rows) return std::move(rows).takeError();
  if (rows->empty()) {
    auto any = (*table)->scan(prefix, "", 1);
    if (!any) return std::move(any).takeError();
    if (any->empty()) {
      return Error::notFound("no campaign \"" + std::string(campaignId) +
                             "\" in the audit trail (" + reflects(tables_.checkpoint()) + ")");
    }
  }
  std::vector<AuditEntry> out;
  out.reserve(rows->size());
  for (const auto& [key, value] : *rows) {
    auto entry = views::decodeAuditEntry(value, key);
    if (!entry) return std::move(entry).takeError();
    out.push_back(std::move(*entry));
  }
  return out;
}

Result<std::vector<AuditEntry>> TableQueries::dossierAudit(std::string_view dossierId,
                                                    const AuditQuery& query) const {
  return trail(dossierId, query);
}

}  // namespace parcours::workflows
