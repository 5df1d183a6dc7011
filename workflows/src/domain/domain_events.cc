// Event type names come from the schema itself (the union members, first
// letter capitalised), so a new event needs no second list to keep in step.
#include "parcours/workflows/domain_events.h"

#include "domain/form_codec.h"

#include <capnp/dynamic.h>
#include <capnp/schema.h>
#include <kj/encoding.h>

#include <cctype>
#include <string>
#include <vector>

namespace parcours::workflows {
namespace {

// Union member names, indexed by discriminant.
template <typename Root>
std::vector<std::string> unionTypeNames() {
  std::vector<std::string> names;
  for (capnp::StructSchema::Field field : capnp::Schema::from<Root>().getUnionFields()) {
    const auto proto = field.getProto();
    std::string name = toString(proto.getName());
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    const std::size_t index = proto.getDiscriminantValue();
    if (names.size() <= index) names.resize(index + 1);
    names[index] = std::move(name);
  }
  return names;
}

const std::vector<std::string>& dossierTypes() {
  static const std::vector<std::string> names = unionTypeNames<schema::DossierEvent>();
  return names;
}
const std::vector<std::string>& campaignTypes() {
  static const std::vector<std::string> names = unionTypeNames<schema::CampaignEvent>();
  return names;
}

bool contains(const std::vector<std::string>& names, std::string_view type) {
  for (const std::string& n : names) {
    if (n == type) return true;
  }
  return false;
}

// A discriminant this build does not know (a newer writer) has no name.
std::string_view nameAt(const std::vector<std::string>& names, std::size_t index) {
  return index < names.size() ? std::string_view(names[index]) : std::string_view("(unknown)");
}

}  // namespace

std::string_view eventTypeName(schema::DossierEvent::Which which) {
  return nameAt(dossierTypes(), static_cast<std::size_t>(which));
}
std::string_view eventTypeName(schema::CampaignEvent::Which which) {
  return nameAt(campaignTypes(), static_cast<std::size_t>(which));
}
bool isDossierEventType(std::string_view type) {
  return contains(dossierTypes(), type);
}
bool isCampaignEventType(std::string_view type) {
  return contains(campaignTypes(), type);
}

Status checkRecordedCents(std::string_view what, std::int64_t cents) {
  if (cents >= 0 && cents <= centsMax) return okStatus();
  return Error::corruption(std::string(what) + " is " + std::to_string(cents) +
                           " cents, outside 0 to " + std::to_string(centsMax));
}

namespace {

Status checkTextIsUtf8(capnp::DynamicValue::Reader value, const std::string& path) {
  switch (value.getType()) {
    case capnp::DynamicValue::TEXT:
      if (kj::encodeUtf32(value.as<capnp::Text>().asArray()).hadErrors) {
        return Error::invalidInput(path + ": not valid UTF-8 text");
      }
      return okStatus();
    case capnp::DynamicValue::LIST: {
      unsigned i = 0;
      for (auto item : value.as<capnp::DynamicList>()) {
        if (auto s = checkTextIsUtf8(item, path + "[" + std::to_string(i++) + "]"); !s) return s;
      }
      return okStatus();
    }
    case capnp::DynamicValue::STRUCT: {
      auto object = value.as<capnp::DynamicStruct>();
      for (auto field : object.getSchema().getFields()) {
        if (!object.has(field)) continue;  // absent, or another union member
        const std::string name = field.getProto().getName().cStr();
        if (auto s = checkTextIsUtf8(object.get(field), path.empty() ? name : path + "." + name);
            !s) {
          return s;
        }
      }
      return okStatus();
    }
    default:
      return okStatus();
  }
}

}  // namespace

Status checkEventText(const DomainEvent& event) {
  auto walk = [](auto root) { return checkTextIsUtf8(capnp::toDynamic(root), ""); };
  if (isDossierEventType(event.type)) {
    return readPayload<schema::DossierEvent>(event.payload, event.type, walk);
  }
  return readPayload<schema::CampaignEvent>(event.payload, event.type, walk);
}

Status checkApplicationText(const Application& application) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::Application>();
  writeApplication(application, root);
  return checkTextIsUtf8(capnp::toDynamic(root.asReader()), "");
}

