// Timer decisions (timers.h): a person's reschedule and cancel, a timer's
// firing, and the timer events the campaign's own decisions add.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>

#include "commands/campaign_event_builder.h"
#include "commands/timer_events.h"
#include "domain/timer_fold.h"
#include "parcours/workflows/calendar.h"
#include "parcours/workflows/limits.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

std::string describe(const TimerRecord& t, const CampaignState& state) {
  return describeTimer(t, state.rules().timeZone);
}

Result<const TimerRecord*> pendingTimer(const CampaignState& state, const std::string& timerId) {
  return pendingTimerIn(state.timers, timerId, "campaign \"" + state.campaignId + "\"",
                        state.rules().timeZone);
}

Result<std::vector<DomainEvent>> fire(const CampaignState& state, const timer_command::Fire& c,
                                      std::string_view givenReason) {
  auto found = pendingTimer(state, c.timerId);
  if (!found) return found.error();
  const TimerRecord& t = **found;
  if (c.nowMicros < t.dueMicros) {
    return Error::refused(describe(t, state) + " is not due yet: it is " +
                          formatInZone(c.nowMicros, state.rules().timeZone));
  }
  if (t.action == TimerAction::RemindJurors) {
    std::string outcome;
    std::uint32_t dossiers = 0;
    for (const auto& [juror, count] : c.unscoredByJuror) {
      outcome += (outcome.empty() ? "" : ", ") + juror + " (" + std::to_string(count) + ")";
      dossiers += count;
    }
    const std::string closes = formatInZone(state.rules().scoringClosesMicros, state.rules().timeZone);
    outcome = outcome.empty()
                  ? "nothing to remind: every assigned dossier is scored, before scoring closes on " +
                        closes
                  : std::to_string(c.unscoredByJuror.size()) + " jurors reminded of " +
                        std::to_string(dossiers) + " unscored dossier scores before scoring closes on " +
                        closes + ": " + outcome;
    CampaignEventBuilder b(state.campaignId, state.rulesVersion(),
                           givenReason.empty() ? outcome : std::string(givenReason));
    writeTimerFired(b.event.initTimerFired(), t, outcome);
    return std::vector<DomainEvent>{b.done()};
  }
  const std::string reason =
      givenReason.empty()
          ? "the submission deadline " + formatInZone(state.submissionDeadlineMicros(),
                                                      state.rules().timeZone) +
                " has passed"
          : std::string(givenReason);
  // The action runs on the state the firing leaves (the timer no longer
  // pending), through the same decision as a person's command.
  CampaignState after = state;
  after.timers[t.timerId].status = TimerStatus::Fired;
  std::vector<DomainEvent> effects;
  std::string outcome;
  if (state.phase != Phase::Submissions) {
    outcome = "nothing to do: the campaign is already in phase " +
              std::string(phaseName(state.phase));
  } else {
    auto closed = decideCampaign(after, campaign_command::ChangePhase{Phase::SubmissionsClosed},
                                 reason);
    if (closed) {
      effects = std::move(closed).value();
      outcome = "phase changed to submissionsClosed";
    } else {
      outcome = "nothing done, refused: " + closed.error().message;
    }
  }
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  writeTimerFired(b.event.initTimerFired(), t, outcome);
  std::vector<DomainEvent> events{b.done()};
  for (DomainEvent& e : effects) events.push_back(std::move(e));
  return events;
}

Result<std::vector<DomainEvent>> reschedule(const CampaignState& state,
                                            const timer_command::Reschedule& c,
                                            std::string_view reason) {
  auto found = pendingTimer(state, c.timerId);
  if (!found) return found.error();
  const TimerRecord& t = **found;
  if (auto s = checkReschedule(t, c, reason, state.rules().timeZone); !s) return s.error();
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto moved = b.event.initTimerRescheduled();
  moved.setTimerId(t.timerId);
  moved.setPreviousDueMicros(t.dueMicros);
  moved.setDueMicros(c.dueMicros);
  return std::vector<DomainEvent>{b.done()};
}

DomainEvent cancelled(const CampaignState& state, const TimerRecord& t, std::string_view reason) {
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto cancel = b.event.initTimerCancelled();
  cancel.setTimerId(t.timerId);
  cancel.setDueMicros(t.dueMicros);
  return b.done();
}

}  // namespace

