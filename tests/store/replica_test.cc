// A read replica's log: the primary's envelopes written verbatim, checked
// one by one, so that the replica is byte for byte the primary or nothing.
#include <gtest/gtest.h>

#include "parcours/store/event_log.h"
#include "parcours/store/hash_chain.h"
#include "raw_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

std::unique_ptr<EventLog> openReplica(const std::filesystem::path& dir) {
  Options options;
  options.path = dir.string();
  options.replicaOf = "nats://127.0.0.1:4222 stream PARCOURS";
  auto log = EventLog::open(options, testing::testLogger());
  EXPECT_TRUE(log) << log.error().message;
  return std::move(log).value();
}

// The stored envelopes of positions from..to of a log.
std::vector<std::string> storedEnvelopes(const EventLog& log, Position from, Position to) {
  std::vector<std::string> out;
  auto scanned = log.scanAll(from, to - from + 1, [&](const EventView& event) {
    out.emplace_back(event.stored);
    return okStatus();
  });
  EXPECT_TRUE(scanned);
  return out;
}

class ReplicaLog : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_ = testing::openLog(primaryDir_.path());
    ASSERT_TRUE(primary_->append("dossier-1", ExpectedVersion::any(), testing::someEvents(3), {}));
    ASSERT_TRUE(primary_->append("dossier-2", ExpectedVersion::any(), testing::someEvents(2), {}));
    ASSERT_TRUE(primary_->append("dossier-1", ExpectedVersion::any(), testing::someEvents(1), {}));
    replica_ = openReplica(replicaDir_.path());
  }

  testing::TempDir primaryDir_, replicaDir_;
  std::unique_ptr<EventLog> primary_, replica_;
};

TEST_F(ReplicaLog, CopiesThePrimaryByteForByte) {
  auto first = replica_->appendReplicated(storedEnvelopes(*primary_, 1, 4));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 4u);
  auto second = replica_->appendReplicated(storedEnvelopes(*primary_, 5, 6));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(replica_->head(), 6u);
  EXPECT_EQ(storedEnvelopes(*replica_, 1, 6), storedEnvelopes(*primary_, 1, 6));
  auto stream = replica_->readStream("dossier-1", 1, Direction::Forward, 10);
  ASSERT_TRUE(stream);
  ASSERT_EQ(stream->size(), 4u);
  EXPECT_EQ(stream->back().position, 6u);
  // What it wrote survives a reopen, chain head included.
  replica_.reset();
  replica_ = openReplica(replicaDir_.path());
  EXPECT_EQ(replica_->head(), 6u);
  EXPECT_FALSE(replica_->damage());
}

TEST_F(ReplicaLog, RefusesOrdinaryAppendsNamingThePrimary) {
  auto refused = replica_->append("dossier-9", ExpectedVersion::any(), testing::someEvents(1), {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::RefusedByRule);
  EXPECT_NE(refused.error().message.find("read replica of nats://127.0.0.1:4222"),
            std::string::npos);
  EXPECT_EQ(replica_->head(), 0u);
}

TEST_F(ReplicaLog, APrimaryRefusesReplicatedAppends) {
  auto refused = primary_->appendReplicated(storedEnvelopes(*primary_, 1, 1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(primary_->head(), 6u);
}

TEST_F(ReplicaLog, AGapIsRefusedAndNothingIsWritten) {
  ASSERT_TRUE(replica_->appendReplicated(storedEnvelopes(*primary_, 1, 2)));
  auto gap = replica_->appendReplicated(storedEnvelopes(*primary_, 4, 6));
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code, ErrorCode::Corruption);
  EXPECT_NE(gap.error().message.find("position 4: the log's next position is 3"),
            std::string::npos)
      << gap.error().message;
  EXPECT_EQ(replica_->head(), 2u);
}

TEST_F(ReplicaLog, ADuplicateIsRefused) {
  ASSERT_TRUE(replica_->appendReplicated(storedEnvelopes(*primary_, 1, 3)));
  auto duplicate = replica_->appendReplicated(storedEnvelopes(*primary_, 3, 4));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(replica_->head(), 3u);
}

TEST_F(ReplicaLog, AnEnvelopeFromAnotherHistoryIsRefused) {
  // Another primary with the same first two events, then others.
  testing::TempDir otherDir;
  auto other = testing::openLog(otherDir.path());
  ASSERT_TRUE(other->append("dossier-1", ExpectedVersion::any(), testing::someEvents(2), {}));
  ASSERT_TRUE(other->append("dossier-1", ExpectedVersion::any(), testing::someEvents(2, "Other"), {}));
  ASSERT_TRUE(replica_->appendReplicated(storedEnvelopes(*primary_, 1, 3)));
  // Its position 4 chains onto its own position 3, not the primary's.
  auto forked = replica_->appendReplicated(storedEnvelopes(*other, 4, 4));
  ASSERT_FALSE(forked);
  EXPECT_EQ(forked.error().code, ErrorCode::Corruption);
  EXPECT_NE(forked.error().message.find("previous hash"), std::string::npos)
      << forked.error().message;
  auto next = replica_->appendReplicated(storedEnvelopes(*primary_, 4, 4));
  ASSERT_TRUE(next) << "the refused event left nothing behind: " << next.error().message;
}

TEST_F(ReplicaLog, AnAlteredEnvelopeIsRefusedWholeBatch) {
  auto envelopes = storedEnvelopes(*primary_, 1, 4);
  // A byte of the payload of position 3: its hash no longer matches.
  std::string& third = envelopes[2];
  const std::size_t payloadByte = third.size() - 80;
  third[payloadByte] = static_cast<char>(third[payloadByte] ^ 0x01);
  auto altered = replica_->appendReplicated(envelopes);
  ASSERT_FALSE(altered);
  EXPECT_EQ(altered.error().code, ErrorCode::Corruption);
  EXPECT_EQ(replica_->head(), 0u) << "positions 1 and 2 of the batch were not written either";
}

TEST_F(ReplicaLog, TruncatedBytesAreRefused) {
  auto envelopes = storedEnvelopes(*primary_, 1, 1);
  envelopes[0].resize(envelopes[0].size() / 2);
  auto truncated = replica_->appendReplicated(envelopes);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::Corruption);
  EXPECT_FALSE(replica_->appendReplicated({}));
}

}  // namespace
}  // namespace parcours::store
