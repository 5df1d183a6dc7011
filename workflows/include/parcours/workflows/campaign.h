// A campaign: a call for applications, its own stream "campaign-<id>".
//
// The campaign stream holds the rules and their amendments (each a new rules
// version), the jury, declared conflicts of interest, phase changes, the
// budget envelope and every funding commitment, so the envelope check of a
// grant and the grant itself are one atomic append to the dossier and the
// campaign streams.
//
// C++17 on purpose: the Boost.MSM translation unit includes this header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/timer_record.h"

namespace parcours::workflows {

enum class JuryRole : std::uint8_t { Juror, ElectedOfficial };
std::string_view juryRoleName(JuryRole role);  // "juror", "elected_official"
std::optional<JuryRole> parseJuryRole(std::string_view name);

struct JuryMember {
  std::string id;
  std::string name;
  JuryRole role = JuryRole::Juror;
  // Tags the draw matches with a dossier's strands when the rules require
  // expertise (judging.assignment.expertise).
  std::vector<std::string> expertise = {};
};

// A jury file: {"members": [{"id": "j1", "name": "Camille Exemple",
// "role": "juror" | "elected_official", "expertise": ["1", "3"]}, ...]}
// (expertise optional). Errors name the path
// (`members[1].role: ...`).
Result<std::vector<JuryMember>> parseJury(std::string_view json);

enum class Phase : std::uint8_t { Submissions, SubmissionsClosed, Auditions, Deliberation, Closed };
// "submissions", "submissions_closed", "auditions", "deliberation", "closed"
std::string_view phaseName(Phase phase);
std::optional<Phase> parsePhase(std::string_view name);

enum class ConflictStatus : std::uint8_t { Pending, Upheld, Dismissed };
enum class ConflictSource : std::uint8_t { Juror, Administrator };
std::string_view conflictStatusName(ConflictStatus status);  // "pending", "upheld", "dismissed"

struct ConflictRecord {
  ConflictStatus status = ConflictStatus::Pending;
  ConflictSource declaredBy = ConflictSource::Administrator;
};

// What a campaign committed to before its draw (AssignmentCommitted).
struct AssignmentCommitment {
  std::uint32_t algorithmVersion = 0;
  std::uint32_t jurorsPerDossier = 0;
  bool expertiseRequired = false;
  std::string seedCommitment;  // hex SHA-256 of the seed
};

// The seed revealed and the draw recorded (AssignmentDrawn, all parts).
struct DrawRecord {
  std::string seed;
  std::string inputsHash;
  std::uint32_t dossierCount = 0;
  std::uint32_t partsFolded = 0;
  std::uint32_t parts = 0;
};

// A dossier's means as the closed round recorded them.
struct RoundMeans {
  std::uint32_t jurors = 0;
  std::int64_t rawMeanMilli = 0;
  std::int64_t normalisedMeanMilli = 0;
};


struct CampaignState {
  bool exists = false;
  std::string campaignId;
  std::vector<CampaignRules> rulesVersions;  // version v is rulesVersions[v - 1]
  std::vector<JuryMember> jury;
  std::map<std::pair<std::string, std::string>, ConflictRecord> conflicts;  // (juror, dossier)
  Phase phase = Phase::Submissions;
  std::int64_t envelopeCents = 0;
  std::int64_t grantedCents = 0;
  // Fair judging (docs/judging.md).
  std::optional<AssignmentCommitment> assignmentCommitment;
  std::optional<DrawRecord> draw;
  std::map<std::string, std::vector<std::string>> assignments;  // dossier -> jurors, sorted
  bool roundFrozen = false;  // no score is accepted (ScoringRoundFrozen, or closed)
  bool roundClosed = false;
  std::map<std::string, RoundMeans> roundMeans;  // by dossier, once the round closed
  std::map<std::string, std::uint32_t> consensus;  // dossier -> spread when recorded
  std::optional<std::map<std::string, bool>> selection;  // dossier -> selected, once recorded
  std::string lotSeedCommitment;  // hex SHA-256, once committed
  // The campaign's milestones, when each was recorded (µs since epoch).
  std::map<std::string, std::int64_t> broadcasts;  // round id -> AuditionsBroadcast
  std::optional<std::int64_t> ceremonyAtMicros;    // CeremonyHeld
  std::optional<std::int64_t> publishedAtMicros;   // LaureatesPublished
  TimerMap timers;  // by id, ended ones too
  // The last accepted instant of a submission: the deadline of the rules
  // last opened or amended, or, when the deadline's timer was moved since,
  // the second before its new due instant. The campaigns view follows the
  // same events (views/campaign_projection.cc), so both always agree.
  std::int64_t deadlineMicros = 0;
  std::uint64_t version = 0;  // events folded

