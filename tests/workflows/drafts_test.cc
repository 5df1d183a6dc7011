// Drafts (workflows/drafts.h, docs/forms.md "Drafts") over a real log and
// key store: saved as often as the applicant likes before the deadline,
// with optimistic concurrency (a stale save refused, two concurrent saves of
// one version: one wins); sealed (nothing of a draft in clear in any file);
// others' drafts invisible; submitted through the workflow, which checks the
// whole form; collected once their campaign can take them no more.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "parcours/engine/key_store.h"
#include "parcours/workflows/drafts.h"
#include "parcours/workflows/form_answers.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

constexpr const char* kDraftCall = "draft-call";
constexpr const char* kMarker = "Projet-Marqueur-Brouillon-7f3a";  // searched for in the files

Form draftSeedForm() {
  auto seed = loadCampaignDefinition(std::filesystem::path(PARCOURS_CAMPAIGNS_DIR) /
                                     "label-territoire-innovant-2020.json");
  EXPECT_TRUE(seed) << seed.error().message;
  return seed ? seed->rules.form : Form{};
}

class DraftsTest : public WorkflowFixture {
 protected:
  DraftsTest() {
    auto keys = engine::KeyStore::open(keysDir_.path().string());
    EXPECT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    workflow_ = std::make_unique<Workflow>(*log_, clock_, keys_.get());
    CampaignRules rules = labelRules();
    rules.form = draftSeedForm();
    openCampaign(kDraftCall, rules, threeJurors());
    auto drafts = Drafts::open(*log_, *workflow_, clock_, *keys_);
    EXPECT_TRUE(drafts) << drafts.error().message;
    drafts_ = std::move(drafts).value();
    opened_ = log_->head();
  }
  ~DraftsTest() override {
    drafts_.reset();
    workflow_.reset();
  }

  // Half of a dossier: no answers yet.
  static Application partial() {
    Application a = application();
    a.title = kMarker;
    return a;
  }
  Application complete() const {
    Application a = partial();
    auto campaign = workflow_->loadCampaign(kDraftCall);
    EXPECT_TRUE(campaign);
    a.answers = sampleAnswers(campaign->rules().form, a);
    return a;
  }

  Result<Draft> save(const std::string& id, const Application& a,
                     std::optional<std::uint64_t> ifMatch, const std::string& who = "applicant-1") {
    return drafts_->save(id, kDraftCall, a, ifMatch, DraftAccess{who, false});
  }
  Result<Draft> find(const std::string& id, const std::string& who = "applicant-1") {
    return drafts_->find(id, DraftAccess{who, false});
  }

  TempDir keysDir_;
  std::unique_ptr<engine::KeyStore> keys_;
  std::unique_ptr<Drafts> drafts_;
  std::uint64_t opened_ = 0;  // the head once the campaign is open
};

TEST_F(DraftsTest, ADraftIsSavedAgainAndAgainEachSaveANewVersion) {
  auto first = save("d1", partial(), std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1u);
  EXPECT_EQ(first->owner, "applicant-1");

  auto read = find("d1");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->version, 1u);
  EXPECT_EQ(read->application.title, kMarker);
  EXPECT_EQ(read->application.contact.email, "camille@example.org");
  // Incomplete: the form's required answers are missing, every one named.
  const DraftCompleteness incomplete = drafts_->completeness(*read);
  EXPECT_FALSE(incomplete.complete);
  EXPECT_THAT(incomplete.problems,
              Contains(Field(&FieldProblem::pointer, "/answers/description")));

  auto second = save("d1", complete(), 1);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2u);
  EXPECT_EQ(second->createdAtMicros, first->createdAtMicros);
  EXPECT_TRUE(drafts_->completeness(*second).complete) << drafts_->completeness(*second).refusal;
  // Nothing of it is in the log: a draft decides nothing.
  EXPECT_EQ(log_->head(), opened_);
}

