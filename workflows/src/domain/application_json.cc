// Submission files (docs/campaign-definition.md, "Submission files"): JSON
// to Application, and which of a campaign's required fields an application
// leaves empty.
//
// parseApplication checks the file's shape only: whether the applicant's
// kind is eligible or the strands are offered is the dossier machine's
// decision, recorded with a reason. Every field may be absent here, since
// what is required depends on the campaign (missingFields).
#include <algorithm>
#include <set>

#include "domain/json_input.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {
namespace {

using json_input::Fields;
using json_input::isBlank;
using json_input::looksLikeEmail;
using json_input::optional;
using json_input::Presence;

bool isEmpty(const Application& a, std::string_view field) {
  if (field == "applicant.name") return isBlank(a.applicantName);
  if (field == "applicant.kind") return isBlank(a.applicantKind);
  if (field == "applicant.siren") return isBlank(a.siren);
  if (field == "applicant.departement") return isBlank(a.departement);
  if (field == "title") return isBlank(a.title);
  if (field == "summary") return isBlank(a.summary);
  if (field == "strands") return a.strands.empty();
  if (field == "requested_amount") return a.requestedCents == 0;
  if (field == "contact.name") return isBlank(a.contact.name);
  if (field == "contact.email") return isBlank(a.contact.email);
  if (field == "contact.phone") return isBlank(a.contact.phone);
  // A field no application can fill (validateRules refuses such rules):
  // missing, so an unchecked rule fails closed rather than open.
  return true;
}

// Seed 000: strand 3 is "une enveloppe globale de 500 000 € en
// investissement": an application asking it must say how much; one asking
// only the other strands asks for no money and needs no amount.
void addUnfundedInvestment(const Application& a, const CampaignRules& rules,
                           std::vector<std::string>& missing) {
  if (a.requestedCents > 0 || !rules.asksForMoney(a.strands)) return;
  if (std::find(missing.begin(), missing.end(), "requested_amount") == missing.end()) {
    missing.emplace_back("requested_amount");
  }
}

}  // namespace

Result<Application> parseApplication(std::string_view text) {
  // Personal data (the contact) stays out of every message, parse errors
  // included: messages end up in logs and HTTP responses.
  // A form's answers are as wide as the form (docs/forms.md).
  auto document = json_input::parseDocument(text, "submission", true, json_input::formDocument);
  if (!document) return document.error();

  std::optional<Error> error;
  Fields top(&*document, "",
             {"applicant", "title", "summary", "strands", "requested_amount_cents", "contact",
              "answers"},
             error, false);
  Application a;
  Fields applicant =
      top.object("applicant", optional, {"name", "kind", "siren", "departement"});
  a.applicantName = applicant.string("name", optional);
  a.applicantKind = applicant.string("kind", optional);
  if (!applicant.failed() && !a.applicantKind.empty()) {
    applicant.check(json_input::checkApplicantKind("applicant.kind", a.applicantKind));
  }
  a.siren = applicant.string("siren", optional);
  if (!applicant.failed() && !a.siren.empty()) {
    applicant.check(checkSiren("applicant.siren", a.siren));
  }
  a.departement = applicant.string("departement", optional);
  if (!applicant.failed() && !a.departement.empty()) {
    applicant.check(checkDepartement("applicant.departement", a.departement));
  }
  a.title = top.string("title", optional);
  a.summary = top.string("summary", optional);
  a.strands = top.strings("strands", optional);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < a.strands.size() && !top.failed(); ++i) {
    const std::string path = json_input::itemPath("strands", i);
    if (!top.check(validateId(path, a.strands[i]))) break;
    if (!seen.insert(a.strands[i]).second) {
      top.fail(path, json_input::inQuotes(a.strands[i]) + " is listed twice");
    }
  }
  a.requestedCents = top.integer("requested_amount_cents", optional, 0, json_input::centsMax);
  Fields contact = top.personalObject("contact", optional, {"name", "email", "phone"});
  a.contact.name = contact.string("name", optional);
  a.contact.email = contact.string("email", optional);
  a.contact.phone = contact.string("phone", optional);
  if (!contact.failed() && !a.contact.email.empty() && !looksLikeEmail(a.contact.email)) {
    contact.fail("contact.email", "is not an e-mail address (expected name@domain, one line)");
  }
  // The form's answers are checked against the campaign's form when the
  // dossier is submitted (form_answers.h), where the form is known; here only
  // their shape: an object, kept as its text.
  if (top.has("answers") && !top.failed()) {
    const json_input::Json& answers = (*document)["answers"];
    if (!answers.is_object()) {
      top.fail("answers", "must be an object of answers keyed by field id, got " +
                              std::string(json_input::typeName(answers)));
    } else {
      a.answers = answers.dump(-1, ' ', false, json_input::Json::error_handler_t::strict);
    }
  }
  if (top.failed()) return *error;
  return a;
}

