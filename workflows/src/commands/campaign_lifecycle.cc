// The campaign's lifecycle table (campaign_lifecycle.h): the stages read
// from CampaignState, the table's answer for a command, and its Markdown.
#include "parcours/workflows/campaign_lifecycle.h"

#include <optional>

#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows::lifecycle {

// The table's shape, checked where it is compiled: a row's bounds on one
// track, a refusal exactly where the row leaves stages out, and at most one
// row per command and track (so each refused stage has one text).
constexpr bool rowsWellFormed() {
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Row& r = table[i];
    const Track track = trackOf(r.from);
    if (trackOf(r.until) != track || r.until < r.from) return false;
    if ((r.from == firstStage(track)) != r.tooEarly.text.empty()) return false;
    if ((r.until == lastStage(track)) != r.tooLate.text.empty()) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (table[j].command == r.command && trackOf(table[j].from) == track) return false;
    }
    // Open is the one command allowed before the campaign exists, and the
    // only row on that track.
    if ((track == Track::Campaign) != (r.command == CommandKind::Open)) return false;
  }
  return true;
}
static_assert(rowsWellFormed(), "a lifecycle row is malformed (see rowsWellFormed)");

std::string_view trackName(Track track) {
  switch (track) {
    case Track::Campaign: return "campaign";
    case Track::Phase: return "phase";
    case Track::Round: return "round";
    case Track::Selection: return "selection";
    case Track::LotSeed: return "lot seed";
    case Track::Ceremony: return "ceremony";
    case Track::Publication: return "publication";
  }
  return "?";
}

std::string_view stageName(Stage stage) {
  static constexpr std::array<std::string_view, 20> names = {
      "NotOpened",    "Opened",           "Submissions",  "SubmissionsClosed",
      "Auditions",    "Deliberation",     "Closed",       "NoSeedCommitted",
      "SeedCommitted", "Drawn",           "RoundFrozen",  "RoundClosed",
      "NoSelection",  "SelectionRecorded", "NoLotSeed",   "LotSeedCommitted",
      "NoCeremony",   "CeremonyHeld",     "NotPublished", "LaureatesPublished"};
  static_assert(names.size() == static_cast<std::size_t>(Stage::LaureatesPublished) + 1);
  const auto i = static_cast<std::size_t>(stage);
  return i < names.size() ? names[i] : "?";
}

std::string_view commandKindName(CommandKind kind) {
  static constexpr std::array<std::string_view, commandKindCount> names = {
      "Open",           "AmendRules",       "AppointJury",      "DeclareConflict",
      "RuleConflict",   "ChangePhase",      "SetBudgetEnvelope", "CommitAssignment",
      "RevealAssignment", "ChangeAssignment", "CloseRound",     "RecordConsensus",
      "RecordSelection", "CommitLotSeed",   "BroadcastAuditions", "HoldCeremony",
      "PublishLaureates", "CloseVoteByLot"};
  static_assert(commandKindCount == static_cast<std::size_t>(CommandKind::CloseVoteByLot) + 1);
  const auto i = static_cast<std::size_t>(kind);
  return i < names.size() ? names[i] : "?";
}

Stage Stages::on(Track track) const {
  switch (track) {
    case Track::Campaign: return campaign;
    case Track::Phase: return phase;
    case Track::Round: return round;
    case Track::Selection: return selection;
    case Track::LotSeed: return lotSeed;
    case Track::Ceremony: return ceremony;
    case Track::Publication: return publication;
  }
  return campaign;
}

void Stages::set(Stage stage) {
  switch (trackOf(stage)) {
    case Track::Campaign: campaign = stage; break;
    case Track::Phase: phase = stage; break;
    case Track::Round: round = stage; break;
    case Track::Selection: selection = stage; break;
    case Track::LotSeed: lotSeed = stage; break;
    case Track::Ceremony: ceremony = stage; break;
    case Track::Publication: publication = stage; break;
  }
}

Stages stagesOf(const CampaignState& state) {
  Stages s;
  s.campaign = state.exists ? Stage::Opened : Stage::NotOpened;
  switch (state.phase) {
    case Phase::Submissions: s.phase = Stage::Submissions; break;
    case Phase::SubmissionsClosed: s.phase = Stage::SubmissionsClosed; break;
    case Phase::Auditions: s.phase = Stage::Auditions; break;
    case Phase::Deliberation: s.phase = Stage::Deliberation; break;
    case Phase::Closed: s.phase = Stage::Closed; break;
  }
  // The furthest flag set wins: ScoringRoundClosed sets roundFrozen too, a
  // round is only closed over a draw, a draw only revealed over a commitment.
  s.round = state.roundClosed            ? Stage::RoundClosed
            : state.roundFrozen          ? Stage::RoundFrozen
            : state.draw                 ? Stage::Drawn
            : state.assignmentCommitment ? Stage::SeedCommitted
                                         : Stage::NoSeedCommitted;
  s.selection = state.selection ? Stage::SelectionRecorded : Stage::NoSelection;
  s.lotSeed = state.lotSeedCommitment.empty() ? Stage::NoLotSeed : Stage::LotSeedCommitted;
  s.ceremony = state.ceremonyAtMicros ? Stage::CeremonyHeld : Stage::NoCeremony;
  s.publication = state.publishedAtMicros ? Stage::LaureatesPublished : Stage::NotPublished;
  return s;
}

