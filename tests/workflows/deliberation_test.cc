// The tally of a deliberative vote and its minutes, against tables computed
// by hand.
//
// Every expected value below (quorum reached, majority base, yes needed,
// tie, tie-break used, carried) was worked out on paper from the situation
// and the rules, and is written as a literal: the tests never recompute an
// expectation with the formula under test. The lot's expected parity comes
// from OpenSSL's SHA256() called directly (and, in the table, from
// `printf 'seed-2020\nd-001' | sha256sum`). The minutes are checked line by
// line in both languages, and a secret ballot's minutes are searched for any
// line that ties a member to a vote.
#include "parcours/workflows/judging/deliberation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace parcours::workflows::judging {
namespace deliberation_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr VoteChoice Y = VoteChoice::Yes;
constexpr VoteChoice N = VoteChoice::No;
constexpr VoteChoice A = VoteChoice::Abstain;

// ------------------------------------------------------------ situations

// Seven eligible members m1..m7 (quorum 50%: 4 needed), m8 recused. Each
// situation says who is present and how they voted; m1 chairs.
enum class Situation {
  SplitChairYes,      // present m1-m5: 2 yes (m1 m2), 2 no, 1 abstain
  SplitChairNo,       // present m1-m5: 2 no (m1 m2), 2 yes, 1 abstain
  Clear,              // present m1-m5: 3 yes, 1 no, 1 abstain
  FourTwo,            // present m1-m6: 4 yes, 2 no
  NoVotes,            // present m1-m5: nobody voted
  UnderQuorum,        // present m1-m3: 2 yes, 1 no
  PresentOnly,        // present m1-m6: 2 yes, 1 no (3 did not vote)
  AbstentionsDecide,  // present m1-m7: 3 yes, 1 no, 3 abstain
  TiePlain,           // present m1-m4: 2 yes (m1 m2), 2 no
  TieAbstentions,     // present m1-m4: 1 yes (m1), 1 no, 2 abstain
  PresentDefaulted,   // no list of present: the 4 voters, 3 yes, 1 no
};

const std::vector<std::string> sevenMembers{"m1", "m2", "m3", "m4", "m5", "m6", "m7"};

std::vector<std::string> firstMembers(std::size_t n) {
  return {sevenMembers.begin(), sevenMembers.begin() + static_cast<std::ptrdiff_t>(n)};
}

// Votes for m1, m2, ... in order.
std::vector<MemberVote> votesInOrder(const std::vector<VoteChoice>& choices) {
  std::vector<MemberVote> votes;
  for (std::size_t i = 0; i < choices.size(); ++i) votes.push_back({sevenMembers[i], choices[i]});
  return votes;
}

// m1..m<present> present (0: no list given), voting `choices` in order.
DeliberationInput meeting(std::size_t present, const std::vector<VoteChoice>& choices) {
  DeliberationInput in;
  in.eligible = sevenMembers;
  in.recused = {"m8"};
  in.present = firstMembers(present);
  in.votes = votesInOrder(choices);
  in.dossierId = "d-001";
  in.lotSeed = "seed-2020";
  return in;
}

DeliberationInput inputFor(Situation s) {
  switch (s) {
    case Situation::SplitChairYes:
      return meeting(5, {Y, Y, N, N, A});
    case Situation::SplitChairNo:
      return meeting(5, {N, N, Y, Y, A});
    case Situation::Clear:
      return meeting(5, {Y, Y, Y, N, A});
    case Situation::FourTwo:
      return meeting(6, {Y, Y, Y, Y, N, N});
    case Situation::NoVotes:
      return meeting(5, {});
    case Situation::UnderQuorum:
      return meeting(3, {Y, Y, N});
    case Situation::PresentOnly:
      return meeting(6, {Y, Y, N});
    case Situation::AbstentionsDecide:
      return meeting(7, {Y, Y, Y, N, A, A, A});
    case Situation::TiePlain:
      return meeting(4, {Y, Y, N, N});
    case Situation::TieAbstentions:
      return meeting(4, {Y, N, A, A});
    case Situation::PresentDefaulted:
      return meeting(0, {Y, Y, Y, N});
  }
  return meeting(0, {});
}

// ------------------------------------------------------------ the table

constexpr auto qVotes = QuorumCounts::VotesCast;
constexpr auto qPresent = QuorumCounts::Present;
constexpr auto simple = MajorityRule::Simple;
constexpr auto absolute = MajorityRule::Absolute;
constexpr auto qualified = MajorityRule::Qualified;  // 2/3 in every row
constexpr auto ofCast = MajorityBase::VotesCast;
constexpr auto ofPresent = MajorityBase::Present;
constexpr auto ofEligible = MajorityBase::Eligible;
constexpr auto counted = Abstentions::CountAsCast;
constexpr auto notCounted = Abstentions::NotCounted;
constexpr auto none = TieBreak::None;
constexpr auto chair = TieBreak::ChairCastingVote;
constexpr auto earlier = TieBreak::EarlierSubmission;
constexpr auto lot = TieBreak::Lot;
constexpr std::optional<TieBreak> noTie = std::nullopt;
constexpr std::optional<bool> noComparison = std::nullopt;

// SHA-256("seed-2020\nd-001") starts 6c (even: rejected);
// SHA-256("seed-2020\nd-002") starts 15 (odd: carried).
constexpr const char* lotEven = "d-001";
constexpr const char* lotOdd = "d-002";

struct Row {
  const char* name;
  Situation situation;
  QuorumCounts quorumCounts;
  MajorityRule majority;
  MajorityBase base;
  Abstentions abstentions;
  TieBreak tieBreak;
  std::optional<bool> earlierWins;
  const char* dossierId;
  // Expected, by hand:
  bool quorumReached;
  std::uint32_t majorityBase;
  std::uint32_t yesNeeded;
  bool tie;
  std::optional<TieBreak> tieBreakUsed;
  bool carried;
};

