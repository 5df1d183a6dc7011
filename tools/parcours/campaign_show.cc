// `parcours campaign show ID`: the rules in force, as a call's reader needs
// them — what the source said and, apart, what the definition chose where
// it was silent (its assumptions). Read from the campaign's stream (the
// embedded store) or from the server (Parcours.rules); --json prints the
// definition file itself, which opens or amends a campaign as it stands.
#include <iostream>
#include <memory>
#include <string>

#include "output.h"
#include "rules_in_force.h"

namespace parcours::cli {
namespace {

struct CampaignShowOptions {
  std::string campaignId;
  bool json = false;
};

std::string listOrDash(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out.empty() ? "-" : out;
}

void printRulesInForce(const std::string& campaignId, const RulesInForce& in) {
  const workflows::CampaignRules& r = in.rules;
  std::cout << campaignId << ": " << r.name << " (" << r.organiser << "), rules version "
            << in.version << "\n\n";
  Table facts({"RULE", "VALUE"});
  facts.addRow({"deadline", r.deadlineLocal + " (" + r.timeZone + ")"});
  std::vector<std::string> kinds;
  for (const std::string& k : r.eligibleApplicantKinds) {
    kinds.push_back(workflows::applicantKindLabel(k));
  }
  facts.addRow({"applicants", listOrDash(kinds, ", ")});
  facts.addRow({"seat in", listOrDash(r.eligibleDepartements, ", ")});
  facts.addRow({"required", listOrDash(r.requiredFields, ", ")});
  facts.addRow({"auditions", r.auditionsHeld ? "yes" : "no"});
  if (r.auditions.format != workflows::AuditionFormat::Unspecified) {
    facts.addRow({"audition format", std::string(workflows::auditionFormatName(r.auditions.format))});
  }
  if (r.auditions.slotMinutes > 0) {
    facts.addRow({"audition slot", std::to_string(r.auditions.slotMinutes) + " minutes"});
  }
  for (const workflows::AuditionRound& round : r.auditions.rounds) {
    facts.addRow({"round " + round.id,
                  round.name + ": " + round.fromLocal + " to " + round.toLocal});
  }
  if (!r.ceremonyName.empty()) facts.addRow({"ceremony", r.ceremonyName + " (labels awarded at it)"});
  facts.addRow({"threshold", workflows::formatMilli(r.thresholdMilli)});
  facts.addRow({"voting body", std::string(workflows::votingBodyName(r.votingBody))});
  facts.addRow({"label", r.labelName.empty() ? "-" : r.labelName});
  facts.addRow({"envelope (rules)", workflows::formatEuros(r.budgetEnvelopeCents)});
  facts.addRow({"grant decided by", r.grantedByDeliberation ? "the deliberation" : "an award"});
  if (r.perDossierCapCents > 0) {
    facts.addRow({"per-dossier cap", workflows::formatEuros(r.perDossierCapCents)});
  }
  facts.print(std::cout);
  if (!r.strands.empty()) {
    std::cout << "\n";
    Table strands({"STRAND", "MODE", "LABEL"});
    for (const workflows::Strand& s : r.strands) {
      strands.addRow({s.id, std::string(workflows::strandModeName(s.mode)), s.label});
    }
    strands.print(std::cout);
  }
  std::cout << "\n";
  Table criteria({"CRITERION", "SCALE", "WEIGHT", "LABEL"});
  criteria.alignRight(2);
  for (const workflows::Criterion& c : r.criteria) {
    criteria.addRow({c.id, std::to_string(c.scaleMin) + "-" + std::to_string(c.scaleMax),
                     std::to_string(c.weight), c.label});
  }
  criteria.print(std::cout);
  std::cout << "\nAssumptions: what the definition chose where its source is silent\n";
  if (r.assumptions.empty()) {
    std::cout << "(none declared)\n";
  } else {
    Table assumptions({"WHAT", "WHY"});
    for (const workflows::Assumption& a : r.assumptions) assumptions.addRow({a.what, a.why});
    assumptions.print(std::cout);
  }
  if (!r.notes.empty()) std::cout << "\nNotes: " << r.notes << "\n";
}

int runCampaignShow(const Context& context, const CampaignShowOptions& options) {
  auto rules = readRulesInForce(context, options.campaignId);
  if (!rules) return reportError(rules.error());
  if (options.json) {
    std::cout << workflows::campaignDefinitionJson({options.campaignId, rules->rules});
    return 0;
  }
  printRulesInForce(options.campaignId, *rules);
  return 0;
}

}  // namespace

void addCampaignShowCommand(CLI::App& campaignGroup, CommandRun& run) {
  auto options = std::make_shared<CampaignShowOptions>();
  CLI::App* show = campaignGroup.add_subcommand(
      "show", "Show a campaign's rules in force, with the assumptions its definition made");
  show->footer(
      "\nThe rules as the campaign's stream records them (or as the server answers, with\n"
      "--server). --json: the definition file itself (docs/campaign-definition.md), the\n"
      "same rules that `campaign amend` would take back.\n" +
      helpFooter("parcours campaign show parcours-sud-2020"));
  show->add_option("CAMPAIGN", options->campaignId, "Campaign id")->required();
  show->add_flag("--json", options->json, "The definition file (JSON) instead of tables");
  show->callback([options, &run] {
    run = [options](const Context& context) { return runCampaignShow(context, *options); };
  });
}

}  // namespace parcours::cli
