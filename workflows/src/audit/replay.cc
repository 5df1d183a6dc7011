#include "parcours/workflows/replay.h"

#include "commands/judging_inputs.h"

#include <capnp/any.h>

#include <algorithm>
#include <map>
#include <set>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/limits.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/zoned_time.h"
#include "views/event_summary.h"

namespace parcours::workflows {
namespace {

constexpr std::string_view dossierPrefix = dossierStreamPrefix;
constexpr std::string_view campaignPrefix = campaignStreamPrefix;

using Events = std::vector<store::RecordedEvent>;

// Whether a recorded payload says what a decision yields. The same bytes
// do; otherwise their canonical forms are compared: a log written by an
// earlier parcours holds structs its schema had then, shorter than this
// build's (fields added since read as their zero defaults), and the same
// meaning in other bytes must not read as a divergence.
bool samePayload(std::string_view recorded, std::string_view decided, std::string_view type) {
  if (recorded == decided) return true;
  const auto canonical = [&](std::string_view bytes) -> Result<std::string> {
    return readPayload<capnp::AnyStruct>(bytes, type, [](capnp::AnyStruct::Reader root) -> Result<std::string> {
      kj::Array<capnp::word> words = root.canonicalize();
      return std::string(words.asChars().begin(), words.asChars().size());
    });
  };
  auto a = canonical(recorded);
  auto b = canonical(decided);
  return a && b && *a == *b;
}

// "LabelAwarded (label awarded: Territoire innovant)": an event in words.
std::string describe(std::string_view type, std::string_view payload) {
  std::string words;
  auto s = isDossierEventType(type)
               ? readPayload<schema::DossierEvent>(payload, type,
                                                   [&](schema::DossierEvent::Reader e) -> Status {
                                                     words = views::summarize(e);
                                                     return okStatus();
                                                   })
               : readPayload<schema::CampaignEvent>(
                     payload, type, [&](schema::CampaignEvent::Reader e) -> Status {
                       words = views::summarize(e);
                       return okStatus();
                     });
  if (!s) return std::string(type) + " (does not decode)";
  return std::string(type) + " (" + words + ")";
}

std::string describeAll(const std::vector<std::pair<std::string, std::string>>& events) {
  if (events.empty()) return "nothing";
  std::string out;
  for (const auto& [type, payload] : events) {
    out += (out.empty() ? "" : "; ") + describe(type, payload);
  }
  return out;
}

// The sum of the FundingGranted events in a decision's run; none when it
// has none.
Result<std::optional<std::int64_t>> grantedIn(const std::vector<const store::RecordedEvent*>& run) {
  using E = schema::DossierEvent;
  std::optional<std::int64_t> total;
  for (const store::RecordedEvent* r : run) {
    auto amount = readPayload<E>(r->payload, r->eventType,
                                 [](E::Reader x) -> Result<std::optional<std::int64_t>> {
                                   if (!x.isFundingGranted()) return std::optional<std::int64_t>();
                                   return std::optional(x.getFundingGranted().getAmountCents());
                                 });
    if (!amount) return std::move(amount).takeError();
    if (!*amount) continue;
    if (auto s = checkRecordedCents("FundingGranted's amountCents", **amount); !s) {
      return s.error();
    }
    // Both within [0, centsMax]: their sum cannot overflow.
    if (auto s = checkRecordedCents("the grant", total.value_or(0) + **amount); !s) {
      return s.error();
    }
    total = total.value_or(0) + **amount;
  }
  return total;
}

// The command a dossier decision's first event records. `run` is that event
// and the ones after it in its stream that share its append's time, actor
// and command id (a grant's amount is in its FundingGranted).
Result<DossierCommand> dossierCommandOf(const store::RecordedEvent& first,
                                        const std::vector<const store::RecordedEvent*>& run,
                                        std::string& reason) {
  using E = schema::DossierEvent;
  return readPayload<E>(first.payload, first.eventType, [&](E::Reader e) -> Result<DossierCommand> {
    reason = toString(e.getReason());
    switch (e.which()) {
      case E::DOSSIER_SUBMITTED: {
        auto s = e.getDossierSubmitted();
        dossier_command::Submit submit{toString(e.getCampaignId()),
                                       readApplication(s.getApplication()),
                                       {}};
        submit.sealed.sealed.assign(reinterpret_cast<const char*>(s.getSealedContact().begin()),
                                    s.getSealedContact().size());
        for (auto f : s.getContactFields()) submit.sealed.fields.push_back(toString(f));
        submit.sealedAnswers.sealed.assign(
            reinterpret_cast<const char*>(s.getSealedAnswers().begin()), s.getSealedAnswers().size());
        for (auto p : s.getAnswerFields()) submit.sealedAnswers.pointers.push_back(toString(p));
        return DossierCommand(std::move(submit));
      }
      case E::ELIGIBILITY_CONFIRMED:
        return DossierCommand(dossier_command::ConfirmEligibility{});
      case E::DOSSIER_DECLARED_INELIGIBLE:
        return DossierCommand(dossier_command::DeclareIneligible{});
      case E::DOSSIER_NOT_SELECTED:
        return DossierCommand(dossier_command::NotSelect{});
      case E::AUDITION_SCHEDULED:
        return DossierCommand(dossier_command::ScheduleAudition{
            e.getAuditionScheduled().getSlotMicros(), toString(e.getAuditionScheduled().getRoundId()),
            toString(e.getAuditionScheduled().getLink())});
      case E::AUDITION_HELD:
        return DossierCommand(dossier_command::RecordAuditionHeld{});
      case E::AUDITION_MISSED:
        return DossierCommand(dossier_command::RecordNoShow{});
      case E::SCORE_RECORDED: {
        dossier_command::RecordScore score;
        score.jurorId = toString(e.getScoreRecorded().getJurorId());
        for (auto c : e.getScoreRecorded().getScores()) {
          score.scores.push_back({toString(c.getCriterionId()), c.getValue()});
        }
        return DossierCommand(std::move(score));
      }
      case E::SCORING_CLOSED:
        return DossierCommand(dossier_command::CloseScoring{});
      case E::VOTE_CAST:
        return DossierCommand(dossier_command::CastVote{
            toString(e.getVoteCast().getVoterId()), readChoice(e.getVoteCast().getChoice()),
            toString(e.getVoteCast().getProxyHolderId())});
      case E::VOTE_CLOSED: {
        // Who was present, the proxies and the lot's seed are the command's
        // own inputs; so is the amount a deliberation granted (its
        // FundingGranted in the same append; none: nothing).
        dossier_command::CloseVote close;
        for (auto p : e.getVoteClosed().getPresent()) close.present.push_back(toString(p));
        for (auto p : e.getVoteClosed().getProxies()) {
          close.proxies.emplace_back(toString(p.getGiverId()), toString(p.getHolderId()));
        }
        close.lotSeed = toString(e.getVoteClosed().getLotSeed());
        auto granted = grantedIn(run);
        if (!granted) return std::move(granted).takeError();
        close.amountCents = *granted;  // none when the run granted nothing
        return DossierCommand(std::move(close));
      }
      case E::VOTE_ADJOURNED: {
        dossier_command::CloseVote close;
        for (auto p : e.getVoteAdjourned().getPresent()) close.present.push_back(toString(p));
        for (auto p : e.getVoteAdjourned().getProxies()) {
          close.proxies.emplace_back(toString(p.getGiverId()), toString(p.getHolderId()));
        }
        close.lotSeed = toString(e.getVoteAdjourned().getLotSeed());
        return DossierCommand(std::move(close));
      }
      case E::LABEL_AWARDED:
      case E::FUNDING_GRANTED: {
        auto granted = grantedIn(run);
        if (!granted) return std::move(granted).takeError();
        return DossierCommand(dossier_command::Award{granted->value_or(0)});
      }
      case E::DOSSIER_WITHDRAWN:
        return DossierCommand(dossier_command::Withdraw{});
      case E::DOSSIER_ERASED:
        return DossierCommand(dossier_command::Erase{});
      case E::DECISION_DEEMED: {
        // Only a delay's timer deems a decision, after its DossierTimerFired.
        auto d = e.getDecisionDeemed();
        return DossierCommand(dossier_command::DeemDecision{
            d.getOutcome() == schema::DeemedOutcome::ACCEPTED ? DeemedOutcome::Accepted
                                                              : DeemedOutcome::Refused,
            toString(d.getLegalBasis()), toString(d.getDelay()), d.getCompleteMicros()});
      }
      case E::DOSSIER_TIMER_SCHEDULED:
      case E::DOSSIER_TIMER_RESCHEDULED:
      case E::DOSSIER_TIMER_CANCELLED:
      case E::DOSSIER_TIMER_FIRED:  // replayDossierDecision replays them as timer commands
        return Error::bug(std::string(first.eventType) + " reached the command builder");
    }
    return Error::corruption("event " + std::to_string(first.position) +
                             " is a dossier event of an unknown kind");
  });
}

// The campaign command a campaign decision's event records; nullopt for a
// FundingCommitted, which only a dossier's grant yields.
// The judging commands' gathered inputs (dossier strands, score sheets,
// candidates) are filled afterwards from the replay's dossier folds, as
// the workflow service filled them from the log.
Result<std::optional<CampaignCommand>> campaignCommandOf(
    const store::RecordedEvent& first, const std::vector<const store::RecordedEvent*>& run,
    std::string& reason) {
  using E = schema::CampaignEvent;
  using Out = std::optional<CampaignCommand>;
  return readPayload<E>(first.payload, first.eventType, [&](E::Reader e) -> Result<Out> {
    reason = toString(e.getReason());
    switch (e.which()) {
      case E::CAMPAIGN_OPENED:
        return Out(campaign_command::Open{
            {toString(e.getCampaignId()), readRules(e.getCampaignOpened().getRules())}});
      case E::RULES_AMENDED:
        return Out(campaign_command::AmendRules{readRules(e.getRulesAmended().getRules())});
      case E::JURY_APPOINTED: {
        campaign_command::AppointJury jury;
        for (auto m : e.getJuryAppointed().getMembers()) {
          JuryMember member{toString(m.getId()), toString(m.getName()), readJuryRole(m.getRole()),
                            {}};
          for (auto tag : m.getExpertise()) member.expertise.push_back(toString(tag));
          jury.members.push_back(std::move(member));
        }
        return Out(std::move(jury));
      }
      case E::CONFLICT_OF_INTEREST_DECLARED:  // replayCampaignDecision folds it first
        return Error::bug("ConflictOfInterestDeclared reached the command builder");
      case E::PHASE_CHANGED:
        return Out(campaign_command::ChangePhase{readPhase(e.getPhaseChanged().getPhase())});
      case E::BUDGET_ENVELOPE_SET:
        return Out(campaign_command::SetBudgetEnvelope{e.getBudgetEnvelopeSet().getEnvelopeCents()});
      case E::FUNDING_COMMITTED:
        return Out();
      case E::CONFLICT_DECLARED: {
        const auto d = e.getConflictDeclared();
        return Out(campaign_command::DeclareConflict{
            toString(d.getJurorId()), toString(d.getDossierId()),
            d.getDeclaredBy() == schema::ConflictSource::JUROR ? ConflictSource::Juror
                                                               : ConflictSource::Administrator});
      }
      case E::CONFLICT_RULED: {
        const auto r = e.getConflictRuled();
        return Out(campaign_command::RuleConflict{toString(r.getJurorId()),
                                                  toString(r.getDossierId()), r.getUpheld(), {}});
      }
      case E::ASSIGNMENT_COMMITTED:
        return Out(campaign_command::CommitAssignment{
            toString(e.getAssignmentCommitted().getSeedCommitment())});
      case E::ASSIGNMENT_DRAWN: {
        // The dossiers drawn are the command's: every part of the append.
        campaign_command::RevealAssignment reveal;
        reveal.seed = toString(e.getAssignmentDrawn().getSeed());
        for (const store::RecordedEvent* part : run) {
          auto ids = readPayload<E>(part->payload, part->eventType,
                                    [&](E::Reader p) -> Result<std::vector<std::string>> {
                                      std::vector<std::string> out;
                                      if (!p.isAssignmentDrawn()) return out;
                                      for (auto d : p.getAssignmentDrawn().getDossiers()) {
                                        out.push_back(toString(d.getDossierId()));
                                      }
                                      return out;
                                    });
          if (!ids) return ids.error();
          reveal.dossierIds.insert(reveal.dossierIds.end(), ids->begin(), ids->end());
        }
        return Out(std::move(reveal));
      }
      case E::ASSIGNMENT_CHANGED: {
        const auto c = e.getAssignmentChanged();
        return Out(campaign_command::ChangeAssignment{toString(c.getDossierId()),
                                                      toString(c.getRemovedJurorId()),
                                                      toString(c.getAddedJurorId())});
      }
      case E::SCORING_ROUND_FROZEN:
      case E::SCORING_ROUND_CLOSED:
        return Out(campaign_command::CloseRound{});
      case E::CONSENSUS_RECORDED:
        return Out(campaign_command::RecordConsensus{
            toString(e.getConsensusRecorded().getDossierId()), 0});
      case E::SELECTION_RECORDED:
        return Out(campaign_command::RecordSelection{});
      case E::AUDITIONS_BROADCAST: {
        const auto b = e.getAuditionsBroadcast();
        return Out(campaign_command::RecordMilestone{campaign_command::Milestone::AuditionsBroadcast,
                                                     toString(b.getRoundId()), toString(b.getWhere()),
                                                     toString(b.getUrl()), first.recordedAtMicros});
      }
      case E::CEREMONY_HELD:
        return Out(campaign_command::RecordMilestone{campaign_command::Milestone::CeremonyHeld, "",
                                                     toString(e.getCeremonyHeld().getWhere()), "",
                                                     first.recordedAtMicros});
      case E::LAUREATES_PUBLISHED:
        return Out(campaign_command::RecordMilestone{
            campaign_command::Milestone::LaureatesPublished, "", "",
            toString(e.getLaureatesPublished().getUrl()), first.recordedAtMicros});
      case E::LOT_SEED_COMMITTED:
        return Out(campaign_command::CommitLotSeed{
            toString(e.getLotSeedCommitted().getSeedCommitment())});
      case E::TIMER_SCHEDULED:
      case E::TIMER_RESCHEDULED:
      case E::TIMER_CANCELLED:
      case E::TIMER_FIRED:  // replayCampaignDecision replays them as timer commands
        return Error::bug(std::string(first.eventType) + " reached the command builder");
    }
    return Error::corruption("event " + std::to_string(first.position) +
                             " is a campaign event of an unknown kind");
  });
}

// The timer command an append headed by a timer event records (the
// campaign's TimerFired... or a dossier's DossierTimerFired...). A
// scheduling never heads one (a decision schedules it after its own
// event): such a run is a forgery the rules refuse.
template <typename Fired, typename Moved, typename Cancelled>
Result<TimerCommand> timerCommandFrom(const store::RecordedEvent& first, const Fired* fired,
                                      const Moved* moved, const Cancelled* cancelled) {
  if (fired != nullptr) {
    return TimerCommand(timer_command::Fire{toString(fired->getTimerId()), first.recordedAtMicros});
  }
  if (moved != nullptr) {
    return TimerCommand(timer_command::Reschedule{toString(moved->getTimerId()),
                                                  moved->getDueMicros(), first.recordedAtMicros});
  }
  if (cancelled != nullptr) {
    return TimerCommand(timer_command::Cancel{toString(cancelled->getTimerId())});
  }
  return Error::refused(std::string(first.eventType) +
                        " is yielded only by a decision, after its own event");
}

Result<TimerCommand> timerCommandOf(const store::RecordedEvent& first, std::string& reason) {
  if (first.streamId.starts_with(dossierStreamPrefix)) {
    using E = schema::DossierEvent;
    return readPayload<E>(first.payload, first.eventType, [&](E::Reader e) -> Result<TimerCommand> {
      reason = toString(e.getReason());
      std::optional<schema::TimerFired::Reader> fired;
      std::optional<schema::TimerRescheduled::Reader> moved;
      std::optional<schema::TimerCancelled::Reader> cancelled;
      if (e.isDossierTimerFired()) fired = e.getDossierTimerFired();
      if (e.isDossierTimerRescheduled()) moved = e.getDossierTimerRescheduled();
      if (e.isDossierTimerCancelled()) cancelled = e.getDossierTimerCancelled();
      return timerCommandFrom(first, fired ? &*fired : nullptr, moved ? &*moved : nullptr,
                              cancelled ? &*cancelled : nullptr);
    });
  }
  using E = schema::CampaignEvent;
  return readPayload<E>(first.payload, first.eventType, [&](E::Reader e) -> Result<TimerCommand> {
    reason = toString(e.getReason());
    std::optional<schema::TimerFired::Reader> fired;
    std::optional<schema::TimerRescheduled::Reader> moved;
    std::optional<schema::TimerCancelled::Reader> cancelled;
    if (e.isTimerFired()) fired = e.getTimerFired();
    if (e.isTimerRescheduled()) moved = e.getTimerRescheduled();
    if (e.isTimerCancelled()) cancelled = e.getTimerCancelled();
    return timerCommandFrom(first, fired ? &*fired : nullptr, moved ? &*moved : nullptr,
                            cancelled ? &*cancelled : nullptr);
  });
}

std::string_view campaignCommandName(const CampaignCommand& command) {
  // In the order of the CampaignCommand variant's alternatives.
  static constexpr std::string_view names[] = {
      "open",           "amend rules",      "appoint jury",     "declare conflict",
      "change phase",   "set budget envelope", "rule on a conflict", "commit the draw's seed",
      "reveal the draw", "change the draw", "close the scoring round", "record a consensus",
      "record the selection", "commit the lot's seed", "record a milestone"};
  static_assert(std::size(names) == std::variant_size_v<CampaignCommand>);
  return names[command.index()];
}

// A log written before timers existed recorded decisions without the timer
// events they now add (docs/timers.md): a campaign's opening without its
// deadline's timer, a vote adjourned without the meeting held again.
// Where the decision's first timer event (of type `prefix`...) should be,
// the record holds none (the run ends, or the next event of the stream is
// another decision's), so the decision is checked as its time made it.
void trimTimersNotYetWritten(std::vector<DomainEvent>& decided,
                             const std::vector<const store::RecordedEvent*>& run,
                             std::string_view prefix) {
  const auto firstTimer = std::find_if(decided.begin(), decided.end(), [&](const DomainEvent& e) {
    return e.type.starts_with(prefix);
  });
  const auto k = static_cast<std::size_t>(firstTimer - decided.begin());
  if (firstTimer != decided.end() && (k >= run.size() || !run[k]->eventType.starts_with(prefix))) {
    decided.resize(k);
  }
}

class Replayer {
 public:
  // `everyDossierRead`: the events hold every dossier stream of their
  // campaigns (false for one dossier's replay).
  explicit Replayer(Events events, bool everyDossierRead = true)
      : events_(std::move(events)), everyDossierRead_(everyDossierRead) {
    std::sort(events_.begin(), events_.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    consumed_.assign(events_.size(), false);
    for (const store::RecordedEvent& e : events_) streams_.insert(e.streamId);
  }

  Result<ReplayReport> run() {
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (consumed_[i]) continue;
      const store::RecordedEvent& e = events_[i];
      Status s = okStatus();
      if (e.streamId.starts_with(dossierPrefix)) {
        s = replayDossierDecision(i);
      } else if (e.streamId.starts_with(campaignPrefix)) {
        s = replayCampaignDecision(i);
      } else {
        consumed_[i] = true;  // not a workflow stream (e.g. log-anchors)
        continue;
      }
      if (!s) return s.error();
    }
    return std::move(report_);
  }

