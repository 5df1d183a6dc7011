#include "parcours/workflows/workflow.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <tuple>

#include "commands/dossier_fold.h"
#include "domain/json_input.h"
#include "commands/judging_decisions.h"
#include "commands/judging_inputs.h"
#include "parcours/engine/command_runner.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/form_answers.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

constexpr std::size_t readChunk = 1000;

// Folds `streamId` from `state.version + 1` to its end (or to version
// `upTo`) into `state`.
template <typename State, typename Apply>
Status foldTail(const store::EventLog& log, const std::string& streamId, State& state,
                Apply&& apply, store::StreamVersion upTo = UINT64_MAX) {
  while (true) {
    auto events = log.readStream(streamId, state.version + 1, store::Direction::Forward, readChunk);
    if (!events) return std::move(events).takeError();
    for (const store::RecordedEvent& e : *events) {
      if (e.streamVersion > upTo) return okStatus();
      if (auto s = apply(state, e); !s) {
        return Error::corruption("stream \"" + streamId + "\" at version " +
                                 std::to_string(e.streamVersion) + ": " + s.error().message);
      }
    }
    if (events->size() < readChunk) return okStatus();
  }
}

}  // namespace

Result<DossierState> foldDossier(const store::EventLog& log, const std::string& dossierId,
                                 store::StreamVersion upTo) {
  DossierState state;
  state.dossierId = dossierId;
  auto folded = foldTail(
      log, dossierStream(dossierId), state,
      [](DossierState& s, const store::RecordedEvent& e) {
        return applyDossierEvent(s, e.eventType, e.payload, e.recordedAtMicros);
      },
      upTo);
  if (!folded) return folded.error();
  return state;
}

namespace {

Result<std::vector<store::NewEvent>> toNewEvents(std::vector<DomainEvent> events) {
  std::vector<store::NewEvent> out;
  out.reserve(events.size());
  for (DomainEvent& e : events) {
    if (auto s = checkEventText(e); !s) return s.error();
    out.push_back({std::move(e.type), std::move(e.payload)});
  }
  return out;
}

// Command ids starting "timer:" are the timers' own: a firing is appended
// under "timer:<id>", and an earlier append under that id is its firing.
Status notATimersCommandId(const engine::CommandMetadata& metadata) {
  if (!metadata.commandId.starts_with("timer:")) return okStatus();
  return Error::invalidInput("command id \"" + metadata.commandId.substr(0, 200) +
                             "\": ids starting with \"timer:\" are the timers' own");
}

// A command id names one command. An earlier append under it that wrote
// to none of this command's stream was another command (the id was reused):
// its result must not pass for this one's success.
Result<store::AppendResult> sameCommandOnly(Result<store::AppendResult> result,
                                            const std::string& stream,
                                            const engine::CommandMetadata& metadata) {
  if (!result || !result->deduplicated) return result;
  for (const auto& written : result->streams) {
    if (written.streamId == stream) return result;
  }
  return Error::invalidInput(
      "command id \"" + metadata.commandId + "\" was already used by a command on " +
      (result->streams.empty() ? std::string("another stream") : result->streams.front().streamId) +
      ", not on " + stream + ": give each command its own id");
}

// A submission: the contact leaves the command before the decision, which
// sees only which of its fields were filled. The machine decides first
// without it (no guard of a submission reads the contact), so a refused
// submission creates no key; once it accepts, the contact is sealed with the
// dossier's key and the submission decided again with the sealed bytes,
// which the event carries. Without a key store the contact is dropped.
//
// The form's answers go the same way: checked in plaintext against the form
// of the rules in force (every problem at once), the clear ones left in the
// application, the personal ones sealed with the same key (their pointers
// stay, for the decision's check of required answers).
Result<DossierDecision> decideSubmission(engine::KeyStore* keys, const std::string& dossierId,
                                         const DossierState& dossier, const CampaignState& campaign,
                                         const dossier_command::Submit& given,
                                         const DecisionInput& input) {
  dossier_command::Submit submit{given.campaignId, given.application, {}, {}};
  const Contact plaintext = std::move(submit.application.contact);
  submit.application.contact = {};
  submit.sealed.fields = filledContactFields(plaintext);
  std::string personalAnswers;
  if (campaign.exists) {
    auto answers = checkAnswers(campaign.rules().form, submit.application, given.application.answers);
    if (!answers) {
      // A submission the machine refuses anyway (late, closed, a strand not
      // offered) hears that first; the form's problems come after.
      dossier_command::Submit bare = submit;
      bare.application.answers.clear();
      auto other = decideDossier(dossierId, dossier, campaign, bare, input);
      if (!other && other.error().problems.empty()) return std::move(other).takeError();
      return std::move(answers).takeError();
    }
    if (const std::size_t bytes = answers->publicJson.size() + answers->personalJson.size();
        bytes > answersBytesMax) {
      Error tooLarge = Error::invalidInput(
          "the form's answers are " + std::to_string(bytes) + " bytes, over the limit of " +
          std::to_string(answersBytesMax) + " bytes a submission records");
      tooLarge.problems = {{"/answers", tooLarge.message}};
      return tooLarge;
    }
    submit.application.answers = std::move(answers->publicJson);
    submit.sealedAnswers.pointers = std::move(answers->personalPointers);
    personalAnswers = std::move(answers->personalJson);
  }
  auto decision = decideDossier(dossierId, dossier, campaign, submit, input);
  const bool noContact =
      plaintext.name.empty() && plaintext.email.empty() && plaintext.phone.empty();
  if (!decision || keys == nullptr || (noContact && personalAnswers.empty())) return decision;
  auto key = keys->keyFor(dossierId);
  if (!key) return std::move(key).takeError();
  if (!noContact) {
    auto sealed = engine::seal(*key, encodeContact(plaintext), contactSealContext(dossierId));
    if (!sealed) return std::move(sealed).takeError();
    submit.sealed.sealed = std::move(sealed).value();
  }
  if (!personalAnswers.empty()) {
    auto sealed = engine::seal(*key, personalAnswers, answersSealContext(dossierId));
    if (!sealed) return std::move(sealed).takeError();
    submit.sealedAnswers.sealed = std::move(sealed).value();
  }
  return decideDossier(dossierId, dossier, campaign, submit, input);
}

}  // namespace

