// GDPR erasure through the workflow service, over a real log and a real key
// store in temp directories (docs/erasure.md): a submitted contact is in no
// payload and no file of the log in plaintext, it reads back with the key;
// an erasure records DossierErased, destroys the key, leaves the contact
// unreadable and the views (rebuilt from scratch) and the log's proofs
// intact; the required-fields rules and a replay of the submission never
// need the key. Contacts are fictional people.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "parcours/engine/key_store.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/views.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kEmail = "camille@example.org";  // the fixture's contact
constexpr const char* kName = "Camille Exemple";
constexpr const char* kPhone = "+33 1 00 00 00 00";

std::unique_ptr<engine::KeyStore> openKeys(const std::filesystem::path& dir) {
  auto keys = engine::KeyStore::open(dir.string());
  EXPECT_TRUE(keys) << keys.error().message;
  return keys ? std::move(keys).value() : nullptr;
}

class ErasureTest : public WorkflowFixture {
 protected:
  ErasureTest() : keys_(openKeys(keysDir_.path())) {
    workflow_ = std::make_unique<Workflow>(*log_, clock_, keys_.get());
    openCampaign(kLabel, labelRules(), threeJurors());
  }
  ~ErasureTest() override { workflow_.reset(); }  // before the key store it points to

  void ok(const std::string& id, const DossierCommand& c, const std::string& reason = "because") {
    auto r = dossier(id, c, reason);
    ASSERT_TRUE(r) << id << ": " << commandName(c) << ": " << r.error().message;
  }

  Result<store::AppendResult> erase(const std::string& id,
                                    const std::string& reason = "the applicant's request") {
    return dossier(id, cmd::Erase{}, reason, "dpo-1");
  }

  // The dossier's events, oldest first.
  std::vector<store::RecordedEvent> stream(const std::string& id) {
    auto events = log_->readStream(dossierStream(id), 1, store::Direction::Forward, 1000);
    EXPECT_TRUE(events) << events.error().message;
    return events ? std::move(events).value() : std::vector<store::RecordedEvent>{};
  }

  TempDir keysDir_;  // beside the log's directory, never in it
  std::unique_ptr<engine::KeyStore> keys_;
};

TEST_F(ErasureTest, ASubmittedContactIsSealedInTheEventAndReadsBackWithTheKey) {
  submit("d1", kLabel);
  const auto events = stream("d1");
  ASSERT_EQ(events.size(), 1u);
  for (const char* plaintext : {kEmail, kName, kPhone}) {
    EXPECT_THAT(events[0].payload, ::testing::Not(HasSubstr(plaintext)));
    // Nowhere in the log's files either: WAL, tables, manifest.
    EXPECT_THAT(filesContaining(dir_.path(), plaintext), IsEmpty()) << plaintext;
  }
  auto shape = readPayload<schema::DossierEvent>(
      events[0].payload, "submitted", [](schema::DossierEvent::Reader e) -> Status {
        auto submitted = e.getDossierSubmitted();
        EXPECT_FALSE(submitted.getApplication().hasContact()) << "the plaintext Contact is unset";
        EXPECT_GT(submitted.getSealedContact().size(), engine::sealOverheadBytes);
        std::vector<std::string> fields;
        for (auto f : submitted.getContactFields()) fields.push_back(toString(f));
        EXPECT_THAT(fields, ElementsAre("contact.name", "contact.email", "contact.phone"));
        return okStatus();
      });
  ASSERT_TRUE(shape) << shape.error().message;

  auto contact = workflow_->contact("d1");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_FALSE(contact->erased);
  EXPECT_EQ(contact->contact.name, kName);
  EXPECT_EQ(contact->contact.email, kEmail);
  EXPECT_EQ(contact->contact.phone, kPhone);
  // The fold never holds the plaintext.
  auto state = workflow_->loadDossier("d1");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->application.contact.email.empty());
}