// Columns: quorum counts, majority, base, abstentions, tie-break, earlier
// submission wins, dossier | quorum reached, base, yes needed, tie, tie-break
// used, carried.
const Row rows[] = {
    // 2 yes, 2 no, 1 abstain; 5 present of 7; the chair m1 voted yes.
    // Votes cast 5 (4 without abstentions); absolute needs base/2 + 1;
    // qualified 2/3 needs ceil(2 × base / 3): 4 of 5, 3 of 4, 5 of 7.
    {"split_simple_none", Situation::SplitChairYes, qVotes, simple, ofCast, counted, none,
     noComparison, lotEven, true, 5, 3, true, none, false},
    {"split_simple_none_not_counted", Situation::SplitChairYes, qVotes, simple, ofCast, notCounted,
     none, noComparison, lotEven, true, 4, 3, true, none, false},
    {"split_simple_chair_yes", Situation::SplitChairYes, qVotes, simple, ofCast, counted, chair,
     noComparison, lotEven, true, 5, 3, true, chair, true},
    {"split_simple_present_quorum_chair_yes", Situation::SplitChairYes, qPresent, simple, ofCast,
     notCounted, chair, noComparison, lotEven, true, 4, 3, true, chair, true},
    {"split_simple_earlier_wins", Situation::SplitChairYes, qVotes, simple, ofCast, counted,
     earlier, true, lotEven, true, 5, 3, true, earlier, true},
    {"split_simple_earlier_loses", Situation::SplitChairYes, qVotes, simple, ofCast, counted,
     earlier, false, lotEven, true, 5, 3, true, earlier, false},
    {"split_simple_earlier_no_comparison", Situation::SplitChairYes, qVotes, simple, ofCast,
     counted, earlier, noComparison, lotEven, true, 5, 3, true, earlier, false},
    {"split_absolute_cast_none", Situation::SplitChairYes, qVotes, absolute, ofCast, counted, none,
     noComparison, lotEven, true, 5, 3, true, none, false},
    {"split_absolute_cast_chair_yes", Situation::SplitChairYes, qVotes, absolute, ofCast, counted,
     chair, noComparison, lotEven, true, 5, 3, true, chair, true},
    {"split_absolute_expressed_chair_yes", Situation::SplitChairYes, qVotes, absolute, ofCast,
     notCounted, chair, noComparison, lotEven, true, 4, 3, true, chair, true},
    {"split_absolute_present_chair_yes", Situation::SplitChairYes, qPresent, absolute, ofPresent,
     counted, chair, noComparison, lotEven, true, 5, 3, true, chair, true},
    {"split_absolute_eligible_chair_yes", Situation::SplitChairYes, qVotes, absolute, ofEligible,
     counted, chair, noComparison, lotEven, true, 7, 4, true, chair, true},
    {"split_absolute_eligible_earlier_loses", Situation::SplitChairYes, qVotes, absolute,
     ofEligible, notCounted, earlier, false, lotEven, true, 7, 4, true, earlier, false},
    {"split_qualified_cast", Situation::SplitChairYes, qVotes, qualified, ofCast, counted, none,
     noComparison, lotEven, true, 5, 4, true, none, false},
    {"split_qualified_expressed", Situation::SplitChairYes, qVotes, qualified, ofCast, notCounted,
     none, noComparison, lotEven, true, 4, 3, true, none, false},
    {"split_qualified_eligible", Situation::SplitChairYes, qPresent, qualified, ofEligible, counted,
     none, noComparison, lotEven, true, 7, 5, true, none, false},
    {"split_simple_lot_odd", Situation::SplitChairYes, qVotes, simple, ofCast, counted, lot,
     noComparison, lotOdd, true, 5, 3, true, lot, true},
    {"split_absolute_present_lot_even", Situation::SplitChairYes, qVotes, absolute, ofPresent,
     notCounted, lot, noComparison, lotEven, true, 5, 3, true, lot, false},

    // The same split, the chair m1 voting no.
    {"split_simple_chair_no", Situation::SplitChairNo, qVotes, simple, ofCast, counted, chair,
     noComparison, lotEven, true, 5, 3, true, chair, false},
    {"split_absolute_expressed_chair_no", Situation::SplitChairNo, qVotes, absolute, ofCast,
     notCounted, chair, noComparison, lotEven, true, 4, 3, true, chair, false},

    // 3 yes, 1 no, 1 abstain; 5 present. No tie: tie-breaks never run.
    {"clear_simple", Situation::Clear, qVotes, simple, ofCast, counted, none, noComparison, lotEven,
     true, 5, 2, false, noTie, true},
    {"clear_simple_chair_unused", Situation::Clear, qPresent, simple, ofCast, notCounted, chair,
     noComparison, lotEven, true, 4, 2, false, noTie, true},
    {"clear_absolute_cast", Situation::Clear, qVotes, absolute, ofCast, counted, none, noComparison,
     lotEven, true, 5, 3, false, noTie, true},
    {"clear_absolute_expressed_lot_unused", Situation::Clear, qVotes, absolute, ofCast, notCounted,
     lot, noComparison, lotEven, true, 4, 3, false, noTie, true},
    {"clear_absolute_present", Situation::Clear, qPresent, absolute, ofPresent, counted, none,
     noComparison, lotEven, true, 5, 3, false, noTie, true},
    {"clear_absolute_eligible", Situation::Clear, qVotes, absolute, ofEligible, counted, chair,
     noComparison, lotEven, true, 7, 4, false, noTie, false},
    {"clear_qualified_cast", Situation::Clear, qVotes, qualified, ofCast, counted, none,
     noComparison, lotEven, true, 5, 4, false, noTie, false},
    {"clear_qualified_expressed", Situation::Clear, qVotes, qualified, ofCast, notCounted, none,
     noComparison, lotEven, true, 4, 3, false, noTie, true},
    {"clear_qualified_present", Situation::Clear, qPresent, qualified, ofPresent, notCounted, none,
     noComparison, lotEven, true, 5, 4, false, noTie, false},
    {"clear_qualified_eligible", Situation::Clear, qVotes, qualified, ofEligible, counted, none,
     noComparison, lotEven, true, 7, 5, false, noTie, false},

    // 4 yes, 2 no; 6 present. Qualified of 6: 4 × 3 = 12 >= 2 × 6, the edge.
    {"four_two_simple", Situation::FourTwo, qVotes, simple, ofCast, counted, earlier, noComparison,
     lotEven, true, 6, 3, false, noTie, true},
    {"four_two_absolute_eligible", Situation::FourTwo, qVotes, absolute, ofEligible, counted, none,
     noComparison, lotEven, true, 7, 4, false, noTie, true},
    {"four_two_qualified_cast_edge", Situation::FourTwo, qVotes, qualified, ofCast, counted, none,
     noComparison, lotEven, true, 6, 4, false, noTie, true},
    {"four_two_qualified_present", Situation::FourTwo, qPresent, qualified, ofPresent, notCounted,
     none, noComparison, lotEven, true, 6, 4, false, noTie, true},
    {"four_two_qualified_eligible", Situation::FourTwo, qVotes, qualified, ofEligible, notCounted,
     none, noComparison, lotEven, true, 7, 5, false, noTie, false},

    // Nobody voted; 5 present. 0 = 0 is no tie (yes + no = 0).
    {"no_votes_votes_cast_quorum", Situation::NoVotes, qVotes, simple, ofCast, counted, chair,
     noComparison, lotEven, false, 0, 1, false, noTie, false},
    {"no_votes_present_quorum_simple", Situation::NoVotes, qPresent, simple, ofCast, counted, chair,
     noComparison, lotEven, true, 0, 1, false, noTie, false},
    {"no_votes_present_quorum_absolute", Situation::NoVotes, qPresent, absolute, ofPresent, counted,
     none, noComparison, lotEven, true, 5, 3, false, noTie, false},
    {"no_votes_present_quorum_qualified", Situation::NoVotes, qPresent, qualified, ofCast,
     notCounted, none, noComparison, lotEven, true, 0, 1, false, noTie, false},

    // 2 yes, 1 no; 3 present: under the quorum of 4 either way.
    {"under_quorum_simple", Situation::UnderQuorum, qVotes, simple, ofCast, counted, none,
     noComparison, lotEven, false, 3, 2, false, noTie, false},
    {"under_quorum_present", Situation::UnderQuorum, qPresent, absolute, ofCast, notCounted, chair,
     noComparison, lotEven, false, 3, 2, false, noTie, false},

    // 2 yes, 1 no; 6 present: the quorum of present members only.
    {"present_only_votes_cast_quorum", Situation::PresentOnly, qVotes, simple, ofCast, counted,
     none, noComparison, lotEven, false, 3, 2, false, noTie, false},
    {"present_only_present_quorum", Situation::PresentOnly, qPresent, simple, ofCast, counted, none,
     noComparison, lotEven, true, 3, 2, false, noTie, true},
    {"present_only_absolute_cast", Situation::PresentOnly, qPresent, absolute, ofCast, counted,
     none, noComparison, lotEven, true, 3, 2, false, noTie, true},
    {"present_only_absolute_present", Situation::PresentOnly, qPresent, absolute, ofPresent,
     counted, none, noComparison, lotEven, true, 6, 4, false, noTie, false},
    {"present_only_qualified_cast_edge", Situation::PresentOnly, qPresent, qualified, ofCast,
     notCounted, none, noComparison, lotEven, true, 3, 2, false, noTie, true},
    {"present_only_qualified_eligible", Situation::PresentOnly, qPresent, qualified, ofEligible,
     counted, none, noComparison, lotEven, true, 7, 5, false, noTie, false},

    // 3 yes, 1 no, 3 abstain; all 7 present: the abstention rule decides.
    {"abstentions_simple", Situation::AbstentionsDecide, qVotes, simple, ofCast, counted, none,
     noComparison, lotEven, true, 7, 2, false, noTie, true},
    {"abstentions_absolute_counted", Situation::AbstentionsDecide, qVotes, absolute, ofCast,
     counted, none, noComparison, lotEven, true, 7, 4, false, noTie, false},
    {"abstentions_absolute_not_counted", Situation::AbstentionsDecide, qVotes, absolute, ofCast,
     notCounted, none, noComparison, lotEven, true, 4, 3, false, noTie, true},
    {"abstentions_absolute_present_ignores_rule", Situation::AbstentionsDecide, qVotes, absolute,
     ofPresent, notCounted, none, noComparison, lotEven, true, 7, 4, false, noTie, false},
    {"abstentions_absolute_eligible", Situation::AbstentionsDecide, qPresent, absolute, ofEligible,
     notCounted, none, noComparison, lotEven, true, 7, 4, false, noTie, false},
    {"abstentions_qualified_counted", Situation::AbstentionsDecide, qVotes, qualified, ofCast,
     counted, none, noComparison, lotEven, true, 7, 5, false, noTie, false},
    {"abstentions_qualified_not_counted", Situation::AbstentionsDecide, qVotes, qualified, ofCast,
     notCounted, none, noComparison, lotEven, true, 4, 3, false, noTie, true},

    // 2 yes (m1 m2), 2 no; 4 present: the quorum exactly.
    {"tie_simple_chair_yes", Situation::TiePlain, qVotes, simple, ofCast, counted, chair,
     noComparison, lotEven, true, 4, 3, true, chair, true},
    {"tie_absolute_eligible_none", Situation::TiePlain, qPresent, absolute, ofEligible, counted,
     none, noComparison, lotEven, true, 7, 4, true, none, false},
    {"tie_absolute_lot_even", Situation::TiePlain, qVotes, absolute, ofCast, notCounted, lot,
     noComparison, lotEven, true, 4, 3, true, lot, false},
    {"tie_simple_lot_odd", Situation::TiePlain, qVotes, simple, ofCast, notCounted, lot,
     noComparison, lotOdd, true, 4, 3, true, lot, true},
    {"tie_simple_earlier_wins", Situation::TiePlain, qVotes, simple, ofCast, counted, earlier, true,
     lotEven, true, 4, 3, true, earlier, true},

    // 1 yes (m1), 1 no, 2 abstain: the abstentions make the quorum of
    // votes cast (4 of 4) even when they are not counted in the base.
    {"tie_abstentions_make_quorum", Situation::TieAbstentions, qVotes, simple, ofCast, notCounted,
     none, noComparison, lotEven, true, 2, 2, true, none, false},
    {"tie_abstentions_chair_yes", Situation::TieAbstentions, qVotes, simple, ofCast, notCounted,
     chair, noComparison, lotEven, true, 2, 2, true, chair, true},
    {"tie_abstentions_absolute_earlier_wins", Situation::TieAbstentions, qVotes, absolute, ofCast,
     counted, earlier, true, lotEven, true, 4, 3, true, earlier, true},

    // No list of present members: the 4 voters are the members present.
    {"present_defaulted_absolute_present", Situation::PresentDefaulted, qPresent, absolute,
     ofPresent, counted, none, noComparison, lotEven, true, 4, 3, false, noTie, true},
    {"present_defaulted_qualified_present", Situation::PresentDefaulted, qPresent, qualified,
     ofPresent, counted, none, noComparison, lotEven, true, 4, 3, false, noTie, true},
    {"present_defaulted_votes_cast_quorum", Situation::PresentDefaulted, qVotes, simple, ofCast,
     counted, none, noComparison, lotEven, true, 4, 2, false, noTie, true},
};

