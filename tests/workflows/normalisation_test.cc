// Score normalisation against hand-computed examples, the fallback below
// the minimum, and the bad score sheets it refuses.
#include "parcours/workflows/judging/normalisation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parcours::workflows::judging {
namespace {

using ::testing::HasSubstr;

std::vector<Criterion> oneCriterion() { return {{"quality", "Quality", 0, 10, 1}}; }

// Juror "severe" gives 2, 4, 6 and juror "lenient" 6, 8, 10 to the same
// three dossiers: the same opinion, shifted by 4 points.
std::vector<RawScore> shiftedJurors() {
  std::vector<RawScore> s;
  const char* dossiers[] = {"a", "b", "c"};
  for (int i = 0; i < 3; ++i) {
    s.push_back({dossiers[i], "severe", "quality", static_cast<std::uint32_t>(2 + 2 * i)});
    s.push_back({dossiers[i], "lenient", "quality", static_cast<std::uint32_t>(6 + 2 * i)});
  }
  return s;
}

TEST(NormalisationTest, ZScoreByHand) {
  // Severe: mean 4, deviation sqrt(8/3) = 1.632993; lenient: mean 8, the
  // same deviation. Pooled over the six scores {2,4,6,6,8,10}: mean 6,
  // deviation sqrt((16+4+0+0+4+16)/6) = sqrt(20/3) = 2.581989.
  // Dossier a: z = -1.224745 for both → 6 − 1.224745 × 2.581989 = 2.837722.
  // Dossier b: z = 0 → 6. Dossier c: z = +1.224745 → 9.162278.
  auto n = normaliseScores(NormalisationRule::ZScore, 3, oneCriterion(), shiftedJurors());
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_EQ(n->statistics.size(), 2u);
  EXPECT_EQ(n->statistics[0],
            (JurorStatistics{"lenient", "quality", 3, 8000, 1633, true, ""}));
  EXPECT_EQ(n->statistics[1],
            (JurorStatistics{"severe", "quality", 3, 4000, 1633, true, ""}));
  ASSERT_EQ(n->scores.size(), 6u);
  EXPECT_EQ(n->scores[0], (NormalisedScore{"a", "lenient", "quality", 6, 2838}));
  EXPECT_EQ(n->scores[1], (NormalisedScore{"a", "severe", "quality", 2, 2838}));
  EXPECT_EQ(n->scores[2], (NormalisedScore{"b", "lenient", "quality", 8, 6000}));
  EXPECT_EQ(n->scores[5], (NormalisedScore{"c", "severe", "quality", 6, 9162}));
  // Raw means 4, 6, 8; normalised 2.838, 6, 9.162: the jurors now agree.
  ASSERT_EQ(n->dossiers.size(), 3u);
  EXPECT_EQ(n->dossiers[0], (DossierMeans{"a", 2, 4000, 2838}));
  EXPECT_EQ(n->dossiers[1], (DossierMeans{"b", 2, 6000, 6000}));
  EXPECT_EQ(n->dossiers[2], (DossierMeans{"c", 2, 8000, 9162}));
}

TEST(NormalisationTest, WeightedMeansFollowTheCriteriaWeights) {
  // Two criteria, weights 2 and 1; one juror: (2×7 + 1×4) / 3 = 6.000.
  const std::vector<Criterion> criteria = {{"b", "B", 0, 10, 2}, {"a", "A", 0, 10, 1}};
  const std::vector<RawScore> scores = {{"d", "j", "b", 7}, {"d", "j", "a", 4}};
  auto n = normaliseScores(NormalisationRule::None, 0, criteria, scores);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->dossiers[0], (DossierMeans{"d", 1, 6000, 6000}));
  // Lists come in id order whatever the definition's order.
  EXPECT_EQ(n->scores[0].criterionId, "a");
}

TEST(NormalisationTest, BelowTheMinimumTheJurorStaysRawAndTheEventSaysWhy) {
  auto n = normaliseScores(NormalisationRule::ZScore, 4, oneCriterion(), shiftedJurors());
  ASSERT_TRUE(n) << n.error().message;
  for (const auto& s : n->statistics) {
    EXPECT_FALSE(s.normalised);
    EXPECT_EQ(s.fallback, "3 scores, under the minimum of 4: raw scores kept");
  }
  for (const auto& s : n->scores) EXPECT_EQ(s.normalisedMilli, s.raw * 1000);
}

