// The dossier state machine, in Boost.MSM's functor front-end.
//
// Compiled as C++17 (see workflows/CMakeLists.txt); only dossier_machine.h's
// MSM-free facade leaves this file.
//
// How a decision runs: a fresh machine starts in Restoring and is moved to
// the dossier's folded status by a Restore event (one guarded row per
// status), then it processes the command, which is itself the MSM event.
// Guards read the rules in force and, when they say no, record a refusal in
// words; actions emit the domain events. The events, folded, must land the
// dossier where the machine went: the machine and the fold are checked
// against each other on every decision.
// clang-format off
#include "machine/msm_config.h"  // first of all: the MPL/Fusion limits must precede every Boost header
// clang-format on

#include "parcours/workflows/dossier_machine.h"

#include <algorithm>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/mpl/vector/vector50.hpp>
#include <boost/preprocessor/iterate.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "parcours/store/assert.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/form_answers.h"
#include "parcours/workflows/zoned_time.h"
#include "commands/dossier_timers.h"
#include "commands/vote_decision.h"

// MPL numbers vectors up to 50 types; the table has more rows. vector51 to
// vector60, generated as MPL generates its own (Boost.MSM's documented way
// past the limit): a row added or removed changes the N of the
// transition table's mpl::vectorN.
namespace boost::mpl {
#define BOOST_PP_ITERATION_PARAMS_1 (3, (51, 60, <boost/mpl/vector/aux_/numbered.hpp>))
#include BOOST_PP_ITERATE()
}  // namespace boost::mpl

namespace parcours::workflows {
namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
namespace cmd = dossier_command;
using msm::front::none;
using msm::front::Row;

// ------------------------------------------------------------ the context

// What one decision reads and what it yields; the machine holds a pointer.
struct Context {
  const std::string& dossierId;
  const DossierState& dossier;
  const CampaignState& campaign;
  const DecisionInput& input;

  std::vector<DomainEvent> dossierEvents;
  std::vector<DomainEvent> campaignEvents;
  std::optional<Error> refusal;  // the first guard that said no
  std::optional<std::string> noTransitionFrom;
  DossierStatus reached = DossierStatus::Absent;

  const CampaignRules& rules() const { return campaign.rules(); }
  std::string rulesRef() const {
    return "rules version " + std::to_string(campaign.rulesVersion()) + " of campaign \"" +
           campaign.campaignId + "\"";
  }
  bool refuse(Error error) {
    if (!refusal) refusal = std::move(error);
    return false;
  }
  std::string when(std::int64_t micros) const { return formatInZone(micros, rules().timeZone); }
};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The jurors who count for a dossier's scoring, and what their scores make.
struct Scoring {
  std::vector<std::string> missing;  // appointed, not recused, not scored
  std::uint32_t jurorsCounted = 0;
  std::uint32_t meanMilli = 0;
  std::vector<std::pair<std::string, std::uint32_t>> criterionMeans;
};

// Whether a juror's scores cover every criterion in force, each within its
// scale: scores given before an amendment changed the criteria or a scale
// do not count, and the juror must score again.
bool coversCriteria(const std::vector<CriterionScore>& scores, const CampaignRules& rules) {
  for (const Criterion& criterion : rules.criteria) {
    const auto it = std::find_if(scores.begin(), scores.end(), [&](const CriterionScore& s) {
      return s.criterionId == criterion.id;
    });
    if (it == scores.end() || it->value < criterion.scaleMin || it->value > criterion.scaleMax) {
      return false;
    }
  }
  return true;
}

// Integer arithmetic throughout, so a replay computes the same milli-points.
Scoring computeScoring(const Context& c) {
  Scoring s;
  const CampaignRules& rules = c.rules();
  std::uint64_t weightSum = 0;
  for (const Criterion& criterion : rules.criteria) weightSum += criterion.weight;
  std::uint64_t weighted = 0;
  std::vector<std::uint64_t> perCriterion(rules.criteria.size(), 0);
  for (const JuryMember* juror : c.campaign.scorers(c.dossierId)) {
    auto it = c.dossier.scores.find(juror->id);
    if (it == c.dossier.scores.end() || !coversCriteria(it->second, rules)) {
      s.missing.push_back(juror->id);
      continue;
    }
    ++s.jurorsCounted;
    for (std::size_t i = 0; i < rules.criteria.size(); ++i) {
      for (const CriterionScore& score : it->second) {
        if (score.criterionId == rules.criteria[i].id) {
          weighted += std::uint64_t{rules.criteria[i].weight} * score.value;
          perCriterion[i] += score.value;
        }
      }
    }
  }
  const auto roundedMilli = [](std::uint64_t numerator, std::uint64_t denominator) {
    return denominator == 0
               ? 0u
               : static_cast<std::uint32_t>((numerator * 1000 + denominator / 2) / denominator);
  };
  s.meanMilli = roundedMilli(weighted, std::uint64_t{s.jurorsCounted} * weightSum);
  // Under z_score normalisation the closed round's normalised mean decides
  // (the raw means stay in the criteria's and the round's records).
  if (rules.judging.normalisation == judging::NormalisationRule::ZScore) {
    if (auto round = c.campaign.roundMeans.find(c.dossierId); round != c.campaign.roundMeans.end()) {
      s.meanMilli = static_cast<std::uint32_t>(round->second.normalisedMeanMilli);
    }
  }
  for (std::size_t i = 0; i < rules.criteria.size(); ++i) {
    s.criterionMeans.emplace_back(rules.criteria[i].id,
                                  roundedMilli(perCriterion[i], s.jurorsCounted));
  }
  return s;
}

// ------------------------------------------------------------ emitting

struct DossierEventBuilder {
  capnp::MallocMessageBuilder message;
  schema::DossierEvent::Builder event = message.initRoot<schema::DossierEvent>();

  explicit DossierEventBuilder(const Context& c) {
    event.setCampaignId(c.campaign.campaignId);
    event.setDossierId(c.dossierId);
    event.setRulesVersion(c.campaign.rulesVersion());
    event.setReason(c.input.reason);
  }
  void emitTo(Context& c) {
    c.dossierEvents.push_back({std::string(eventTypeName(event.which())), flattenMessage(message)});
  }
};

// ------------------------------------------------------------ the machine

// The MSM event that moves a fresh machine to the dossier's folded status.
struct Restore {};

struct DossierMachineDef;
using DossierMachine = msm::back::state_machine<DossierMachineDef>;

// Every state records itself on entry: after a decision, where the
// machine went is compared with where the emitted events lead.
template <DossierStatus S>
struct StatusState : msm::front::state<> {
  static constexpr DossierStatus status = S;
  template <class Event, class Fsm>
  void on_entry(const Event&, Fsm& fsm) {
    fsm.context->reached = S;
  }
};

struct Restoring : msm::front::state<> {};
using Absent = StatusState<DossierStatus::Absent>;
using Submitted = StatusState<DossierStatus::Submitted>;
using Eligible = StatusState<DossierStatus::Eligible>;
using Auditioned = StatusState<DossierStatus::Auditioned>;
using Scored = StatusState<DossierStatus::Scored>;
using Voted = StatusState<DossierStatus::Voted>;
using Labelled = StatusState<DossierStatus::Labelled>;
using Ineligible = StatusState<DossierStatus::Ineligible>;
using NotSelected = StatusState<DossierStatus::NotSelected>;
using NoShow = StatusState<DossierStatus::NoShow>;
using BelowThreshold = StatusState<DossierStatus::BelowThreshold>;
using Rejected = StatusState<DossierStatus::Rejected>;
using Withdrawn = StatusState<DossierStatus::Withdrawn>;

// A guard over the context only (most are): test(Context&, const Event&).
template <class Derived>
struct Guard {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm& fsm, Source&, Target&) const {
    return Derived::test(*fsm.context, event);
  }
};

// All of the guards, in order, stopping at the first that says no.
template <class... Guards>
struct All {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm& fsm, Source& s, Target& t) const {
    return (Guards{}(e, fsm, s, t) && ...);
  }
};