TEST_F(ErasureTest, ASealedContactIsBoundToItsDossier) {
  submit("d1", kLabel);
  submit("d2", kLabel);
  const std::string sealed = workflow_->loadDossier("d1")->contact.sealed;
  auto key2 = keys_->find("d2");
  ASSERT_TRUE(key2 && key2->has_value());
  auto opened = engine::openSealed(**key2, sealed, contactSealContext("d1"));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::Corruption);
  auto key1 = keys_->find("d1");
  ASSERT_TRUE(key1 && key1->has_value());
  EXPECT_FALSE(engine::openSealed(**key1, sealed, contactSealContext("d2")));
}

TEST_F(ErasureTest, ARefusedSubmissionCreatesNoKey) {
  clock_.set(parisTime("2020-06-20T00:00:01"));
  auto late = dossier("late", cmd::Submit{kLabel, application()});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::RefusedByRule);
  auto key = keys_->find("late");
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->has_value());
}

TEST_F(ErasureTest, RequiredContactFieldsAreJudgedFromWhatTheSubmissionRecorded) {
  Application noEmail = application();
  noEmail.contact.email = "  ";  // blank: not filled
  submit("incomplete", kLabel, noEmail);
  auto refused = dossier("incomplete", cmd::ConfirmEligibility{});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message,
              HasSubstr("the application is incomplete: contact.email is required"));

  // Erased before the instruction: the rule is decided without the key.
  submit("d1", kLabel);
  ASSERT_TRUE(erase("d1"));
  ok("d1", cmd::ConfirmEligibility{});
  EXPECT_EQ(workflow_->loadDossier("d1")->status, DossierStatus::Eligible);
}

TEST_F(ErasureTest, EraseRecordsTheEventDestroysTheKeyAndKeepsTheProofs) {
  submit("d1", kLabel);
  ok("d1", cmd::ConfirmEligibility{});
  const std::string sealed = workflow_->loadDossier("d1")->contact.sealed;
  const std::string keyBefore = keys_->find("d1")->value();

  auto erased = erase("d1", "request of 2021-03-02, ticket 4411");
  ASSERT_TRUE(erased) << erased.error().message;
  ASSERT_EQ(erased->streams.size(), 1u);

  const auto events = stream("d1");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events.back().eventType, "DossierErased");
  EXPECT_EQ(events.back().actor, "dpo-1");
  auto state = workflow_->loadDossier("d1");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->status, DossierStatus::Eligible) << "the state stays";
  EXPECT_TRUE(state->contactErased);
  EXPECT_EQ(state->contact.sealed, sealed) << "the log is not rewritten";

  // The key is gone for good: not found, never made again, and no other
  // key opens what it sealed.
  auto key = keys_->find("d1");
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->has_value());
  EXPECT_TRUE(*keys_->erased("d1"));
  auto fresh = keys_->keyFor("d1");
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().code, ErrorCode::RefusedByRule);
  EXPECT_THAT(filesContaining(keysDir_.path(), keyBefore), IsEmpty());
  auto contact = workflow_->contact("d1");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_TRUE(contact->erased);
  EXPECT_FALSE(contact->keyStillHeld);
  EXPECT_TRUE(contact->contact.email.empty());

  // The views, rebuilt from scratch, say so in words.
  auto views = Views::open(*log_, testLogger());
  ASSERT_TRUE(views) << views.error().message;
  ASSERT_TRUE((*views)->rebuild());
  auto row = (*views)->dossier("d1");
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_TRUE(row->contactErased);
  EXPECT_EQ(row->status, DossierStatus::Eligible);
  auto timeline = (*views)->timeline("d1");
  ASSERT_TRUE(timeline);
  ASSERT_FALSE(timeline->empty());
  EXPECT_EQ(timeline->back().eventType, "DossierErased");
  EXPECT_EQ(timeline->back().summary, "personal data erased: request of 2021-03-02, ticket 4411");
  EXPECT_EQ(timeline->back().actor, "dpo-1");
  auto audit = (*views)->dossierAudit("d1");
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->back().summary, "personal data erased: request of 2021-03-02, ticket 4411");

  // Nothing of the log changed: the hash chain and the Merkle tree verify.
  auto report = engine::verifyLog(*log_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->intact) << report->problem;
}

