// A dossier timer event about to be appended, with the fields every dossier
// event carries. Private to the dossier timers' decisions.
#pragma once

#include <capnp/message.h>

#include <string>
#include <string_view>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {

struct DossierTimerEvent {
  capnp::MallocMessageBuilder message;
  schema::DossierEvent::Builder event = message.initRoot<schema::DossierEvent>();

  DossierTimerEvent(const std::string& dossierId, const CampaignState& campaign,
                    std::string_view reason) {
    event.setCampaignId(campaign.campaignId);
    event.setDossierId(dossierId);
    event.setRulesVersion(campaign.rulesVersion());
    event.setReason(std::string(reason));
  }
  DomainEvent done() {
    return {std::string(eventTypeName(event.which())), flattenMessage(message)};
  }
};

}  // namespace parcours::workflows