// An action over the context only: run(Context&, const Event&).
template <class Derived>
struct Action {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& event, Fsm& fsm, Source&, Target&) const {
    Derived::run(*fsm.context, event);
  }
};

// ---- guards

template <class S>
struct IsIn : Guard<IsIn<S>> {
  static bool test(Context& c, const Restore&) { return c.dossier.status == S::status; }
};

struct SubmittedInTime : Guard<SubmittedInTime> {
  static bool test(Context& c, const cmd::Submit&) {
    if (c.campaign.submissionInTime(c.input.nowMicros)) return true;
    return c.refuse(Error::refused("submission at " + c.when(c.input.nowMicros) +
                                   " is after the deadline " + c.when(c.campaign.submissionDeadlineMicros()) +
                                   " (" + c.rulesRef() + ")"));
  }
};

struct TakingSubmissions : Guard<TakingSubmissions> {
  static bool test(Context& c, const cmd::Submit&) {
    if (c.campaign.phase == Phase::Submissions) return true;
    return c.refuse(Error::refused("campaign \"" + c.campaign.campaignId + "\" is in phase " +
                                   std::string(phaseName(c.campaign.phase)) +
                                   ": it takes no more submissions"));
  }
};

struct StrandsOffered : Guard<StrandsOffered> {
  static bool test(Context& c, const cmd::Submit& submit) {
    std::vector<std::string> offered;
    for (const Strand& s : c.rules().strands) offered.push_back(s.id);
    std::set<std::string> seen;
    for (const std::string& asked : submit.application.strands) {
      if (!seen.insert(asked).second) {
        return c.refuse(Error::invalidInput("strand \"" + asked + "\" is asked twice"));
      }
      if (std::find(offered.begin(), offered.end(), asked) == offered.end()) {
        return c.refuse(Error::refused(
            "strand \"" + asked + "\" is not offered by campaign \"" + c.campaign.campaignId +
            "\" (" + (offered.empty() ? "it has no strands" : "it offers " + joined(offered)) +
            "; " + c.rulesRef() + ")"));
      }
    }
    return true;
  }
};

// Seed 000: only strand 3 is funded ("en investissement"); a request of
// money with none of the investment strands is a mistake the applicant
// corrects, not a dossier to refuse later.
struct MoneyOnlyForInvestment : Guard<MoneyOnlyForInvestment> {
  static bool test(Context& c, const cmd::Submit& submit) {
    const Application& a = submit.application;
    const auto& strands = c.rules().strands;
    const bool modesDeclared = std::any_of(strands.begin(), strands.end(), [](const Strand& s) {
      return s.mode != StrandMode::Unspecified;
    });
    if (a.requestedCents == 0 || !modesDeclared || c.rules().asksForMoney(a.strands)) return true;
    std::vector<std::string> funded;
    for (const Strand& s : strands) {
      if (s.mode == StrandMode::Investment) funded.push_back(s.id);
    }
    return c.refuse(Error::invalidInput(
        "the application asks for " + formatEuros(a.requestedCents) + " but none of its strands (" +
        (a.strands.empty() ? std::string("none asked") : joined(a.strands)) +
        ") is funded: only " + (funded.empty() ? std::string("no strand") : "strand " + joined(funded)) +
        " (investment) is; ask it, or ask for no amount (" + c.rulesRef() + ")"));
  }
};
// "Intercommunalités de la Région" (seed 000): the seat is in one of the
// départements the rules list.
struct SeatInTheRegion : Guard<SeatInTheRegion> {
  static bool test(Context& c, const cmd::ConfirmEligibility&) {
    const auto& allowed = c.rules().eligibleDepartements;
    const std::string& seat = c.dossier.application.departement;
    if (allowed.empty() || std::find(allowed.begin(), allowed.end(), seat) != allowed.end()) {
      return true;
    }
    return c.refuse(Error::refused(
        (seat.empty() ? std::string("the applicant's seat is in no département given")
                      : "the applicant's seat is in département " + seat) +
        ": campaign \"" + c.campaign.campaignId + "\" accepts applicants seated in " +
        joined(allowed) + " (" + c.rulesRef() + ")"));
  }
};

// The contact reaches the decision sealed (Submit::sealed), never in
// plaintext: a plaintext one here is the workflow service's bug, and the
// machine would otherwise write personal data the erasure cannot take back.
struct ContactSealed : Guard<ContactSealed> {
  static bool test(Context& c, const cmd::Submit& e) {
    const Contact& contact = e.application.contact;
    if (contact.name.empty() && contact.email.empty() && contact.phone.empty()) return true;
    return c.refuse(
        Error::bug("dossier \"" + c.dossierId + "\": the contact reached the decision unsealed"));
  }
};

// The form's answers (docs/forms.md) as the submission records them: the
// clear ones checked again, every required one present (the personal ones by
// their pointers), none personal in clear. The workflow service checked the
// plaintext before sealing; this check is the one a replay re-decides.
struct AnswersMatchTheForm : Guard<AnswersMatchTheForm> {
  static bool test(Context& c, const cmd::Submit& e) {
    auto checked = checkRecordedAnswers(c.rules().form, e.application, e.application.answers,
                                        e.sealedAnswers.pointers);
    if (checked) return true;
    Error error = std::move(checked).takeError();
    error.message += " (" + c.rulesRef() + ")";
    return c.refuse(std::move(error));
  }
};

struct ApplicantKindEligible : Guard<ApplicantKindEligible> {
  static bool test(Context& c, const cmd::ConfirmEligibility&) {
    const auto& kinds = c.rules().eligibleApplicantKinds;
    const std::string& kind = c.dossier.application.applicantKind;
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return true;
    return c.refuse(Error::refused("applicant kind \"" + kind + "\" is not eligible: campaign \"" +
                                   c.campaign.campaignId + "\" accepts " + joined(kinds) + " (" +
                                   c.rulesRef() + ")"));
  }
};

struct ApplicationComplete : Guard<ApplicationComplete> {
  static bool test(Context& c, const cmd::ConfirmEligibility&) {
    const std::vector<std::string> missing = missingFields(c.dossier, c.rules());
    if (missing.empty()) return true;
    return c.refuse(Error::refused("the application is incomplete: " + joined(missing) +
                                   (missing.size() == 1 ? " is" : " are") + " required by " +
                                   c.rulesRef()));
  }
};

struct RequestWithinCap : Guard<RequestWithinCap> {
  static bool test(Context& c, const cmd::ConfirmEligibility&) {
    const std::int64_t cap = c.rules().perDossierCapCents;
    const std::int64_t asked = c.dossier.application.requestedCents;
    if (cap == 0 || asked <= cap) return true;
    return c.refuse(Error::refused("the requested " + formatEuros(asked) +
                                   " is over the per-dossier cap of " + formatEuros(cap) + " (" +
                                   c.rulesRef() + ")"));
  }
};

struct HasReason : Guard<HasReason> {
  template <class Event>
  static bool test(Context& c, const Event& event) {
    if (!c.input.reason.empty()) return true;
    return c.refuse(Error::invalidInput("to " + std::string(commandName(DossierCommand(event))) +
                                        " a dossier, give the reason (--reason)"));
  }
};

struct NotErasedYet : Guard<NotErasedYet> {
  static bool test(Context& c, const cmd::Erase&) {
    if (!c.dossier.contactErased) return true;
    return c.refuse(
        Error::refused("the personal data of dossier \"" + c.dossierId + "\" was already erased"));
  }
};

struct AuditionsHeld : Guard<AuditionsHeld> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    if (c.rules().auditionsHeld) return true;
    return c.refuse(Error::refused("campaign \"" + c.campaign.campaignId +
                                   "\" holds no auditions (" + c.rulesRef() + ")"));
  }
};

struct NoAuditions : Guard<NoAuditions> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    if (!c.rules().auditionsHeld) return true;
    return c.refuse(Error::refused(
        "campaign \"" + c.campaign.campaignId + "\" holds auditions: dossier \"" + c.dossierId +
        "\" must be auditioned before it is scored (" + c.rulesRef() + ")"));
  }
};

