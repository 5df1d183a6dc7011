// The campaign's lifecycle as one table: which campaign command may run at
// which stage of the campaign, and what it says when it may not.
//
// A campaign moves along several tracks at once, each on its own: its
// phase, the draw and scoring round, the selection, the lot's seed, the
// ceremony and the publication. (One linear stage would not be true: the
// selection does not wait for the round, the lot's seed only for the
// phase.) On each track the stages come in one order and never come back,
// since every flag of CampaignState they are read from is only ever set.
//
// Each row of the table says: this command is allowed from this stage to
// that one on this track; before, it is refused with this text, after,
// with that one. A command may have a row on several tracks; the first
// row that refuses it answers. The rows are checked against the code's
// refusals by campaign_lifecycle_test.cc and rendered into docs/workflow.md
// ("The campaign's lifecycle"), which a test keeps equal to the table.
//
// Only the lifecycle is here. Whether the rules call for a step at all
// (jurors_per_dossier, tie_break, ceremony.name, auditions), the command's
// own arguments (a seed, a dossier, a round) and sums (the envelope) stay
// in the decisions, after the table's answer.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"

namespace parcours::workflows::lifecycle {

enum class Track : std::uint8_t { Campaign, Phase, Round, Selection, LotSeed, Ceremony, Publication };

// Every track's stages, track after track, each track's in the order the
// campaign reaches them: a row's bounds compare within their track.
enum class Stage : std::uint8_t {
  // Campaign: whether CampaignOpened is in the stream.
  NotOpened,
  Opened,
  // Phase: the campaign's Phase (PhaseChanged only moves forward).
  Submissions,
  SubmissionsClosed,
  Auditions,
  Deliberation,
  Closed,
  // Round: the juror draw, committed then revealed, and the scoring round
  // over the drawn dossiers, frozen then closed.
  NoSeedCommitted,
  SeedCommitted,
  Drawn,
  RoundFrozen,
  RoundClosed,
  // Selection: SelectionRecorded.
  NoSelection,
  SelectionRecorded,
  // LotSeed: LotSeedCommitted.
  NoLotSeed,
  LotSeedCommitted,
  // Ceremony: CeremonyHeld.
  NoCeremony,
  CeremonyHeld,
  // Publication: LaureatesPublished.
  NotPublished,
  LaureatesPublished,
};

std::string_view trackName(Track track);  // "campaign", "phase", "round", ...
std::string_view stageName(Stage stage);  // "NotOpened", "Submissions", ...

constexpr Stage firstStage(Track track) {
  switch (track) {
    case Track::Campaign: return Stage::NotOpened;
    case Track::Phase: return Stage::Submissions;
    case Track::Round: return Stage::NoSeedCommitted;
    case Track::Selection: return Stage::NoSelection;
    case Track::LotSeed: return Stage::NoLotSeed;
    case Track::Ceremony: return Stage::NoCeremony;
    case Track::Publication: return Stage::NotPublished;
  }
  return Stage::NotOpened;
}
constexpr Stage lastStage(Track track) {
  switch (track) {
    case Track::Campaign: return Stage::Opened;
    case Track::Phase: return Stage::Closed;
    case Track::Round: return Stage::RoundClosed;
    case Track::Selection: return Stage::SelectionRecorded;
    case Track::LotSeed: return Stage::LotSeedCommitted;
    case Track::Ceremony: return Stage::CeremonyHeld;
    case Track::Publication: return Stage::LaureatesPublished;
  }
  return Stage::NotOpened;
}
constexpr Track trackOf(Stage stage) {
  if (stage <= Stage::Opened) return Track::Campaign;
  if (stage <= Stage::Closed) return Track::Phase;
  if (stage <= Stage::RoundClosed) return Track::Round;
  if (stage <= Stage::SelectionRecorded) return Track::Selection;
  if (stage <= Stage::LotSeedCommitted) return Track::LotSeed;
  if (stage <= Stage::CeremonyHeld) return Track::Ceremony;
  return Track::Publication;
}
inline constexpr std::array<Track, 7> tracks = {Track::Campaign,  Track::Phase,    Track::Round,
                                                Track::Selection, Track::LotSeed,  Track::Ceremony,
                                                Track::Publication};

// Where a campaign stands on each track.
struct Stages {
  Stage campaign = Stage::NotOpened;
  Stage phase = Stage::Submissions;
  Stage round = Stage::NoSeedCommitted;
  Stage selection = Stage::NoSelection;
  Stage lotSeed = Stage::NoLotSeed;
  Stage ceremony = Stage::NoCeremony;
  Stage publication = Stage::NotPublished;

