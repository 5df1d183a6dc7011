// The JetStream publisher against a real `nats-server -js` on loopback:
// every event of the log in the stream exactly once and in log order,
// across kill -9 of parcours, restarts of nats-server, a stale checkpoint,
// a three-node cluster losing a node under load.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../../adapters/nats/nats_session.h"
#include "cli_run.h"
#include "eventually.h"
#include "jetstream_support.h"
#include "nats_server.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

bool caughtUp(const nlohmann::json& status) {
  if (!status.contains("nats")) return false;
  const auto& publisher = status["nats"]["publisher"];
  return publisher.value("lag", std::uint64_t{1}) == 0 &&
         publisher.value("checkpoint", std::uint64_t{0}) == status.value("head", std::uint64_t{0});
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nats_ = std::make_unique<NatsServer>(dir_.path() / "nats", freeLoopbackPort());
    nats_->start();
  }
  std::vector<std::string> natsArgs() const { return {"--nats", nats_->url()}; }

  TempDir dir_;
  std::unique_ptr<NatsServer> nats_;
  ServerProcess parcours_;
};

TEST_F(PublisherTest, EveryEventOnceInOrderAcrossKillsOfParcours) {
  fillWithDemo(parcours_);
  parcours_.start(natsArgs());
  // Killed while publishing (the first window may or may not be acked).
  parcours_.kill();
  parcours_.start(natsArgs());
  writeSomeEvents(parcours_, "c-kill", 20);
  parcours_.kill();
  parcours_.start(natsArgs());
  waitForStatus(parcours_.httpAddress(), "the publisher to catch up", caughtUp);
  const std::uint64_t head = headOf(parcours_.httpAddress());
  EXPECT_GT(head, 600u);
  expectTheLogOnceInOrder(readWholeStream(nats_->url()), head);
  EXPECT_EQ(parcours_.stop(), 0);
}

TEST_F(PublisherTest, NatsDownNeverBlocksCommandsAndTheStreamCatchesUp) {
  parcours_.start(natsArgs());
  writeSomeEvents(parcours_, "c-before", 5);
  waitForStatus(parcours_.httpAddress(), "the publisher to catch up", caughtUp);
  nats_->kill();
  // Commands go on while NATS is away: the lag grows, nothing waits for it.
  writeSomeEvents(parcours_, "c-during", 10);
  auto status = nodeStatus(parcours_.httpAddress());
  EXPECT_GT(status["nats"]["publisher"].value("lag", 0), 0) << status.dump();
  nats_->start();
  writeSomeEvents(parcours_, "c-after", 5);
  waitForStatus(parcours_.httpAddress(), "the publisher to catch up", caughtUp);
  // A clean stop of nats-server too.
  nats_->stop();
  writeSomeEvents(parcours_, "c-stopped", 3);
  nats_->start();
  waitForStatus(parcours_.httpAddress(), "the publisher to catch up", caughtUp);
  const std::uint64_t head = headOf(parcours_.httpAddress());
  expectTheLogOnceInOrder(readWholeStream(nats_->url()), head);
  // `parcours status --node` tells the same, from the server and from the store.
  Outcome live = runCommand(PARCOURS_BIN,
                            {"status", "--node", "--json", "--url", "http://" + parcours_.httpAddress()},
                            dir_.path() / "status.err");
  ASSERT_EQ(live.exitCode, 0) << live.err;
  auto reported = nlohmann::json::parse(live.out);
  EXPECT_EQ(reported["nats"]["publisher"].value("lag", 1), 0) << live.out;
  EXPECT_EQ(reported["nats"]["publisher"].value("checkpoint", std::uint64_t{0}), head) << live.out;
  EXPECT_GE(reported["nats"]["publisher"].value("failures", 0), 1) << "NATS went away: " << live.out;
  Outcome table = runCommand(PARCOURS_BIN, {"status", "--node", "--url", "http://" + parcours_.httpAddress()},
                             dir_.path() / "status.err");
  EXPECT_TRUE(contains(table.out, "publisher lag")) << table.out;
  EXPECT_EQ(parcours_.stop(), 0);
  Outcome offline = runCommand(PARCOURS_BIN,
                               {"--data", parcours_.storeDir().string(), "status", "--node", "--json"},
                               dir_.path() / "status.err");
  ASSERT_EQ(offline.exitCode, 0) << offline.err;
  EXPECT_EQ(nlohmann::json::parse(offline.out)["nats-publisher"].value("checkpoint/PARCOURS", ""),
            std::to_string(head))
      << offline.out;
  Outcome unreachable = runCommand(PARCOURS_BIN, {"status", "--node", "--url", "http://127.0.0.1:1"},
                                   dir_.path() / "status.err");
  EXPECT_EQ(unreachable.exitCode, 7) << unreachable.out;
}

