// Score normalisation at round close, recorded as data.
//
// Severe and lenient jurors skew a ranking: a juror who gives 4 to 7 and one
// who gives 7 to 10 rank the same dossiers differently. The rule in force
// is applied once, when the round closes, and everything it computed goes
// into the event: each juror's mean and deviation per criterion, why a
// juror was left raw, and every normalised score. Raw scores are never
// changed; rankings show both.
//
// z_score, per juror and criterion: z = (x − juror's mean) / juror's
// deviation, rescaled to the criterion as everybody used it: pooled mean +
// z × pooled deviation (population deviations), clamped to the criterion's
// scale. A juror with fewer scores on a criterion than the minimum, or with
// no deviation (every score the same), keeps their raw scores, and the
// statistics say why. Values are kept in thousandths, rounded half away
// from zero; the dossier means then follow the integer arithmetic of
// ScoringClosed (weighted, rounded half up), so every machine agrees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/judging/judging_rules.h"

namespace parcours::workflows::judging {

struct RawScore {
  std::string dossierId;
  std::string jurorId;
  std::string criterionId;
  std::uint32_t value = 0;
};

struct JurorStatistics {
  std::string jurorId;
  std::string criterionId;
  std::uint32_t count = 0;
  std::int64_t meanMilli = 0;
  std::int64_t deviationMilli = 0;  // population standard deviation
  bool normalised = false;          // false: raw kept, `fallback` says why
  std::string fallback;
  bool operator==(const JurorStatistics&) const = default;
};

struct NormalisedScore {
  std::string dossierId;
  std::string jurorId;
  std::string criterionId;
  std::uint32_t raw = 0;
  std::int64_t normalisedMilli = 0;
  bool operator==(const NormalisedScore&) const = default;
};

struct DossierMeans {
  std::string dossierId;
  std::uint32_t jurors = 0;
  std::int64_t rawMeanMilli = 0;         // weighted mean of the raw scores
  std::int64_t normalisedMeanMilli = 0;  // the same over the normalised ones
  bool operator==(const DossierMeans&) const = default;
};

struct Normalisation {
  NormalisationRule rule = NormalisationRule::None;
  std::uint32_t minScoresPerJuror = 0;
  std::vector<JurorStatistics> statistics;  // by juror, then criterion (ids)
  std::vector<NormalisedScore> scores;      // by dossier, juror, criterion
  std::vector<DossierMeans> dossiers;       // by dossier id
  bool operator==(const Normalisation&) const = default;
};

// Applies `rule` to the round's scores: one per (dossier, juror, criterion),
// every juror of a dossier covering every criterion. InvalidInput naming the
// score for a criterion not in `criteria`, a value outside its scale, a
// duplicate, or a juror who left a criterion out.
Result<Normalisation> normaliseScores(NormalisationRule rule, std::uint32_t minScoresPerJuror,
                                      const std::vector<Criterion>& criteria,
                                      const std::vector<RawScore>& scores);

}  // namespace parcours::workflows::judging
