// The "campaigns" view: each campaign's summary (name, rules version,
// phase, envelope), its statistics as counters, its scoring leaderboard and
// its grants (keys in views/keys.h).
//
// Counters are one small row each, moved as dossiers change state, so a
// query reads the statistics with one prefix scan and an event touches only
// the counters it changes. To move a dossier between counters the view
// remembers its campaign and state (a memo row per dossier): projections
// are independent, this one cannot ask the "dossiers" view.
#include <algorithm>
#include <set>
#include <vector>

#include "parcours/store/types.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/views.h"
#include "views/event_summary.h"
#include "views/keys.h"
#include "views/row_cache.h"
#include "views/row_codec.h"

namespace parcours::workflows {

using views::DossierMemo;
using views::WriteBackMap;

// Named, not anonymous: the struct is a member's type of the projection's
// Cache, and unity builds put several projections in one translation unit.
namespace campaign_cache {

// What the view keeps of a dossier: its memo row and, once scored, its
// leaderboard row (kept here so a later change of state does not read it
// back).
struct CampaignDossier {
  std::string dossierId;
  DossierMemo memo;
  std::optional<LeaderboardEntry> board;  // loaded when needed
  bool boardChanged = false;
};

void writeCampaignDossier(const std::string& key, CampaignDossier& d, store::TableBatch& rows) {
  rows.put(key, views::encodeRow(d.memo));
  if (d.boardChanged && d.board) {
    rows.put(views::leaderboardKey(d.memo.campaignId, d.board->meanMilli, d.dossierId),
             views::encodeRow(*d.board));
    d.boardChanged = false;
  }
}

// A state nobody is in has no row: a rebuilt view never holds zeros the
// live one removed, nor the reverse.
void writeCounter(const std::string& key, std::uint64_t& n, store::TableBatch& rows) {
  if (n == 0) {
    rows.remove(key);
  } else {
    rows.put(key, views::encodeCount(n));
  }
}

void writeCampaign(const std::string& key, CampaignSummary& c, store::TableBatch& rows) {
  rows.put(key, views::encodeRow(c));
}

}  // namespace campaign_cache

using namespace campaign_cache;

struct CampaignProjection::Cache {
  explicit Cache(std::size_t capacity)
      : campaigns(capacity, writeCampaign),
        counters(capacity, writeCounter),
        dossiers(capacity, writeCampaignDossier) {}
  views::Continuity continuity;
  WriteBackMap<CampaignSummary> campaigns;  // by "i/<campaign>"
  WriteBackMap<std::uint64_t> counters;     // by counter key
  WriteBackMap<CampaignDossier> dossiers;   // by "p/<dossier>"

