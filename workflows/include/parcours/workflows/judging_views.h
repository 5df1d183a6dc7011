// What administrators and auditors read of a campaign's judging: each
// juror's assignments and progress ("2/4 scored"), the conflicts and their
// rulings, the raw and normalised leaderboard, the recorded normalisation
// and selection with its explanations, and each vote's minutes.
//
// Folded on demand from the log (the campaign's stream and its drawn
// dossiers' streams), so they are always rebuildable from it: nothing here
// is stored. A campaign of n drawn dossiers costs n + 1 stream reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parcours/store/event_log.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/deliberation.h"
#include "parcours/workflows/judging/normalisation.h"
#include "parcours/workflows/judging/selection.h"

namespace parcours::workflows {

struct JurorProgress {
  std::string jurorId;
  std::string name;
  std::vector<std::string> dossiers;  // drawn for, still being judged or scored
  std::uint32_t scored = 0;           // of those, how many they scored
};

struct ConflictLine {
  std::string jurorId;
  std::string dossierId;
  ConflictStatus status = ConflictStatus::Pending;
  ConflictSource declaredBy = ConflictSource::Administrator;
};

struct LeaderboardLine {
  std::uint32_t rank = 0;  // by normalised mean once the round closed, else raw
  std::string dossierId;
  std::string title;
  DossierStatus status = DossierStatus::Absent;
  std::uint32_t jurors = 0;  // who scored it
  std::int64_t rawMeanMilli = 0;
  std::optional<std::int64_t> normalisedMeanMilli;  // once the round closed
  std::uint32_t spreadMilli = 0;  // jurors' weighted means, largest - smallest
  bool disagreement = false;      // spread past the rules' limit
  bool consensus = false;         // a consensus was recorded for it
};

// The draw re-run from what the log holds, by this build: what an auditor
// re-runs with any implementation of docs/judging.md.
struct DrawCheck {
  std::string canonicalInputs;  // the text the inputs hash is taken over
  bool inputsHashMatches = false;  // its SHA-256 is the recorded inputs hash
  bool rerunMatches = false;       // the recorded seed over these inputs gives the recorded draw
  std::vector<judging::DossierAssignment> recorded;  // as AssignmentDrawn recorded it
};

struct JudgingOverview {
  std::string campaignId;
  std::string campaignName;
  judging::JudgingRules rules;
  std::optional<AssignmentCommitment> commitment;
  std::optional<DrawRecord> draw;
  std::optional<DrawCheck> drawCheck;  // once drawn
  bool roundClosed = false;
  std::vector<JurorProgress> jurors;
  std::vector<ConflictLine> conflicts;
  std::vector<LeaderboardLine> leaderboard;
  std::vector<judging::JurorStatistics> statistics;  // the round's, once closed
  std::optional<judging::SelectionResult> selection;  // as recorded
};

// NotFound for an unknown campaign.
Result<JudgingOverview> judgingOverview(const store::EventLog& log, const std::string& campaignId);

// The minutes (procès-verbal) of the vote on a dossier, from its recorded
// votes and VoteClosed, under the rules and jury in force then, recounted
// by the same tally (a recount that disagrees with the record is
// Corruption). NotFound for an unknown dossier; RefusedByRule when its vote
// has not closed.
Result<std::string> voteMinutes(const store::EventLog& log, const std::string& dossierId,
                                judging::Language language);

}  // namespace parcours::workflows