namespace {

std::string lifecyclePlaceholder(const CampaignState& state, std::string_view name) {
  const std::string zone = state.rulesVersions.empty() ? std::string() : state.rules().timeZone;
  const auto at = [&](const std::optional<std::int64_t>& micros) {
    return micros ? formatInZone(*micros, zone) : std::string();
  };
  if (name == "campaign") return "campaign \"" + state.campaignId + "\"";
  if (name == "phase") return std::string(phaseName(state.phase));
  if (name == "rulesVersion") return std::to_string(state.rulesVersion());
  if (name == "seedCommitment") {
    return state.assignmentCommitment ? state.assignmentCommitment->seedCommitment : std::string();
  }
  if (name == "drawSeed") return state.draw ? state.draw->seed : std::string();
  if (name == "lotSeedCommitment") return state.lotSeedCommitment;
  if (name == "ceremonyAt") return at(state.ceremonyAtMicros);
  if (name == "publishedAt") return at(state.publishedAtMicros);
  return "{" + std::string(name) + "}";  // unknown: left as written (the test finds it)
}

Error lifecycleRefusal(const CampaignState& state, const Refusal& refusal) {
  return Error{refusal.code, refusalText(state, refusal.text)};
}

}  // namespace

std::string refusalText(const CampaignState& state, std::string_view text) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out += text.substr(at, open - at);
    out += lifecyclePlaceholder(state, text.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  if (at < text.size()) out += text.substr(at);
  return out;
}

Status mayRun(const CampaignState& state, CommandKind kind) {
  const Stages stages = stagesOf(state);
  if (kind != CommandKind::Open && stages.campaign == Stage::NotOpened) {
    return lifecycleRefusal(state, notOpened);
  }
  for (const Row& row : table) {
    if (row.command != kind) continue;
    const Stage at = stages.on(trackOf(row.from));
    if (at < row.from) return lifecycleRefusal(state, row.tooEarly);
    if (at > row.until) return lifecycleRefusal(state, row.tooLate);
  }
  return okStatus();
}

namespace {

std::string lifecycleStageList(Stage from, Stage until) {
  std::string out;
  for (auto s = static_cast<int>(from); s <= static_cast<int>(until); ++s) {
    out += (out.empty() ? "`" : ", `") + std::string(stageName(static_cast<Stage>(s))) + "`";
  }
  return out;
}

std::string lifecycleRefusalCell(const Refusal& refusal) {
  if (refusal.text.empty()) return "—";
  return "*" + std::string(refusal.text) + "* (" + std::to_string(exitCodeFor(refusal.code)) + ")";
}

}  // namespace

std::string markdown() {
  std::string md =
      "<!-- Generated from workflows/include/parcours/workflows/campaign_lifecycle.h: edit the "
      "table there, then copy the text CampaignLifecycle.TheDocShowsTheTable prints. -->\n\n";
  md += "| track | its stages, in order |\n|---|---|\n";
  for (Track t : tracks) {
    md += "| " + std::string(trackName(t)) + " | " + lifecycleStageList(firstStage(t), lastStage(t)) +
          " |\n";
  }
  md += "\n| command | track | allowed in | leads to | refused before (exit code) | refused after "
        "(exit code) |\n|---|---|---|---|---|---|\n";
  for (const Row& r : table) {
    md += "| `" + std::string(commandKindName(r.command)) + "` | " +
          std::string(trackName(trackOf(r.from))) + " | " + lifecycleStageList(r.from, r.until) +
          " | " + (r.leadsTo.empty() ? std::string("—") : std::string(r.leadsTo)) + " | " +
          lifecycleRefusalCell(r.tooEarly) + " | " + lifecycleRefusalCell(r.tooLate) + " |\n";
  }
  md += "\nEvery command but `Open` is refused in `NotOpened`: " + lifecycleRefusalCell(notOpened) +
        ".";
  std::string free;
  for (std::size_t k = 0; k < commandKindCount; ++k) {
    const auto kind = static_cast<CommandKind>(k);
    bool listed = false;
    for (const Row& r : table) listed = listed || r.command == kind;
    if (!listed) free += (free.empty() ? "`" : ", `") + std::string(commandKindName(kind)) + "`";
  }
  if (!free.empty()) md += " No row, so allowed at every stage of an opened campaign: " + free + ".";
  md += "\n";
  return md;
}

}  // namespace parcours::workflows::lifecycle
