// What every read shares: the store opened and the views caught up to the
// log head before answering, a progress bar on stderr when that takes a
// while, times written for people and for machines, and the JSON shape of
// the views' rows.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/progress.h"
#include "commands.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/past_views.h"
#include "parcours/workflows/views.h"

namespace parcours::cli {

// The log and its views; the views go first, as they read the log.
struct OpenViews {
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<workflows::Views> views;
};

// Opens the existing store at --data and the views over it, caught up to
// the log head (a bar on stderr when they are far behind).
Result<OpenViews> openViews(const Context& context);

// Runs a read: opens the views (caught up), or with --server the server's,
// runs `body`, reports its error with the exit code of its class. Returns
// the exit code.
int runRead(const Context& context,
            const std::function<Status(const workflows::ViewQueries&)>& body);

// --at POSITION / --as-of TIME on a read: the views as they stood then
// (workflows/past_views.h).
struct AsOfOptions {
  store::Position at = 0;  // 0: not given
  std::string asOf;        // RFC 3339; empty: not given
};
void addAsOfOptions(CLI::App& command, AsOfOptions& options);

// runRead over the views as of `asOf` when it is given; `scope` says which
// dossier or campaign the read is about (its kind and id; at and asOf are
// filled in here). Embedded stores only: a server answers ?at= and ?as_of=
// on its HTTP API.
int runRead(const Context& context, const AsOfOptions& asOf, workflows::PastScope scope,
            const std::function<Status(const workflows::ViewQueries&)>& body);

// Where the views a read sees stand: the embedded log (null with --server)
// and the position they reflect (the head, or the --at/--as-of cut).
struct ReadAt {
  store::EventLog* log = nullptr;
  store::Position position = 0;
};
int runReadAt(const Context& context, const AsOfOptions& asOf, workflows::PastScope scope,
              const std::function<Status(const workflows::ViewQueries&, const ReadAt&)>& body);

// One progress bar over `views` views' progress (each reports how far it
// got towards the head), drawn only when the work is at least `eventsMin`
// events: a read that catches up a few events draws nothing.
class ViewsProgress {
 public:
  ViewsProgress(std::string label, std::size_t views, std::uint64_t eventsMin);
  workflows::ViewProgressFn callback();
  void finish();

 private:
  void update(std::string_view view, store::Position done, store::Position head);
  std::string label_;
  std::size_t views_;
  std::uint64_t eventsMin_;
  std::map<std::string, store::Position, std::less<>> done_;
  std::unique_ptr<ProgressBar> bar_;
};

// Adds the reads: `status`, `show`, `audit`, `stats`, `leaderboard`,
// `budget`, `rebuild` (see read_commands.cc and the files it names).
void addStatusCommand(CLI::App& app, CommandRun& run);
void addShowCommand(CLI::App& app, CommandRun& run);
void addAuditCommand(CLI::App& app, CommandRun& run);
void addCampaignReadCommands(CLI::App& app, CommandRun& run);
void addRebuildCommand(CLI::App& app, CommandRun& run);

// The reads' tables for people, as `status --campaign`, `leaderboard`,
// `budget` and `audit --dossier` print them (`parcours demo` prints them
// too, after playing the campaigns).
Status printStatusTable(const workflows::ViewQueries& views, const std::string& campaignId,
                        std::size_t limit);
Status printLeaderboardTable(const workflows::ViewQueries& views, const std::string& campaignId);
Status printBudgetTable(const workflows::ViewQueries& views, const std::string& campaignId);
Status printDossierAuditTable(const workflows::ViewQueries& views, const std::string& dossierId);

// Times: RFC 3339 in UTC for machines ("2020-06-19T21:00:00.000000Z"), in
// the campaign's zone for people ("2020-06-19T23:00:00+02:00").
std::string machineTime(std::int64_t micros);
std::string peopleTime(std::int64_t micros, const std::string& timeZone);

// The stable JSON of the views' rows (snake_case, cents, RFC 3339).
nlohmann::json dossierRowJson(const workflows::DossierRow& row);
nlohmann::json timelineEntryJson(const workflows::TimelineEntry& entry);
nlohmann::json auditEntryJson(const workflows::AuditEntry& entry);
nlohmann::json campaignSummaryJson(const workflows::CampaignSummary& campaign);

// The campaign's time zone for people's tables; UTC when it is unknown.
std::string campaignTimeZone(const workflows::ViewQueries& views, const std::string& campaignId);

}  // namespace parcours::cli