 private:
  // The index of the next unconsumed event of `stream` after `from`.
  std::optional<std::size_t> nextOf(const std::string& stream, std::size_t from) const {
    for (std::size_t j = from + 1; j < events_.size(); ++j) {
      if (!consumed_[j] && events_[j].streamId == stream) return j;
    }
    return std::nullopt;
  }

  // The first event and the ones after it that belong to the same append
  // as far as the envelopes tell (same time, actor and command id,
  // consecutive positions); with `sameStream`, only those of its stream
  // (a grant's FundingCommitted follows on the campaign's).
  std::vector<std::size_t> runFrom(std::size_t first, bool sameStream) const {
    std::vector<std::size_t> run{first};
    const store::RecordedEvent& head = events_[first];
    for (std::size_t j = first + 1; j < events_.size(); ++j) {
      const store::RecordedEvent& e = events_[j];
      if (e.position != events_[run.back()].position + 1 || consumed_[j]) break;
      if (e.recordedAtMicros != head.recordedAtMicros || e.actor != head.actor ||
          e.commandId != head.commandId) {
        break;
      }
      if (sameStream && e.streamId != head.streamId) break;
      run.push_back(j);
    }
    return run;
  }

  // Compares what the machine yields with the events that follow `first`
  // in the streams it writes; consumes and folds the recorded ones.
  Status check(std::size_t first, const std::string& dossierId, std::string_view decision,
               const Result<std::vector<DomainEvent>>& decidedOwn,
               const std::vector<DomainEvent>& decidedCampaign,
               const std::string& campaignStreamId) {
    const store::RecordedEvent& head = events_[first];
    ++report_.decisionsChecked;
    std::vector<std::size_t> taken;
    bool same = decidedOwn.ok();
    if (same) {
      // The machine's events, in order, must be the stream's next ones,
      // then its campaign events the campaign stream's next ones, all at
      // consecutive positions (one append).
      std::size_t cursor = first;
      store::Position expectedPosition = head.position;
      auto take = [&](const std::string& stream, const DomainEvent& want, bool firstOne) {
        std::optional<std::size_t> at = firstOne ? std::optional(first) : nextOf(stream, cursor);
        if (!at || events_[*at].position != expectedPosition ||
            events_[*at].eventType != want.type ||
            !samePayload(events_[*at].payload, want.payload, want.type)) {
          return false;
        }
        taken.push_back(*at);
        cursor = *at;
        ++expectedPosition;
        return true;
      };
      for (std::size_t k = 0; same && k < decidedOwn->size(); ++k) {
        same = take(head.streamId, (*decidedOwn)[k], k == 0);
      }
      for (std::size_t k = 0; same && k < decidedCampaign.size(); ++k) {
        same = take(campaignStreamId, decidedCampaign[k], false);
      }
      same = same && !decidedOwn->empty();
    }
    if (!same) {
      // Recorded: the decision's whole append, every stream.
      taken = runFrom(first, false);
      Divergence d;
      d.position = head.position;
      d.streamId = head.streamId;
      d.dossierId = dossierId;
      d.decision = std::string(decision);
      if (!decidedOwn) {
        d.rulesSay = "the rules refuse it: " + decidedOwn.error().message;
      } else {
        std::vector<std::pair<std::string, std::string>> yielded;
        for (const DomainEvent& x : *decidedOwn) yielded.emplace_back(x.type, x.payload);
        for (const DomainEvent& x : decidedCampaign) yielded.emplace_back(x.type, x.payload);
        d.rulesSay = "the rules yield " + describeAll(yielded);
      }
      std::vector<std::pair<std::string, std::string>> recorded;
      for (std::size_t j : taken) recorded.emplace_back(events_[j].eventType, events_[j].payload);
      d.recorded = "by " + head.actor + " at " + formatUtc(head.recordedAtMicros) + ": " +
                   describeAll(recorded);
      report_.divergences.push_back(std::move(d));
    }
    for (std::size_t j : taken) {
      consumed_[j] = true;
      ++report_.eventsChecked;
      if (auto s = fold(events_[j]); !s) return s;
    }
    return okStatus();
  }

