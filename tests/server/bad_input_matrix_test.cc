// Bad input across the whole surface, as one table: every door a command
// comes through (the command line's arguments, the files it reads, the
// HTTP API, the RPC API) against every class of bad input (empty,
// truncated, wrong type, huge, invalid UTF-8, unknown ids, out-of-range
// numbers, duplicate keys, injection attempts). Each row names the error
// it must get (its kind, whichever way the door spells it, and a part of
// the message) and nothing may be written: the log's head does not move.
// One test checks the table leaves no door without every class.
#include <capnp/ez-rpc.h>
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.h"
#include "parcours/adapters/rpc/parcours.capnp.h"
#include "server_process.h"

namespace parcours::testing {
namespace {

using kj::HttpMethod;
using nlohmann::json;
using parcours::rpc::Gateway;
using parcours::rpc::Parcours;

enum class Door { CommandLine, File, Http, Rpc };
enum class Bad {
  Empty,
  Truncated,
  WrongType,
  Huge,
  InvalidUtf8,
  UnknownId,
  OutOfRange,
  DuplicateKey,
  Injection
};
constexpr std::array allDoors{Door::CommandLine, Door::File, Door::Http, Door::Rpc};
constexpr std::array allBad{Bad::Empty,      Bad::Truncated,  Bad::WrongType,
                            Bad::Huge,       Bad::InvalidUtf8, Bad::UnknownId,
                            Bad::OutOfRange, Bad::DuplicateKey, Bad::Injection};

std::string doorName(Door door) {
  switch (door) {
    case Door::CommandLine:
      return "command line";
    case Door::File:
      return "file";
    case Door::Http:
      return "HTTP";
    case Door::Rpc:
      return "RPC";
  }
  return "?";
}

std::string badName(Bad bad) {
  switch (bad) {
    case Bad::Empty:
      return "empty";
    case Bad::Truncated:
      return "truncated";
    case Bad::WrongType:
      return "wrong type";
    case Bad::Huge:
      return "huge";
    case Bad::InvalidUtf8:
      return "invalid UTF-8";
    case Bad::UnknownId:
      return "unknown id";
    case Bad::OutOfRange:
      return "out of range";
    case Bad::DuplicateKey:
      return "duplicate key";
    case Bad::Injection:
      return "injection";
  }
  return "?";
}

// What a door answered, in the words all doors share: the error kind
// ("invalid_input", "not_found", ...; "ok" when it was accepted) and the
// message.
struct Answer {
  std::string kind;
  std::string message;
};

// The command line's exit codes, HTTP's statuses and RPC's exception
// prefixes, each mapped to the kinds of docs/conventions (exit codes 2 to 7).
std::string kindOfExitCode(int code) {
  static const std::map<int, std::string> kinds{{0, "ok"},          {2, "invalid_input"},
                                                {3, "not_found"},   {4, "refused_by_rule"},
                                                {5, "conflict"},    {6, "unauthorized"},
                                                {7, "io_error"}};
  auto it = kinds.find(code);
  return it == kinds.end() ? "exit " + std::to_string(code) : it->second;
}

struct Row {
  Door door;
  Bad bad;
  std::string entryPoint;  // what was called: "dossier eligible", "POST .../award"
  std::function<Answer()> attempt;
  std::string kind;         // the error kind expected
  std::string messageHas;   // a part of the message expected
};

constexpr const char* campaignId = "bim";

// A submission file as the command line reads it.
std::string applicationFile(const std::string& title) {
  return json{{"applicant", {{"name", "Commune de Test"}, {"kind", "commune"}}},
              {"title", title},
              {"summary", "Un projet."},
              {"strands", json::array()},
              {"contact", {{"name", "Camille"}, {"email", "camille@test.fr"}}}}
      .dump();
}

class BadInputMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    server_->start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }

  void SetUp() override {
    http_ = std::make_unique<HttpClient>(server_->httpAddress());
    // The server's campaign and dossier.
    auto opened = http_->post(
        "/v1/campaigns/" + std::string(campaignId), admin(),
        json{{"definition", futureCampaignDefinition(campaignId)}}.dump());
    ASSERT_TRUE(opened.status == 200u || opened.status == 409u) << opened.body;
    auto jury = http_->send(HttpMethod::PUT, "/v1/campaigns/bim/jury", admin(),
                            R"({"members": [{"id": "j1", "name": "Juror One", "role": "juror"}]})");
    ASSERT_EQ(jury.status, 200u) << jury.body;
    auto submitted = http_->post("/v1/dossiers/bim-d1/submit", admin(), submissionBody(campaignId));
    ASSERT_TRUE(submitted.status == 200u || submitted.status == 409u) << submitted.body;
    // The command line's own store, with the same campaign and a dossier.
    ASSERT_EQ(cli({"campaign", "open", file("definition.json",
                                             futureCampaignDefinition(campaignId).dump())})
                  .kind,
              "ok");
    ASSERT_EQ(cli({"campaign", "jury", campaignId, "--member", "j1:Juror One:juror"}).kind, "ok");
    ASSERT_EQ(
        cli({"dossier", "submit", campaignId, "cli-d1", file("app.json", applicationFile("T"))})
            .kind,
        "ok");
  }

  static const std::string& admin() { return server_->token("admin"); }

  // ---- the doors

  Answer cli(const std::vector<std::string>& args) {
    std::vector<std::string> all{"--data", (dir_.path() / "data").string()};
    all.insert(all.end(), args.begin(), args.end());
    Outcome run = runCommand(PARCOURS_BIN, all, dir_.path() / "stderr");
    return {kindOfExitCode(run.exitCode), run.err};
  }

  Answer httpCall(HttpMethod method, const std::string& path, const std::string& body) {
    HttpReply reply;
    try {
      reply = http_->send(method, path, admin(), body);
    } catch (const kj::Exception& e) {
      http_->reconnect();
      return {"request failed", e.getDescription().cStr()};
    }
    // A body refused before it was read leaves the connection unusable.
    if (body.size() > 65536) http_->reconnect();
    if (reply.status == 200u) return {"ok", reply.body};
    static const std::map<unsigned, std::string> kinds{
        {400, "invalid_input"}, {404, "not_found"},      {409, "conflict"},
        {413, "too_large"},     {422, "refused_by_rule"}, {401, "unauthorized"}};
    auto it = kinds.find(reply.status);
    const json problem = json::parse(reply.body, nullptr, false);
    return {it == kinds.end() ? "HTTP " + std::to_string(reply.status) : it->second,
            problem.is_object() ? problem.value("detail", reply.body) : reply.body};
  }

  // Runs one RPC call on an API logged in as the administrator, on a
  // thread of its own: a thread has one event loop, and the HTTP client's
  // is this one's.
  Answer rpcCall(const std::function<kj::Promise<void>(Parcours::Client&)>& call) {
    Answer answer{"ok", ""};
    std::thread caller([&] {
      capnp::EzRpcClient client(server_->rpcAddress());
      auto& ws = client.getWaitScope();
      auto login = client.getMain<Gateway>().loginRequest();
      login.setToken(admin());
      Parcours::Client api = login.send().wait(ws).getApi();
      try {
        call(api).wait(ws);
      } catch (const kj::Exception& e) {
        std::string description = e.getDescription().cStr();
        // What the server threw, as the client's kj tells it.
        constexpr std::string_view remote = "remote exception: ";
        if (description.starts_with(remote)) description.erase(0, remote.size());
        const auto colon = description.find(": ");
        answer = colon == std::string::npos
                     ? Answer{"no kind", description}
                     : Answer{description.substr(0, colon), description.substr(colon + 2)};
      }
    });
    caller.join();
    return answer;
  }

  std::uint64_t serverHead() {
    auto page = http_->get("/v1/events?from=999999999", admin());
    return std::stoull(page.json().at("head").get<std::string>());
  }

  std::uint64_t cliHead() {
    Outcome run = runCommand(PARCOURS_BIN,
                             {"--data", (dir_.path() / "data").string(), "digest", "--json"},
                             dir_.path() / "stderr");
    EXPECT_EQ(run.exitCode, 0) << run.err;
    return json::parse(run.out).at("size").get<std::uint64_t>();
  }

