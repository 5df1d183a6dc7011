// A campaign event about to be appended, with the fields every one carries.
// Private to the campaign decisions.
#pragma once

#include <capnp/message.h>

#include <string>
#include <string_view>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {

struct CampaignEventBuilder {
  capnp::MallocMessageBuilder message;
  schema::CampaignEvent::Builder event = message.initRoot<schema::CampaignEvent>();

  CampaignEventBuilder(const std::string& campaignId, std::uint32_t rulesVersion,
                       std::string_view reason) {
    event.setCampaignId(campaignId);
    event.setRulesVersion(rulesVersion);
    event.setReason(std::string(reason));
  }
  DomainEvent done() {
    return {std::string(eventTypeName(event.which())), flattenMessage(message)};
  }
};

}  // namespace parcours::workflows