TEST(NormalisationTest, AJurorWithNoDeviationStaysRaw) {
  std::vector<RawScore> scores = shiftedJurors();
  for (int i = 0; i < 3; ++i) scores.push_back({std::string(1, char('a' + i)), "flat", "quality", 5});
  auto n = normaliseScores(NormalisationRule::ZScore, 2, oneCriterion(), scores);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->statistics[0].jurorId, "flat");
  EXPECT_FALSE(n->statistics[0].normalised);
  EXPECT_EQ(n->statistics[0].fallback, "every score is 5, no deviation: raw scores kept");
  EXPECT_EQ(n->statistics[0].deviationMilli, 0);
}

TEST(NormalisationTest, RuleNoneKeepsRawAndStillRecordsTheStatistics) {
  auto n = normaliseScores(NormalisationRule::None, 0, oneCriterion(), shiftedJurors());
  ASSERT_TRUE(n);
  EXPECT_EQ(n->statistics[1].meanMilli, 4000);
  EXPECT_EQ(n->statistics[1].fallback, "the rule in force is none: raw scores kept");
  EXPECT_EQ(n->dossiers[0], (DossierMeans{"a", 2, 4000, 4000}));
}

TEST(NormalisationTest, NormalisedScoresStayOnTheScale) {
  // An outlier juror: 0, 0, 0, 10 against a pooled mean near the top.
  std::vector<RawScore> scores;
  for (int i = 0; i < 4; ++i) {
    const std::string d = "d" + std::to_string(i);
    scores.push_back({d, "outlier", "quality", i == 3 ? 10u : 0u});
    scores.push_back({d, "high", "quality", 9u + (i % 2)});
  }
  auto n = normaliseScores(NormalisationRule::ZScore, 2, oneCriterion(), scores);
  ASSERT_TRUE(n) << n.error().message;
  for (const auto& s : n->scores) {
    EXPECT_GE(s.normalisedMilli, 0);
    EXPECT_LE(s.normalisedMilli, 10000);
  }
}

TEST(NormalisationTest, BadScoreSheetsAreRefused) {
  const std::vector<Criterion> two = {{"a", "A", 0, 10, 1}, {"b", "B", 0, 10, 1}};
  EXPECT_THAT(normaliseScores(NormalisationRule::ZScore, 0, two, {{"d", "j", "zz", 1}})
                  .error().message,
              HasSubstr("names criterion \"zz\", which the rules do not have"));
  EXPECT_THAT(normaliseScores(NormalisationRule::ZScore, 0, two,
                              {{"d", "j", "a", 11}, {"d", "j", "b", 1}})
                  .error().message,
              HasSubstr("11 is outside the scale 0-10"));
  EXPECT_THAT(normaliseScores(NormalisationRule::ZScore, 0, two, {{"d", "j", "a", 1}})
                  .error().message,
              HasSubstr("juror \"j\" scored dossier \"d\" without criterion \"b\""));
  EXPECT_THAT(normaliseScores(NormalisationRule::ZScore, 0, two,
                              {{"d", "j", "a", 1}, {"d", "j", "a", 2}, {"d", "j", "b", 1}})
                  .error().message,
              HasSubstr("criterion \"a\": given twice"));
  EXPECT_THAT(normaliseScores(NormalisationRule::ZScore, 0, two,
                              {{"d", "j", "a", 1}, {"d", "j", "b", 1}, {"d", "j", "b", 2}})
                  .error().message,
              HasSubstr("criterion \"b\": given twice"));
}

TEST(NormalisationTest, RuleNamesRoundTrip) {
  EXPECT_EQ(parseNormalisationRule("z_score"), NormalisationRule::ZScore);
  EXPECT_EQ(parseNormalisationRule("none"), NormalisationRule::None);
  EXPECT_EQ(parseNormalisationRule("zscore"), std::nullopt);
  EXPECT_EQ(normalisationRuleName(NormalisationRule::ZScore), "z_score");
}

}  // namespace
}  // namespace parcours::workflows::judging
