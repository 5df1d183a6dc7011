// Domain event payloads as the folds and the views read them from the log:
// any bytes, as a dossier event and as a campaign event, each under the
// type its own union member names (what a well-formed but hostile writer
// would store), folded onto a fresh stream and onto a campaign and a
// dossier that already exist, twice (sums and lists grow), then through
// the three projections of the views. Errors (Corruption) are fine;
// crashes, leaks and undefined behaviour are not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/memory_table.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/views.h"

namespace {

using namespace parcours;
using namespace parcours::workflows;

// A stream's event as the projections see it.
struct Event {
  store::Position position;
  std::string streamId;
  store::StreamVersion version;
  std::string type;
  std::string payload;

  store::EventView view() const {
    store::EventView v;
    v.position = position;
    v.streamId = streamId;
    v.streamVersion = version;
    v.eventType = type;
    v.recordedAtMicros = 1'590'000'000'000'000 + static_cast<std::int64_t>(position);
    v.actor = "fuzz";
    v.payload = payload;
    return v;
  }
};

CampaignRules preludeRules() {
  CampaignRules rules;
  rules.name = "Appel fuzz";
  rules.organiser = "Région";
  rules.timeZone = "Europe/Paris";
  rules.deadlineMicros = 1'591'221'599'000'000;
  rules.deadlineLocal = "2020-06-03T23:59:59";
  rules.eligibleApplicantKinds = {"commune"};
  rules.requiredFields = {"title", "contact.email"};
  rules.strands = {{"1", "Numérique"}};
  rules.criteria = {{"impact", "Impact", 0, 10, 2}, {"maturity", "Maturité", 0, 10, 1}};
  rules.thresholdMilli = 5000;
  rules.labelName = "Label";
  rules.budgetEnvelopeCents = 10'000'000;
  return rules;
}

// Valid events the fuzzed one is folded after: the campaign opened with a
// jury, the dossier submitted. Built with the schema, as the machine does.
std::vector<Event> prelude() {
  std::vector<Event> events;
  {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<schema::CampaignEvent>();
    e.setCampaignId("c1");
    e.setRulesVersion(1);
    writeRules(preludeRules(), e.initCampaignOpened().initRules());
    events.push_back({1, "campaign-c1", 1, "CampaignOpened", flattenMessage(message)});
  }
  {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<schema::CampaignEvent>();
    e.setCampaignId("c1");
    e.setRulesVersion(1);
    auto members = e.initJuryAppointed().initMembers(2);
    members[0].setId("j1");
    members[0].setName("Juré");
    members[1].setId("e1");
    members[1].setName("Élue");
    members[1].setRole(schema::JuryRole::ELECTED_OFFICIAL);
    events.push_back({2, "campaign-c1", 2, "JuryAppointed", flattenMessage(message)});
  }
  {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<schema::DossierEvent>();
    e.setCampaignId("c1");
    e.setDossierId("d1");
    e.setRulesVersion(1);
    Application application;
    application.applicantName = "Commune";
    application.applicantKind = "commune";
    application.title = "Projet";
    application.strands = {"1"};
    application.requestedCents = 100'000;
    auto submitted = e.initDossierSubmitted();
    writeApplication(application, submitted.initApplication());
    submitted.initContactFields(1).set(0, "contact.email");
    events.push_back({3, "dossier-d1", 1, "DossierSubmitted", flattenMessage(message)});
  }
  return events;
}

const std::vector<Event>& preludeEvents() {
  static const std::vector<Event> events = prelude();
  return events;
}

// The type the payload's own union member names; "" when it does not decode.
template <typename Root>
std::string ownType(std::string_view payload) {
  auto type =
      readPayload<Root>(payload, "probe", [](typename Root::Reader e) -> Result<std::string> {
        return std::string(eventTypeName(e.which()));
      });
  return type ? *type : std::string();
}

void foldDossier(std::string_view type, std::string_view payload) {
  DossierState fresh;
  (void)applyDossierEvent(fresh, type, payload, 1);
  DossierState state;
  const Event& submitted = preludeEvents()[2];
  if (!applyDossierEvent(state, submitted.type, submitted.payload, 1)) __builtin_trap();
  for (int i = 0; i < 2; ++i) (void)applyDossierEvent(state, type, payload, 2 + i);
  (void)missingFields(state, preludeRules());
}

void foldCampaign(std::string_view type, std::string_view payload) {
  CampaignState fresh;
  if (applyCampaignEvent(fresh, type, payload, 0)) {
    (void)fresh.rules();
    (void)fresh.scorers("d1");
    (void)fresh.voters("d1");
  }
  CampaignState state;
  for (std::size_t i = 0; i < 2; ++i) {
    const Event& e = preludeEvents()[i];
    if (!applyCampaignEvent(state, e.type, e.payload, 0)) __builtin_trap();
  }
  for (int i = 0; i < 2; ++i) (void)applyCampaignEvent(state, type, payload, 0);
  (void)state.rules();
  (void)state.scorers("d1");
  (void)state.voters("d1");
}

// The prelude then the fuzzed events through one projection; it stops at
// its first error, as the runner would.
void project(engine::Projection& projection, const std::vector<Event>& fuzzed) {
  store::MemoryTable table("fuzz");
  auto batch = table.newBatch();
  for (const auto& e : preludeEvents()) {
    if (!projection.apply(e.view(), *batch)) __builtin_trap();  // the prelude is valid
  }
  for (const auto& e : fuzzed) {
    if (!projection.apply(e.view(), *batch)) break;
  }
  (void)projection.flush(*batch);
  (void)table.commit(*batch);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string payload(reinterpret_cast<const char*>(data), size);
  std::string dossierType = ownType<schema::DossierEvent>(payload);
  std::string campaignType = ownType<schema::CampaignEvent>(payload);
  // Bytes that do not decode still go through, under some type.
  if (dossierType.empty()) dossierType = "DossierSubmitted";
  if (campaignType.empty()) campaignType = "CampaignOpened";

  foldDossier(dossierType, payload);
  foldCampaign(campaignType, payload);
  (void)decodeContact(payload);

  // As the next event of the existing dossier and campaign, and as the
  // first event of new streams.
  const std::vector<Event> fuzzed = {
      {4, "dossier-d1", 2, dossierType, payload},
      {5, "dossier-d2", 1, dossierType, payload},
      {6, "campaign-c1", 3, campaignType, payload},
      {7, "campaign-c2", 1, campaignType, payload},
  };
  DossierProjection dossiers;
  CampaignProjection campaigns;
  AuditProjection audit;
  project(dossiers, fuzzed);
  project(campaigns, fuzzed);
  project(audit, fuzzed);
  return 0;
}
