// `parcours dossier ...`: every step of a dossier's workflow, as the
// instructors, jurors, voters and applicants take them. Each verb is one
// command of the dossier machine (docs/workflow.md); this file only turns
// flags and files into those commands and says where the dossier stands.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "draft_commands.h"
#include "input_parsing.h"
#include "output.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/zoned_time.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

using workflows::CampaignState;
using workflows::DossierCommand;
using workflows::DossierState;
using workflows::Workflow;
namespace cmd = workflows::dossier_command;

struct DossierOptions {
  WriteOptions write;
  std::string dossierId;
  std::string campaignId;
  std::string file;
  std::vector<std::string> submitArgs;  // submit: CAMPAIGN DOSSIER FILE, or DOSSIER (its draft)
  std::uint64_t draftVersion = 0;       // submit DOSSIER: the draft's version read
  std::string slot;
  std::string roundId;  // audition schedule: the round
  std::string link;     // audition schedule: the video conference's link
  std::string jurorId;
  std::vector<std::string> scores;
  std::string voterId;
  std::string choice;
  std::vector<std::string> present;  // close-vote: the members present
  std::string lotSeedFile;           // close-vote: the lot's revealed seed
  std::vector<std::string> proxies;  // close-vote: GIVER:HOLDER
  std::string proxyHolder;           // vote: cast by the holder of the voter's proxy
  std::optional<std::int64_t> deliberatedCents;  // close-vote: the amount voted
  std::int64_t amountCents = 0;
};

// What a verb appends to "dossier D: <status>" (its own separator first:
// " to campaign C", ", audition scheduled at T"), read from the states
// after the write.
using Detail = std::function<WriteSummary(const DossierState&, const CampaignState&)>;

WriteSummary noDetail(const DossierState&, const CampaignState&) {
  return {};
}

int runDossierWrite(const Context& context, const DossierOptions& options,
                    const DossierCommand& command, const Detail& detail) {
  // A submission seals the applicant's contact with a key made on first use.
  const std::optional<KeyStoreUse> keys = std::holds_alternative<cmd::Submit>(command)
                                              ? std::optional(KeyStoreUse::Create)
                                              : std::nullopt;
  const std::string& id = options.dossierId;
  // Dossiers live in a store some campaign was opened in: it must exist.
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](Workflow& workflow, const workflows::CommandContext& commandContext) {
        return workflow.dossier(id, command, commandContext);
      },
      [&](Workflow& workflow, const store::AppendResult& appended) -> Result<WriteSummary> {
        auto dossier = workflow.loadDossierAfter(id, appended);
        if (!dossier) return dossier.error();
        auto campaign = workflow.loadCampaign(dossier->campaignId);
        if (!campaign) return campaign.error();
        WriteSummary summary = detail(*dossier, *campaign);
        const std::string status(workflows::statusName(dossier->status));
        summary.text = "dossier " + id + ": " + status + summary.text;
        summary.fields["dossier_id"] = id;
        summary.fields["campaign_id"] = dossier->campaignId;
        summary.fields["status"] = status;
        summary.fields["stream_version"] = dossier->version;
        return summary;
      },
      RemoteWrite{"dossier " + id,
                  [&](adapters::RemoteClient& client, const workflows::CommandContext& c) {
                    return client.dossier(id, command, c);
                  }},
      keys);
}

// A verb whose command needs nothing but the dossier id.
template <typename Command>
int runSimple(const Context& context, const DossierOptions& options) {
  return runDossierWrite(context, options, Command{}, noDetail);
}

int runCloseVote(const Context& context, const DossierOptions& options) {
  cmd::CloseVote close;
  close.present = options.present;
  for (const std::string& proxy : options.proxies) {
    const auto colon = proxy.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == proxy.size()) {
      return reportError(Error::invalidInput("--proxy \"" + proxy +
                                             "\": write GIVER:HOLDER, the member absent, then "
                                             "the member present who votes for them"));
    }
    close.proxies.emplace_back(proxy.substr(0, colon), proxy.substr(colon + 1));
  }
  close.amountCents = options.deliberatedCents;
  if (!options.lotSeedFile.empty()) {
    auto text = readInputFile(options.lotSeedFile, "lot seed file", 4096);
    if (!text) return reportError(text.error());
    close.lotSeed = text->substr(0, text->find_first_of("\r\n"));
  }
  return runDossierWrite(context, options, close, noDetail);
}

