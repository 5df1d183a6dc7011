// The Cap'n Proto RPC API end to end, with a client built from the
// published schema (adapters/rpc/parcours.capnp): login, writes, reads,
// roles, and a subscription whose sink receives every event once, in order.
#include <capnp/ez-rpc.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "parcours/adapters/rpc/parcours.capnp.h"
#include "server_process.h"

namespace parcours::testing {
namespace {

using parcours::rpc::Gateway;
using parcours::rpc::Parcours;

class CollectingSink final : public parcours::rpc::EventSink::Server {
 public:
  std::vector<std::uint64_t>& positions;
  std::vector<std::string>& types;
  std::uint64_t& caughtUpAt;
  CollectingSink(std::vector<std::uint64_t>& p, std::vector<std::string>& t, std::uint64_t& c)
      : positions(p), types(t), caughtUpAt(c) {}

  kj::Promise<void> push(PushContext context) override {
    for (auto event : context.getParams().getEvents()) {
      positions.push_back(event.getPosition());
      types.emplace_back(event.getType().cStr());
    }
    return kj::READY_NOW;
  }
  kj::Promise<void> caughtUp(CaughtUpContext context) override {
    caughtUpAt = context.getParams().getPosition();
    return kj::READY_NOW;
  }
};

std::string expectFailure(kj::Promise<void> promise, kj::WaitScope& ws) {
  try {
    promise.wait(ws);
  } catch (const kj::Exception& e) {
    return e.getDescription().cStr();
  }
  ADD_FAILURE() << "the call succeeded";
  return "";
}

TEST(RpcTest, AClientOfThePublishedSchemaWritesReadsAndSubscribes) {
  ServerProcess server;
  server.start();
  capnp::EzRpcClient client(server.rpcAddress());
  auto& ws = client.getWaitScope();
  auto gateway = client.getMain<Gateway>();

  auto bad = gateway.loginRequest();
  bad.setToken("not-a-token");
  EXPECT_NE(expectFailure(bad.send().ignoreResult(), ws).find("unauthenticated"),
            std::string::npos);

  auto login = gateway.loginRequest();
  login.setToken(server.token("admin"));
  auto session = login.send().wait(ws);
  EXPECT_EQ(std::string(session.getSubject().cStr()), "admin");
  Parcours::Client api = session.getApi();

  auto open = api.campaignCommandRequest();
  open.setCampaignId("rpc-c");
  open.getCommand().setReason("over rpc");
  open.getCommand().initOpen().setJson(futureCampaignDefinition("rpc-c").dump());
  auto opened = open.send().wait(ws);
  EXPECT_EQ(std::string(opened.getResult().getStreamId().cStr()), "campaign-rpc-c");

  auto submitOne = [&](const std::string& id) {
    auto submit = api.dossierCommandRequest();
    submit.setDossierId(id);
    submit.setCommandId("rpc-" + id);
    auto s = submit.getCommand().initSubmit();
    s.setCampaignId("rpc-c");
    auto a = s.initApplication();
    a.setApplicantName("Commune RPC");
    a.setApplicantKind("commune");
    a.setTitle("Par RPC");
    a.setSummary("Un dossier soumis par RPC.");
    a.initContact().setEmail("rpc@test.fr");
    return submit.send().wait(ws);
  };
  auto submitted = submitOne("rpc-d1");
  EXPECT_EQ(std::string(submitted.getResult().getStatus().cStr()), "submitted");
  // The same command id again: the first result, nothing written.
  EXPECT_TRUE(submitOne("rpc-d1").getResult().getDeduplicated());

  auto read = api.dossierRequest();
  read.setDossierId("rpc-d1");
  auto readResponse = read.send().wait(ws);  // the readers below point into it
  auto dossier = readResponse.getDossier();
  EXPECT_EQ(std::string(dossier.getTitle().cStr()), "Par RPC");
  EXPECT_EQ(std::string(dossier.getStatus().cStr()), "submitted");

  auto missing = api.dossierRequest();
  missing.setDossierId("nobody");
  EXPECT_NE(expectFailure(missing.send().ignoreResult(), ws).find("not_found: "),
            std::string::npos);

  auto list = api.statusRequest();
  list.getQuery().setCampaignId("rpc-c");
  EXPECT_EQ(list.send().wait(ws).getPage().getDossiers().size(), 1u);

  auto timeline = api.timelineRequest();
  timeline.setDossierId("rpc-d1");
  auto timelineResponse = timeline.send().wait(ws);
  auto entries = timelineResponse.getEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(std::string(entries[0].getActor().cStr()), "admin");

  // Roles hold over RPC too.
  auto asIntegrator = gateway.loginRequest();
  asIntegrator.setToken(server.token("integrator"));
  Parcours::Client integrator = asIntegrator.send().wait(ws).getApi();
  auto forbidden = integrator.dossierCommandRequest();
  forbidden.setDossierId("rpc-d1");
  forbidden.getCommand().setWithdraw();
  EXPECT_NE(expectFailure(forbidden.send().ignoreResult(), ws).find("unauthorized: "),
            std::string::npos);

  // A subscription from the start: the backlog, then what comes after.
  std::vector<std::uint64_t> positions;
  std::vector<std::string> types;
  std::uint64_t caughtUpAt = 0;
  auto subscribe = integrator.subscribeRequest();
  subscribe.setFrom(1);
  subscribe.setSink(kj::heap<CollectingSink>(positions, types, caughtUpAt));
  auto subscription = subscribe.send().wait(ws).getSubscription();
  submitOne("rpc-d2");
  submitOne("rpc-d3");
  auto& timer = client.getIoProvider().getTimer();
  // The opening (CampaignOpened, the deadline's TimerScheduled), rpc-d1,
  // then rpc-d2 and rpc-d3.
  for (int i = 0; i < 500 && positions.size() < 5; ++i)
    timer.afterDelay(10 * kj::MILLISECONDS).wait(ws);
  ASSERT_EQ(positions.size(), 5u);
  for (std::size_t i = 0; i < positions.size(); ++i) EXPECT_EQ(positions[i], i + 1);
  EXPECT_EQ(types[0], "CampaignOpened");
  EXPECT_EQ(types[1], "TimerScheduled");
  EXPECT_EQ(types[2], "DossierSubmitted");
  EXPECT_EQ(types[4], "DossierSubmitted");
  EXPECT_GE(caughtUpAt, 3u);

  auto events = integrator.eventsRequest();
  events.setFrom(1);
  events.getFilter().initTypes(1).set(0, "DossierSubmitted");
  auto eventsResponse = events.send().wait(ws);
  auto page = eventsResponse.getPage();
  EXPECT_EQ(page.getEvents().size(), 3u);
  EXPECT_EQ(
      page.getEvents()[0].getBody().getDossier().getDossierSubmitted().getApplication().getTitle(),
      "Par RPC");
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
