// Test support: `parcours serve` as a child process on random loopback
// ports over a store in a temp dir, with one token per role, and a
// synchronous HTTP client (kj-http) to talk to it.
#pragma once

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"

namespace parcours::testing {

class ServerProcess {
 public:
  // Makes tokens for: admin (administrator), instructor, j1 and j2 (juror),
  // auditor, integrator, applicant-a and applicant-b (applicant).
  ServerProcess();
  ~ServerProcess();  // SIGKILL if still running

  // Starts the server over the store (the same one across restarts), with
  // `extraArgs` after `serve`'s own (--nats URL, --replica-of URL...).
  void start(const std::vector<std::string>& extraArgs = {});
  // SIGKILL and wait: a crash, for the tests that resume after one.
  void kill();
  // SIGSTOP / SIGCONT: a process that stops reading for a while.
  void pause();
  void resume();
  // SIGTERM and wait; returns the exit code.
  int stop();

  const std::string& httpAddress() const { return http_; }  // "127.0.0.1:NNNN"
  const std::string& rpcAddress() const { return rpc_; }
  const std::string& token(const std::string& subject) const { return tokens_.at(subject); }
  std::filesystem::path storeDir() const { return dir_.path() / "store"; }
  std::filesystem::path tokensFile() const { return dir_.path() / "tokens.json"; }
  pid_t pid() const { return pid_; }

 private:
  // Prints the log's last lines to stderr (a failed test's evidence).
  static void printLogTail(const std::filesystem::path& log);

  TempDir dir_;
  std::map<std::string, std::string> tokens_;
  pid_t pid_ = -1;
  std::string http_;
  std::string rpc_;
};

struct HttpReply {
  unsigned status = 0;
  std::string contentType;
  std::string position;  // the Parcours-Position header: the position the answer reflects
  std::string allow;     // the Allow header (a 405's)
  std::string etag;      // the ETag header (a draft's version)
  std::string body;
  nlohmann::json json() const;  // the body parsed (fails the test if not JSON)
};

// One connection's worth of client, for one thread.
class HttpClient {
 public:
  explicit HttpClient(std::string address);
  HttpReply send(kj::HttpMethod method, const std::string& path, const std::string& token,
                 const std::string& body = "",
                 const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpReply get(const std::string& path, const std::string& token) {
    return send(kj::HttpMethod::GET, path, token);
  }
  HttpReply post(const std::string& path, const std::string& token, const std::string& body) {
    return send(kj::HttpMethod::POST, path, token, body);
  }

  // Opens an SSE stream and reads events until `count` arrived or
  // `seconds` passed: (id, data) pairs in arrival order.
  std::vector<std::pair<std::uint64_t, std::string>> readEvents(
      const std::string& path, const std::string& token, std::size_t count, double seconds,
      const std::vector<std::pair<std::string, std::string>>& headers = {});

  // Drops the connections: after the server closed one without warning.
  void reconnect();

  kj::AsyncIoContext& io() { return io_; }

 private:
  HttpReply sendOnce(kj::HttpMethod method, const std::string& path, const std::string& token,
                     const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers);

  std::string address_;
  kj::AsyncIoContext io_;
  kj::HttpHeaderTable table_;
  kj::Own<kj::HttpClient> client_;
};

// A campaign definition (the label's, id `campaignId`) open until 2099.
nlohmann::json futureCampaignDefinition(const std::string& campaignId);
// The log's head, as GET /v1/events says.
std::uint64_t headOf(HttpClient& client, const std::string& token);
// Opens `id` (futureCampaignDefinition) over HTTP; fails the test if refused.
void openCampaign(HttpClient& client, const std::string& token, const std::string& id);
// A submission body for `campaignId`.
std::string submissionBody(const std::string& campaignId, const std::string& title = "Projet");

}  // namespace parcours::testing
