// The judging rules a campaign fixes before it opens: how jurors are drawn,
// how scores are normalised, when jurors disagree too much, how a
// deliberative vote is counted and how dossiers are selected under the
// budget. Part of CampaignRules (so each is recorded and versioned with the
// rules); the defaults are what parcours did before these rules existed, so
// a campaign that says nothing keeps its old meaning.
//
// C++17 on purpose: the Boost.MSM translation unit includes campaign_rules.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parcours::workflows::judging {

enum class NormalisationRule : std::uint8_t { None, ZScore };
std::string_view normalisationRuleName(NormalisationRule rule);  // "none", "z_score"
std::optional<NormalisationRule> parseNormalisationRule(std::string_view name);

enum class SelectionRule : std::uint8_t {
  RankSkip,  // "rank_skip": rank order, skip what does not fit, go on
  RankStop,  // "rank_stop": rank order, stop at the first that does not fit
  Exact,     // "exact": the exact maximum total score under the budget
};
std::string_view selectionRuleName(SelectionRule rule);
std::optional<SelectionRule> parseSelectionRule(std::string_view name);

// What must reach the quorum share of the eligible members.
enum class QuorumCounts : std::uint8_t { VotesCast, Present };  // "votes_cast", "present"
std::string_view quorumCountsName(QuorumCounts counts);
std::optional<QuorumCounts> parseQuorumCounts(std::string_view name);

// The base of absolute and qualified majorities.
enum class MajorityBase : std::uint8_t { VotesCast, Present, Eligible };
std::string_view majorityBaseName(MajorityBase base);  // "votes_cast", "present", "eligible"
std::optional<MajorityBase> parseMajorityBase(std::string_view name);

// "count_as_cast": abstentions are votes cast; "not_counted": only yes and
// no are ("suffrages exprimés").
enum class Abstentions : std::uint8_t { CountAsCast, NotCounted };
std::string_view abstentionsName(Abstentions abstentions);
std::optional<Abstentions> parseAbstentions(std::string_view name);

enum class Ballot : std::uint8_t { RollCall, Secret };  // "roll_call", "secret"
std::string_view ballotName(Ballot ballot);
std::optional<Ballot> parseBallot(std::string_view name);

// "none", "chair_casting_vote", "earlier_submission", "lot"
enum class TieBreak : std::uint8_t { None, ChairCastingVote, EarlierSubmission, Lot };
std::string_view tieBreakName(TieBreak tieBreak);
std::optional<TieBreak> parseTieBreak(std::string_view name);

// What the quorum is: a share of the eligible members (quorum_percent), or
// the law's for a regional council (CGCT L4132-13): "la majorité absolue de
// ses membres en exercice", strictly more than half of the members in
// office, present in person.
enum class QuorumRule : std::uint8_t { Percent, MoreThanHalfInOffice };
// "percent", "more_than_half_in_office"
std::string_view quorumRuleName(QuorumRule rule);
std::optional<QuorumRule> parseQuorumRule(std::string_view name);

struct JudgingRules {
  // Juror assignment: k jurors drawn per dossier; 0: no draw, every juror
  // scores every dossier.
  std::uint32_t jurorsPerDossier = 0;
  bool expertiseRequired = false;  // a dossier with strands gets jurors sharing one
  NormalisationRule normalisation = NormalisationRule::None;
  std::uint32_t minScoresPerJuror = 0;  // below: the juror's scores stay raw
  // Disagreement: a dossier whose jurors' weighted means are further apart
  // than this (x1000) needs a recorded consensus before the round closes;
  // 0: never.
  std::uint32_t maxSpreadMilli = 0;
  // The vote, beyond the body, quorum percent and majority of CampaignRules.
  QuorumCounts quorumCounts = QuorumCounts::VotesCast;
  MajorityBase majorityBase = MajorityBase::VotesCast;
  Abstentions abstentions = Abstentions::CountAsCast;
  Ballot ballot = Ballot::RollCall;
  TieBreak tieBreak = TieBreak::None;
  std::string chairId;  // chair_casting_vote: whose vote prevails
  SelectionRule selection = SelectionRule::RankSkip;
  QuorumRule quorumRule = QuorumRule::Percent;
  // A member absent may give a proxy to a member present, who holds at most
  // one (CGCT L4132-15); proxies vote, they do not make the quorum.
  bool proxies = false;
  // A close without quorum adjourns the vote, held again of right this
  // many days later whatever the attendance (CGCT L4132-13: three); 0: it
  // is refused and writes nothing.
  std::uint32_t reconveneAfterDays = 0;

  bool operator==(const JudgingRules& o) const {
    return jurorsPerDossier == o.jurorsPerDossier && expertiseRequired == o.expertiseRequired &&
           normalisation == o.normalisation && minScoresPerJuror == o.minScoresPerJuror &&
           maxSpreadMilli == o.maxSpreadMilli && quorumCounts == o.quorumCounts &&
           majorityBase == o.majorityBase && abstentions == o.abstentions && ballot == o.ballot &&
           tieBreak == o.tieBreak && chairId == o.chairId && selection == o.selection &&
           quorumRule == o.quorumRule && proxies == o.proxies &&
           reconveneAfterDays == o.reconveneAfterDays;
  }
};

}  // namespace parcours::workflows::judging
