// The views' queries over their three tables, wherever the tables are: the
// live projections' (Views) or ones built in memory for a past position
// (PastViews). One implementation, so a view as of a position is read
// exactly as the live one is.
#pragma once

#include <memory>

#include "parcours/workflows/views.h"

namespace parcours::workflows {

enum ViewIndex : std::size_t { dossiersView = 0, auditView = 1, campaignsView = 2, viewCount = 3 };

class ViewTables {
 public:
  virtual ~ViewTables() = default;
  virtual Result<std::shared_ptr<store::Table>> table(ViewIndex view) const = 0;
  // The position of the last event the view reflects.
  virtual store::Position checkpoint(ViewIndex view) const = 0;
  // The lowest of the three.
  store::Position checkpoint() const;
};

class TableQueries final : public ViewQueries {
 public:
  explicit TableQueries(const ViewTables& tables) : tables_(tables) {}

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
  Result<std::vector<AuditEntry>> trail(std::string_view dossierId, const AuditQuery& query) const;
  const ViewTables& tables_;
};

}  // namespace parcours::workflows