TEST_F(DraftsTest, AStaleSaveIsRefusedAndTheNewerDraftKept) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  Application tabA = partial();
  tabA.summary = "from tab A";
  ASSERT_TRUE(save("d1", tabA, 1));
  Application tabB = partial();
  tabB.summary = "from tab B";
  auto stale = save("d1", tabB, 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::PreconditionFailed);
  EXPECT_THAT(stale.error().message, HasSubstr("is at version 2, not 1"));
  // Over an existing draft, a save must say which version it read.
  auto blind = save("d1", tabB, std::nullopt);
  ASSERT_FALSE(blind);
  EXPECT_EQ(blind.error().code, ErrorCode::PreconditionFailed);
  EXPECT_EQ(find("d1")->application.summary, "from tab A");
  EXPECT_EQ(find("d1")->version, 2u);
}

TEST_F(DraftsTest, OfTwoConcurrentSavesOfOneVersionExactlyOneWins) {
  for (int round = 0; round < 20; ++round) {
    const std::string id = "race-" + std::to_string(round);
    ASSERT_TRUE(save(id, partial(), std::nullopt));
    std::atomic<int> saved{0}, stale{0};
    auto tab = [&](const char* summary) {
      Application a = partial();
      a.summary = summary;
      auto result = save(id, a, 1);
      if (result) {
        ++saved;
      } else if (result.error().code == ErrorCode::PreconditionFailed) {
        ++stale;
      }
    };
    std::thread one(tab, "one"), two(tab, "two");
    one.join();
    two.join();
    EXPECT_EQ(saved.load(), 1) << "round " << round;
    EXPECT_EQ(stale.load(), 1) << "round " << round;
    EXPECT_EQ(find(id)->version, 2u);
  }
}

TEST_F(DraftsTest, AnothersDraftIsInvisibleAndItsIdTaken) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt, "applicant-1"));
  auto read = find("d1", "applicant-2");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::NotFound);
  auto over = save("d1", partial(), std::nullopt, "applicant-2");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::Conflict);
  EXPECT_EQ(over.error().message, "the dossier id \"d1\" is taken");
  // An administrator (any owner) reads it.
  EXPECT_TRUE(drafts_->find("d1", DraftAccess{"admin-1", true}));
  // A submitted dossier's id is taken too.
  submit("d2", kDraftCall);
  auto submitted = save("d2", partial(), std::nullopt);
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, ErrorCode::Conflict);
}

TEST_F(DraftsTest, SubmittingChecksTheWholeFormThenRecordsTheDossierAndDropsTheDraft) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  const CommandContext context{{"", "applicant-1", "", ""}, ""};
  const DraftAccess owner{"applicant-1", false};
  auto refused = drafts_->submit("d1", std::nullopt, owner, context);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(refused.error().problems.empty());
  EXPECT_EQ(log_->head(), opened_);  // nothing written
  EXPECT_TRUE(find("d1"));      // the draft is still there

  ASSERT_TRUE(save("d1", complete(), 1));
  auto stale = drafts_->submit("d1", 1, owner, context);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::PreconditionFailed);
  auto submitted = drafts_->submit("d1", 2, owner, context);
  ASSERT_TRUE(submitted) << submitted.error().message;
  auto dossier = workflow_->loadDossier("d1");
  ASSERT_TRUE(dossier);
  EXPECT_EQ(dossier->status, DossierStatus::Submitted);
  EXPECT_EQ(dossier->application.title, kMarker);
  EXPECT_FALSE(dossier->application.answers.empty());
  auto contact = workflow_->contact("d1");
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->contact.email, "camille@example.org");
  auto gone = find("d1");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
}

