// Selection under a budget envelope: hand-checked cases for the three rules
// (with their explanations word for word), the declared rank order, the
// exact rule against brute force on seeded random instances (the seed is
// printed on failure), refused inputs, and the CSV export.
#include "parcours/workflows/judging/selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

// A named namespace: judging_tests is a unity build, where every test file's
// anonymous namespace would be the same one.
namespace parcours::workflows::judging::selection_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t euros(std::int64_t whole) {
  return whole * 100;
}

SelectionCandidate candidate(std::string id, std::int64_t scoreMilli, std::int64_t requestedCents,
                             std::int64_t submittedAtMicros = 0) {
  return {std::move(id), scoreMilli, requestedCents, submittedAtMicros};
}

SelectionResult selectOrFail(SelectionRule rule, std::int64_t envelopeCents,
                             std::vector<SelectionCandidate> candidates) {
  auto result = selectWithinBudget({rule, envelopeCents, std::move(candidates)});
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? std::move(result).value() : SelectionResult{};
}

std::vector<std::string> selectedIds(const SelectionResult& result) {
  std::vector<std::string> ids;
  for (const auto& line : result.lines) {
    if (line.selected) ids.push_back(line.dossierId);
  }
  return ids;
}

std::vector<std::string> rankedIds(const SelectionResult& result) {
  std::vector<std::string> ids;
  for (const auto& line : result.lines) ids.push_back(line.dossierId);
  return ids;
}

const SelectionLine& lineAtRank(const SelectionResult& result, std::uint32_t rank) {
  return result.lines.at(rank - 1);
}

// The issue's campaign: ranks 1 to 6 ask €445,000 of €500,000, so rank 7
// (€80,000) meets €55,000 left. Listed out of rank order on purpose.
std::vector<SelectionCandidate> issueCampaign() {
  return {
      candidate("r10", 6000, euros(20'000)),  candidate("r07", 6800, euros(80'000)),
      candidate("r01", 9000, euros(100'000)), candidate("r02", 8750, euros(80'000)),
      candidate("r03", 8500, euros(75'000)),  candidate("r04", 8000, euros(90'000)),
      candidate("r05", 7500, euros(50'000)),  candidate("r06", 7250, euros(50'000)),
      candidate("r08", 6600, euros(70'000)),  candidate("r09", 6400, euros(40'000)),
  };
}