// Failures name the row, not its bytes.
void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

DeliberationRules rulesOf(const Row& row) {
  DeliberationRules rules;
  rules.quorumCounts = row.quorumCounts;
  rules.majority = row.majority;
  rules.majorityBase = row.base;
  rules.abstentions = row.abstentions;
  rules.tieBreak = row.tieBreak;
  rules.chairId = "m1";
  return rules;
}

DeliberationInput inputOf(const Row& row) {
  DeliberationInput in = inputFor(row.situation);
  in.dossierId = row.dossierId;
  in.earlierSubmissionWins = row.earlierWins;
  return in;
}

class DeliberationTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(DeliberationTableTest, DecidesAsComputedByHand) {
  const Row& row = GetParam();
  auto outcome = tally(rulesOf(row), inputOf(row));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->eligible, 7U);
  EXPECT_EQ(outcome->quorumNeeded, 4U);
  EXPECT_EQ(outcome->quorumReached, row.quorumReached);
  EXPECT_EQ(outcome->majorityBase, row.majorityBase);
  EXPECT_EQ(outcome->yesNeeded, row.yesNeeded);
  EXPECT_EQ(outcome->tie, row.tie);
  EXPECT_EQ(outcome->tieBreakUsed, row.tieBreakUsed);
  EXPECT_EQ(outcome->carried, row.carried) << outcome->explanation;
  EXPECT_EQ(outcome->tieBreakDetail.empty(), !row.tieBreakUsed.has_value());
}

// The secret ballot changes the minutes only; a chair's casting vote has
// no secret twin: the rules refuse it, the chair's vote being unknown.
TEST_P(DeliberationTableTest, SecretBallotDecidesTheSame) {
  const Row& row = GetParam();
  DeliberationRules secret = rulesOf(row);
  secret.ballot = Ballot::Secret;
  if (row.tieBreak == chair) {
    auto refused = tally(secret, inputOf(row));
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error().message, HasSubstr("tie_break: a chair's casting vote needs"));
    return;
  }
  auto publicOutcome = tally(rulesOf(row), inputOf(row));
  auto secretOutcome = tally(secret, inputOf(row));
  ASSERT_TRUE(publicOutcome.ok() && secretOutcome.ok());
  EXPECT_EQ(secretOutcome->carried, publicOutcome->carried);
  EXPECT_EQ(secretOutcome->tie, publicOutcome->tie);
  EXPECT_EQ(secretOutcome->explanation, publicOutcome->explanation);
}