struct AuditionIsScheduled : Guard<AuditionIsScheduled> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    if (c.dossier.auditionSlotMicros) return true;
    return c.refuse(Error::refused("no audition is scheduled for dossier \"" + c.dossierId +
                                   "\": schedule one first"));
  }
};

struct SlotAfterSubmission : Guard<SlotAfterSubmission> {
  static bool test(Context& c, const cmd::ScheduleAudition& e) {
    if (e.slotMicros > c.dossier.submittedAtMicros) return true;
    return c.refuse(Error::invalidInput("the audition slot " + c.when(e.slotMicros) +
                                        " is not after the submission at " +
                                        c.when(c.dossier.submittedAtMicros)));
  }
};

// Seed 002: "une session en visio-conférence le 23 juin", "Horaires : 14h à
// 17h", the "auditions Hauts-de-France" of a label heard in regional rounds:
// a slot belongs to a declared round, starts and ends inside its window,
// and by video conference carries its link. A dossier belongs to one round.
struct SlotInARound : Guard<SlotInARound> {
  static bool test(Context& c, const cmd::ScheduleAudition& e) {
    const AuditionRules& a = c.rules().auditions;
    if (a.rounds.empty()) {
      if (e.roundId.empty()) return checkLink(c, e);
      return c.refuse(Error::invalidInput("campaign \"" + c.campaign.campaignId +
                                          "\" declares no rounds of auditions: give no round"));
    }
    const AuditionRound* round = a.round(e.roundId);
    if (round == nullptr) {
      std::vector<std::string> ids;
      for (const AuditionRound& r : a.rounds) ids.push_back(r.id);
      return c.refuse(Error::invalidInput(
          (e.roundId.empty() ? std::string("name the round of the audition")
                             : "\"" + e.roundId + "\" is not a round") +
          ": campaign \"" + c.campaign.campaignId + "\" holds " + joined(ids)));
    }
    if (!c.dossier.auditionRoundId.empty() && c.dossier.auditionRoundId != round->id) {
      return c.refuse(Error::refused("dossier \"" + c.dossierId + "\" belongs to round \"" +
                                     c.dossier.auditionRoundId +
                                     "\": a dossier is heard in one round"));
    }
    const std::int64_t end = e.slotMicros + std::int64_t{a.slotMinutes} * 60'000'000;
    if (e.slotMicros < round->fromMicros || end > round->toMicros) {
      return c.refuse(Error::refused(
          "the slot " + c.when(e.slotMicros) +
          (a.slotMinutes > 0 ? " to " + c.when(end) + " (" + std::to_string(a.slotMinutes) +
                                   " minutes)"
                             : std::string()) +
          " is outside the window of round \"" + round->id + "\", " + c.when(round->fromMicros) +
          " to " + c.when(round->toMicros) + " (" + c.rulesRef() + ")"));
    }
    return checkLink(c, e);
  }
  static bool checkLink(Context& c, const cmd::ScheduleAudition& e) {
    const AuditionFormat format = c.rules().auditions.format;
    if (format == AuditionFormat::VideoConference &&
        e.link.rfind("https://", 0) != 0) {
      return c.refuse(Error::invalidInput(
          "the auditions are held by video conference: give the slot's link (https://...)"));
    }
    if (format == AuditionFormat::InPerson && !e.link.empty()) {
      return c.refuse(Error::invalidInput("the auditions are held in person: a slot has no link"));
    }
    if (e.link.size() > 2048 ||
        std::any_of(e.link.begin(), e.link.end(),
                    [](char ch) { return static_cast<unsigned char>(ch) <= ' '; })) {
      return c.refuse(Error::invalidInput("the slot's link must be one URL of at most 2048 "
                                          "characters, without spaces"));
    }
    return true;
  }
};

struct JurorMayScore : Guard<JurorMayScore> {
  static bool test(Context& c, const cmd::RecordScore& e) {
    const JuryMember* m = c.campaign.member(e.jurorId);
    if (m == nullptr || m->role != JuryRole::Juror) {
      return c.refuse(Error::refused("\"" + e.jurorId +
                                     "\" is not an appointed juror of campaign \"" +
                                     c.campaign.campaignId + "\""));
    }
    if (c.campaign.recused(e.jurorId, c.dossierId)) {
      return c.refuse(Error::refused("juror \"" + e.jurorId +
                                     "\" has an upheld conflict of interest with dossier \"" +
                                     c.dossierId + "\" and may not score it"));
    }
    if (c.campaign.conflictPending(e.jurorId, c.dossierId)) {
      return c.refuse(Error::refused("juror \"" + e.jurorId +
                                     "\" declared a conflict of interest with dossier \"" +
                                     c.dossierId +
                                     "\" that awaits a ruling: no score until it is ruled"));
    }
    if (c.campaign.drawn(c.dossierId)) {
      const auto& drawn = c.campaign.assignments.at(c.dossierId);
      if (std::find(drawn.begin(), drawn.end(), e.jurorId) == drawn.end()) {
        return c.refuse(Error::refused("juror \"" + e.jurorId + "\" was not drawn for dossier \"" +
                                       c.dossierId + "\""));
      }
    }
    if (c.campaign.roundFrozen) {
      return c.refuse(Error::refused("the scoring round of campaign \"" + c.campaign.campaignId +
                                     "\" is closed: scores are frozen"));
    }
    // Where the rules watch for disagreement, a rescore is the consensus
    // step's (discuss, rescore): it says why.
    if (c.rules().judging.maxSpreadMilli > 0 && c.dossier.scores.count(e.jurorId) > 0 &&
        c.input.reason.empty()) {
      return c.refuse(Error::invalidInput("juror \"" + e.jurorId + "\" already scored dossier \"" +
                                          c.dossierId +
                                          "\": a rescore needs a reason (--reason), which the "
                                          "consensus is recorded with"));
    }
    return true;
  }
};

struct ScoresMatchCriteria : Guard<ScoresMatchCriteria> {
  static bool test(Context& c, const cmd::RecordScore& e) {
    std::set<std::string> given;
    for (const CriterionScore& s : e.scores) {
      const Criterion* criterion = nullptr;
      for (const Criterion& k : c.rules().criteria) {
        if (k.id == s.criterionId) criterion = &k;
      }
      if (criterion == nullptr) {
        return c.refuse(
            Error::invalidInput("\"" + s.criterionId + "\" is not a criterion of " + c.rulesRef()));
      }
      if (!given.insert(s.criterionId).second) {
        return c.refuse(Error::invalidInput("criterion \"" + s.criterionId + "\" is scored twice"));
      }
      if (s.value < criterion->scaleMin || s.value > criterion->scaleMax) {
        return c.refuse(Error::invalidInput("score " + std::to_string(s.value) + " for \"" +
                                            s.criterionId + "\" is outside its scale " +
                                            std::to_string(criterion->scaleMin) + " to " +
                                            std::to_string(criterion->scaleMax)));
      }
    }
    std::vector<std::string> missing;
    for (const Criterion& k : c.rules().criteria) {
      if (given.count(k.id) == 0) missing.push_back(k.id);
    }
    if (missing.empty()) return true;
    return c.refuse(
        Error::invalidInput("every criterion must be scored; missing: " + joined(missing)));
  }
};

