// Time travel: the views as they stood at a past position of the log.
//
// Computed on demand by running the very projections the live views run
// (DossierProjection, AuditProjection, CampaignProjection) over the events
// up to that position, into tables in memory, then read by the very same
// queries: a view as of position P is by construction what the live view
// showed when the log's head was P.
//
// Only the events a question needs are replayed: a dossier's views need
// its stream and its campaign's; a campaign's need its stream and its
// dossiers'; the list of every dossier needs the whole log.
//
// "As of a time" T is the position just before the first event of that
// scope recorded after T (recorded times come from the decisions' clock;
// imported decisions may carry earlier times, and the cut is the first
// later one, so the view is always one that really stood at some moment).
#pragma once

#include <memory>

#include "parcours/workflows/views.h"

namespace parcours::workflows {

// Which events to replay, and up to where.
struct PastScope {
  enum class Kind : std::uint8_t { Dossier, Campaign, Log };
  Kind kind = Kind::Log;
  std::string id;  // the dossier or campaign id
  // Up to this position (inclusive), or, when asOfMicros is set, up to the
  // last event of the scope recorded at or before it (whichever is first).
  store::Position at = UINT64_MAX;
  std::optional<std::int64_t> asOfMicros;
  // The most events the replay may read; past it, InvalidInput (ask about
  // one campaign or one dossier). A server bounds what one request costs.
  std::uint64_t eventsMax = UINT64_MAX;

  static PastScope dossier(std::string dossierId) {
    PastScope s;
    s.kind = Kind::Dossier;
    s.id = std::move(dossierId);
    return s;
  }
  static PastScope campaign(std::string campaignId) {
    PastScope s;
    s.kind = Kind::Campaign;
    s.id = std::move(campaignId);
    return s;
  }
};

class PastViews final : public ViewQueries {
 public:
  // `live` finds which streams a scope covers (a dossier's campaign, a
  // campaign's dossiers): dossiers are never deleted, so the live views
  // know every dossier that ever was. NotFound for an unknown id.
  static Result<std::unique_ptr<PastViews>> open(const store::EventLog& log,
                                                 const ViewQueries& live, const PastScope& scope);
  ~PastViews() override;

  // The last position replayed: the views are the log's as of it.
  store::Position position() const;

  using ViewQueries::status;
  Result<std::vector<CampaignSummary>> campaigns() const override;
  Result<CampaignSummary> campaign(std::string_view campaignId) const override;
  Result<StatusPage> status(const StatusQuery& query) const override;
  Result<DossierRow> dossier(std::string_view dossierId) const override;
  Result<std::vector<TimelineEntry>> timeline(std::string_view dossierId) const override;
  Result<std::vector<AuditEntry>> dossierAudit(std::string_view dossierId,
                                               const AuditQuery& query = {}) const override;
  Result<std::vector<AuditEntry>> campaignAudit(std::string_view campaignId,
                                                const AuditQuery& query = {}) const override;
  Result<CampaignStats> stats(std::string_view campaignId) const override;
  Result<std::vector<LeaderboardEntry>> leaderboard(std::string_view campaignId) const override;
  Result<Budget> budget(std::string_view campaignId) const override;

 private:
  struct Parts;
  explicit PastViews(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace parcours::workflows
