#include "read_support.h"

#include <algorithm>

#include "output.h"
#include "parcours/adapters/remote_client.h"
#include "parcours/workflows/zoned_time.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

// The views views.h describes (dossiers, audit, campaigns): the bar's
// total before the views are open. Only the bar's scale depends on it.
constexpr std::size_t viewsExpected = 3;
// A catch-up shorter than this draws no bar.
constexpr std::uint64_t catchUpBarEventsMin = 10000;

nlohmann::json optionalTime(const std::optional<std::int64_t>& micros) {
  return micros ? nlohmann::json(machineTime(*micros)) : nlohmann::json(nullptr);
}

}  // namespace

ViewsProgress::ViewsProgress(std::string label, std::size_t views, std::uint64_t eventsMin)
    : label_(std::move(label)), views_(std::max<std::size_t>(views, 1)), eventsMin_(eventsMin) {}

workflows::ViewProgressFn ViewsProgress::callback() {
  return [this](std::string_view view, store::Position done, store::Position head) {
    update(view, done, head);
  };
}

void ViewsProgress::update(std::string_view view, store::Position done, store::Position head) {
  auto it = done_.find(view);
  if (it == done_.end()) it = done_.emplace(std::string(view), 0).first;
  it->second = done;
  if (!bar_) {
    if (head < eventsMin_) return;
    bar_ = std::make_unique<ProgressBar>(label_, head * views_);
  }
  std::uint64_t sum = 0;
  for (const auto& [name, position] : done_) sum += position;
  bar_->update(sum);
}

void ViewsProgress::finish() {
  if (bar_) bar_->finish();
}

Result<OpenViews> openViews(const Context& context) {
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return log.error();
  ViewsProgress progress("catching up the views", viewsExpected, catchUpBarEventsMin);
  auto views = workflows::Views::open(**log, context.logger, progress.callback());
  progress.finish();
  if (!views) return views.error();
  // open() catches up; a second pass takes what was appended meanwhile.
  if (auto caught = (*views)->catchUp(); !caught) return caught.error();
  return OpenViews{std::move(log).value(), std::move(views).value()};
}

int runRead(const Context& context,
            const std::function<Status(const workflows::ViewQueries&)>& body) {
  if (!context.server.empty()) {
    auto remote = adapters::RemoteClient::connect(context.server, context.token);
    if (!remote) return reportError(remote.error());
    if (auto done = body((*remote)->views()); !done) return reportError(done.error());
    return 0;
  }
  auto open = openViews(context);
  if (!open) return reportError(open.error());
  if (auto done = body(*open->views); !done) return reportError(done.error());
  return 0;
}

void addAsOfOptions(CLI::App& command, AsOfOptions& options) {
  command.add_option("--at", options.at,
                     "The view as it stood once the log held this many events (a position)");
  command.add_option("--as-of", options.asOf,
                     "The view as it stood at this instant (RFC 3339, e.g. "
                     "2020-06-19T18:00:00+02:00)");
}

int runRead(const Context& context, const AsOfOptions& asOf, workflows::PastScope scope,
            const std::function<Status(const workflows::ViewQueries&)>& body) {
  return runReadAt(context, asOf, std::move(scope),
                   [&](const workflows::ViewQueries& views, const ReadAt&) { return body(views); });
}