struct EveryScoreIn : Guard<EveryScoreIn> {
  static bool test(Context& c, const cmd::CloseScoring&) {
    if (c.rules().judging.normalisation == judging::NormalisationRule::ZScore &&
        c.campaign.roundMeans.count(c.dossierId) == 0) {
      return c.refuse(Error::refused(
          "scoring of dossier \"" + c.dossierId +
          "\" closes after the campaign's scoring round: under z_score normalisation its mean "
          "comes from the round (" + c.rulesRef() + ")"));
    }
    if (const auto pending = c.campaign.pendingConflictsOn(c.dossierId); !pending.empty()) {
      return c.refuse(Error::refused("the conflict of interest of \"" + pending.front() +
                                     "\" with dossier \"" + c.dossierId + "\" awaits a ruling"));
    }
    const Scoring s = computeScoring(c);
    if (s.jurorsCounted == 0 && s.missing.empty()) {
      return c.refuse(Error::refused("no juror may score dossier \"" + c.dossierId +
                                     "\": appoint a jury first (or every juror is recused)"));
    }
    if (s.missing.empty()) return true;
    return c.refuse(Error::refused("scoring cannot close: " + std::to_string(s.missing.size()) +
                                   " of " + std::to_string(s.missing.size() + s.jurorsCounted) +
                                   " jurors have not scored dossier \"" + c.dossierId + "\" (" +
                                   joined(s.missing) + ") on every criterion of " + c.rulesRef()));
  }
};

// The two outcomes of a closing: they never refuse, one of them holds.
struct MeetsThreshold : Guard<MeetsThreshold> {
  static bool test(Context& c, const cmd::CloseScoring&) {
    return computeScoring(c).meanMilli >= c.rules().thresholdMilli;
  }
};
struct UnderThreshold : Guard<UnderThreshold> {
  static bool test(Context& c, const cmd::CloseScoring& e) { return !MeetsThreshold::test(c, e); }
};

// CGCT L4132-15: a vote cast by the member holding the voter's proxy:
// where the rules allow proxies, by another voter of the dossier, who holds
// at most one.
struct ProxyHolderMayCast : Guard<ProxyHolderMayCast> {
  static bool test(Context& c, const cmd::CastVote& e) {
    if (e.proxyHolderId.empty()) return true;
    if (!c.rules().judging.proxies) {
      return c.refuse(Error::refused("campaign \"" + c.campaign.campaignId +
                                     "\" allows no proxy (vote.proxies; " + c.rulesRef() + ")"));
    }
    if (e.proxyHolderId == e.voterId) {
      return c.refuse(Error::invalidInput("\"" + e.voterId + "\" cannot hold their own proxy"));
    }
    const auto voters = c.campaign.voters(c.dossierId);
    const bool holderVotes = std::any_of(voters.begin(), voters.end(), [&](const JuryMember* m) {
      return m->id == e.proxyHolderId;
    });
    if (!holderVotes || c.campaign.conflictPending(e.proxyHolderId, c.dossierId)) {
      return c.refuse(Error::refused("\"" + e.proxyHolderId +
                                     "\" may not vote on dossier \"" + c.dossierId +
                                     "\", so may not hold a proxy for it"));
    }
    for (const auto& [giver, holder] : c.dossier.proxyVotes) {
      if (holder == e.proxyHolderId) {
        return c.refuse(Error::refused("\"" + holder + "\" already cast the vote of \"" + giver +
                                       "\" by proxy: a member holds at most one (CGCT L4132-15)"));
      }
    }
    return true;
  }
};

struct VoterMayVote : Guard<VoterMayVote> {
  static bool test(Context& c, const cmd::CastVote& e) {
    if (auto cast = c.dossier.votes.find(e.voterId); cast != c.dossier.votes.end()) {
      return c.refuse(Error::refused("\"" + e.voterId + "\" already voted " +
                                     std::string(voteChoiceName(cast->second)) + " on dossier \"" +
                                     c.dossierId + "\": a vote is cast once"));
    }
    if (c.campaign.conflictPending(e.voterId, c.dossierId)) {
      return c.refuse(Error::refused("\"" + e.voterId +
                                     "\" declared a conflict of interest with dossier \"" +
                                     c.dossierId + "\" that awaits a ruling: no vote until it is ruled"));
    }
    for (const JuryMember* voter : c.campaign.voters(c.dossierId)) {
      if (voter->id == e.voterId) return true;
    }
    if (c.campaign.recused(e.voterId, c.dossierId)) {
      return c.refuse(Error::refused("\"" + e.voterId +
                                     "\" declared a conflict of interest with dossier \"" +
                                     c.dossierId + "\" and may not vote on it"));
    }
    return c.refuse(Error::refused(
        "\"" + e.voterId + "\" is not a voter of campaign \"" + c.campaign.campaignId + "\" (the " +
        std::string(votingBodyName(c.rules().votingBody)) + " votes; " + c.rulesRef() + ")"));
  }
};

// The vote's close, counted by decideVote under the judging rules.
struct Quorate : Guard<Quorate> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    if (const auto pending = c.campaign.pendingConflictsOn(c.dossierId); !pending.empty()) {
      return c.refuse(Error::refused("the conflict of interest of \"" + pending.front() +
                                     "\" with dossier \"" + c.dossierId +
                                     "\" awaits a ruling: the vote closes once it is ruled"));
    }
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);
    if (!v) return c.refuse(std::move(v).takeError());
    if (v->quorumReached) return true;
    if (c.rules().judging.reconveneAfterDays > 0) return false;  // Inquorate adjourns it
    if (c.rules().judging.quorumRule == judging::QuorumRule::MoreThanHalfInOffice) {
      return c.refuse(Error::refused(
          "no quorum: " + std::to_string(v->presentCount) + " of the " +
          std::to_string(v->inOffice) + " members in office were present for dossier \"" +
          c.dossierId + "\", " + std::to_string(v->quorumNeeded) +
          " (more than half) are needed (" + c.rulesRef() + ")"));
    }
    const bool countsPresent =
        c.rules().judging.quorumCounts == judging::QuorumCounts::Present;
    const std::string counted =
        countsPresent ? std::to_string(v->presentCount) + " of " + std::to_string(v->eligible) +
                            " voters were present for dossier \""
                      : std::to_string(v->yes + v->no + v->abstain) + " of " +
                            std::to_string(v->eligible) + " voters voted on dossier \"";
    return c.refuse(Error::refused("no quorum: " + counted + c.dossierId + "\", the quorum is " +
                                   std::to_string(c.rules().quorumPercent) + "% (" +
                                   std::to_string(v->quorumNeeded) +
                                   (countsPresent ? " present; " : " votes; ") + c.rulesRef() +
                                   ")"));
  }
};

// CGCT L4132-13: "Si, au jour fixé par la convocation, le conseil régional
// ne se réunit pas en nombre suffisant pour délibérer, la réunion se tient de
// plein droit trois jours plus tard et les délibérations sont alors valables
// quel que soit le nombre des présents."
struct Inquorate : Guard<Inquorate> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    if (c.rules().judging.reconveneAfterDays == 0) return false;
    if (const auto pending = c.campaign.pendingConflictsOn(c.dossierId); !pending.empty()) {
      return c.refuse(Error::refused("the conflict of interest of \"" + pending.front() +
                                     "\" with dossier \"" + c.dossierId +
                                     "\" awaits a ruling: the vote closes once it is ruled"));
    }
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);
    return v && !v->quorumReached;
  }
};

// Between a meeting without quorum and the day it is held again, the vote
// waits: nobody votes, nothing closes.
struct MeetingOpen : Guard<MeetingOpen> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    if (!c.dossier.adjournedAtMicros || c.input.nowMicros >= c.dossier.reconveneFromMicros) {
      return true;
    }
    return c.refuse(Error::refused(
        "the vote on dossier \"" + c.dossierId + "\" was adjourned for lack of quorum on " +
        c.when(*c.dossier.adjournedAtMicros) + ": the meeting is held again, of right, from " +
        c.when(c.dossier.reconveneFromMicros) + " (" + c.rulesRef() + ")"));
  }
};

struct Carried : Guard<Carried> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);
    return v && v->carried;
  }
};
struct NotCarried : Guard<NotCarried> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);
    return v && !v->carried;
  }
};

// Who decides the money: the vote's close (grantedByDeliberation), or an
// award after it. Silent: the rows of the other say no.
struct GrantedByDeliberation : Guard<GrantedByDeliberation> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    return c.rules().grantedByDeliberation;
  }
};
struct GrantedByAward : Guard<GrantedByAward> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    return !c.rules().grantedByDeliberation;
  }
};

