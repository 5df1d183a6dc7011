// Signed, retried webhooks: the signing against the Standard Webhooks test
// vector and an independent checker (tests/webhooks/receiver.mjs, Node's
// crypto), the subscription store on a real RocksDB, and `parcours serve`
// end to end delivering to a Node receiver that fails at random: every
// event delivered, per-dossier order kept, dead letters parked and
// replayed in order, the cursor API, bad input refused, a dead receiver
// holding up nobody.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "../../adapters/webhooks/webhook_signing.h"
#include "../../adapters/webhooks/webhook_store.h"
#include "../server/server_process.h"
#include "cli_run.h"
#include "parcours/adapters/webhook_settings.h"
#include "temp_dir.h"
#include "eventually.h"

namespace parcours::testing {
namespace {

using nlohmann::json;
namespace wh = adapters::webhooks;

// ------------------------------------------------------------ the receiver

// tests/webhooks/receiver.mjs as a child process on a free loopback port.
class NodeReceiver {
 public:
  NodeReceiver() {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      ::execlp("node", "node", PARCOURS_RECEIVER, "--seed", "42", static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const auto hello = json::parse(line);
    address_ = "127.0.0.1:" + std::to_string(hello.at("port").get<int>());
  }
  ~NodeReceiver() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string url(const std::string& path) const { return "http://" + address_ + path; }
  // On a thread of their own: kj allows one event loop per thread, and the
  // test's thread has its client's.
  void configure(const json& settings) {
    HttpReply reply;
    std::thread([&] {
      HttpClient client(address_);
      reply = client.post("/control/configure", "", settings.dump());
    }).join();
    ASSERT_EQ(reply.status, 200u) << reply.body;
  }
  json log(const std::string& path) {
    HttpReply reply;
    std::thread([&] {
      HttpClient client(address_);
      reply = client.get("/control/log?path=" + path, "");
    }).join();
    return reply.json();
  }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

// Sets the server's webhook flags through their environment fallbacks
// (the child inherits them) for this test only.
struct WebhookEnv {
  WebhookEnv(const char* retryFor, const char* initial, const char* max) {
    ::setenv("PARCOURS_WEBHOOK_RETRY_FOR", retryFor, 1);
    ::setenv("PARCOURS_WEBHOOK_BACKOFF_INITIAL", initial, 1);
    ::setenv("PARCOURS_WEBHOOK_BACKOFF_MAX", max, 1);
  }
  ~WebhookEnv() {
    ::unsetenv("PARCOURS_WEBHOOK_RETRY_FOR");
    ::unsetenv("PARCOURS_WEBHOOK_BACKOFF_INITIAL");
    ::unsetenv("PARCOURS_WEBHOOK_BACKOFF_MAX");
  }
};

void submitAndConfirm(HttpClient& client, const std::string& token, const std::string& campaign,
                      const std::string& dossier) {
  auto submitted = client.post("/v1/dossiers/" + dossier + "/submit", token,
                               submissionBody(campaign));
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  auto eligible = client.post("/v1/dossiers/" + dossier + "/eligible", token, "{}");
  ASSERT_EQ(eligible.status, 200u) << eligible.body;
}

json createWebhook(HttpClient& client, const std::string& token, const json& body) {
  auto created = client.post("/v1/webhooks", token, body.dump());
  EXPECT_EQ(created.status, 201u) << created.body;
  return created.json();
}

// Waits until the webhook's cursor is at the log's head (polling; bounded
// so that a broken deliverer fails the test instead of hanging it).
json waitCaughtUp(HttpClient& client, const std::string& token, const std::string& id) {
  json shown;
  EXPECT_TRUE(eventually(
      "webhook " + id + " to catch up with the log's head",
      [&] {
        shown = client.get("/v1/webhooks/" + id, token).json();
        return shown.at("cursor") == shown.at("head");
      },
      [&] { return shown.dump(); }, std::chrono::seconds(120), std::chrono::milliseconds(20)));
  return shown;
}

// Every event of the log, as /v1/events pages them.
std::vector<json> allEvents(HttpClient& client, const std::string& token) {
  std::vector<json> out;
  std::uint64_t from = 1;
  for (;;) {
    auto page = client.get("/v1/events?from=" + std::to_string(from) + "&limit=1000", token).json();
    for (const auto& e : page.at("events")) out.push_back(e);
    const auto next = std::stoull(page.at("next").get<std::string>());
    if (next > std::stoull(page.at("head").get<std::string>())) return out;
    from = next;
  }
}

// The receiver's accepted deliveries: each webhook-id once (the first
// time), in arrival order, checked to be in order per stream.
std::vector<json> firstDeliveries(const json& accepted, const std::string& webhookId) {
  std::vector<json> out;
  std::set<std::string> seen;
  std::map<std::string, std::uint64_t> lastOfStream;
  for (const auto& a : accepted) {
    const std::string id = a.at("id");
    const auto position = a.at("position").get<std::uint64_t>();
    EXPECT_EQ(id, webhookId + "-" + std::to_string(position));
    if (!seen.insert(id).second) continue;  // a redelivery (at least once)
    const std::string stream = a.at("streamId");
    EXPECT_GT(position, lastOfStream[stream]) << "out of order in " << stream;
    lastOfStream[stream] = position;
    out.push_back(a);
  }
  return out;
}

// ------------------------------------------------------------ signing

TEST(WebhookSigningTest, MatchesTheStandardWebhooksTestVector) {
  auto key = wh::secretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(wh::sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSigningTest, Base64RoundTripsAndRefusesNonCanonicalText) {
  for (std::string bytes : {std::string(""), std::string("a"), std::string("ab"),
                            std::string("abc"), std::string("\0\xff\x10", 3)}) {
    const auto text = wh::base64Encode(bytes);
    if (bytes.empty()) {
      EXPECT_EQ(text, "");
      continue;
    }
    auto back = wh::base64Decode(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(wh::base64Encode("abcd"), "YWJjZA==");
  EXPECT_FALSE(wh::base64Decode("YWJjZA="));   // not a multiple of 4
  EXPECT_FALSE(wh::base64Decode("YW=jZA=="));  // padding inside
  EXPECT_FALSE(wh::base64Decode("YWJjZB=="));  // non-zero trailing bits
  EXPECT_FALSE(wh::base64Decode("YWJj ZA="));
}

TEST(WebhookSigningTest, SecretsAreCheckedAndGeneratedWithTheirPrefix) {
  const auto secret = wh::generateSecret();
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  auto key = wh::secretKey(secret);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NE(wh::generateSecret(), secret);
  EXPECT_FALSE(wh::secretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));  // no prefix
  EXPECT_FALSE(wh::secretKey("whsec_not base64!"));
  EXPECT_FALSE(wh::secretKey("whsec_" + wh::base64Encode("too short")));
}

// The checker the end-to-end tests rely on must itself refuse what is wrong.
TEST(WebhookSigningTest, TheIndependentCheckerAcceptsOurSignaturesAndRejectsTampering) {
  TempDir dir;
  const std::string secret = wh::generateSecret();
  const std::string body = R"({"position":"7","type":"DossierSubmitted"})";
  const std::string id = "wh_0123456789abcdef-7";
  const std::string timestamp = "1760000000";
  const std::string signature = wh::sign(*wh::secretKey(secret), id, timestamp, body);
  auto check = [&](const std::string& s, const std::string& i, const std::string& b,
                   const std::string& sig) {
    const auto file = dir.path() / "body";
    std::ofstream(file, std::ios::binary) << b;
    const std::string command = std::string("node ") + PARCOURS_RECEIVER + " --check '" + s +
                                "' '" + i + "' '" + timestamp + "' '" + sig + "' " +
                                file.string();
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(check(secret, id, body, signature), 0);
  EXPECT_EQ(check(wh::generateSecret(), id, body, signature), 1);  // a bad secret
  EXPECT_EQ(check(secret, id, body + " ", signature), 1);         // a tampered body
  EXPECT_EQ(check(secret, id, R"({"position":"8","type":"DossierSubmitted"})", signature), 1);
  EXPECT_EQ(check(secret, "wh_0123456789abcdef-8", body, signature), 1);  // another id
  EXPECT_EQ(check(secret, id, body, "v1,AAAA"), 1);
  // Several signatures in the header (key rotation): any one may match.
  EXPECT_EQ(check(secret, id, body, "v1,AAAA " + signature), 0);
}

TEST(WebhookSettingsTest, DurationsReadAsTheFlagsTakeThem) {
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "250ms"), 250u);
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "30s"), 30'000u);
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "30"), 30'000u);
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "5m"), 300'000u);
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "24h"), 86'400'000u);
  EXPECT_EQ(*adapters::parseWebhookDuration("--x", "2d"), 172'800'000u);
  for (const char* bad : {"", "h", "5x", "-1s", "1.5s", "400d"}) {
    auto parsed = adapters::parseWebhookDuration("--webhook-retry-for", bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("--webhook-retry-for"), std::string::npos);
  }
  EXPECT_EQ(adapters::formatWebhookDuration(86'400'000), "1d");
  EXPECT_EQ(adapters::formatWebhookDuration(1500), "1500ms");
}