INSTANTIATE_TEST_SUITE_P(DeliberationTable, DeliberationTableTest, ::testing::ValuesIn(rows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

TEST(DeliberationTableShape, CoversEveryRuleAndTieBreak) {
  // The table is meant to stay exhaustive in kind: each tie-break deciding
  // both ways, each majority and base, both quorum counts and both
  // abstention rules, with and without the quorum.
  int carriedByTieBreak[4] = {0, 0, 0, 0}, rejectedByTieBreak[4] = {0, 0, 0, 0};
  int majorities[3] = {0, 0, 0}, bases[3] = {0, 0, 0}, quorumMissed = 0;
  for (const Row& row : rows) {
    if (row.tieBreakUsed) {
      const auto i = static_cast<std::size_t>(*row.tieBreakUsed);
      (row.carried ? carriedByTieBreak : rejectedByTieBreak)[i]++;
    }
    majorities[static_cast<std::size_t>(row.majority)]++;
    if (row.majority != simple) bases[static_cast<std::size_t>(row.base)]++;
    if (!row.quorumReached) quorumMissed++;
  }
  EXPECT_GE(std::size(rows), 60U);
  for (int i = 1; i < 4; ++i) {
    EXPECT_GT(carriedByTieBreak[i], 0) << i;
    EXPECT_GT(rejectedByTieBreak[i], 0) << i;
  }
  EXPECT_GT(rejectedByTieBreak[0], 0);
  for (int count : majorities) EXPECT_GT(count, 5);
  for (int count : bases) EXPECT_GT(count, 3);
  EXPECT_GE(quorumMissed, 4);
}

// ------------------------------------------------------------ sweep

// Over every valid combination of rules and every situation: the
// relations between rules that hold whatever the counts.
std::vector<DeliberationRules> everyValidRules() {
  std::vector<DeliberationRules> all;
  for (auto q : {qVotes, qPresent}) {
    for (auto m : {simple, absolute, qualified}) {
      for (auto b : {ofCast, ofPresent, ofEligible}) {
        for (auto a : {counted, notCounted}) {
          for (auto t : {none, chair, earlier, lot}) {
            if (m == qualified && t != none) continue;
            DeliberationRules r;
            r.quorumCounts = q, r.majority = m, r.majorityBase = b, r.abstentions = a;
            r.tieBreak = t, r.chairId = "m1";
            all.push_back(r);
          }
        }
      }
    }
  }
  return all;
}

const Situation everySituation[] = {
    Situation::SplitChairYes,  Situation::SplitChairNo,      Situation::Clear,
    Situation::FourTwo,        Situation::NoVotes,           Situation::UnderQuorum,
    Situation::PresentOnly,    Situation::AbstentionsDecide, Situation::TiePlain,
    Situation::TieAbstentions, Situation::PresentDefaulted,
};

TEST(DeliberationSweep, InvariantsHoldForEveryRuleAndSituation) {
  const auto allRules = everyValidRules();
  EXPECT_EQ(allRules.size(), 2U * 3 * 3 * 2 * 4 - 2 * 3 * 2 * 3);  // qualified: none only
  for (Situation s : everySituation) {
    for (const DeliberationRules& rules : allRules) {
      DeliberationInput in = inputFor(s);
      in.earlierSubmissionWins = true;
      auto out = tally(rules, in);
      ASSERT_TRUE(out.ok()) << out.error().message;
      SCOPED_TRACE(out->explanation);
      EXPECT_EQ(out->tieBreakUsed.has_value(), out->tie);
      if (!out->quorumReached) {
        EXPECT_FALSE(out->carried || out->tie);
      }
      if (out->tie) {
        EXPECT_EQ(out->yes, out->no);
      }
      if (out->carried && !out->tie) {
        EXPECT_GE(out->yes, out->yesNeeded);
      }
      if (!out->carried && !out->tie && out->quorumReached) {
        EXPECT_LT(out->yes, out->yesNeeded);
      }
      EXPECT_EQ(out->yes + out->no + out->abstain, in.votes.size());
    }
  }
}

TEST(DeliberationSweep, QualifiedImpliesAbsoluteImpliesSimple) {
  for (Situation s : everySituation) {
    for (const DeliberationRules& rules : everyValidRules()) {
      if (rules.majority != qualified) continue;
      DeliberationRules absoluteRules = rules, simpleRules = rules;
      absoluteRules.majority = absolute;
      simpleRules.majority = simple;
      const DeliberationInput in = inputFor(s);
      const bool q = tally(rules, in)->carried, a = tally(absoluteRules, in)->carried,
                 m = tally(simpleRules, in)->carried;
      EXPECT_TRUE(!q || a) << static_cast<int>(s);
      EXPECT_TRUE(!a || m) << static_cast<int>(s);
    }
  }
}

// "Absolute majority of the votes for or against" is the simple majority:
// yes > (yes + no) / 2 exactly when yes > no.
TEST(DeliberationSweep, AbsoluteOfExpressedVotesIsSimple) {
  for (Situation s : everySituation) {
    DeliberationRules expressed, plain;
    expressed.majority = absolute, expressed.abstentions = notCounted;
    plain.majority = simple;
    EXPECT_EQ(tally(expressed, inputFor(s))->carried, tally(plain, inputFor(s))->carried);
  }
}

// ------------------------------------------------------------ quorum

TEST(DeliberationQuorum, NeededIsRoundedUp) {
  // ceil(p × 7 / 100) by hand: 0 → 0, 1 → 0.07 → 1, 42 → 2.94 → 3,
  // 43 → 3.01 → 4, 50 → 3.5 → 4, 100 → 7.
  const std::pair<std::uint32_t, std::uint32_t> cases[] = {{0, 0},  {1, 1},  {42, 3},
                                                           {43, 4}, {50, 4}, {100, 7}};
  for (const auto& [percent, needed] : cases) {
    DeliberationRules rules;
    rules.quorumPercent = percent;
    auto out = tally(rules, inputFor(Situation::UnderQuorum));  // 3 votes cast
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->quorumNeeded, needed) << percent;
    EXPECT_EQ(out->quorumReached, needed <= 3) << percent;
  }
}

TEST(DeliberationQuorum, ZeroPercentWithNoVotesIsReachedButNothingCarries) {
  DeliberationRules rules;
  rules.quorumPercent = 0;
  rules.tieBreak = chair, rules.chairId = "m1";
  auto out = tally(rules, inputFor(Situation::NoVotes));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->quorumReached);
  EXPECT_FALSE(out->carried);
  EXPECT_FALSE(out->tie);
}

TEST(DeliberationQuorum, NoEligibleMemberNeverReachesIt) {
  DeliberationRules rules;
  rules.quorumPercent = 0;
  DeliberationInput in;
  in.recused = {"m1", "m2"};
  auto out = tally(rules, in);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->eligible, 0U);
  EXPECT_EQ(out->quorumNeeded, 0U);
  EXPECT_FALSE(out->quorumReached);
  EXPECT_FALSE(out->carried);
}

TEST(DeliberationQuorum, RecusedMembersAreNeverCounted) {
  // Four recused members would make 11 in all; the quorum is still 4 of 7.
  DeliberationInput in = inputFor(Situation::TiePlain);
  in.recused = {"m8", "m9", "m10", "m11"};
  auto out = tally(DeliberationRules{}, in);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->eligible, 7U);
  EXPECT_EQ(out->quorumNeeded, 4U);
  EXPECT_EQ(out->present, 4U);
}

// ------------------------------------------------------------ explanation

TEST(DeliberationExplanation, SaysTheNumbers) {
  DeliberationRules rules;
  rules.majority = absolute;
  auto out = tally(rules, inputFor(Situation::Clear));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->explanation,
            "Carried: 3 yes, 1 no, 1 abstention; quorum reached with 5 votes cast of the 4 "
            "needed (50% of 7 eligible members); an absolute majority of the 5 votes cast "
            "(abstentions included) needs 3 yes.");
}