// Whether the committee's proposal (the recorded selection) funds the
// dossier; a dossier asking for no money needs no place in it.
enum class InProposal : std::uint8_t { AsksNothing, Selected, NotSelected, NotRecorded };
InProposal proposalFor(const Context& c) {
  if (c.dossier.application.requestedCents <= 0) return InProposal::AsksNothing;
  if (!c.campaign.selection) return InProposal::NotRecorded;
  const auto it = c.campaign.selection->find(c.dossierId);
  return it != c.campaign.selection->end() && it->second ? InProposal::Selected
                                                         : InProposal::NotSelected;
}

// Seed 000: "après la réunion d'un comité de sélection interne, …, après
// soumission au vote des élus régionaux": the officials vote on what the
// committee proposes.
struct OnTheProposal : Guard<OnTheProposal> {
  template <class Event>
  static bool test(Context& c, const Event&) {
    if (!c.rules().grantedByDeliberation) return true;
    switch (proposalFor(c)) {
      case InProposal::AsksNothing:
      case InProposal::Selected:
        return true;
      case InProposal::NotRecorded:
        return c.refuse(Error::refused(
            "the committee's proposal of campaign \"" + c.campaign.campaignId +
            "\" is not recorded: the elected officials vote on it once it is (campaign select)"));
      case InProposal::NotSelected:
        break;
    }
    return c.refuse(Error::refused(
        "dossier \"" + c.dossierId + "\" is not in the committee's proposal of campaign \"" +
        c.campaign.campaignId + "\": the elected officials vote on the proposal; not-select it"));
  }
};

// A dossier asking for money the committee did not propose ends there,
// with the proposal's explanation as its reason.
struct OutsideTheProposal : Guard<OutsideTheProposal> {
  static bool test(Context& c, const cmd::NotSelect&) {
    if (!c.rules().grantedByDeliberation) {
      return c.refuse(Error::refused("dossier \"" + c.dossierId +
                                     "\" is scored past the threshold: it goes to the vote (" +
                                     c.rulesRef() + ")"));
    }
    switch (proposalFor(c)) {
      case InProposal::NotSelected:
        return true;
      case InProposal::NotRecorded:
        return c.refuse(Error::refused("the committee's proposal of campaign \"" +
                                       c.campaign.campaignId +
                                       "\" is not recorded: record it first (campaign select)"));
      case InProposal::AsksNothing:
      case InProposal::Selected:
        break;
    }
    return c.refuse(Error::refused("dossier \"" + c.dossierId +
                                   "\" is in the committee's proposal: the elected officials "
                                   "decide on it"));
  }
};

// What a deliberation grants the dossier: the amount voted, or else the
// committee's proposal (its request; nothing for a dossier asking nothing).
std::int64_t deliberatedAmount(const Context& c, const cmd::CloseVote& e) {
  return e.amountCents.value_or(c.dossier.application.requestedCents);
}

// The officials decide the money, within the request, the cap and the
// envelope: a deliberation that would pass the envelope is refused at its
// close and writes nothing.
// An amount given to a close where the vote does not decide the money
// would be silently dropped: refused instead.
struct AmountOnlyWhereTheVoteDecides : Guard<AmountOnlyWhereTheVoteDecides> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    if (!e.amountCents || c.rules().grantedByDeliberation) return true;
    return c.refuse(Error::invalidInput(
        "campaign \"" + c.campaign.campaignId +
        "\" grants by an award after the vote (budget.granted_by \"award\"): the vote's close "
        "takes no amount"));
  }
};

struct DeliberatedGrantFits : Guard<DeliberatedGrantFits> {
  static bool test(Context& c, const cmd::CloseVote& e) {
    const std::int64_t amount = deliberatedAmount(c, e);
    const std::int64_t asked = c.dossier.application.requestedCents;
    if (amount < 0) {
      return c.refuse(Error::invalidInput("the amount must not be negative, got " +
                                          std::to_string(amount) + " cents"));
    }
    if (amount > asked) {
      return c.refuse(Error::refused("the deliberation grants " + formatEuros(amount) +
                                     ", more than the " + formatEuros(asked) + " dossier \"" +
                                     c.dossierId + "\" requested"));
    }
    const std::int64_t cap = c.rules().perDossierCapCents;
    if (cap > 0 && amount > cap) {
      return c.refuse(Error::refused("the deliberation grants " + formatEuros(amount) +
                                     ", over the per-dossier cap of " + formatEuros(cap) + " (" +
                                     c.rulesRef() + ")"));
    }
    const std::int64_t total = c.campaign.grantedCents + amount;
    if (total <= c.campaign.envelopeCents) return true;
    return c.refuse(Error::refused(
        "the deliberation on dossier \"" + c.dossierId + "\" would bring the total granted to " +
        formatEuros(total) + " (" + formatEuros(c.campaign.grantedCents) + " already granted + " +
        formatEuros(amount) + "), over the envelope of " + formatEuros(c.campaign.envelopeCents) +
        ": nothing is written"));
  }
};

struct AwardAllowed : Guard<AwardAllowed> {
  static bool test(Context& c, const cmd::Award& e) {
    const CampaignRules& rules = c.rules();
    if (rules.grantedByDeliberation) {
      return c.refuse(Error::refused(
          "campaign \"" + c.campaign.campaignId +
          "\" records each grant from its deliberation's result, at the vote's close: it is "
          "never typed afterwards (" + c.rulesRef() + ")"));
    }
    if (e.amountCents < 0) {
      return c.refuse(Error::invalidInput("the amount must not be negative, got " +
                                          std::to_string(e.amountCents) + " cents"));
    }
    // Seed 002: "Les lauréats sont invités au Forum national annuel des
    // Interconnectés en février 2021 afin de présenter leur projet et
    // recevoir leur Label": a label is awarded at its ceremony, not before.
    if (!rules.labelName.empty() && !rules.ceremonyName.empty() && !c.campaign.ceremonyAtMicros) {
      return c.refuse(Error::refused("the label of campaign \"" + c.campaign.campaignId +
                                     "\" is awarded at its ceremony (" + rules.ceremonyName +
                                     "), not before: record the ceremony first"));
    }
    if (e.amountCents == 0) {
      if (!rules.labelName.empty()) return true;
      return c.refuse(Error::refused("campaign \"" + c.campaign.campaignId +
                                     "\" awards no label: give the amount to grant (" +
                                     c.rulesRef() + ")"));
    }
    if (c.campaign.envelopeCents == 0) {
      return c.refuse(Error::refused("campaign \"" + c.campaign.campaignId +
                                     "\" grants no funding: its envelope is €0.00"));
    }
    if (c.campaign.selection) {
      const auto selected = c.campaign.selection->find(c.dossierId);
      if (selected == c.campaign.selection->end() || !selected->second) {
        return c.refuse(Error::refused(
            "dossier \"" + c.dossierId + "\" is not selected in the recorded selection of campaign \"" +
            c.campaign.campaignId + "\": only selected dossiers are funded"));
      }
    }
    if (rules.perDossierCapCents > 0 && e.amountCents > rules.perDossierCapCents) {
      return c.refuse(Error::refused(
          "the grant of " + formatEuros(e.amountCents) + " is over the per-dossier cap of " +
          formatEuros(rules.perDossierCapCents) + " (" + c.rulesRef() + ")"));
    }
    if (e.amountCents > c.dossier.application.requestedCents) {
      return c.refuse(Error::refused("the grant of " + formatEuros(e.amountCents) +
                                     " is more than the " +
                                     formatEuros(c.dossier.application.requestedCents) +
                                     " dossier \"" + c.dossierId + "\" requested"));
    }
    const std::int64_t total = c.campaign.grantedCents + e.amountCents;
    if (total <= c.campaign.envelopeCents) return true;
    return c.refuse(Error::refused("granting " + formatEuros(e.amountCents) + " to dossier \"" +
                                   c.dossierId + "\" would bring the total granted to " +
                                   formatEuros(total) + ", past the envelope of " +
                                   formatEuros(c.campaign.envelopeCents) + " (" +
                                   formatEuros(c.campaign.grantedCents) + " already granted)"));
  }
};

