// Selection under a budget envelope (see selection.h): validation, the
// declared ranking, the three rules, their explanations and the CSV export.
//
// The exact rule is a 0/1 knapsack solved by dynamic programming over the
// envelope in steps of the amounts' greatest common divisor (whole-euro
// amounts give steps of €1.00 or more, so €500,000 is 500,001 columns). The
// items are folded in reverse rank order, preferring "take" on ties, and the
// choice is read back from rank 1: that yields, among all optimal sets, the
// one that includes the best-ranked dossier possible, then the next.
#include "parcours/workflows/judging/selection.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "parcours/workflows/campaign_rules.h"

namespace parcours::workflows::judging {

// A named namespace around the file's helpers: the library is built as a
// unity build, where every file's anonymous namespace would be one.
namespace selection_detail {
namespace {

// ---- validation ----

Status validateEnvelope(std::int64_t envelopeCents) {
  if (envelopeCents < 0) {
    return Error::invalidInput("the envelope is negative (" + std::to_string(envelopeCents) +
                               " cents); give the amount available, 0 or more");
  }
  if (envelopeCents > centsMax) {
    return Error::invalidInput("the envelope of " + std::to_string(envelopeCents) +
                               " cents is over the largest amount parcours accepts, " +
                               formatEuros(centsMax));
  }
  return okStatus();
}

Status validateCandidate(const SelectionCandidate& c) {
  if (c.dossierId.empty()) {
    return Error::invalidInput(
        "a candidate has an empty dossier id; every candidate names its dossier");
  }
  const std::string who = "dossier " + c.dossierId + ": ";
  if (c.scoreMilli < 0) {
    return Error::invalidInput(who + "score " + std::to_string(c.scoreMilli) +
                               " (x1000) is negative; a score is 0 or more");
  }
  if (c.scoreMilli > selectionScoreMilliMax) {
    return Error::invalidInput(who + "score " + std::to_string(c.scoreMilli) +
                               " (x1000) is over the largest accepted, " +
                               std::to_string(selectionScoreMilliMax));
  }
  if (c.requestedCents <= 0) {
    return Error::invalidInput(who + "the request of " + std::to_string(c.requestedCents) +
                               " cents is not positive; a candidate asks for some money");
  }
  if (c.requestedCents > centsMax) {
    return Error::invalidInput(who + "the request of " + std::to_string(c.requestedCents) +
                               " cents is over the largest amount parcours accepts, " +
                               formatEuros(centsMax));
  }
  return okStatus();
}

// Ids are the tie-break of last resort, so two candidates may not share one.
Status rejectDuplicateIds(const std::vector<SelectionCandidate>& candidates) {
  std::vector<std::string_view> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) ids.push_back(c.dossierId);
  std::sort(ids.begin(), ids.end());
  const auto twice = std::adjacent_find(ids.begin(), ids.end());
  if (twice != ids.end()) {
    return Error::invalidInput(
        "dossier " + std::string(*twice) +
        " appears more than once among the candidates; list each dossier once");
  }
  return okStatus();
}

Status validateInput(const SelectionInput& input) {
  if (auto envelope = validateEnvelope(input.envelopeCents); !envelope) return envelope;
  for (const auto& c : input.candidates) {
    if (auto candidate = validateCandidate(c); !candidate) return candidate;
  }
  return rejectDuplicateIds(input.candidates);
}

// ---- ranking and words ----

// The declared order: score descending, earlier submission, id ascending.
bool ranksBefore(const SelectionCandidate& a, const SelectionCandidate& b) {
  if (a.scoreMilli != b.scoreMilli) return a.scoreMilli > b.scoreMilli;
  if (a.submittedAtMicros != b.submittedAtMicros) return a.submittedAtMicros < b.submittedAtMicros;
  return a.dossierId < b.dossierId;
}

std::vector<SelectionLine> rankedLines(const std::vector<SelectionCandidate>& candidates) {
  std::vector<const SelectionCandidate*> order;
  order.reserve(candidates.size());
  for (const auto& c : candidates) order.push_back(&c);
  std::sort(order.begin(), order.end(),
            [](const auto* a, const auto* b) { return ranksBefore(*a, *b); });
  std::vector<SelectionLine> lines;
  lines.reserve(order.size());
  for (const auto* c : order) {
    SelectionLine line;
    line.rank = static_cast<std::uint32_t>(lines.size() + 1);
    line.dossierId = c->dossierId;
    line.scoreMilli = c->scoreMilli;
    line.requestedCents = c->requestedCents;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string formatScore(std::int64_t scoreMilli) {
  return formatMilli(scoreMilli);  // 7250 is "7.250"
}

// "rank 9, score 6.400, asks €40,000.00": how every explanation starts.
std::string describeDossier(const SelectionLine& line) {
  return "rank " + std::to_string(line.rank) + ", score " + formatScore(line.scoreMilli) +
         ", asks " + formatEuros(line.requestedCents);
}

std::string describeWithLeft(const SelectionLine& line) {
  return describeDossier(line) + ", " + formatEuros(line.leftBeforeCents) + " left";
}

// ---- the rank rules ----

void selectRankLine(SelectionLine& line, std::int64_t& leftCents) {
  line.selected = true;
  leftCents -= line.requestedCents;
  line.explanation = describeWithLeft(line) + " → selected, " + formatEuros(leftCents) + " left";
}

void applyRankSkip(std::vector<SelectionLine>& lines, std::int64_t envelopeCents) {
  std::int64_t leftCents = envelopeCents;
  for (auto& line : lines) {
    line.leftBeforeCents = leftCents;
    if (line.requestedCents <= leftCents) {
      selectRankLine(line, leftCents);
    } else {
      line.explanation = describeWithLeft(line) + " → skipped: it does not fit";
    }
  }
}

void applyRankStop(std::vector<SelectionLine>& lines, std::int64_t envelopeCents) {
  std::int64_t leftCents = envelopeCents;
  std::uint32_t stoppedAtRank = 0;
  for (auto& line : lines) {
    line.leftBeforeCents = leftCents;
    if (stoppedAtRank != 0) {
      line.explanation = describeDossier(line) + " → not selected: selection stopped at rank " +
                         std::to_string(stoppedAtRank);
    } else if (line.requestedCents <= leftCents) {
      selectRankLine(line, leftCents);
    } else {
      stoppedAtRank = line.rank;
      line.explanation = describeWithLeft(line) +
                         " → not selected: it does not fit, and the rule stops at the first that "
                         "does not fit";
    }
  }
}

// ---- the exact rule ----

// A dossier in the knapsack: its line, its request in budget steps, its score.
struct KnapsackItem {
  std::size_t line = 0;
  std::int64_t steps = 0;
  std::int64_t scoreMilli = 0;
};

// The knapsack in budget steps: every amount divided by their common
// divisor, which is exact and shrinks the table (by 100 for whole euros).
struct Knapsack {
  std::vector<KnapsackItem> items;  // in rank order
  std::int64_t stepCents = 1;
  std::int64_t capacitySteps = 0;
};

// Dossiers that alone exceed the envelope can never be chosen: left out.
Knapsack buildKnapsack(const std::vector<SelectionLine>& lines, std::int64_t envelopeCents) {
  Knapsack k;
  std::int64_t divisor = envelopeCents;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].requestedCents > envelopeCents) continue;
    k.items.push_back({i, lines[i].requestedCents, lines[i].scoreMilli});
    divisor = std::gcd(divisor, lines[i].requestedCents);
  }
  if (divisor == 0) return k;  // envelope 0: nothing fits, no items
  k.stepCents = divisor;
  k.capacitySteps = envelopeCents / divisor;
  for (auto& item : k.items) item.steps /= divisor;
  return k;
}

// When every dossier that fits alone also fits together, taking them all is
// the optimum (scores are >= 0) and the preferred one: no table needed.
bool allFitTogether(const Knapsack& k) {
  std::int64_t total = 0;
  for (const auto& item : k.items) {
    total += item.steps;
    if (total > k.capacitySteps) return false;  // before any overflow: each is <= capacity
  }
  return true;
}

Status checkTableSize(const Knapsack& k) {
  const auto items = static_cast<std::uint64_t>(k.items.size());
  const auto columns = static_cast<std::uint64_t>(k.capacitySteps) + 1;
  const bool tooWide = k.capacitySteps > exactSelectionCapacityMax;
  if (!tooWide && items * columns <= exactSelectionTableBitsMax) return okStatus();
  return Error::invalidInput(
      "the exact rule would need a table of " + std::to_string(items) + " dossiers × " +
      std::to_string(columns) + " budget steps of " + formatEuros(k.stepCents) +
      ", over its limits (" + std::to_string(exactSelectionTableBitsMax) +
      " cells, about 500 MB, and " + std::to_string(exactSelectionCapacityMax + 1) +
      " steps); give the requests and the envelope in whole euros (or rounder amounts) so the "
      "step is larger, or use the rank_skip rule");
}

// One row of keep bits per item, packed 64 to a word.
class KeepBits {
 public:
  KeepBits(std::size_t items, std::int64_t capacitySteps)
      : wordsPerItem_(static_cast<std::size_t>(capacitySteps) / 64 + 1),
        words_(items * wordsPerItem_, 0) {}