// Campaign streams are read by every dossier command, so their folded
// states are kept: a command checks the stream's version (one point read)
// and folds only the events it has not seen. States are immutable once
// shared, so readers need no lock past the lookup.
class Workflow::CampaignCache {
 public:
  explicit CampaignCache(const store::EventLog& log) : log_(log) {}

  // The campaign's current state; exists=false when it was never opened.
  Result<std::shared_ptr<const CampaignState>> get(const std::string& campaignId) {
    if (auto s = validateId("campaign id", campaignId); !s) return s.error();
    const std::string stream = campaignStream(campaignId);
    auto version = log_.streamVersion(stream);
    if (!version) return std::move(version).takeError();
    std::shared_ptr<const CampaignState> cached;
    {
      std::lock_guard lock(mutex_);
      if (auto it = states_.find(campaignId); it != states_.end()) cached = it->second;
    }
    if (cached && cached->version == *version) return cached;
    auto next = std::make_shared<CampaignState>(cached ? *cached : CampaignState{});
    next->campaignId = campaignId;
    auto folded =
        foldTail(log_, stream, *next, [](CampaignState& s, const store::RecordedEvent& e) {
          return applyCampaignEvent(s, e.eventType, e.payload, e.recordedAtMicros);
        });
    if (!folded) return folded.error();
    std::lock_guard lock(mutex_);
    auto& slot = states_[campaignId];
    if (!slot || slot->version < next->version) slot = next;
    return std::shared_ptr<const CampaignState>(std::move(next));
  }

 private:
  const store::EventLog& log_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CampaignState>, std::less<>> states_;
};