TEST(DeliberationExplanation, NamesTheQuorumWhenMissed) {
  DeliberationRules rules;
  rules.quorumCounts = qPresent;
  auto out = tally(rules, inputFor(Situation::UnderQuorum));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->explanation,
            "Not carried: 2 yes, 1 no, 0 abstentions; quorum not reached with 3 members present "
            "of the 4 needed (50% of 7 eligible members).");
}

TEST(DeliberationExplanation, NamesTheTieBreak) {
  DeliberationRules rules;
  rules.tieBreak = chair, rules.chairId = "m1";
  auto out = tally(rules, inputFor(Situation::TiePlain));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->explanation,
            "Carried: 2 yes, 2 no, 0 abstentions; quorum reached with 4 votes cast of the 4 "
            "needed (50% of 7 eligible members); a simple majority (more yes than no) needs 3 "
            "yes; tied, broken by rule \"chair_casting_vote\": the chair (m1) voted yes: the "
            "casting vote carries the motion.");
}

// ------------------------------------------------------------ chair

struct ChairCase {
  const char* name;
  std::vector<MemberVote> votes;  // always 2 yes and 2 no; the chair m1's vote among them or not
  std::vector<std::string> recused;
  bool carried;
  const char* detail;
};

TEST(DeliberationChair, CastingVoteOnlyWhenTheChairVotedYesOrNo) {
  // No list of present members: the voters are present. 4 or 5 votes
  // reach the quorum of 4 of 7 (3 of 6 when the chair is recused).
  const ChairCase cases[] = {
      {"yes",
       {{"m1", Y}, {"m2", Y}, {"m3", N}, {"m4", N}},
       {},
       true,
       "the chair (m1) voted yes: the casting vote carries the motion"},
      {"no",
       {{"m1", N}, {"m2", Y}, {"m3", Y}, {"m4", N}},
       {},
       false,
       "the chair (m1) voted no: the casting vote rejects the motion"},
      {"abstain",
       {{"m1", A}, {"m2", Y}, {"m3", N}, {"m4", Y}, {"m5", N}},
       {},
       false,
       "the chair (m1) abstained: no casting vote, the tie stands and the motion is not carried"},
      {"absent",
       {{"m2", Y}, {"m3", N}, {"m4", Y}, {"m5", N}},
       {},
       false,
       "the chair (m1) did not vote: no casting vote, the tie stands and the motion is not "
       "carried"},
      {"recused",
       {{"m2", Y}, {"m3", N}, {"m4", Y}, {"m5", N}},
       {"m1"},
       false,
       "the chair (m1) is recused from this dossier: no casting vote, the tie stands and the "
       "motion is not carried"},
  };
  for (const ChairCase& c : cases) {
    SCOPED_TRACE(c.name);
    DeliberationRules rules;
    rules.tieBreak = chair, rules.chairId = "m1";
    DeliberationInput in;
    in.eligible = c.recused.empty() ? sevenMembers
                                    : std::vector<std::string>{"m2", "m3", "m4", "m5", "m6", "m7"};
    in.recused = c.recused;
    in.votes = c.votes;
    auto out = tally(rules, in);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_TRUE(out->quorumReached);
    EXPECT_TRUE(out->tie);
    EXPECT_EQ(out->tieBreakUsed, chair);
    EXPECT_EQ(out->carried, c.carried);
    EXPECT_EQ(out->tieBreakDetail, c.detail);
  }
}

// ------------------------------------------------------------ lot

// SHA-256(seed ‖ "\n" ‖ dossier id), computed with OpenSSL directly.
std::string independentDigest(const std::string& seed, const std::string& dossierId) {
  const std::string message = seed + "\n" + dossierId;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest);
  std::ostringstream hex;
  for (unsigned char byte : digest) {
    static const char* digits = "0123456789abcdef";
    hex << digits[byte >> 4] << digits[byte & 0x0f];
  }
  return hex.str();
}

TEST(DeliberationLot, CarriedIffTheFirstByteIsOdd) {
  DeliberationRules rules;
  rules.tieBreak = lot;
  int carried = 0, rejected = 0;
  for (int i = 0; i < 40; ++i) {
    DeliberationInput in = inputFor(Situation::TiePlain);
    in.dossierId = "d-" + std::to_string(100 + i);
    in.lotSeed = std::string("s\0eed-\xff", 7);  // raw bytes are fine
    const std::string expected = independentDigest(in.lotSeed, in.dossierId);
    const bool odd = std::stoi(expected.substr(0, 2), nullptr, 16) % 2 == 1;
    auto out = tally(rules, in);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->lotDigestHex, expected);
    EXPECT_EQ(out->carried, odd) << in.dossierId;
    EXPECT_THAT(out->tieBreakDetail, HasSubstr("first byte 0x" + expected.substr(0, 2) + " is " +
                                               (odd ? "odd → carried" : "even → rejected")));
    (odd ? carried : rejected)++;
  }
  EXPECT_GT(carried, 0);  // 40 draws both ways: the parity is really read
  EXPECT_GT(rejected, 0);
}

TEST(DeliberationLot, KnownDigestsAndDeterminism) {
  // printf 'seed-2020\nd-001' | sha256sum → 6c19ec99…, even: rejected.
  EXPECT_EQ(independentDigest("seed-2020", "d-001"),
            "6c19ec99656df27d31f296f09e91d10a39f9eced34fb7faa7728baa0dc30e694");
  DeliberationRules rules;
  rules.tieBreak = lot;
  const DeliberationInput in = inputFor(Situation::TiePlain);
  auto first = tally(rules, in), second = tally(rules, in);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->lotDigestHex,
            "6c19ec99656df27d31f296f09e91d10a39f9eced34fb7faa7728baa0dc30e694");
  EXPECT_FALSE(first->carried);
  EXPECT_EQ(first->tieBreakDetail,
            "lot: SHA-256(seed ‖ \"\\n\" ‖ \"d-001\") first byte 0x6c is even → rejected");
  EXPECT_EQ(second->explanation, first->explanation);
  EXPECT_EQ(second->lotDigestHex, first->lotDigestHex);
}

TEST(DeliberationLot, NoDrawWithoutATie) {
  DeliberationRules rules;
  rules.tieBreak = lot;
  auto out = tally(rules, inputFor(Situation::Clear));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->lotDigestHex.empty());
  EXPECT_FALSE(out->tieBreakUsed.has_value());
}

// ------------------------------------------------------------ bad input

std::string refusal(const DeliberationRules& rules, const DeliberationInput& in) {
  auto out = tally(rules, in);
  if (out.ok()) return "(accepted)";
  EXPECT_EQ(out.error().code, ErrorCode::InvalidInput);
  return out.error().message;
}

