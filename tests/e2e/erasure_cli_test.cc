// `parcours erase` and the contact in `parcours show`, run as an
// administrator runs them, on a real store and key store in a temporary
// directory (docs/erasure.md): the contact shown decrypted, never in the
// store's files; erased, shown as such, the log still verifying; a second
// erasure refused, an unknown dossier not found; --keys and PARCOURS_KEYS,
// and a key store inside the data directory refused. Contacts are
// fictional people.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_run.h"
#include "temp_dir.h"

namespace {

using parcours::testing::filesContaining;
using parcours::testing::contains;
using parcours::testing::Outcome;
using parcours::testing::runCommand;
using parcours::testing::shellQuote;

using nlohmann::json;

constexpr const char* kEmail = "camille@example.org";

class EraseCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ok({"campaign", "open", writeFile("lti-test.json", R"({
      "id": "lti-test",
      "name": "Label Test 2020",
      "organiser": "Association Fictive",
      "deadline": {"local": "2020-06-19T23:59:59", "time_zone": "Europe/Paris"},
      "eligible_applicant_kinds": ["commune", "communaute_de_communes"],
      "required_fields": ["applicant.name", "applicant.kind", "title", "contact.email"],
      "auditions_held": true,
      "criteria": [{"id": "innovation", "label": "Innovation", "scale": {"min": 0, "max": 10}, "weight": 1}],
      "threshold": 6.0,
      "vote": {"body": "jury", "quorum_percent": 50, "majority": "simple"},
      "label_name": "Label Test"
    })")});
    application_ = writeFile("application.json", R"({
      "applicant": {"name": "Commune Fictive de Val-Brume", "kind": "commune"},
      "title": "Tiers-lieu numérique",
      "contact": {"name": "Camille Exemple", "email": "camille@example.org", "phone": "+33 1 00 00 00 00"}
    })");
  }

  // Runs parcours with `env` (VAR=value ...) and exactly these arguments.
  Outcome parcoursRaw(const std::vector<std::string>& args, const std::string& env = "") {
    return runCommand(PARCOURS_BIN, args, dir_.path() / "stderr", env);
  }

  // `parcours --data <store> <args>`.
  Outcome parcours(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data()});
    return parcoursRaw(args);
  }

  std::string ok(const std::vector<std::string>& args) {
    Outcome run = parcours(args);
    EXPECT_EQ(run.exitCode, 0) << args.front() << "\n" << run.err;
    return run.out;
  }

  json okJson(std::vector<std::string> args) {
    args.push_back("--json");
    const std::string out = ok(args);
    return out.empty() ? json() : json::parse(out);
  }

  std::string writeFile(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << content;
    return path.string();
  }

  std::string data() const { return (dir_.path() / "data").string(); }
  std::string keys() const { return data() + "-keys"; }  // the default

  parcours::testing::TempDir dir_;
  std::string application_;
};

TEST_F(EraseCli, ShowDecryptsTheContactThenEraseLeavesItErased) {
  ok({"dossier", "submit", "lti-test", "d-1", application_, "--at", "2020-06-19T18:00:00+02:00"});
  // Sealed in the store, its key beside it: the e-mail is in no file of either.
  EXPECT_TRUE(std::filesystem::is_directory(keys()));
  EXPECT_EQ(filesContaining(data(), kEmail), std::vector<std::string>{});
  EXPECT_EQ(filesContaining(keys(), kEmail), std::vector<std::string>{});

  const std::string shown = ok({"show", "d-1"});
  EXPECT_TRUE(contains(shown, "Camille Exemple, camille@example.org, +33 1 00 00 00 00")) << shown;
  json before = okJson({"show", "d-1"});
  EXPECT_EQ(before["contact"],
            (json{{"name", "Camille Exemple"}, {"email", kEmail}, {"phone", "+33 1 00 00 00 00"}}));
  EXPECT_EQ(before["dossier"]["contact_erased"], false);

  Outcome erased =
      parcours({"erase", "d-1", "--reason", "request of 2021-03-02", "--actor", "dpo"});
  ASSERT_EQ(erased.exitCode, 0) << erased.err;
  EXPECT_TRUE(contains(erased.out, "dossier d-1: personal data erased (submitted)")) << erased.out;

  const std::string after = ok({"show", "d-1"});
  EXPECT_FALSE(contains(after, kEmail)) << after;
  EXPECT_TRUE(contains(after, "erased")) << after;
  EXPECT_TRUE(contains(after, "personal data erased: request of 2021-03-02")) << after;
  json afterJson = okJson({"show", "d-1"});
  EXPECT_EQ(afterJson["contact"], (json{{"erased", true}}));
  EXPECT_EQ(afterJson["dossier"]["contact_erased"], true);
  EXPECT_EQ(afterJson["dossier"]["status"], "submitted");
  const json& last = afterJson["timeline"].back();
  EXPECT_EQ(last["event_type"], "DossierErased");
  EXPECT_EQ(last["actor"], "dpo");
  EXPECT_EQ(last["reason"], "request of 2021-03-02");

  // The log was not rewritten: it still verifies; the views rebuild the same.
  Outcome verified = parcours({"verify"});
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
  ok({"rebuild"});
  EXPECT_EQ(okJson({"show", "d-1"})["dossier"]["contact_erased"], true);
}