// ---- actions

void writeProxies(const std::vector<std::pair<std::string, std::string>>& proxies,
                  capnp::List<schema::Proxy>::Builder out) {
  for (unsigned i = 0; i < out.size(); ++i) {
    out[i].setGiverId(proxies[i].first);
    out[i].setHolderId(proxies[i].second);
  }
}

// FundingGranted on the dossier and, for money, FundingCommitted (the new
// total) on the campaign, in the same append: the envelope check and the
// grant are atomic. `evenNothing`: a deliberation records what it granted,
// €0.00 included (support in kind); an award of the label alone does not.
void emitGrant(Context& c, std::int64_t amountCents, bool evenNothing) {
  if (amountCents <= 0 && !evenNothing) return;
  DossierEventBuilder b(c);
  b.event.initFundingGranted().setAmountCents(amountCents);
  b.emitTo(c);
  if (amountCents <= 0) return;
  capnp::MallocMessageBuilder message;
  auto committed = message.initRoot<schema::CampaignEvent>();
  committed.setCampaignId(c.campaign.campaignId);
  committed.setRulesVersion(c.campaign.rulesVersion());
  committed.setReason(c.input.reason);
  auto funding = committed.initFundingCommitted();
  funding.setDossierId(c.dossierId);
  funding.setAmountCents(amountCents);
  funding.setGrantedTotalCents(c.campaign.grantedCents + amountCents);
  c.campaignEvents.push_back(
      {std::string(eventTypeName(committed.which())), flattenMessage(message)});
}

struct EmitSubmitted : Action<EmitSubmitted> {
  static void run(Context& c, const cmd::Submit& e) {
    DossierEventBuilder b(c);
    auto submitted = b.event.initDossierSubmitted();
    writeApplication(e.application, submitted.initApplication());  // its contact is empty
    if (!e.sealed.sealed.empty()) {
      submitted.setSealedContact(kj::ArrayPtr<const kj::byte>(
          reinterpret_cast<const kj::byte*>(e.sealed.sealed.data()), e.sealed.sealed.size()));
    }
    auto fields = submitted.initContactFields(static_cast<unsigned>(e.sealed.fields.size()));
    for (unsigned i = 0; i < fields.size(); ++i) fields.set(i, e.sealed.fields[i]);
    // Unset without personal answers, so submissions without a form encode
    // as before.
    if (!e.sealedAnswers.sealed.empty()) {
      submitted.setSealedAnswers(kj::ArrayPtr<const kj::byte>(
          reinterpret_cast<const kj::byte*>(e.sealedAnswers.sealed.data()),
          e.sealedAnswers.sealed.size()));
    }
    if (!e.sealedAnswers.pointers.empty()) {
      auto pointers =
          submitted.initAnswerFields(static_cast<unsigned>(e.sealedAnswers.pointers.size()));
      for (unsigned i = 0; i < pointers.size(); ++i) pointers.set(i, e.sealedAnswers.pointers[i]);
    }
    b.emitTo(c);
  }
};

// Emits a DossierEvent whose member carries no data (Void).
template <void (schema::DossierEvent::Builder::*Set)(::capnp::Void)>
struct EmitMark : Action<EmitMark<Set>> {
  template <class Event>
  static void run(Context& c, const Event&) {
    DossierEventBuilder b(c);
    (b.event.*Set)(::capnp::VOID);
    b.emitTo(c);
  }
};
using EmitEligible = EmitMark<&schema::DossierEvent::Builder::setEligibilityConfirmed>;
using EmitIneligible = EmitMark<&schema::DossierEvent::Builder::setDossierDeclaredIneligible>;
using EmitNotSelected = EmitMark<&schema::DossierEvent::Builder::setDossierNotSelected>;
using EmitAuditionHeld = EmitMark<&schema::DossierEvent::Builder::setAuditionHeld>;
using EmitAuditionMissed = EmitMark<&schema::DossierEvent::Builder::setAuditionMissed>;
using EmitWithdrawn = EmitMark<&schema::DossierEvent::Builder::setDossierWithdrawn>;
using EmitErased = EmitMark<&schema::DossierEvent::Builder::setDossierErased>;

// The statutory delay ran out (docs/timers.md): what the rules said silence
// means, and why, recorded by the delay's timer.
struct DeemsRefusal : Guard<DeemsRefusal> {
  static bool test(Context&, const cmd::DeemDecision& e) {
    return e.outcome == DeemedOutcome::Refused;
  }
};
struct DeemsAcceptance : Guard<DeemsAcceptance> {
  static bool test(Context&, const cmd::DeemDecision& e) {
    return e.outcome == DeemedOutcome::Accepted;
  }
};
struct EmitDecisionDeemed : Action<EmitDecisionDeemed> {
  static void run(Context& c, const cmd::DeemDecision& e) {
    DossierEventBuilder b(c);
    auto deemed = b.event.initDecisionDeemed();
    deemed.setOutcome(e.outcome == DeemedOutcome::Accepted ? schema::DeemedOutcome::ACCEPTED
                                                           : schema::DeemedOutcome::REFUSED);
    deemed.setLegalBasis(e.legalBasis);
    deemed.setDelay(e.delay);
    deemed.setCompleteMicros(e.completeMicros);
    b.emitTo(c);
  }
};

struct EmitAuditionScheduled : Action<EmitAuditionScheduled> {
  static void run(Context& c, const cmd::ScheduleAudition& e) {
    DossierEventBuilder b(c);
    auto scheduled = b.event.initAuditionScheduled();
    scheduled.setSlotMicros(e.slotMicros);
    // The round being the only one when none is named, it is recorded.
    if (const AuditionRound* round = c.rules().auditions.round(e.roundId)) {
      scheduled.setRoundId(round->id);
    }
    if (!e.link.empty()) scheduled.setLink(e.link);
    b.emitTo(c);
  }
};

struct EmitScore : Action<EmitScore> {
  static void run(Context& c, const cmd::RecordScore& e) {
    DossierEventBuilder b(c);
    auto recorded = b.event.initScoreRecorded();
    recorded.setJurorId(e.jurorId);
    // In the rules' criterion order, whatever order the juror gave them in.
    auto scores = recorded.initScores(static_cast<unsigned>(e.scores.size()));
    unsigned i = 0;
    for (const Criterion& k : c.rules().criteria) {
      for (const CriterionScore& s : e.scores) {
        if (s.criterionId != k.id) continue;
        scores[i].setCriterionId(s.criterionId);
        scores[i].setValue(s.value);
        ++i;
      }
    }
    b.emitTo(c);
  }
};

struct EmitScoringClosed : Action<EmitScoringClosed> {
  static void run(Context& c, const cmd::CloseScoring&) {
    const Scoring s = computeScoring(c);
    DossierEventBuilder b(c);
    auto closed = b.event.initScoringClosed();
    closed.setMeanMilli(s.meanMilli);
    closed.setThresholdMilli(c.rules().thresholdMilli);
    closed.setPassed(s.meanMilli >= c.rules().thresholdMilli);
    closed.setJurorsCounted(s.jurorsCounted);
    auto criteria = closed.initCriteria(static_cast<unsigned>(s.criterionMeans.size()));
    for (unsigned i = 0; i < criteria.size(); ++i) {
      criteria[i].setCriterionId(s.criterionMeans[i].first);
      criteria[i].setMeanMilli(s.criterionMeans[i].second);
    }
    b.emitTo(c);
  }
};

struct EmitVote : Action<EmitVote> {
  static void run(Context& c, const cmd::CastVote& e) {
    DossierEventBuilder b(c);
    auto vote = b.event.initVoteCast();
    vote.setVoterId(e.voterId);
    vote.setChoice(writeChoice(e.choice));
    if (!e.proxyHolderId.empty()) vote.setProxyHolderId(e.proxyHolderId);
    b.emitTo(c);
  }
};

