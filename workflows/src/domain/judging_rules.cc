// The judging rules' names as definition files and the CLI write them.
#include "parcours/workflows/judging/judging_rules.h"

#include "judging/name_table.h"


namespace parcours::workflows::judging {
namespace {

constexpr NameTable<NormalisationRule, 2> normalisationNames{
    {{NormalisationRule::None, "none"}, {NormalisationRule::ZScore, "z_score"}}};
constexpr NameTable<SelectionRule, 3> selectionNames{{{SelectionRule::RankSkip, "rank_skip"},
                                                  {SelectionRule::RankStop, "rank_stop"},
                                                  {SelectionRule::Exact, "exact"}}};
constexpr NameTable<QuorumCounts, 2> quorumCountsNames{
    {{QuorumCounts::VotesCast, "votes_cast"}, {QuorumCounts::Present, "present"}}};
constexpr NameTable<MajorityBase, 3> majorityBaseNames{{{MajorityBase::VotesCast, "votes_cast"},
                                                    {MajorityBase::Present, "present"},
                                                    {MajorityBase::Eligible, "eligible"}}};
constexpr NameTable<Abstentions, 2> abstentionsNames{
    {{Abstentions::CountAsCast, "count_as_cast"}, {Abstentions::NotCounted, "not_counted"}}};
constexpr NameTable<Ballot, 2> ballotNames{{{Ballot::RollCall, "roll_call"}, {Ballot::Secret, "secret"}}};
constexpr NameTable<TieBreak, 4> tieBreakNames{{{TieBreak::None, "none"},
                                            {TieBreak::ChairCastingVote, "chair_casting_vote"},
                                            {TieBreak::EarlierSubmission, "earlier_submission"},
                                            {TieBreak::Lot, "lot"}}};
constexpr NameTable<QuorumRule, 2> quorumRuleNames{
    {{QuorumRule::Percent, "percent"}, {QuorumRule::MoreThanHalfInOffice, "more_than_half_in_office"}}};

}  // namespace

std::string_view normalisationRuleName(NormalisationRule r) { return nameIn(normalisationNames, r); }
std::optional<NormalisationRule> parseNormalisationRule(std::string_view n) {
  return parseIn(normalisationNames, n);
}
std::string_view selectionRuleName(SelectionRule r) { return nameIn(selectionNames, r); }
std::optional<SelectionRule> parseSelectionRule(std::string_view n) {
  return parseIn(selectionNames, n);
}
std::string_view quorumCountsName(QuorumCounts c) { return nameIn(quorumCountsNames, c); }
std::optional<QuorumCounts> parseQuorumCounts(std::string_view n) {
  return parseIn(quorumCountsNames, n);
}
std::string_view majorityBaseName(MajorityBase b) { return nameIn(majorityBaseNames, b); }
std::optional<MajorityBase> parseMajorityBase(std::string_view n) {
  return parseIn(majorityBaseNames, n);
}
std::string_view abstentionsName(Abstentions a) { return nameIn(abstentionsNames, a); }
std::optional<Abstentions> parseAbstentions(std::string_view n) {
  return parseIn(abstentionsNames, n);
}
std::string_view ballotName(Ballot b) { return nameIn(ballotNames, b); }
std::optional<Ballot> parseBallot(std::string_view n) { return parseIn(ballotNames, n); }
std::string_view tieBreakName(TieBreak t) { return nameIn(tieBreakNames, t); }
std::optional<TieBreak> parseTieBreak(std::string_view n) { return parseIn(tieBreakNames, n); }
std::string_view quorumRuleName(QuorumRule q) { return nameIn(quorumRuleNames, q); }
std::optional<QuorumRule> parseQuorumRule(std::string_view n) { return parseIn(quorumRuleNames, n); }

}  // namespace parcours::workflows::judging
