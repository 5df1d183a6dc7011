// The views administrators read: projections of the global log and their
// queries.
//
// Three projections, each a pure function of the events (no clock), kept in
// its own table by an engine::ProjectionRunner:
//   "dossiers"  — each dossier's detail (with the positions of its history)
//                 and the status index (per campaign, per state);
//   "audit"     — who did what, when, why, under which rules version, filed
//                 per campaign; a dossier's timeline and audit trail are its
//                 entries, found through its detail row;
//   "campaigns" — each campaign's name, rules version, phase, statistics,
//                 scoring leaderboard and budget.
// A rebuilt view is byte-identical to the live one at the same checkpoint.
//
// Views never copy personal data (the applicant's contact): erasing a
// dossier's key must leave nothing readable behind in the views.
//
// Threads: queries may run on any thread while the views follow the log
// (startLive) or rebuild. The three views may stand at different
// checkpoints while they follow the log; catchUp() brings them level.
// Keys and row encoding: workflows/src/views/keys.h and row_codec.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"
#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/schema/events.capnp.h"

namespace spdlog {
class logger;
}

namespace parcours::workflows {

// ------------------------------------------------------------------ rows

// A dossier as it stands now. No contact data (personal, see above).
struct DossierRow {
  std::string dossierId;
  std::string campaignId;
  DossierStatus status = DossierStatus::Absent;
  std::string applicantName;  // the applying organisation
  std::string applicantKind;
  std::string title;
  std::string summary;
  std::vector<std::string> strands;
  std::int64_t requestedCents = 0;
  std::int64_t grantedCents = 0;
  std::optional<std::int64_t> auditionSlotMicros;
  std::optional<std::uint32_t> meanMilli;  // once scoring closed
  std::string labelName;                   // once labelled
  std::int64_t submittedAtMicros = 0;
  std::int64_t updatedAtMicros = 0;  // recorded time of the last event
  store::Position lastPosition = 0;  // global position of the last event
  std::uint64_t version = 0;         // events in the dossier's stream
  bool contactErased = false;        // DossierErased: the personal data is gone

  bool operator==(const DossierRow&) const = default;
};

// One step of a dossier's history, in words.
struct TimelineEntry {
  store::Position position = 0;
  store::StreamVersion streamVersion = 0;
  std::int64_t recordedAtMicros = 0;
  std::string eventType;  // "ScoreRecorded"
  std::string actor;
  std::string reason;
  std::uint32_t rulesVersion = 0;
  // "scored by juror-3: innovation 8, users 7",
  // "vote closed: 4 yes, 1 no, 0 abstain of 5 voters: carried"
  std::string summary;

  bool operator==(const TimelineEntry&) const = default;
};

// One decision of the audit trail: who, what, when, why, under which rules.
struct AuditEntry {
  store::Position position = 0;
  std::int64_t recordedAtMicros = 0;
  std::string streamId;
  store::StreamVersion streamVersion = 0;
  std::string campaignId;
  std::string dossierId;  // empty for a campaign event without a dossier
  std::string eventType;
  std::string actor;
  std::string commandId;
  std::string reason;
  std::uint32_t rulesVersion = 0;
  std::string summary;

  bool operator==(const AuditEntry&) const = default;
};

// A campaign as listed by campaigns().
struct CampaignSummary {
  std::string campaignId;
  std::string name;
  std::string organiser;
  std::uint32_t rulesVersion = 0;
  Phase phase = Phase::Submissions;
  std::string timeZone;
  std::int64_t deadlineMicros = 0;
  std::string labelName;  // empty: no label
  std::int64_t envelopeCents = 0;
  std::int64_t grantedCents = 0;
  std::uint64_t dossiers = 0;  // submitted so far
  std::int64_t openedAtMicros = 0;
  std::int64_t updatedAtMicros = 0;  // recorded time of the last campaign event

  bool operator==(const CampaignSummary&) const = default;
};

struct CampaignStats {
  std::string campaignId;
  std::string name;
  std::uint64_t total = 0;  // dossiers submitted
  // Dossiers in each state now, by statusName(); states with none are absent.
  std::map<std::string, std::uint64_t> byStatus;
  // Dossiers that asked for each strand id (a dossier may name several).
  std::map<std::string, std::uint64_t> byStrand;
  // Dossiers by applicant kind ("communaute_de_communes"...).
  std::map<std::string, std::uint64_t> byApplicantKind;

