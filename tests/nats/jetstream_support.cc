#include "jetstream_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "eventually.h"

#include "../../adapters/nats/event_message.h"
#include "../../adapters/nats/nats_session.h"

namespace parcours::testing {


std::vector<StreamMessage> readWholeStream(const std::string& url, const std::string& stream) {
  adapters::nats::StreamSettings settings;
  settings.url = url;
  settings.stream = stream;
  // A cluster that has just lost a node answers nothing for a while, until
  // the stream has a leader again: every read is retried until it answers.
  std::string lastError;
  auto remember = [&](const auto& result) {
    if (!result) lastError = result.error().message;
    return static_cast<bool>(result);
  };
  auto said = [&] { return lastError; };
  Result<std::unique_ptr<adapters::nats::NatsSession>> session =
      Error::ioError("not connected yet");
  EXPECT_TRUE(eventually("a connection to " + url, [&] {
    session = adapters::nats::NatsSession::connect(settings, "parcours test reader");
    return remember(session);
  }, said));
  if (!session) return {};
  Result<adapters::nats::NatsSession::StreamState> state = Error::ioError("not asked yet");
  EXPECT_TRUE(eventually("the state of stream " + stream + " (a leader that answers)", [&] {
    state = (*session)->streamState();
    return remember(state);
  }, said));
  if (!state) return {};
  std::vector<StreamMessage> out;
  for (std::uint64_t seq = state->firstSeq; seq != 0 && seq <= state->lastSeq; ++seq) {
    Result<adapters::nats::MessagePtr> message = Error::ioError("not asked yet");
    const bool answered = eventually("message " + std::to_string(seq) + " of " + stream, [&] {
      message = (*session)->messageAt(seq);
      return remember(message) || message.error().code == ErrorCode::NotFound;
    }, said);
    EXPECT_TRUE(answered);
    if (!answered) return out;
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
  EXPECT_TRUE(eventually(
      what,
      [&] {
        last = nodeStatus(httpAddress);
        return !last.is_null() && done(last);
      },
      [&] { return "status " + last.dump(); }, std::chrono::seconds(60), std::chrono::milliseconds(50)));
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
