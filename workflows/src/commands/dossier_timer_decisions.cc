// A dossier's timer decisions (timers.h): the statutory delay's firing
// (the decision deemed taken, through the dossier machine), its warning's,
// and a person's move or cancel, which its pending warning follows.
#include <algorithm>
#include <string>

#include "commands/dossier_timer_event.h"
#include "commands/timer_events.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {


struct Owner {
  const std::string& dossierId;
  const DossierState& dossier;
  const CampaignState& campaign;
  const std::string& zone() const { return campaign.rules().timeZone; }
};

// The statutory delay the timer was scheduled under (the rules version it
// records), whatever was amended since.
const StatutoryDelay& delayOf(const TimerRecord& t, const CampaignState& campaign) {
  const std::uint32_t version = t.rulesVersion;
  if (version >= 1 && version <= campaign.rulesVersions.size()) {
    return campaign.rulesVersions[version - 1].statutoryDelay;
  }
  return campaign.rules().statutoryDelay;
}

Result<std::vector<DomainEvent>> fire(const Owner& o, const TimerRecord& t, std::int64_t now,
                                      std::string_view givenReason) {
  if (now < t.dueMicros) {
    return Error::refused(describeTimer(t, o.zone()) + " is not due yet: it is " +
                          formatInZone(now, o.zone()));
  }
  const StatutoryDelay& delay = delayOf(t, o.campaign);
  const std::string outcomeName(deemedOutcomeName(delay.outcome));
  const bool decided = isTerminal(o.dossier.status) || o.dossier.status == DossierStatus::Voted;
  std::vector<DomainEvent> effects;
  std::string outcome;
  std::string reason(givenReason);
  if (t.action == TimerAction::WarnDeemedDecision) {
    const TimerRecord* deem = o.dossier.pendingTimer(TimerAction::DeemDecision);
    outcome = deem == nullptr ? "nothing to do: no decision is pending on the delay"
                              : "the decision is deemed " + outcomeName + " on " +
                                    formatInZone(deem->dueMicros, o.zone()) +
                                    " unless it is taken before";
    if (reason.empty()) reason = outcome;
  } else if (t.action == TimerAction::ReconveneVote) {
    outcome = decided ? "nothing to do: the dossier is already " +
                            std::string(statusName(o.dossier.status))
                      : "the meeting on dossier \"" + o.dossierId +
                            "\" is held again, of right: its vote is valid whatever the "
                            "attendance (CGCT L4132-13)";
    if (reason.empty()) reason = outcome;
  } else if (t.action == TimerAction::RemindAdministrators) {
    const std::int64_t waited = (now - t.scheduledAtMicros) / 86'400'000'000;
    outcome = decided ? "nothing to do: the dossier is already " +
                            std::string(statusName(o.dossier.status))
                      : "dossier \"" + o.dossierId + "\" has waited " + std::to_string(waited) +
                            " days as " + std::string(statusName(o.dossier.status)) +
                            ", past the service level: the administrators are reminded";
    if (reason.empty()) reason = outcome;
  } else if (t.action != TimerAction::DeemDecision) {
    // An action a newer parcours wrote, or a campaign's: never guessed.
    return Error::refused(describeTimer(t, o.zone()) + " does an action a dossier's timer does not");
  } else if (decided) {
    outcome = "nothing to do: the dossier is already " +
              std::string(statusName(o.dossier.status));
  } else {
    if (reason.empty()) {
      reason = "no decision within " + describeDelay(delay) + " of the complete file (" +
               formatInZone(o.dossier.submittedAtMicros, o.zone()) + "): deemed " + outcomeName +
               " (" + delay.legalBasis + ")";
    }
    DossierState after = o.dossier;
    after.timers[t.timerId].status = TimerStatus::Fired;
    const dossier_command::DeemDecision deem{delay.outcome, delay.legalBasis, describeDelay(delay),
                                             o.dossier.submittedAtMicros};
    auto decision = decideDossier(o.dossierId, after, o.campaign, deem,
                                  DecisionInput{now, timerActor(t.timerId), reason});
    if (decision) {
      effects = std::move(decision->dossierEvents);
      outcome = "decision deemed " + outcomeName + ": " + std::string(statusName(decision->next));
    } else {
      outcome = "nothing done, refused: " + decision.error().message;
    }
  }
  DossierTimerEvent b(o.dossierId, o.campaign, reason);
  writeTimerFired(b.event.initDossierTimerFired(), t, outcome);
  std::vector<DomainEvent> events{b.done()};
  for (DomainEvent& e : effects) events.push_back(std::move(e));
  return events;
}

// The pending warning of a delay's timer follows it: moved by as much, to
// now at the earliest (then it fires at once), or cancelled with it.
const TimerRecord* followingWarning(const Owner& o, const TimerRecord& t) {
  if (t.action != TimerAction::DeemDecision) return nullptr;
  return o.dossier.pendingTimer(TimerAction::WarnDeemedDecision);
}

Result<std::vector<DomainEvent>> reschedule(const Owner& o, const TimerRecord& t,
                                            const timer_command::Reschedule& c,
                                            std::string_view reason) {
  if (auto s = checkReschedule(t, c, reason, o.zone()); !s) return s.error();
  const auto moved = [&](const TimerRecord& timer, std::int64_t due) {
    DossierTimerEvent b(o.dossierId, o.campaign, reason);
    auto m = b.event.initDossierTimerRescheduled();
    m.setTimerId(timer.timerId);
    m.setPreviousDueMicros(timer.dueMicros);
    m.setDueMicros(due);
    return b.done();
  };
  std::vector<DomainEvent> events{moved(t, c.dueMicros)};
  if (const TimerRecord* warning = followingWarning(o, t)) {
    const std::int64_t lead = t.dueMicros - warning->dueMicros;
    events.push_back(moved(*warning, std::max(c.dueMicros - lead, c.nowMicros)));
  }
  return events;
}

std::vector<DomainEvent> cancel(const Owner& o, const TimerRecord& t, std::string_view reason) {
  const auto cancelled = [&](const TimerRecord& timer) {
    DossierTimerEvent b(o.dossierId, o.campaign, reason);
    auto m = b.event.initDossierTimerCancelled();
    m.setTimerId(timer.timerId);
    m.setDueMicros(timer.dueMicros);
    return b.done();
  };
  std::vector<DomainEvent> events{cancelled(t)};
  if (const TimerRecord* warning = followingWarning(o, t)) events.push_back(cancelled(*warning));
  return events;
}

}  // namespace

Result<std::vector<DomainEvent>> decideTimer(const std::string& dossierId,
                                             const DossierState& dossier,
                                             const CampaignState& campaign,
                                             const TimerCommand& command, std::string_view reason) {
  if (dossier.status == DossierStatus::Absent || !campaign.exists) {
    return Error::notFound("no dossier \"" + dossierId + "\": it has no timers");
  }
  const Owner owner{dossierId, dossier, campaign};
  return std::visit(
      [&](const auto& c) -> Result<std::vector<DomainEvent>> {
        auto found = pendingTimerIn(dossier.timers, c.timerId,
                                    "dossier \"" + dossierId + "\"", owner.zone());
        if (!found) return found.error();
        const TimerRecord& t = **found;
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, timer_command::Fire>) {
          return fire(owner, t, c.nowMicros, reason);
        } else if constexpr (std::is_same_v<C, timer_command::Reschedule>) {
          return reschedule(owner, t, c, reason);
        } else {
          if (reason.empty()) return Error::invalidInput("cancelling a timer says why (a reason)");
          return cancel(owner, t, reason);
        }
      },
      command);
}

}  // namespace parcours::workflows
