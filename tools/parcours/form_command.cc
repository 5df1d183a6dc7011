// `parcours form show CAMPAIGN`: the application form of the rules in force
// (docs/forms.md), as an applicant fills it: sections, then each field with
// its type, whether it is required, and when it is shown. --json prints the
// "form" of the definition file; --lang en the English labels.
#include <iostream>
#include <memory>
#include <string>

#include "output.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/form_answers.h"
#include "rules_in_force.h"

namespace parcours::cli {
namespace {

struct FormShowOptions {
  std::string campaignId;
  std::string language = "fr";
  bool json = false;
};

std::string labelIn(const std::string& fr, const std::string& en, const std::string& language) {
  return language == "en" && !en.empty() ? en : fr;
}

std::string typeText(const workflows::FormField& f) {
  std::string text(workflows::fieldTypeName(f.type));
  if (f.type == workflows::FieldType::ShortText || f.type == workflows::FieldType::LongText) {
    text += " ≤" + std::to_string(workflows::maxLengthOf(f));
  }
  if (f.type == workflows::FieldType::Group) {
    text += " " + std::to_string(f.minItems) + "-" + std::to_string(f.maxItems);
  }
  if (!f.choices.empty()) {
    std::string values;
    for (const auto& c : f.choices) values += (values.empty() ? "" : "|") + c.value;
    text += " (" + values + ")";
  }
  if (f.type == workflows::FieldType::Attachment) {
    std::string types;
    for (const auto& t : f.contentTypes) types += (types.empty() ? "" : "|") + t;
    text += " " + f.kind + " (" + types + ")" + (f.maxItems > 1 ? " ×" + std::to_string(f.maxItems) : "");
    if (f.maxBytes != 0) text += " ≤" + std::to_string(f.maxBytes) + " B";
  }
  if (f.personal) text += ", personal";
  return text;
}

std::string whenText(const workflows::FieldCondition& when) {
  if (when.field.empty()) return "always";
  std::string values;
  for (const std::string& v : when.values) values += (values.empty() ? "" : ", ") + v;
  return when.field + " is " + values;
}

void addFieldRows(Table& table, const std::string& section, const std::string& prefix,
                  const workflows::FormField& f, const std::string& language) {
  table.addRow({section, prefix + f.id, typeText(f), f.required ? "yes" : "no", whenText(f.when),
                ellipsize(labelIn(f.label, f.labelEn, language), 60)});
  for (const workflows::FormField& child : f.fields) {
    addFieldRows(table, section, prefix + f.id + "[].", child, language);
  }
}

int runFormShow(const Context& context, const FormShowOptions& options) {
  if (options.language != "fr" && options.language != "en") {
    return reportError(
        Error::invalidInput("--lang: use fr or en, got \"" + options.language + "\""));
  }
  auto rules = readRulesInForce(context, options.campaignId);
  if (!rules) return reportError(rules.error());
  const workflows::Form& form = rules->rules.form;
  if (options.json) {
    std::cout << workflows::formDefinitionJson(form);
    return 0;
  }
  if (form.empty()) {
    std::cout << options.campaignId << " (rules version " << rules->version
              << ") has no form: a dossier is the application's fixed fields only\n";
    return 0;
  }
  std::cout << options.campaignId << ": the form of rules version " << rules->version << "\n\n";
  Table table({"SECTION", "FIELD", "TYPE", "REQUIRED", "SHOWN WHEN", "LABEL"});
  for (const workflows::FormSection& s : form.sections) {
    for (const workflows::FormField& f : s.fields) addFieldRows(table, s.id, "", f, options.language);
  }
  table.print(std::cout);
  return 0;
}

struct FormSampleOptions {
  std::string campaignId;
  std::vector<std::string> strands;
  std::string kind;
};

int runFormSample(const Context& context, const FormSampleOptions& options) {
  auto rules = readRulesInForce(context, options.campaignId);
  if (!rules) return reportError(rules.error());
  workflows::Application application;
  application.strands = options.strands;
  application.applicantKind = options.kind.empty() && !rules->rules.eligibleApplicantKinds.empty()
                                  ? rules->rules.eligibleApplicantKinds.front()
                                  : options.kind;
  std::cout << nlohmann::json::parse(workflows::sampleAnswers(rules->rules.form, application))
                   .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
  return 0;
}

}  // namespace

void addFormCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand("form", "A campaign's application form");
  group->require_subcommand(1);
  auto options = std::make_shared<FormShowOptions>();
  CLI::App* show = group->add_subcommand("show", "Show the application form of a campaign's rules in force");
  show->footer(
      "\nThe form as the campaign's stream records it (or as the server answers, with\n"
      "--server): one row per field, a group's fields as GROUP[].FIELD. --json: the\n"
      "\"form\" of the definition file (docs/forms.md).\n" +
      helpFooter("parcours form show label-territoire-innovant-2020 --lang en"));
  show->add_option("CAMPAIGN", options->campaignId, "Campaign id")->required();
  show->add_option("--lang", options->language, "fr (default) or en: the labels' language");
  show->add_flag("--json", options->json, "The form as the definition file writes it (JSON)");
  show->callback([options, &run] {
    run = [options](const Context& context) { return runFormShow(context, *options); };
  });

  auto sample = std::make_shared<FormSampleOptions>();
  CLI::App* sampleCommand = group->add_subcommand(
      "sample", "Print answers the form accepts, to start a submission file's \"answers\" from");
  sampleCommand->footer(
      "\nEvery field shown for an application asking --strands, by an applicant of --kind\n"
      "(default: the first eligible kind), answered with a plain value of its type (the\n"
      "first choice, yes, the lower bound, one item per group, fictional contact details):\n"
      "a JSON object, the \"answers\" of a submission file (docs/forms.md).\n" +
      helpFooter("parcours form sample parcours-sud-2020 --strands 1,3"));
  sampleCommand->add_option("CAMPAIGN", sample->campaignId, "Campaign id")->required();
  sampleCommand->add_option("--strands", sample->strands, "The strands the application asks")
      ->delimiter(',');
  sampleCommand->add_option("--kind", sample->kind, "The applicant's kind");
  sampleCommand->callback([sample, &run] {
    run = [sample](const Context& context) { return runFormSample(context, *sample); };
  });
}

}  // namespace parcours::cli