TEST_F(EraseCli, ErasingTwiceIsRefusedAndAnUnknownDossierIsNotFound) {
  ok({"dossier", "submit", "lti-test", "d-1", application_, "--at", "2020-06-19T18:00:00+02:00"});
  json first = okJson({"erase", "d-1", "--reason", "request"});
  EXPECT_EQ(first["contact_erased"], true);
  EXPECT_EQ(first["finished_interrupted_erase"], false);
  EXPECT_EQ(first["plaintext_remains"], false);

  Outcome again = parcours({"erase", "d-1", "--reason", "request"});
  EXPECT_EQ(again.exitCode, 4) << again.err;
  EXPECT_TRUE(contains(again.err, "the personal data of dossier \"d-1\" was already erased"))
      << again.err;
  Outcome unknown = parcours({"erase", "nope", "--reason", "request"});
  EXPECT_EQ(unknown.exitCode, 3) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "no dossier \"nope\"")) << unknown.err;
  Outcome noReason = parcours({"erase", "d-1"});
  EXPECT_EQ(noReason.exitCode, 2) << noReason.err;
  // Nothing more was written: two events in d-1's stream.
  EXPECT_EQ(okJson({"show", "d-1"})["dossier"]["version"], 2);
}

TEST_F(EraseCli, TheKeyStoreIsWhereKeysSaysAndNeverInsideTheData) {
  const std::string elsewhere = (dir_.path() / "vault").string();
  ok({"--keys", elsewhere, "dossier", "submit", "lti-test", "d-1", application_, "--at",
      "2020-06-19T18:00:00+02:00"});
  EXPECT_TRUE(std::filesystem::is_directory(elsewhere));
  EXPECT_FALSE(std::filesystem::exists(keys()));

  // Read with the environment's key store; without it the contact is
  // unreadable, which does not fail the read.
  Outcome viaEnv = parcoursRaw({"--data", data(), "show", "d-1", "--json"},
                               "PARCOURS_KEYS=" + shellQuote(elsewhere));
  ASSERT_EQ(viaEnv.exitCode, 0) << viaEnv.err;
  EXPECT_EQ(json::parse(viaEnv.out)["contact"]["email"], kEmail);
  json unreadable = okJson({"show", "d-1"});
  EXPECT_TRUE(unreadable["contact"].contains("unreadable")) << unreadable["contact"];

  // Erasing needs the key store that holds the key: nothing is recorded
  // without it.
  Outcome noKeys = parcours({"erase", "d-1", "--reason", "request"});
  EXPECT_EQ(noKeys.exitCode, 2) << noKeys.err;
  EXPECT_TRUE(contains(noKeys.err, "give --keys DIR")) << noKeys.err;
  EXPECT_EQ(okJson({"show", "d-1"})["dossier"]["contact_erased"], false);
  ok({"--keys", elsewhere, "erase", "d-1", "--reason", "request"});

  Outcome inside = parcours({"--keys", data() + "/keys", "dossier", "submit", "lti-test", "d-2",
                             application_, "--at", "2020-06-19T18:00:00+02:00"});
  EXPECT_EQ(inside.exitCode, 2) << inside.err;
  EXPECT_TRUE(contains(inside.err, "is inside the data directory")) << inside.err;
  EXPECT_FALSE(std::filesystem::exists(data() + "/keys"));
}

}  // namespace
