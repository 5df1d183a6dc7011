#include "server_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "eventually.h"

namespace parcours::testing {
namespace {

std::string runForOutput(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

}  // namespace

ServerProcess::ServerProcess() {
  const std::vector<std::pair<std::string, std::string>> subjects = {{"admin", "administrator"},
                                                                     {"instructor", "instructor"},
                                                                     {"j1", "juror"},
                                                                     {"j2", "juror"},
                                                                     {"auditor", "auditor"},
                                                                     {"integrator", "integrator"},
                                                                     {"applicant-a", "applicant"},
                                                                     {"applicant-b", "applicant"}};
  const std::string tokens = (dir_.path() / "tokens.json").string();
  for (const auto& [subject, role] : subjects) {
    const std::string out = runForOutput(std::string(PARCOURS_BIN) + " token add --json --tokens " +
                                         tokens + " --subject " + subject + " --role " + role);
    tokens_[subject] = nlohmann::json::parse(out).at("token").get<std::string>();
  }
  std::filesystem::create_directories(storeDir());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  // The server's log (and a sanitizer's report, which goes to its stderr)
  // lives in the temp dir that is about to go: a failed test shows it, so
  // a failure seen once in CI can be read rather than guessed.
  if (::testing::Test::HasFailure()) printLogTail(dir_.path() / "serve.log");
}

void ServerProcess::printLogTail(const std::filesystem::path& log) {
  constexpr std::size_t kLastLines = 200;
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > 2 * kLastLines) lines.erase(lines.begin(), lines.end() - kLastLines);
  }
  const std::size_t from = lines.size() > kLastLines ? lines.size() - kLastLines : 0;
  std::fprintf(stderr, "--- the server's log (%s), last %zu lines ---\n", log.c_str(),
               lines.size() - from);
  for (std::size_t i = from; i < lines.size(); ++i) std::fprintf(stderr, "%s\n", lines[i].c_str());
  std::fprintf(stderr, "--- end of the server's log ---\n");
}

void ServerProcess::start(const std::vector<std::string>& extraArgs) {
  const auto portFile = dir_.path() / "ports.json";
  std::filesystem::remove(portFile);
  const std::string store = storeDir().string();
  const std::string tokens = (dir_.path() / "tokens.json").string();
  const std::string ports = portFile.string();
  const std::string log = (dir_.path() / "serve.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Dies with the test: a test that crashes must not leave a server
    // behind holding ctest's output pipe open.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::FILE* err = std::freopen(log.c_str(), "a", stderr);
    std::FILE* out = std::freopen(log.c_str(), "a", stdout);
    (void)err;
    (void)out;
    std::vector<std::string> args = {PARCOURS_BIN, "--data",   store,         "--log-level",
                                     "info",       "serve",    "--http",      "127.0.0.1:0",
                                     "--rpc",      "127.0.0.1:0", "--tokens", tokens,
                                     "--port-file", ports};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(PARCOURS_BIN, argv.data());
    std::_Exit(127);
  }
  ASSERT_TRUE(eventually("the server to write its port file " + portFile.string(),
                         [&] { return std::filesystem::exists(portFile); },
                         [&] { return "no port file; see " + log; }));
  std::ifstream in(portFile);
  auto addresses = nlohmann::json::parse(in);
  http_ = addresses.at("http").get<std::string>();
  rpc_ = addresses.at("rpc").get<std::string>();
}

void ServerProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void ServerProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

nlohmann::json HttpReply::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    ADD_FAILURE() << "not JSON (" << e.what() << "): " << body;
    return {};
  }
}

HttpClient::HttpClient(std::string address)
    : address_(std::move(address)), io_(kj::setupAsyncIo()) {
  client_ =
      kj::newHttpClient(io_.provider->getTimer(), table_, io_.provider->getNetwork(), nullptr);
}

void HttpClient::reconnect() {
  client_ =
      kj::newHttpClient(io_.provider->getTimer(), table_, io_.provider->getNetwork(), nullptr);
}

HttpReply HttpClient::send(kj::HttpMethod method, const std::string& path, const std::string& token,
                           const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  if (method != kj::HttpMethod::GET) return sendOnce(method, path, token, body, headers);
  // The server closes a keep-alive connection left idle past its pipeline
  // timeout (5 s); a client whose event loop did not run meanwhile (the
  // test thread was blocked) only finds out when it reuses it. A GET is
  // safe to resend on a new connection, as browsers do.
  try {
    return sendOnce(method, path, token, body, headers);
  } catch (const kj::Exception& e) {
    if (e.getType() != kj::Exception::Type::DISCONNECTED) throw;
    reconnect();
    return sendOnce(method, path, token, body, headers);
  }
}