  Status fold(const store::RecordedEvent& e) {
    if (e.streamId.starts_with(campaignPrefix)) {
      CampaignState& c = campaigns_[e.streamId.substr(campaignPrefix.size())];
      c.campaignId = e.streamId.substr(campaignPrefix.size());
      return applyCampaignEvent(c, e.eventType, e.payload, e.recordedAtMicros);
    }
    DossierState& d = dossiers_[e.streamId.substr(dossierPrefix.size())];
    return applyDossierEvent(d, e.eventType, e.payload, e.recordedAtMicros);
  }

  Status replayDossierDecision(std::size_t first) {
    const store::RecordedEvent& head = events_[first];
    if (head.eventType.starts_with("DossierTimer")) return replayTimerDecision(first);
    const std::string dossierId = head.streamId.substr(dossierPrefix.size());
    std::vector<const store::RecordedEvent*> run;
    for (std::size_t j : runFrom(first, true)) run.push_back(&events_[j]);
    std::string reason;
    auto command = dossierCommandOf(head, run, reason);
    if (!command) return command.error();
    const DossierState& dossier = dossiers_[dossierId];
    // A stream that does not start with a submission (a forged log) names
    // no campaign: it is refused below as not submitted.
    const auto* submit = std::get_if<dossier_command::Submit>(&*command);
    const std::string campaignId = dossier.status == DossierStatus::Absent
                                       ? (submit != nullptr ? submit->campaignId : std::string())
                                       : dossier.campaignId;
    auto campaignIt = campaigns_.find(campaignId);
    static const CampaignState noCampaign{};
    const CampaignState& campaign = campaignIt == campaigns_.end() ? noCampaign : campaignIt->second;
    Result<std::vector<DomainEvent>> own = std::vector<DomainEvent>{};
    std::vector<DomainEvent> onCampaign;
    if (dossier.status == DossierStatus::Absent && submit == nullptr) {
      own = Error::refused("dossier \"" + dossierId + "\" was not submitted");
    } else if (!campaign.exists) {
      own = Error::refused("campaign \"" + campaignId + "\" was not open");
    } else if (std::holds_alternative<dossier_command::DeemDecision>(*command)) {
      // Only a statutory delay's timer deems a decision, after its
      // DossierTimerFired in the same append: alone, it is a forgery.
      own = Error::refused("a decision is deemed only by the dossier's statutory delay, its "
                           "timer's firing recorded first");
    } else {
      const DecisionInput input{head.recordedAtMicros, head.actor, reason};
      auto decided = decideDossier(dossierId, dossier, campaign, *command, input);
      if (!decided) {
        own = std::move(decided).takeError();
      } else {
        own = std::move(decided->dossierEvents);
        onCampaign = std::move(decided->campaignEvents);
        trimTimersNotYetWritten(*own, run, "DossierTimer");
      }
    }
    return check(first, dossierId, commandName(*command), own, onCampaign,
                 std::string(campaignPrefix) + campaignId);
  }

