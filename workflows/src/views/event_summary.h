// What the timeline and the audit trail say about an event, in words an
// administrator reads without the schema at hand: "scored by juror-3:
// innovation 8, users 7", "vote closed: 4 yes, 1 no, 0 abstain of 5 voters:
// carried". Built from the event alone (no campaign state, no clock), so a
// rebuilt view says exactly what the live one said.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/types.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/views.h"

namespace parcours::workflows::views {

std::string summarize(schema::DossierEvent::Reader event);
std::string summarize(schema::CampaignEvent::Reader event);

// The dossier a campaign event is about (a conflict of interest, a funding
// commitment), or empty: the audit trail files it under that dossier too.
std::string concernedDossier(schema::CampaignEvent::Reader event);
// Whether campaign events of this type concern one dossier (concernedDossier
// names it), and so join that dossier's trail.
bool concernsOneDossier(std::string_view eventType);

// The audit entry of an event: the envelope's facts (who, when, which
// command) and the payload's (campaign, dossier, rules version, reason, and
// the summary in words).
AuditEntry auditEntry(const store::EventView& event, schema::DossierEvent::Reader payload);
AuditEntry auditEntry(const store::EventView& event, schema::CampaignEvent::Reader payload);

// Corruption when the payload's union member is not the envelope's type.
template <typename Reader>
Status checkMember(Reader event, std::string_view eventType) {
  if (eventTypeName(event.which()) == eventType) return okStatus();
  return Error::corruption("event of type " + std::string(eventType) + " carries a " +
                           std::string(eventTypeName(event.which())) + " payload");
}

}  // namespace parcours::workflows::views
