// The "dossiers" view: each dossier's detail and the status index per
// campaign and state (keys in views/keys.h).
//
// A dossier's timeline is not copied here: its row keeps the positions of
// the events about it (its own and the campaign's decisions about it, a
// recusal, a funding commitment), and the "audit" view holds their entries
// under the campaign. Filing an entry per event under the dossier would cost
// a write at a random key per event, the dearest thing a rebuild does; the
// positions ride along in a row that is written anyway.
//
// Its own fold rather than applyDossierEvent: the view keeps what
// administrators read (no contact data, no individual scores or votes, which
// the timeline shows) and decodes each payload once.
#include <algorithm>

#include "parcours/store/types.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/views.h"
#include "views/event_summary.h"
#include "views/keys.h"
#include "views/row_cache.h"
#include "views/row_codec.h"

namespace parcours::workflows {

// Named, not anonymous: the struct is a member's type of the projection's
// Cache, and unity builds put several projections in one translation unit.
namespace dossier_cache {

// A dossier's row and trail, and the state its status index row is filed
// under in the batch (Absent: none yet).
struct DossierEntry {
  DossierRow row;
  std::vector<store::Position> trail;
  DossierStatus indexed = DossierStatus::Absent;
};

void writeDossierEntry(const std::string& key, DossierEntry& d, store::TableBatch& rows) {
  if (d.indexed != d.row.status) {
    if (d.indexed != DossierStatus::Absent) {
      rows.remove(views::statusKey(d.row.campaignId, d.indexed, d.row.dossierId));
    }
    rows.put(views::statusKey(d.row.campaignId, d.row.status, d.row.dossierId), {});
    d.indexed = d.row.status;
  }
  rows.put(key, views::encodeRow(d.row, d.trail));
}

}  // namespace dossier_cache

using namespace dossier_cache;

struct DossierProjection::Cache {
  explicit Cache(std::size_t capacity) : dossiers(capacity, writeDossierEntry) {}
  using Slot = views::WriteBackMap<DossierEntry>::Slot;

  // The dossier's row through the cache; nullptr when the view has none.
  Result<Slot*> load(const std::string& key, store::TableBatch& rows) {
    if (auto* hit = dossiers.find(key)) return hit;
    auto stored = rows.get(key);
    if (!stored) return std::move(stored).takeError();
    if (!stored->has_value()) return static_cast<Slot*>(nullptr);
    DossierEntry d;
    auto decoded = views::decodeDossierRow(**stored, key, &d.trail);
    if (!decoded) return std::move(decoded).takeError();
    d.row = std::move(*decoded);
    d.indexed = d.row.status;
    return dossiers.insert(key, std::move(d), rows);
  }

  views::Continuity continuity;
  views::WriteBackMap<DossierEntry> dossiers;  // by "d/<dossier>"
};

DossierProjection::DossierProjection(std::size_t cachedRows)
    : cache_(std::make_unique<Cache>(std::max<std::size_t>(1, cachedRows))) {}
DossierProjection::~DossierProjection() = default;

Status DossierProjection::flush(store::TableBatch& rows) {
  cache_->dossiers.flush(rows);
  return okStatus();
}

namespace {

using E = schema::DossierEvent;

void readApplication(E::DossierSubmitted::Reader submitted, DossierRow& row) {
  auto a = submitted.getApplication();
  row.applicantName = toString(a.getApplicantName());
  row.applicantKind = toString(a.getApplicantKind());
  row.title = toString(a.getTitle());
  row.summary = toString(a.getSummary());
  row.strands.clear();
  for (auto strand : a.getStrands()) row.strands.push_back(toString(strand));
  row.requestedCents = a.getRequestedCents();
}

// The dossier's row after the event: its state through statusAfter (the
// stream's fold uses the same), and the facts the row shows.
void fold(E::Reader e, DossierRow& row) {
  if (auto after = statusAfter(e)) row.status = *after;
  switch (e.which()) {
    case E::DOSSIER_SUBMITTED:
      readApplication(e.getDossierSubmitted(), row);
      break;
    case E::AUDITION_SCHEDULED:
      row.auditionSlotMicros = e.getAuditionScheduled().getSlotMicros();
      break;
    case E::SCORING_CLOSED:
      row.meanMilli = e.getScoringClosed().getMeanMilli();
      break;
    case E::LABEL_AWARDED:
      row.labelName = toString(e.getLabelAwarded().getLabelName());
      break;
    case E::FUNDING_GRANTED:
      row.grantedCents += e.getFundingGranted().getAmountCents();
      break;
    case E::DOSSIER_ERASED:
      row.contactErased = true;
      break;
    default:
      break;  // the state alone changes, or a step within it (scores, votes: in the timeline)
  }
}

}  // namespace

// Campaign events about one dossier join that dossier's trail.
Status DossierProjection::applyCampaignEvent(const store::EventView& event,
                                             store::TableBatch& rows) {
  if (!views::concernsOneDossier(event.eventType)) {
    return okStatus();
  }
  using C = schema::CampaignEvent;
  return readPayload<C>(event.payload, event.eventType, [&](C::Reader e) -> Status {
    if (auto s = views::checkMember(e, event.eventType); !s) return s;
    const std::string dossierId = views::concernedDossier(e);
    auto slot = cache_->load(views::dossierKey(dossierId), rows);
    if (!slot) return std::move(slot).takeError();
    if (*slot == nullptr) {
      return Error::corruption(std::string(event.eventType) + " names dossier " + dossierId +
                               ", which the view has not seen submitted");
    }
    (*slot)->value.trail.push_back(event.position);
    cache_->dossiers.changed(*slot, rows);
    return okStatus();
  });
}

Status DossierProjection::apply(const store::EventView& event, store::TableBatch& rows) {
  if (!cache_->continuity.follows(event.position)) cache_->dossiers.clear();
  if (isCampaignEventType(event.eventType)) return applyCampaignEvent(event, rows);
  if (!isDossierEventType(event.eventType)) return okStatus();
  return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Status {
    if (auto s = views::checkMember(e, event.eventType); !s) return s;
    const std::string dossierId = toString(e.getDossierId());
    const std::string key = views::dossierKey(dossierId);

    Cache::Slot* slot = nullptr;
    if (event.streamVersion == 1) {
      // A stream's first event: nothing to read back.
      if (e.which() != E::DOSSIER_SUBMITTED) {
        return Error::corruption("dossier " + dossierId + ": stream starts with " +
                                 std::string(event.eventType) + ", not DossierSubmitted");
      }
      DossierEntry fresh;
      fresh.row.dossierId = dossierId;
      fresh.row.campaignId = toString(e.getCampaignId());
      fresh.row.submittedAtMicros = event.recordedAtMicros;
      slot = cache_->dossiers.insert(key, std::move(fresh), rows);
    } else {
      auto found = cache_->load(key, rows);
      if (!found) return std::move(found).takeError();
      slot = *found;
      if (slot == nullptr) {
        return Error::corruption("dossier " + dossierId + ": " + std::string(event.eventType) +
                                 " at version " + std::to_string(event.streamVersion) +
                                 " but the view has no row for it");
      }
    }

    DossierRow& row = slot->value.row;
    fold(e, row);
    row.updatedAtMicros = event.recordedAtMicros;
    row.lastPosition = event.position;
    row.version = event.streamVersion;
    slot->value.trail.push_back(event.position);
    cache_->dossiers.changed(slot, rows);
    return okStatus();
  });
}

}  // namespace parcours::workflows