std::string applicationFile(const Application& a) {
  json_input::Json out = json_input::Json::object();
  json_input::Json applicant = json_input::Json::object();
  const auto put = [](json_input::Json& o, const char* key, const std::string& value) {
    if (!value.empty()) o[key] = value;
  };
  put(applicant, "name", a.applicantName);
  put(applicant, "kind", a.applicantKind);
  put(applicant, "siren", a.siren);
  put(applicant, "departement", a.departement);
  if (!applicant.empty()) out["applicant"] = std::move(applicant);
  put(out, "title", a.title);
  put(out, "summary", a.summary);
  if (!a.strands.empty()) out["strands"] = a.strands;
  if (a.requestedCents != 0) out["requested_amount_cents"] = a.requestedCents;
  json_input::Json contact = json_input::Json::object();
  put(contact, "name", a.contact.name);
  put(contact, "email", a.contact.email);
  put(contact, "phone", a.contact.phone);
  if (!contact.empty()) out["contact"] = std::move(contact);
  if (!a.answers.empty()) out["answers"] = json_input::Json::parse(a.answers, nullptr, false);
  return out.dump(2, ' ', false, json_input::Json::error_handler_t::replace) + "\n";
}

Status checkSiren(std::string_view path, std::string_view siren) {
  const bool nineDigits =
      siren.size() == 9 &&
      std::all_of(siren.begin(), siren.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!nineDigits) {
    return Error::invalidInput(std::string(path) + ": " + json_input::inQuotes(siren) +
                               " is not a SIREN: 9 digits, without spaces");
  }
  // Luhn: from the right, every second digit doubled (minus 9 past 9).
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    int digit = siren[8 - i] - '0';
    if (i % 2 == 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  if (siren == "000000000") {
    return Error::invalidInput(std::string(path) + ": \"000000000\" is not a SIREN");
  }
  if (sum % 10 == 0) return okStatus();
  return Error::invalidInput(std::string(path) + ": " + json_input::inQuotes(siren) +
                             " is not a SIREN: its check digit (Luhn) is wrong, a digit is "
                             "mistyped");
}

Status checkDepartement(std::string_view path, std::string_view code) {
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  bool known = false;
  if (code == "2A" || code == "2B") {
    known = true;
  } else if (code.size() == 2 && digits(code)) {
    const int n = (code[0] - '0') * 10 + (code[1] - '0');
    known = n >= 1 && n <= 95 && n != 20;
  } else if (code.size() == 3 && digits(code)) {
    const int n = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    known = n >= 971 && n <= 976;
  }
  if (known) return okStatus();
  return Error::invalidInput(std::string(path) + ": " + json_input::inQuotes(code) +
                             " is not a département code: 01 to 95, 2A, 2B or 971 to 976");
}

Status validateApplication(const Application& a) {
  if (!a.applicantKind.empty()) {
    if (auto s = json_input::checkApplicantKind("applicantKind", a.applicantKind); !s) return s;
  }
  if (!a.siren.empty()) {
    if (auto s = checkSiren("siren", a.siren); !s) return s;
  }
  if (!a.departement.empty()) {
    if (auto s = checkDepartement("departement", a.departement); !s) return s;
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < a.strands.size(); ++i) {
    const std::string path = json_input::itemPath("strands", i);
    if (auto s = validateId(path, a.strands[i]); !s) return s;
    if (!seen.insert(a.strands[i]).second) {
      return Error::invalidInput(path + ": " + json_input::inQuotes(a.strands[i]) +
                                 " is listed twice");
    }
  }
  if (a.requestedCents < 0 || a.requestedCents > json_input::centsMax) {
    return Error::invalidInput("requestedCents: must be between 0 and " +
                               std::to_string(json_input::centsMax));
  }
  if (!a.contact.email.empty() && !looksLikeEmail(a.contact.email)) {
    return Error::invalidInput(
        "contact.email: is not an e-mail address (expected name@domain, one line)");
  }
  return okStatus();
}

std::vector<std::string> missingFields(const Application& application, const CampaignRules& rules) {
  std::vector<std::string> missing;
  for (const std::string& field : rules.requiredFields) {
    if (isEmpty(application, field)) missing.push_back(field);
  }
  addUnfundedInvestment(application, rules, missing);
  return missing;
}

std::vector<std::string> filledContactFields(const Contact& contact) {
  std::vector<std::string> filled;
  if (!isBlank(contact.name)) filled.emplace_back("contact.name");
  if (!isBlank(contact.email)) filled.emplace_back("contact.email");
  if (!isBlank(contact.phone)) filled.emplace_back("contact.phone");
  return filled;
}

std::vector<std::string> missingFields(const DossierState& dossier, const CampaignRules& rules) {
  std::vector<std::string> missing;
  const std::vector<std::string>& filled = dossier.contact.fields;
  for (const std::string& field : rules.requiredFields) {
    const bool empty = field.rfind("contact.", 0) == 0
                           ? std::find(filled.begin(), filled.end(), field) == filled.end()
                           : isEmpty(dossier.application, field);
    if (empty) missing.push_back(field);
  }
  addUnfundedInvestment(dossier.application, rules, missing);
  return missing;
}

}  // namespace parcours::workflows
