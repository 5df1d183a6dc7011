// What an outside probe broke (issue 17, part 1), one regression test per
// defect, against a real `parcours serve`: bodies that crashed it, framing
// that leaked internals, descriptors running out, reads before the role
// check, recusal that hid nothing, answers that told applicants about
// others' dossiers, files others could read, and the smaller ones.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_run.h"
#include "eventually.h"
#include "server_process.h"

namespace parcours::testing {
namespace {

using kj::HttpMethod;

// A connected loopback socket to "127.0.0.1:PORT", or -1.
int connectTo(const std::string& address) {
  const auto colon = address.rfind(':');
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as it is (no client library to tidy it up) and reads the
// answer until the server closes or 10 s pass.
std::string rawExchange(const std::string& address, const std::string& request) {
  int fd = connectTo(address);
  if (fd < 0) return "";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, n);
  ::close(fd);
  return answer;
}

class HardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    client_ = std::make_unique<HttpClient>(server_.httpAddress());
    openCampaign(*client_, token("admin"), "h");
    auto jury = client_->send(HttpMethod::PUT, "/v1/campaigns/h/jury", token("admin"),
                              R"({"members": [{"id": "j1", "name": "Juror One", "role": "juror"},
                                              {"id": "j2", "name": "Juror Two", "role": "juror"}]})");
    ASSERT_EQ(jury.status, 200u) << jury.body;
  }

  const std::string& token(const std::string& who) { return server_.token(who); }

  // A dossier of campaign "h" submitted by `applicant`.
  std::string submitAs(const std::string& applicant, const std::string& id) {
    auto reply = client_->post("/v1/dossiers/" + id + "/submit", token(applicant), submissionBody("h"));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return id;
  }

  bool alive() { return client_->get("/healthz", "").status == 200; }

  ServerProcess server_;
  std::unique_ptr<HttpClient> client_;
};