std::string flattenMessage(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const char> chars = words.asChars();
  return {chars.begin(), chars.size()};
}

namespace {

// The judging enums are declared in the same order as their schema
// counterparts (events.capnp), so they convert by value. A value a newer
// parcours might write reads as the default, as the other rules' enums do.
template <typename To, typename From>
To sameOrdinal(From value, To last) {
  const auto ordinal = static_cast<unsigned>(value);
  return ordinal <= static_cast<unsigned>(last) ? static_cast<To>(ordinal) : To{};
}

void writeJudging(const judging::JudgingRules& j, schema::JudgingRules::Builder out) {
  out.setJurorsPerDossier(j.jurorsPerDossier);
  out.setExpertiseRequired(j.expertiseRequired);
  out.setNormalisation(static_cast<schema::NormalisationRule>(j.normalisation));
  out.setMinScoresPerJuror(j.minScoresPerJuror);
  out.setMaxSpreadMilli(j.maxSpreadMilli);
  out.setQuorumCounts(static_cast<schema::QuorumCounts>(j.quorumCounts));
  out.setMajorityBase(static_cast<schema::MajorityBase>(j.majorityBase));
  out.setAbstentions(static_cast<schema::Abstentions>(j.abstentions));
  out.setBallot(static_cast<schema::Ballot>(j.ballot));
  out.setTieBreak(static_cast<schema::TieBreak>(j.tieBreak));
  out.setChairId(j.chairId);
  out.setSelection(static_cast<schema::SelectionRule>(j.selection));
  out.setQuorumRule(static_cast<schema::QuorumRule>(j.quorumRule));
  out.setProxies(j.proxies);
  out.setReconveneAfterDays(j.reconveneAfterDays);
}

judging::JudgingRules readJudging(schema::JudgingRules::Reader in) {
  using namespace judging;
  JudgingRules j;
  j.jurorsPerDossier = in.getJurorsPerDossier();
  j.expertiseRequired = in.getExpertiseRequired();
  j.normalisation = sameOrdinal(in.getNormalisation(), NormalisationRule::ZScore);
  j.minScoresPerJuror = in.getMinScoresPerJuror();
  j.maxSpreadMilli = in.getMaxSpreadMilli();
  j.quorumCounts = sameOrdinal(in.getQuorumCounts(), QuorumCounts::Present);
  j.majorityBase = sameOrdinal(in.getMajorityBase(), MajorityBase::Eligible);
  j.abstentions = sameOrdinal(in.getAbstentions(), Abstentions::NotCounted);
  j.ballot = sameOrdinal(in.getBallot(), Ballot::Secret);
  j.tieBreak = sameOrdinal(in.getTieBreak(), TieBreak::Lot);
  j.chairId = toString(in.getChairId());
  j.selection = sameOrdinal(in.getSelection(), SelectionRule::Exact);
  j.quorumRule = sameOrdinal(in.getQuorumRule(), QuorumRule::MoreThanHalfInOffice);
  j.proxies = in.getProxies();
  j.reconveneAfterDays = in.getReconveneAfterDays();
  return j;
}

}  // namespace

