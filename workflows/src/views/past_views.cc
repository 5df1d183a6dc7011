#include "parcours/workflows/past_views.h"

#include <algorithm>

#include "parcours/store/memory_table.h"
#include "parcours/workflows/domain_events.h"
#include "views/event_summary.h"
#include "views/table_queries.h"

namespace parcours::workflows {
namespace {

constexpr std::size_t readChunk = 10'000;

// A campaign event that concerns one dossier (a conflict of interest, a
// funding commitment) other than `dossierId`: a dossier's scope leaves it
// out, as it leaves out the other dossiers' streams.
Result<bool> aboutAnotherDossier(const store::EventView& e, std::string_view dossierId) {
  if (!views::concernsOneDossier(e.eventType)) {
    return false;
  }
  using C = schema::CampaignEvent;
  bool other = false;
  auto s = readPayload<C>(e.payload, e.eventType, [&](C::Reader c) -> Status {
    other = views::concernedDossier(c) != dossierId;
    return okStatus();
  });
  if (!s) return s.error();
  return other;
}

}  // namespace

struct PastViews::Parts final : ViewTables {
  Parts() : queries(*this) {
    for (std::size_t i = 0; i < viewCount; ++i) {
      tables[i] = std::make_shared<store::MemoryTable>("past");
    }
  }
  Result<std::shared_ptr<store::Table>> table(ViewIndex i) const override {
    return std::shared_ptr<store::Table>(tables[i]);
  }
  store::Position checkpoint(ViewIndex) const override { return position; }
  using ViewTables::checkpoint;

  // Folds one event into the three views; false once past the cut.
  Result<bool> apply(const store::EventView& e, const PastScope& scope) {
    if (cut) return false;
    cut = e.position > scope.at || (scope.asOfMicros && e.recordedAtMicros > *scope.asOfMicros);
    if (cut) return false;
    if (scope.kind == PastScope::Kind::Dossier) {
      auto other = aboutAnotherDossier(e, scope.id);
      if (!other) return std::move(other).takeError();
      if (*other) return true;  // a campaign decision about another dossier: not this one's
    }
    engine::Projection* projections[viewCount] = {&dossiers, &audit, &campaigns};
    for (std::size_t i = 0; i < viewCount; ++i) {
      if (auto s = projections[i]->apply(e, *batches[i]); !s) return s.error();
    }
    position = e.position;
    return true;
  }

  // The projections' last rows, then every batch committed to its table.
  Status flush() {
    engine::Projection* projections[viewCount] = {&dossiers, &audit, &campaigns};
    for (std::size_t i = 0; i < viewCount; ++i) {
      if (auto s = projections[i]->flush(*batches[i]); !s) return s;
      if (auto s = tables[i]->commit(*batches[i]); !s) return s;
    }
    return okStatus();
  }

  void startBatches() {
    for (std::size_t i = 0; i < viewCount; ++i) batches[i] = tables[i]->newBatch();
  }

  std::array<std::shared_ptr<store::MemoryTable>, viewCount> tables;
  std::array<std::unique_ptr<store::TableBatch>, viewCount> batches;
  DossierProjection dossiers;
  AuditProjection audit;
  CampaignProjection campaigns;
  store::Position position = 0;
  bool cut = false;  // an event past the scope's end was met: apply no more
  TableQueries queries;
};

PastViews::PastViews(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
PastViews::~PastViews() = default;

Result<std::unique_ptr<PastViews>> PastViews::open(const store::EventLog& log,
                                                   const ViewQueries& live,
                                                   const PastScope& scope) {
  auto parts = std::make_unique<Parts>();
  parts->startBatches();
  const store::Position head = std::min(scope.at, log.head());
  auto tooMany = [&scope](std::uint64_t events) {
    return Error::invalidInput("this view of the past needs " + std::to_string(events) +
                               " events replayed, over the limit of " +
                               std::to_string(scope.eventsMax) +
                               ": ask about one campaign (?campaign=) or one dossier");
  };
  if (scope.kind == PastScope::Kind::Log) {
    if (head > scope.eventsMax) return tooMany(head);
    store::Position from = 1;
    bool more = true;
    while (more && from <= head) {
      auto scanned = log.scanAll(from, readChunk, [&](const store::EventView& e) -> Status {
        auto applied = parts->apply(e, scope);
        if (!applied) return std::move(applied).takeError();
        more = more && *applied;
        return okStatus();
      });
      if (!scanned) return std::move(scanned).takeError();
      if (*scanned == 0) break;
      from = *scanned + 1;
    }
  } else {
    // The streams of the scope, merged in log order.
    std::vector<std::string> streams;
    if (scope.kind == PastScope::Kind::Dossier) {
      auto row = live.dossier(scope.id);
      if (!row) return std::move(row).takeError();
      streams = {campaignStream(row->campaignId), dossierStream(scope.id)};
    } else {
      if (auto known = live.campaign(scope.id); !known) return std::move(known).takeError();
      streams.push_back(campaignStream(scope.id));
      std::string after;
      do {
        auto page = live.status(scope.id, std::nullopt, after, 10'000);
        if (!page) return std::move(page).takeError();
        for (const DossierRow& row : page->rows) streams.push_back(dossierStream(row.dossierId));
        after = page->nextCursor;
      } while (!after.empty());
    }
    std::vector<store::RecordedEvent> events;
    for (const std::string& stream : streams) {
      if (auto s = store::readStreamUpTo(log, stream, head, events); !s) return s.error();
      if (events.size() > scope.eventsMax) return tooMany(events.size());
    }
    std::sort(events.begin(), events.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    for (const store::RecordedEvent& e : events) {
      auto applied = parts->apply(store::viewOf(e), scope);
      if (!applied) return std::move(applied).takeError();
      if (!*applied) break;
    }
  }
  if (auto s = parts->flush(); !s) return s.error();
  return std::unique_ptr<PastViews>(new PastViews(std::move(parts)));
}

store::Position PastViews::position() const {
  return parts_->position;
}

Result<std::vector<CampaignSummary>> PastViews::campaigns() const {
  return parts_->queries.campaigns();
}
Result<CampaignSummary> PastViews::campaign(std::string_view campaignId) const {
  return parts_->queries.campaign(campaignId);
}
Result<StatusPage> PastViews::status(const StatusQuery& query) const {
  return parts_->queries.status(query);
}
Result<DossierRow> PastViews::dossier(std::string_view dossierId) const {
  return parts_->queries.dossier(dossierId);
}
Result<std::vector<TimelineEntry>> PastViews::timeline(std::string_view dossierId) const {
  return parts_->queries.timeline(dossierId);
}
Result<std::vector<AuditEntry>> PastViews::dossierAudit(std::string_view dossierId,
                                                        const AuditQuery& query) const {
  return parts_->queries.dossierAudit(dossierId, query);
}
Result<std::vector<AuditEntry>> PastViews::campaignAudit(std::string_view campaignId,
                                                         const AuditQuery& query) const {
  return parts_->queries.campaignAudit(campaignId, query);
}
Result<CampaignStats> PastViews::stats(std::string_view campaignId) const {
  return parts_->queries.stats(campaignId);
}
Result<std::vector<LeaderboardEntry>> PastViews::leaderboard(std::string_view campaignId) const {
  return parts_->queries.leaderboard(campaignId);
}
Result<Budget> PastViews::budget(std::string_view campaignId) const {
  return parts_->queries.budget(campaignId);
}

}  // namespace parcours::workflows
