#include "jetstream_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../../adapters/nats/event_message.h"
#include "../../adapters/nats/nats_session.h"

namespace parcours::testing {

std::vector<StreamMessage> readWholeStream(const std::string& url, const std::string& stream) {
  adapters::nats::StreamSettings settings;
  settings.url = url;
  settings.stream = stream;
  auto session = adapters::nats::NatsSession::connect(settings, "parcours test reader");
  EXPECT_TRUE(session) << session.error().message;
  if (!session) return {};
  auto state = (*session)->streamState();
  EXPECT_TRUE(state) << state.error().message;
  if (!state) return {};
  std::vector<StreamMessage> out;
  for (std::uint64_t seq = state->firstSeq; seq != 0 && seq <= state->lastSeq; ++seq) {
    auto message = (*session)->messageAt(seq);
    if (!message) continue;  // deleted
    StreamMessage m;
    m.seq = seq;
    const char* value = nullptr;
    natsMsgHeader_Get(message->get(), "Parcours-Position", &value);
    m.position = value != nullptr ? std::stoull(value) : 0;
    natsMsgHeader_Get(message->get(), "Nats-Msg-Id", &value);
    m.msgId = value != nullptr ? value : "";
    natsMsgHeader_Get(message->get(), "Parcours-Hash", &value);
    m.hash = value != nullptr ? value : "";
    natsMsgHeader_Get(message->get(), "Parcours-Prev-Hash", &value);
    m.prevHash = value != nullptr ? value : "";
    m.subject = natsMsg_GetSubject(message->get());
    out.push_back(std::move(m));
  }
  return out;
}

void expectTheLogOnceInOrder(const std::vector<StreamMessage>& messages, std::uint64_t head) {
  ASSERT_EQ(messages.size(), head) << "the stream holds " << messages.size()
                                   << " messages, the log " << head << " events";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const StreamMessage& m = messages[i];
    ASSERT_EQ(m.position, i + 1) << "sequence " << m.seq;
    ASSERT_EQ(m.msgId, std::to_string(m.position));
    if (i > 0) {
      ASSERT_EQ(m.prevHash, messages[i - 1].hash) << "position " << m.position;
    }
  }
}

nlohmann::json nodeStatus(const std::string& httpAddress) {
  HttpClient client(httpAddress);
  auto reply = client.get("/status", "");
  if (reply.status != 200) return {};
  return reply.json();
}

void waitForStatus(const std::string& httpAddress, const std::string& what,
                   const std::function<bool(const nlohmann::json&)>& done) {
  nlohmann::json last;
  for (int i = 0; i < 600; ++i) {
    last = nodeStatus(httpAddress);
    if (!last.is_null() && done(last)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "timed out waiting for " << what << "; last status: " << last.dump();
}

void writeSomeEvents(ServerProcess& server, const std::string& campaignId, int dossiers) {
  HttpClient client(server.httpAddress());
  const std::string& admin = server.token("admin");
  openCampaign(client, admin, campaignId);
  for (int i = 0; i < dossiers; ++i) {
    auto reply = client.post("/v1/dossiers/" + campaignId + "-d" + std::to_string(i) + "/submit",
                             admin, submissionBody(campaignId));
    ASSERT_EQ(reply.status, 200u) << reply.body;
  }
}

void fillWithDemo(ServerProcess& server) {
  const std::string command = std::string(PARCOURS_BIN) + " --data " + server.storeDir().string() +
                              " demo >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

std::uint64_t headOf(const std::string& httpAddress) {
  auto status = nodeStatus(httpAddress);
  return status.value("head", std::uint64_t{0});
}

}  // namespace parcours::testing