int runSubmit(const Context& context, const DossierOptions& given) {
  if (given.submitArgs.size() == 1) {
    return runDraftSubmit(context, given.submitArgs[0], given.draftVersion, given.write);
  }
  if (given.submitArgs.size() != 3) {
    return reportError(Error::invalidInput(
        "submit: give CAMPAIGN DOSSIER FILE, or DOSSIER alone to submit its draft"));
  }
  if (given.draftVersion != 0) {
    return reportError(Error::invalidInput("--version: only for a draft's submission (DOSSIER alone)"));
  }
  DossierOptions options = given;
  options.campaignId = given.submitArgs[0];
  options.dossierId = given.submitArgs[1];
  options.file = given.submitArgs[2];
  auto text = readInputFile(options.file, "submission");
  if (!text) return reportError(text.error());
  auto application = workflows::parseApplication(*text);
  if (!application) {
    return reportError(Error::invalidInput(options.file + ": " + application.error().message));
  }
  return runDossierWrite(
      context, options, cmd::Submit{options.campaignId, std::move(application).value()},
      [](const DossierState& d, const CampaignState&) {
        return WriteSummary{
            " to campaign " + d.campaignId + " by \"" + d.application.applicantName + "\"",
            {{"submitted_at", workflows::formatUtc(d.submittedAtMicros)}}};
      });
}

int runSchedule(const Context& context, const DossierOptions& options) {
  auto slot = workflows::parseInstant(options.slot);
  if (!slot) {
    return reportError(Error::invalidInput("--slot: " + slot.error().message));
  }
  return runDossierWrite(
      context, options, cmd::ScheduleAudition{*slot, options.roundId, options.link},
      [](const DossierState& d, const CampaignState& c) {
        const std::int64_t at = d.auditionSlotMicros.value_or(0);
        const std::string when = workflows::formatInZone(at, c.rules().timeZone);
        return WriteSummary{", audition scheduled at " + when, {{"audition_slot", when}}};
      });
}

int runScore(const Context& context, const DossierOptions& options) {
  auto scores = parseScoreFlags(options.scores);
  if (!scores) return reportError(scores.error());
  return runDossierWrite(
      context, options, cmd::RecordScore{options.jurorId, std::move(scores).value()},
      [&](const DossierState& d, const CampaignState& c) {
        const std::size_t expected = c.scorers(d.dossierId).size();
        return WriteSummary{", score of juror " + options.jurorId + " recorded (" +
                                std::to_string(d.scores.size()) + " of " +
                                std::to_string(expected) + " jurors have scored)",
                            {{"juror_id", options.jurorId},
                             {"jurors_scored", d.scores.size()},
                             {"jurors_expected", expected}}};
      });
}

int runCloseScoring(const Context& context, const DossierOptions& options) {
  return runDossierWrite(
      context, options, cmd::CloseScoring{}, [](const DossierState& d, const CampaignState& c) {
        return WriteSummary{
            ", weighted mean " + formatMilli(d.meanMilli) + " (threshold " +
                formatMilli(c.rules().thresholdMilli) + ")",
            {{"mean_milli", d.meanMilli}, {"threshold_milli", c.rules().thresholdMilli}}};
      });
}