void writeRules(const CampaignRules& rules, schema::CampaignRules::Builder out) {
  out.setName(rules.name);
  out.setOrganiser(rules.organiser);
  out.setTimeZone(rules.timeZone);
  out.setDeadlineMicros(rules.deadlineMicros);
  out.setDeadlineLocal(rules.deadlineLocal);
  auto kinds =
      out.initEligibleApplicantKinds(static_cast<unsigned>(rules.eligibleApplicantKinds.size()));
  for (unsigned i = 0; i < kinds.size(); ++i) kinds.set(i, rules.eligibleApplicantKinds[i]);
  auto fields = out.initRequiredFields(static_cast<unsigned>(rules.requiredFields.size()));
  for (unsigned i = 0; i < fields.size(); ++i) fields.set(i, rules.requiredFields[i]);
  auto strands = out.initStrands(static_cast<unsigned>(rules.strands.size()));
  for (unsigned i = 0; i < strands.size(); ++i) {
    strands[i].setId(rules.strands[i].id);
    strands[i].setLabel(rules.strands[i].label);
    strands[i].setMode(static_cast<schema::StrandMode>(rules.strands[i].mode));
  }
  out.setAuditionsHeld(rules.auditionsHeld);
  auto criteria = out.initCriteria(static_cast<unsigned>(rules.criteria.size()));
  for (unsigned i = 0; i < criteria.size(); ++i) {
    const Criterion& c = rules.criteria[i];
    criteria[i].setId(c.id);
    criteria[i].setLabel(c.label);
    criteria[i].setScaleMin(c.scaleMin);
    criteria[i].setScaleMax(c.scaleMax);
    criteria[i].setWeight(c.weight);
  }
  out.setThresholdMilli(rules.thresholdMilli);
  out.setVotingBody(rules.votingBody == VotingBody::Jury ? schema::VotingBody::JURY
                                                         : schema::VotingBody::ELECTED_OFFICIALS);
  out.setQuorumPercent(rules.quorumPercent);
  switch (rules.majority) {
    case Majority::Simple:
      out.setMajority(schema::Majority::SIMPLE);
      break;
    case Majority::Absolute:
      out.setMajority(schema::Majority::ABSOLUTE);
      break;
    case Majority::TwoThirds:
      out.setMajority(schema::Majority::TWO_THIRDS);
      break;
  }
  out.setLabelName(rules.labelName);
  out.setBudgetEnvelopeCents(rules.budgetEnvelopeCents);
  out.setPerDossierCapCents(rules.perDossierCapCents);
  out.setNotes(rules.notes);
  out.setGrantedByDeliberation(rules.grantedByDeliberation);
  auto departements =
      out.initEligibleDepartements(static_cast<unsigned>(rules.eligibleDepartements.size()));
  for (unsigned i = 0; i < departements.size(); ++i) {
    departements.set(i, rules.eligibleDepartements[i]);
  }
  auto assumptions = out.initAssumptions(static_cast<unsigned>(rules.assumptions.size()));
  for (unsigned i = 0; i < assumptions.size(); ++i) {
    assumptions[i].setWhat(rules.assumptions[i].what);
    assumptions[i].setWhy(rules.assumptions[i].why);
  }
  if (!(rules.auditions == AuditionRules{})) {
    auto a = out.initAuditions();
    a.setFormat(static_cast<schema::AuditionFormat>(rules.auditions.format));
    a.setSlotMinutes(rules.auditions.slotMinutes);
    auto rounds = a.initRounds(static_cast<unsigned>(rules.auditions.rounds.size()));
    for (unsigned i = 0; i < rounds.size(); ++i) {
      const AuditionRound& round = rules.auditions.rounds[i];
      rounds[i].setId(round.id);
      rounds[i].setName(round.name);
      rounds[i].setFromLocal(round.fromLocal);
      rounds[i].setToLocal(round.toLocal);
      rounds[i].setFromMicros(round.fromMicros);
      rounds[i].setToMicros(round.toMicros);
    }
  }
  if (!rules.ceremonyName.empty()) out.setCeremonyName(rules.ceremonyName);
  out.setApplicantsSeeJurors(rules.applicantsSeeJurors);
  if (rules.statutoryDelay.count != 0) {
    const StatutoryDelay& d = rules.statutoryDelay;
    auto delay = out.initStatutoryDelay();
    delay.setCount(d.count);
    delay.setUnit(static_cast<schema::DelayUnit>(d.unit));
    delay.setOutcome(static_cast<schema::DeemedOutcome>(d.outcome));
    delay.setLegalBasis(d.legalBasis);
    delay.setWarnDaysBefore(d.warnDaysBefore);
    delay.setExtendToBusinessDay(d.extendToBusinessDay);
  }
  out.setAlsaceMoselle(rules.alsaceMoselle);
  out.setServiceLevelDays(rules.serviceLevelDays);
  out.setJurorsDaysBefore(rules.jurorsDaysBefore);
  if (!rules.scoringClosesLocal.empty()) {
    out.setScoringClosesLocal(rules.scoringClosesLocal);
    out.setScoringClosesMicros(rules.scoringClosesMicros);
  }
  // Left unset when it says nothing new, so rules without judging rules
  // encode to the bytes they always did (a replay compares bytes).
  if (!(rules.judging == judging::JudgingRules{})) writeJudging(rules.judging, out.initJudging());
  if (!rules.form.empty()) writeFormMessage(rules.form, out.initForm());  // unset without one, as before
}