struct EmitVoteClosed : Action<EmitVoteClosed> {
  static void run(Context& c, const cmd::CloseVote& e) {
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);  // Quorate held: it decides
    if (!v) {
      c.refuse(std::move(v).takeError());
      return;
    }
    DossierEventBuilder b(c);
    auto closed = b.event.initVoteClosed();
    closed.setYes(v->yes);
    closed.setNo(v->no);
    closed.setAbstain(v->abstain);
    closed.setEligibleVoters(v->eligible);
    closed.setCarried(v->carried);
    if (v->extended) {
      auto present = closed.initPresent(static_cast<unsigned>(v->present.size()));
      for (unsigned i = 0; i < present.size(); ++i) present.set(i, v->present[i]);
      auto recused = closed.initRecused(static_cast<unsigned>(v->recused.size()));
      for (unsigned i = 0; i < recused.size(); ++i) recused.set(i, v->recused[i]);
      closed.setQuorumNeeded(v->quorumNeeded);
      closed.setTie(v->tie);
      closed.setTieBreakUsed(static_cast<schema::TieBreak>(v->tieBreakUsed));
      closed.setTieBreakDetail(v->tieBreakDetail);
      if (c.rules().judging.tieBreak == judging::TieBreak::Lot) closed.setLotSeed(e.lotSeed);
      if (!v->proxies.empty()) {
        writeProxies(v->proxies, closed.initProxies(static_cast<unsigned>(v->proxies.size())));
      }
      if (c.rules().judging.quorumRule == judging::QuorumRule::MoreThanHalfInOffice) {
        closed.setInOffice(v->inOffice);
      }
      closed.setQuorumWaived(v->quorumWaived);
    }
    b.emitTo(c);
  }
};

// A meeting without quorum: the votes at it are void, the meeting is held
// again of right `reconveneAfterDays` later (CGCT L4132-13).
struct EmitVoteAdjourned : Action<EmitVoteAdjourned> {
  static void run(Context& c, const cmd::CloseVote& e) {
    auto v = decideVote(c.campaign, c.dossier, e, c.input.nowMicros);  // Inquorate held
    if (!v) {
      c.refuse(std::move(v).takeError());
      return;
    }
    constexpr std::int64_t microsPerDay = 86'400'000'000;
    DossierEventBuilder b(c);
    auto adjourned = b.event.initVoteAdjourned();
    auto present = adjourned.initPresent(static_cast<unsigned>(v->present.size()));
    for (unsigned i = 0; i < present.size(); ++i) present.set(i, v->present[i]);
    if (!v->proxies.empty()) {
      writeProxies(v->proxies, adjourned.initProxies(static_cast<unsigned>(v->proxies.size())));
    }
    adjourned.setQuorumNeeded(v->quorumNeeded);
    adjourned.setInOffice(v->inOffice);
    if (c.rules().judging.tieBreak == judging::TieBreak::Lot) adjourned.setLotSeed(e.lotSeed);
    adjourned.setReconveneFromMicros(c.input.nowMicros +
                                     c.rules().judging.reconveneAfterDays * microsPerDay);
    b.emitTo(c);
  }
};

// A carried deliberation where the vote decides the money: the vote, then
// the label (when the dossier asked the label's strand), then the grant
// (€0.00 for support in kind), its commitment on the campaign stream in the
// same append.
struct EmitDeliberation : Action<EmitDeliberation> {
  static void run(Context& c, const cmd::CloseVote& e) {
    EmitVoteClosed::run(c, e);
    if (c.refusal) return;
    const CampaignRules& rules = c.rules();
    const auto& asked = c.dossier.application.strands;
    const bool asksLabel =
        std::any_of(rules.strands.begin(), rules.strands.end(), [&](const Strand& s) {
          return s.mode == StrandMode::Label &&
                 std::find(asked.begin(), asked.end(), s.id) != asked.end();
        });
    if (!rules.labelName.empty() && asksLabel) {
      DossierEventBuilder b(c);
      b.event.initLabelAwarded().setLabelName(rules.labelName);
      b.emitTo(c);
    }
    emitGrant(c, deliberatedAmount(c, e), true);
  }
};

// The label (when the campaign awards one) and the grant (when an amount is
// given): the grant's commitment goes to the campaign stream in the same
// append, so the envelope check and the grant are atomic.
struct EmitAward : Action<EmitAward> {
  static void run(Context& c, const cmd::Award& e) {
    if (!c.rules().labelName.empty()) {
      DossierEventBuilder b(c);
      b.event.initLabelAwarded().setLabelName(c.rules().labelName);
      b.emitTo(c);
    }
    emitGrant(c, e.amountCents, false);
  }
};

// clang-format off
struct DossierMachineDef : msm::front::state_machine_def<DossierMachineDef> {
  using initial_state = Restoring;
  Context* context = nullptr;

