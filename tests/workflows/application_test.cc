// Submission files and completeness: the file's shape is checked when it is
// read (unknown fields, types, sizes), what a campaign requires when the
// dossier is instructed (missingFields). Contacts are fictional people.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "text_edit.h"

namespace parcours::workflows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using parcours::testing::with;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string fullText = R"({
  "applicant": {"name": "Communauté de communes du Val Fictif", "kind": "communaute_de_communes",
                "siren": "912345675", "departement": "04"},
  "title": "Tiers-lieu numérique intercommunal",
  "summary": "Un projet imaginaire.",
  "strands": ["1", "3"],
  "requested_amount_cents": 4000000,
  "contact": {"name": "Camille Exemple", "email": "camille@example.org", "phone": "+33 1 23 45 67 89"}
})";

std::string applicationRefusal(const std::string& text) {
  auto parsed = parseApplication(text);
  if (parsed) return "(accepted)";
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput) << parsed.error().message;
  return parsed.error().message;
}

CampaignRules requiringAll() {
  CampaignRules r;
  r.requiredFields = applicationFieldNames();
  return r;
}

TEST(Application, FullSubmissionParses) {
  auto parsed = parseApplication(fullText);
  ASSERT_TRUE(parsed) << parsed.error().message;
  const Application& a = *parsed;
  EXPECT_EQ(a.applicantName, "Communauté de communes du Val Fictif");
  EXPECT_EQ(a.applicantKind, "communaute_de_communes");
  EXPECT_EQ(a.siren, "912345675");
  EXPECT_EQ(a.departement, "04");
  EXPECT_EQ(a.title, "Tiers-lieu numérique intercommunal");
  EXPECT_EQ(a.summary, "Un projet imaginaire.");
  EXPECT_THAT(a.strands, ElementsAre("1", "3"));
  EXPECT_EQ(a.requestedCents, 4000000);
  EXPECT_EQ(a.contact.name, "Camille Exemple");
  EXPECT_EQ(a.contact.email, "camille@example.org");
  EXPECT_EQ(a.contact.phone, "+33 1 23 45 67 89");
  EXPECT_THAT(missingFields(a, requiringAll()), IsEmpty());
}

TEST(Application, EveryFieldMayBeAbsent) {
  auto parsed = parseApplication("{}");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->title, "");
  EXPECT_TRUE(parsed->strands.empty());
  EXPECT_EQ(parsed->requestedCents, 0);
  auto partial = parseApplication(R"({"applicant": {"name": "Commune de Nulle-Part"}})");
  ASSERT_TRUE(partial) << partial.error().message;
  EXPECT_EQ(partial->applicantName, "Commune de Nulle-Part");
  EXPECT_EQ(partial->applicantKind, "");
}

TEST(Application, UnknownFieldsAreRefused) {
  EXPECT_THAT(applicationRefusal(with(fullText, "\"requested_amount_cents\"", "\"requested_amount\"")),
              HasSubstr("unknown field \"requested_amount\" at the top level (known fields: "
                        "applicant, title, summary, strands, requested_amount_cents, contact, answers)"));
  EXPECT_EQ(applicationRefusal(with(fullText, "\"email\"", "\"mail\"")),
            "unknown field \"mail\" in contact (did you mean \"email\"?)");
  EXPECT_EQ(applicationRefusal(with(fullText, "\"kind\"", "\"knd\"")),
            "unknown field \"knd\" in applicant (did you mean \"kind\"?)");
}

TEST(Application, WrongTypesAreRefused) {
  EXPECT_EQ(applicationRefusal(with(fullText, "4000000", "\"4000000\"")),
            "requested_amount_cents: must be a whole number, got \"4000000\"");
  EXPECT_EQ(applicationRefusal(with(fullText, "4000000", "40000.5")),
            "requested_amount_cents: must be a whole number, got 40000.5");
  EXPECT_EQ(applicationRefusal(with(fullText, "[\"1\", \"3\"]", "\"1\"")),
            "strands: must be a list, got \"1\"");
  EXPECT_EQ(applicationRefusal(with(fullText, "[\"1\", \"3\"]", "[\"1\", 3]")),
            "strands[1]: must be a string, got 3");
  EXPECT_EQ(applicationRefusal(with(fullText, "\"title\": \"Tiers-lieu numérique intercommunal\"",
                         "\"title\": [\"Tiers-lieu\"]")),
            "title: must be a string, got [\"Tiers-lieu\"]");
  EXPECT_EQ(applicationRefusal(R"({"applicant": "Commune de Nulle-Part"})"),
            "applicant: must be an object, got \"Commune de Nulle-Part\"");
  EXPECT_EQ(applicationRefusal("[]"), "the submission must be a JSON object, got a list");
}

TEST(Application, AmountsAreChecked) {
  EXPECT_EQ(applicationRefusal(with(fullText, "4000000", "-5")),
            "requested_amount_cents: must be at least 0, got -5");
  EXPECT_THAT(applicationRefusal(with(fullText, "4000000", "99999999999999999999")),
              HasSubstr("requested_amount_cents: must be"));
}