TEST_F(DraftsTest, WhoeverSubmitsADraftItsOwnerIsTheSubmitter) {
  ASSERT_TRUE(save("d1", complete(), std::nullopt));
  // The CLI on the data directory (any owner), run as someone else.
  auto submitted = drafts_->submit("d1", std::nullopt, DraftAccess{"root", true},
                                   {{"", "root", "", ""}, ""});
  ASSERT_TRUE(submitted) << submitted.error().message;
  const auto events = allEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().eventType, "DossierSubmitted");
  EXPECT_EQ(events.back().actor, "applicant-1");
  // A submission that bypasses a draft is refused while the draft stands.
  ASSERT_TRUE(save("d2", partial(), std::nullopt));
  EXPECT_EQ(drafts_->mayBypass("d2", "applicant-1").error().code, ErrorCode::Conflict);
  EXPECT_EQ(drafts_->mayBypass("d2", "applicant-2").error().message,
            "the dossier id \"d2\" is taken");
  EXPECT_TRUE(drafts_->mayBypass("d3", "applicant-2"));
}

TEST_F(DraftsTest, NoSaveAfterTheDeadlineAndNothingLost) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  clock_.set(parisTime("2020-06-20T00:00:00"));  // the deadline was 2020-06-19T23:59:59
  Application late = partial();
  late.summary = "too late";
  auto refused = save("d1", late, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::RefusedByRule);
  EXPECT_THAT(refused.error().message, HasSubstr("takes no submissions now"));
  EXPECT_EQ(find("d1")->application.summary, partial().summary);
  EXPECT_FALSE(save("d2", partial(), std::nullopt));
}

TEST_F(DraftsTest, BadInputIsRefusedWithEveryProblemAndWritesNothing) {
  Application wrong = partial();
  wrong.answers = R"({"disponible_audition": "oui", "budget_cents": -5, "inconnu": 1})";
  auto refused = save("d1", wrong, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_GE(refused.error().problems.size(), 2u);
  Application notUtf8 = partial();
  notUtf8.summary = "caf\xC3";
  EXPECT_EQ(save("d1", notUtf8, std::nullopt).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(save("bad id!", partial(), std::nullopt).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(drafts_->save("d1", "no-such-call", partial(), std::nullopt, {"applicant-1", false})
                .error()
                .code,
            ErrorCode::NotFound);
  auto none = find("d1");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);
}

TEST_F(DraftsTest, ADraftIsSealedInEveryFileAndShreddedWithItsKey) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  ASSERT_TRUE(log_->compact());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(kMarker), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find("camille@example.org"), std::string::npos) << entry.path();
  }
  ASSERT_TRUE(keys_->erase("d1"));
  auto shredded = find("d1");
  ASSERT_FALSE(shredded);
  EXPECT_EQ(shredded.error().code, ErrorCode::NotFound);
}

TEST_F(DraftsTest, ASavedDraftSurvivesReopeningTheStore) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  drafts_.reset();
  workflow_.reset();
  log_.reset();
  log_ = openLog(dir_.path());
  workflow_ = std::make_unique<Workflow>(*log_, clock_, keys_.get());
  auto drafts = Drafts::open(*log_, *workflow_, clock_, *keys_);
  ASSERT_TRUE(drafts);
  drafts_ = std::move(drafts).value();
  auto read = find("d1");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->application.title, kMarker);
}

TEST_F(DraftsTest, DraftsACampaignCanTakeNoMoreAreCollectedAfterTheGrace) {
  ASSERT_TRUE(save("d1", partial(), std::nullopt));
  auto collected = drafts_->collectExpired(0);
  ASSERT_TRUE(collected);
  EXPECT_EQ(*collected, 0u);  // the campaign still takes submissions
  clock_.set(parisTime("2020-06-25T10:00:00"));
  ASSERT_TRUE(campaign(kDraftCall, campaign_command::ChangePhase{Phase::SubmissionsClosed}));
  const std::int64_t week = 7LL * 24 * 3600 * 1'000'000;
  EXPECT_EQ(*drafts_->collectExpired(week), 0u);  // within the grace
  EXPECT_EQ(*drafts_->collectExpired(0), 1u);
  EXPECT_FALSE(drafts_->find("d1", DraftAccess{"admin-1", true}));
}

}  // namespace
}  // namespace parcours::testing