void writeTimerFired(schema::TimerFired::Builder fired, const TimerRecord& t,
                     const std::string& outcome) {
  fired.setTimerId(t.timerId);
  fired.setDueMicros(t.dueMicros);
  fired.setAction(writeTimerAction(t.action));
  fired.setOutcome(outcome);
}

std::string describeTimer(const TimerRecord& t, std::string_view zone) {
  return "timer " + t.timerId + " (" + std::string(timerActionName(t.action)) + ", due " +
         formatInZone(t.dueMicros, zone) + ")";
}

Result<const TimerRecord*> pendingTimerIn(const TimerMap& timers, const std::string& timerId,
                                          const std::string& owner, std::string_view zone) {
  const auto it = timers.find(timerId);
  if (it == timers.end()) return Error::notFound("no timer \"" + timerId + "\" in " + owner);
  const TimerRecord& t = it->second;
  if (t.status != TimerStatus::Pending) {
    return Error::refused(describeTimer(t, zone) + " already " +
                          (t.status == TimerStatus::Fired ? "fired" : "was cancelled") + ", at " +
                          formatInZone(t.endedAtMicros, zone) +
                          ": only a pending timer can be fired, moved or cancelled");
  }
  return &t;
}

Status checkReschedule(const TimerRecord& t, const timer_command::Reschedule& c,
                       std::string_view reason, std::string_view zone) {
  if (reason.empty()) return Error::invalidInput("moving a timer says why (a reason)");
  if (auto s = checkDueInRange(c.dueMicros); !s) return s;
  if (c.dueMicros <= c.nowMicros) {
    return Error::invalidInput("the new due instant " + formatInZone(c.dueMicros, zone) +
                               " is not after now (" + formatInZone(c.nowMicros, zone) +
                               "): a timer moves to the future only");
  }
  if (c.dueMicros == t.dueMicros) return Error::refused(describeTimer(t, zone) + " is already due then");
  // The deadline's timer is due at the first instant after the deadline's
  // whole second (the deadline is written to the second).
  if (t.action == TimerAction::CloseSubmissions && c.dueMicros % closeSubmissionsDelayMicros != 0) {
    return Error::invalidInput("the deadline's timer moves to a whole second, not " +
                               formatInZone(c.dueMicros, zone));
  }
  return okStatus();
}

Status checkDueInRange(std::int64_t dueMicros) {
  using namespace std::chrono;
  const auto micros = [](sys_days day) {
    return duration_cast<microseconds>(day.time_since_epoch()).count();
  };
  const std::int64_t first = micros(year(civilYearMin) / January / 1);
  const std::int64_t last = micros(year(civilYearMax + 1) / January / 1) - 1;
  if (dueMicros >= first && dueMicros <= last) return okStatus();
  return Error::invalidInput("due instant " + std::to_string(dueMicros) +
                             " µs is outside the years " + std::to_string(civilYearMin) + " to " +
                             std::to_string(civilYearMax));
}

Result<std::vector<DomainEvent>> decideTimer(const CampaignState& state,
                                             const TimerCommand& command, std::string_view reason) {
  if (!state.exists) {
    return Error::notFound("no campaign \"" + state.campaignId + "\": it has no timers");
  }
  return std::visit(
      [&](const auto& c) -> Result<std::vector<DomainEvent>> {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, timer_command::Fire>) {
          return fire(state, c, reason);
        } else if constexpr (std::is_same_v<C, timer_command::Reschedule>) {
          return reschedule(state, c, reason);
        } else {
          auto found = pendingTimer(state, c.timerId);
          if (!found) return found.error();
          if (reason.empty()) return Error::invalidInput("cancelling a timer says why (a reason)");
          return std::vector<DomainEvent>{cancelled(state, **found, reason)};
        }
      },
      command);
}