  struct transition_table : mpl::vector58<
    //   Source          Event                    Target          Action              Guard
    // -- restoring the folded status
    Row< Restoring,      Restore,                 Absent,         none,               IsIn<Absent> >,
    Row< Restoring,      Restore,                 Submitted,      none,               IsIn<Submitted> >,
    Row< Restoring,      Restore,                 Eligible,       none,               IsIn<Eligible> >,
    Row< Restoring,      Restore,                 Auditioned,     none,               IsIn<Auditioned> >,
    Row< Restoring,      Restore,                 Scored,         none,               IsIn<Scored> >,
    Row< Restoring,      Restore,                 Voted,          none,               IsIn<Voted> >,
    Row< Restoring,      Restore,                 Labelled,       none,               IsIn<Labelled> >,
    Row< Restoring,      Restore,                 Ineligible,     none,               IsIn<Ineligible> >,
    Row< Restoring,      Restore,                 NotSelected,    none,               IsIn<NotSelected> >,
    Row< Restoring,      Restore,                 NoShow,         none,               IsIn<NoShow> >,
    Row< Restoring,      Restore,                 BelowThreshold, none,               IsIn<BelowThreshold> >,
    Row< Restoring,      Restore,                 Rejected,       none,               IsIn<Rejected> >,
    Row< Restoring,      Restore,                 Withdrawn,      none,               IsIn<Withdrawn> >,
    // -- submission and instruction
    Row< Absent,         cmd::Submit,             Submitted,      EmitSubmitted,      All<ContactSealed, TakingSubmissions, SubmittedInTime, StrandsOffered, MoneyOnlyForInvestment, AnswersMatchTheForm> >,
    Row< Submitted,      cmd::ConfirmEligibility, Eligible,       EmitEligible,       All<ApplicantKindEligible, ApplicationComplete, SeatInTheRegion, RequestWithinCap> >,
    Row< Submitted,      cmd::DeclareIneligible,  Ineligible,     EmitIneligible,     HasReason >,
    Row< Eligible,       cmd::NotSelect,          NotSelected,    EmitNotSelected,    HasReason >,
    // -- auditions (campaigns that hold them)
    Row< Eligible,       cmd::ScheduleAudition,   Eligible,       EmitAuditionScheduled, All<AuditionsHeld, SlotAfterSubmission, SlotInARound> >,
    Row< Eligible,       cmd::RecordAuditionHeld, Auditioned,     EmitAuditionHeld,   All<AuditionsHeld, AuditionIsScheduled> >,
    Row< Eligible,       cmd::RecordNoShow,       NoShow,         EmitAuditionMissed, All<AuditionsHeld, AuditionIsScheduled> >,
    // -- scoring: after the audition, or straight from eligible without auditions
    Row< Eligible,       cmd::RecordScore,        Eligible,       EmitScore,          All<NoAuditions, JurorMayScore, ScoresMatchCriteria> >,
    Row< Auditioned,     cmd::RecordScore,        Auditioned,     EmitScore,          All<JurorMayScore, ScoresMatchCriteria> >,
    Row< Eligible,       cmd::CloseScoring,       Scored,         EmitScoringClosed,  All<NoAuditions, EveryScoreIn, MeetsThreshold> >,
    Row< Eligible,       cmd::CloseScoring,       BelowThreshold, EmitScoringClosed,  All<NoAuditions, EveryScoreIn, UnderThreshold> >,
    Row< Auditioned,     cmd::CloseScoring,       Scored,         EmitScoringClosed,  All<EveryScoreIn, MeetsThreshold> >,
    Row< Auditioned,     cmd::CloseScoring,       BelowThreshold, EmitScoringClosed,  All<EveryScoreIn, UnderThreshold> >,
    // -- the vote and the award
    Row< Scored,         cmd::CastVote,           Scored,         EmitVote,           All<MeetingOpen, OnTheProposal, VoterMayVote, ProxyHolderMayCast> >,
    Row< Scored,         cmd::CloseVote,          Voted,          EmitVoteClosed,     All<MeetingOpen, AmountOnlyWhereTheVoteDecides, OnTheProposal, Quorate, Carried, GrantedByAward> >,
    Row< Scored,         cmd::CloseVote,          Labelled,       EmitDeliberation,   All<MeetingOpen, AmountOnlyWhereTheVoteDecides, OnTheProposal, Quorate, Carried, GrantedByDeliberation, DeliberatedGrantFits> >,
    Row< Scored,         cmd::CloseVote,          Rejected,       EmitVoteClosed,     All<MeetingOpen, AmountOnlyWhereTheVoteDecides, OnTheProposal, Quorate, NotCarried> >,
    Row< Scored,         cmd::CloseVote,          Scored,         EmitVoteAdjourned,  All<MeetingOpen, AmountOnlyWhereTheVoteDecides, OnTheProposal, Inquorate> >,
    Row< Scored,         cmd::NotSelect,          NotSelected,    EmitNotSelected,    All<HasReason, OutsideTheProposal> >,
    Row< Voted,          cmd::Award,              Labelled,       EmitAward,          AwardAllowed >,
    // -- withdrawal, from any non-terminal state
    Row< Submitted,      cmd::Withdraw,           Withdrawn,      EmitWithdrawn,      none >,
    Row< Eligible,       cmd::Withdraw,           Withdrawn,      EmitWithdrawn,      none >,
    Row< Auditioned,     cmd::Withdraw,           Withdrawn,      EmitWithdrawn,      none >,
    Row< Scored,         cmd::Withdraw,           Withdrawn,      EmitWithdrawn,      none >,
    Row< Voted,          cmd::Withdraw,           Withdrawn,      EmitWithdrawn,      none >,
    // -- a statutory delay without a decision (its timer only)
    Row< Submitted,      cmd::DeemDecision,       Rejected,       EmitDecisionDeemed, DeemsRefusal >,
    Row< Eligible,       cmd::DeemDecision,       Rejected,       EmitDecisionDeemed, DeemsRefusal >,
    Row< Auditioned,     cmd::DeemDecision,       Rejected,       EmitDecisionDeemed, DeemsRefusal >,
    Row< Scored,         cmd::DeemDecision,       Rejected,       EmitDecisionDeemed, DeemsRefusal >,
    Row< Submitted,      cmd::DeemDecision,       Voted,          EmitDecisionDeemed, DeemsAcceptance >,
    Row< Eligible,       cmd::DeemDecision,       Voted,          EmitDecisionDeemed, DeemsAcceptance >,
    Row< Auditioned,     cmd::DeemDecision,       Voted,          EmitDecisionDeemed, DeemsAcceptance >,
    Row< Scored,         cmd::DeemDecision,       Voted,          EmitDecisionDeemed, DeemsAcceptance >,
    // -- erasure of the personal data (GDPR), from every state, which it keeps
    Row< Submitted,      cmd::Erase,              Submitted,      EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Eligible,       cmd::Erase,              Eligible,       EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Auditioned,     cmd::Erase,              Auditioned,     EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Scored,         cmd::Erase,              Scored,         EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Voted,          cmd::Erase,              Voted,          EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Labelled,       cmd::Erase,              Labelled,       EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Ineligible,     cmd::Erase,              Ineligible,     EmitErased,         All<HasReason, NotErasedYet> >,
    Row< NotSelected,    cmd::Erase,              NotSelected,    EmitErased,         All<HasReason, NotErasedYet> >,
    Row< NoShow,         cmd::Erase,              NoShow,         EmitErased,         All<HasReason, NotErasedYet> >,
    Row< BelowThreshold, cmd::Erase,              BelowThreshold, EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Rejected,       cmd::Erase,              Rejected,       EmitErased,         All<HasReason, NotErasedYet> >,
    Row< Withdrawn,      cmd::Erase,              Withdrawn,      EmitErased,         All<HasReason, NotErasedYet> >
  > {};
  // clang-format on

  // A command with no row from the current state (or whose every guard said
  // no): remembered, and turned into a refusal by decideDossier.
  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {
    context->noTransitionFrom = std::string(statusName(context->reached));
  }

  // An exception in a guard or an action is a bug in parcours, not a
  // refusal by the rules: an internal error (exit 1, HTTP 500), never ignored.
  template <class Fsm, class Event>
  void exception_caught(const Event&, Fsm&, std::exception& e) {
    context->refusal = Error::bug(std::string("a guard or action of the dossier machine failed: ") +
                                  e.what() + " (a bug in parcours: please report it)");
  }
};

// Where the emitted events lead when folded onto the dossier.
Result<DossierStatus> foldedStatus(const DossierState& dossier,
                                   const std::vector<DomainEvent>& events, std::int64_t now) {
  DossierState next = dossier;
  for (const DomainEvent& e : events) {
    if (auto s = applyDossierEvent(next, e.type, e.payload, now); !s) return s.error();
  }
  return next.status;
}

}  // namespace

Result<DossierDecision> decideDossier(const std::string& dossierId, const DossierState& dossier,
                                      const CampaignState& campaign, const DossierCommand& command,
                                      const DecisionInput& input) {
  if (!campaign.exists) return Error::notFound("no campaign \"" + campaign.campaignId + "\"");
  Context context{dossierId, dossier, campaign, input, {}, {}, {}, {}, DossierStatus::Absent};
  DossierMachine machine;
  machine.context = &context;
  machine.start();
  machine.process_event(Restore{});
  if (context.noTransitionFrom || context.refusal) {
    return Error::bug("dossier \"" + dossierId + "\" could not be restored to status " +
                      std::string(statusName(dossier.status)));
  }
  std::visit([&](const auto& c) { machine.process_event(c); }, command);

  if (context.refusal) return *context.refusal;
  if (context.noTransitionFrom) {
    if (dossier.status == DossierStatus::Absent) {
      return Error::notFound("no dossier \"" + dossierId + "\" in campaign \"" +
                             campaign.campaignId + "\": submit it first");
    }
    if (std::holds_alternative<cmd::Submit>(command)) {
      return Error::conflict("dossier \"" + dossierId + "\" already exists (" +
                             std::string(statusName(dossier.status)) + ")");
    }
    return Error::refused("cannot " + std::string(commandName(command)) + " dossier \"" +
                          dossierId + "\": it is " + *context.noTransitionFrom +
                          (isTerminal(dossier.status) ? ", a final state" : ""));
  }
  if (context.dossierEvents.empty()) {
    return Error::bug("the machine took " + std::string(commandName(command)) + " on dossier \"" +
                      dossierId + "\" without emitting an event");
  }
  DossierDecision decision{std::move(context.dossierEvents), std::move(context.campaignEvents),
                           context.reached};
  // The timers the decision starts or ends, in the same append.
  addDossierTimerEvents(dossierId, dossier, campaign, command, input, decision);
  auto folded = foldedStatus(dossier, decision.dossierEvents, input.nowMicros);
  if (!folded) return folded.error();
  // The machine and the fold are two readings of one workflow: if they
  // disagree, the events about to be written would replay to another state.
  PARCOURS_ASSERT(*folded == decision.next,
                  "the machine moved dossier \"" + dossierId + "\" to " +
                      std::string(statusName(decision.next)) + " but its events lead to " +
                      std::string(statusName(*folded)));
  return decision;
}

}  // namespace parcours::workflows