int runVote(const Context& context, const DossierOptions& options) {
  auto choice = workflows::parseVoteChoice(options.choice);
  if (!choice) {
    return reportError(
        Error::invalidInput("--choice \"" + options.choice + "\": vote yes, no or abstain"));
  }
  return runDossierWrite(
      context, options, cmd::CastVote{options.voterId, *choice, options.proxyHolder},
      [&](const DossierState& d, const CampaignState& c) {
        const std::size_t voters = c.voters(d.dossierId).size();
        return WriteSummary{
            ", vote of " + options.voterId + " recorded (" + std::to_string(d.votes.size()) +
                " of " + std::to_string(voters) + " votes cast)",
            {{"voter_id", options.voterId}, {"votes_cast", d.votes.size()}, {"voters", voters}}};
      });
}

int runAward(const Context& context, const DossierOptions& options) {
  return runDossierWrite(
      context, options, cmd::Award{options.amountCents},
      [](const DossierState& d, const CampaignState&) {
        std::string text;
        if (!d.labelName.empty()) text = ", label \"" + d.labelName + "\"";
        if (d.grantedCents > 0) text += ", " + workflows::formatEuros(d.grantedCents) + " granted";
        return WriteSummary{text, {{"label_name", d.labelName}, {"granted_cents", d.grantedCents}}};
      });
}

// Adds one verb with the dossier positional, the write options and its runner.
CLI::App* addVerb(CLI::App& group, CommandRun& run, const std::string& name,
                  const std::string& description, const std::string& example, bool reasonRequired,
                  int (*body)(const Context&, const DossierOptions&),
                  std::shared_ptr<DossierOptions>& options) {
  options = std::make_shared<DossierOptions>();
  return addWriteVerb(group, run, options, name, description, example, reasonRequired, body);
}

void addDossierPositional(CLI::App* verb, DossierOptions& options) {
  verb->add_option("dossier", options.dossierId, "Dossier id")->required();
}

}  // namespace

void addDossierCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand("dossier", "Take a dossier through its workflow");
  group->require_subcommand(1);
  group->footer(
      "\nThe workflow: submitted > eligible > auditioned > scored > voted > labelled;\n"
      "ineligible, not_selected, no_show, below_threshold, rejected and withdrawn end it.\n" +
      helpFooter("parcours --data /var/lib/parcours dossier eligible d-12 --reason \"complete\""));
  std::shared_ptr<DossierOptions> o;

  CLI::App* verb = addVerb(*group, run, "submit",
                           "Submit a dossier to a campaign from a file (CAMPAIGN DOSSIER FILE), "
                           "or its draft (DOSSIER)",
                           "parcours dossier submit lti-2020 d-12 application.json "
                           "--at 2020-06-19T18:00:00+02:00",
                           false, runSubmit, o);
  verb->add_option("args", o->submitArgs,
                   "CAMPAIGN DOSSIER FILE (the application, JSON), or DOSSIER to submit its draft")
      ->required()
      ->expected(1, 3);
  verb->add_option("--version", o->draftVersion,
                   "Submitting a draft: the version you read; refused if it was saved since")
      ->check(CLI::PositiveNumber);
  addDraftVerbs(*group, run);

  verb = addVerb(*group, run, "eligible", "Confirm the dossier is eligible (kind, completeness)",
                 "parcours dossier eligible d-12", false, runSimple<cmd::ConfirmEligibility>, o);
  addDossierPositional(verb, *o);
  verb = addVerb(*group, run, "ineligible", "Declare the dossier ineligible, saying why",
                 "parcours dossier ineligible d-12 --reason \"a commune, not an "
                 "intercommunalité\"",
                 true, runSimple<cmd::DeclareIneligible>, o);
  addDossierPositional(verb, *o);
  verb = addVerb(*group, run, "not-selected", "Do not select a dossier, saying why: an eligible one, or a scored one the committee did not propose",
                 "parcours dossier not-selected d-12 --reason \"outside the call's strands\"", true,
                 runSimple<cmd::NotSelect>, o);
  addDossierPositional(verb, *o);

  CLI::App* audition = group->add_subcommand("audition", "Auditions: schedule, held, no-show");
  audition->require_subcommand(1);
  audition->footer(
      helpFooter("parcours dossier audition schedule d-12 --slot "
                 "2020-06-23T14:00:00+02:00"));
  verb = addVerb(*audition, run, "schedule", "Give an eligible dossier its audition slot",
                 "parcours dossier audition schedule d-12 --slot 2020-06-23T14:00:00+02:00 "
                 "--link https://visio.example.org/d-12",
                 false,
                 runSchedule, o);
  addDossierPositional(verb, *o);
  verb->add_option("--slot", o->slot, "The slot (RFC 3339)")->required();
  verb->add_option("--round", o->roundId,
                   "The round it belongs to (absent: the campaign's only round)");
  verb->add_option("--link", o->link, "By video conference: the slot's link (https://...)");
  verb =
      addVerb(*audition, run, "held", "Record that the audition was held",
              "parcours dossier audition held d-12", false, runSimple<cmd::RecordAuditionHeld>, o);
  addDossierPositional(verb, *o);
  verb = addVerb(*audition, run, "no-show", "Record that the applicant did not show up",
                 "parcours dossier audition no-show d-12", false, runSimple<cmd::RecordNoShow>, o);
  addDossierPositional(verb, *o);

  verb = addVerb(*group, run, "score", "Record one juror's scores, every criterion once",
                 "parcours dossier score d-12 --juror j1 --score innovation=8 --score users=6",
                 false, runScore, o);
  addDossierPositional(verb, *o);
  verb->add_option("--juror", o->jurorId, "The juror's id")->required();
  verb->add_option("--score", o->scores, "criterion=value (repeat for every criterion)")
      ->required()
      ->allow_extra_args(false);
  verb = addVerb(*group, run, "close-scoring",
                 "Close scoring once every juror scored: scored or below_threshold",
                 "parcours dossier close-scoring d-12", false, runCloseScoring, o);
  addDossierPositional(verb, *o);

  verb = addVerb(*group, run, "vote", "Record one voter's vote",
                 "parcours dossier vote d-12 --voter v1 --choice yes", false, runVote, o);
  addDossierPositional(verb, *o);
  verb->add_option("--voter", o->voterId, "The voter's id")->required();
  verb->add_option("--choice", o->choice, "yes, no or abstain")->required();
  verb->add_option("--proxy-holder", o->proxyHolder,
                   "The member present who casts this vote holding the voter's proxy");
  verb = addVerb(*group, run, "close-vote",
                 "Close the vote: voted or rejected (quorum, majority, tie-break); where the vote decides the money, labelled with its grant; without quorum where the rules reconvene, adjourned",
                 "parcours dossier close-vote d-12 --present v1,v2,v3", false, runCloseVote, o);
  addDossierPositional(verb, *o);
  verb->add_option("--present", o->present,
                   "The members present, comma-separated (a quorum may count them)")
      ->delimiter(',');
  verb->add_option("--lot-seed-file", o->lotSeedFile,
                   "The committed lot seed's file, when ties are broken by lot");
  verb->add_option("--proxy", o->proxies,
                   "GIVER:HOLDER: a member absent gave their vote to a member present "
                   "(where the rules allow proxies; repeat for each)");
  verb->add_option("--amount-cents", o->deliberatedCents,
                   "Where the vote decides the money: the amount the deliberation grants, in "
                   "euro cents (absent: the committee's proposal)")
      ->check(nonNegativeCents());

  verb = addVerb(*group, run, "award", "Award the label and/or grant funding within the envelope",
                 "parcours dossier award d-12 --amount-cents 4500000", false, runAward, o);
  addDossierPositional(verb, *o);
  verb->add_option("--amount-cents", o->amountCents,
                   "Funding granted, in euro cents (0 or absent: the label only)")
      ->check(nonNegativeCents());
  verb = addVerb(*group, run, "withdraw", "Withdraw the dossier (the applicant's decision)",
                 "parcours dossier withdraw d-12 --actor applicant", false,
                 runSimple<cmd::Withdraw>, o);
  addDossierPositional(verb, *o);
}

}  // namespace parcours::cli