TEST(DeliberationBadInput, VotersAndMembers) {
  const DeliberationRules rules;
  auto with = [](auto edit) {
    DeliberationInput in = inputFor(Situation::Clear);
    edit(in);
    return in;
  };
  EXPECT_THAT(refusal(rules, with([](auto& in) {
                        in.votes.push_back({"m9", Y});
                      })),
              HasSubstr("votes[5].member_id: \"m9\" is not an eligible member"));
  EXPECT_THAT(refusal(rules, with([](auto& in) {
                        in.votes.push_back({"m2", N});
                      })),
              HasSubstr("votes[5].member_id: \"m2\" voted twice"));
  EXPECT_THAT(refusal(rules, with([](auto& in) {
                        in.votes.push_back({"m8", Y});
                      })),
              HasSubstr("votes[5].member_id: recused member \"m8\" voted"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.present.push_back("m9"); })),
              HasSubstr("present[5]: \"m9\" is not an eligible member"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.present.push_back("m8"); })),
              HasSubstr("present[5]: \"m8\" is recused from this dossier"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.present.push_back("m1"); })),
              HasSubstr("present[5]: \"m1\" is listed twice"));
  EXPECT_THAT(refusal(rules, with([](auto& in) {
                        in.votes.push_back({"m6", Y});
                      })),
              HasSubstr("votes[5].member_id: \"m6\" voted but is neither present nor represented by a proxy"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.eligible.push_back("m8"); })),
              HasSubstr("recused[0]: \"m8\" is also listed as eligible"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.eligible.push_back("m3"); })),
              HasSubstr("eligible[7]: \"m3\" is listed twice"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.eligible.push_back("bad id"); })),
              HasSubstr("eligible[7]: \"bad id\" may hold only"));
  EXPECT_THAT(refusal(rules, with([](auto& in) { in.votes[0].memberId.clear(); })),
              HasSubstr("votes[0].member_id: must not be empty"));
  EXPECT_THAT(
      refusal(rules, with([](auto& in) { in.votes[0].choice = static_cast<VoteChoice>(7); })),
      HasSubstr("votes[0].choice: unknown value"));
}

TEST(DeliberationBadInput, LotMaterial) {
  DeliberationRules rules;
  rules.tieBreak = lot;
  DeliberationInput in = inputFor(Situation::Clear);  // no tie: required all the same
  in.lotSeed.clear();
  EXPECT_THAT(refusal(rules, in), HasSubstr("lot_seed: a drawing of lots needs the seed"));
  in = inputFor(Situation::Clear);
  in.dossierId.clear();
  EXPECT_THAT(refusal(rules, in), HasSubstr("dossier_id: must not be empty"));
  rules.tieBreak = none;  // without a lot neither is needed
  EXPECT_EQ(refusal(rules, in), "(accepted)");
}

TEST(DeliberationBadInput, InconsistentRules) {
  struct Case {
    const char* expected;
    void (*edit)(DeliberationRules&);
  };
  const Case cases[] = {
      {"quorum_percent: must be at most 100, got 101",
       [](DeliberationRules& r) { r.quorumPercent = 101; }},
      {"qualified_denominator: must not be 0",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.qualifiedDenominator = 0;
       }},
      {"qualified_numerator: must not exceed the denominator, got 4/3",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.qualifiedNumerator = 4;
       }},
      {"qualified_numerator: a qualified majority must be more than half, got 1/2",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.qualifiedNumerator = 1, r.qualifiedDenominator = 2;
       }},
      {"qualified_numerator: a qualified majority must be more than half, got 0/3",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.qualifiedNumerator = 0;
       }},
      {"tie_break: a qualified majority is more than half",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.tieBreak = lot;
       }},
      {"tie_break: a qualified majority is more than half",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.tieBreak = chair, r.chairId = "m1";
       }},
      {"tie_break: a qualified majority is more than half",
       [](DeliberationRules& r) {
         r.majority = qualified;
         r.tieBreak = earlier;
       }},
      {"tie_break: a chair's casting vote needs a roll call",
       [](DeliberationRules& r) {
         r.tieBreak = chair, r.chairId = "m1";
         r.ballot = Ballot::Secret;
       }},
      {"vote.chair: a chair's casting vote names the chair",
       [](DeliberationRules& r) { r.tieBreak = chair; }},
      {"vote.chair: \"m 1\" may hold only", [](DeliberationRules& r) { r.chairId = "m 1"; }},
      {"majority: unknown value",
       [](DeliberationRules& r) { r.majority = static_cast<MajorityRule>(9); }},
      {"tie_break: unknown value",
       [](DeliberationRules& r) { r.tieBreak = static_cast<TieBreak>(9); }},
      {"quorum_counts: unknown value",
       [](DeliberationRules& r) { r.quorumCounts = static_cast<QuorumCounts>(9); }},
  };
  for (const Case& c : cases) {
    DeliberationRules rules;
    c.edit(rules);
    auto status = validateDeliberationRules(rules);
    ASSERT_FALSE(status.ok()) << c.expected;
    EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
    EXPECT_THAT(status.error().message, HasSubstr(c.expected));
    EXPECT_THAT(refusal(rules, inputFor(Situation::Clear)), HasSubstr(c.expected));
  }
}

TEST(DeliberationRulesValid, EdgesAccepted) {
  DeliberationRules rules;
  rules.quorumPercent = 100;
  EXPECT_TRUE(validateDeliberationRules(rules).ok());
  rules.majority = qualified, rules.qualifiedNumerator = 3, rules.qualifiedDenominator = 5;
  EXPECT_TRUE(validateDeliberationRules(rules).ok());
  rules.qualifiedNumerator = 1, rules.qualifiedDenominator = 1;  // unanimity of the base
  EXPECT_TRUE(validateDeliberationRules(rules).ok());
  DeliberationRules secretLot;
  secretLot.ballot = Ballot::Secret, secretLot.tieBreak = lot;
  EXPECT_TRUE(validateDeliberationRules(secretLot).ok());
}

// ------------------------------------------------------------ names

TEST(DeliberationNames, MajorityRuleWordsRoundTrip) {
  EXPECT_EQ(majorityRuleName(simple), "simple");
  EXPECT_EQ(majorityRuleName(absolute), "absolute");
  EXPECT_EQ(majorityRuleName(qualified), "qualified");
  EXPECT_EQ(majorityRuleName(static_cast<MajorityRule>(9)), "");
  for (auto m : {simple, absolute, qualified}) EXPECT_EQ(parseMajorityRule(majorityRuleName(m)), m);
  EXPECT_EQ(parseMajorityRule("two_thirds"), std::nullopt);
  EXPECT_EQ(parseMajorityRule("Simple"), std::nullopt);
  // The words of judging_rules.h the minutes and rules files share.
  EXPECT_EQ(tieBreakName(chair), "chair_casting_vote");
  EXPECT_EQ(parseTieBreak("earlier_submission"), earlier);
  EXPECT_EQ(abstentionsName(notCounted), "not_counted");
}

TEST(DeliberationNames, RulesFromACampaign) {
  CampaignRules campaign;
  campaign.quorumPercent = 60;
  campaign.majority = Majority::TwoThirds;
  campaign.judging.quorumCounts = qPresent;
  campaign.judging.majorityBase = ofEligible;
  campaign.judging.abstentions = notCounted;
  campaign.judging.ballot = Ballot::Secret;
  campaign.judging.tieBreak = lot;
  campaign.judging.chairId = "m1";
  const DeliberationRules rules = deliberationRulesFor(campaign);
  EXPECT_EQ(rules.quorumPercent, 60U);
  EXPECT_EQ(rules.majority, qualified);
  EXPECT_EQ(rules.qualifiedNumerator, 2U);
  EXPECT_EQ(rules.qualifiedDenominator, 3U);
  EXPECT_EQ(rules.quorumCounts, qPresent);
  EXPECT_EQ(rules.majorityBase, ofEligible);
  EXPECT_EQ(rules.abstentions, notCounted);
  EXPECT_EQ(rules.ballot, Ballot::Secret);
  EXPECT_EQ(rules.tieBreak, lot);
  EXPECT_EQ(rules.chairId, "m1");
  campaign.majority = Majority::Absolute;
  EXPECT_EQ(deliberationRulesFor(campaign).majority, absolute);
}

// ------------------------------------------------------------ minutes