TEST(Application, KindsAndStrandsAreChecked) {
  EXPECT_EQ(applicationRefusal(with(fullText, "\"communaute_de_communes\"", "\"Communauté de communes\"")),
            "applicant.kind: \"Communauté de communes\" is not an applicant kind: use 1 to 64 "
            "lower-case letters a-z and \"_\", e.g. \"communaute_de_communes\"");
  EXPECT_EQ(applicationRefusal(with(fullText, "[\"1\", \"3\"]", "[\"1\", \"1\"]")),
            "strands[1]: \"1\" is listed twice");
  EXPECT_THAT(applicationRefusal(with(fullText, "[\"1\", \"3\"]", "[\"volet 1\"]")),
              HasSubstr("strands[0]: \"volet 1\" may hold only letters"));
  // Whether the kind is eligible and the strands offered is the campaign's
  // call, made when the dossier is submitted and instructed.
  EXPECT_TRUE(parseApplication(with(fullText, "\"communaute_de_communes\"", "\"entreprise\"")));
  EXPECT_TRUE(parseApplication(with(fullText, "[\"1\", \"3\"]", "[\"9\"]")));
}

TEST(Application, ContactsStayOutOfMessages) {
  const std::string notAnEmail =
      applicationRefusal(with(fullText, "\"camille@example.org\"", "\"camille.exemple.example.org\""));
  EXPECT_EQ(notAnEmail, "contact.email: is not an e-mail address (expected name@domain, one line)");
  EXPECT_THAT(applicationRefusal(with(fullText, "\"camille@example.org\"", "\"camille @example.org\"")),
              HasSubstr("contact.email: is not an e-mail address"));
  EXPECT_THAT(applicationRefusal(with(fullText, "\"camille@example.org\"", "\"a@b@c\"")),
              HasSubstr("contact.email: is not an e-mail address"));
  EXPECT_EQ(applicationRefusal(with(fullText, "\"+33 1 23 45 67 89\"", "33123456789")),
            "contact.phone: must be a string, got a number");
  const std::string malformed = applicationRefusal(R"({"contact": {"email": "camille@exem)");
  EXPECT_THAT(malformed,
              HasSubstr("the submission is not valid JSON at byte 36 (line 1, column 36): "));
  EXPECT_THAT(malformed, Not(HasSubstr("camille")));
  const std::string badLiteral = applicationRefusal(R"({"contact": {"name": Camille}})");
  EXPECT_THAT(badLiteral, HasSubstr("not valid JSON"));
  EXPECT_THAT(badLiteral, Not(HasSubstr("Camille")));
}

TEST(Application, DuplicatesAndSizesAreRefused) {
  EXPECT_EQ(applicationRefusal(with(fullText, "\"title\":", "\"title\": \"x\", \"title\":")),
            "the submission is refused: duplicate field \"title\" at the top level");
  EXPECT_EQ(
      applicationRefusal(with(fullText, "\"Un projet imaginaire.\"", "\"" + std::string(5000, 's') + "\"")),
      "summary: 5000 bytes, over the limit of 4096 bytes");
  std::string strands = "[";
  for (int i = 0; i < 101; ++i) strands += (i ? ", \"" : "\"") + std::to_string(i) + "\"";
  EXPECT_EQ(applicationRefusal(with(fullText, "[\"1\", \"3\"]", strands + "]")),
            "strands: 101 items, over the limit of 100");
  EXPECT_THAT(applicationRefusal(std::string(1024 * 1024 + 1, ' ')),
              HasSubstr("the submission is 1048577 bytes, over the limit of 1048576 bytes"));
}

TEST(Application, MissingFieldsFollowTheRulesOrder) {
  const Application empty;
  EXPECT_THAT(missingFields(empty, requiringAll()),
              ElementsAre("applicant.name", "applicant.kind", "applicant.siren",
                          "applicant.departement", "title", "summary", "strands",
                          "requested_amount", "contact.name", "contact.email", "contact.phone"));
  CampaignRules rules;
  rules.requiredFields = {"title", "applicant.name"};
  EXPECT_THAT(missingFields(empty, rules), ElementsAre("title", "applicant.name"));
  rules.requiredFields = {};
  EXPECT_THAT(missingFields(empty, rules), IsEmpty());
}

TEST(Application, EmptyValuesCountAsMissing) {
  Application a = *parseApplication(fullText);
  a.strands.clear();
  a.requestedCents = 0;
  a.title = "   ";
  a.contact.phone = "";
  EXPECT_THAT(missingFields(a, requiringAll()),
              ElementsAre("title", "strands", "requested_amount", "contact.phone"));
  CampaignRules rules;
  rules.requiredFields = {"applicant.name", "contact.email"};
  EXPECT_THAT(missingFields(a, rules), IsEmpty());
}

}  // namespace
}  // namespace parcours::workflows
