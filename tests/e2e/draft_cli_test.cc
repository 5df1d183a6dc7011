// `parcours dossier draft|save|discard|submit DOSSIER`, run as a user runs
// them on an embedded store: a draft created from half a submission file,
// shown with what its submission would be told, saved over the version read
// (a stale version refused with exit 5), then submitted; bad input refused
// with its exit code, nothing written.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

class DraftCli : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> args) {
    std::vector<std::string> all = {"--data", (dir_.path() / "data").string()};
    all.insert(all.end(), args.begin(), args.end());
    return runCommand(PARCOURS_BIN, all, dir_.path() / "err.txt");
  }
  std::string write(const std::string& name, const nlohmann::json& content) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << content.dump(2);
    return path.string();
  }
  void SetUp() override {
    // The label seed with its form, open until 2099.
    std::ifstream in(std::string(PARCOURS_CAMPAIGNS_DIR) + "/label-territoire-innovant-2020.json");
    auto definition = nlohmann::json::parse(in);
    definition["id"] = "lti-drafts";
    definition["deadline"]["local"] = "2099-12-31T23:59:59";
    definition.erase("judging");
    definition.erase("auditions");
    definition.erase("ceremony");
    definition["vote"].erase("tie_break");
    definition["vote"].erase("chair");
    definition["form"]["sections"][0]["fields"].push_back(
        {{"id", "budget_previsionnel"}, {"type", "attachment"}, {"label", "Budget prévisionnel"},
         {"kind", "budget"}, {"content_types", {"application/pdf"}}, {"max_items", 2}});
    Outcome opened = run({"campaign", "open", write("call.json", definition), "--actor", "admin"});
    ASSERT_EQ(opened.exitCode, 0) << opened.err;
  }
  static nlohmann::json half() {
    return {{"applicant", {{"name", "Communauté de communes Exemple"}, {"kind", "communaute_de_communes"}}},
            {"title", "Un guichet numérique"},
            {"contact", {{"name", "Camille Exemple"}, {"email", "camille@example.org"}}}};
  }
  TempDir dir_;
};