int runReadAt(const Context& context, const AsOfOptions& asOf, workflows::PastScope scope,
              const std::function<Status(const workflows::ViewQueries&, const ReadAt&)>& body) {
  const bool past = asOf.at != 0 || !asOf.asOf.empty();
  if (!context.server.empty()) {
    if (past) {
      return reportError(Error::invalidInput(
          "--at and --as-of read an embedded store (--data); against a server use its HTTP "
          "API with ?at= or ?as_of="));
    }
    return runRead(context, [&](const workflows::ViewQueries& views) { return body(views, {}); });
  }
  if (asOf.at != 0) scope.at = asOf.at;
  if (!asOf.asOf.empty()) {
    auto micros = workflows::parseInstant(asOf.asOf);
    if (!micros) return reportError(micros.error());
    scope.asOfMicros = *micros;
  }
  auto open = openViews(context);
  if (!open) return reportError(open.error());
  if (!past) {
    const ReadAt at{open->log.get(), open->views->checkpoint()};
    if (auto done = body(*open->views, at); !done) return reportError(done.error());
    return 0;
  }
  if (scope.at != UINT64_MAX && scope.at > open->log->head()) {
    return reportError(Error::notFound("the log holds " + std::to_string(open->log->head()) +
                                       " events: there is no position " +
                                       std::to_string(scope.at) + " yet"));
  }
  auto views = workflows::PastViews::open(*open->log, *open->views, scope);
  if (!views) return reportError(views.error());
  // The views as of P are the log's first P events, whatever their scope.
  const ReadAt at{open->log.get(), scope.asOfMicros ? (*views)->position()
                                                    : std::min(scope.at, open->log->head())};
  if (auto done = body(**views, at); !done) return reportError(done.error());
  return 0;
}

std::string machineTime(std::int64_t micros) {
  return workflows::formatUtc(micros);
}

std::string peopleTime(std::int64_t micros, const std::string& timeZone) {
  return workflows::formatInZone(micros, timeZone.empty() ? "UTC" : timeZone);
}

std::string campaignTimeZone(const workflows::ViewQueries& views, const std::string& campaignId) {
  auto campaign = views.campaign(campaignId);
  return campaign ? campaign->timeZone : "UTC";
}

nlohmann::json dossierRowJson(const workflows::DossierRow& row) {
  return {{"dossier_id", row.dossierId},
          {"campaign_id", row.campaignId},
          {"status", std::string(workflows::statusName(row.status))},
          {"applicant_name", row.applicantName},
          {"applicant_kind", row.applicantKind},
          {"title", row.title},
          {"summary", row.summary},
          {"strands", row.strands},
          {"requested_cents", row.requestedCents},
          {"granted_cents", row.grantedCents},
          {"audition_slot", optionalTime(row.auditionSlotMicros)},
          {"mean_milli", row.meanMilli ? nlohmann::json(*row.meanMilli) : nlohmann::json(nullptr)},
          {"label_name", row.labelName},
          {"submitted_at", machineTime(row.submittedAtMicros)},
          {"updated_at", machineTime(row.updatedAtMicros)},
          {"last_position", row.lastPosition},
          {"version", row.version},
          {"contact_erased", row.contactErased}};
}

nlohmann::json timelineEntryJson(const workflows::TimelineEntry& entry) {
  return {{"position", entry.position},
          {"stream_version", entry.streamVersion},
          {"recorded_at", machineTime(entry.recordedAtMicros)},
          {"event_type", entry.eventType},
          {"actor", entry.actor},
          {"reason", entry.reason},
          {"rules_version", entry.rulesVersion},
          {"summary", entry.summary}};
}

nlohmann::json auditEntryJson(const workflows::AuditEntry& entry) {
  return {{"position", entry.position},
          {"recorded_at", machineTime(entry.recordedAtMicros)},
          {"stream_id", entry.streamId},
          {"campaign_id", entry.campaignId},
          {"dossier_id",
           entry.dossierId.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.dossierId)},
          {"event_type", entry.eventType},
          {"actor", entry.actor},
          {"command_id", entry.commandId},
          {"reason", entry.reason},
          {"rules_version", entry.rulesVersion},
          {"summary", entry.summary}};
}

nlohmann::json campaignSummaryJson(const workflows::CampaignSummary& c) {
  return {{"campaign_id", c.campaignId},
          {"name", c.name},
          {"organiser", c.organiser},
          {"rules_version", c.rulesVersion},
          {"phase", std::string(workflows::phaseName(c.phase))},
          {"time_zone", c.timeZone},
          {"deadline", peopleTime(c.deadlineMicros, c.timeZone)},
          {"label_name", c.labelName},
          {"envelope_cents", c.envelopeCents},
          {"granted_cents", c.grantedCents},
          {"dossiers", c.dossiers},
          {"opened_at", machineTime(c.openedAtMicros)},
          {"updated_at", machineTime(c.updatedAtMicros)}};
}

}  // namespace parcours::cli