// ------------------------------------------------------------ the store

TEST(WebhookStoreTest, KeepsSubscriptionsCursorsAndDeadLettersInItsTable) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto store = wh::WebhookStore::open(*log);
  ASSERT_TRUE(store);
  wh::Subscription s;
  s.id = "wh_a";
  s.url = "http://127.0.0.1:9/hook";
  s.secret = wh::generateSecret();
  s.filter.types = {"DossierSubmitted"};
  s.filter.campaignId = "c1";
  ASSERT_TRUE((*store)->create(s, 5));
  auto found = (*store)->find("wh_a");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->url, s.url);
  EXPECT_EQ((*found)->secret, s.secret);
  EXPECT_EQ((*found)->filter.types, s.filter.types);
  EXPECT_EQ((*found)->filter.campaignId, "c1");
  EXPECT_EQ(*(*store)->cursor("wh_a"), 5u);
  EXPECT_EQ(toJson(**found).count("secret"), 0u);  // never shown after creation
  // Dead letters come back in position order, past `after`, and move the cursor.
  for (store::Position p : {30u, 7u, 12u}) {
    wh::DeadLetter d;
    d.position = p;
    d.streamId = "dossier-d" + std::to_string(p);
    d.type = "DossierSubmitted";
    d.attempts = 3;
    ASSERT_TRUE((*store)->deadLetter("wh_a", d, true));
  }
  EXPECT_EQ(*(*store)->cursor("wh_a"), 12u);  // the last one written
  auto letters = (*store)->deadLetters("wh_a", 0, 10);
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 3u);
  EXPECT_EQ((*letters)[0].position, 7u);
  EXPECT_EQ((*letters)[2].position, 30u);
  EXPECT_EQ((*(*store)->deadLetters("wh_a", 7, 1))[0].position, 12u);
  ASSERT_TRUE((*store)->forgetDeadLetter("wh_a", 12));
  EXPECT_EQ((*store)->deadLetters("wh_a", 0, 10)->size(), 2u);
  ASSERT_TRUE((*store)->requestReplay("wh_a"));
  EXPECT_TRUE(*(*store)->replayRequested("wh_a"));
  // Removing takes everything of it, and only it.
  s.id = "wh_b";
  ASSERT_TRUE((*store)->create(s, 0));
  ASSERT_TRUE((*store)->remove("wh_a"));
  EXPECT_FALSE(*(*store)->find("wh_a"));
  EXPECT_TRUE((*store)->deadLetters("wh_a", 0, 10)->empty());
  EXPECT_FALSE(*(*store)->replayRequested("wh_a"));
  EXPECT_FALSE((*store)->cursor("wh_a"));
  ASSERT_EQ((*store)->list()->size(), 1u);
  EXPECT_EQ((*store)->list()->front().id, "wh_b");
  // Nothing of it is in the log, which is published to integrators.
  EXPECT_EQ(log->head(), 0u);
}