TEST_F(PublisherTest, AStaleCheckpointDoesNotResendAndJetStreamDropsResends) {
  parcours_.start(natsArgs());
  writeSomeEvents(parcours_, "c-stale", 10);
  waitForStatus(parcours_.httpAddress(), "the publisher to catch up", caughtUp);
  const std::uint64_t head = headOf(parcours_.httpAddress());
  EXPECT_EQ(parcours_.stop(), 0);
  // The crash between JetStream's ack and our checkpoint, made on purpose:
  // the stored checkpoint goes back to 0.
  {
    auto log = openLog(parcours_.storeDir());
    auto table = log->openTable("nats-publisher");
    ASSERT_TRUE(table);
    auto batch = (*table)->newBatch();
    batch->put("checkpoint/PARCOURS", "0");
    ASSERT_TRUE((*table)->commit(*batch));
  }
  parcours_.start(natsArgs());
  waitForStatus(parcours_.httpAddress(), "the publisher to resume", caughtUp);
  expectTheLogOnceInOrder(readWholeStream(nats_->url()), head);
  // And a re-send with a position's Nats-Msg-Id is dropped by JetStream.
  adapters::nats::StreamSettings settings;
  settings.url = nats_->url();
  auto session = adapters::nats::NatsSession::connect(settings, "test re-sender");
  ASSERT_TRUE(session);
  for (std::uint64_t position : {std::uint64_t{1}, head / 2, head}) {
    jsPubOptions options;
    jsPubOptions_Init(&options);
    const std::string id = std::to_string(position);
    options.MsgId = id.c_str();
    jsPubAck* ack = nullptr;
    ASSERT_EQ(js_Publish(&ack, (*session)->jetStream(), "parcours._.Resent._", "x", 1, &options,
                         nullptr),
              NATS_OK);
    EXPECT_TRUE(ack->Duplicate) << "position " << position;
    jsPubAck_Destroy(ack);
  }
  expectTheLogOnceInOrder(readWholeStream(nats_->url()), head);
  EXPECT_EQ(parcours_.stop(), 0);
}

TEST_F(PublisherTest, AStreamHoldingAnotherHistoryStopsThePublisher) {
  // Another primary's stream: same name, different events.
  ServerProcess other;
  other.start(natsArgs());
  writeSomeEvents(other, "c-other", 3);
  waitForStatus(other.httpAddress(), "the other primary to publish", caughtUp);
  const std::uint64_t otherHead = headOf(other.httpAddress());
  EXPECT_EQ(other.stop(), 0);
  parcours_.start(natsArgs());
  writeSomeEvents(parcours_, "c-mine", 6);
  waitForStatus(parcours_.httpAddress(), "the publisher to see the fork", [](const auto& s) {
    return s["nats"]["publisher"].value("state", "") == "fork";
  });
  auto status = nodeStatus(parcours_.httpAddress());
  EXPECT_NE(status["nats"]["publisher"].value("lastError", "").find("fork"), std::string::npos)
      << status.dump();
  // Nothing of ours was appended to the other history.
  expectTheLogOnceInOrder(readWholeStream(nats_->url()), otherHead);
  EXPECT_EQ(parcours_.stop(), 0);
}

TEST(PublisherClusterTest, OneNodeOfThreeStopsUnderLoadAndNothingIsLost) {
  TempDir dir;
  NatsCluster cluster(dir.path() / "cluster");
  cluster.start();
  ServerProcess parcours;
  parcours.start({"--nats", cluster.urls(), "--nats-replicas", "3"});
  writeSomeEvents(parcours, "c-load-0", 5);
  waitForStatus(parcours.httpAddress(), "the stream of 3 replicas to be made", caughtUp);
  const std::uint64_t before = headOf(parcours.httpAddress());
  // The load goes on until node 0 has stopped and two more rounds are in:
  // events are appended before, during and after the stop.
  std::atomic<bool> nodeStopped{false};
  std::thread load([&] {
    int round = 1;
    for (int afterStop = 0; afterStop < 2; ++round) {
      if (nodeStopped) ++afterStop;
      writeSomeEvents(parcours, "c-load-" + std::to_string(round), 10);
    }
  });
  ASSERT_TRUE(eventually(
      "the load to have appended 15 events", [&] { return headOf(parcours.httpAddress()) >= before + 15; },
      [&] { return "head " + std::to_string(headOf(parcours.httpAddress())); }));
  const std::uint64_t atStop = headOf(parcours.httpAddress());
  cluster.node(0).stop();
  nodeStopped = true;
  load.join();
  waitForStatus(parcours.httpAddress(), "the publisher to catch up on two nodes", caughtUp);
  const std::uint64_t head = headOf(parcours.httpAddress());
  EXPECT_GE(head, atStop + 2 * 11) << "two rounds of load came after the node stopped";
  expectTheLogOnceInOrder(readWholeStream(cluster.node(1).url()), head);
  EXPECT_EQ(parcours.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing

namespace parcours::testing {
namespace {

// Refused flags: a clear message, exit 2, no store made.
TEST(PublisherFlags, ConflictingOrOutOfRangeFlagsAreRefusedAndWriteNothing) {
  TempDir dir;
  const std::string store = (dir.path() / "store").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--nats", "nats://127.0.0.1:1", "--replica-of", "nats://127.0.0.1:2"}, "excludes"},
      {{"--nats", "nats://127.0.0.1:1", "--nats-replicas", "7"}, "--nats-replicas"},
  };
  for (const auto& [flags, says] : cases) {
    std::vector<std::string> args = {"--data", store, "serve", "--tokens",
                                     (dir.path() / "tokens.json").string()};
    args.insert(args.end(), flags.begin(), flags.end());
    Outcome refused = runCommand(PARCOURS_BIN, args, dir.path() / "err.txt");
    EXPECT_EQ(refused.exitCode, 2) << refused.err;
    EXPECT_TRUE(contains(refused.err, says)) << refused.err;
    EXPECT_FALSE(std::filesystem::exists(store)) << "a refused serve made no store";
  }
}

}  // namespace
}  // namespace parcours::testing
