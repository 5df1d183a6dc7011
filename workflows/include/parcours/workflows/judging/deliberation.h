// The deliberative vote on one dossier: its declared rules, its tally, and
// its minutes (procès-verbal) in French or English.
//
// A call for applications ends, for each dossier, with a vote of a
// deliberative body (the jury, or the region's elected officials). The body
// declares beforehand how the vote is decided: a quorum, a majority and its
// base, what abstentions weigh, whether the ballot is public or secret, and
// how an equal split of the votes is broken. `tally` applies those rules to
// the recorded votes; `renderMinutes` writes them down. Both are pure and
// deterministic: a replay of the same recorded inputs gives the same outcome
// and the same bytes of minutes.
//
// Decisions (each one tested in tests/workflows/deliberation_test.cc):
//
// * Quorum. quorumNeeded = ceil(quorumPercent × eligible / 100), and the
//   quorum is reached when quorumCounted >= quorumNeeded. quorumCounted is,
//   per QuorumCounts, the votes cast or the members present. With no
//   eligible member the quorum is never reached (nobody can decide). A vote
//   without its quorum is not carried, and no tie-break runs.
// * An abstention is a vote cast for the quorum, whatever `Abstentions`
//   says: the member took part in the vote ("votant"). `Abstentions` only
//   says whether abstentions belong to the base of an absolute or qualified
//   majority computed on votes cast: CountAsCast, base = yes + no + abstain;
//   NotCounted, base = yes + no ("suffrages exprimés"). A base of present or
//   eligible members counts each such member whatever they did, so there an
//   abstention or an absence weighs like a no.
// * Majorities. Simple: carried iff yes > no (the base and the abstention
//   rule play no part; majorityBase reports the votes cast, for the
//   minutes). Absolute: yes × 2 > base. Qualified num/den: yes × den >=
//   num × base and yes > 0. Absolute of votes cast not counting abstentions
//   therefore decides exactly like simple.
// * Tie. yes == no, yes + no > 0, the quorum reached, and the motion not
//   carried by the rule alone (with the checks below, a rule never carries a
//   tie). Then the declared tie-break runs, and tieBreakUsed names it:
//   - None: not carried (status quo: a motion without a majority fails).
//   - ChairCastingVote ("voix prépondérante du président"): the chair's vote
//     prevails if the chair voted yes or no; if the chair abstained, did not
//     vote, or is not among the eligible members (recused from this dossier),
//     the tie stands and the motion is not carried.
//   - EarlierSubmission: carried = *earlierSubmissionWins; with no
//     comparison available (nullopt), not carried.
//   - Lot ("tirage au sort"): h = SHA-256(lotSeed ‖ "\n" ‖ dossierId);
//     carried iff h[0] is odd. The seed is committed before the vote and
//     revealed after it, so nobody could steer the draw; anyone can check it
//     from the minutes, which print h.
//   With no tie, tieBreakUsed is nullopt.
// * A tie-break may carry an absolute majority (as association statutes do:
//   "majorité des présents; en cas de partage, voix du président
//   prépondérante"), but validateDeliberationRules refuses one beside a
//   qualified majority: such a majority is more than half by definition, so
//   carrying a tied motion would override the very rule declared.
// * The ballot does not change the outcome; a secret ballot only keeps each
//   member's vote out of the minutes (hence no chair's casting vote with it).
// * The law's quorum (QuorumRule::MoreThanHalfInOffice, CGCT L4132-13):
//   quorumNeeded = inOffice / 2 + 1 members present in person, inOffice
//   being every member of the voting body (recused ones too: they are in
//   office). A meeting held again after one without quorum
//   (quorumWaived) is valid whatever the attendance: the quorum is reached.
// * Proxies ("pouvoirs", CGCT L4132-15), where the rules allow them: a
//   member absent gives their vote to a member present, who holds at most
//   one. A proxy's vote counts in the majority, never in the quorum. With
//   proxies, the members present must be listed. Every voter is present or
//   voted by proxy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/judging/judging_rules.h"

