// The rules in force of a campaign, from the embedded store (the campaign's
// stream) or from the server (Parcours.rules): `campaign show` and `form
// show` read them the same way.
#pragma once

#include <cstdint>
#include <string>

#include "commands.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::cli {

struct RulesInForce {
  std::uint32_t version = 0;
  workflows::CampaignRules rules;
};

Result<RulesInForce> readRulesInForce(const Context& context, const std::string& campaignId);

}  // namespace parcours::cli
