// Score normalisation (see normalisation.h): per-juror z-scores rescaled to
// each criterion, computed once at round close.
#include "parcours/workflows/judging/normalisation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace parcours::workflows::judging {
namespace {

// Mean and population deviation of a set of integer scores, two passes so
// the deviation does not lose precision to cancellation.
struct Moments {
  std::uint32_t count = 0;
  double mean = 0;
  double deviation = 0;
};

Moments moments(const std::vector<std::uint32_t>& values) {
  Moments m;
  m.count = static_cast<std::uint32_t>(values.size());
  if (values.empty()) return m;
  double sum = 0;
  for (const std::uint32_t v : values) sum += v;
  m.mean = sum / values.size();
  double squares = 0;
  for (const std::uint32_t v : values) squares += (v - m.mean) * (v - m.mean);
  m.deviation = std::sqrt(squares / values.size());
  return m;
}

std::int64_t toMilli(double value) { return std::llround(value * 1000); }

// ⌊(numerator + denominator / 2) / denominator⌋ for non-negative values:
// the half-up rounding of ScoringClosed.
std::int64_t divideHalfUp(std::int64_t numerator, std::int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

struct Indexed {
  std::size_t dossier, juror, criterion;
  std::uint32_t value;
};

}  // namespace

Result<Normalisation> normaliseScores(NormalisationRule rule, std::uint32_t minScoresPerJuror,
                                      const std::vector<Criterion>& criteria,
                                      const std::vector<RawScore>& scores) {
  // Criteria in id order, so every list the event records is sorted by id.
  std::vector<const Criterion*> byId;
  for (const Criterion& c : criteria) byId.push_back(&c);
  std::sort(byId.begin(), byId.end(), [](auto* a, auto* b) { return a->id < b->id; });
  std::map<std::string_view, std::size_t> criterionIndex;
  for (std::size_t i = 0; i < byId.size(); ++i) criterionIndex.emplace(byId[i]->id, i);
  std::map<std::string_view, std::size_t> dossierIndex, jurorIndex;
  for (const RawScore& s : scores) {
    dossierIndex.emplace(s.dossierId, 0);
    jurorIndex.emplace(s.jurorId, 0);
  }
  std::vector<std::string_view> dossierIds, jurorIds;
  for (auto& [id, i] : dossierIndex) i = (dossierIds.push_back(id), dossierIds.size() - 1);
  for (auto& [id, i] : jurorIndex) i = (jurorIds.push_back(id), jurorIds.size() - 1);
  const std::size_t cs = byId.size();
  const std::size_t js = jurorIds.size();

  // Check every score and index it.
  std::vector<Indexed> indexed;
  indexed.reserve(scores.size());
  const auto describe = [&](const Indexed& s) {
    return "the score of juror \"" + std::string(jurorIds[s.juror]) + "\" on dossier \"" +
           std::string(dossierIds[s.dossier]) + "\", criterion \"" + byId[s.criterion]->id + "\"";
  };
  for (const RawScore& s : scores) {
    const auto c = criterionIndex.find(s.criterionId);
    if (c == criterionIndex.end()) {
      return Error::invalidInput("the score of juror \"" + s.jurorId + "\" on dossier \"" +
                                 s.dossierId + "\" names criterion \"" + s.criterionId +
                                 "\", which the rules do not have");
    }
    const Indexed cell{dossierIndex[s.dossierId], jurorIndex[s.jurorId], c->second, s.value};
    const Criterion& criterion = *byId[c->second];
    if (s.value < criterion.scaleMin || s.value > criterion.scaleMax) {
      return Error::invalidInput(describe(cell) + ": " + std::to_string(s.value) +
                                 " is outside the scale " + std::to_string(criterion.scaleMin) +
                                 "-" + std::to_string(criterion.scaleMax));
    }
    indexed.push_back(cell);
  }
  std::sort(indexed.begin(), indexed.end(), [](const Indexed& a, const Indexed& b) {
    return std::tie(a.dossier, a.juror, a.criterion) < std::tie(b.dossier, b.juror, b.criterion);
  });
  // Each cell once, and a juror who scored a dossier covers every criterion:
  // a partial score sheet would weigh criteria differently from one dossier
  // to the next. Sorted, a sheet is a run of exactly one score per criterion.
  for (std::size_t at = 0; at < indexed.size();) {
    const Indexed& first = indexed[at];
    for (std::size_t c = 0; c < cs; ++c, ++at) {
      const bool inSheet = at < indexed.size() && indexed[at].dossier == first.dossier &&
                           indexed[at].juror == first.juror;
      if (!inSheet || indexed[at].criterion > c) {
        return Error::invalidInput("juror \"" + std::string(jurorIds[first.juror]) +
                                   "\" scored dossier \"" + std::string(dossierIds[first.dossier]) +
                                   "\" without criterion \"" + byId[c]->id + "\"");
      }
      if (indexed[at].criterion < c) return Error::invalidInput(describe(indexed[at]) + ": given twice");
    }
    if (at < indexed.size() && indexed[at].dossier == first.dossier &&
        indexed[at].juror == first.juror) {
      return Error::invalidInput(describe(indexed[at]) + ": given twice");
    }
  }

  // Moments per (juror, criterion) and per criterion, pooled.
  std::vector<std::vector<std::uint32_t>> perJuror(js * cs), pooled(cs);
  for (const Indexed& s : indexed) {
    perJuror[s.juror * cs + s.criterion].push_back(s.value);
    pooled[s.criterion].push_back(s.value);
  }
  std::vector<Moments> pooledMoments(cs);
  for (std::size_t c = 0; c < cs; ++c) pooledMoments[c] = moments(pooled[c]);

  Normalisation out;
  out.rule = rule;
  out.minScoresPerJuror = minScoresPerJuror;
  std::vector<Moments> jurorMoments(js * cs);
  std::vector<bool> rescaled(js * cs, false);
  for (std::size_t j = 0; j < js; ++j) {
    for (std::size_t c = 0; c < cs; ++c) {
      const Moments m = moments(perJuror[j * cs + c]);
      if (m.count == 0) continue;
      jurorMoments[j * cs + c] = m;
      JurorStatistics stats{std::string(jurorIds[j]), byId[c]->id, m.count, toMilli(m.mean),
                            toMilli(m.deviation), false, ""};
      if (rule == NormalisationRule::None) {
        stats.fallback = "the rule in force is none: raw scores kept";
      } else if (m.count < minScoresPerJuror) {
        stats.fallback = std::to_string(m.count) + " score" + (m.count == 1 ? "" : "s") +
                         ", under the minimum of " + std::to_string(minScoresPerJuror) +
                         ": raw scores kept";
      } else if (m.deviation == 0) {
        stats.fallback = "every score is " + std::to_string(perJuror[j * cs + c].front()) +
                         ", no deviation: raw scores kept";
      } else {
        stats.normalised = true;
        rescaled[j * cs + c] = true;
      }
      out.statistics.push_back(std::move(stats));
    }
  }

  // Normalised scores, and each dossier's two weighted means.
  std::int64_t weightSum = 0;
  for (const Criterion* c : byId) weightSum += c->weight;
  out.scores.reserve(indexed.size());
  std::size_t at = 0;
  while (at < indexed.size()) {
    const std::size_t dossier = indexed[at].dossier;
    std::int64_t rawSum = 0, normalisedSum = 0;
    std::uint32_t jurors = 0;
    std::size_t lastJuror = js;
    for (; at < indexed.size() && indexed[at].dossier == dossier; ++at) {
      const Indexed& s = indexed[at];
      const Criterion& criterion = *byId[s.criterion];
      std::int64_t normalisedMilli = std::int64_t{s.value} * 1000;
      if (rescaled[s.juror * cs + s.criterion]) {
        const Moments& own = jurorMoments[s.juror * cs + s.criterion];
        const Moments& all = pooledMoments[s.criterion];
        const double value = all.mean + (s.value - own.mean) / own.deviation * all.deviation;
        normalisedMilli = std::clamp(toMilli(value), std::int64_t{criterion.scaleMin} * 1000,
                                     std::int64_t{criterion.scaleMax} * 1000);
      }
      rawSum += std::int64_t{criterion.weight} * s.value * 1000;
      normalisedSum += std::int64_t{criterion.weight} * normalisedMilli;
      if (s.juror != lastJuror) ++jurors, lastJuror = s.juror;
      out.scores.push_back({std::string(dossierIds[s.dossier]), std::string(jurorIds[s.juror]),
                            criterion.id, s.value, normalisedMilli});
    }
    const std::int64_t denominator = std::int64_t{jurors} * weightSum;
    out.dossiers.push_back({std::string(dossierIds[dossier]), jurors,
                            divideHalfUp(rawSum, denominator),
                            divideHalfUp(normalisedSum, denominator)});
  }
  return out;
}

}  // namespace parcours::workflows::judging