// ------------------------------------------------------------ end to end

TEST(WebhookServerTest, EveryEventIsDeliveredSignedAndInOrderPerDossierDespiteRandomFailures) {
  WebhookEnv env("60s", "5ms", "50ms");  // nothing dead-letters: all must arrive
  NodeReceiver receiver;
  ServerProcess server;
  server.start();
  auto client = std::make_unique<HttpClient>(server.httpAddress());
  const std::string admin = server.token("admin");
  const json created = createWebhook(
      *client, admin, {{"url", receiver.url("/flaky")}, {"after", 0}, {"description", "crm"}});
  const std::string id = created.at("id");
  const std::string secret = created.at("secret");
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  receiver.configure({{"path", "/flaky"}, {"secret", secret}, {"mode", "flaky"}, {"failRate", 0.3}});
  openCampaign(*client, admin, "wa");
  // Four writers, while the receiver fails at random; then a restart of
  // the server halfway: the cursor is durable, delivery resumes.
  auto write = [&](int round) {
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w, round] {
        HttpClient mine(server.httpAddress());
        for (int i = 0; i < 6; ++i) {
          submitAndConfirm(mine, admin, "wa",
                           "wa-" + std::to_string(round) + "-" + std::to_string(w) + "-" +
                               std::to_string(i));
        }
      });
    }
    for (auto& t : writers) t.join();
  };
  write(0);
  ASSERT_EQ(server.stop(), 0);
  server.start();
  client.reset();  // one event loop per thread: the old one goes first
  client = std::make_unique<HttpClient>(server.httpAddress());
  HttpClient& again = *client;
  write(1);
  const json shown = waitCaughtUp(again, admin, id);
  EXPECT_EQ(shown.at("deadLetters"), 0);

  const auto events = allEvents(again, admin);
  ASSERT_EQ(events.size(), 2u + 2 * 2 * 4 * 6);  // the opening is two events
  const json log = receiver.log("/flaky");
  EXPECT_TRUE(log.at("rejected").empty()) << log.at("rejected").dump();  // every signature good
  const auto delivered = firstDeliveries(log.at("accepted"), id);
  ASSERT_EQ(delivered.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    // Log order overall (one loop per subscription), hence per dossier.
    EXPECT_EQ(std::to_string(delivered[i].at("position").get<std::uint64_t>()),
              events[i].at("position").get<std::string>());
    EXPECT_EQ(delivered[i].at("streamId"), events[i].at("streamId"));
  }
  // The receiver failed some attempts, which were retried.
  EXPECT_GT(log.at("attempts").get<int>(), static_cast<int>(events.size()));
  // The metrics say so too (this run's counters, after the restart).
  const auto metrics = again.get("/metrics", "").body;
  EXPECT_NE(metrics.find("parcours_webhook_deliveries_total{subscription=\"" + id + "\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("parcours_webhook_lag_events{subscription=\"" + id + "\"} 0"),
            std::string::npos)
      << metrics;
  // The secret is in no event of the log.
  for (const auto& e : events) EXPECT_EQ(e.dump().find(secret), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

TEST(WebhookServerTest, ADeadLetterParksItsDossierAndReplayDeliversThemInOrder) {
  WebhookEnv env("300ms", "10ms", "50ms");
  NodeReceiver receiver;
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "wd");
  const json created = createWebhook(client, admin,
                                     {{"url", receiver.url("/hook")},
                                      {"filter", {{"campaign", "wd"}, {"stream", "dossier-"}}}});
  const std::string id = created.at("id");
  // The receiver refuses everything for a while: the first event of each
  // dossier is retried until --webhook-retry-for, then dead-lettered; the
  // dossier's later events are parked behind it.
  receiver.configure({{"path", "/hook"}, {"secret", created.at("secret")}, {"mode", "dead"}});
  submitAndConfirm(client, admin, "wd", "wd-bad");
  json shown = waitCaughtUp(client, admin, id);
  EXPECT_EQ(shown.at("deadLetters"), 1);
  EXPECT_EQ(shown.at("parked"), 1);
  auto letters = client.get("/v1/webhooks/" + id + "/dead-letters", admin).json();
  ASSERT_EQ(letters.at("deadLetters").size(), 2u) << letters.dump();
  const auto& first = letters.at("deadLetters")[0];
  const auto& second = letters.at("deadLetters")[1];
  EXPECT_EQ(first.at("type"), "DossierSubmitted");
  EXPECT_GE(first.at("attempts").get<int>(), 2);
  EXPECT_NE(first.at("lastError").get<std::string>().find("500"), std::string::npos);
  EXPECT_EQ(second.at("type"), "EligibilityConfirmed");
  EXPECT_EQ(second.at("parkedBehind"), first.at("position"));
  EXPECT_EQ(second.at("attempts"), 0);

  // The receiver recovers. Another dossier goes through at once, while the
  // parked one stays parked, even for its new events.
  receiver.configure({{"path", "/hook"}, {"mode", "ok"}});
  submitAndConfirm(client, admin, "wd", "wd-good");
  auto withdrawn = client.post("/v1/dossiers/wd-bad/withdraw", admin, "{}");
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.body;
  shown = waitCaughtUp(client, admin, id);
  EXPECT_EQ(shown.at("deadLetters"), 1);
  EXPECT_EQ(shown.at("parked"), 2);
  auto accepted = receiver.log("/hook").at("accepted");
  ASSERT_EQ(accepted.size(), 2u);
  for (const auto& a : accepted) EXPECT_EQ(a.at("streamId"), "dossier-wd-good");

  // Replay: the dead letter and those parked behind it, in order.
  auto replay = client.post("/v1/webhooks/" + id + "/dead-letters/replay", admin, "");
  ASSERT_EQ(replay.status, 202u) << replay.body;
  EXPECT_EQ(replay.json().at("replaying"), 3);
  ASSERT_TRUE(eventually(
      "the replayed dead letters to be delivered",
      [&] {
        letters = client.get("/v1/webhooks/" + id + "/dead-letters", admin).json();
        return letters.at("deadLetters").empty();
      },
      [&] { return letters.dump(); }, std::chrono::seconds(60), std::chrono::milliseconds(20)));
  accepted = receiver.log("/hook").at("accepted");
  const auto delivered = firstDeliveries(accepted, id);
  ASSERT_EQ(delivered.size(), 5u);
  std::vector<std::string> bad;
  for (const auto& d : delivered) {
    if (d.at("streamId") == "dossier-wd-bad") bad.push_back(d.at("type"));
  }
  EXPECT_EQ(bad, (std::vector<std::string>{"DossierSubmitted", "EligibilityConfirmed",
                                           "DossierWithdrawn"}));
  // Unblocked: the dossier's next event goes straight through.
  shown = client.get("/v1/webhooks/" + id, admin).json();
  EXPECT_EQ(shown.at("deadLetters"), 0);
  EXPECT_EQ(shown.at("parked"), 0);
  EXPECT_TRUE(receiver.log("/hook").at("rejected").empty());
  const auto metrics = client.get("/metrics", "").body;
  EXPECT_NE(metrics.find("parcours_webhook_dead_letters_total{subscription=\"" + id + "\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(server.stop(), 0);
}

TEST(WebhookServerTest, ADeadReceiverHoldsUpNeitherOtherSubscriptionsNorCommands) {
  WebhookEnv env("1h", "50ms", "1s");  // the dead one retries for the whole test
  NodeReceiver receiver;
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  const json dead = createWebhook(client, admin, {{"url", receiver.url("/dead")}});
  const json alive = createWebhook(client, admin, {{"url", receiver.url("/alive")}});
  // A third one whose receiver is not even listening (connection refused).
  const json gone = createWebhook(client, admin, {{"url", "http://127.0.0.1:9/nobody"}});
  receiver.configure({{"path", "/dead"}, {"secret", dead.at("secret")}, {"mode", "dead"}});
  receiver.configure({{"path", "/alive"}, {"secret", alive.at("secret")}});
  openCampaign(client, admin, "wx");
  for (int i = 0; i < 10; ++i) submitAndConfirm(client, admin, "wx", "wx-" + std::to_string(i));
  waitCaughtUp(client, admin, alive.at("id"));
  // The opening (two events), then ten dossiers of two events each.
  EXPECT_EQ(firstDeliveries(receiver.log("/alive").at("accepted"), alive.at("id")).size(), 22u);
  const auto stuck = client.get("/v1/webhooks/" + dead.at("id").get<std::string>(), admin).json();
  EXPECT_EQ(stuck.at("cursor"), "0");
  EXPECT_EQ(stuck.at("lagEvents"), 22);
  EXPECT_TRUE(receiver.log("/dead").at("accepted").empty());
  EXPECT_EQ(client.get("/v1/webhooks/" + gone.at("id").get<std::string>(), admin)
                .json()
                .at("cursor"),
            "0");
  // Removing the stuck ones ends their loops; the server stops cleanly.
  auto removed = client.send(kj::HttpMethod::DELETE,
                             "/v1/webhooks/" + dead.at("id").get<std::string>(), admin);
  EXPECT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(client.get("/v1/webhooks/" + dead.at("id").get<std::string>(), admin).status, 404u);
  EXPECT_EQ(server.stop(), 0);
}

TEST(WebhookServerTest, TheCursorApiRereadsWhatTheFilterSelectsWithNextLinks) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "wc");
  for (int i = 0; i < 7; ++i) submitAndConfirm(client, admin, "wc", "wc-" + std::to_string(i));
  const json created =
      createWebhook(client, admin,
                    {{"url", "http://127.0.0.1:9/x"}, {"filter", {{"types", {"DossierSubmitted"}}}}});
  const std::string id = created.at("id");
  EXPECT_EQ(created.at("cursor"), std::to_string(headOf(client, admin)));  // new events only
  std::vector<std::string> positions;
  std::string next = "/v1/webhooks/" + id + "/events?after=0&limit=3";
  int pages = 0;
  while (!next.empty() && pages++ < 20) {
    auto page = client.get(next, server.token("integrator"));
    ASSERT_EQ(page.status, 200u) << page.body;
    const auto body = page.json();
    for (const auto& e : body.at("events")) {
      EXPECT_EQ(e.at("type"), "DossierSubmitted");
      positions.push_back(e.at("position"));
    }
    next = body.at("next").is_null() ? "" : body.at("next").get<std::string>();
  }
  ASSERT_EQ(positions.size(), 7u);
  std::vector<std::string> expected;
  for (const auto& e : allEvents(client, admin)) {
    if (e.at("type") == "DossierSubmitted") expected.push_back(e.at("position"));
  }
  EXPECT_EQ(positions, expected);
  EXPECT_EQ(client.get("/v1/webhooks/" + id + "/events", server.token("applicant-a")).status,
            403u);
  EXPECT_EQ(client.get("/v1/webhooks/" + id + "/events?after=x", admin).status, 400u);
  EXPECT_EQ(client.get("/v1/webhooks/wh_nope/events", admin).status, 404u);
  EXPECT_EQ(server.stop(), 0);
}

TEST(WebhookServerTest, BadInputGetsItsOwn4xxAndWritesNothing) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  struct Case {
    std::string token;
    kj::HttpMethod method = kj::HttpMethod::POST;
    std::string path;
    std::string body;
    unsigned status = 0;
    std::string code;
  };
  const std::string url = "http://127.0.0.1:9/hook";
  const std::vector<Case> cases = {
      {admin, kj::HttpMethod::POST, "/v1/webhooks", "{\"url\":", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", "[]", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", "{}", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", R"({"url":"ftp://x/y"})", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", R"({"url":"https://x/y"})", 400,
       "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", R"({"url":"not a url"})", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", R"({"url":42})", 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks",
       json{{"url", url}, {"filter", {{"types", {"DossierExploded"}}}}}.dump(), 400,
       "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks",
       json{{"url", url}, {"filter", {{"colour", "red"}}}}.dump(), 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks",
       json{{"url", url}, {"filter", {{"campaign", "Not An Id!"}}}}.dump(), 400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}, {"secret", "hunter2"}}.dump(),
       400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}, {"after", 99999}}.dump(),
       400, "invalid_input"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}, {"bogus", 1}}.dump(), 400,
       "invalid_input"},
      {server.token("instructor"), kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}}.dump(),
       403, "forbidden"},
      {server.token("integrator"), kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}}.dump(),
       403, "forbidden"},
      {server.token("auditor"), kj::HttpMethod::GET, "/v1/webhooks", "", 403, "forbidden"},
      {"not-a-token", kj::HttpMethod::POST, "/v1/webhooks", json{{"url", url}}.dump(), 401,
       "unauthenticated"},
      {admin, kj::HttpMethod::GET, "/v1/webhooks/wh_nope", "", 404, "not_found"},
      {admin, kj::HttpMethod::DELETE, "/v1/webhooks/wh_nope", "", 404, "not_found"},
      {admin, kj::HttpMethod::GET, "/v1/webhooks/wh_nope/dead-letters", "", 404, "not_found"},
      {admin, kj::HttpMethod::POST, "/v1/webhooks/wh_nope/dead-letters/replay", "", 404,
       "not_found"},
      {admin, kj::HttpMethod::GET, "/v1/webhooks/wh_nope/dead-letters?limit=zz", "", 400,
       "invalid_input"},
      {admin, kj::HttpMethod::PUT, "/v1/webhooks", "{}", 405, "method_not_allowed"},
      {admin, kj::HttpMethod::GET, "/v1/webhooks/wh_nope/elsewhere", "", 404, "not_found"},
  };
  for (const auto& c : cases) {
    auto reply = client.send(c.method, c.path, c.token, c.body);
    EXPECT_EQ(reply.status, c.status) << c.path << " " << c.body << ": " << reply.body;
    EXPECT_EQ(reply.contentType, "application/problem+json") << c.path << " " << c.body;
    if (reply.contentType == "application/problem+json") {
      EXPECT_EQ(reply.json().at("code"), c.code) << c.path << " " << c.body;
      EXPECT_FALSE(reply.json().at("detail").get<std::string>().empty());
    }
  }
  // Nothing was written: no webhook, and the log is still empty.
  auto list = client.get("/v1/webhooks", admin);
  ASSERT_EQ(list.status, 200u);
  EXPECT_TRUE(list.json().at("webhooks").empty());
  EXPECT_EQ(headOf(client, admin), 0u);
  // The good one is accepted; a given secret is kept as given.
  const std::string secret = adapters::webhooks::generateSecret();
  const json created = createWebhook(client, admin, {{"url", url}, {"secret", secret}});
  EXPECT_EQ(created.at("secret"), secret);
  auto shown = client.get("/v1/webhooks/" + created.at("id").get<std::string>(), admin).json();
  EXPECT_EQ(shown.count("secret"), 0u);
  EXPECT_EQ(client.get("/v1/webhooks", admin).json().at("webhooks").size(), 1u);
  EXPECT_EQ(server.stop(), 0);
}