  std::uint64_t* row(std::size_t item) { return words_.data() + item * wordsPerItem_; }
  bool kept(std::size_t item, std::int64_t steps) const {
    const auto c = static_cast<std::size_t>(steps);
    return (words_[item * wordsPerItem_ + c / 64] >> (c % 64)) & 1U;
  }

 private:
  std::size_t wordsPerItem_;
  std::vector<std::uint64_t> words_;
};

// Folds one item into `best` (best[c]: the best total score of the items
// already folded within c steps), in place from the top, so every read
// (below the step written) still sees the row before this item. Keep bits
// are gathered a 64-step word at a time, in a register. Ties prefer taking
// the item: see the file comment.
void foldItem(std::vector<std::int64_t>& best, const KnapsackItem& item, std::uint64_t* keepRow) {
  const std::int64_t w = item.steps;
  const std::int64_t s = item.scoreMilli;
  const auto top = static_cast<std::int64_t>(best.size()) - 1;
  std::int64_t* row = best.data();
  for (std::int64_t word = top / 64; word >= 0 && word * 64 + 63 >= w; --word) {
    const std::int64_t lo = std::max(word * 64, w);
    std::uint64_t keep = 0;
    for (std::int64_t c = std::min(word * 64 + 63, top); c >= lo; --c) {
      const std::int64_t take = row[c - w] + s;
      const bool taken = take >= row[c];
      row[c] = taken ? take : row[c];
      keep |= std::uint64_t{taken} << (c - word * 64);
    }
    keepRow[word] = keep;  // each word is written once per item
  }
}

// Which items the preferred optimum takes, in the knapsack's (rank) order.
std::vector<bool> solveKnapsack(const Knapsack& k) {
  std::vector<std::int64_t> best(static_cast<std::size_t>(k.capacitySteps) + 1, 0);
  KeepBits keep(k.items.size(), k.capacitySteps);
  for (std::size_t i = k.items.size(); i-- > 0;) foldItem(best, k.items[i], keep.row(i));
  std::vector<bool> taken(k.items.size(), false);
  std::int64_t left = k.capacitySteps;
  for (std::size_t i = 0; i < k.items.size(); ++i) {
    if (!keep.kept(i, left)) continue;
    taken[i] = true;
    left -= k.items[i].steps;
  }
  return taken;
}

Status chooseExact(std::vector<SelectionLine>& lines, std::int64_t envelopeCents) {
  const Knapsack k = buildKnapsack(lines, envelopeCents);
  if (allFitTogether(k)) {
    for (const auto& item : k.items) lines[item.line].selected = true;
    return okStatus();
  }
  if (auto size = checkTableSize(k); !size) return size;
  const std::vector<bool> taken = solveKnapsack(k);
  for (std::size_t i = 0; i < k.items.size(); ++i) lines[k.items[i].line].selected = taken[i];
  return okStatus();
}

std::string explainExactLeftOut(const SelectionLine& line, const std::string& optimum,
                                std::int64_t envelopeCents, std::int64_t unspentCents) {
  const std::string head = describeDossier(line) + " → not selected: ";
  if (line.requestedCents > envelopeCents) {
    return head + "it asks more than the whole envelope of " + formatEuros(envelopeCents);
  }
  if (line.requestedCents > unspentCents) {
    return head + optimum + " leaves it out; it would need " +
           formatEuros(line.requestedCents - unspentCents) + " more than the " +
           formatEuros(unspentCents) + " left unspent";
  }
  // Not reached while ties prefer taking (a fitting dossier would be added),
  // but stated truthfully should that preference ever change.
  return head + optimum + " leaves it out; it would fit in the " + formatEuros(unspentCents) +
         " left unspent but adds no score";
}

Status applyExact(std::vector<SelectionLine>& lines, std::int64_t envelopeCents) {
  if (auto chosen = chooseExact(lines, envelopeCents); !chosen) return chosen;
  std::int64_t spentCents = 0;
  std::int64_t totalScoreMilli = 0;
  for (const auto& line : lines) {
    if (!line.selected) continue;
    spentCents += line.requestedCents;
    totalScoreMilli += line.scoreMilli;
  }
  const std::string optimum = "the best total score (" + formatScore(totalScoreMilli) +
                              ") within " + formatEuros(envelopeCents);
  std::int64_t leftCents = envelopeCents;
  for (auto& line : lines) {
    line.leftBeforeCents = leftCents;
    if (line.selected) {
      leftCents -= line.requestedCents;
      line.explanation = describeDossier(line) + " → selected: part of " + optimum;
    } else {
      line.explanation =
          explainExactLeftOut(line, optimum, envelopeCents, envelopeCents - spentCents);
    }
  }
  return okStatus();
}

void sumSelected(SelectionResult& result) {
  for (const auto& line : result.lines) {
    if (!line.selected) continue;
    result.selectedCents += line.requestedCents;
    result.selectedScoreMilli += line.scoreMilli;
  }
}

// ---- CSV ----

constexpr std::string_view csvLineEnd = "\r\n";  // RFC 4180

// Text a spreadsheet would run as a formula (CSV injection): = + - @, and
// tab or CR, which some spreadsheets strip before looking.
bool looksLikeFormula(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r';
}

// A text field, neutralised then quoted when it holds a comma, quote or
// line break. (views/csv.cc has the same helper, but it is in
// parcours_views, which this pure library does not link.)
std::string csvTextField(std::string_view text) {
  std::string field;
  if (looksLikeFormula(text)) field += '\'';
  field.append(text);
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char ch : field) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  quoted += '"';
  return quoted;
}