  Status replayCampaignDecision(std::size_t first) {
    const store::RecordedEvent& head = events_[first];
    if (head.eventType == "ConflictOfInterestDeclared") {
      // Written before conflicts were ruled on, when a declaration took
      // effect at once. No command yields it any more: it is checked as the
      // recusal the rules of its time made it, and folded as upheld.
      consumed_[first] = true;
      ++report_.decisionsChecked;
      ++report_.eventsChecked;
      return fold(head);
    }
    if (head.eventType.starts_with("Timer")) return replayTimerDecision(first);
    std::string reason;
    std::vector<const store::RecordedEvent*> run;
    for (std::size_t j : runFrom(first, true)) run.push_back(&events_[j]);
    auto command = campaignCommandOf(head, run, reason);
    if (!command) return command.error();
    const std::string campaignId = head.streamId.substr(campaignPrefix.size());
    if (!command->has_value()) {
      // The campaign's side of a grant to a dossier whose stream is not in
      // scope (replaying one dossier): folded, not judged here.
      auto grantee = readPayload<schema::CampaignEvent>(
          head.payload, head.eventType, [](schema::CampaignEvent::Reader e) -> Result<std::string> {
            return toString(e.getFundingCommitted().getDossierId());
          });
      if (!grantee) return grantee.error();
      if (!streams_.contains(std::string(dossierPrefix) + *grantee)) {
        consumed_[first] = true;
        return fold(head);
      }
      return check(first, "", "commit funding",
                   Error::refused("no decision of the campaign yields a funding commitment on its "
                                  "own: it is the campaign's side of a dossier's grant"),
                   {}, head.streamId);
    }
    CampaignState& campaign = campaigns_[campaignId];
    campaign.campaignId = campaignId;
    CampaignCommand given = **command;
    bool outOfScope = false;
    if (auto* selection = std::get_if<campaign_command::RecordSelection>(&given);
        selection != nullptr && campaign.assignments.empty()) {
      // As the workflow did: with no draw, every dossier of the campaign.
      for (const auto& [id, dossier] : dossiers_) {
        if (dossier.campaignId == campaignId) selection->dossierIds.push_back(id);
      }
    }
    Result<CampaignCommand> gathered = given;
    if (campaign.exists) {
      gathered = gatherJudgingInputs(
          [&](const std::string& dossierId) -> Result<DossierState> {
            outOfScope = outOfScope || !streams_.contains(std::string(dossierPrefix) + dossierId);
            const auto it = dossiers_.find(dossierId);
            if (it != dossiers_.end()) return it->second;
            DossierState absent;
            absent.dossierId = dossierId;
            return absent;
          },
          campaign, given);
    }
    if (outOfScope) {
      // A judging decision over dossiers this replay does not read (one
      // dossier's replay): folded, not judged here, as a grant's
      // commitment is.
      for (const store::RecordedEvent* e : run) {
        consumed_[static_cast<std::size_t>(e - events_.data())] = true;
        if (auto s = fold(*e); !s) return s;
      }
      return okStatus();
    }
    Result<std::vector<DomainEvent>> decided =
        gathered ? decideCampaign(campaign, *gathered, reason)
                 : Result<std::vector<DomainEvent>>(gathered.error());
    if (decided) trimTimersNotYetWritten(*decided, run, "Timer");
    return check(first, "", campaignCommandName(**command), decided, {}, head.streamId);
  }

