// The tally of a deliberative vote on one dossier: the rules' words, their
// consistency checks, and the count and decision (quorum, majority, tie).
//
// The decisions themselves are written down in deliberation.h; this file
// follows them step by step: check the rules, check the roster and the
// votes, count, apply the quorum, apply the majority, break a tie. Every
// product is taken in 64 bits so no count of members can overflow it.
//
// Helpers live in `tally_impl`: unity builds paste this file into one
// translation unit with the other judging files, whose anonymous
// namespaces would otherwise share names with ours.
#include "parcours/workflows/judging/deliberation.h"

#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "judging/name_table.h"
#include "parcours/store/hash_chain.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::workflows::judging {
namespace tally_impl {
namespace {

// ------------------------------------------------------------ names

constexpr NameTable<MajorityRule, 3> majorityRuleNames{{
    {MajorityRule::Simple, "simple"},
    {MajorityRule::Absolute, "absolute"},
    {MajorityRule::Qualified, "qualified"},
}};

// ------------------------------------------------------------ messages

Error fieldError(std::string_view path, const std::string& message) {
  return Error::invalidInput(std::string(path) + ": " + message);
}

std::string quotedText(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string indexed(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

// "1 abstention", "2 abstentions": the explanation is read by people.
std::string countOf(std::uint32_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

// ------------------------------------------------------------ rules

// A value cast from a corrupt byte names no word: refuse it rather than
// decide under a rule nobody declared.
Status checkEnumsKnown(const DeliberationRules& r) {
  if (quorumCountsName(r.quorumCounts).empty()) {
    return fieldError("quorum_counts", "unknown value");
  }
  if (majorityRuleName(r.majority).empty()) return fieldError("majority", "unknown value");
  if (majorityBaseName(r.majorityBase).empty()) {
    return fieldError("majority_base", "unknown value");
  }
  if (abstentionsName(r.abstentions).empty()) {
    return fieldError("abstentions", "unknown value");
  }
  if (ballotName(r.ballot).empty()) return fieldError("ballot", "unknown value");
  if (tieBreakName(r.tieBreak).empty()) return fieldError("tie_break", "unknown value");
  if (quorumRuleName(r.quorumRule).empty()) return fieldError("quorum", "unknown value");
  return okStatus();
}

Status checkQuorum(const DeliberationRules& r) {
  if (r.quorumPercent <= 100) return okStatus();
  return fieldError("quorum_percent",
                    "must be at most 100, got " + std::to_string(r.quorumPercent));
}

// A qualified majority is a fraction of the base strictly above one half:
// at or below it, two opposite motions could both carry.
Status checkQualified(const DeliberationRules& r) {
  if (r.majority != MajorityRule::Qualified) return okStatus();
  const std::uint64_t num = r.qualifiedNumerator, den = r.qualifiedDenominator;
  if (den == 0) return fieldError("qualified_denominator", "must not be 0");
  if (num > den) {
    return fieldError("qualified_numerator", "must not exceed the denominator, got " +
                                                 std::to_string(num) + "/" + std::to_string(den));
  }
  if (num * 2 <= den) {
    return fieldError("qualified_numerator", "a qualified majority must be more than half, got " +
                                                 std::to_string(num) + "/" + std::to_string(den));
  }
  return okStatus();
}

Status checkTieBreak(const DeliberationRules& r) {
  if (r.majority == MajorityRule::Qualified && r.tieBreak != TieBreak::None) {
    return fieldError("tie_break",
                      "a qualified majority is more than half of its base, so a tied motion never "
                      "reaches it and breaking the tie would override it: use \"none\"");
  }
  if (r.tieBreak != TieBreak::ChairCastingVote) return okStatus();
  if (r.ballot == Ballot::Secret) {
    return fieldError("tie_break",
                      "a chair's casting vote needs a roll call: with a secret ballot the chair's "
                      "vote is not known");
  }
  if (r.chairId.empty()) return fieldError("vote.chair", "a chair's casting vote names the chair");
  return okStatus();
}

Status checkChairId(const DeliberationRules& r) {
  if (r.chairId.empty()) return okStatus();
  return validateId("vote.chair", r.chairId);
}

// ------------------------------------------------------------ roster

// The members of each list, as sets; `present` as given, or else the voters.
struct Roster {
  std::set<std::string> eligible, recused, present;
  std::map<std::string, std::string> proxyHolder;  // giver -> holder
};

// Well-formed ids, each listed once.
Result<std::set<std::string>> memberSet(std::string_view list,
                                        const std::vector<std::string>& ids) {
  std::set<std::string> members;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (auto s = validateId(indexed(list, i), ids[i]); !s) return s.error();
    if (!members.insert(ids[i]).second) {
      return fieldError(indexed(list, i), quotedText(ids[i]) + " is listed twice");
    }
  }
  return members;
}

Status checkRecusedNotEligible(const Roster& roster, const std::vector<std::string>& recused) {
  for (std::size_t i = 0; i < recused.size(); ++i) {
    if (roster.eligible.count(recused[i]) != 0) {
      return fieldError(indexed("recused", i),
                        quotedText(recused[i]) +
                            " is also listed as eligible: a recused member is never counted");
    }
  }
  return okStatus();
}

Status checkPresentEligible(const Roster& roster, const std::vector<std::string>& present) {
  for (std::size_t i = 0; i < present.size(); ++i) {
    if (roster.recused.count(present[i]) != 0) {
      return fieldError(indexed("present", i), quotedText(present[i]) +
                                                   " is recused from this dossier and cannot "
                                                   "be counted present");
    }
    if (roster.eligible.count(present[i]) == 0) {
      return fieldError(indexed("present", i),
                        quotedText(present[i]) + " is not an eligible member");
    }
  }
  return okStatus();
}

Result<Roster> readRoster(const DeliberationInput& input) {
  Roster roster;
  auto eligible = memberSet("eligible", input.eligible);
  if (!eligible) return eligible.error();
  roster.eligible = std::move(*eligible);
  auto recused = memberSet("recused", input.recused);
  if (!recused) return recused.error();
  roster.recused = std::move(*recused);
  if (auto s = checkRecusedNotEligible(roster, input.recused); !s) return s.error();
  auto present = memberSet("present", input.present);
  if (!present) return present.error();
  roster.present = std::move(*present);
  if (auto s = checkPresentEligible(roster, input.present); !s) return s.error();
  return roster;
}

Status checkVoter(const Roster& roster, bool presentGiven, std::size_t i, const MemberVote& vote) {
  const std::string path = indexed("votes", i) + ".member_id";
  if (auto s = validateId(path, vote.memberId); !s) return s;
  if (!parseVoteChoice(voteChoiceName(vote.choice))) {  // a value cast from a corrupt byte
    return fieldError(indexed("votes", i) + ".choice", "unknown value");
  }
  if (roster.recused.count(vote.memberId) != 0) {
    return fieldError(path, "recused member " + quotedText(vote.memberId) +
                                " voted: a recused member's vote is never counted");
  }
  if (roster.eligible.count(vote.memberId) == 0) {
    return fieldError(path, quotedText(vote.memberId) + " is not an eligible member");
  }
  if (presentGiven && roster.present.count(vote.memberId) == 0 &&
      roster.proxyHolder.count(vote.memberId) == 0) {
    return fieldError(path, quotedText(vote.memberId) +
                                " voted but is neither present nor represented by a proxy");
  }
  return okStatus();
}

// CGCT L4132-15: "Un conseiller régional empêché d'assister à une séance
// peut donner à un collègue de son choix pouvoir écrit de voter en son nom.
// Un même conseiller régional ne peut être porteur que d'un seul pouvoir."
Status readProxies(const DeliberationRules& rules, Roster& roster, const DeliberationInput& input) {
  if (input.proxies.empty()) return okStatus();
  if (!rules.proxiesAllowed) {
    return fieldError("proxies", "the rules of this vote allow no proxy");
  }
  if (input.present.empty()) {
    return fieldError("proxies", "with proxies, list the members present in person");
  }
  std::set<std::string> holders;
  for (std::size_t i = 0; i < input.proxies.size(); ++i) {
    const ProxyGiven& p = input.proxies[i];
    const std::string at = indexed("proxies", i);
    if (auto s = validateId(at + ".giver", p.giverId); !s) return s;
    if (auto s = validateId(at + ".holder", p.holderId); !s) return s;
    if (p.giverId == p.holderId) {
      return fieldError(at, quotedText(p.giverId) + " cannot give a proxy to themself");
    }
    for (const auto& [id, role] : {std::pair{p.giverId, "giver"}, std::pair{p.holderId, "holder"}}) {
      if (roster.recused.count(id) != 0) {
        return fieldError(at + "." + role,
                          quotedText(id) + " is recused from this dossier: no proxy given or held");
      }
      if (roster.eligible.count(id) == 0) {
        return fieldError(at + "." + role, quotedText(id) + " is not an eligible member");
      }
    }
    if (roster.present.count(p.giverId) != 0) {
      return fieldError(at + ".giver", quotedText(p.giverId) +
                                           " is present: a member present votes in person");
    }
    if (roster.present.count(p.holderId) == 0) {
      return fieldError(at + ".holder", quotedText(p.holderId) +
                                            " holds a proxy but is not present");
    }
    if (roster.proxyHolder.count(p.giverId) != 0) {
      return fieldError(at + ".giver", quotedText(p.giverId) + " already gave a proxy to " +
                                           quotedText(roster.proxyHolder.at(p.giverId)) +
                                           ": a member gives one");
    }
    if (!holders.insert(p.holderId).second) {
      return fieldError(at + ".holder",
                        quotedText(p.holderId) +
                            " already holds a proxy: a member holds at most one (CGCT L4132-15)");
    }
    roster.proxyHolder[p.giverId] = p.holderId;
  }
  return okStatus();
}

// Checks every vote, and completes `present` with the voters when the
// caller gave no list of those present.
Status readVotes(Roster& roster, const DeliberationInput& input) {
  const bool presentGiven = !input.present.empty();
  std::set<std::string> voters;
  for (std::size_t i = 0; i < input.votes.size(); ++i) {
    const MemberVote& vote = input.votes[i];
    if (auto s = checkVoter(roster, presentGiven, i, vote); !s) return s;
    if (!voters.insert(vote.memberId).second) {
      return fieldError(indexed("votes", i) + ".member_id",
                        quotedText(vote.memberId) + " voted twice");
    }
  }
  if (!presentGiven) roster.present = std::move(voters);
  return okStatus();
}

Status checkLotMaterial(const DeliberationRules& rules, const DeliberationInput& input) {
  if (rules.tieBreak != TieBreak::Lot) return okStatus();
  // Required whether or not the vote ties: a missing seed must show up on
  // the first vote, not on the first tie months later.
  if (input.lotSeed.empty()) {
    return fieldError("lot_seed", "a drawing of lots needs the seed committed before the vote");
  }
  return validateId("dossier_id", input.dossierId);
}

// ------------------------------------------------------------ counting

void countVotes(const std::vector<MemberVote>& votes, DeliberationOutcome& out) {
  for (const MemberVote& vote : votes) {
    switch (vote.choice) {
      case VoteChoice::Yes:
        ++out.yes;
        break;
      case VoteChoice::No:
        ++out.no;
        break;
      case VoteChoice::Abstain:
        ++out.abstain;
        break;
    }
  }
}

// Every member who took part, abstentions included ("votants").
std::uint32_t votesCast(const DeliberationOutcome& out) {
  return out.yes + out.no + out.abstain;
}

// The votes cast as the majority counts them.
std::uint32_t votesCastForMajority(const DeliberationRules& rules, const DeliberationOutcome& out) {
  return rules.abstentions == Abstentions::CountAsCast ? votesCast(out) : out.yes + out.no;
}

std::uint32_t ceilDiv(std::uint64_t numerator, std::uint64_t denominator) {
  return static_cast<std::uint32_t>((numerator + denominator - 1) / denominator);
}

void applyQuorum(const DeliberationRules& rules, const DeliberationInput& input,
                 DeliberationOutcome& out) {
  if (rules.quorumRule == QuorumRule::MoreThanHalfInOffice) {
    // Members present in person: a proxy is a vote, not a presence.
    out.inOffice = input.inOffice != 0
                       ? input.inOffice
                       : static_cast<std::uint32_t>(input.eligible.size() + input.recused.size());
    out.quorumNeeded = out.inOffice / 2 + 1;
    out.quorumCounted = out.present;
  } else {
    out.quorumNeeded = ceilDiv(std::uint64_t{rules.quorumPercent} * out.eligible, 100);
    // A vote by proxy is a vote, not a participation: never in the quorum.
    std::uint32_t byProxy = 0;
    for (const MemberVote& vote : input.votes) {
      for (const ProxyGiven& p : input.proxies) byProxy += p.giverId == vote.memberId ? 1 : 0;
    }
    out.quorumCounted =
        rules.quorumCounts == QuorumCounts::VotesCast ? votesCast(out) - byProxy : out.present;
  }
  out.quorumWaived = input.quorumWaived;
  out.quorumReached =
      out.eligible > 0 && (out.quorumWaived || out.quorumCounted >= out.quorumNeeded);
}

std::uint32_t majorityBaseFor(const DeliberationRules& rules, const DeliberationOutcome& out) {
  if (rules.majority == MajorityRule::Simple) return votesCastForMajority(rules, out);
  switch (rules.majorityBase) {
    case MajorityBase::VotesCast:
      return votesCastForMajority(rules, out);
    case MajorityBase::Present:
      return out.present;
    case MajorityBase::Eligible:
      return out.eligible;
  }
  return out.eligible;
}

// The smallest yes count with which the rule carries, the other counts as
// they are: what the minutes print as the majority required.
std::uint32_t yesNeededFor(const DeliberationRules& rules, const DeliberationOutcome& out) {
  switch (rules.majority) {
    case MajorityRule::Simple:
      return out.no + 1;
    case MajorityRule::Absolute:
      return out.majorityBase / 2 + 1;
    case MajorityRule::Qualified: {
      const std::uint32_t share = ceilDiv(
          std::uint64_t{rules.qualifiedNumerator} * out.majorityBase, rules.qualifiedDenominator);
      return share > 0 ? share : 1;  // a motion nobody voted for never carries
    }
  }
  return out.no + 1;
}

bool carriedByRule(const DeliberationRules& rules, const DeliberationOutcome& out) {
  const std::uint64_t yes = out.yes, base = out.majorityBase;
  switch (rules.majority) {
    case MajorityRule::Simple:
      return out.yes > out.no;
    case MajorityRule::Absolute:
      return yes * 2 > base;
    case MajorityRule::Qualified:
      return yes > 0 && yes * rules.qualifiedDenominator >= rules.qualifiedNumerator * base;
  }
  return false;
}

// ------------------------------------------------------------ tie-breaks

void breakByChair(const DeliberationRules& rules, const DeliberationInput& input,
                  DeliberationOutcome& out) {
  const std::string chair = "the chair (" + rules.chairId + ")";
  const std::string noCastingVote =
      ": no casting vote, the tie stands and the motion is not carried";
  for (const MemberVote& vote : input.votes) {
    if (vote.memberId != rules.chairId) continue;
    if (vote.choice == VoteChoice::Abstain) {
      out.tieBreakDetail = chair + " abstained" + noCastingVote;
      return;
    }
    out.carried = vote.choice == VoteChoice::Yes;
    out.tieBreakDetail = chair + " voted " + std::string(voteChoiceName(vote.choice)) +
                         ": the casting vote " + (out.carried ? "carries" : "rejects") +
                         " the motion";
    return;
  }
  for (const std::string& recused : input.recused) {
    if (recused == rules.chairId) {
      out.tieBreakDetail = chair + " is recused from this dossier" + noCastingVote;
      return;
    }
  }
  out.tieBreakDetail = chair + " did not vote" + noCastingVote;
}

void breakByEarlierSubmission(const DeliberationInput& input, DeliberationOutcome& out) {
  if (!input.earlierSubmissionWins) {
    out.tieBreakDetail =
        "no submission comparison available: the tie stands and the motion is not carried";
    return;
  }
  out.carried = *input.earlierSubmissionWins;
  out.tieBreakDetail = out.carried
                           ? "this dossier was submitted earlier than the other of the tied pair: "
                             "the motion is carried"
                           : "this dossier was submitted later than the other of the tied pair: "
                             "the motion is not carried";
}

// Odd first byte carries: one bit of a hash nobody could steer, since the
// seed was committed before the votes were known.
void breakByLot(const DeliberationInput& input, DeliberationOutcome& out) {
  const std::string digest = store::chain::sha256({input.lotSeed, "\n", input.dossierId});
  const auto firstByte = static_cast<unsigned char>(digest[0]);
  out.carried = (firstByte & 1U) != 0;
  out.lotDigestHex = store::chain::toHex(digest);
  out.tieBreakDetail = "lot: SHA-256(seed ‖ \"\\n\" ‖ " + quotedText(input.dossierId) +
                       ") first byte 0x" + out.lotDigestHex.substr(0, 2) + " is " +
                       (out.carried ? "odd → carried" : "even → rejected");
}

void breakTie(const DeliberationRules& rules, const DeliberationInput& input,
              DeliberationOutcome& out) {
  out.tieBreakUsed = rules.tieBreak;
  switch (rules.tieBreak) {
    case TieBreak::None:
      out.tieBreakDetail = "no tie-break: a motion without a majority is not carried";
      return;
    case TieBreak::ChairCastingVote:
      breakByChair(rules, input, out);
      return;
    case TieBreak::EarlierSubmission:
      breakByEarlierSubmission(input, out);
      return;
    case TieBreak::Lot:
      breakByLot(input, out);
      return;
  }
}

// ------------------------------------------------------------ explanation

std::string quorumPhrase(const DeliberationRules& rules, const DeliberationOutcome& out) {
  if (out.quorumWaived) {
    return "quorum held of right: the meeting is held again after one without quorum (" +
           countOf(out.present, "member present", "members present") + ")";
  }
  if (rules.quorumRule == QuorumRule::MoreThanHalfInOffice) {
    return std::string(out.quorumReached ? "quorum reached" : "quorum not reached") + " with " +
           countOf(out.quorumCounted, "member present", "members present") + " of the " +
           std::to_string(out.quorumNeeded) + " needed (more than half of the " +
           countOf(out.inOffice, "member in office", "members in office") + ")";
  }
  const std::string counted = rules.quorumCounts == QuorumCounts::VotesCast
                                  ? countOf(out.quorumCounted, "vote cast", "votes cast")
                                  : countOf(out.quorumCounted, "member present", "members present");
  return std::string(out.quorumReached ? "quorum reached" : "quorum not reached") + " with " +
         counted + " of the " + std::to_string(out.quorumNeeded) + " needed (" +
         std::to_string(rules.quorumPercent) + "% of " +
         countOf(out.eligible, "eligible member", "eligible members") + ")";
}

std::string basePhrase(const DeliberationRules& rules, const DeliberationOutcome& out) {
  const std::string n = std::to_string(out.majorityBase);
  switch (rules.majorityBase) {
    case MajorityBase::VotesCast:
      return rules.abstentions == Abstentions::CountAsCast
                 ? "the " + n + " votes cast (abstentions included)"
                 : "the " + n + " votes for or against (abstentions not counted)";
    case MajorityBase::Present:
      return "the " + n + " members present";
    case MajorityBase::Eligible:
      return "the " + n + " eligible members";
  }
  return "the " + n;
}

std::string majorityPhrase(const DeliberationRules& rules, const DeliberationOutcome& out) {
  switch (rules.majority) {
    case MajorityRule::Simple:
      return "a simple majority (more yes than no)";
    case MajorityRule::Absolute:
      return "an absolute majority of " + basePhrase(rules, out);
    case MajorityRule::Qualified:
      return "a qualified majority of " + std::to_string(rules.qualifiedNumerator) + "/" +
             std::to_string(rules.qualifiedDenominator) + " of " + basePhrase(rules, out);
  }
  return "a majority";
}

std::string explain(const DeliberationRules& rules, const DeliberationOutcome& out) {
  std::string sentence = std::string(out.carried ? "Carried" : "Not carried") + ": " +
                         std::to_string(out.yes) + " yes, " + std::to_string(out.no) + " no, " +
                         countOf(out.abstain, "abstention", "abstentions") + "; " +
                         quorumPhrase(rules, out);
  if (out.quorumReached) {
    sentence +=
        "; " + majorityPhrase(rules, out) + " needs " + std::to_string(out.yesNeeded) + " yes";
  }
  if (out.tieBreakUsed == TieBreak::None) sentence += "; tied, " + out.tieBreakDetail;
  if (out.tieBreakUsed && out.tieBreakUsed != TieBreak::None) {
    sentence += "; tied, broken by rule \"" + std::string(tieBreakName(*out.tieBreakUsed)) +
                "\": " + out.tieBreakDetail;
  }
  return sentence + ".";
}

}  // namespace
}  // namespace tally_impl

std::string_view majorityRuleName(MajorityRule value) {
  return nameIn(tally_impl::majorityRuleNames, value);
}
std::optional<MajorityRule> parseMajorityRule(std::string_view name) {
  return parseIn(tally_impl::majorityRuleNames, name);
}

DeliberationRules deliberationRulesFor(const CampaignRules& rules) {
  DeliberationRules out;
  out.quorumPercent = rules.quorumPercent;
  switch (rules.majority) {
    case Majority::Simple:
      out.majority = MajorityRule::Simple;
      break;
    case Majority::Absolute:
      out.majority = MajorityRule::Absolute;
      break;
    case Majority::TwoThirds:
      out.majority = MajorityRule::Qualified;
      out.qualifiedNumerator = 2;
      out.qualifiedDenominator = 3;
      break;
  }
  const JudgingRules& j = rules.judging;
  out.quorumCounts = j.quorumCounts;
  out.majorityBase = j.majorityBase;
  out.abstentions = j.abstentions;
  out.ballot = j.ballot;
  out.tieBreak = j.tieBreak;
  out.chairId = j.chairId;
  out.quorumRule = j.quorumRule;
  out.proxiesAllowed = j.proxies;
  return out;
}

Status validateDeliberationRules(const DeliberationRules& rules) {
  for (auto check :
       {tally_impl::checkEnumsKnown, tally_impl::checkQuorum, tally_impl::checkQualified,
        tally_impl::checkTieBreak, tally_impl::checkChairId}) {
    if (auto s = check(rules); !s) return s;
  }
  return okStatus();
}

Result<DeliberationOutcome> tally(const DeliberationRules& rules, const DeliberationInput& input) {
  using namespace tally_impl;
  if (auto s = validateDeliberationRules(rules); !s) return s.error();
  auto roster = readRoster(input);
  if (!roster) return roster.error();
  if (auto s = readProxies(rules, *roster, input); !s) return s.error();
  if (auto s = readVotes(*roster, input); !s) return s.error();
  if (auto s = checkLotMaterial(rules, input); !s) return s.error();

  DeliberationOutcome out;
  out.eligible = static_cast<std::uint32_t>(roster->eligible.size());
  out.present = static_cast<std::uint32_t>(roster->present.size());
  out.proxies = static_cast<std::uint32_t>(roster->proxyHolder.size());
  countVotes(input.votes, out);
  applyQuorum(rules, input, out);
  out.majorityBase = majorityBaseFor(rules, out);
  out.yesNeeded = yesNeededFor(rules, out);
  if (out.quorumReached) {
    out.carried = carriedByRule(rules, out);
    out.tie = !out.carried && out.yes == out.no && out.yes + out.no > 0;
    if (out.tie) breakTie(rules, input, out);
  }
  out.explanation = explain(rules, out);
  return out;
}

}  // namespace parcours::workflows::judging