TEST(WebhookCliTest, ManagesWebhooksThroughTheServerAndOnTheDataDirectory) {
  WebhookEnv env("200ms", "10ms", "20ms");
  NodeReceiver receiver;
  ServerProcess server;
  server.start();
  TempDir scratch;
  const auto err = scratch.path() / "err";
  auto cli = [&](const std::string& token, std::vector<std::string> args) {
    std::vector<std::string> all = {"--server", server.rpcAddress(), "--token", token, "webhook"};
    all.insert(all.end(), args.begin(), args.end());
    return runCommand(PARCOURS_BIN, all, err, "env -u PARCOURS_DATA");
  };
  const std::string admin = server.token("admin");
  auto added = cli(admin, {"add", receiver.url("/cli"), "--type", "DossierSubmitted",
                           "--description", "the CRM", "--json"});
  ASSERT_EQ(added.exitCode, 0) << added.err;
  const json created = json::parse(added.out);
  const std::string id = created.at("id");
  EXPECT_EQ(created.at("filter").at("types"), json::array({"DossierSubmitted"}));
  EXPECT_EQ(created.at("created_at").get<std::string>().empty(), false);  // snake_case
  receiver.configure({{"path", "/cli"}, {"secret", created.at("secret")}, {"mode", "dead"}});
  {
    HttpClient client(server.httpAddress());
    openCampaign(client, admin, "wk");
    submitAndConfirm(client, admin, "wk", "wk-1");
    waitCaughtUp(client, admin, id);
  }
  auto listed = cli(admin, {"list"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_TRUE(contains(listed.out, id));
  EXPECT_TRUE(contains(listed.out, "type=DossierSubmitted"));
  auto shown = cli(admin, {"show", id});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "1 (+0 parked behind them)")) << shown.out;
  auto letters = cli(admin, {"dead-letters", id, "--json"});
  ASSERT_EQ(letters.exitCode, 0) << letters.err;
  ASSERT_EQ(json::parse(letters.out).at("dead_letters").size(), 1u);
  EXPECT_EQ(json::parse(letters.out).at("dead_letters")[0].at("type"), "DossierSubmitted");
  receiver.configure({{"path", "/cli"}, {"mode", "ok"}});
  auto replayed = cli(admin, {"replay", id});
  ASSERT_EQ(replayed.exitCode, 0) << replayed.err;
  EXPECT_TRUE(contains(replayed.out, "replaying 1 dead letter")) << replayed.out;
  ASSERT_TRUE(eventually(
      "the receiver to accept the replayed dead letter",
      [&] { return !receiver.log("/cli").at("accepted").empty(); },
      [&] { return receiver.log("/cli").dump(); }, std::chrono::seconds(60), std::chrono::milliseconds(20)));
  ASSERT_EQ(receiver.log("/cli").at("accepted").size(), 1u);
  // Exit codes of their class: not found 3, invalid input 2, unauthorised 6.
  EXPECT_EQ(cli(admin, {"show", "wh_nope"}).exitCode, 3);
  EXPECT_EQ(cli(admin, {"add", "ftp://x/y"}).exitCode, 2);
  EXPECT_EQ(cli(admin, {"add", receiver.url("/x"), "--type", "Nonsense"}).exitCode, 2);
  EXPECT_EQ(cli(server.token("instructor"), {"list"}).exitCode, 6);
  EXPECT_EQ(cli(admin, {"list", "--help"}).exitCode, 0);
  // With the server stopped, on the data directory.
  ASSERT_EQ(server.stop(), 0);
  auto local = runCommand(PARCOURS_BIN,
                          {"--data", server.storeDir().string(), "webhook", "list", "--json"}, err);
  ASSERT_EQ(local.exitCode, 0) << local.err;
  ASSERT_EQ(json::parse(local.out).at("webhooks").size(), 1u);
  auto removed = runCommand(PARCOURS_BIN,
                            {"--data", server.storeDir().string(), "webhook", "remove", id}, err);
  EXPECT_EQ(removed.exitCode, 0) << removed.err;
  auto empty = runCommand(PARCOURS_BIN,
                          {"--data", server.storeDir().string(), "webhook", "list", "--json"}, err);
  EXPECT_TRUE(json::parse(empty.out).at("webhooks").empty());
}

}  // namespace
}  // namespace parcours::testing
