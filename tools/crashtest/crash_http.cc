#include "crash_http.h"

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace parcours::crashtest {
namespace {

struct Answer {
  unsigned status = 0;
  std::string body;
};

// One client: one kj event loop and connection pool, on its own thread.
class Client {
 public:
  Client(std::string address, std::string token)
      : address_(std::move(address)),
        bearer_("Bearer " + std::move(token)),
        io_(kj::setupAsyncIo()),
        authorization_(tableBuilder_.add("Authorization")),
        idempotencyKey_(tableBuilder_.add("Idempotency-Key")),
        table_(tableBuilder_.build()),
        http_(kj::newHttpClient(io_.provider->getTimer(), *table_, io_.provider->getNetwork(),
                                nullptr)) {}

  // Throws kj::Exception when the server is gone.
  Answer post(const std::string& path, const std::string& key, const std::string& body) {
    kj::HttpHeaders headers(*table_);
    headers.set(authorization_, bearer_.c_str());
    headers.set(idempotencyKey_, key.c_str());
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, "application/json");
    const std::string url = "http://" + address_ + path;
    auto request = http_->request(kj::HttpMethod::POST, url.c_str(), headers, body.size());
    auto writing = request.body->write(body.data(), body.size()).attach(kj::mv(request.body));
    auto response = request.response.wait(io_.waitScope);
    writing.wait(io_.waitScope);
    Answer answer{response.statusCode, {}};
    answer.body = response.body->readAllText().wait(io_.waitScope).cStr();
    return answer;
  }

 private:
  std::string address_;
  std::string bearer_;
  kj::AsyncIoContext io_;
  kj::HttpHeaderTable::Builder tableBuilder_;
  kj::HttpHeaderId authorization_;
  kj::HttpHeaderId idempotencyKey_;
  kj::Own<kj::HttpHeaderTable> table_;
  kj::Own<kj::HttpClient> http_;
};

std::string submission(const std::string& title) {
  return nlohmann::json{
      {"reason", "crash test"},
      {"campaignId", std::string(campaignId)},
      {"application",
       {{"applicantName", "Crash commune"},
        {"applicantKind", "commune"},
        {"title", title},
        {"summary", "Submitted over HTTP while the server is killed."},
        {"contact", {{"name", "C. Test"}, {"email", "c@test.fr"}, {"phone", "0102030405"}}}}}}
      .dump();
}

// The answer's positions and stream, as an acknowledgement. The server
// records an Idempotency-Key under its token's subject ("crashtest/<key>").
Ack ackOfAnswer(const std::string& commandId, const std::string& body) {
  const auto json = nlohmann::json::parse(body);
  Ack ack{'h',
          "crashtest/" + commandId,
          std::stoull(json.at("firstPosition").get<std::string>()),
          std::stoull(json.at("lastPosition").get<std::string>()),
          {}};
  ack.streams.push_back({json.at("streamId").get<std::string>(),
                         std::stoull(json.at("streamVersion").get<std::string>())});
  return ack;
}

}  // namespace

void runHttpClients(const std::string& address, const std::string& token, unsigned round,
                    unsigned threads, const std::atomic<bool>& stop, AckCollector& acks,
                    std::string& failure) {
  std::mutex failureMutex;
  std::vector<std::thread> clients;
  for (unsigned t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      Client client(address, token);
      const std::string prefix = "h-r" + std::to_string(round) + "-t" + std::to_string(t);
      for (std::uint64_t n = 0; !stop.load(); ++n) {
        const std::string dossierId = prefix + "-" + std::to_string(n);
        const std::pair<std::string, std::string> steps[] = {
            {"/v1/dossiers/" + dossierId + "/submit", submission(dossierId)},
            {"/v1/dossiers/" + dossierId + "/eligible", R"({"reason": "crash test"})"}};
        for (std::size_t step = 0; step < 2; ++step) {
          const std::string commandId = dossierId + "-c" + std::to_string(step);
          Answer answer;
          try {
            answer = client.post(steps[step].first, commandId, steps[step].second);
          } catch (const kj::Exception&) {
            return;  // the server is gone: the kill came
          }
          if (answer.status / 100 != 2) {
            if (stop.load()) return;
            std::lock_guard lock(failureMutex);
            if (failure.empty()) {
              failure = "POST " + steps[step].first + " answered " + std::to_string(answer.status) +
                        ": " + answer.body;
            }
            return;
          }
          try {
            acks.add(ackOfAnswer(commandId, answer.body));
          } catch (const std::exception& e) {
            std::lock_guard lock(failureMutex);
            if (failure.empty()) failure = "an answer without positions: " + answer.body;
            return;
          }
        }
      }
    });
  }
  for (auto& c : clients) c.join();
}

}  // namespace parcours::crashtest