  bool operator==(const CampaignStats&) const = default;
};

// A dossier whose scoring closed, with what ScoringClosed recorded.
struct LeaderboardEntry {
  std::uint32_t rank = 0;  // 1 = best; equal means share a rank (1, 2, 2, 4)
  std::string dossierId;
  std::string title;
  std::string applicantName;
  std::uint32_t meanMilli = 0;
  std::uint32_t thresholdMilli = 0;
  bool passed = false;
  std::uint32_t jurorsCounted = 0;
  std::map<std::string, std::uint32_t> criterionMeansMilli;  // by criterion id
  DossierStatus status = DossierStatus::Absent;              // where it stands now

  bool operator==(const LeaderboardEntry&) const = default;
};

struct Grant {
  std::string dossierId;
  std::int64_t amountCents = 0;
  store::Position position = 0;  // of the FundingCommitted event
  std::int64_t recordedAtMicros = 0;

  bool operator==(const Grant&) const = default;
};

struct Budget {
  std::string campaignId;
  std::int64_t envelopeCents = 0;
  std::int64_t grantedCents = 0;
  std::int64_t remainingCents = 0;  // envelope - granted
  std::vector<Grant> grants;        // in log order

  bool operator==(const Budget&) const = default;
};

// ------------------------------------------------------------------ queries

struct StatusQuery {
  std::string campaignId;               // empty: every campaign
  std::optional<DossierStatus> status;  // none: every state
  std::string after;                    // a page's nextCursor; empty: from the start
  std::size_t limit = 100;              // rows per page, 1 to 10,000
};

// Dossiers ordered by campaign, then state (in workflow order), then id.
struct StatusPage {
  std::vector<DossierRow> rows;
  std::string nextCursor;  // empty: this was the last page
};

struct AuditQuery {
  store::Position after = 0;  // entries with a greater position
  std::size_t limit = 0;      // 0: all of them
};

// Told (view name, position reached, head) as a rebuild or catch-up advances;
// calls are serialized even when the views rebuild in parallel.
using ViewProgressFn =
    std::function<void(std::string_view view, store::Position done, store::Position head)>;

// ------------------------------------------------------------------ projections

// The dossier and campaign projections keep the rows they read back in
// memory. Until flush() is first called they write every change at once;
// the runner calls flush(batch) after the last apply() before each commit
// (engine::Projection::flush), so each changed row is written once per
// commit instead (see views/row_cache.h).
class DossierProjection final : public engine::Projection {
 public:
  // `cachedRows`: how many dossiers' rows to keep in memory.
  explicit DossierProjection(std::size_t cachedRows = 100'000);
  ~DossierProjection() override;
  std::string_view name() const override { return "dossiers"; }
  int version() const override { return 2; }  // 2: rows carry contactErased
  Status apply(const store::EventView& event, store::TableBatch& rows) override;
  Status flush(store::TableBatch& rows) override;

 private:
  struct Cache;
  Status applyCampaignEvent(const store::EventView& event, store::TableBatch& rows);
  std::unique_ptr<Cache> cache_;
};

class AuditProjection final : public engine::Projection {
 public:
  std::string_view name() const override { return "audit"; }
  int version() const override { return 1; }
  Status apply(const store::EventView& event, store::TableBatch& rows) override;
};

class CampaignProjection final : public engine::Projection {
 public:
  // `cachedRows`: how many dossiers' (and counters') rows to keep in memory.
  explicit CampaignProjection(std::size_t cachedRows = 100'000);
  ~CampaignProjection() override;
  std::string_view name() const override { return "campaigns"; }
  int version() const override { return 1; }
  Status apply(const store::EventView& event, store::TableBatch& rows) override;
  Status flush(store::TableBatch& rows) override;

 private:
  Status applyDossierEvent(const store::EventView& event, schema::DossierEvent::Reader payload,
                           store::TableBatch& rows);
  Status applyCampaignEvent(const store::EventView& event, schema::CampaignEvent::Reader payload,
                            store::TableBatch& rows);
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// ------------------------------------------------------------------ the views

// The queries every reader of the views asks: the embedded Views below, or
// a server's views over its API (adapters/remote_client.h, `--server`).
class ViewQueries {
 public:
  virtual ~ViewQueries() = default;

  // Every campaign, by id.
  virtual Result<std::vector<CampaignSummary>> campaigns() const = 0;
  // NotFound when the campaign has not been opened.
  virtual Result<CampaignSummary> campaign(std::string_view campaignId) const = 0;

  // Dossiers by campaign and state, one page at a time. InvalidInput for a
  // malformed campaign id, cursor or limit; an unknown campaign is NotFound.
  virtual Result<StatusPage> status(const StatusQuery& query) const = 0;
  Result<StatusPage> status(std::string_view campaignId, std::optional<DossierStatus> filter,
                            std::string_view after, std::size_t limit) const;

  // NotFound (naming the id) for a dossier the views have not seen.
  virtual Result<DossierRow> dossier(std::string_view dossierId) const = 0;
  virtual Result<std::vector<TimelineEntry>> timeline(std::string_view dossierId) const = 0;

  // Audit trails in log order. NotFound for an unknown dossier or campaign.
  virtual Result<std::vector<AuditEntry>> dossierAudit(std::string_view dossierId,
                                                       const AuditQuery& query = {}) const = 0;
  virtual Result<std::vector<AuditEntry>> campaignAudit(std::string_view campaignId,
                                                        const AuditQuery& query = {}) const = 0;

  // NotFound for a campaign that has not been opened.
  virtual Result<CampaignStats> stats(std::string_view campaignId) const = 0;
  // Best mean first; equal means by dossier id. Empty before any scoring.
  virtual Result<std::vector<LeaderboardEntry>> leaderboard(std::string_view campaignId) const = 0;
  virtual Result<Budget> budget(std::string_view campaignId) const = 0;
};

class Views final : public ViewQueries {
 public:
  // Opens the three projections over `log` (creating or rebuilding them as
  // needed, see ProjectionRunner::open) and catches them up to the head.
  static Result<std::unique_ptr<Views>> open(store::EventLog& log,
                                             std::shared_ptr<spdlog::logger> logger,
                                             const ViewProgressFn& progress = {});
  ~Views();
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;

  // Applies every durable event past each checkpoint; returns the lowest
  // checkpoint of the three.
  Result<store::Position> catchUp(const ViewProgressFn& progress = {});
  // Rebuilds all three from position 0, in parallel threads; readers keep the
  // old tables until each new one is complete. Returns the lowest checkpoint.
  Result<store::Position> rebuild(const ViewProgressFn& progress = {});
  // The lowest checkpoint of the three: every view reflects at least this.
  store::Position checkpoint() const;

  // Follows the log in background threads until stop() (or destruction).
  void startLive();
  void stop();
  // The first error a live thread met, if any.
  std::optional<Error> lastLiveError() const;

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

  // The projections' active tables, by view name: for engine::dumpTable.
  std::vector<std::pair<std::string, std::shared_ptr<store::Table>>> tables() const;

 private:
  struct Parts;
  explicit Views(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// ------------------------------------------------------------------ CSV export

// RFC 4180 with a choice of separator (',' or ';' — what spreadsheets in
// French locales expect). Lines end with CRLF; the text stays UTF-8.
struct CsvOptions {
  char separator = ',';
  bool byteOrderMark = false;  // prefix "\xEF\xBB\xBF" so spreadsheets read UTF-8
};

// One cell: quoted when it holds the separator, a quote, CR or LF (quotes
// doubled); a cell starting with = + - @ (or tab / CR) gets a leading
// apostrophe so a spreadsheet never runs it as a formula.
std::string csvCell(std::string_view value, char separator = ',');
// The header row and one row per entry (times in UTC, RFC 3339), CRLF-ended.
std::string auditCsvHeader(const CsvOptions& options = {});
std::string auditCsvRow(const AuditEntry& entry, const CsvOptions& options = {});
// Header (with the byte order mark when asked) and every row.
std::string auditCsv(const std::vector<AuditEntry>& entries, const CsvOptions& options = {});

}  // namespace parcours::workflows
