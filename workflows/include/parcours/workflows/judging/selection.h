// Selection under a budget envelope: which scored dossiers are funded.
//
// Once the jury's scores are final, the campaign funds dossiers within its
// envelope. The rule is a choice the campaign declares, and each gives a
// different answer on the same scores, so parcours computes all three the
// same way and explains every line:
//
//   rank_stop  walk the ranking; stop at the first dossier that does not fit.
//   rank_skip  walk the ranking; skip what does not fit and go on.
//   exact      the largest total score whose requests fit in the envelope
//              (a 0/1 knapsack, solved exactly by dynamic programming).
//
// The ranking is declared and total: score descending, then earlier
// submission, then dossier id ascending. Among several exact optima the one
// kept includes the best-ranked dossier it can, then the next, and so on
// (the lexicographically greatest inclusion vector in rank order), so the
// answer never depends on the order the candidates were given in.
//
// Pure and deterministic: the same input gives the same result, byte for
// byte, so an auditor can replay it; selectionCsv exports it for outside
// checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/judging/judging_rules.h"

namespace parcours::workflows::judging {

// SelectionRule (rank_stop, rank_skip, exact), selectionRuleName and
// parseSelectionRule live in judging_rules.h: the rule is part of the
// campaign's recorded rules.

// The highest score accepted (x1000): the top of any criterion scale a
// campaign can declare (a uint32), so sums over many dossiers stay far from
// int64 overflow.
inline constexpr std::int64_t selectionScoreMilliMax = 4'294'967'295'000;

// The exact rule's table of keep bits: dossiers x (capacity + 1). Over this,
// the table would take more than ~500 MB and the rule refuses.
inline constexpr std::uint64_t exactSelectionTableBitsMax = 4'000'000'000;

// The exact rule's capacity (envelope / common divisor of the amounts) above
// which its one row of running best totals (8 bytes each) is refused: 256 MB.
inline constexpr std::int64_t exactSelectionCapacityMax = 33'554'431;

struct SelectionCandidate {
  std::string dossierId;
  std::int64_t scoreMilli = 0;         // the dossier's score (weighted mean x1000), >= 0
  std::int64_t requestedCents = 0;     // what it asks, > 0
  std::int64_t submittedAtMicros = 0;  // for the rank's tie-break
};

struct SelectionInput {
  SelectionRule rule = SelectionRule::RankSkip;
  std::int64_t envelopeCents = 0;              // what is available to select within, >= 0
  std::vector<SelectionCandidate> candidates;  // any order
};

struct SelectionLine {
  std::uint32_t rank = 0;  // 1-based
  std::string dossierId;
  std::int64_t scoreMilli = 0;
  std::int64_t requestedCents = 0;
  bool selected = false;
  // Envelope left when this dossier was considered (rank rules); for exact:
  // left after the dossiers of better rank in the optimum.
  std::int64_t leftBeforeCents = 0;
  std::string explanation;  // one sentence, for the people the decision concerns
};

struct SelectionResult {
  SelectionRule rule = SelectionRule::RankSkip;
  std::int64_t envelopeCents = 0;
  std::int64_t selectedCents = 0;       // sum requested of the selected
  std::int64_t selectedScoreMilli = 0;  // sum of scores of the selected
  std::vector<SelectionLine> lines;     // one per candidate, in rank order
};

// Ranks the candidates (score descending; equal scores: earlier submission
// first; then dossier id ascending — the declared, deterministic order) and
// selects under the rule. InvalidInput (naming the dossier) for an empty id,
// a negative score or one over selectionScoreMilliMax, a request <= 0 or over
// centsMax, duplicate ids, and for an envelope that is negative or over
// centsMax; InvalidInput too when the exact rule's table would be too large
// (over exactSelectionTableBitsMax bits or exactSelectionCapacityMax),
// saying how large and what to do.
Result<SelectionResult> selectWithinBudget(const SelectionInput& input);

// The ranked list and outcome as CSV for outside checks (RFC 4180, CRLF line
// ends), header row:
//   rank,dossier_id,score,requested_eur,selected,left_before_eur,explanation
// score with three decimals ("7.250"), euros with two ("80000.00"), no
// thousands separators, selected "yes" or "no". Fields that need it are
// quoted, and a text field starting with = + - @, tab or CR gets a leading
// apostrophe so that no spreadsheet runs it as a formula.
std::string selectionCsv(const SelectionResult& result);

}  // namespace parcours::workflows::judging
