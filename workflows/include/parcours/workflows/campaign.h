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
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::workflows {

enum class JuryRole : std::uint8_t { Juror, ElectedOfficial };
std::string_view juryRoleName(JuryRole role);  // "juror", "elected_official"
std::optional<JuryRole> parseJuryRole(std::string_view name);

struct JuryMember {
  std::string id;
  std::string name;
  JuryRole role = JuryRole::Juror;
};

// A jury file: {"members": [{"id": "j1", "name": "Camille Exemple",
// "role": "juror" | "elected_official"}, ...]}. Errors name the path
// (`members[1].role: ...`).
Result<std::vector<JuryMember>> parseJury(std::string_view json);

enum class Phase : std::uint8_t { Submissions, SubmissionsClosed, Auditions, Deliberation, Closed };
// "submissions", "submissions_closed", "auditions", "deliberation", "closed"
std::string_view phaseName(Phase phase);
std::optional<Phase> parsePhase(std::string_view name);

struct CampaignState {
  bool exists = false;
  std::string campaignId;
  std::vector<CampaignRules> rulesVersions;  // version v is rulesVersions[v - 1]
  std::vector<JuryMember> jury;
  std::set<std::pair<std::string, std::string>> conflicts;  // (juror id, dossier id)
  Phase phase = Phase::Submissions;
  std::int64_t envelopeCents = 0;
  std::int64_t grantedCents = 0;
  std::uint64_t version = 0;  // events folded

  std::uint32_t rulesVersion() const { return static_cast<std::uint32_t>(rulesVersions.size()); }
  // The rules in force. Only on an existing campaign.
  const CampaignRules& rules() const { return rulesVersions.back(); }
  const JuryMember* member(std::string_view id) const;
  bool recused(std::string_view jurorId, std::string_view dossierId) const;
  // Appointed jurors not recused from the dossier: who must score it.
  std::vector<const JuryMember*> scorers(std::string_view dossierId) const;
  // Members of the voting body not recused from the dossier.
  std::vector<const JuryMember*> voters(std::string_view dossierId) const;
};

Status applyCampaignEvent(CampaignState& state, std::string_view eventType,
                          std::string_view payload);

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
struct DeclareConflict {
  std::string jurorId;
  std::string dossierId;
};
struct ChangePhase {
  Phase phase = Phase::Submissions;
};
struct SetBudgetEnvelope {
  std::int64_t envelopeCents = 0;
};
}  // namespace campaign_command

using CampaignCommand =
    std::variant<campaign_command::Open, campaign_command::AmendRules,
                 campaign_command::AppointJury, campaign_command::DeclareConflict,
                 campaign_command::ChangePhase, campaign_command::SetBudgetEnvelope>;

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