namespace {

constexpr std::int64_t microsPerDay = 86'400'000'000;

// None when the rules declare none, or when it would fall before the
// calendar's first year (a scoring_closes in early 1583).
std::optional<std::int64_t> jurorReminderDue(const CampaignRules& rules) {
  if (rules.jurorsDaysBefore == 0) return std::nullopt;
  const std::int64_t due =
      rules.scoringClosesMicros - std::int64_t{rules.jurorsDaysBefore} * microsPerDay;
  if (!checkDueInRange(due)) return std::nullopt;
  return due;
}

DomainEvent scheduled(const std::string& campaignId, std::uint32_t rulesVersion,
                      std::string_view reason, TimerAction action, std::uint64_t version,
                      std::int64_t due) {
  CampaignEventBuilder b(campaignId, rulesVersion, reason);
  auto t = b.event.initTimerScheduled();
  t.setTimerId(timerId(campaignStream(campaignId), action, version));
  t.setDueMicros(due);
  t.setAction(writeTimerAction(action));
  return b.done();
}

}  // namespace

DomainEvent scheduleDeadlineTimer(const CampaignDefinition& definition, std::string_view reason) {
  return scheduled(definition.campaignId, 1, reason, TimerAction::CloseSubmissions, 2,
                   definition.rules.deadlineMicros + closeSubmissionsDelayMicros);
}

std::optional<DomainEvent> moveDeadlineTimer(const CampaignState& before,
                                             const CampaignRules& amended, std::string_view reason) {
  // An amendment states the deadline anew: the pending timer follows it,
  // even back from a person's move (CampaignState::deadlineMicros).
  const TimerRecord* t = before.pendingTimer(TimerAction::CloseSubmissions);
  const std::int64_t due = amended.deadlineMicros + closeSubmissionsDelayMicros;
  if (t == nullptr || t->dueMicros == due) return std::nullopt;
  CampaignEventBuilder b(before.campaignId, before.rulesVersion() + 1, reason);
  auto moved = b.event.initTimerRescheduled();
  moved.setTimerId(t->timerId);
  moved.setPreviousDueMicros(t->dueMicros);
  moved.setDueMicros(due);
  return b.done();
}


std::optional<DomainEvent> scheduleJurorReminder(const CampaignDefinition& definition,
                                                 std::string_view reason) {
  const auto due = jurorReminderDue(definition.rules);
  if (!due) return std::nullopt;
  return scheduled(definition.campaignId, 1, reason, TimerAction::RemindJurors, 3, *due);
}

std::optional<DomainEvent> followJurorReminder(const CampaignState& before,
                                               const CampaignRules& amended,
                                               std::uint64_t version, std::string_view reason) {
  const TimerRecord* pending = before.pendingTimer(TimerAction::RemindJurors);
  const auto due = jurorReminderDue(amended);
  const std::uint32_t rulesVersion = before.rulesVersion() + 1;
  if (pending == nullptr) {
    const bool ever = std::any_of(before.timers.begin(), before.timers.end(), [](const auto& t) {
      return t.second.action == TimerAction::RemindJurors;
    });
    if (!due || ever) return std::nullopt;
    return scheduled(before.campaignId, rulesVersion, reason, TimerAction::RemindJurors, version,
                     *due);
  }
  CampaignEventBuilder b(before.campaignId, rulesVersion, reason);
  if (!due) {
    auto cancel = b.event.initTimerCancelled();
    cancel.setTimerId(pending->timerId);
    cancel.setDueMicros(pending->dueMicros);
    return b.done();
  }
  if (*due == pending->dueMicros) return std::nullopt;
  auto moved = b.event.initTimerRescheduled();
  moved.setTimerId(pending->timerId);
  moved.setPreviousDueMicros(pending->dueMicros);
  moved.setDueMicros(*due);
  return b.done();
}

std::map<std::string, std::uint32_t> unscoredByJuror(
    const CampaignState& campaign, const std::vector<const DossierState*>& dossiers) {
  std::map<std::string, std::uint32_t> unscored;
  for (const DossierState* d : dossiers) {
    const bool beingScored =
        d->status == DossierStatus::Auditioned ||
        (d->status == DossierStatus::Eligible && !campaign.rules().auditionsHeld);
    if (!beingScored || d->campaignId != campaign.campaignId) continue;
    for (const JuryMember* juror : campaign.scorers(d->dossierId)) {
      if (!d->scores.contains(juror->id)) ++unscored[juror->id];
    }
  }
  return unscored;
}

std::optional<DomainEvent> cancelDeadlineTimer(const CampaignState& before,
                                               std::string_view reason) {
  const TimerRecord* t = before.pendingTimer(TimerAction::CloseSubmissions);
  if (t == nullptr) return std::nullopt;
  return cancelled(before, *t, reason);
}

}  // namespace parcours::workflows