HttpReply HttpClient::sendOnce(kj::HttpMethod method, const std::string& path,
                               const std::string& token, const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  kj::HttpHeaders h(table_);
  const std::string bearer = "Bearer " + token;
  if (!token.empty()) h.add("Authorization", bearer.c_str());
  for (const auto& [name, value] : headers) h.add(name.c_str(), value.c_str());
  const std::string url = "http://" + address_ + path;
  auto request = client_->request(method, url.c_str(), h, body.size());
  // A server may answer (413) and close before reading all of a large body:
  // the write then fails, and the answer is still there to read.
  auto writing = request.body->write(body.data(), body.size())
                     .catch_([](kj::Exception&&) {})
                     .attach(kj::mv(request.body))
                     .eagerlyEvaluate(nullptr);
  auto response = request.response.wait(io_.waitScope);
  HttpReply reply;
  reply.status = response.statusCode;
  KJ_IF_MAYBE (type, response.headers->get(kj::HttpHeaderId::CONTENT_TYPE)) {
    reply.contentType = type->cStr();
  }
  response.headers->forEach([&](kj::StringPtr name, kj::StringPtr value) {
    if (name == "Parcours-Position") reply.position = value.cStr();
    if (name == "Allow") reply.allow = value.cStr();
    if (name == "ETag") reply.etag = value.cStr();
  });
  reply.body = response.body->readAllText().wait(io_.waitScope).cStr();
  return reply;
}

std::vector<std::pair<std::uint64_t, std::string>> HttpClient::readEvents(
    const std::string& path, const std::string& token, std::size_t count, double seconds,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  // Its own client: the stream's connection is dropped at the end.
  auto client =
      kj::newHttpClient(io_.provider->getTimer(), table_, io_.provider->getNetwork(), nullptr);
  kj::HttpHeaders h(table_);
  const std::string bearer = "Bearer " + token;
  h.add("Authorization", bearer.c_str());
  for (const auto& [name, value] : headers) h.add(name.c_str(), value.c_str());
  const std::string url = "http://" + address_ + path;
  auto request = client->request(kj::HttpMethod::GET, url.c_str(), h, uint64_t(0));
  request.body = nullptr;
  auto response = request.response.wait(io_.waitScope);
  std::vector<std::pair<std::uint64_t, std::string>> events;
  if (response.statusCode != 200) {
    ADD_FAILURE() << "stream answered " << response.statusCode;
    return events;
  }
  auto deadline =
      io_.provider->getTimer().now() + static_cast<std::int64_t>(seconds * 1000) * kj::MILLISECONDS;
  std::string buffer;
  std::uint64_t id = 0;
  char chunk[8192];
  while (events.size() < count) {
    auto read = response.body->tryRead(chunk, 1, sizeof chunk)
                    .then([](size_t n) { return kj::Maybe<size_t>(n); })
                    .exclusiveJoin(io_.provider->getTimer().atTime(deadline).then(
                        [] { return kj::Maybe<size_t>(nullptr); }))
                    .wait(io_.waitScope);
    size_t n = 0;
    KJ_IF_MAYBE (got, read) {
      n = *got;
    } else
      break;            // timed out
    if (n == 0) break;  // the server closed the stream
    buffer.append(chunk, n);
    std::size_t end;
    // Stop at `count` exactly: what else arrived is sent again on resumption.
    while (events.size() < count && (end = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, end);
      buffer.erase(0, end + 1);
      if (line.rfind("id: ", 0) == 0) id = std::stoull(line.substr(4));
      if (line.rfind("data: ", 0) == 0) events.emplace_back(id, line.substr(6));
    }
  }
  return events;
}

std::uint64_t headOf(HttpClient& client, const std::string& token) {
  auto page = client.get("/v1/events?from=999999999", token);
  return std::stoull(page.json().at("head").get<std::string>());
}

void openCampaign(HttpClient& client, const std::string& token, const std::string& id) {
  auto opened = client.post("/v1/campaigns/" + id, token,
                            nlohmann::json{{"definition", futureCampaignDefinition(id)}}.dump());
  ASSERT_EQ(opened.status, 200u) << opened.body;
}

nlohmann::json futureCampaignDefinition(const std::string& campaignId) {
  std::ifstream in(std::string(PARCOURS_CAMPAIGNS_DIR) + "/label-territoire-innovant-2020.json");
  auto definition = nlohmann::json::parse(in);
  definition["id"] = campaignId;
  definition["deadline"]["local"] = "2099-12-31T23:59:59";
  // The base workflow over HTTP: every juror scores, no draw, no round
  // (the judging rules are exercised by the workflow and CLI suites).
  definition.erase("judging");
  definition["vote"].erase("tie_break");
  definition["vote"].erase("chair");
  // Slots at any time and the label at once: the seed's 2020 window and its
  // ceremony are the workflow suites' (seed_rules_test.cc).
  definition.erase("auditions");
  definition.erase("ceremony");
  // Submissions without answers: the form over HTTP is forms_server_test's.
  definition.erase("form");
  return definition;
}

std::string submissionBody(const std::string& campaignId, const std::string& title) {
  return nlohmann::json{
      {"campaignId", campaignId},
      {"application",
       {{"applicantName", "Commune de Test"},
        {"applicantKind", "commune"},
        {"title", title},
        {"summary", "Un projet de test."},
        {"contact", {{"name", "A. Test"}, {"email", "a@test.fr"}, {"phone", "0102030405"}}}}}}
      .dump();
}

}  // namespace parcours::testing