const std::map<std::string, std::string> names{
    {"m1", "Alice Martin"}, {"m2", "Bruno Leroy"},  {"m3", "Chloé Durand"}, {"m4", "David Roux"},
    {"m5", "Émilie Faure"}, {"m6", "Farid Benali"}, {"m7", "Gaëlle Morel"}, {"m8", "Hugo Petit"},
};

MinutesInput minutesFor(const DeliberationRules& rules, const DeliberationInput& in) {
  MinutesInput m;
  m.campaignName = "Territoires intelligents 2020";
  m.campaignId = "terr-2020";
  m.dossierId = in.dossierId;
  m.dossierTitle = "Pistes cyclables partagées";
  m.heldAtLocal = "2020-07-09 14:00 (Europe/Paris)";
  m.rulesVersion = 3;
  m.rules = rules;
  m.input = in;
  m.outcome = *tally(rules, in);
  m.memberNames = names;
  return m;
}

DeliberationRules chairRules() {
  DeliberationRules rules;
  rules.majority = absolute;
  rules.abstentions = notCounted;
  rules.tieBreak = chair;
  rules.chairId = "m1";
  return rules;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The whole French document for a roll call broken by the chair, written
// out by hand: layout, order and words are part of the contract.
TEST(MinutesFrench, RollCallTieBrokenByTheChair) {
  const std::string expected =
      "# Procès-verbal de délibération\n"
      "\n"
      "- Campagne : Territoires intelligents 2020 (`terr-2020`)\n"
      "- Dossier : Pistes cyclables partagées (`d-001`)\n"
      "- Date : 2020-07-09 14:00 (Europe/Paris)\n"
      "- Version des règles : 3\n"
      "- Président de séance : Alice Martin (`m1`)\n"
      "\n"
      "## Règles applicables\n"
      "\n"
      "- Quorum : 50 % des membres habilités à voter, calculé sur les votants (abstentions "
      "comprises)\n"
      "- Majorité : majorité absolue des suffrages exprimés (abstentions non comptées)\n"
      "- Abstentions : non comptées (seuls les votes pour et contre sont des suffrages "
      "exprimés)\n"
      "- Scrutin : vote public à l'appel nominal\n"
      "- Partage des voix : voix prépondérante du président\n"
      "\n"
      "## Membres\n"
      "\n"
      "Membres habilités à voter : 7.\n"
      "\n"
      "### Présents (5)\n"
      "\n"
      "- Alice Martin (`m1`)\n"
      "- Bruno Leroy (`m2`)\n"
      "- Chloé Durand (`m3`)\n"
      "- David Roux (`m4`)\n"
      "- Émilie Faure (`m5`)\n"
      "\n"
      "### Récusés (1)\n"
      "\n"
      "- Hugo Petit (`m8`), conflit d'intérêts retenu, ne prend pas part au vote\n"
      "\n"
      "### Absents (2)\n"
      "\n"
      "- Farid Benali (`m6`)\n"
      "- Gaëlle Morel (`m7`)\n"
      "\n"
      "## Vote\n"
      "\n"
      "| Membre | Vote |\n"
      "| --- | --- |\n"
      "| Alice Martin (`m1`) | Pour |\n"
      "| Bruno Leroy (`m2`) | Pour |\n"
      "| Chloé Durand (`m3`) | Contre |\n"
      "| David Roux (`m4`) | Contre |\n"
      "| Émilie Faure (`m5`) | Abstention |\n"
      "\n"
      "- Pour / Contre / Abstention : 2 / 2 / 1\n"
      "- Quorum atteint : 5 votants, 4 requis (50 % de 7 membres habilités à voter)\n"
      "\n"
      "## Résultat\n"
      "\n"
      "- Majorité requise : 3 voix pour, majorité absolue des 4 suffrages exprimés "
      "(abstentions non comptées)\n"
      "- Partage égal des voix : 2 pour, 2 contre\n"
      "- Départage : voix prépondérante du président. Le président, Alice Martin (`m1`), a "
      "voté pour.\n"
      "- **Adopté**\n";
  EXPECT_EQ(
      renderMinutes(minutesFor(chairRules(), inputFor(Situation::SplitChairYes)), Language::French),
      expected);
}

TEST(MinutesEnglish, RollCallTieBrokenByTheChair) {
  const std::string text =
      renderMinutes(minutesFor(chairRules(), inputFor(Situation::SplitChairNo)), Language::English);
  for (const char* line : {
           "# Minutes of deliberation",
           "- Campaign: Territoires intelligents 2020 (`terr-2020`)",
           "- Held: 2020-07-09 14:00 (Europe/Paris)",
           "- Chair: Alice Martin (`m1`)",
           "- Quorum: 50% of the eligible members, counted on votes cast (abstentions included)",
           "- Majority: absolute majority of the votes for or against (abstentions not counted)",
           "- Ballot: roll call",
           "- Tie-break: chair's casting vote",
           "### Present (5)",
           "### Recused (1)",
           "- Hugo Petit (`m8`), conflict of interest upheld, takes no part in the vote",
           "### Absent (2)",
           "| Alice Martin (`m1`) | No |",
           "| Chloé Durand (`m3`) | Yes |",
           "| Émilie Faure (`m5`) | Abstain |",
           "- Yes / No / Abstain: 2 / 2 / 1",
           "- Quorum reached: 5 votes cast, 4 needed (50% of 7 eligible members)",
           "- Majority required: 3 yes, absolute majority of the 4 votes for or against "
           "(abstentions not counted)",
           "- Tie: 2 yes, 2 no",
           "- Tie-break: chair's casting vote. The chair, Alice Martin (`m1`), voted no.",
           "- **Rejected**",
       }) {
    EXPECT_THAT(linesOf(text), ::testing::Contains(std::string(line))) << text;
  }
}

TEST(MinutesSecretBallot, NoLineTiesAMemberToAVote) {
  DeliberationRules rules;
  rules.ballot = Ballot::Secret;
  rules.tieBreak = lot;
  rules.chairId = "m1";
  const MinutesInput m = minutesFor(rules, inputFor(Situation::SplitChairYes));
  // The same counts cast by other members: if the minutes said anything of
  // who voted what, the documents would differ.
  const MinutesInput swapped = minutesFor(rules, inputFor(Situation::SplitChairNo));
  MinutesInput rotated = m;
  rotated.input.votes = {{"m1", A}, {"m2", N}, {"m3", Y}, {"m4", N}, {"m5", Y}};
  for (Language language : {Language::French, Language::English}) {
    const std::string text = renderMinutes(m, language);
    EXPECT_EQ(text, renderMinutes(swapped, language));
    EXPECT_EQ(text, renderMinutes(rotated, language));
    for (const std::string& line : linesOf(text)) {
      EXPECT_NE(line.rfind("|", 0), 0U) << "a table row: " << line;
    }
  }
  const std::string french = renderMinutes(m, Language::French);
  EXPECT_THAT(french, HasSubstr("- Scrutin : vote à bulletin secret\n"));
  EXPECT_THAT(french, HasSubstr("Vote à bulletin secret : seuls les décomptes sont consignés.\n"));
  EXPECT_THAT(french, HasSubstr("- Pour / Contre / Abstention : 2 / 2 / 1\n"));
  EXPECT_THAT(french, HasSubstr("### Présents (5)\n"));
  // The lot line: the formula, the whole digest and the parity.
  EXPECT_THAT(french,
              HasSubstr("- Départage : tirage au sort. `SHA-256(graine ‖ \"\\n\" ‖ \"d-001\") = "
                        "6c19ec99656df27d31f296f09e91d10a39f9eced34fb7faa7728baa0dc30e694` : "
                        "premier octet 0x6c pair.\n"));
  EXPECT_THAT(french, HasSubstr("- **Rejeté**\n"));
  const std::string english = renderMinutes(m, Language::English);
  EXPECT_THAT(english, HasSubstr("Secret ballot: only the counts are recorded.\n"));
  EXPECT_THAT(english, HasSubstr("- Tie-break: drawing of lots. `SHA-256(seed ‖ \"\\n\" ‖ "
                                 "\"d-001\") = 6c19ec99656df27d31f296f09e91d10a39f9eced34fb7faa"
                                 "7728baa0dc30e694`: first byte 0x6c is even.\n"));
}

TEST(MinutesRollCall, NamesEveryVoteAndWhoDidNotVote) {
  DeliberationRules rules;
  rules.quorumCounts = qPresent;
  const std::string text =
      renderMinutes(minutesFor(rules, inputFor(Situation::PresentOnly)), Language::French);
  EXPECT_THAT(text, HasSubstr("| Alice Martin (`m1`) | Pour |\n"));
  EXPECT_THAT(text, HasSubstr("| Chloé Durand (`m3`) | Contre |\n"));
  EXPECT_THAT(text, HasSubstr("| David Roux (`m4`) | N'a pas pris part au vote |\n"));
  EXPECT_THAT(text, HasSubstr("- Quorum atteint : 6 présents, 4 requis"));
  EXPECT_THAT(text, HasSubstr("- Majorité requise : 2 voix pour, majorité simple (plus de voix "
                              "pour que de voix contre)\n"));
  EXPECT_THAT(text, HasSubstr("- **Adopté**\n"));
  EXPECT_THAT(text, Not(HasSubstr("Départage")));  // no tie, no tie-break line
}

TEST(MinutesQuorum, MissedQuorumRejectsAndSaysWhy) {
  const MinutesInput m = minutesFor(DeliberationRules{}, inputFor(Situation::UnderQuorum));
  const std::string french = renderMinutes(m, Language::French);
  EXPECT_THAT(french, HasSubstr("- Quorum non atteint : 3 votants, 4 requis (50 % de 7 membres "
                                "habilités à voter)\n"));
  EXPECT_THAT(french, HasSubstr("- **Rejeté** : quorum non atteint\n"));
  EXPECT_THAT(french, Not(HasSubstr("Majorité requise")));
  const std::string english = renderMinutes(m, Language::English);
  EXPECT_THAT(english, HasSubstr("- Quorum not reached: 3 votes cast, 4 needed (50% of 7 "
                                 "eligible members)\n"));
  EXPECT_THAT(english, HasSubstr("- **Rejected**: quorum not reached\n"));
}

TEST(MinutesTieBreak, EachRuleHasItsLine) {
  struct Case {
    TieBreak tieBreak;
    std::optional<bool> earlierWins;
    Situation situation;
    const char* french;
    const char* english;
  };
  const Case cases[] = {
      {none, std::nullopt, Situation::TiePlain,
       "- Départage : aucun. Sans majorité, la délibération est rejetée.\n",
       "- Tie-break: none. Without a majority the motion is rejected.\n"},
      {earlier, true, Situation::TiePlain,
       "- Départage : antériorité du dépôt du dossier. Ce dossier a été déposé avant l'autre "
       "dossier à égalité.\n",
       "- Tie-break: earlier submission of the dossier. This dossier was submitted before the "
       "other dossier of the tie.\n"},
      {earlier, std::nullopt, Situation::TiePlain,
       "- Départage : antériorité du dépôt du dossier. Aucune comparaison des dépôts n'est "
       "disponible : le partage subsiste.\n",
       "- Tie-break: earlier submission of the dossier. No comparison of the submissions is "
       "available: the tie stands.\n"},
      {chair, std::nullopt, Situation::TieAbstentions,  // m1 voted yes
       "- Départage : voix prépondérante du président. Le président, Alice Martin (`m1`), a "
       "voté pour.\n",
       "- Tie-break: chair's casting vote. The chair, Alice Martin (`m1`), voted yes.\n"},
  };
  for (const Case& c : cases) {
    DeliberationRules rules;
    rules.tieBreak = c.tieBreak;
    rules.chairId = "m1";
    DeliberationInput in = inputFor(c.situation);
    in.earlierSubmissionWins = c.earlierWins;
    const MinutesInput m = minutesFor(rules, in);
    EXPECT_THAT(renderMinutes(m, Language::French), HasSubstr(c.french));
    EXPECT_THAT(renderMinutes(m, Language::English), HasSubstr(c.english));
    EXPECT_THAT(renderMinutes(m, Language::French), HasSubstr("- Partage égal des voix : "));
  }
}

TEST(MinutesChair, AbsentChairLeavesTheTie) {
  DeliberationRules rules = chairRules();
  DeliberationInput in;
  in.eligible = sevenMembers;
  in.votes = {{"m2", Y}, {"m3", N}, {"m4", Y}, {"m5", N}};  // the chair m1 did not come
  const std::string text = renderMinutes(minutesFor(rules, in), Language::French);
  EXPECT_THAT(text, HasSubstr("Le président, Alice Martin (`m1`), n'a pas pris part au vote : "
                              "pas de voix prépondérante, le partage subsiste.\n"));
  EXPECT_THAT(text, HasSubstr("### Absents (3)\n\n- Alice Martin (`m1`)\n"));
  EXPECT_THAT(text, HasSubstr("### Récusés (0)\n\n- aucun\n"));
  EXPECT_THAT(text, HasSubstr("- **Rejeté**\n"));
}

TEST(MinutesDeterminism, InputOrderDoesNotMatter) {
  const DeliberationRules rules = chairRules();
  DeliberationInput in = inputFor(Situation::SplitChairYes);
  DeliberationInput shuffled = in;
  std::reverse(shuffled.eligible.begin(), shuffled.eligible.end());
  std::reverse(shuffled.present.begin(), shuffled.present.end());
  std::reverse(shuffled.votes.begin(), shuffled.votes.end());
  for (Language language : {Language::French, Language::English}) {
    const std::string a = renderMinutes(minutesFor(rules, in), language);
    EXPECT_EQ(a, renderMinutes(minutesFor(rules, shuffled), language));
    EXPECT_EQ(a, renderMinutes(minutesFor(rules, in), language));
  }
}

TEST(MinutesEscaping, FreeTextCannotChangeTheStructure) {
  DeliberationRules rules;
  MinutesInput m = minutesFor(rules, inputFor(Situation::Clear));
  m.memberNames["m1"] = "*Alice* | [x](y)";
  m.memberNames["m2"] = "1. Bruno\nLeroy";
  m.memberNames["m3"] = "- Chloé";
  m.dossierTitle = "# Titre <b>";
  m.memberNames.erase("m4");
  const std::string text = renderMinutes(m, Language::French);
  EXPECT_THAT(text, HasSubstr("| \\*Alice\\* \\| \\[x\\](y) (`m1`) | Pour |\n"));
  EXPECT_THAT(text, HasSubstr("- 1\\. Bruno Leroy (`m2`)\n"));
  EXPECT_THAT(text, HasSubstr("- \\- Chloé (`m3`)\n"));
  EXPECT_THAT(text, HasSubstr("- Dossier : \\# Titre \\<b\\> (`d-001`)\n"));
  EXPECT_THAT(text, HasSubstr("- `m4`\n"));  // no name known: the id alone
}

}  // namespace
}  // namespace deliberation_test
}  // namespace parcours::workflows::judging