  // A timer's firing, or a person's move or cancel of a timer, decided
  // again on its owner's state as it stood (docs/timers.md).
  Status replayTimerDecision(std::size_t first) {
    const store::RecordedEvent& head = events_[first];
    const bool onDossier = head.streamId.starts_with(dossierPrefix);
    const std::string ownerId =
        head.streamId.substr(onDossier ? dossierPrefix.size() : campaignPrefix.size());
    const std::string campaignId = onDossier ? dossiers_[ownerId].campaignId : ownerId;
    CampaignState& campaign = campaigns_[campaignId];
    campaign.campaignId = campaignId;
    std::string reason;
    auto command = timerCommandOf(head, reason);
    // The jurors' reminder's input, gathered from the dossiers as they stood.
    if (command && !onDossier) {
      if (auto* fire = std::get_if<timer_command::Fire>(&*command)) {
        auto ref = parseTimerId(fire->timerId);
        if (ref && ref->action == TimerAction::RemindJurors && !everyDossierRead_) {
          // Its input is every dossier of the campaign, which one
          // dossier's replay does not read: folded, not judged here.
          for (std::size_t j : runFrom(first, true)) {
            consumed_[j] = true;
            if (auto s = fold(events_[j]); !s) return s;
          }
          return okStatus();
        }
        if (ref && ref->action == TimerAction::RemindJurors) {
          std::vector<const DossierState*> dossiers;
          for (const auto& [id, d] : dossiers_) dossiers.push_back(&d);
          fire->unscoredByJuror = unscoredByJuror(campaign, dossiers);
        }
      }
    }
    Result<std::vector<DomainEvent>> decided =
        !command    ? Result<std::vector<DomainEvent>>(command.error())
        : onDossier ? decideTimer(ownerId, dossiers_[ownerId], campaign, *command, reason)
                    : decideTimer(campaign, *command, reason);
    // A firing is the timer's own (actor and command id "timer:<id>"); a
    // move or a cancel is a person's, never under a timer's name.
    if (command && decided) {
      if (const auto* fire = std::get_if<timer_command::Fire>(&*command)) {
        const std::string self = timerActor(fire->timerId);
        if (head.actor != self || head.commandId != self) {
          decided = Error::refused("a timer's firing is recorded by the timer itself (actor and "
                                   "command id " + self + "), not by " + head.actor);
        }
      } else if (head.actor.starts_with("timer:") || head.commandId.starts_with("timer:")) {
        decided = Error::refused("a timer is moved or cancelled by a person, not under a timer's "
                                 "name (" + head.actor + ")");
      }
    }
    const std::string_view name = !command ? "schedule a timer"
                                  : std::holds_alternative<timer_command::Fire>(*command)
                                      ? "fire a timer"
                                  : std::holds_alternative<timer_command::Reschedule>(*command)
                                      ? "move a timer"
                                      : "cancel a timer";
    return check(first, onDossier ? ownerId : "", name, decided, {},
                 std::string(campaignPrefix) + campaignId);
  }

