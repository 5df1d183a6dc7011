// The "audit" view: every decision of every campaign and of its dossiers,
// with who, when, why and under which rules version, filed under the
// campaign in log order (keys in views/keys.h).
//
// One row per event, at a key that only grows within a campaign, and
// nothing read back: the cheapest of the three views. A dossier's trail is
// not filed a second time under the dossier: its row in the "dossiers"
// view lists the positions, and the queries read these entries by key.
#include "parcours/store/types.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/views.h"
#include "views/event_summary.h"
#include "views/keys.h"
#include "views/row_codec.h"

namespace parcours::workflows {

Status AuditProjection::apply(const store::EventView& event, store::TableBatch& rows) {
  auto file = [&](const AuditEntry& entry) {
    rows.put(views::campaignAuditKey(entry.campaignId, entry.position), views::encodeRow(entry));
    return okStatus();
  };
  if (isDossierEventType(event.eventType)) {
    using E = schema::DossierEvent;
    return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Status {
      if (auto s = views::checkMember(e, event.eventType); !s) return s;
      return file(views::auditEntry(event, e));
    });
  }
  if (isCampaignEventType(event.eventType)) {
    using E = schema::CampaignEvent;
    return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Status {
      if (auto s = views::checkMember(e, event.eventType); !s) return s;
      return file(views::auditEntry(event, e));
    });
  }
  return okStatus();  // another workflow's events: not this view's
}

}  // namespace parcours::workflows
