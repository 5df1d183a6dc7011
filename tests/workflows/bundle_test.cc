// Dossier bundles: verified with no store, rejected after any edit, and a
// forged decision inside one is flagged by its replay.
#include "parcours/workflows/bundle.h"

#include <capnp/message.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "demo_scenario.h"
#include "local_tsa.h"
#include "parcours/engine/anchors.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/workflows/domain_events.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
using ::testing::HasSubstr;

class BundleTest : public WorkflowFixture {
 protected:
  void SetUp() override {
    auto outcome = demo::runDemoScenario(*log_, {}, [](const std::string&) {});
    ASSERT_TRUE(outcome) << outcome.error().message;
    dossierId_ = outcome->auditedDossier;
    reopen();
  }

  void reopen() {
    auto views = Views::open(*log_, testLogger());
    ASSERT_TRUE(views);
    views_ = std::move(views).value();
    auto index = engine::MerkleIndex::open(*log_, testLogger());
    ASSERT_TRUE(index);
    index_ = std::move(index).value();
  }

  std::string bundle(std::uint64_t size = 0) {
    auto bytes = makeBundle(*log_, *index_, *views_, dossierId_, size, summary_);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : std::string();
  }

  std::string dossierId_;
  std::unique_ptr<Views> views_;
  std::unique_ptr<engine::MerkleIndex> index_;
  BundleSummary summary_;
};

TEST_F(BundleTest, ABundleVerifiesWithNoStoreAndReplaysClean) {
  const std::string bytes = bundle();
  EXPECT_EQ(summary_.digest.size, log_->head());
  auto check = checkBundle(bytes, summary_.digest);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->problem, "");
  EXPECT_EQ(check->summary.dossierId, dossierId_);
  EXPECT_GT(check->summary.events, 5u);
  EXPECT_GT(check->replay.decisionsChecked, 5u);
  EXPECT_TRUE(check->replay.divergences.empty());
}

TEST_F(BundleTest, AnyEditedByteIsRejected) {
  const std::string bytes = bundle();
  std::size_t rejected = 0, accepted = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    std::string edited = bytes;
    edited[i] = static_cast<char>(edited[i] ^ 0x20);
    auto check = checkBundle(edited, summary_.digest);
    const bool ok = check && check->problem.empty() && check->replay.divergences.empty();
    if (!ok) {
      ++rejected;
      continue;
    }
    // Only the bundle's own unsigned metadata may change without effect:
    // its creation time, or padding Cap'n Proto never reads.
    auto original = checkBundle(bytes, summary_.digest);
    ASSERT_TRUE(original);
    EXPECT_EQ(check->summary.events, original->summary.events) << "byte " << i;
    EXPECT_EQ(check->replay.decisionsChecked, original->replay.decisionsChecked) << "byte " << i;
    ++accepted;
  }
  EXPECT_GT(rejected, accepted * 10) << rejected << " rejected, " << accepted << " accepted";
}

TEST_F(BundleTest, AnotherDigestOrAGarbageFileIsRefused) {
  const std::string bytes = bundle();
  engine::merkle::Digest other = summary_.digest;
  other.root[3] = static_cast<char>(other.root[3] ^ 1);
  auto check = checkBundle(bytes, other);
  ASSERT_TRUE(check);
  EXPECT_THAT(check->problem, HasSubstr("not the one given"));
  for (const std::string& garbage :
       {std::string(), std::string("not a bundle"), std::string(64, '\0'), bytes.substr(0, 64)}) {
    auto r = checkBundle(garbage, summary_.digest);
    if (r) {
      EXPECT_FALSE(r->problem.empty());
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::InvalidInput) << r.error().message;
    }
  }
}

TEST_F(BundleTest, AnEarlierDigestProvesOnlyWhatItCovers) {
  auto row = views_->dossier(dossierId_);
  ASSERT_TRUE(row);
  const std::string bytes = bundle(row->lastPosition);
  EXPECT_EQ(summary_.digest.size, row->lastPosition);
  auto check = checkBundle(bytes, summary_.digest);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->problem, "");
  EXPECT_TRUE(check->replay.divergences.empty());
}

TEST_F(BundleTest, AForgedDecisionInsideIsFlaggedByTheReplay) {
  auto row = views_->dossier(dossierId_);
  ASSERT_TRUE(row);
  // A second label, written with store access: the chain covers it.
  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<schema::DossierEvent>();
  e.setCampaignId(row->campaignId);
  e.setDossierId(dossierId_);
  e.setRulesVersion(1);
  e.setReason("forged");
  e.initLabelAwarded().setLabelName("Territoire Innovant");
  store::AppendContext context;
  context.actor = "forger";
  context.recordedAtMicros = row->updatedAtMicros + 1;
  ASSERT_TRUE(log_->append(dossierStream(dossierId_), store::ExpectedVersion::any(),
                           {{"LabelAwarded", flattenMessage(message)}}, context));
  reopen();
  const std::string bytes = bundle();
  auto check = checkBundle(bytes, summary_.digest);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->problem, "");  // the proofs hold: it is in the log
  ASSERT_EQ(check->replay.divergences.size(), 1u);
  EXPECT_EQ(check->replay.divergences[0].position, log_->head());
}

TEST_F(BundleTest, TheAnchorOfItsDigestTravelsWithItAndVerifies) {
  TempDir tsaDir;
  LocalTsa tsa(tsaDir.path());
  auto digest = index_->digest();
  ASSERT_TRUE(digest);
  auto request = engine::makeTimestampRequest(engine::timestampedStatement(*digest));
  ASSERT_TRUE(request);
  auto reply = tsa.reply(*request);
  auto anchored = engine::anchorDigest(*log_, *index_, *digest, reply, tsa.caFile(), {});
  ASSERT_TRUE(anchored) << anchored.error().message;
  reopen();
  const std::string bytes = bundle();
  // The smallest anchored digest covering the dossier is the one chosen.
  EXPECT_EQ(summary_.digest, *digest);
  EXPECT_EQ(summary_.anchors, 1u);
  auto check = checkBundle(bytes, *digest, tsa.caFile());
  ASSERT_TRUE(check);
  EXPECT_EQ(check->problem, "");
  ASSERT_EQ(check->anchors.size(), 1u);
  EXPECT_TRUE(check->anchors[0].chainChecked);
}

}  // namespace
}  // namespace parcours::testing