  Events events_;
  bool everyDossierRead_ = true;
  std::vector<bool> consumed_;
  std::set<std::string> streams_;
  std::map<std::string, CampaignState, std::less<>> campaigns_;
  std::map<std::string, DossierState, std::less<>> dossiers_;
  ReplayReport report_;
};


Status readCampaign(const store::EventLog& log, const ViewQueries& live,
                    const std::string& campaignId, Events& out) {
  if (auto known = live.campaign(campaignId); !known) return known.error();
  if (auto s = store::readStreamUpTo(log, campaignStream(campaignId), UINT64_MAX, out); !s) return s;
  std::string after;
  do {
    auto page = live.status(campaignId, std::nullopt, after, 10'000);
    if (!page) return page.error();
    for (const DossierRow& row : page->rows) {
      if (auto s = store::readStreamUpTo(log, dossierStream(row.dossierId), UINT64_MAX, out); !s) return s;
    }
    after = page->nextCursor;
  } while (!after.empty());
  return okStatus();
}

}  // namespace

Result<ReplayReport> replayEvents(Events events) {
  return Replayer(std::move(events)).run();
}

Result<ReplayReport> replayLog(const store::EventLog& log, const ViewQueries& live,
                               const ReplayScope& scope) {
  Events events;
  if (!scope.dossierId.empty()) {
    auto row = live.dossier(scope.dossierId);
    if (!row) return std::move(row).takeError();
    if (!scope.campaignId.empty() && row->campaignId != scope.campaignId) {
      return Error::notFound("dossier \"" + scope.dossierId + "\" is not in campaign \"" +
                             scope.campaignId + "\"");
    }
    // The campaign's whole stream: its decisions about other dossiers are
    // checked too, which costs little and keeps the states exact.
    if (auto s = store::readStreamUpTo(log, campaignStream(row->campaignId), UINT64_MAX, events); !s) return s.error();
    if (auto s = store::readStreamUpTo(log, dossierStream(scope.dossierId), UINT64_MAX, events); !s) return s.error();
  } else if (!scope.campaignId.empty()) {
    if (auto s = readCampaign(log, live, scope.campaignId, events); !s) return s.error();
  } else {
    auto campaigns = live.campaigns();
    if (!campaigns) return std::move(campaigns).takeError();
    for (const CampaignSummary& c : *campaigns) {
      if (auto s = readCampaign(log, live, c.campaignId, events); !s) return s.error();
    }
  }
  return Replayer(std::move(events), scope.dossierId.empty()).run();
}

}  // namespace parcours::workflows
