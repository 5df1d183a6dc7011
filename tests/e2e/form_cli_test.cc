// `parcours form show`, run as a user runs it on an embedded store: the
// seed's form as a table (French and English labels) and as the
// definition's JSON, which a definition file takes back; bad input refused
// with its exit code.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

const std::string kSeed = std::string(PARCOURS_CAMPAIGNS_DIR) + "/label-territoire-innovant-2020.json";

class FormCli : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> args) {
    std::vector<std::string> all = {"--data", (dir_.path() / "data").string()};
    all.insert(all.end(), args.begin(), args.end());
    return runCommand(PARCOURS_BIN, all, dir_.path() / "err.txt");
  }
  void SetUp() override {
    Outcome opened = run({"campaign", "open", kSeed, "--actor", "admin"});
    ASSERT_EQ(opened.exitCode, 0) << opened.err;
  }
  TempDir dir_;
};

TEST_F(FormCli, TheSeedsFormIsShownAsATableInEitherLanguageAndAsItsDefinition) {
  Outcome fr = run({"form", "show", "label-territoire-innovant-2020"});
  ASSERT_EQ(fr.exitCode, 0) << fr.err;
  EXPECT_NE(fr.out.find("the form of rules version 1"), std::string::npos) << fr.out;
  EXPECT_NE(fr.out.find("partenaires[].siret"), std::string::npos) << fr.out;
  EXPECT_NE(fr.out.find("disponible_audition is yes"), std::string::npos) << fr.out;
  EXPECT_NE(fr.out.find("La reproductibilité"), std::string::npos) << fr.out;
  Outcome en = run({"form", "show", "label-territoire-innovant-2020", "--lang", "en"});
  ASSERT_EQ(en.exitCode, 0) << en.err;
  EXPECT_NE(en.out.find("Reproducibility"), std::string::npos) << en.out;
  // --json is the definition file's "form", as the seed wrote it.
  Outcome json = run({"form", "show", "label-territoire-innovant-2020", "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  std::ifstream seed(kSeed);
  const auto definition = nlohmann::json::parse(seed);
  EXPECT_EQ(nlohmann::json::parse(json.out), definition.at("form"));
}

TEST_F(FormCli, BadInputSaysWhatWithItsExitCode) {
  Outcome unknown = run({"form", "show", "no-such-call"});
  EXPECT_EQ(unknown.exitCode, 3) << unknown.err;
  EXPECT_NE(unknown.err.find("no campaign \"no-such-call\""), std::string::npos) << unknown.err;
  Outcome badId = run({"form", "show", "bad/id"});
  EXPECT_EQ(badId.exitCode, 2) << badId.err;
  Outcome language = run({"form", "show", "label-territoire-innovant-2020", "--lang", "de"});
  EXPECT_EQ(language.exitCode, 2) << language.err;
  EXPECT_NE(language.err.find("--lang: use fr or en"), std::string::npos) << language.err;
  Outcome help = run({"form", "show", "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace parcours::testing
