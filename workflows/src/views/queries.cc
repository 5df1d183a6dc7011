// The Views: three projection runners over one log, and the queries that
// read their tables (keys in views/keys.h).
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <thread>

#include "parcours/workflows/views.h"
#include "views/keys.h"
#include "views/row_codec.h"
#include "views/table_queries.h"

namespace parcours::workflows {
namespace {

}  // namespace

struct Views::Parts final : ViewTables {
  Parts(store::EventLog& l, std::shared_ptr<spdlog::logger> lg)
      : log(l), logger(std::move(lg)), queries(*this) {
    runners[dossiersView] = std::make_unique<engine::ProjectionRunner>(log, dossiers, logger);
    runners[auditView] = std::make_unique<engine::ProjectionRunner>(log, audit, logger);
    runners[campaignsView] = std::make_unique<engine::ProjectionRunner>(log, campaigns, logger);
  }

  std::string_view name(std::size_t i) const {
    return i == dossiersView ? dossiers.name() : i == auditView ? audit.name() : campaigns.name();
  }

  // The runner's progress, told to the caller one call at a time.
  engine::ProgressFn progressOf(std::size_t i, const ViewProgressFn& progress) {
    if (!progress) return {};
    return [this, name = name(i), &progress](store::Position done, store::Position head) {
      std::lock_guard lock(progressMutex);
      progress(name, done, head);
    };
  }

  // Runs `step` for each runner, in parallel threads (the views share
  // nothing but the log, which reads concurrently). The first error wins.
  template <typename Step>
  Result<store::Position> forEach(const ViewProgressFn& progress, Step step) {
    std::array<std::optional<Result<store::Position>>, viewCount> results;
    {
      std::array<std::jthread, viewCount - 1> helpers;
      for (std::size_t i = 1; i < viewCount; ++i) {
        helpers[i - 1] = std::jthread([&, i] {
          // Named for top -H and profilers: "view:campaigns" (15 chars at most).
          ::pthread_setname_np(::pthread_self(),
                               ("view:" + std::string(name(i))).substr(0, 15).c_str());
          results[i].emplace(step(*runners[i], progressOf(i, progress)));
        });
      }
      results[0].emplace(step(*runners[0], progressOf(0, progress)));
    }
    store::Position lowest = UINT64_MAX;
    for (auto& r : results) {
      if (!*r) return r->error();
      lowest = std::min(lowest, r->value());
    }
    return lowest;
  }

  Result<std::shared_ptr<store::Table>> table(ViewIndex i) const override {
    auto t = runners[i]->table();
    if (!t) return Error::bug("view " + std::string(name(i)) + " read before it was opened");
    return t;
  }
  store::Position checkpoint(ViewIndex i) const override { return runners[i]->checkpoint(); }
  using ViewTables::checkpoint;

  store::EventLog& log;
  std::shared_ptr<spdlog::logger> logger;
  DossierProjection dossiers;
  AuditProjection audit;
  CampaignProjection campaigns;
  std::array<std::unique_ptr<engine::ProjectionRunner>, viewCount> runners;
  std::mutex progressMutex;
  TableQueries queries;
};

Views::Views(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Views::~Views() {
  stop();
}

Result<std::unique_ptr<Views>> Views::open(store::EventLog& log,
                                           std::shared_ptr<spdlog::logger> logger,
                                           const ViewProgressFn& progress) {
  auto parts = std::make_unique<Parts>(log, std::move(logger));
  auto opened = parts->forEach(progress, [](engine::ProjectionRunner& r, engine::ProgressFn p) {
    if (auto s = r.open(p); !s) return Result<store::Position>(s.error());
    return r.catchUp(p);
  });
  if (!opened) return std::move(opened).takeError();
  return std::unique_ptr<Views>(new Views(std::move(parts)));
}

Result<store::Position> Views::catchUp(const ViewProgressFn& progress) {
  return parts_->forEach(
      progress, [](engine::ProjectionRunner& r, engine::ProgressFn p) { return r.catchUp(p); });
}

Result<store::Position> Views::rebuild(const ViewProgressFn& progress) {
  return parts_->forEach(
      progress, [](engine::ProjectionRunner& r, engine::ProgressFn p) { return r.rebuild(p); });
}

store::Position Views::checkpoint() const {
  return parts_->checkpoint();
}

void Views::startLive() {
  for (auto& r : parts_->runners) r->startLive();
}

void Views::stop() {
  for (auto& r : parts_->runners) r->stop();
}

std::optional<Error> Views::lastLiveError() const {
  for (const auto& r : parts_->runners) {
    if (auto e = r->lastLiveError()) return e;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::shared_ptr<store::Table>>> Views::tables() const {
  std::vector<std::pair<std::string, std::shared_ptr<store::Table>>> out;
  for (std::size_t i = 0; i < viewCount; ++i) {
    out.emplace_back(std::string(parts_->name(i)), parts_->runners[i]->table());
  }
  return out;
}


// ------------------------------------------------------------------ queries

Result<std::vector<CampaignSummary>> Views::campaigns() const {
  return parts_->queries.campaigns();
}
Result<CampaignSummary> Views::campaign(std::string_view campaignId) const {
  return parts_->queries.campaign(campaignId);
}
Result<StatusPage> Views::status(const StatusQuery& query) const {
  return parts_->queries.status(query);
}
Result<DossierRow> Views::dossier(std::string_view dossierId) const {
  return parts_->queries.dossier(dossierId);
}
Result<std::vector<TimelineEntry>> Views::timeline(std::string_view dossierId) const {
  return parts_->queries.timeline(dossierId);
}
Result<std::vector<AuditEntry>> Views::dossierAudit(std::string_view dossierId,
                                                    const AuditQuery& query) const {
  return parts_->queries.dossierAudit(dossierId, query);
}
Result<std::vector<AuditEntry>> Views::campaignAudit(std::string_view campaignId,
                                                     const AuditQuery& query) const {
  return parts_->queries.campaignAudit(campaignId, query);
}
Result<CampaignStats> Views::stats(std::string_view campaignId) const {
  return parts_->queries.stats(campaignId);
}
Result<std::vector<LeaderboardEntry>> Views::leaderboard(std::string_view campaignId) const {
  return parts_->queries.leaderboard(campaignId);
}
Result<Budget> Views::budget(std::string_view campaignId) const {
  return parts_->queries.budget(campaignId);
}

}  // namespace parcours::workflows
