// Tampering of every kind, done to the RocksDB files behind parcours's back,
// found by verify at the right position; the chain as the writer builds it.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "parcours/engine/log_verifier.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "raw_log.h"
#include "temp_dir.h"

namespace parcours::engine {
namespace {

using store::RecordedEvent;
using testing::RawLog;

constexpr std::uint64_t eventCount = 40;

class LogVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = testing::openLog(dir_.path());
    // Four streams, interleaved, several events per append.
    for (int i = 0; i < 10; ++i) {
      store::AppendContext context;
      context.actor = "tester";
      context.recordedAtMicros = 1'600'000'000'000'000 + i;
      auto r = log->append("stream-" + std::to_string(i % 4), store::ExpectedVersion::any(),
                           testing::someEvents(4, "Happened"), context);
      ASSERT_TRUE(r) << r.error().message;
    }
    ASSERT_EQ(log->head(), eventCount);
    auto index = MerkleIndex::open(*log, testing::testLogger());
    ASSERT_TRUE(index);
    auto digest = (*index)->digest();
    ASSERT_TRUE(digest);
    digest_ = *digest;
  }

  VerifyReport verify(const VerifyOptions& options = {}) {
    auto log = testing::openLog(dir_.path());
    auto index = MerkleIndex::open(*log, testing::testLogger());
    EXPECT_TRUE(index);
    VerifyOptions withIndex = options;
    withIndex.index = index->get();
    auto report = verifyLog(*log, withIndex);
    EXPECT_TRUE(report) << report.error().message;
    return *report;
  }

  RecordedEvent stored(RawLog& raw, std::uint64_t position) {
    auto e = store::codec::decodeEnvelope(raw.get("events", testing::positionKey(position)), {});
    EXPECT_TRUE(e) << e.error().message;
    return *e;
  }

  // Writes an envelope at `position` in both families, as the writer would.
  void put(RawLog& raw, const RecordedEvent& e) {
    const std::string bytes = store::codec::encodeEnvelope(e);
    ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(e.position), bytes).ok());
    ASSERT_TRUE(raw.db()
                    .Put({}, raw.family("streams"), testing::streamKey(e.streamId, e.streamVersion),
                         bytes)
                    .ok());
  }

  testing::TempDir dir_;
  merkle::Digest digest_;
};

TEST_F(LogVerifierTest, AnUntouchedLogIsIntactAndItsDigestIsTheIndexs) {
  const VerifyReport report = verify({{digest_}});
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.eventsChecked, eventCount);
  EXPECT_EQ(report.streamCopiesChecked, eventCount);
  EXPECT_EQ(report.digest, digest_);
}

TEST_F(LogVerifierTest, EveryEventCarriesTheHashOfTheOneBefore) {
  auto log = testing::openLog(dir_.path());
  auto events = log->readAll(1, 100);
  ASSERT_TRUE(events);
  std::string prev = store::chain::genesisHash();
  for (const RecordedEvent& e : *events) {
    EXPECT_EQ(e.prevHash, prev);
    EXPECT_EQ(e.hash.size(), 32u);
    EXPECT_EQ(store::chain::eventHash(store::viewOf(e)), e.hash);
    prev = e.hash;
  }
}

TEST_F(LogVerifierTest, AFlippedByteInAnyValueIsFoundAtItsPosition) {
  for (std::uint64_t position : {1u, 17u, 40u}) {
    std::string original;
    {
      RawLog raw(dir_.path(), false);
      original = raw.get("events", testing::positionKey(position));
      // A byte of the payload's text, so the message still decodes.
      std::string altered = original;
      const std::size_t at = altered.rfind("Happened-");
      ASSERT_NE(at, std::string::npos);
      altered[at + 9] = static_cast<char>(altered[at + 9] ^ 0x01);
      ASSERT_TRUE(
          raw.db().Put({}, raw.family("events"), testing::positionKey(position), altered).ok());
    }
    const VerifyReport report = verify();
    EXPECT_FALSE(report.intact);
    EXPECT_EQ(report.failedAt, position) << report.problem;
    EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
    RawLog raw(dir_.path(), false);
    ASSERT_TRUE(
        raw.db().Put({}, raw.family("events"), testing::positionKey(position), original).ok());
  }
  EXPECT_TRUE(verify().intact);
}

TEST_F(LogVerifierTest, AByteFlippedAnywhereInAnEnvelopeIsFound) {
  std::string original;
  {
    RawLog raw(dir_.path(), true);
    original = raw.get("events", testing::positionKey(9));
  }
  for (std::size_t byte = 0; byte < original.size(); byte += 3) {
    {
      RawLog raw(dir_.path(), false);
      std::string altered = original;
      altered[byte] = static_cast<char>(altered[byte] ^ 0x10);
      ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(9), altered).ok());
    }
    const VerifyReport report = verify();
    EXPECT_FALSE(report.intact) << "byte " << byte;
    EXPECT_EQ(report.failedAt, 9u) << "byte " << byte << ": " << report.problem;
  }
}

TEST_F(LogVerifierTest, ADeletedEventIsFoundAtItsPosition) {
  {
    RawLog raw(dir_.path(), false);
    ASSERT_TRUE(raw.db().Delete({}, raw.family("events"), testing::positionKey(23)).ok());
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, 23u) << report.problem;
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(LogVerifierTest, TwoSwappedEventsAreFoundAtTheFirst) {
  {
    RawLog raw(dir_.path(), false);
    RecordedEvent a = stored(raw, 12), b = stored(raw, 13);
    // Swapped and renumbered, so each sits under its own key.
    std::swap(a.position, b.position);
    put(raw, a);
    put(raw, b);
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, 12u) << report.problem;
}

TEST_F(LogVerifierTest, SwappedValuesUnderTheirOldKeysAreFound) {
  {
    RawLog raw(dir_.path(), false);
    const std::string a = raw.get("events", testing::positionKey(30));
    const std::string b = raw.get("events", testing::positionKey(31));
    ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(30), b).ok());
    ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(31), a).ok());
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, 30u) << report.problem;
}