TEST_F(ErasureTest, ErasingIsAllowedInEveryStateAndKeepsIt) {
  submit("submitted", kLabel);
  submit("ineligible", kLabel);
  ok("ineligible", cmd::DeclareIneligible{}, "a company");
  submit("withdrawn", kLabel);
  ok("withdrawn", cmd::Withdraw{});
  for (const auto& [id, status] : {std::pair{"submitted", DossierStatus::Submitted},
                                   std::pair{"ineligible", DossierStatus::Ineligible},
                                   std::pair{"withdrawn", DossierStatus::Withdrawn}}) {
    auto erased = erase(id);
    ASSERT_TRUE(erased) << id << ": " << erased.error().message;
    EXPECT_EQ(workflow_->loadDossier(id)->status, status) << id;
  }
}

TEST_F(ErasureTest, ErasingTwiceIsRefusedAndAnUnknownDossierIsNotFound) {
  submit("d1", kLabel);
  ASSERT_TRUE(erase("d1"));
  auto again = erase("d1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::RefusedByRule);
  EXPECT_EQ(again.error().message, "the personal data of dossier \"d1\" was already erased");
  EXPECT_EQ(stream("d1").size(), 2u) << "a refusal writes nothing";

  auto unknown = erase("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_EQ(unknown.error().message, "no dossier \"nope\"");
  auto key = keys_->find("nope");
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->has_value());

  submit("d2", kLabel);
  auto noReason = erase("d2", "");
  ASSERT_FALSE(noReason);
  EXPECT_EQ(noReason.error().code, ErrorCode::InvalidInput);
  EXPECT_THAT(noReason.error().message, HasSubstr("give the reason"));
}

