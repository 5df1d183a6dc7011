// `parcours campaign open|amend|jury|conflict|phase|budget`: the decisions
// administrators take on a campaign's own stream. (`campaign list` is a
// read: read_campaign_commands.cc.)
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "input_parsing.h"
#include "output.h"
#include "parcours/workflows/campaign_rules.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

using workflows::CampaignCommand;
using workflows::Workflow;
namespace ccmd = workflows::campaign_command;

struct CampaignOptions {
  WriteOptions write;
  std::string campaignId;
  std::string file;
  std::vector<std::string> members;  // --member id:name:role
  std::string jurorId;
  std::string dossierId;
  std::string phase;
  std::string declaredBy = "administrator";  // conflict: juror | administrator
  std::int64_t envelopeCents = 0;
};

// A campaign write: `command` already built (files read, flags checked),
// so a bad input never opens the store.
// `definitionJson`: the file an open or amend read, which is what a server
// is sent (--server).
int runCampaignWrite(const Context& context, const CampaignOptions& options, StoreUse use,
                     const std::string& campaignId, const CampaignCommand& command,
                     std::function<WriteSummary(const workflows::CampaignState&)> describe,
                     const std::string& definitionJson = "") {
  return runWrite(
      context, options.write, use,
      [&](Workflow& workflow, const workflows::CommandContext& commandContext) {
        return workflow.campaign(campaignId, command, commandContext);
      },
      [&](Workflow& workflow, const store::AppendResult& appended) -> Result<WriteSummary> {
        auto state = workflow.loadCampaignAfter(campaignId, appended);
        if (!state) return state.error();
        WriteSummary summary = describe(*state);
        summary.text = "campaign " + campaignId + ": " + summary.text;
        summary.fields["campaign_id"] = campaignId;
        summary.fields["rules_version"] = state->rulesVersion();
        summary.fields["phase"] = std::string(workflows::phaseName(state->phase));
        return summary;
      },
      RemoteWrite{"campaign " + campaignId,
                  [&](adapters::RemoteClient& client, const workflows::CommandContext& c) {
                    return client.campaign(campaignId, command, definitionJson, c);
                  }});
}

int runOpen(const Context& context, const CampaignOptions& options) {
  auto text = readInputFile(options.file, "campaign definition");
  if (!text) return reportError(text.error());
  auto definition = workflows::loadCampaignDefinition(options.file);
  if (!definition) return reportError(definition.error());
  const std::string id = definition->campaignId;
  return runCampaignWrite(
      context, options, StoreUse::Create, id, ccmd::Open{std::move(definition).value()},
      [](const workflows::CampaignState& s) {
        return WriteSummary{"opened, \"" + s.rules().name + "\", rules version " +
                            std::to_string(s.rulesVersion())};
      },
      *text);
}

int runAmend(const Context& context, const CampaignOptions& options) {
  auto text = readInputFile(options.file, "campaign definition");
  if (!text) return reportError(text.error());
  auto definition = workflows::loadCampaignDefinition(options.file);
  if (!definition) return reportError(definition.error());
  if (definition->campaignId != options.campaignId) {
    return reportError(Error::invalidInput(
        options.file + " defines campaign \"" + definition->campaignId + "\", not \"" +
        options.campaignId + "\": amend the campaign the file is for, or fix its \"id\""));
  }
  return runCampaignWrite(
      context, options, StoreUse::Existing, options.campaignId,
      ccmd::AmendRules{std::move(definition->rules)},
      [](const workflows::CampaignState& s) {
        return WriteSummary{"rules amended, now version " + std::to_string(s.rulesVersion())};
      },
      *text);
}

int runJury(const Context& context, const CampaignOptions& options) {
  std::vector<workflows::JuryMember> members;
  if (!options.file.empty()) {
    auto text = readInputFile(options.file, "jury");
    if (!text) return reportError(text.error());
    auto parsed = workflows::parseJury(*text);
    if (!parsed)
      return reportError(Error::invalidInput(options.file + ": " + parsed.error().message));
    members = std::move(parsed).value();
  }
  for (const std::string& flag : options.members) {
    auto member = parseMemberFlag(flag);
    if (!member) return reportError(member.error());
    members.push_back(std::move(member).value());
  }
  if (members.empty()) {
    return reportError(Error::invalidInput(
        "no jury members given: name a jury file or give --member id:name:role"));
  }
  return runCampaignWrite(
      context, options, StoreUse::Existing, options.campaignId,
      ccmd::AppointJury{std::move(members)}, [](const workflows::CampaignState& s) {
        std::size_t jurors = 0;
        nlohmann::json jury = nlohmann::json::array();
        for (const auto& m : s.jury) {
          jurors += m.role == workflows::JuryRole::Juror ? 1 : 0;
          jury.push_back({{"id", m.id},
                          {"name", m.name},
                          {"role", std::string(workflows::juryRoleName(m.role))}});
        }
        return WriteSummary{"jury of " + std::to_string(s.jury.size()) + " appointed (" +
                                plural(jurors, "juror") + ", " +
                                plural(s.jury.size() - jurors, "elected official") + ")",
                            {{"jury", std::move(jury)}}};
      });
}

