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
  std::vector<DomainEvent>& events = decision.dossierEvents;
  // A timer's id carries the stream version of its scheduling event.
  const auto schedule = [&](TimerAction action, std::int64_t due, const std::string& why) {
    DossierTimerEvent b(dossierId, campaign, why);
    auto scheduled = b.event.initDossierTimerScheduled();
    scheduled.setTimerId(
        timerId(dossierStream(dossierId), action, before.version + events.size() + 1));
    scheduled.setDueMicros(due);
    scheduled.setAction(writeTimerAction(action));
    events.push_back(b.done());
  };
  const auto cancel = [&](const TimerRecord& t, const std::string& why) {
    DossierTimerEvent b(dossierId, campaign, why);
    auto cancelled = b.event.initDossierTimerCancelled();
    cancelled.setTimerId(t.timerId);
    cancelled.setDueMicros(t.dueMicros);
    events.push_back(b.done());
  };

  // A decision ends every pending timer: the delay no longer runs, nobody
  // waits any more.
  if (isDecided(decision.next)) {
    if (isDecided(before.status)) return;
    for (const auto& [id, t] : before.timers) {
      if (t.status == TimerStatus::Pending) {
        cancel(t, "the dossier is " + std::string(statusName(decision.next)) +
                      ": its timers end");
      }
    }
    return;
  }

  // The statutory delay runs from the submission.
  if (std::holds_alternative<dossier_command::Submit>(command) && rules.statutoryDelay.count != 0) {
    const StatutoryDelay& delay = rules.statutoryDelay;
    auto dates = deemedDates(delay, rules.alsaceMoselle, rules.timeZone, input.nowMicros);
    if (dates) {
      const std::string outcome(deemedOutcomeName(delay.outcome));
      schedule(TimerAction::DeemDecision, dates->decisionMicros,
               "statutory delay of " + describeDelay(delay) + " (" + delay.legalBasis +
                   "): without a decision by then, the application is deemed " + outcome);
      if (dates->warningMicros) {
        schedule(TimerAction::WarnDeemedDecision, *dates->warningMicros,
                 "warning " + std::to_string(delay.warnDaysBefore) +
                     " days before the decision is deemed " + outcome);
      }
    }
  }

  // A meeting without quorum is held again, of right (CGCT L4132-13).
  for (std::size_t i = 0, n = events.size(); i < n; ++i) {
    if (events[i].type != "VoteAdjourned") continue;
    auto from = readPayload<schema::DossierEvent>(
        events[i].payload, events[i].type, [](schema::DossierEvent::Reader e) -> Result<std::int64_t> {
          return e.getVoteAdjourned().getReconveneFromMicros();
        });
    if (from) {
      schedule(TimerAction::ReconveneVote, *from,
               "the meeting without quorum is held again, of right, then");
    }
  }

  // The service level: a dossier that moves to a state waits there anew
  // (the reminder of the state it leaves ends, even when an amendment has
  // dropped the service level since).
  if (decision.next == before.status) return;
  if (const TimerRecord* waiting = before.pendingTimer(TimerAction::RemindAdministrators)) {
    cancel(*waiting, "the dossier moved on: it is " + std::string(statusName(decision.next)));
  }
  if (rules.serviceLevelDays != 0) {
    constexpr std::int64_t microsPerDay = 86'400'000'000;
    schedule(TimerAction::RemindAdministrators,
             input.nowMicros + std::int64_t{rules.serviceLevelDays} * microsPerDay,
             "service level: " + std::to_string(rules.serviceLevelDays) + " days as " +
                 std::string(statusName(decision.next)));
  }
}

}  // namespace parcours::workflows