// A score is decided on the campaign's state and appended to the dossier's
// stream only, so nothing in the store orders it against the freeze of the
// campaign's scoring round (ScoringRoundFrozen, on the campaign's stream):
// a score decided before the freeze could land after the close gathered
// the sheets, and be left out. Scores hold their campaign's gate shared
// from decision to append; the freeze holds it exclusively. The store
// admits one process, so one Workflow per process orders them all.
class Workflow::ScoringGates {
 public:
  std::shared_mutex& of(const std::string& campaignId) {
    std::lock_guard lock(mutex_);
    return gates_[campaignId];  // std::map: references stay valid
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_mutex> gates_;
};

Workflow::Workflow(store::EventLog& log, const engine::Clock& clock, engine::KeyStore* keys)
    : log_(log),
      clock_(clock),
      keys_(keys),
      campaigns_(std::make_unique<CampaignCache>(log)),
      scoringGates_(std::make_unique<ScoringGates>()) {}

Workflow::~Workflow() = default;

Result<store::AppendResult> Workflow::campaign(const std::string& campaignId,
                                               const CampaignCommand& command,
                                               const CommandContext& context) {
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  if (auto s = json_input::checkStringSize("reason", context.reason); !s) return s.error();
  if (auto s = notATimersCommandId(context.metadata); !s) return s.error();
  if (const auto* open = std::get_if<campaign_command::Open>(&command);
      open && open->definition.campaignId != campaignId) {
    return Error::invalidInput("the definition opens campaign \"" + open->definition.campaignId +
                               "\", not \"" + campaignId + "\"");
  }
  // Closing a scoring round takes two appends: the freeze, then the close
  // over the scores gathered after it (see ScoringRoundFrozen). The freeze
  // runs under its own command id, so the close keeps the caller's.
  if (std::holds_alternative<campaign_command::CloseRound>(command)) {
    auto state = campaigns_->get(campaignId);
    if (!state) return std::move(state).takeError();
    if ((*state)->exists && !(*state)->roundFrozen) {
      std::unique_lock gate(scoringGates_->of(campaignId));
      CommandContext freeze = context;
      if (!freeze.metadata.commandId.empty()) freeze.metadata.commandId += ":freeze";
      auto frozen = decideCampaignCommand(campaignId, command, freeze);
      if (!frozen) return frozen;
    }
  }
  return decideCampaignCommand(campaignId, command, context);
}

Result<store::AppendResult> Workflow::decideCampaignCommand(const std::string& campaignId,
                                                            const CampaignCommand& command,
                                                            const CommandContext& context) {
  auto result = engine::runCommand(
      log_, clock_, context.metadata,
      [&](const engine::Decision& decision) -> Result<std::vector<store::StreamWrite>> {
        auto state = campaigns_->get(campaignId);
        if (!state) return std::move(state).takeError();
        if (const auto* c = std::get_if<campaign_command::DeclareConflict>(&command)) {
          auto dossier = foldDossier(log_, c->dossierId);
          if (!dossier) return std::move(dossier).takeError();
          if (dossier->status == DossierStatus::Absent || dossier->campaignId != campaignId) {
            return Error::notFound("no dossier \"" + c->dossierId + "\" in campaign \"" +
                                   campaignId + "\"");
          }
        }
        CampaignCommand given = command;
        if (auto* milestone = std::get_if<campaign_command::RecordMilestone>(&given)) {
          milestone->atMicros = engine::toMicros(decision.now);
        }
        if (auto* reveal = std::get_if<campaign_command::RevealAssignment>(&given);
            reveal != nullptr && reveal->dossierIds.empty()) {
          auto ids = submittedDossiers(log_, campaignId);
          if (!ids) return ids.error();
          reveal->dossierIds = std::move(ids).value();
          reveal->everySubmitted = true;
        }
        if (auto* selection = std::get_if<campaign_command::RecordSelection>(&given);
            selection != nullptr && (*state)->assignments.empty()) {
          auto ids = submittedDossiers(log_, campaignId);
          if (!ids) return ids.error();
          selection->dossierIds = std::move(ids).value();
        }
        Result<CampaignCommand> gathered = given;
        if ((*state)->exists) gathered = gatherJudgingInputs(dossierLookup(), **state, given);
        if (!gathered) return gathered.error();
        auto events = decideCampaign(**state, *gathered, context.reason);
        if (!events) return std::move(events).takeError();
        auto newEvents = toNewEvents(std::move(events).value());
        if (!newEvents) return newEvents.error();
        std::vector<store::StreamWrite> writes;
        writes.push_back({campaignStream(campaignId),
                          store::ExpectedVersion::exactly((*state)->version),
                          std::move(newEvents).value()});
        return writes;
      });
  return sameCommandOnly(std::move(result), campaignStream(campaignId), context.metadata);
}

Result<store::AppendResult> Workflow::timer(const std::string& timerId, const TimerCommand& command,
                                            const CommandContext& context) {
  if (auto s = notATimersCommandId(context.metadata); !s) return s.error();
  return runTimerCommand(timerId, command, context);
}

Result<store::AppendResult> Workflow::runTimerCommand(const std::string& timerId,
                                                      const TimerCommand& command,
                                                      const CommandContext& context) {
  auto ref = parseTimerId(timerId);
  if (!ref) return std::move(ref).takeError();
  // The jurors' reminder reads the scores: none may land between its
  // gathering and its append (the scoring gate, as a round's freeze).
  std::unique_lock<std::shared_mutex> scoring;
  if (ref->action == TimerAction::RemindJurors) {
    scoring = std::unique_lock(scoringGates_->of(ref->campaignId));
  }
  if (auto s = json_input::checkStringSize("reason", context.reason); !s) return s.error();
  auto result = engine::runCommand(
      log_, clock_, context.metadata,
      [&](const engine::Decision& decision) -> Result<std::vector<store::StreamWrite>> {
        TimerCommand given = command;
        std::visit(
            [&](auto& c) {
              if constexpr (requires { c.nowMicros; }) c.nowMicros = engine::toMicros(decision.now);
            },
            given);
        Result<std::vector<DomainEvent>> events = std::vector<DomainEvent>{};
        std::uint64_t version = 0;
        if (!ref->dossierId.empty()) {
          auto dossier = foldDossier(log_, ref->dossierId);
          if (!dossier) return std::move(dossier).takeError();
          if (dossier->status == DossierStatus::Absent) {
            return Error::notFound("no timer \"" + timerId + "\": dossier \"" + ref->dossierId +
                                   "\" was never submitted");
          }
          auto campaign = campaigns_->get(dossier->campaignId);
          if (!campaign) return std::move(campaign).takeError();
          events = decideTimer(ref->dossierId, *dossier, **campaign, given, context.reason);
          version = dossier->version;
        } else {
          auto state = campaigns_->get(ref->campaignId);
          if (!state) return std::move(state).takeError();
          if (!(*state)->exists) {
            return Error::notFound("no timer \"" + timerId + "\": campaign \"" + ref->campaignId +
                                   "\" was never opened");
          }
          if (auto* fire = std::get_if<timer_command::Fire>(&given);
              fire != nullptr && ref->action == TimerAction::RemindJurors) {
            auto ids = submittedDossiers(log_, ref->campaignId);
            if (!ids) return ids.error();
            std::vector<DossierState> folded;
            for (const std::string& id : *ids) {
              auto d = foldDossier(log_, id);
              if (!d) return std::move(d).takeError();
              folded.push_back(std::move(d).value());
            }
            std::vector<const DossierState*> dossiers;
            for (const DossierState& d : folded) dossiers.push_back(&d);
            fire->unscoredByJuror = unscoredByJuror(**state, dossiers);
          }
          events = decideTimer(**state, given, context.reason);
          version = (*state)->version;
        }
        if (!events) return std::move(events).takeError();
        auto newEvents = toNewEvents(std::move(events).value());
        if (!newEvents) return newEvents.error();
        std::vector<store::StreamWrite> writes;
        writes.push_back({ref->ownerStream, store::ExpectedVersion::exactly(version),
                          std::move(newEvents).value()});
        return writes;
      });
  return sameCommandOnly(std::move(result), ref->ownerStream, context.metadata);
}

Result<std::vector<TimerRecord>> Workflow::pendingDossierTimers(
    const std::string& dossierId, const std::string& campaignId) const {
  auto campaign = campaigns_->get(campaignId);
  if (!campaign) return std::move(campaign).takeError();
  const auto& versions = (*campaign)->rulesVersions;
  // The rules that give a dossier timers: a statutory delay, a service
  // level, a vote that reconvenes after a meeting without quorum.
  const bool everTimed = std::any_of(versions.begin(), versions.end(), [](const auto& rules) {
    return rules.statutoryDelay.count != 0 || rules.serviceLevelDays != 0 ||
           rules.judging.reconveneAfterDays != 0;
  });
  std::vector<TimerRecord> pending;
  if (!everTimed) return pending;
  auto dossier = foldDossier(log_, dossierId);
  if (!dossier) return std::move(dossier).takeError();
  for (const auto& [id, t] : dossier->timers) {
    if (t.status == TimerStatus::Pending) pending.push_back(t);
  }
  std::sort(pending.begin(), pending.end(), [](const TimerRecord& a, const TimerRecord& b) {
    return std::tie(a.dueMicros, a.timerId) < std::tie(b.dueMicros, b.timerId);
  });
  return pending;
}

Result<std::string> Workflow::campaignZone(const std::string& campaignId) const {
  auto campaign = campaigns_->get(campaignId);
  if (!campaign) return std::move(campaign).takeError();
  if (!(*campaign)->exists) return Error::notFound("no campaign \"" + campaignId + "\"");
  return (*campaign)->rules().timeZone;
}

Result<std::string> Workflow::timerZone(const std::string& timerId) const {
  auto ref = parseTimerId(timerId);
  if (!ref) return std::move(ref).takeError();
  if (ref->dossierId.empty()) return campaignZone(ref->campaignId);
  auto dossier = foldDossier(log_, ref->dossierId);
  if (!dossier) return std::move(dossier).takeError();
  if (dossier->status == DossierStatus::Absent) {
    return Error::notFound("no dossier \"" + ref->dossierId + "\"");
  }
  return campaignZone(dossier->campaignId);
}

Result<std::int64_t> Workflow::timerDue(const std::string& timerId, const std::string& text) const {
  auto instant = parseInstant(text);
  if (instant) return instant;
  auto zone = timerZone(timerId);
  if (!zone) return std::move(zone).takeError();
  return parseLocalTime(text, *zone);
}

Result<engine::FireResult> Workflow::fireTimer(const std::string& timerId) {
  CommandContext context;
  context.metadata.commandId = timerActor(timerId);
  context.metadata.actor = timerActor(timerId);
  auto fired = runTimerCommand(timerId, timer_command::Fire{timerId, 0}, context);
  if (!fired) {
    // Ended, or not due on this clock: the index was behind the stream.
    if (fired.error().code == ErrorCode::RefusedByRule) return engine::FireResult::Skipped;
    return std::move(fired).takeError();
  }
  return fired->deduplicated ? engine::FireResult::Skipped : engine::FireResult::Fired;
}

DossierLookup Workflow::dossierLookup() const {
  return [this](const std::string& dossierId) { return foldDossier(log_, dossierId); };
}

Result<judging::SelectionResult> Workflow::previewSelection(const std::string& campaignId) const {
  auto state = campaigns_->get(campaignId);
  if (!state) return std::move(state).takeError();
  if (!(*state)->exists) return Error::notFound("no campaign \"" + campaignId + "\"");
  campaign_command::RecordSelection preview;
  preview.beforeTheVote = true;
  if ((*state)->assignments.empty()) {
    auto ids = submittedDossiers(log_, campaignId);
    if (!ids) return ids.error();
    preview.dossierIds = std::move(ids).value();
  }
  auto gathered = gatherJudgingInputs(dossierLookup(), **state, preview);
  if (!gathered) return gathered.error();
  const auto& command = std::get<campaign_command::RecordSelection>(*gathered);
  if (command.candidates.empty()) {
    return Error::refused("campaign \"" + campaignId +
                          "\" has no dossier carried by the vote, or awaiting it, to select from");
  }
  return computeSelection(**state, command);
}

Result<store::AppendResult> Workflow::dossier(const std::string& dossierId,
                                              const DossierCommand& command,
                                              const CommandContext& context) {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  if (auto s = json_input::checkStringSize("reason", context.reason); !s) return s.error();
  if (auto s = notATimersCommandId(context.metadata); !s) return s.error();
  if (std::holds_alternative<dossier_command::DeemDecision>(command)) {
    return Error::refused("a decision is deemed by the dossier's statutory delay only: its timer "
                          "records it when the delay runs out (docs/timers.md)");
  }
  if (std::holds_alternative<dossier_command::Erase>(command)) return erase(dossierId, context);
  if (std::holds_alternative<dossier_command::RecordScore>(command)) {
    auto dossier = foldDossier(log_, dossierId);
    if (!dossier) return std::move(dossier).takeError();
    if (dossier->status != DossierStatus::Absent) {
      std::shared_lock gate(scoringGates_->of(dossier->campaignId));
      return decideAndAppend(dossierId, command, context);
    }
  }
  return decideAndAppend(dossierId, command, context);
}

Result<store::AppendResult> Workflow::decideAndAppend(const std::string& dossierId,
                                                      const DossierCommand& command,
                                                      const CommandContext& context) {
  const auto* submit = std::get_if<dossier_command::Submit>(&command);
  auto result = engine::runCommand(
      log_, clock_, context.metadata,
      [&](const engine::Decision& when) -> Result<std::vector<store::StreamWrite>> {
        auto dossier = foldDossier(log_, dossierId);
        if (!dossier) return std::move(dossier).takeError();
        if (dossier->status == DossierStatus::Absent && submit == nullptr) {
          return Error::notFound("no dossier \"" + dossierId + "\"");
        }
        const std::string& campaignId = submit ? submit->campaignId : dossier->campaignId;
        auto campaign = campaigns_->get(campaignId);
        if (!campaign) return std::move(campaign).takeError();
        if (!(*campaign)->exists) return Error::notFound("no campaign \"" + campaignId + "\"");

        const DecisionInput input{engine::toMicros(when.now), when.actor, context.reason};
        auto decision =
            submit ? decideSubmission(keys_, dossierId, *dossier, **campaign, *submit, input)
                   : decideDossier(dossierId, *dossier, **campaign, command, input);
        if (!decision) return std::move(decision).takeError();
        auto dossierEvents = toNewEvents(std::move(decision->dossierEvents));
        if (!dossierEvents) return dossierEvents.error();
        auto campaignEvents = toNewEvents(std::move(decision->campaignEvents));
        if (!campaignEvents) return campaignEvents.error();
        std::vector<store::StreamWrite> writes;
        writes.push_back({dossierStream(dossierId),
                          store::ExpectedVersion::exactly(dossier->version),
                          std::move(dossierEvents).value()});
        if (!campaignEvents->empty()) {
          writes.push_back({campaignStream(campaignId),
                            store::ExpectedVersion::exactly((*campaign)->version),
                            std::move(campaignEvents).value()});
        }
        return writes;
      });
  return sameCommandOnly(std::move(result), dossierStream(dossierId), context.metadata);
}

Status Workflow::checkSubmission(const std::string& dossierId,
                                 const dossier_command::Submit& submit,
                                 const std::string& actor) const {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  auto dossier = foldDossier(log_, dossierId);
  if (!dossier) return std::move(dossier).takeError();
  auto campaign = campaigns_->get(submit.campaignId);
  if (!campaign) return std::move(campaign).takeError();
  if (!(*campaign)->exists) return Error::notFound("no campaign \"" + submit.campaignId + "\"");
  const DecisionInput input{engine::toMicros(clock_.now()), actor, {}};
  // No key store: the contact is not sealed, only checked.
  auto decision = decideSubmission(nullptr, dossierId, *dossier, **campaign, submit, input);
  if (!decision) return std::move(decision).takeError();
  return okStatus();
}

Result<store::AppendResult> Workflow::erase(const std::string& dossierId,
                                            const CommandContext& context) {
  // Recording the erasure while the key lives on in another key store would
  // promise what was not done: the key of a sealed contact or of sealed
  // answers to the form must be here.
  auto state = foldDossier(log_, dossierId);
  if (!state) return std::move(state).takeError();
  const bool sealed = !state->contact.sealed.empty() || !state->answers.sealed.empty();
  if (sealed && !state->contactErased) {
    if (keys_ == nullptr) {
      return Error::invalidInput("the personal data of dossier \"" + dossierId +
                                 "\" is sealed: erasing it needs the key store holding its key");
    }
    auto key = keys_->find(dossierId);
    if (!key) return std::move(key).takeError();
    if (!key->has_value()) {
      auto erased = keys_->erased(dossierId);
      if (!erased) return std::move(erased).takeError();
      if (!*erased) {
        return Error::notFound("the key store holds no key for dossier \"" + dossierId +
                               "\", whose personal data is sealed: is it the key store of this log? "
                               "(nothing erased)");
      }
    }
  }
  auto result = decideAndAppend(dossierId, dossier_command::Erase{}, context);
  if (!result) {
    // Refused as already erased: an earlier erase may have stopped between
    // its event and the key's destruction. Finish it rather than refuse.
    if (result.error().code != ErrorCode::RefusedByRule || keys_ == nullptr) return result;
    auto now = foldDossier(log_, dossierId);  // the refusal's state, not the one read above
    if (!now) return std::move(now).takeError();
    if (!now->contactErased) return result;
    auto keyGone = keys_->erased(dossierId);
    if (!keyGone) return std::move(keyGone).takeError();
    if (*keyGone) return result;
    if (auto s = keys_->erase(dossierId); !s) return s.error();
    return store::AppendResult{};  // nothing written: the event was already there
  }
  // The event is durable: from now on nobody shows the contact. The key
  // goes next; a failure here leaves it for the next erase to destroy.
  if (keys_ != nullptr) {
    if (auto s = keys_->erase(dossierId); !s) {
      return Error{s.error().code, "DossierErased is recorded at position " +
                                       std::to_string(result->lastPosition) +
                                       ", but the dossier's key could not be destroyed (" +
                                       s.error().message + "): run the erase again to finish"};
    }
  }
  return result;
}

Result<ContactReading> Workflow::contact(const std::string& dossierId) const {
  auto state = loadDossier(dossierId);
  if (!state) return std::move(state).takeError();
  ContactReading reading;
  if (state->contactErased) {
    reading.erased = true;
    if (keys_ != nullptr) {
      auto key = keys_->find(dossierId);
      if (!key) return std::move(key).takeError();
      reading.keyStillHeld = key->has_value();
    }
    return reading;
  }
  reading.contact = state->application.contact;  // written before sealing, or none
  if (state->contact.sealed.empty() && state->answers.sealed.empty()) return reading;
  if (keys_ == nullptr) {
    return Error::invalidInput("the personal data of dossier \"" + dossierId +
                               "\" is sealed: reading it needs the key store");
  }
  auto key = keys_->find(dossierId);
  if (!key) return std::move(key).takeError();
  if (!key->has_value()) {
    auto erased = keys_->erased(dossierId);
    if (!erased) return std::move(erased).takeError();
    if (*erased) {
      // The key store says erased, the log does not: read as erased.
      reading.erased = true;
      return reading;
    }
    return Error::notFound("the key store holds no key for dossier \"" + dossierId +
                           "\", whose personal data is sealed: is it the key store of this log?");
  }
  if (!state->contact.sealed.empty()) {
    auto plaintext = engine::openSealed(**key, state->contact.sealed, contactSealContext(dossierId));
    if (!plaintext) return std::move(plaintext).takeError();
    auto decoded = decodeContact(*plaintext);
    if (!decoded) return std::move(decoded).takeError();
    reading.contact = std::move(decoded).value();
  }
  if (!state->answers.sealed.empty()) {
    auto plaintext = engine::openSealed(**key, state->answers.sealed, answersSealContext(dossierId));
    if (!plaintext) return std::move(plaintext).takeError();
    reading.personalAnswers = std::move(plaintext).value();
  }
  return reading;
}

Result<std::string> Workflow::answers(const std::string& dossierId) const {
  auto state = loadDossier(dossierId);
  if (!state) return std::move(state).takeError();
  return state->application.answers;
}

Result<CampaignState> Workflow::loadCampaign(const std::string& campaignId) const {
  auto state = campaigns_->get(campaignId);
  if (!state) return std::move(state).takeError();
  if (!(*state)->exists) return Error::notFound("no campaign \"" + campaignId + "\"");
  return **state;
}

namespace {

// The last version `appended` wrote to `stream`, if it wrote to it.
std::optional<store::StreamVersion> versionAfter(const store::AppendResult& appended,
                                                 const std::string& stream) {
  for (const auto& written : appended.streams) {
    if (written.streamId == stream) return written.lastVersion;
  }
  return std::nullopt;
}

}  // namespace

Result<DossierState> Workflow::loadDossierAfter(const std::string& dossierId,
                                                const store::AppendResult& appended) const {
  const auto version = versionAfter(appended, dossierStream(dossierId));
  if (!version) return loadDossier(dossierId);
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  return foldDossier(log_, dossierId, *version);
}

Result<CampaignState> Workflow::loadCampaignAfter(const std::string& campaignId,
                                                  const store::AppendResult& appended) const {
  const auto version = versionAfter(appended, campaignStream(campaignId));
  // A fresh command's state is the current one, which the cache has.
  if (!version || !appended.deduplicated) return loadCampaign(campaignId);
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  CampaignState state;
  state.campaignId = campaignId;
  auto folded = foldTail(
      log_, campaignStream(campaignId), state,
      [](CampaignState& s, const store::RecordedEvent& e) {
        return applyCampaignEvent(s, e.eventType, e.payload, e.recordedAtMicros);
      },
      *version);
  if (!folded) return folded.error();
  return state;
}

Result<DossierState> Workflow::loadDossier(const std::string& dossierId) const {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  auto state = foldDossier(log_, dossierId);
  if (!state) return std::move(state).takeError();
  if (state->status == DossierStatus::Absent)
    return Error::notFound("no dossier \"" + dossierId + "\"");
  return state;
}

}  // namespace parcours::workflows