TEST_F(DraftCli, DraftSaveOverTheVersionReadThenSubmit) {
  Outcome created = run({"dossier", "draft", "lti-drafts", "d-1", write("half.json", half())});
  ASSERT_EQ(created.exitCode, 0) << created.err;
  EXPECT_NE(created.out.find("version 1"), std::string::npos) << created.out;
  EXPECT_NE(created.out.find("/answers/description: is required"), std::string::npos) << created.out;

  Outcome shown = run({"dossier", "draft", "d-1", "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  const auto draft = nlohmann::json::parse(shown.out);
  EXPECT_EQ(draft.at("version"), 1);
  EXPECT_FALSE(draft.at("complete").get<bool>());
  EXPECT_EQ(draft.at("application").at("title"), "Un guichet numérique");

  Outcome sample = run({"form", "sample", "lti-drafts"});
  ASSERT_EQ(sample.exitCode, 0) << sample.err;
  nlohmann::json full = half();
  full["answers"] = nlohmann::json::parse(sample.out);
  Outcome saved = run({"dossier", "save", "d-1", write("full.json", full), "--version", "1"});
  ASSERT_EQ(saved.exitCode, 0) << saved.err;
  EXPECT_NE(saved.out.find("complete: it can be submitted"), std::string::npos) << saved.out;
  // Saved from a stale read: refused, exit 5, the newer draft kept.
  Outcome stale = run({"dossier", "save", "d-1", write("half2.json", half()), "--version", "1"});
  EXPECT_EQ(stale.exitCode, 5) << stale.err;
  EXPECT_NE(stale.err.find("is at version 2, not 1"), std::string::npos) << stale.err;

  Outcome submitted = run({"dossier", "submit", "d-1", "--version", "2", "--json"});
  ASSERT_EQ(submitted.exitCode, 0) << submitted.err;
  EXPECT_EQ(nlohmann::json::parse(submitted.out).at("status"), "submitted");
  Outcome show = run({"show", "d-1"});
  EXPECT_EQ(show.exitCode, 0) << show.err;
  EXPECT_EQ(run({"dossier", "draft", "d-1"}).exitCode, 3);
}

TEST_F(DraftCli, BadInputSaysWhatWithItsExitCode) {
  Outcome noCampaign = run({"dossier", "draft", "no-such-call", "d-1"});
  EXPECT_EQ(noCampaign.exitCode, 3) << noCampaign.err;
  nlohmann::json wrong = half();
  wrong["answers"] = {{"disponible_audition", "oui"}};
  Outcome wrongType = run({"dossier", "draft", "lti-drafts", "d-1", write("wrong.json", wrong)});
  EXPECT_EQ(wrongType.exitCode, 2) << wrongType.err;
  EXPECT_NE(wrongType.err.find("/answers/disponible_audition"), std::string::npos) << wrongType.err;
  EXPECT_EQ(run({"dossier", "draft", "d-1"}).exitCode, 3);  // nothing was saved
  ASSERT_EQ(run({"dossier", "draft", "lti-drafts", "d-1"}).exitCode, 0);
  // Over an existing draft, save needs the version read; submit DOSSIER FILE is not a form.
  EXPECT_EQ(run({"dossier", "draft", "lti-drafts", "d-1"}).exitCode, 5);
  EXPECT_EQ(run({"dossier", "submit", "d-1", "x.json"}).exitCode, 2);
  EXPECT_EQ(run({"dossier", "submit", "d-1"}).exitCode, 2);  // incomplete: the form's problems
  EXPECT_EQ(run({"dossier", "discard", "d-1", "--version", "9"}).exitCode, 5);
  EXPECT_EQ(run({"dossier", "discard", "d-1"}).exitCode, 0);
  EXPECT_EQ(run({"dossier", "draft", "d-1"}).exitCode, 3);
  Outcome help = run({"dossier", "draft", "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos) << help.out;
}

TEST_F(DraftCli, DocumentsAreAttachedByTheirBytesListedVerifiedAndRecorded) {
  ASSERT_EQ(run({"dossier", "draft", "lti-drafts", "d-2"}).exitCode, 0);
  const auto pdf = dir_.path() / "budget.pdf";
  {
    std::ofstream out(pdf, std::ios::binary);
    out << "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n"
        << std::string(150'000, 'p');
  }
  Outcome attached = run({"dossier", "attach", "d-2", "budget_previsionnel", pdf.string(), "--json"});
  ASSERT_EQ(attached.exitCode, 0) << attached.err;
  const auto document = nlohmann::json::parse(attached.out);
  EXPECT_EQ(document.at("content_type"), "application/pdf");
  EXPECT_EQ(document.at("draft_version"), 2);
  // A text file named .pdf is a text file: refused, naming what it is.
  const auto fake = dir_.path() / "fake.pdf";
  std::ofstream(fake) << "pas un PDF\n";
  Outcome refused = run({"dossier", "attach", "d-2", "budget_previsionnel", fake.string()});
  EXPECT_EQ(refused.exitCode, 2) << refused.err;
  EXPECT_NE(refused.err.find("text/plain"), std::string::npos) << refused.err;
  EXPECT_EQ(run({"dossier", "attach", "d-2", "titre", pdf.string()}).exitCode, 3);

  Outcome listed = run({"dossier", "documents", "d-2"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_NE(listed.out.find("budget.pdf"), std::string::npos) << listed.out;
  Outcome verified = run({"verify"});
  ASSERT_EQ(verified.exitCode, 0) << verified.err;
  EXPECT_NE(verified.out.find("1 document hashed again and matching"), std::string::npos)
      << verified.out;
  Outcome detached = run({"dossier", "detach", "d-2", document.at("sha256").get<std::string>()});
  EXPECT_EQ(detached.exitCode, 0) << detached.err;
  EXPECT_EQ(run({"dossier", "detach", "d-2", document.at("sha256").get<std::string>()}).exitCode, 3);
}

}  // namespace
}  // namespace parcours::testing
