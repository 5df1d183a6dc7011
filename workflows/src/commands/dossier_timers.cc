// A dossier's timers, as its decisions start and end them (dossier_timers.h).
#include "commands/dossier_timer_event.h"
#include "commands/dossier_timers.h"

#include "domain/timer_fold.h"
#include "parcours/workflows/calendar.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {


bool isDecided(DossierStatus status) {
  return isTerminal(status) || status == DossierStatus::Voted;
}

}  // namespace

Result<DeemedDates> deemedDates(const StatutoryDelay& delay, bool alsaceMoselle,
                                std::string_view zone, std::int64_t completeMicros) {
  auto complete = civilDateIn(completeMicros, zone);
  if (!complete) return complete.error();
  const CalendarOptions calendar{alsaceMoselle};
  CivilDate last = *complete;
  switch (delay.unit) {
    case DelayUnit::CalendarDays:
      last = addCalendarDays(*complete, delay.count);
      break;
    case DelayUnit::BusinessDays:
      last = addBusinessDays(*complete, delay.count, calendar);
      break;
    case DelayUnit::Months:
      last = addMonths(*complete, static_cast<int>(delay.count));
      break;
  }
  if (delay.extendToBusinessDay) last = extendToBusinessDay(last, calendar);
  if (last.year >= civilYearMax) {
    return Error::invalidInput("the statutory delay ends after the year " +
                               std::to_string(civilYearMax));
  }
  const CivilDate dayAfter = addCalendarDays(last, 1);
  auto decision = startOfDay(dayAfter, zone);
  if (!decision) return decision.error();
  DeemedDates dates{*decision, std::nullopt};
  if (delay.warnDaysBefore != 0) {
    auto warning =
        startOfDay(addCalendarDays(dayAfter, -static_cast<std::int64_t>(delay.warnDaysBefore)), zone);
    if (!warning) return warning.error();
    if (*warning > completeMicros) dates.warningMicros = *warning;
  }
  return dates;
}

void addDossierTimerEvents(const std::string& dossierId, const DossierState& before,
                           const CampaignState& campaign, const DossierCommand& command,
                           const DecisionInput& input, DossierDecision& decision) {
  const CampaignRules& rules = campaign.rules();
  std::uint64_t version = before.version + decision.dossierEvents.size();
  if (std::holds_alternative<dossier_command::Submit>(command) && rules.statutoryDelay.count != 0) {
    const StatutoryDelay& delay = rules.statutoryDelay;
    auto dates = deemedDates(delay, rules.alsaceMoselle, rules.timeZone, input.nowMicros);
    if (!dates) return;
    const std::string outcome(deemedOutcomeName(delay.outcome));
    const std::string reason = "statutory delay of " + describeDelay(delay) + " (" +
                               delay.legalBasis + "): without a decision by then, the application is deemed " +
                               outcome;
    const auto schedule = [&](TimerAction action, std::int64_t due, const std::string& why) {
      DossierTimerEvent b(dossierId, campaign, why);
      auto scheduled = b.event.initDossierTimerScheduled();
      scheduled.setTimerId(timerId(dossierStream(dossierId), action, ++version));
      scheduled.setDueMicros(due);
      scheduled.setAction(writeTimerAction(action));
      decision.dossierEvents.push_back(b.done());
    };
    schedule(TimerAction::DeemDecision, dates->decisionMicros, reason);
    if (dates->warningMicros) {
      schedule(TimerAction::WarnDeemedDecision, *dates->warningMicros,
               "warning " + std::to_string(delay.warnDaysBefore) +
                   " days before the decision is deemed " + outcome);
    }
    return;
  }
  if (!isDecided(decision.next) || isDecided(before.status)) return;
  for (const auto& [id, t] : before.timers) {
    if (t.status != TimerStatus::Pending) continue;
    DossierTimerEvent b(dossierId, campaign,
                        "the dossier is " + std::string(statusName(decision.next)) +
                            ": the statutory delay no longer runs");
    auto cancelled = b.event.initDossierTimerCancelled();
    cancelled.setTimerId(t.timerId);
    cancelled.setDueMicros(t.dueMicros);
    decision.dossierEvents.push_back(b.done());
  }
}

}  // namespace parcours::workflows