  void clear() {
    campaigns.clear();
    counters.clear();
    dossiers.clear();
  }
};

CampaignProjection::CampaignProjection(std::size_t cachedRows)
    : cache_(std::make_unique<Cache>(std::max<std::size_t>(1, cachedRows))) {}
CampaignProjection::~CampaignProjection() = default;

Status CampaignProjection::flush(store::TableBatch& rows) {
  cache_->campaigns.flush(rows);
  cache_->counters.flush(rows);
  cache_->dossiers.flush(rows);
  return okStatus();
}

namespace {

// The slot of a row, read from the table on a miss; nullptr when the table
// has none.
template <typename T, typename Decode>
Result<typename WriteBackMap<T>::Slot*> load(WriteBackMap<T>& cache, store::TableBatch& rows,
                                             const std::string& key, Decode decode) {
  if (auto* hit = cache.find(key)) return hit;
  auto stored = rows.get(key);
  if (!stored) return std::move(stored).takeError();
  if (!stored->has_value()) return static_cast<typename WriteBackMap<T>::Slot*>(nullptr);
  auto decoded = decode(**stored, key);
  if (!decoded) return std::move(decoded).takeError();
  return cache.insert(key, std::move(*decoded), rows);
}

Status addToCounter(WriteBackMap<std::uint64_t>& cache, store::TableBatch& rows,
                    const std::string& key, int delta) {
  auto found = load(cache, rows, key, views::decodeCount);
  if (!found) return std::move(found).takeError();
  auto* slot = *found != nullptr ? *found : cache.insert(key, 0, rows);
  if (delta < 0 && slot->value < static_cast<std::uint64_t>(-delta)) {
    return Error::corruption("counter " + key + " would go below zero");
  }
  slot->value = static_cast<std::uint64_t>(static_cast<std::int64_t>(slot->value) + delta);
  cache.changed(slot, rows);
  return okStatus();
}

void readRulesInto(schema::CampaignRules::Reader rules, CampaignSummary& c) {
  c.name = toString(rules.getName());
  c.organiser = toString(rules.getOrganiser());
  c.timeZone = toString(rules.getTimeZone());
  c.deadlineMicros = rules.getDeadlineMicros();
  c.labelName = toString(rules.getLabelName());
  // As the campaign's fold does: the rules' envelope stands until an
  // explicit BudgetEnvelopeSet.
  c.envelopeCents = rules.getBudgetEnvelopeCents();
}

// Events that touch nothing here, recognised by their type alone so their
// payload is never decoded: the bulk of a campaign's events.
bool irrelevant(std::string_view type) {
  return type == "ScoreRecorded" || type == "VoteCast" || type == "AuditionScheduled";
}

}  // namespace

Status CampaignProjection::apply(const store::EventView& event, store::TableBatch& rows) {
  if (!cache_->continuity.follows(event.position)) cache_->clear();
  if (isDossierEventType(event.eventType)) {
    if (irrelevant(event.eventType)) return okStatus();
    using E = schema::DossierEvent;
    return readPayload<E>(event.payload, event.eventType,
                          [&](E::Reader e) { return applyDossierEvent(event, e, rows); });
  }
  if (isCampaignEventType(event.eventType)) {
    using E = schema::CampaignEvent;
    return readPayload<E>(event.payload, event.eventType,
                          [&](E::Reader e) { return applyCampaignEvent(event, e, rows); });
  }
  return okStatus();  // another workflow's events
}

Status CampaignProjection::applyDossierEvent(const store::EventView& event,
                                             schema::DossierEvent::Reader e,
                                             store::TableBatch& rows) {
  using E = schema::DossierEvent;
  Cache& cache = *cache_;
  if (auto s = views::checkMember(e, event.eventType); !s) return s;
  const std::optional<DossierStatus> after = statusAfter(e);
  if (!after) return okStatus();
  const std::string dossierId = toString(e.getDossierId());
  const std::string memoKey = views::memoKey(dossierId);

  if (e.which() == E::DOSSIER_SUBMITTED) {
    const std::string campaignId = toString(e.getCampaignId());
    auto a = e.getDossierSubmitted().getApplication();
    CampaignDossier fresh;
    fresh.dossierId = dossierId;
    fresh.memo.campaignId = campaignId;
    fresh.memo.status = DossierStatus::Submitted;
    fresh.memo.title = toString(a.getTitle());
    fresh.memo.applicantName = toString(a.getApplicantName());
    cache.dossiers.changed(cache.dossiers.insert(memoKey, std::move(fresh), rows), rows);
    // Who applied, for what: fixed at submission.
    std::vector<std::string> keys{
        views::totalCounterKey(campaignId),
        views::counterKey(campaignId, 'k', toString(a.getApplicantKind())),
        views::counterKey(campaignId, 's', statusName(*after))};
    std::set<std::string> strands;  // a strand named twice counts once
    for (auto strand : a.getStrands()) strands.insert(toString(strand));
    for (const std::string& strand : strands)
      keys.push_back(views::counterKey(campaignId, 'v', strand));
    for (const std::string& key : keys) {
      if (auto s = addToCounter(cache.counters, rows, key, 1); !s) return s;
    }
    return okStatus();
  }

  auto found = load(cache.dossiers, rows, memoKey,
                    [&](std::string_view bytes, std::string_view key) -> Result<CampaignDossier> {
                      auto memo = views::decodeDossierMemo(bytes, key);
                      if (!memo) return std::move(memo).takeError();
                      return CampaignDossier{dossierId, std::move(*memo), std::nullopt, false};
                    });
  if (!found) return std::move(found).takeError();
  auto* slot = *found;
  if (slot == nullptr) {
    return Error::corruption("dossier " + dossierId + ": " + std::string(event.eventType) +
                             " before DossierSubmitted");
  }
  CampaignDossier& d = slot->value;
  const DossierStatus before = d.memo.status;

  if (e.which() == E::SCORING_CLOSED) {
    auto closed = e.getScoringClosed();
    if (d.memo.meanMilli && *d.memo.meanMilli != closed.getMeanMilli()) {
      // Scored again under another mean: the old row goes.
      rows.remove(views::leaderboardKey(d.memo.campaignId, *d.memo.meanMilli, dossierId));
    }
    LeaderboardEntry entry;
    entry.dossierId = dossierId;
    entry.title = d.memo.title;
    entry.applicantName = d.memo.applicantName;
    entry.meanMilli = closed.getMeanMilli();
    entry.thresholdMilli = closed.getThresholdMilli();
    entry.passed = closed.getPassed();
    entry.jurorsCounted = closed.getJurorsCounted();
    for (auto c : closed.getCriteria()) {
      entry.criterionMeansMilli[toString(c.getCriterionId())] = c.getMeanMilli();
    }
    entry.status = *after;
    d.memo.meanMilli = entry.meanMilli;
    d.board = std::move(entry);
    d.boardChanged = true;
  } else if (d.memo.meanMilli && *after != before) {
    // The leaderboard shows where a scored dossier stands now.
    if (!d.board) {
      const std::string key =
          views::leaderboardKey(d.memo.campaignId, *d.memo.meanMilli, dossierId);
      auto stored = rows.get(key);
      if (!stored) return std::move(stored).takeError();
      if (!stored->has_value()) {
        return Error::corruption("dossier " + dossierId + " was scored but has no leaderboard row");
      }
      auto entry = views::decodeLeaderboardEntry(**stored, key);
      if (!entry) return std::move(entry).takeError();
      d.board = std::move(*entry);
    }
    d.board->status = *after;
    d.boardChanged = true;
  }

  const bool moved = *after != before;
  d.memo.status = *after;
  const std::string campaignId = d.memo.campaignId;
  cache.dossiers.changed(slot, rows);
  if (moved) {
    auto from = views::counterKey(campaignId, 's', statusName(before));
    auto to = views::counterKey(campaignId, 's', statusName(*after));
    if (auto s = addToCounter(cache.counters, rows, from, -1); !s) return s;
    if (auto s = addToCounter(cache.counters, rows, to, 1); !s) return s;
  }
  return okStatus();
}

Status CampaignProjection::applyCampaignEvent(const store::EventView& event,
                                              schema::CampaignEvent::Reader e,
                                              store::TableBatch& rows) {
  using E = schema::CampaignEvent;
  if (auto s = views::checkMember(e, event.eventType); !s) return s;
  const std::string campaignId = toString(e.getCampaignId());
  const std::string key = views::campaignInfoKey(campaignId);
  auto found = load(cache_->campaigns, rows, key, views::decodeCampaignSummary);
  if (!found) return std::move(found).takeError();
  auto* slot = *found;
  if (slot == nullptr) {
    if (e.which() != E::CAMPAIGN_OPENED) {
      return Error::corruption("campaign " + campaignId + ": " + std::string(event.eventType) +
                               " before CampaignOpened");
    }
    CampaignSummary fresh;
    fresh.campaignId = campaignId;
    fresh.openedAtMicros = event.recordedAtMicros;
    slot = cache_->campaigns.insert(key, std::move(fresh), rows);
  }
  CampaignSummary& c = slot->value;
  switch (e.which()) {
    case E::CAMPAIGN_OPENED:
      readRulesInto(e.getCampaignOpened().getRules(), c);
      break;
    case E::RULES_AMENDED:
      readRulesInto(e.getRulesAmended().getRules(), c);
      break;
    case E::PHASE_CHANGED:
      c.phase = readPhase(e.getPhaseChanged().getPhase());
      break;
    case E::BUDGET_ENVELOPE_SET:
      c.envelopeCents = e.getBudgetEnvelopeSet().getEnvelopeCents();
      break;
    case E::FUNDING_COMMITTED: {
      auto f = e.getFundingCommitted();
      // The running total the decision recorded, not a sum of ours.
      c.grantedCents = f.getGrantedTotalCents();
      Grant grant;
      grant.dossierId = toString(f.getDossierId());
      grant.amountCents = f.getAmountCents();
      grant.position = event.position;
      grant.recordedAtMicros = event.recordedAtMicros;
      rows.put(views::grantKey(campaignId, event.position), views::encodeRow(grant));
      break;
    }
    case E::TIMER_RESCHEDULED: {
      // The deadline's timer moved: so did the deadline (timers.h).
      const auto t = e.getTimerRescheduled();
      auto ref = parseTimerId(toString(t.getTimerId()));
      if (ref && ref->action == TimerAction::CloseSubmissions) {
        c.deadlineMicros = t.getDueMicros() - closeSubmissionsDelayMicros;
      }
      break;
    }
    case E::TIMER_SCHEDULED:
    case E::TIMER_CANCELLED:
    case E::TIMER_FIRED:
    case E::JURY_APPOINTED:
    case E::CONFLICT_OF_INTEREST_DECLARED:
    // The judging events: in the audit trail, and folded on demand by the
    // judging views (judging_views.h).
    case E::ASSIGNMENT_COMMITTED:
    case E::ASSIGNMENT_DRAWN:
    case E::ASSIGNMENT_CHANGED:
    case E::CONFLICT_DECLARED:
    case E::CONFLICT_RULED:
    case E::SCORING_ROUND_FROZEN:
    case E::SCORING_ROUND_CLOSED:
    case E::CONSENSUS_RECORDED:
    case E::SELECTION_RECORDED:
    case E::LOT_SEED_COMMITTED:
    case E::AUDITIONS_BROADCAST:
    case E::CEREMONY_HELD:
    case E::LAUREATES_PUBLISHED:
      break;
  }
  c.rulesVersion = e.getRulesVersion();
  c.updatedAtMicros = event.recordedAtMicros;
  cache_->campaigns.changed(slot, rows);
  return okStatus();
}

}  // namespace parcours::workflows