TEST_F(LogVerifierTest, AnInsertedEventIsFoundWhereTheChainBreaks) {
  {
    RawLog raw(dir_.path(), false);
    // Shift 20..40 up by one and forge a well-chained event at 20.
    for (std::uint64_t p = eventCount; p >= 20; --p) {
      RecordedEvent e = stored(raw, p);
      e.position = p + 1;
      const std::string bytes = store::codec::encodeEnvelope(e);
      ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(p + 1), bytes).ok());
    }
    RecordedEvent forged = stored(raw, 19);
    forged.position = 20;
    forged.streamId = "stream-forged";
    forged.streamVersion = 1;
    const std::string prev = forged.hash;
    const std::string bytes = store::codec::encodeChainedEnvelope(forged, prev);
    ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(20), bytes).ok());
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  // The forged event chains onto 19; the one after it no longer does.
  EXPECT_EQ(report.failedAt, 21u) << report.problem;
}

TEST_F(LogVerifierTest, ATruncatedTailIsFoundAndTheLogRefusesAppends) {
  {
    RawLog raw(dir_.path(), false);
    for (std::uint64_t p = 38; p <= eventCount; ++p) {
      RecordedEvent e = stored(raw, p);
      ASSERT_TRUE(raw.db().Delete({}, raw.family("events"), testing::positionKey(p)).ok());
      ASSERT_TRUE(raw.db()
                      .Delete({}, raw.family("streams"),
                              testing::streamKey(e.streamId, e.streamVersion))
                      .ok());
    }
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, 38u) << report.problem;
  EXPECT_NE(report.problem.find("removed from the end"), std::string::npos) << report.problem;

  auto log = testing::openLog(dir_.path());
  EXPECT_TRUE(log->readOnly());
  auto refused = log->append("stream-0", store::ExpectedVersion::any(), testing::someEvents(1), {});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("removed from the end"), std::string::npos);
}

TEST_F(LogVerifierTest, AnAlteredStreamCopyIsFound) {
  {
    RawLog raw(dir_.path(), false);
    RecordedEvent e = stored(raw, 26);
    e.payload = "not what was written";
    const std::string bytes = store::codec::encodeEnvelope(e);
    ASSERT_TRUE(raw.db()
                    .Put({}, raw.family("streams"), testing::streamKey(e.streamId, e.streamVersion),
                         bytes)
                    .ok());
  }
  const VerifyReport report = verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, 26u) << report.problem;
}

TEST_F(LogVerifierTest, ARewrittenChainIsCaughtByAnEarlierDigest) {
  {
    // The operator alters event 10 and recomputes every hash after it,
    // chain head included: the chain alone cannot tell.
    RawLog raw(dir_.path(), false);
    std::string prev = stored(raw, 9).hash;
    for (std::uint64_t p = 10; p <= eventCount; ++p) {
      RecordedEvent e = stored(raw, p);
      if (p == 10) e.payload = "rewritten";
      const std::string bytes = store::codec::encodeChainedEnvelope(e, prev);
      prev = e.hash;
      ASSERT_TRUE(raw.db().Put({}, raw.family("events"), testing::positionKey(p), bytes).ok());
      ASSERT_TRUE(raw.db()
                      .Put({}, raw.family("streams"),
                           testing::streamKey(e.streamId, e.streamVersion), bytes)
                      .ok());
    }
    std::string head(8, '\0');
    for (int i = 0; i < 8; ++i) head[i] = static_cast<char>(eventCount >> (56 - 8 * i));
    ASSERT_TRUE(raw.db().Put({}, raw.family("meta"), "chain-head", head + prev).ok());
  }
  // The Merkle index still holds the old tree: it disagrees.
  EXPECT_FALSE(verify().intact);
  // And the auditor's digest taken before the rewrite names where.
  const VerifyReport report = verify({{digest_}});
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.failedAt, eventCount) << report.problem;
  EXPECT_NE(report.problem.find("does not extend the digest"), std::string::npos);
}

TEST_F(LogVerifierTest, IndexProofsCheckAgainstTheDigest) {
  auto log = testing::openLog(dir_.path());
  auto index = MerkleIndex::open(*log, testing::testLogger());
  ASSERT_TRUE(index);
  auto events = log->readAll(1, 100);
  ASSERT_TRUE(events);
  for (const RecordedEvent& e : *events) {
    auto proof = (*index)->inclusionProof(e.position, eventCount);
    ASSERT_TRUE(proof) << proof.error().message;
    EXPECT_TRUE(merkle::verifyInclusion(merkle::leafHash(e.hash), e.position - 1, eventCount,
                                        *proof, digest_.root));
  }
  auto earlier = (*index)->digest(17);
  ASSERT_TRUE(earlier);
  auto consistency = (*index)->consistencyProof(17, eventCount);
  ASSERT_TRUE(consistency);
  EXPECT_TRUE(merkle::verifyConsistency(*earlier, digest_, *consistency));
  EXPECT_EQ((*index)->digest(eventCount + 1).error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace parcours::engine