int runConflict(const Context& context, const CampaignOptions& options) {
  if (options.declaredBy != "juror" && options.declaredBy != "administrator") {
    return reportError(Error::invalidInput("--by: use juror or administrator, got \"" +
                                           options.declaredBy + "\""));
  }
  const auto by = options.declaredBy == "juror" ? workflows::ConflictSource::Juror
                                                : workflows::ConflictSource::Administrator;
  return runCampaignWrite(
      context, options, StoreUse::Existing, options.campaignId,
      ccmd::DeclareConflict{options.jurorId, options.dossierId, by},
      [&](const workflows::CampaignState&) {
        return WriteSummary{"conflict of " + options.jurorId + " with dossier " +
                                options.dossierId +
                                " declared; it awaits a ruling (campaign rule-conflict)",
                            {{"juror_id", options.jurorId},
                             {"dossier_id", options.dossierId},
                             {"declared_by", options.declaredBy},
                             {"status", "pending"}}};
      });
}

int runPhase(const Context& context, const CampaignOptions& options) {
  auto phase = workflows::parsePhase(options.phase);
  if (!phase) {
    return reportError(
        Error::invalidInput("unknown phase \"" + options.phase + "\": use " + phaseNames()));
  }
  return runCampaignWrite(
      context, options, StoreUse::Existing, options.campaignId, ccmd::ChangePhase{*phase},
      [](const workflows::CampaignState& s) {
        return WriteSummary{"phase " + std::string(workflows::phaseName(s.phase))};
      });
}

int runBudget(const Context& context, const CampaignOptions& options) {
  return runCampaignWrite(
      context, options, StoreUse::Existing, options.campaignId,
      ccmd::SetBudgetEnvelope{options.envelopeCents}, [](const workflows::CampaignState& s) {
        return WriteSummary{
            "envelope " + workflows::formatEuros(s.envelopeCents) + ", " +
                workflows::formatEuros(s.grantedCents) + " granted so far",
            {{"envelope_cents", s.envelopeCents}, {"granted_cents", s.grantedCents}}};
      });
}

}  // namespace

void addCampaignCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group =
      app.add_subcommand("campaign", "Open and run campaigns (calls for applications)");
  group->require_subcommand(1);
  group->footer(
      helpFooter("parcours --data /var/lib/parcours campaign open label-2020.json\n"
                 "  parcours --data /var/lib/parcours campaign phase label-2020 deliberation"));
  // One options object per verb: CLI11 binds each flag to its own variable.
  auto open = std::make_shared<CampaignOptions>();
  CLI::App* verb = addWriteVerb(
      *group, run, open, "open", "Open a campaign from its definition file (JSON: id and rules)",
      "parcours campaign open label-territoire-innovant-2020.json", false, runOpen);
  verb->add_option("file", open->file, "Campaign definition (JSON)")->required();

  auto amend = std::make_shared<CampaignOptions>();
  verb = addWriteVerb(*group, run, amend, "amend",
                      "Amend a campaign's rules from a definition file: a new rules version",
                      "parcours campaign amend lti-2020 lti-2020-extended.json --reason \"deadline "
                      "extended\"",
                      false, runAmend);
  verb->add_option("campaign", amend->campaignId, "Campaign id")->required();
  verb->add_option("file", amend->file, "The campaign's definition, amended (JSON)")->required();

  auto jury = std::make_shared<CampaignOptions>();
  verb = addWriteVerb(*group, run, jury, "jury",
                      "Appoint the jury (and elected officials) from a file or --member flags",
                      "parcours campaign jury lti-2020 --member \"j1:Camille Exemple:juror\" "
                      "--member \"v1:Alix Exemple:elected_official\"",
                      false, runJury);
  verb->add_option("campaign", jury->campaignId, "Campaign id")->required();
  verb->add_option("file", jury->file,
                   "Jury file (JSON): {\"members\": [{\"id\", \"name\", \"role\": juror | "
                   "elected_official}]}");
  verb->add_option("--member", jury->members, "A member as id:name:role (repeatable)")
      ->allow_extra_args(false);

  auto conflict = std::make_shared<CampaignOptions>();
  verb = addWriteVerb(
      *group, run, conflict, "conflict",
      "Declare a juror's conflict of interest with a dossier; it awaits a ruling "
      "(rule-conflict)",
      "parcours campaign conflict lti-2020 --juror j1 --dossier d-12 --reason \"elected "
      "in that territory\"",
      true, runConflict);
  verb->add_option("campaign", conflict->campaignId, "Campaign id")->required();
  verb->add_option("--juror", conflict->jurorId, "The juror's id")->required();
  verb->add_option("--dossier", conflict->dossierId, "The dossier's id")->required();
  verb->add_option("--by", conflict->declaredBy,
                   "Who declares the link: juror (before seeing the full dossier) or "
                   "administrator (default)");

  auto phase = std::make_shared<CampaignOptions>();
  verb = addWriteVerb(*group, run, phase, "phase",
                      "Move the campaign to its next phase (only forward)",
                      "parcours campaign phase lti-2020 submissions_closed", false, runPhase);
  verb->add_option("campaign", phase->campaignId, "Campaign id")->required();
  verb->add_option("phase", phase->phase, "One of " + phaseNames())->required();

  auto budget = std::make_shared<CampaignOptions>();
  verb =
      addWriteVerb(*group, run, budget, "budget",
                   "Set the campaign's budget envelope (never below what is already granted)",
                   "parcours campaign budget pss-2020 --envelope-cents 50000000", false, runBudget);
  verb->add_option("campaign", budget->campaignId, "Campaign id")->required();
  verb->add_option("--envelope-cents", budget->envelopeCents, "The envelope, in euro cents")
      ->required()
      ->check(nonNegativeCents());

  addJudgingWriteVerbs(*group, run);
  addCampaignListCommand(*group, run);
  addCampaignShowCommand(*group, run);
}

}  // namespace parcours::cli