  Stage on(Track track) const;
  void set(Stage stage);  // on the stage's own track
};

// The one reading of CampaignState's lifecycle flags.
Stages stagesOf(const CampaignState& state);

// The commands the table knows: the campaign's commands (campaign.h; each
// milestone its own), and the close of a dossier's vote where ties are
// broken by lot, which needs the campaign's lot seed.
enum class CommandKind : std::uint8_t {
  Open,
  AmendRules,
  AppointJury,
  DeclareConflict,
  RuleConflict,
  ChangePhase,
  SetBudgetEnvelope,
  CommitAssignment,
  RevealAssignment,
  ChangeAssignment,
  CloseRound,
  RecordConsensus,
  RecordSelection,
  CommitLotSeed,
  BroadcastAuditions,
  HoldCeremony,
  PublishLaureates,
  CloseVoteByLot,
};
inline constexpr std::size_t commandKindCount = 18;
std::string_view commandKindName(CommandKind kind);  // "Open", "CommitAssignment", ...

// A refusal's class and text. The text's placeholders are filled from the
// campaign: {campaign} (campaign "<id>"), {phase}, {rulesVersion},
// {seedCommitment}, {drawSeed}, {lotSeedCommitment}, {ceremonyAt} and
// {publishedAt} (in the campaign's time zone). Empty: no refusal (the row
// is open on that side).
struct Refusal {
  ErrorCode code = ErrorCode::Internal;
  std::string_view text = {};
};

struct Row {
  CommandKind command;
  Stage from;  // allowed from this stage to `until`, both on one track
  Stage until;
  std::string_view leadsTo;  // where the command moves this track; empty: it stays (documentary)
  Refusal tooEarly;          // at a stage before `from`
  Refusal tooLate;           // at a stage after `until`
};

// Every command but Open needs an opened campaign.
inline constexpr Refusal notOpened{ErrorCode::NotFound, "no {campaign}"};

// clang-format off
inline constexpr std::array table = {
  Row{CommandKind::Open, Stage::NotOpened, Stage::NotOpened, "Opened",
      {},
      {ErrorCode::Conflict, "{campaign} is already open (rules version {rulesVersion}); amend its "
                            "rules instead of opening it again"}},
  Row{CommandKind::ChangePhase, Stage::Submissions, Stage::Deliberation, "the phase named, forward only",
      {},
      {ErrorCode::RefusedByRule, "{campaign} is in phase {phase}; phases only move forward"}},
  // The seed is fixed before anyone sees the list of dossiers.
  Row{CommandKind::CommitAssignment, Stage::SubmissionsClosed, Stage::Closed, "",
      {ErrorCode::RefusedByRule, "submissions to {campaign} are still open: commit the draw's seed "
                                 "once they close, so it is fixed before anyone sees the list of "
                                 "dossiers"},
      {}},
  Row{CommandKind::CommitAssignment, Stage::NoSeedCommitted, Stage::NoSeedCommitted, "SeedCommitted",
      {},
      {ErrorCode::Conflict, "{campaign} already committed to the seed {seedCommitment}"}},
  Row{CommandKind::RevealAssignment, Stage::SeedCommitted, Stage::SeedCommitted, "Drawn",
      {ErrorCode::RefusedByRule, "{campaign} has committed to no seed: commit one first (parcours "
                                 "campaign draw-commit)"},
      {ErrorCode::Conflict, "the jurors of {campaign} were already drawn with seed {drawSeed}"}},
  Row{CommandKind::ChangeAssignment, Stage::Drawn, Stage::Drawn, "",
      {ErrorCode::NotFound, "no jurors were drawn in {campaign}"},
      {ErrorCode::RefusedByRule, "the scoring round of {campaign} is closed: its results are frozen"}},
  // Consensus settles a disagreement the round's close found: it may come
  // between the freeze and the close.
  Row{CommandKind::RecordConsensus, Stage::Drawn, Stage::RoundFrozen, "",
      {ErrorCode::NotFound, "no jurors were drawn in {campaign}"},
      {ErrorCode::RefusedByRule, "the scoring round of {campaign} is closed"}},
  // Two steps: the freeze, then the close over the scores gathered after it.
  Row{CommandKind::CloseRound, Stage::Drawn, Stage::RoundFrozen,
      "RoundFrozen from Drawn, RoundClosed from RoundFrozen",
      {ErrorCode::RefusedByRule, "{campaign} has drawn no jurors: a scoring round is the drawn "
                                 "dossiers"},
      {ErrorCode::Conflict, "the scoring round of {campaign} is already closed"}},
  Row{CommandKind::RecordSelection, Stage::NoSelection, Stage::NoSelection, "SelectionRecorded",
      {},
      {ErrorCode::Conflict, "the selection of {campaign} is already recorded: published results do "
                            "not change silently"}},
  // So nobody can choose the lot's seed knowing the votes.
  Row{CommandKind::CommitLotSeed, Stage::Submissions, Stage::Auditions, "",
      {},
      {ErrorCode::RefusedByRule, "{campaign} is already deliberating: the lot's seed is committed "
                                 "before, so nobody can choose it knowing the votes"}},
  Row{CommandKind::CommitLotSeed, Stage::NoLotSeed, Stage::NoLotSeed, "LotSeedCommitted",
      {},
      {ErrorCode::Conflict, "{campaign} already committed to the lot seed {lotSeedCommitment}"}},
  Row{CommandKind::CloseVoteByLot, Stage::LotSeedCommitted, Stage::LotSeedCommitted, "",
      {ErrorCode::RefusedByRule, "{campaign} breaks ties by lot but has committed to no lot seed: "
                                 "commit one before the votes close"},
      {}},
  Row{CommandKind::HoldCeremony, Stage::NoCeremony, Stage::NoCeremony, "CeremonyHeld",
      {},
      {ErrorCode::Conflict, "the ceremony of {campaign} was already held, at {ceremonyAt}"}},
  Row{CommandKind::PublishLaureates, Stage::Deliberation, Stage::Closed, "",
      {ErrorCode::RefusedByRule, "{campaign} is in phase {phase}: laureates are published once it "
                                 "has deliberated"},
      {}},
  Row{CommandKind::PublishLaureates, Stage::NotPublished, Stage::NotPublished, "LaureatesPublished",
      {},
      {ErrorCode::Conflict, "the laureates of {campaign} were already published, at {publishedAt}"}},
};
// clang-format on

// Whether the command may run at the campaign's stages: the first refusal
// of its rows (notOpened first), its placeholders filled.
Status mayRun(const CampaignState& state, CommandKind kind);

// A refusal's text with its placeholders filled from the campaign.
std::string refusalText(const CampaignState& state, std::string_view text);

// The table as docs/workflow.md shows it, between its markers.
std::string markdown();

}  // namespace parcours::workflows::lifecycle