// 1. 100,000 '[' around a non-ASCII string crashed the server (nlohmann's
// unbounded recursion, before the role check).
TEST_F(HardeningTest, ADeeplyNestedBodyIsRefusedByRoleThenByDepthAndTheServerStaysUp) {
  const std::string body = std::string(100'000, '[') + "\"\xc3\xa9\"" + std::string(100'000, ']');
  auto asIntegrator = client_->post("/v1/dossiers/x/submit", token("integrator"), body);
  EXPECT_EQ(asIntegrator.status, 403u) << "the role is checked before the body is read";
  auto asAdmin = client_->post("/v1/dossiers/x/submit", token("admin"), body);
  EXPECT_EQ(asAdmin.status, 400u) << asAdmin.body;
  EXPECT_TRUE(contains(asAdmin.body, "nests deeper than 32 levels")) << asAdmin.body;
  auto webhook = client_->post("/v1/webhooks", token("admin"), body);
  EXPECT_EQ(webhook.status, 400u) << webhook.body;
  EXPECT_TRUE(alive());
}

// 2. With the descriptors exhausted, accept() failed and both listeners
// stopped for good; and connections had no cap. First the cap.
TEST(HardeningListenerTest, ConnectionsPastTheCapGet503AndServingResumesBelowIt) {
  ServerProcess server;
  server.start({"--max-connections", "8"});
  // Past the cap: 503 with Retry-After, then closed.
  std::vector<int> idle;
  for (int i = 0; i < 8; ++i) idle.push_back(connectTo(server.httpAddress()));
  ASSERT_TRUE(eventually("the server to count 8 open connections", [&] {
    return contains(rawExchange(server.httpAddress(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                    "503");
  }));
  const std::string refused =
      rawExchange(server.httpAddress(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(contains(refused, "HTTP/1.1 503")) << refused;
  EXPECT_TRUE(contains(refused, "Retry-After: 1")) << refused;
  for (int fd : idle) ::close(fd);
  idle.clear();
  ASSERT_TRUE(eventually("the server to serve again once the idle connections closed", [&] {
    return contains(rawExchange(server.httpAddress(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                    "200 OK");
  }));

  EXPECT_EQ(server.stop(), 0);
}

// No descriptor left: accept fails (EMFILE), the listener backs off, and
// accepts again once descriptors are free. The limit leaves the server 48
// descriptors more than it holds now (RocksDB may open a few meanwhile),
// and 160 connections come.
TEST(HardeningListenerTest, RunningOutOfDescriptorsStopsNoListenerForGood) {
#ifdef PARCOURS_UBSAN
  GTEST_SKIP() << "UBSan's vptr check opens a pipe to probe memory, which a process out of "
                  "descriptors cannot: this runs in the Release and ThreadSanitizer builds";
#endif
  ServerProcess server;
  server.start();
  std::vector<int> idle;
  std::size_t held = 0;
  for ([[maybe_unused]] const auto& fd :
       std::filesystem::directory_iterator("/proc/" + std::to_string(server.pid()) + "/fd")) {
    ++held;
  }
  const std::string limit = "prlimit --pid " + std::to_string(server.pid()) +
                            " --nofile=" + std::to_string(held + 48) + ":" + std::to_string(held + 48);
  ASSERT_EQ(std::system(limit.c_str()), 0) << limit;
  for (int i = 0; i < 160; ++i) {
    int fd = connectTo(server.httpAddress());
    if (fd >= 0) idle.push_back(fd);
  }
  const std::string log = (server.storeDir().parent_path() / "serve.log").string();
  auto logTail = [&] {
    std::ifstream in(log);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string tail;
    for (std::size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); ++i) {
      tail += "\n  " + lines[i];
    }
    return "held " + std::to_string(held) + " descriptors before the limit; serve.log ends:" + tail;
  };
  ASSERT_TRUE(eventually("the server to log an accept failure", [&] {
    return std::system(("grep -q 'accept failed' " + log).c_str()) == 0;
  }, logTail));
  for (int fd : idle) ::close(fd);
  ASSERT_TRUE(eventually("the server to accept again after running out of descriptors", [&] {
    return contains(rawExchange(server.httpAddress(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                    "200 OK");
  }, logTail));
  EXPECT_EQ(server.stop(), 0);
}

// 3. ?at= replayed the log, on the event loop, before the role check.
TEST_F(HardeningTest, PastViewsCheckTheRoleBeforeReplayingAnything) {
  const std::string mine = submitAs("applicant-a", "h-past-a");
  auto everything = client_->get("/v1/dossiers?at=1", token("applicant-a"));
  EXPECT_EQ(everything.status, 403u) << everything.body;
  auto campaign = client_->get("/v1/campaigns/h?at=1", token("integrator"));
  EXPECT_EQ(campaign.status, 403u) << campaign.body;
  auto own = client_->get("/v1/dossiers/" + mine + "?at=" + std::to_string(headOf(*client_, token("admin"))),
                          token("applicant-a"));
  EXPECT_EQ(own.status, 200u) << own.body;
  auto others = client_->get("/v1/dossiers/" + mine + "?at=2", token("applicant-b"));
  EXPECT_EQ(others.status, 404u) << others.body;
  auto auditor = client_->get("/v1/dossiers?at=1", token("auditor"));
  EXPECT_EQ(auditor.status, 200u) << auditor.body;
}

// 4. A recused juror read the dossier, the other jurors' scores included;
// and applicants saw who scored what.
TEST_F(HardeningTest, ARecusedJurorReadsNothingOfTheDossierAndApplicantsSeeNoJurorsMarks) {
  const std::string d = submitAs("applicant-a", "h-recused");
  ASSERT_EQ(client_->post("/v1/dossiers/" + d + "/eligible", token("instructor"), "{}").status, 200u);
  ASSERT_EQ(client_->post("/v1/dossiers/" + d + "/audition", token("instructor"),
                          R"({"slot": "2030-01-10T10:00:00+01:00"})")
                .status,
            200u);
  ASSERT_EQ(client_->post("/v1/dossiers/" + d + "/audition-held", token("instructor"), "{}").status,
            200u);
  auto scored = client_->post(
      "/v1/dossiers/" + d + "/score", token("j1"),
      R"({"scores": [{"criterionId": "innovation", "value": 8}, {"criterionId": "users", "value": 7},
          {"criterionId": "reproducibility", "value": 9}, {"criterionId": "mutualisation", "value": 6},
          {"criterionId": "efficiency_sobriety", "value": 8}]})");
  ASSERT_EQ(scored.status, 200u) << scored.body;
  auto declared = client_->post("/v1/campaigns/h/conflicts", token("admin"),
                                R"({"reason": "j2 advised the applicant", "jurorId": "j2", "dossierId": ")" + d + R"("})");
  ASSERT_EQ(declared.status, 200u) << declared.body;
  const std::string after = "?minPosition=" + declared.json().at("lastPosition").get<std::string>();
  for (const std::string& path : {"/v1/dossiers/" + d, "/v1/dossiers/" + d + "/timeline",
                                 "/v1/dossiers/" + d + "/audit", "/v1/dossiers/" + d + "/audit?format=csv"}) {
    auto reply = client_->get(path + (contains(path, "?") ? "&" : "?") + after.substr(1), token("j2"));
    EXPECT_EQ(reply.status, 403u) << path << ": " << reply.body;
    EXPECT_TRUE(contains(reply.body, "recused")) << reply.body;
  }
  auto campaignAudit = client_->get("/v1/campaigns/h/audit" + after, token("j2"));
  ASSERT_EQ(campaignAudit.status, 200u) << campaignAudit.body;
  EXPECT_FALSE(contains(campaignAudit.body, d)) << "the campaign's trail hides the dossier too";
  EXPECT_EQ(client_->get("/v1/dossiers/" + d + after, token("j1")).status, 200u);
  // The applicant sees the decisions, not who scored what.
  auto timeline = client_->get("/v1/dossiers/" + d + "/timeline" + after, token("applicant-a"));
  ASSERT_EQ(timeline.status, 200u) << timeline.body;
  EXPECT_FALSE(contains(timeline.body, "\"j1\"")) << timeline.body;
  EXPECT_FALSE(contains(timeline.body, "innovation 8")) << timeline.body;
  EXPECT_TRUE(contains(timeline.body, "a juror's score was recorded")) << timeline.body;
}

// 4, the other side: a campaign may choose to show its applicants who scored
// what ("applicants_see_jurors": true in its definition).
TEST(HardeningJurorsTest, ACampaignThatShowsItsJurorsShowsThemToItsApplicants) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  auto definition = futureCampaignDefinition("shown");
  definition["applicants_see_jurors"] = true;
  ASSERT_EQ(client.post("/v1/campaigns/shown", admin, nlohmann::json{{"definition", definition}}.dump()).status,
            200u);
  auto rules = client.get("/v1/campaigns/shown/rules", admin);
  ASSERT_EQ(rules.status, 200u) << rules.body;
  EXPECT_TRUE(contains(rules.body, "\"applicantsSeeJurors\":true")) << rules.body;
  ASSERT_EQ(client.send(HttpMethod::PUT, "/v1/campaigns/shown/jury", admin,
                        R"({"members": [{"id": "j1", "name": "Juror One", "role": "juror"}]})")
                .status,
            200u);
  ASSERT_EQ(client.post("/v1/dossiers/s-1/submit", server.token("applicant-a"), submissionBody("shown"))
                .status,
            200u);
  ASSERT_EQ(client.post("/v1/dossiers/s-1/eligible", server.token("instructor"), "{}").status, 200u);
  ASSERT_EQ(client.post("/v1/dossiers/s-1/audition", server.token("instructor"),
                        R"({"slot": "2030-01-10T10:00:00+01:00"})")
                .status,
            200u);
  ASSERT_EQ(client.post("/v1/dossiers/s-1/audition-held", server.token("instructor"), "{}").status,
            200u);
  auto scored = client.post(
      "/v1/dossiers/s-1/score", server.token("j1"),
      R"({"scores": [{"criterionId": "innovation", "value": 8}, {"criterionId": "users", "value": 7},
          {"criterionId": "reproducibility", "value": 9}, {"criterionId": "mutualisation", "value": 6},
          {"criterionId": "efficiency_sobriety", "value": 8}]})");
  ASSERT_EQ(scored.status, 200u) << scored.body;
  const std::string after = "?minPosition=" + scored.json().at("lastPosition").get<std::string>();
  auto timeline = client.get("/v1/dossiers/s-1/timeline" + after, server.token("applicant-a"));
  ASSERT_EQ(timeline.status, 200u) << timeline.body;
  EXPECT_TRUE(contains(timeline.body, "\"j1\"")) << timeline.body;
  EXPECT_FALSE(contains(timeline.body, "a juror's score was recorded")) << timeline.body;
  auto audit = client.get("/v1/dossiers/s-1/audit" + after, server.token("applicant-a"));
  ASSERT_EQ(audit.status, 200u) << audit.body;
  EXPECT_TRUE(contains(audit.body, "\"j1\"")) << audit.body;
  EXPECT_EQ(server.stop(), 0);
}

// 5. An administrator could record a score in a juror's name.
TEST_F(HardeningTest, NobodyRecordsAScoreOrAVoteInAnothersName) {
  const std::string d = submitAs("applicant-a", "h-proxy");
  auto score = client_->post("/v1/dossiers/" + d + "/score", token("admin"),
                             R"({"jurorId": "j1", "scores": [{"criterionId": "innovation", "value": 1}]})");
  EXPECT_EQ(score.status, 403u) << score.body;
  EXPECT_TRUE(contains(score.body, "in the name of j1")) << score.body;
  auto vote = client_->post("/v1/dossiers/" + d + "/vote", token("admin"),
                            R"({"voterId": "j2", "choice": "yes"})");
  EXPECT_EQ(vote.status, 403u) << vote.body;
}

// 6. Malformed framing answered 500 with kj's internals, unauthenticated.
TEST_F(HardeningTest, MalformedFramingHeadersAnswer400WithoutInternals) {
  const std::vector<std::string> framings = {
      "Content-Length: abc\r\n",
      "Content-Length: 5\r\nContent-Length: 6\r\n",
      "Transfer-Encoding: gzip\r\n",
      "Content-Length: -1\r\n",
  };
  for (const auto& framing : framings) {
    const std::string answer = rawExchange(
        server_.httpAddress(),
        "POST /v1/dossiers/x/submit HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n{\"a\":1}");
    EXPECT_TRUE(contains(answer, "HTTP/1.1 400")) << framing << answer;
    EXPECT_FALSE(contains(answer, ".c++")) << framing << answer;
    EXPECT_FALSE(contains(answer, "kj/")) << framing << answer;
    EXPECT_FALSE(contains(answer, "0x")) << framing << answer;
  }
  EXPECT_TRUE(alive());
}

// 7. A NUL cut text short; %00 in a path served another file.
TEST_F(HardeningTest, NulsAreRefusedInBodiesAndPaths) {
  const std::string d = submitAs("applicant-a", "h-nul");
  auto escaped = client_->post("/v1/dossiers/" + d + "/eligible", token("instructor"),
                               R"({"reason": "Pro\u0000jet"})");
  EXPECT_EQ(escaped.status, 400u) << escaped.body;
  EXPECT_TRUE(contains(escaped.body, "NUL")) << escaped.body;
  auto titled = client_->post("/v1/dossiers/h-nul-2/submit", token("applicant-a"),
                              submissionBody("h", std::string("Pro\0jet", 7)));
  EXPECT_EQ(titled.status, 400u) << titled.body;
  EXPECT_EQ(client_->get("/index.html%00.js", "").status, 404u);
  EXPECT_EQ(client_->get("/v1/dossiers/" + d + "%00x", token("admin")).status, 404u);
  EXPECT_EQ(client_->get("/v1/dossiers/" + d, token("admin")).json().at("status"), "submitted");
}

// 8. Applicants learned others' dossiers' states, and replayed others' keys.
TEST_F(HardeningTest, ApplicantsLearnNothingOfOthersDossiersNorOfTheirIdempotencyKeys) {
  const std::string d = submitAs("applicant-a", "h-other");
  ASSERT_EQ(client_->post("/v1/dossiers/" + d + "/ineligible", token("instructor"),
                          R"({"reason": "incomplete"})")
                .status,
            200u);
  auto submit = client_->post("/v1/dossiers/" + d + "/submit", token("applicant-b"), submissionBody("h"));
  EXPECT_EQ(submit.status, 409u) << submit.body;
  EXPECT_TRUE(contains(submit.body, "is taken")) << submit.body;
  EXPECT_FALSE(contains(submit.body, "ineligible")) << submit.body;
  // Another's dossier and a dossier that never was: the same answer.
  auto others = client_->get("/v1/dossiers/" + d, token("applicant-b"));
  auto never = client_->get("/v1/dossiers/h-never", token("applicant-b"));
  EXPECT_EQ(others.status, 404u);
  EXPECT_EQ(never.status, 404u);
  EXPECT_EQ(others.json().at("detail").get<std::string>().substr(0, 12), "no dossier \"");
  auto withdraw = client_->post("/v1/dossiers/" + d + "/withdraw", token("applicant-b"), "{}");
  EXPECT_EQ(withdraw.status, 404u) << withdraw.body;
  // One subject's Idempotency-Key is not another's.
  auto first = client_->send(HttpMethod::POST, "/v1/dossiers/h-key-a/submit", token("applicant-a"),
                             submissionBody("h"), {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  auto second = client_->send(HttpMethod::POST, "/v1/dossiers/h-key-b/submit", token("applicant-b"),
                              submissionBody("h"), {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_FALSE(second.json().at("deduplicated").get<bool>()) << second.body;
  EXPECT_EQ(second.json().at("streamId"), "dossier-h-key-b");
}

// 9. tokens.json was 644, the key store 755/644, the log 644.
TEST(HardeningFilesTest, EverythingParcoursCreatesIsItsOwnersAlone) {
  TempDir dir;
  const auto store = dir.path() / "store";
  const auto keys = dir.path() / "keys";
  const auto tokens = dir.path() / "tokens.json";
  ASSERT_EQ(std::system(("umask 022; " + std::string(PARCOURS_BIN) + " --data " + store.string() +
                         " --keys " + keys.string() + " demo >/dev/null 2>&1")
                            .c_str()),
            0);
  ASSERT_EQ(std::system(("umask 000; " + std::string(PARCOURS_BIN) + " token add --tokens " +
                         tokens.string() + " --subject a --role auditor >/dev/null 2>&1")
                            .c_str()),
            0);
  namespace fs = std::filesystem;
  constexpr auto others = fs::perms::group_all | fs::perms::others_all;
  std::size_t checked = 0;
  for (const auto& root : {store, keys}) {
    ASSERT_TRUE(fs::exists(root)) << root;
    EXPECT_EQ(fs::status(root).permissions() & others, fs::perms::none) << root;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      EXPECT_EQ(entry.status().permissions() & others, fs::perms::none) << entry.path();
      ++checked;
    }
  }
  EXPECT_GT(checked, 10u);
  EXPECT_EQ(fs::status(tokens).permissions() & others, fs::perms::none);
  // A key store others can read is refused, not used.
  fs::permissions(keys, fs::perms::group_read | fs::perms::group_exec, fs::perm_options::add);
  Outcome refused = runCommand(PARCOURS_BIN,
                               {"--data", store.string(), "--keys", keys.string(), "serve",
                                "--tokens", tokens.string(), "--http", "127.0.0.1:0", "--rpc",
                                "127.0.0.1:0"},
                               dir.path() / "err.txt");
  EXPECT_EQ(refused.exitCode, 6) << refused.err;
  EXPECT_TRUE(contains(refused.err, "can be read by others")) << refused.err;
}

// 10. The smaller ones.
TEST_F(HardeningTest, HeadAllowBearerCaseLastEventIdAndTokensOutOfUrls) {
  auto head = client_->send(HttpMethod::HEAD, "/v1/campaigns", token("admin"));
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  const std::string notAllowed = rawExchange(
      server_.httpAddress(), "DELETE /v1/dossiers/x/timeline HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 token("admin") + "\r\n\r\n");
  EXPECT_TRUE(contains(notAllowed, "HTTP/1.1 405")) << notAllowed;
  EXPECT_TRUE(contains(notAllowed, "Allow: GET, HEAD")) << notAllowed;
  const std::string lower = rawExchange(
      server_.httpAddress(),
      "GET /v1/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: bearer " + token("admin") + "\r\n\r\n");
  EXPECT_TRUE(contains(lower, "HTTP/1.1 200")) << lower;
  auto wrapped = client_->send(HttpMethod::GET, "/v1/events/stream", token("integrator"), "",
                               {{"Last-Event-ID", "18446744073709551615"}});
  EXPECT_EQ(wrapped.status, 400u) << wrapped.body;
  auto inUrl = client_->get("/v1/events?access_token=" + token("integrator"), "");
  EXPECT_EQ(inUrl.status, 401u) << "a token in the URL is not taken";
}

TEST_F(HardeningTest, TokensExpireAndARevokedTokenIsRefusedWithoutARestart) {
  EXPECT_EQ(client_->get("/v1/campaigns", token("auditor")).status, 200u);
  auto revoked = runCommand(PARCOURS_BIN,
                            {"token", "revoke", "--tokens", server_.tokensFile().string(),
                             "--subject", "auditor", "--json"},
                            server_.storeDir().parent_path() / "revoke.txt");
  ASSERT_EQ(revoked.exitCode, 0) << revoked.err;
  EXPECT_TRUE(eventually("the revoked token to be refused",
                         [&] { return client_->get("/v1/campaigns", token("auditor")).status == 401; }));
  EXPECT_EQ(client_->get("/v1/campaigns", token("admin")).status, 200u) << "the others still work";
  // A token past its expiry is refused.
  auto added = runCommand(PARCOURS_BIN,
                          {"token", "add", "--tokens", server_.tokensFile().string(), "--subject",
                           "old", "--role", "auditor", "--expires", "2020-01-01T00:00:00Z", "--json"},
                          server_.storeDir().parent_path() / "add.txt");
  ASSERT_EQ(added.exitCode, 0) << added.err;
  const std::string expired = nlohmann::json::parse(added.out).at("token");
  EXPECT_EQ(client_->get("/v1/campaigns", expired).status, 401u);
  EXPECT_EQ(runCommand(PARCOURS_BIN,
                       {"token", "revoke", "--tokens", server_.tokensFile().string(), "--subject",
                        "nobody"},
                       server_.storeDir().parent_path() / "none.txt")
                .exitCode,
            3);
}

// 12. A retried command id answered the dossier's current state.
TEST_F(HardeningTest, ARetriedIdempotencyKeyAnswersTheFirstResult) {
  const std::string d = submitAs("applicant-a", "h-retry");
  auto first = client_->send(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", token("instructor"),
                             "{}", {{"Idempotency-Key", "e1"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(client_->post("/v1/dossiers/" + d + "/withdraw", token("applicant-a"), "{}").status, 200u);
  auto again = client_->send(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", token("instructor"),
                             "{}", {{"Idempotency-Key", "e1"}});
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_TRUE(again.json().at("deduplicated").get<bool>());
  EXPECT_EQ(again.json().at("status"), "eligible");
  EXPECT_EQ(again.json().at("streamVersion"), first.json().at("streamVersion"));
}

// 13. A write's Parcours-Position was one behind the write it answered.
TEST_F(HardeningTest, AWritesPositionHeaderCoversTheWrite) {
  auto reply = client_->post("/v1/dossiers/h-position/submit", token("applicant-a"), submissionBody("h"));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto written = std::stoull(reply.json().at("lastPosition").get<std::string>());
  EXPECT_GE(std::stoull(reply.position), written) << "Parcours-Position " << reply.position;
}

}  // namespace
}  // namespace parcours::testing