std::string csvRow(const SelectionLine& line) {
  return std::to_string(line.rank) + "," + csvTextField(line.dossierId) + "," +
         formatScore(line.scoreMilli) + "," + formatPlainEuros(line.requestedCents) + "," +
         (line.selected ? "yes" : "no") + "," + formatPlainEuros(line.leftBeforeCents) + "," +
         csvTextField(line.explanation) + std::string(csvLineEnd);
}

}  // namespace
}  // namespace selection_detail

Result<SelectionResult> selectWithinBudget(const SelectionInput& input) {
  namespace detail = selection_detail;
  if (auto valid = detail::validateInput(input); !valid) return std::move(valid).takeError();
  SelectionResult result;
  result.rule = input.rule;
  result.envelopeCents = input.envelopeCents;
  result.lines = detail::rankedLines(input.candidates);
  switch (input.rule) {
    case SelectionRule::RankStop:
      detail::applyRankStop(result.lines, input.envelopeCents);
      break;
    case SelectionRule::RankSkip:
      detail::applyRankSkip(result.lines, input.envelopeCents);
      break;
    case SelectionRule::Exact:
      if (auto exact = detail::applyExact(result.lines, input.envelopeCents); !exact) {
        return std::move(exact).takeError();
      }
      break;
  }
  detail::sumSelected(result);
  return result;
}

std::string selectionCsv(const SelectionResult& result) {
  std::string csv = "rank,dossier_id,score,requested_eur,selected,left_before_eur,explanation" +
                    std::string(selection_detail::csvLineEnd);
  for (const auto& line : result.lines) csv += selection_detail::csvRow(line);
  return csv;
}

}  // namespace parcours::workflows::judging