  std::uint32_t rulesVersion() const { return static_cast<std::uint32_t>(rulesVersions.size()); }
  // The rules in force. Only on an existing campaign.
  const CampaignRules& rules() const { return rulesVersions.back(); }
  const JuryMember* member(std::string_view id) const;
  // The conflict of the juror with the dossier, if one was declared.
  const ConflictRecord* conflict(std::string_view jurorId, std::string_view dossierId) const;
  // An upheld conflict: out of the dossier's scoring, deliberation and quorum.
  bool recused(std::string_view jurorId, std::string_view dossierId) const;
  // A declared conflict not ruled yet: the juror may neither score nor vote
  // on the dossier until an administrator rules.
  bool conflictPending(std::string_view jurorId, std::string_view dossierId) const;
  // The jurors whose conflict with the dossier awaits a ruling: they hold
  // its scoring's close, its vote's close and the round's close.
  std::vector<std::string> pendingConflictsOn(std::string_view dossierId) const;
  // Whether the dossier's jurors were drawn (an assignment exists for it).
  bool drawn(std::string_view dossierId) const;
  // Who must score the dossier: its drawn jurors, or, with no draw, every
  // appointed juror; without those recused.
  std::vector<const JuryMember*> scorers(std::string_view dossierId) const;
  // Members of the voting body not recused from the dossier.
  std::vector<const JuryMember*> voters(std::string_view dossierId) const;
  // The timer with that id, in any status; null when the stream has none.
  const TimerRecord* timer(std::string_view timerId) const;
  // The pending timer doing `action`, if any.
  const TimerRecord* pendingTimer(TimerAction action) const;
  // The last accepted instant of a submission (deadlineMicros above).
  std::int64_t submissionDeadlineMicros() const { return deadlineMicros; }
  // Whether a submission (or a draft's save) at `nowMicros` is in time.
  // Deadlines are written to the second ("23:59:59"): the whole of that
  // second is in time, so the instant is compared to the second.
  bool submissionInTime(std::int64_t nowMicros) const;
};

// `recordedAtMicros`: the event's recorded time, which the milestones keep.
Status applyCampaignEvent(CampaignState& state, std::string_view eventType,
                          std::string_view payload, std::int64_t recordedAtMicros);

namespace campaign_command {
struct Open {
  CampaignDefinition definition;
};
struct AmendRules {
  CampaignRules rules;
};
struct AppointJury {
  std::vector<JuryMember> members;
};
// A link declared by the juror (before seeing the full dossier) or recorded
// by an administrator: pending until ruled.
struct DeclareConflict {
  std::string jurorId;
  std::string dossierId;
  ConflictSource declaredBy = ConflictSource::Administrator;
};
// Upheld: the juror leaves the dossier's scoring, deliberation and quorum,
// and, when jurors were drawn, a replacement is drawn. Dismissed: the juror
// stays. The reason is required.
struct RuleConflict {
  std::string jurorId;
  std::string dossierId;
  bool upheld = true;
  std::vector<std::string> dossierTags;  // filled by the workflow service, for the replacement
};
// When submissions have closed: records the draw's algorithm version, the
// rules' constraints and the seed's commitment (hex SHA-256).
struct CommitAssignment {
  std::string seedCommitment;
};
// Reveals the seed and records the draw over the dossiers (with their
// strands as tags), under the conflicts declared and not dismissed so far.
struct RevealAssignment {
  std::string seed;
  // Empty: every dossier of the campaign still being judged (submitted,
  // eligible, auditioned), found by the workflow service.
  std::vector<std::string> dossierIds;
  bool everySubmitted = false;  // set by the workflow service with that list
  std::vector<std::vector<std::string>> dossierTags;  // filled by the workflow service
};
// A manual change after the draw, with its reason.
struct ChangeAssignment {
  std::string dossierId;
  std::string removeJurorId;  // empty: only add
  std::string addJurorId;     // empty: only remove
};
// Closes the scoring round: normalises the drawn dossiers' scores under the
// rule in force. The workflow service gathers the scores.
struct CloseRound {
  struct Sheet {
    std::string dossierId;
    std::string jurorId;
    std::vector<std::pair<std::string, std::uint32_t>> scores;  // criterion id, value
  };
  // Filled by the workflow service: the round's dossiers (drawn, still
  // being judged) and their scorers' last sheets.
  std::vector<std::string> dossierIds;
  std::vector<Sheet> sheets;
};
// Records that the jurors of a dossier in disagreement reached a consensus.
struct RecordConsensus {
  std::string dossierId;
  std::uint32_t spreadMilli = 0;  // filled by the workflow service
};
// Runs the selection rule in force over the dossiers carried by the vote.
struct RecordSelection {
  // A dry run before the vote: the dossiers awaiting it count as carried.
  // Never recorded (RecordSelection refuses it).
  bool beforeTheVote = false;
  struct Candidate {
    std::string dossierId;
    std::int64_t scoreMilli = 0;
    std::int64_t requestedCents = 0;
    std::int64_t submittedAtMicros = 0;
  };
  std::vector<Candidate> candidates;  // filled by the workflow service
  // With no draw, the campaign's dossiers to consider (the drawn dossiers
  // otherwise): filled by the workflow service, every dossier submitted.
  std::vector<std::string> dossierIds = {};
};
// Before a vote a lot may decide: the lot seed's commitment.
struct CommitLotSeed {
  std::string seedCommitment;
};
struct ChangePhase {
  Phase phase = Phase::Submissions;
};
// A milestone of the call recorded as it happens: a round's auditions
// broadcast (after the round's window), the ceremony where labels are
// handed out, the publication of the laureates. Each once.
enum class Milestone : std::uint8_t { AuditionsBroadcast, CeremonyHeld, LaureatesPublished };
struct RecordMilestone {
  Milestone milestone = Milestone::LaureatesPublished;
  std::string roundId = {};  // a broadcast's round (empty: the single round)
  std::string where = {};    // a broadcast's or the ceremony's place
  std::string url = {};      // a broadcast's or the publication's address
  std::int64_t atMicros = 0;  // filled by the workflow service: the decision's time
};
struct SetBudgetEnvelope {
  std::int64_t envelopeCents = 0;
};
}  // namespace campaign_command

using CampaignCommand =
    std::variant<campaign_command::Open, campaign_command::AmendRules,
                 campaign_command::AppointJury, campaign_command::DeclareConflict,
                 campaign_command::ChangePhase, campaign_command::SetBudgetEnvelope,
                 campaign_command::RuleConflict, campaign_command::CommitAssignment,
                 campaign_command::RevealAssignment, campaign_command::ChangeAssignment,
                 campaign_command::CloseRound, campaign_command::RecordConsensus,
                 campaign_command::RecordSelection, campaign_command::CommitLotSeed,
                 campaign_command::RecordMilestone>;

// An event about to be appended (type and Cap'n Proto payload). The store's
// NewEvent, without the store's C++20 header.
struct DomainEvent {
  std::string type;
  std::string payload;
};

// Decides a campaign command: the events it yields, or a refusal that says
// which rule refused. `reason` is recorded in the events.
Result<std::vector<DomainEvent>> decideCampaign(const CampaignState& state,
                                                const CampaignCommand& command,
                                                std::string_view reason);

}  // namespace parcours::workflows
