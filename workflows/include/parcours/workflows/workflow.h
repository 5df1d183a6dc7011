// The workflow service: the one way commands reach the log.
//
// A dossier command loads the dossier's stream and its campaign's stream,
// lets the dossier machine decide under the rules in force, and appends
// what it yields with the expected version of every stream it read and
// writes; a grant writes the dossier and the campaign streams in one atomic
// append, so concurrent grants can never pass the envelope. On a version
// conflict the command is decided again (engine::runCommand). A refused
// command writes nothing. A command id makes a command idempotent.
#pragma once

#include <memory>
#include <string>

#include "parcours/engine/aggregate.h"
#include "parcours/engine/clock.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

// Who asks and why, and the ids that make the command idempotent.
struct CommandContext {
  engine::CommandMetadata metadata;  // command id, actor, correlation, causation
  std::string reason;                // recorded in the events
};

class Workflow {
 public:
  Workflow(store::EventLog& log, const engine::Clock& clock);
  ~Workflow();

  Result<store::AppendResult> campaign(const std::string& campaignId,
                                       const CampaignCommand& command,
                                       const CommandContext& context);
  Result<store::AppendResult> dossier(const std::string& dossierId, const DossierCommand& command,
                                      const CommandContext& context);

  // The folded streams. NotFound when the stream does not exist.
  Result<CampaignState> loadCampaign(const std::string& campaignId) const;
  Result<DossierState> loadDossier(const std::string& dossierId) const;

 private:
  class CampaignCache;
  store::EventLog& log_;
  const engine::Clock& clock_;
  std::unique_ptr<CampaignCache> campaigns_;
};

}  // namespace parcours::workflows
