#include "rules_in_force.h"

#include "parcours/adapters/remote_client.h"
#include "parcours/engine/clock.h"
#include "parcours/workflows/workflow.h"
#include "store_access.h"

namespace parcours::cli {

Result<RulesInForce> readRulesInForce(const Context& context, const std::string& campaignId) {
  if (auto s = workflows::validateId("campaign id", campaignId); !s) return s.error();
  if (!context.server.empty()) {
    auto client = adapters::RemoteClient::connect(context.server, context.token);
    if (!client) return client.error();
    auto answer = (*client)->rules(campaignId);
    if (!answer) return answer.error();
    return RulesInForce{answer->first, std::move(answer->second)};
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return log.error();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock);
  auto campaign = workflow.loadCampaign(campaignId);
  if (!campaign) return campaign.error();
  if (!campaign->exists) return Error::notFound("no campaign \"" + campaignId + "\"");
  return RulesInForce{campaign->rulesVersion(), campaign->rules()};
}

}  // namespace parcours::cli