CampaignRules readRules(schema::CampaignRules::Reader in) {
  CampaignRules rules;
  rules.name = toString(in.getName());
  rules.organiser = toString(in.getOrganiser());
  rules.timeZone = toString(in.getTimeZone());
  rules.deadlineMicros = in.getDeadlineMicros();
  rules.deadlineLocal = toString(in.getDeadlineLocal());
  for (auto kind : in.getEligibleApplicantKinds())
    rules.eligibleApplicantKinds.push_back(toString(kind));
  for (auto field : in.getRequiredFields()) rules.requiredFields.push_back(toString(field));
  for (auto strand : in.getStrands()) {
    rules.strands.push_back({toString(strand.getId()), toString(strand.getLabel()),
                             sameOrdinal(strand.getMode(), StrandMode::Label)});
  }
  rules.auditionsHeld = in.getAuditionsHeld();
  for (auto c : in.getCriteria()) {
    rules.criteria.push_back({toString(c.getId()), toString(c.getLabel()), c.getScaleMin(),
                              c.getScaleMax(), c.getWeight()});
  }
  rules.thresholdMilli = in.getThresholdMilli();
  rules.votingBody = in.getVotingBody() == schema::VotingBody::JURY ? VotingBody::Jury
                                                                    : VotingBody::ElectedOfficials;
  rules.quorumPercent = in.getQuorumPercent();
  switch (in.getMajority()) {
    case schema::Majority::ABSOLUTE:
      rules.majority = Majority::Absolute;
      break;
    case schema::Majority::TWO_THIRDS:
      rules.majority = Majority::TwoThirds;
      break;
    default:
      rules.majority = Majority::Simple;
      break;
  }
  rules.labelName = toString(in.getLabelName());
  rules.budgetEnvelopeCents = in.getBudgetEnvelopeCents();
  rules.perDossierCapCents = in.getPerDossierCapCents();
  rules.notes = toString(in.getNotes());
  rules.grantedByDeliberation = in.getGrantedByDeliberation();
  for (auto d : in.getEligibleDepartements()) rules.eligibleDepartements.push_back(toString(d));
  for (auto a : in.getAssumptions()) {
    rules.assumptions.push_back({toString(a.getWhat()), toString(a.getWhy())});
  }
  if (in.hasAuditions()) {
    const auto a = in.getAuditions();
    rules.auditions.format = sameOrdinal(a.getFormat(), AuditionFormat::InPerson);
    rules.auditions.slotMinutes = a.getSlotMinutes();
    for (auto round : a.getRounds()) {
      rules.auditions.rounds.push_back({toString(round.getId()), toString(round.getName()),
                                        toString(round.getFromLocal()), toString(round.getToLocal()),
                                        round.getFromMicros(), round.getToMicros()});
    }
  }
  rules.ceremonyName = toString(in.getCeremonyName());
  rules.applicantsSeeJurors = in.getApplicantsSeeJurors();
  if (in.hasStatutoryDelay() && in.getStatutoryDelay().getCount() != 0) {
    const auto d = in.getStatutoryDelay();
    StatutoryDelay& delay = rules.statutoryDelay;
    delay.count = d.getCount();
    delay.unit = sameOrdinal(d.getUnit(), DelayUnit::Months);
    delay.outcome = sameOrdinal(d.getOutcome(), DeemedOutcome::Accepted);
    delay.legalBasis = toString(d.getLegalBasis());
    delay.warnDaysBefore = d.getWarnDaysBefore();
    delay.extendToBusinessDay = d.getExtendToBusinessDay();
  }
  rules.alsaceMoselle = in.getAlsaceMoselle();
  rules.serviceLevelDays = in.getServiceLevelDays();
  rules.jurorsDaysBefore = in.getJurorsDaysBefore();
  rules.scoringClosesLocal = toString(in.getScoringClosesLocal());
  rules.scoringClosesMicros = in.getScoringClosesMicros();
  if (in.hasJudging()) rules.judging = readJudging(in.getJudging());
  if (in.hasForm()) rules.form = readFormMessage(in.getForm());
  return rules;
}

}  // namespace parcours::workflows