namespace parcours::workflows::judging {

// QuorumCounts, MajorityBase, Abstentions, Ballot and TieBreak, with their
// names and parsers, are part of the campaign's judging rules
// (judging_rules.h): "votes_cast" | "present"; "votes_cast" | "present" |
// "eligible"; "count_as_cast" | "not_counted"; "roll_call" | "secret";
// "none" | "chair_casting_vote" | "earlier_submission" | "lot".

// "simple": yes > no; "absolute": yes > half of the base; "qualified":
// yes × den >= num × base. (CampaignRules' Majority::TwoThirds is a
// qualified majority of 2/3.)
enum class MajorityRule : std::uint8_t { Simple, Absolute, Qualified };
// "simple", "absolute", "qualified"; empty for a value out of range, like
// the names of judging_rules.h.
std::string_view majorityRuleName(MajorityRule value);
std::optional<MajorityRule> parseMajorityRule(std::string_view name);

struct DeliberationRules {
  std::uint32_t quorumPercent = 50;  // 0..100, of the eligible members
  QuorumCounts quorumCounts = QuorumCounts::VotesCast;
  MajorityRule majority = MajorityRule::Simple;
  MajorityBase majorityBase = MajorityBase::VotesCast;             // absolute and qualified only
  std::uint32_t qualifiedNumerator = 2, qualifiedDenominator = 3;  // qualified only
  Abstentions abstentions = Abstentions::CountAsCast;
  Ballot ballot = Ballot::RollCall;
  TieBreak tieBreak = TieBreak::None;
  std::string chairId;  // who presides; ChairCastingVote: the member whose vote prevails
  QuorumRule quorumRule = QuorumRule::Percent;
  bool proxiesAllowed = false;
};

// The rules a campaign declares for its votes: quorum percent and majority
// from CampaignRules (TwoThirds: qualified 2/3), the rest from its judging
// rules.
DeliberationRules deliberationRulesFor(const CampaignRules& rules);

// InvalidInput naming the field (snake_case, as in a rules file) for
// inconsistent rules: quorum_percent over 100; a qualified majority whose
// denominator is 0, whose numerator exceeds it, or that is not more than
// half (num × 2 <= den); a tie_break beside a qualified majority; a chair's
// casting vote with a secret ballot (the chair's vote is not known) or
// without a well-formed chair_id; an enum value out of range.
Status validateDeliberationRules(const DeliberationRules& rules);

struct MemberVote {
  std::string memberId;
  VoteChoice choice = VoteChoice::Abstain;
};

struct ProxyGiven {
  std::string giverId;   // absent
  std::string holderId;  // present, votes for the giver
};

struct DeliberationInput {
  std::vector<std::string> eligible;  // members of the voting body, not recused from this dossier
  std::vector<std::string> recused;   // recused (upheld conflicts): in the minutes, never counted
  std::vector<std::string> present;   // subset of eligible; empty: those who voted
  std::vector<MemberVote> votes;      // each voter once, each eligible (and present or proxied)
  std::vector<ProxyGiven> proxies;    // each giver once, each holder once
  std::uint32_t inOffice = 0;         // the law's quorum base; 0: eligible + recused
  bool quorumWaived = false;          // held again after a meeting without quorum
  // Tie-break material, used only when the rule says so:
  std::string dossierId;  // Lot: hashed with the seed, so each dossier draws its own lot
  std::string lotSeed;    // Lot: the revealed seed (raw bytes or text), committed before the vote
  // EarlierSubmission: whether this dossier's submission is the earlier one
  // of the tied pair (nullopt: no comparison available).
  std::optional<bool> earlierSubmissionWins;
};

struct DeliberationOutcome {
  std::uint32_t eligible = 0, present = 0, yes = 0, no = 0, abstain = 0;
  std::uint32_t quorumNeeded = 0;   // ceil(quorumPercent × eligible / 100), or inOffice / 2 + 1
  std::uint32_t inOffice = 0;       // the law's quorum base (eligible + recused when not given)
  std::uint32_t proxies = 0;        // votes given by proxy
  bool quorumWaived = false;        // the quorum held of right (a meeting held again)
  std::uint32_t quorumCounted = 0;  // votes cast or present, per QuorumCounts
  bool quorumReached = false;
  std::uint32_t majorityBase = 0;  // the base the majority was computed on (simple: votes cast)
  std::uint32_t yesNeeded = 0;     // the smallest yes count that carries under the rule
  bool tie = false;  // yes == no, yes + no > 0, quorum reached, not carried by the rule alone
  std::optional<TieBreak> tieBreakUsed;  // the rules' tie-break when there was a tie
  // English: "the chair (m1) voted yes: the casting vote carries the motion".
  std::string tieBreakDetail;
  std::string lotDigestHex;  // Lot, when drawn: SHA-256(seed ‖ "\n" ‖ dossier id), lower-case hex
  bool carried = false;
  std::string explanation;  // one English sentence with the numbers
};

// Counts and decides (see the decisions above). InvalidInput for rules that
// validateDeliberationRules refuses; a malformed member id; a member listed
// twice in a list; a recused member listed as eligible, present or voting;
// a present member or a voter not eligible; a voter not present (when
// `present` is given); a lot without a seed or a dossier id.
Result<DeliberationOutcome> tally(const DeliberationRules& rules, const DeliberationInput& input);

enum class Language : std::uint8_t { French, English };

struct MinutesInput {
  std::string campaignName, campaignId, dossierId, dossierTitle;
  std::string heldAtLocal;  // e.g. "2020-07-09 14:00 (Europe/Paris)", formatted by the caller
  std::uint32_t rulesVersion = 0;
  DeliberationRules rules;
  DeliberationInput input;      // present, recused, votes
  DeliberationOutcome outcome;  // as tally returned it: the minutes do not recount
  std::map<std::string, std::string> memberNames;  // id -> name, for display
};

// The minutes (procès-verbal) as Markdown: title, campaign, dossier, date,
// rules in force, members present, recused and absent (each list sorted by
// id), the votes (roll call: each member and their vote; secret ballot: only
// the counts, never who voted what), the quorum line, the result and the
// tie-break used with its detail. Free text (names, titles) is escaped so it
// cannot change the document's structure. Deterministic.
std::string renderMinutes(const MinutesInput& minutes, Language language);

}  // namespace parcours::workflows::judging