constexpr std::int64_t issueEnvelope = euros(500'000);

TEST(SelectionRuleNames, RoundTrip) {
  for (auto rule : {SelectionRule::RankStop, SelectionRule::RankSkip, SelectionRule::Exact}) {
    EXPECT_EQ(parseSelectionRule(selectionRuleName(rule)), rule);
  }
  EXPECT_EQ(selectionRuleName(SelectionRule::RankStop), "rank_stop");
  EXPECT_EQ(selectionRuleName(SelectionRule::RankSkip), "rank_skip");
  EXPECT_EQ(selectionRuleName(SelectionRule::Exact), "exact");
  EXPECT_EQ(parseSelectionRule("greedy"), std::nullopt);
  EXPECT_EQ(parseSelectionRule(""), std::nullopt);
}

TEST(SelectionRankSkip, SkipsWhatDoesNotFitAndGoesOn) {
  const auto result = selectOrFail(SelectionRule::RankSkip, issueEnvelope, issueCampaign());
  EXPECT_THAT(selectedIds(result), ElementsAre("r01", "r02", "r03", "r04", "r05", "r06", "r09"));
  EXPECT_EQ(lineAtRank(result, 7).explanation,
            "rank 7, score 6.800, asks €80,000.00, €55,000.00 left → skipped: it does not fit");
  EXPECT_EQ(lineAtRank(result, 8).explanation,
            "rank 8, score 6.600, asks €70,000.00, €55,000.00 left → skipped: it does not fit");
  EXPECT_EQ(lineAtRank(result, 9).explanation,
            "rank 9, score 6.400, asks €40,000.00, €55,000.00 left → selected, €15,000.00 left");
  EXPECT_EQ(lineAtRank(result, 10).explanation,
            "rank 10, score 6.000, asks €20,000.00, €15,000.00 left → skipped: it does not fit");
  EXPECT_EQ(lineAtRank(result, 7).leftBeforeCents, euros(55'000));
  EXPECT_EQ(lineAtRank(result, 10).leftBeforeCents, euros(15'000));
  EXPECT_EQ(result.selectedCents, euros(485'000));
  EXPECT_EQ(result.selectedScoreMilli, 9000 + 8750 + 8500 + 8000 + 7500 + 7250 + 6400);
}

TEST(SelectionRankStop, StopsAtTheFirstThatDoesNotFit) {
  const auto result = selectOrFail(SelectionRule::RankStop, issueEnvelope, issueCampaign());
  EXPECT_THAT(selectedIds(result), ElementsAre("r01", "r02", "r03", "r04", "r05", "r06"));
  EXPECT_EQ(lineAtRank(result, 1).explanation,
            "rank 1, score 9.000, asks €100,000.00, €500,000.00 left → selected, €400,000.00 left");
  EXPECT_EQ(lineAtRank(result, 7).explanation,
            "rank 7, score 6.800, asks €80,000.00, €55,000.00 left → not selected: it does not "
            "fit, and the rule stops at the first that does not fit");
  // Rank 9 would fit in the €55,000 left, but the rule has stopped.
  EXPECT_EQ(lineAtRank(result, 9).explanation,
            "rank 9, score 6.400, asks €40,000.00 → not selected: selection stopped at rank 7");
  EXPECT_EQ(lineAtRank(result, 9).leftBeforeCents, euros(55'000));
  EXPECT_EQ(result.selectedCents, euros(445'000));
}

// By hand: all ten ask €655,000, so at least €155,000 must go. Dropping ranks
// 4 and 8 (€160,000) loses 14.600 points; every other way to free €155,000
// loses more (ranks 3+7: 15.300, 4+7: 14.800, 2+7: 15.550, 1+8: 15.600).
TEST(SelectionExact, FindsTheBestTotalScore) {
  const auto result = selectOrFail(SelectionRule::Exact, issueEnvelope, issueCampaign());
  EXPECT_THAT(selectedIds(result),
              ElementsAre("r01", "r02", "r03", "r05", "r06", "r07", "r09", "r10"));
  EXPECT_EQ(result.selectedScoreMilli, 60'200);
  EXPECT_EQ(result.selectedCents, euros(495'000));
  EXPECT_EQ(lineAtRank(result, 3).explanation,
            "rank 3, score 8.500, asks €75,000.00 → selected: part of the best total score "
            "(60.200) within €500,000.00");
  EXPECT_EQ(lineAtRank(result, 4).explanation,
            "rank 4, score 8.000, asks €90,000.00 → not selected: the best total score (60.200) "
            "within €500,000.00 leaves it out; it would need €85,000.00 more than the €5,000.00 "
            "left unspent");
  // Left after the better-ranked dossiers of the optimum (ranks 1, 2, 3).
  EXPECT_EQ(lineAtRank(result, 4).leftBeforeCents, euros(245'000));
  EXPECT_EQ(lineAtRank(result, 5).leftBeforeCents, euros(245'000));
}

TEST(SelectionExact, BeatsTheRankWhenTwoSmallerDossiersScoreMore) {
  const std::vector<SelectionCandidate> candidates = {
      candidate("big", 9000, euros(60)), candidate("mid-a", 8000, euros(50), 1),
      candidate("mid-b", 7000, euros(50), 2), candidate("huge", 1000, euros(150), 3)};
  EXPECT_THAT(selectedIds(selectOrFail(SelectionRule::RankSkip, euros(100), candidates)),
              ElementsAre("big"));
  const auto exact = selectOrFail(SelectionRule::Exact, euros(100), candidates);
  EXPECT_THAT(selectedIds(exact), ElementsAre("mid-a", "mid-b"));
  EXPECT_EQ(lineAtRank(exact, 1).explanation,
            "rank 1, score 9.000, asks €60.00 → not selected: the best total score (15.000) within "
            "€100.00 leaves it out; it would need €60.00 more than the €0.00 left unspent");
  EXPECT_EQ(lineAtRank(exact, 4).explanation,
            "rank 4, score 1.000, asks €150.00 → not selected: it asks more than the whole "
            "envelope of €100.00");
}

TEST(SelectionExact, PrefersTheBetterRankedAmongEqualOptima) {
  // {first} and {second, third} both total 6.000 within €100.
  const std::vector<SelectionCandidate> candidates = {candidate("third", 3000, euros(50), 20),
                                                      candidate("second", 3000, euros(50), 10),
                                                      candidate("first", 6000, euros(100), 30)};
  const auto result = selectOrFail(SelectionRule::Exact, euros(100), candidates);
  EXPECT_THAT(rankedIds(result), ElementsAre("first", "second", "third"));
  EXPECT_THAT(selectedIds(result), ElementsAre("first"));
  EXPECT_EQ(lineAtRank(result, 2).explanation,
            "rank 2, score 3.000, asks €50.00 → not selected: the best total score (6.000) within "
            "€100.00 leaves it out; it would need €50.00 more than the €0.00 left unspent");
}

TEST(SelectionExact, TakesAZeroScoreDossierThatFits) {
  const auto result =
      selectOrFail(SelectionRule::Exact, euros(100),
                   {candidate("good", 5000, euros(60)), candidate("nil", 0, euros(30)),
                    candidate("too-big", 4000, euros(50))});
  EXPECT_THAT(selectedIds(result), ElementsAre("good", "nil"));
}

TEST(SelectionExact, EmptyEnvelopeSelectsNothing) {
  const auto result = selectOrFail(SelectionRule::Exact, 0, issueCampaign());
  EXPECT_TRUE(selectedIds(result).empty());
  EXPECT_EQ(result.selectedCents, 0);
  EXPECT_EQ(result.lines.size(), 10U);
}

TEST(SelectionRank, EqualScoresGoByEarlierSubmissionThenId) {
  const std::vector<SelectionCandidate> candidates = {
      candidate("d-zeta", 7000, euros(10), 100), candidate("d-alpha", 7000, euros(10), 200),
      candidate("d-beta", 7000, euros(10), 100), candidate("d-top", 8000, euros(10), 999),
      candidate("d-low", 6999, euros(10), 1)};
  const auto result = selectOrFail(SelectionRule::RankSkip, euros(30), candidates);
  EXPECT_THAT(rankedIds(result), ElementsAre("d-top", "d-beta", "d-zeta", "d-alpha", "d-low"));
  for (std::uint32_t rank = 1; rank <= 5; ++rank) EXPECT_EQ(lineAtRank(result, rank).rank, rank);
  EXPECT_THAT(selectedIds(result), ElementsAre("d-top", "d-beta", "d-zeta"));
}

TEST(SelectionRank, InputOrderDoesNotChangeTheResult) {
  auto shuffled = issueCampaign();
  std::mt19937_64 rng(20200603);
  for (auto rule : {SelectionRule::RankStop, SelectionRule::RankSkip, SelectionRule::Exact}) {
    const std::string expected = selectionCsv(selectOrFail(rule, issueEnvelope, issueCampaign()));
    for (int round = 0; round < 5; ++round) {
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      EXPECT_EQ(selectionCsv(selectOrFail(rule, issueEnvelope, shuffled)), expected);
    }
  }
}

TEST(SelectionResultSums, EveryLineExplainedAndSumsRight) {
  for (auto rule : {SelectionRule::RankStop, SelectionRule::RankSkip, SelectionRule::Exact}) {
    SCOPED_TRACE(std::string(selectionRuleName(rule)));
    const auto result = selectOrFail(rule, issueEnvelope, issueCampaign());
    EXPECT_EQ(result.rule, rule);
    EXPECT_EQ(result.envelopeCents, issueEnvelope);
    ASSERT_EQ(result.lines.size(), 10U);
    std::int64_t cents = 0;
    std::int64_t score = 0;
    for (const auto& line : result.lines) {
      EXPECT_FALSE(line.explanation.empty()) << line.dossierId;
      EXPECT_EQ(line.explanation.rfind("rank " + std::to_string(line.rank) + ", ", 0), 0U);
      if (!line.selected) continue;
      cents += line.requestedCents;
      score += line.scoreMilli;
    }
    EXPECT_EQ(result.selectedCents, cents);
    EXPECT_EQ(result.selectedScoreMilli, score);
    EXPECT_LE(result.selectedCents, result.envelopeCents);
  }
}

// ---- exact against brute force ----

bool bruteForceRanksBefore(const SelectionCandidate& a, const SelectionCandidate& b) {
  if (a.scoreMilli != b.scoreMilli) return a.scoreMilli > b.scoreMilli;
  if (a.submittedAtMicros != b.submittedAtMicros) return a.submittedAtMicros < b.submittedAtMicros;
  return a.dossierId < b.dossierId;
}

struct BruteForceOptimum {
  std::int64_t scoreMilli = 0;
  std::vector<std::string> ids;  // in rank order
};

// Every subset; the best score, and among the best, the greatest inclusion
// vector in rank order (rank 1 is the most significant bit).
BruteForceOptimum bruteForceExact(std::vector<SelectionCandidate> candidates,
                                  std::int64_t envelopeCents) {
  std::sort(candidates.begin(), candidates.end(), bruteForceRanksBefore);
  const std::size_t n = candidates.size();
  std::int64_t bestScore = -1;
  std::uint32_t bestMask = 0;
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    std::int64_t cents = 0;
    std::int64_t score = 0;
    for (std::size_t r = 0; r < n; ++r) {
      if ((mask >> (n - 1 - r)) & 1U) {
        cents += candidates[r].requestedCents;
        score += candidates[r].scoreMilli;
      }
    }
    if (cents > envelopeCents) continue;
    if (score > bestScore || (score == bestScore && mask > bestMask)) {
      bestScore = score;
      bestMask = mask;
    }
  }
  BruteForceOptimum optimum{bestScore, {}};
  for (std::size_t r = 0; r < n; ++r) {
    if ((bestMask >> (n - 1 - r)) & 1U) optimum.ids.push_back(candidates[r].dossierId);
  }
  return optimum;
}

// Small amounts and scores, so that ties and equal optima are common; the
// unit varies so the common divisor is sometimes 1 cent, sometimes more.
SelectionInput randomExactInstance(std::mt19937_64& rng) {
  auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const std::int64_t unit = std::vector<std::int64_t>{1, 7, 100, 250}[uniform(0, 3)];
  SelectionInput input;
  input.rule = SelectionRule::Exact;
  const auto count = uniform(1, 12);
  for (std::int64_t i = 0; i < count; ++i) {
    input.candidates.push_back(candidate("d-" + std::to_string(i), uniform(0, 6) * 500,
                                         uniform(1, 20) * unit, uniform(0, 3)));
  }
  input.envelopeCents = uniform(0, 60) * unit + (uniform(0, 3) == 0 ? uniform(0, unit - 1) : 0);
  return input;
}

TEST(SelectionExactProperty, MatchesBruteForceOnRandomInstances) {
  constexpr std::uint64_t baseSeed = 0x5e1ec7'10'2020ULL;
  for (std::uint64_t iteration = 0; iteration < 2000; ++iteration) {
    const std::uint64_t seed = baseSeed + iteration;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const SelectionInput input = randomExactInstance(rng);
    const auto result = selectWithinBudget(input);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const BruteForceOptimum expected = bruteForceExact(input.candidates, input.envelopeCents);
    ASSERT_EQ(result->selectedScoreMilli, expected.scoreMilli);
    ASSERT_EQ(selectedIds(*result), expected.ids);
    ASSERT_LE(result->selectedCents, input.envelopeCents);
  }
}

// ---- refused inputs ----

Error refusal(const SelectionInput& input) {
  auto result = selectWithinBudget(input);
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::bug("accepted") : std::move(result).takeError();
}

TEST(SelectionRefuses, NegativeScore) {
  const Error e = refusal({SelectionRule::RankSkip,
                           euros(100),
                           {candidate("d-1", 1000, euros(10)), candidate("d-2", -1, euros(10))}});
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_THAT(e.message, HasSubstr("dossier d-2"));
  EXPECT_THAT(e.message, HasSubstr("score -1 (x1000) is negative"));
}

TEST(SelectionRefuses, ZeroOrNegativeRequest) {
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-500}}) {
    const Error e = refusal({SelectionRule::Exact, euros(100), {candidate("d-7", 1000, bad)}});
    EXPECT_EQ(e.code, ErrorCode::InvalidInput);
    EXPECT_THAT(e.message, HasSubstr("dossier d-7"));
    EXPECT_THAT(e.message,
                HasSubstr("the request of " + std::to_string(bad) + " cents is not positive"));
  }
}

TEST(SelectionRefuses, RequestOverTheLargestAmount) {
  const Error e = refusal(
      {SelectionRule::RankSkip, euros(100), {candidate("d-9", 1000, 1'000'000'000'000'000'001)}});
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_THAT(e.message, HasSubstr("dossier d-9"));
  EXPECT_THAT(e.message, HasSubstr("over the largest amount"));
}

TEST(SelectionRefuses, DuplicateIds) {
  const Error e = refusal({SelectionRule::RankStop,
                           euros(100),
                           {candidate("d-1", 1000, euros(10)), candidate("d-2", 2000, euros(10)),
                            candidate("d-1", 3000, euros(20))}});
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_THAT(e.message, HasSubstr("dossier d-1 appears more than once"));
}

TEST(SelectionRefuses, NegativeEnvelope) {
  const Error e = refusal({SelectionRule::RankSkip, -1, {candidate("d-1", 1000, euros(10))}});
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_THAT(e.message, HasSubstr("the envelope is negative"));
}

TEST(SelectionRefuses, ExactTableTooLarge) {
  // Amounts to the cent (common divisor 1): 2 x 5,000,000,001 cells.
  const SelectionInput input{
      SelectionRule::Exact,
      5'000'000'000,
      {candidate("d-1", 1000, 3'000'000'001), candidate("d-2", 2000, 3'000'000'000)}};
  const Error e = refusal(input);
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_THAT(e.message, HasSubstr("2 dossiers × 5000000001 budget steps of €0.01"));
  EXPECT_THAT(e.message, HasSubstr("4000000000 cells"));
  EXPECT_THAT(e.message, HasSubstr("whole euros"));
  // The rank rules need no table.
  auto skip = input;
  skip.rule = SelectionRule::RankSkip;
  EXPECT_TRUE(selectWithinBudget(skip).ok());
}

TEST(SelectionRefuses, ExactTableTooManyCells) {
  // 200 dossiers x 20,000,001 steps of €0.01 (4,000,000,200 cells): just over.
  SelectionInput input{SelectionRule::Exact, 20'000'000, {}};
  for (int i = 0; i < 200; ++i) {
    input.candidates.push_back(candidate("d-" + std::to_string(i), 1000, 150'001 + i));
  }
  const Error e = refusal(input);
  EXPECT_THAT(e.message, HasSubstr("200 dossiers × 20000001 budget steps"));
}

TEST(SelectionExact, NoTableNeededWhenEverythingFits) {
  // The same cent-precise amounts, but an envelope that holds them all.
  const auto result =
      selectOrFail(SelectionRule::Exact, 7'000'000'000,
                   {candidate("d-1", 1000, 3'000'000'001), candidate("d-2", 2000, 3'000'000'000)});
  EXPECT_THAT(selectedIds(result), ElementsAre("d-2", "d-1"));
}

// ---- CSV ----

std::vector<std::string> csvRecords(const std::string& csv) {
  std::vector<std::string> records;
  std::size_t start = 0;
  for (std::size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
    records.push_back(csv.substr(start, end - start));
  }
  EXPECT_EQ(start, csv.size()) << "the CSV does not end with CRLF";
  return records;
}

TEST(SelectionCsv, HeaderRowsQuotingAndInjection) {
  const auto result = selectOrFail(SelectionRule::RankSkip, euros(100'000),
                                   {candidate("d-1", 7250, euros(80'000)),
                                    candidate("=HYPERLINK(\"http://x\")", 6000, euros(30'000)),
                                    candidate("say \"hi\", ok", 5000, euros(10'000)),
                                    candidate("@SUM(A1)", 4000, euros(5'000))});
  const auto records = csvRecords(selectionCsv(result));
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[0], "rank,dossier_id,score,requested_eur,selected,left_before_eur,explanation");
  EXPECT_EQ(records[1],
            "1,d-1,7.250,80000.00,yes,100000.00,\"rank 1, score 7.250, asks €80,000.00, "
            "€100,000.00 left → selected, €20,000.00 left\"");
  EXPECT_EQ(records[2],
            "2,\"'=HYPERLINK(\"\"http://x\"\")\",6.000,30000.00,no,20000.00,\"rank 2, score 6.000, "
            "asks €30,000.00, €20,000.00 left → skipped: it does not fit\"");
  EXPECT_THAT(records[3], ::testing::StartsWith("3,\"say \"\"hi\"\", ok\",5.000,10000.00,yes,"));
  EXPECT_THAT(records[4], ::testing::StartsWith("4,'@SUM(A1),4.000,5000.00,yes,10000.00,"));
}

}  // namespace
}  // namespace parcours::workflows::judging::selection_test