// The event is durable before the key is destroyed: a crash between the two
// leaves an erased dossier whose key survives. Nobody shows its contact, and
// erasing again destroys the key, writing nothing.
TEST_F(ErasureTest, AnEraseInterruptedBeforeTheKeyIsFinishedByErasingAgain) {
  submit("d1", kLabel);
  // The crash, simulated: the event appended as the erase appends it, and
  // nothing more.
  capnp::MallocMessageBuilder message;
  auto event = message.initRoot<schema::DossierEvent>();
  event.setCampaignId(kLabel);
  event.setDossierId("d1");
  event.setRulesVersion(1);
  event.setReason("request");
  event.setDossierErased();
  ASSERT_TRUE(log_->append({{{dossierStream("d1"),
                              store::ExpectedVersion::exactly(1),
                              {{"DossierErased", flattenMessage(message)}}}},
                            {"", "dpo-1", "", "", engine::toMicros(clock_.now())}}));
  ASSERT_TRUE(keys_->find("d1")->has_value());
  auto contact = workflow_->contact("d1");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_TRUE(contact->erased);
  EXPECT_TRUE(contact->keyStillHeld);
  EXPECT_TRUE(contact->contact.email.empty()) << "an erased contact is never shown";

  auto finished = erase("d1");
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_TRUE(finished->streams.empty()) << "nothing written";
  EXPECT_EQ(stream("d1").size(), 2u);
  EXPECT_FALSE(keys_->find("d1")->has_value());

  auto again = erase("d1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::RefusedByRule);
}

TEST_F(ErasureTest, WithoutAKeyStoreTheContactIsDroppedNeverWritten) {
  Workflow keyless(*log_, clock_);
  ASSERT_TRUE(
      keyless.dossier("d1", cmd::Submit{kLabel, application()}, {{"", "applicant-1", "", ""}, ""}));
  const auto events = stream("d1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].payload, ::testing::Not(HasSubstr(kEmail)));
  auto state = keyless.loadDossier("d1");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->contact.sealed.empty());
  EXPECT_THAT(state->contact.fields, ElementsAre("contact.name", "contact.email", "contact.phone"));
  auto contact = keyless.contact("d1");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_TRUE(contact->contact.email.empty());
  // The rules on required fields still hold: contact.email was filled.
  ASSERT_TRUE(keyless.dossier("d1", cmd::ConfirmEligibility{}, {{"", "instructor-1", "", ""}, ""}));

  // A sealed contact is neither read nor erased without its key store.
  submit("d2", kLabel);
  auto unread = keyless.contact("d2");
  ASSERT_FALSE(unread);
  EXPECT_EQ(unread.error().code, ErrorCode::InvalidInput);
  auto unerased = keyless.dossier("d2", cmd::Erase{}, {{"", "dpo-1", "", ""}, "request"});
  ASSERT_FALSE(unerased);
  EXPECT_EQ(unerased.error().code, ErrorCode::InvalidInput);
  // Nor with a key store that is not the one holding its key.
  TempDir elsewhere;
  auto otherKeys = openKeys(elsewhere.path());
  Workflow wrongKeys(*log_, clock_, otherKeys.get());
  unerased = wrongKeys.dossier("d2", cmd::Erase{}, {{"", "dpo-1", "", ""}, "request"});
  ASSERT_FALSE(unerased);
  EXPECT_EQ(unerased.error().code, ErrorCode::NotFound);
  EXPECT_THAT(unerased.error().message, HasSubstr("is it the key store of this log?"));
  EXPECT_EQ(stream("d2").size(), 1u);
  EXPECT_TRUE(keys_->find("d2")->has_value());
}

// What a replay of the decisions (written elsewhere) relies on: the recorded
// submission, rebuilt as a command with its sealed contact as it is, decides
// again to the same bytes, without the key or the plaintext.
TEST_F(ErasureTest, ASubmissionDecidesAgainToTheSameBytesWithoutTheKey) {
  submit("d1", kLabel);
  const store::RecordedEvent recorded = stream("d1").front();
  auto campaign = workflow_->loadCampaign(kLabel);
  ASSERT_TRUE(campaign);
  ASSERT_TRUE(erase("d1"));  // the key is gone: the replay does not need it

  cmd::Submit rebuilt;
  auto read = readPayload<schema::DossierEvent>(
      recorded.payload, "submitted", [&](schema::DossierEvent::Reader e) -> Status {
        auto submitted = e.getDossierSubmitted();
        rebuilt.campaignId = toString(e.getCampaignId());
        rebuilt.application = readApplication(submitted.getApplication());
        auto sealed = submitted.getSealedContact();
        rebuilt.sealed.sealed.assign(reinterpret_cast<const char*>(sealed.begin()), sealed.size());
        for (auto f : submitted.getContactFields()) rebuilt.sealed.fields.push_back(toString(f));
        return okStatus();
      });
  ASSERT_TRUE(read) << read.error().message;
  DossierState absent;
  absent.dossierId = "d1";
  const DecisionInput input{recorded.recordedAtMicros, recorded.actor, ""};
  auto decision = decideDossier("d1", absent, *campaign, rebuilt, input);
  ASSERT_TRUE(decision) << decision.error().message;
  ASSERT_EQ(decision->dossierEvents.size(), 1u);
  EXPECT_EQ(decision->dossierEvents[0].type, recorded.eventType);
  EXPECT_EQ(decision->dossierEvents[0].payload, recorded.payload);
}

// A dossier submitted before contacts were sealed: its plaintext counts for
// the rules and reads back; an erasure hides it, though the log keeps it.
TEST_F(ErasureTest, AContactWrittenBeforeSealingStillCountsAndErasureHidesIt) {
  capnp::MallocMessageBuilder message;
  auto event = message.initRoot<schema::DossierEvent>();
  event.setCampaignId(kLabel);
  event.setDossierId("old");
  event.setRulesVersion(1);
  writeApplication(application(), event.initDossierSubmitted().initApplication());
  store::AppendRequest request{{{dossierStream("old"),
                                 store::ExpectedVersion::noStream(),
                                 {{"DossierSubmitted", flattenMessage(message)}}}},
                               {"", "applicant-1", "", "", engine::toMicros(clock_.now())}};
  ASSERT_TRUE(log_->append(std::move(request)));

  auto contact = workflow_->contact("old");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_EQ(contact->contact.email, kEmail);
  EXPECT_THAT(workflow_->loadDossier("old")->contact.fields,
              ElementsAre("contact.name", "contact.email", "contact.phone"));
  ok("old", cmd::ConfirmEligibility{});
  ASSERT_TRUE(erase("old"));
  contact = workflow_->contact("old");
  ASSERT_TRUE(contact);
  EXPECT_TRUE(contact->erased);
  EXPECT_TRUE(contact->contact.email.empty());
}

}  // namespace
}  // namespace parcours::testing