  std::string file(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  std::string missingFile() const { return (dir_.path() / "nowhere.json").string(); }

  std::vector<Row> rows();

  static ServerProcess* server_;
  TempDir dir_;
  std::unique_ptr<HttpClient> http_;
};

ServerProcess* BadInputMatrix::server_ = nullptr;

// A JSON text cut in the middle of a string.
std::string truncated(const std::string& text) { return text.substr(0, text.size() / 2); }

std::vector<Row> BadInputMatrix::rows() {
  const std::string d = "bim-d1";
  const std::string hugeText((1u << 20) + 1, 'x');
  const std::string longReason(70000, 'r');
  const std::string notUtf8 = "bad \xff\xfe bytes";
  const std::string definition = futureCampaignDefinition(campaignId).dump();
  std::string definitionWithDuplicate = definition;
  definitionWithDuplicate.insert(1, "\"id\": \"other\", ");
  const std::string app = file("good-app.json", applicationFile("T"));

  using D = Door;
  using B = Bad;
  std::vector<Row> table{
      // ------------------------------------------------ the command line
      {D::CommandLine, B::Empty, "dossier eligible \"\"",
       [=, this] { return cli({"dossier", "eligible", ""}); }, "invalid_input", "dossier id"},
      {D::CommandLine, B::Truncated, "dossier eligible --at (cut short)",
       [=, this] { return cli({"dossier", "eligible", "cli-d1", "--at", "2020-06-1"}); },
       "invalid_input", "--at: \"2020-06-1\" is not an RFC 3339 instant"},
      {D::CommandLine, B::WrongType, "dossier score --score criterion=word",
       [=, this] {
         return cli({"dossier", "score", "cli-d1", "--juror", "j1", "--score", "users=high"});
       },
       "invalid_input", "\"high\" is not a whole number"},
      {D::CommandLine, B::Huge, "dossier eligible --reason (70 kB)",
       [=, this] { return cli({"dossier", "eligible", "cli-d1", "--reason", longReason}); },
       "invalid_input", "reason: 70000 bytes, over the limit of 4096 bytes"},
      {D::CommandLine, B::InvalidUtf8, "dossier eligible --reason (not UTF-8)",
       [=, this] { return cli({"dossier", "eligible", "cli-d1", "--reason", notUtf8}); },
       "invalid_input", "reason: not valid UTF-8 text"},
      {D::CommandLine, B::UnknownId, "dossier eligible (no such dossier)",
       [=, this] { return cli({"dossier", "eligible", "d-404"}); }, "not_found",
       "no dossier \"d-404\""},
      {D::CommandLine, B::UnknownId, "dossier submit (no such campaign)",
       [=, this] { return cli({"dossier", "submit", "nope", "d-9", app}); }, "not_found",
       "no campaign \"nope\""},
      {D::CommandLine, B::OutOfRange, "campaign budget --envelope-cents 10^23",
       [=, this] {
         return cli({"campaign", "budget", campaignId, "--envelope-cents",
                     "99999999999999999999999"});
       },
       "invalid_input", "--envelope-cents"},
      {D::CommandLine, B::OutOfRange, "status --limit 10001",
       [=, this] { return cli({"status", "--limit", "10001"}); }, "invalid_input", "--limit"},
      {D::CommandLine, B::DuplicateKey, "campaign jury --member twice",
       [=, this] {
         return cli({"campaign", "jury", campaignId, "--member", "j1:A:juror", "--member",
                     "j1:B:juror"});
       },
       "invalid_input", "\"j1\" appears twice"},
      {D::CommandLine, B::Injection, "dossier submit with a formula for an id",
       [=, this] { return cli({"dossier", "submit", campaignId, "=1+1", app}); },
       "invalid_input", "dossier id"},
      {D::CommandLine, B::Injection, "dossier submit with a path for an id",
       [=, this] { return cli({"dossier", "submit", campaignId, "../../etc/passwd", app}); },
       "invalid_input", "dossier id"},

      // ------------------------------------------------ the files it reads
      {D::File, B::Empty, "campaign open (empty definition)",
       [=, this] { return cli({"campaign", "open", file("empty.json", "")}); }, "invalid_input",
       "not valid JSON at byte 1"},
      {D::File, B::Truncated, "dossier submit (submission cut short)",
       [=, this] {
         return cli({"dossier", "submit", campaignId, "d-cut",
                     file("cut.json", truncated(applicationFile("T")))});
       },
       "invalid_input", "the submission is not valid JSON"},
      {D::File, B::WrongType, "campaign jury (members not a list)",
       [=, this] {
         return cli({"campaign", "jury", campaignId, file("jury.json", R"({"members": "j1"})")});
       },
       "invalid_input", "members: must be a list"},
      {D::File, B::Huge, "campaign open (definition over 1 MiB)",
       [=, this] {
         return cli({"campaign", "open", file("huge.json", "{\"id\": \"" + hugeText + "\"}")});
       },
       "invalid_input", "over the limit of 1048576 bytes"},
      {D::File, B::InvalidUtf8, "dossier submit (title not UTF-8)",
       [=, this] {
         // (nlohmann writes no invalid UTF-8: the bytes go in by hand.)
         std::string text = applicationFile("TITLE");
         text.replace(text.find("TITLE"), 5, notUtf8);
         return cli({"dossier", "submit", campaignId, "d-utf", file("utf.json", text)});
       },
       "invalid_input", "ill-formed UTF-8"},
      {D::File, B::UnknownId, "campaign open (no such file)",
       [=, this] { return cli({"campaign", "open", missingFile()}); }, "not_found",
       "nowhere.json"},
      {D::File, B::OutOfRange, "dossier submit (requested amount over the maximum)",
       [=, this] {
         auto big = json::parse(applicationFile("T"));
         big["requested_amount_cents"] = 1e30;
         return cli({"dossier", "submit", campaignId, "d-big", file("big.json", big.dump())});
       },
       "invalid_input", "requested_amount_cents"},
      {D::File, B::DuplicateKey, "campaign jury (\"members\" twice)",
       [=, this] {
         return cli({"campaign", "jury", campaignId,
                     file("dup-jury.json",
                          R"({"members": [{"id": "j1", "name": "A", "role": "juror"}],
                              "members": [{"id": "j2", "name": "B", "role": "juror"}]})")});
       },
       "invalid_input", "duplicate field \"members\" at the top level"},
      {D::File, B::DuplicateKey, "campaign open (\"id\" twice)",
       [=, this] {
         return cli({"campaign", "open", file("dup-definition.json", definitionWithDuplicate)});
       },
       "invalid_input", "duplicate field \"id\""},
      {D::File, B::Injection, "campaign open (a path for an id)",
       [=, this] {
         auto evil = futureCampaignDefinition("bim");
         evil["id"] = "../../etc";
         return cli({"campaign", "open", file("evil.json", evil.dump())});
       },
       "invalid_input", "id"},

      // ------------------------------------------------ HTTP
      {D::Http, B::Empty, "POST /v1/dossiers/{id}/eligible (empty body)",
       [=, this] { return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", ""); },
       "invalid_input", "not valid JSON"},
      {D::Http, B::Truncated, "POST /v1/dossiers/{id}/submit (body cut short)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/d-cut/submit",
                         truncated(submissionBody(campaignId)));
       },
       "invalid_input", "not valid JSON"},
      {D::Http, B::WrongType, "POST /v1/dossiers/{id}/award (amount a word)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/award",
                         R"({"amountCents": "lots"})");
       },
       "invalid_input", "amountCents"},
      {D::Http, B::Huge, "POST /v1/dossiers/{id}/eligible (body over 1 MiB)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible",
                         "{\"reason\": \"" + hugeText + "\"}");
       },
       "too_large", "1048576"},
      {D::Http, B::InvalidUtf8, "POST /v1/dossiers/{id}/eligible (reason not UTF-8)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible",
                         "{\"reason\": \"" + notUtf8 + "\"}");
       },
       "invalid_input", "UTF-8"},
      {D::Http, B::UnknownId, "POST /v1/dossiers/{id}/eligible (no such dossier)",
       [=, this] { return httpCall(HttpMethod::POST, "/v1/dossiers/nobody/eligible", "{}"); },
       "not_found", "nobody"},
      {D::Http, B::UnknownId, "GET /v1/campaigns/{id}/stats (no such campaign)",
       [=, this] { return httpCall(HttpMethod::GET, "/v1/campaigns/nothing/stats", ""); },
       "not_found", "nothing"},
      {D::Http, B::OutOfRange, "POST /v1/dossiers/{id}/award (amount over 2^64)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/award",
                         R"({"amountCents": 99999999999999999999})");
       },
       "invalid_input", "amountCents"},
      {D::Http, B::OutOfRange, "GET /v1/dossiers?limit=10001",
       [=, this] { return httpCall(HttpMethod::GET, "/v1/dossiers?limit=10001", ""); },
       "invalid_input", "limit"},
      {D::Http, B::DuplicateKey, "POST /v1/dossiers/{id}/eligible (\"reason\" twice)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/" + d + "/eligible",
                         R"({"reason": "a", "reason": "b"})");
       },
       "invalid_input", "duplicate field \"reason\" at the top level"},
      {D::Http, B::DuplicateKey, "POST /v1/dossiers/{id}/submit (a field twice, deep, accented)",
       [=, this] {
         auto body = json::parse(submissionBody(campaignId)).dump();
         body.insert(body.find("\"applicantName\""), "\"applicantName\": \"Sainte-Agn\xc3\xa8s\", ");
         return httpCall(HttpMethod::POST, "/v1/dossiers/d-dup/submit", body);
       },
       "invalid_input", "duplicate field \"applicantName\" in application"},
      {D::Http, B::Injection, "POST /v1/dossiers/{id}/submit (a formula for an id)",
       [=, this] {
         return httpCall(HttpMethod::POST, "/v1/dossiers/%3D1%2B1/submit",
                         submissionBody(campaignId));
       },
       "invalid_input", "dossier"},
      {D::Http, B::Injection, "GET /v1/events?campaign= (SQL in a filter)",
       [=, this] {
         return httpCall(HttpMethod::GET, "/v1/events?campaign=x%27%20OR%201%3D1", "");
       },
       "invalid_input", "campaign"},

      // ------------------------------------------------ RPC
      {D::Rpc, B::Empty, "dossierCommand (empty dossier id)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId("");
           call.getCommand().setConfirmEligibility();
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "dossier: must not be empty"},
      {D::Rpc, B::Truncated, "campaignCommand open (definition cut short)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.campaignCommandRequest();
           call.setCampaignId("bim-2");
           call.getCommand().initOpen().setJson(truncated(definition));
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "not valid JSON"},
      {D::Rpc, B::WrongType, "campaignCommand open (definition a list)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.campaignCommandRequest();
           call.setCampaignId("bim-2");
           call.getCommand().initOpen().setJson("[1, 2]");
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "must be a JSON object"},
      {D::Rpc, B::Huge, "dossierCommand confirmEligibility (70 kB reason)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId(d);
           call.getCommand().setReason(longReason);
           call.getCommand().setConfirmEligibility();
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "reason: 70000 bytes, over the limit of 4096 bytes"},
      {D::Rpc, B::InvalidUtf8, "dossierCommand confirmEligibility (reason not UTF-8)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId(d);
           call.getCommand().setReason(notUtf8);
           call.getCommand().setConfirmEligibility();
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "reason: not valid UTF-8 text"},
      {D::Rpc, B::InvalidUtf8, "dossierCommand submit (applicant name not UTF-8)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId("d-utf");
           auto submit = call.getCommand().initSubmit();
           submit.setCampaignId(campaignId);
           auto a = submit.initApplication();
           a.setApplicantName(notUtf8);
           a.setApplicantKind("commune");
           a.setTitle("T");
           a.setSummary("S");
           a.initContact().setEmail("rpc@test.fr");
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "application.applicantName: not valid UTF-8 text"},
      {D::Rpc, B::UnknownId, "dossier (no such dossier)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.dossierRequest();
           call.setDossierId("nobody");
           return call.send().ignoreResult();
         });
       },
       "not_found", "nobody"},
      {D::Rpc, B::OutOfRange, "dossierCommand award (negative amount)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId(d);
           call.getCommand().setAward(-5);
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "negative"},
      {D::Rpc, B::OutOfRange, "status (limit 10001)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.statusRequest();
           call.getQuery().setLimit(10001);
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "a page holds 1 to 10000 dossiers, not 10001"},
      {D::Rpc, B::DuplicateKey, "campaignCommand open (\"id\" twice in the definition)",
       [=, this] {
         return rpcCall([=](Parcours::Client& api) {
           auto call = api.campaignCommandRequest();
           call.setCampaignId("other");
           call.getCommand().initOpen().setJson(definitionWithDuplicate);
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "duplicate field \"id\""},
      {D::Rpc, B::Injection, "dossierCommand (a formula for an id)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.dossierCommandRequest();
           call.setDossierId("=cmd|' /C calc'!A0");
           call.getCommand().setConfirmEligibility();
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "may hold only letters A-Z a-z, digits"},
      {D::Rpc, B::Injection, "status (SQL in the campaign filter)",
       [=, this] {
         return rpcCall([](Parcours::Client& api) {
           auto call = api.statusRequest();
           call.getQuery().setCampaignId("x' OR 1=1 --");
           return call.send().ignoreResult();
         });
       },
       "invalid_input", "campaign"},
  };
  return table;
}

TEST_F(BadInputMatrix, EveryDoorRefusesEveryClassOfBadInputSpecificallyAndWritesNothing) {
  for (const Row& row : rows()) {
    SCOPED_TRACE(doorName(row.door) + " / " + badName(row.bad) + ": " + row.entryPoint);
    const std::uint64_t serverBefore = serverHead();
    const std::uint64_t cliBefore = cliHead();
    const Answer answer = row.attempt();
    EXPECT_EQ(answer.kind, row.kind) << answer.message;
    EXPECT_NE(answer.message.find(row.messageHas), std::string::npos) << answer.message;
    EXPECT_EQ(serverHead(), serverBefore) << "the server's log moved";
    EXPECT_EQ(cliHead(), cliBefore) << "the command line's log moved";
  }
}

TEST_F(BadInputMatrix, TheTableCoversEveryClassAtEveryDoor) {
  std::set<std::pair<Door, Bad>> covered;
  for (const Row& row : rows()) covered.insert({row.door, row.bad});
  for (Door door : allDoors) {
    for (Bad bad : allBad) {
      EXPECT_TRUE(covered.contains({door, bad}))
          << doorName(door) << " has no row for " << badName(bad);
    }
  }
}

// Text that a spreadsheet would run (CSV injection) is accepted as a
// reason, since it may be what someone wrote, but every CSV export defuses
// it: the cell starts with a quote, never with the formula.
TEST_F(BadInputMatrix, FormulasInTextAreDefusedInEveryCsvExport) {
  const std::string formula = "=HYPERLINK(\"http://evil.example\",\"ok\")";
  ASSERT_EQ(cli({"dossier", "eligible", "cli-d1", "--reason", formula}).kind, "ok");
  auto accepted = http_->post("/v1/dossiers/bim-d1/eligible", admin(),
                              json{{"reason", "@SUM(1+1)*cmd|' /C calc'!A0"}}.dump());
  ASSERT_EQ(accepted.status, 200u) << accepted.body;

  Outcome cliCsv = runCommand(PARCOURS_BIN,
                              {"--data", (dir_.path() / "data").string(), "audit", "--dossier",
                               "cli-d1", "--format", "csv"},
                              dir_.path() / "stderr");
  ASSERT_EQ(cliCsv.exitCode, 0) << cliCsv.err;
  EXPECT_NE(cliCsv.out.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"ok\"\")\","),
            std::string::npos)
      << cliCsv.out;
  auto httpCsv = http_->get("/v1/dossiers/bim-d1/audit?format=csv", admin());
  ASSERT_EQ(httpCsv.status, 200u) << httpCsv.body;
  EXPECT_NE(httpCsv.body.find(",'@SUM(1+1)*cmd|' /C calc'!A0,"), std::string::npos)
      << httpCsv.body;
  for (const std::string* csv : {&cliCsv.out, &httpCsv.body}) {
    EXPECT_EQ(csv->find(",=HYPERLINK"), std::string::npos);
    EXPECT_EQ(csv->find(",@SUM"), std::string::npos);
  }
}

}  // namespace
}  // namespace parcours::testing
