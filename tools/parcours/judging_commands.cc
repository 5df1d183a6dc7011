// Fair judging on the command line (docs/judging.md).
//
// Writes, as verbs of `parcours campaign`: rule-conflict, draw-commit,
// draw-reveal, reassign, close-round, consensus, select, lot-commit; and
// the call's milestones, decided on the store like them: broadcast,
// ceremony, publish.
// Reads, as `parcours judging`: draw, assignments, conflicts, leaderboard,
// normalisation, selection, minutes. The reads fold the log on demand
// (judging_views.h): nothing to rebuild.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "input_parsing.h"
#include "output.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging_views.h"
#include "store_access.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

using workflows::CampaignCommand;
using workflows::CampaignState;
using workflows::Workflow;
namespace ccmd = workflows::campaign_command;

struct JudgingOptions {
  WriteOptions write;
  std::string campaignId;
  std::string dossierId;
  std::string jurorId;
  std::string ruling;      // upheld | dismissed
  std::string seedOut;     // where a fresh seed is written
  std::string commitment;  // a commitment made elsewhere
  std::string seedFile;
  std::string removeJuror;
  std::string addJuror;
  std::string csvFile;
  bool dryRun = false;
  std::string roundId;  // broadcast
  std::string where;    // broadcast, ceremony
  std::string url;      // broadcast, publish
};

// The judging commands are decided where the log is: a server's API does
// not carry them yet (docs/judging.md), so --server is refused, not
// half-sent.
RemoteWrite localOnly(const std::string& verb) {
  return {"campaign",
          [verb](adapters::RemoteClient&, const workflows::CommandContext&)
              -> Result<adapters::RemoteOutcome> {
            return Error::invalidInput("`campaign " + verb +
                                       "` runs on the store itself, not through --server: run it "
                                       "with --data on the server's machine");
          }};
}

int runJudgingWrite(const Context& context, const JudgingOptions& options, const std::string& verb,
                    const CampaignCommand& command,
                    std::function<WriteSummary(const CampaignState&)> describe) {
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](Workflow& workflow, const workflows::CommandContext& commandContext) {
        return workflow.campaign(options.campaignId, command, commandContext);
      },
      [&](Workflow& workflow, const store::AppendResult& appended) -> Result<WriteSummary> {
        auto state = workflow.loadCampaignAfter(options.campaignId, appended);
        if (!state) return state.error();
        WriteSummary summary = describe(*state);
        summary.text = "campaign " + options.campaignId + ": " + summary.text;
        summary.fields["campaign_id"] = options.campaignId;
        return summary;
      },
      localOnly(verb));
}

// A seed read from a file (its first line, without the line end).
Result<std::string> readSeedFile(const std::string& path) {
  auto text = readInputFile(path, "seed file", 4096);
  if (!text) return text.error();
  std::string seed = text->substr(0, text->find_first_of("\r\n"));
  if (seed.empty()) return Error::invalidInput(path + ": the seed file is empty");
  return seed;
}

// The commitment to record: given (--commitment), or that of a fresh seed
// for --seed-out. The seed goes to a temporary file next to --seed-out,
// readable by its owner only, and becomes --seed-out only once the
// commitment is recorded (SeedFile::keep): a refused commit leaves no seed
// file, and a recorded one never lacks its seed. Never over an existing
// file: that could be the seed of another commitment.
class SeedFile {
 public:
  ~SeedFile() {
    if (!temporary_.empty()) std::filesystem::remove(temporary_);
  }
  Result<std::string> commitment(const JudgingOptions& options) {
    if (options.seedOut.empty() == options.commitment.empty()) {
      return Error::invalidInput(
          "give either --seed-out FILE (a fresh seed is made and written there) or --commitment "
          "HEX (the SHA-256 of a seed you keep)");
    }
    if (!options.commitment.empty()) return options.commitment;
    if (std::filesystem::exists(options.seedOut)) {
      return Error::invalidInput("--seed-out: " + options.seedOut +
                                 " already exists; a seed file is never overwritten");
    }
    auto seed = workflows::judging::freshSeed();
    if (!seed) return seed.error();
    final_ = options.seedOut;
    temporary_ = options.seedOut + ".partial";
    {
      std::ofstream out(temporary_, std::ios::binary | std::ios::trunc);
      out << *seed << "\n";
      if (!out.flush()) return Error::ioError("cannot write the seed to " + temporary_);
    }
    std::filesystem::permissions(temporary_, std::filesystem::perms::owner_read |
                                                 std::filesystem::perms::owner_write);
    return workflows::judging::seedCommitment(*seed);
  }
  // The commitment is recorded: the seed file takes its name.
  int keep(int exitCode) {
    if (exitCode != 0 || temporary_.empty()) return exitCode;
    std::error_code ec;
    std::filesystem::rename(temporary_, final_, ec);
    if (ec) {
      return reportError(Error::ioError("the commitment is recorded but the seed stays in " +
                                        temporary_ + ": " + ec.message() +
                                        "; rename it to " + final_));
    }
    temporary_.clear();
    return exitCode;
  }

 private:
  std::string final_;
  std::string temporary_;
};

int runRuleConflict(const Context& context, const JudgingOptions& options) {
  if (options.ruling != "upheld" && options.ruling != "dismissed") {
    return reportError(Error::invalidInput("--ruling: use upheld or dismissed, got \"" +
                                           options.ruling + "\""));
  }
  const bool upheld = options.ruling == "upheld";
  return runJudgingWrite(
      context, options, "rule-conflict",
      ccmd::RuleConflict{options.jurorId, options.dossierId, upheld, {}},
      [&](const CampaignState& s) {
        std::string text = "conflict of " + options.jurorId + " with " + options.dossierId + " " +
                           options.ruling;
        nlohmann::json fields = {{"juror_id", options.jurorId},
                                 {"dossier_id", options.dossierId},
                                 {"ruling", options.ruling}};
        if (auto drawn = s.assignments.find(options.dossierId); drawn != s.assignments.end()) {
          std::string jurors;
          for (const auto& j : drawn->second) jurors += (jurors.empty() ? "" : ", ") + j;
          text += "; jurors of " + options.dossierId + ": " + jurors;
          fields["jurors"] = drawn->second;
        }
        return WriteSummary{text, fields};
      });
}

int runDrawCommit(const Context& context, const JudgingOptions& options) {
  SeedFile seedFile;
  auto commitment = seedFile.commitment(options);
  if (!commitment) return reportError(commitment.error());
  return seedFile.keep(runJudgingWrite(
      context, options, "draw-commit", ccmd::CommitAssignment{*commitment},
      [&](const CampaignState& s) {
        const auto& c = *s.assignmentCommitment;
        return WriteSummary{
            "draw committed (algorithm v" + std::to_string(c.algorithmVersion) + ", " +
                std::to_string(c.jurorsPerDossier) + " jurors per dossier, seed SHA-256 " +
                c.seedCommitment + ")" +
                (options.seedOut.empty() ? "" : "; keep " + options.seedOut + " secret until the draw"),
            {{"seed_commitment", c.seedCommitment},
             {"algorithm_version", c.algorithmVersion},
             {"jurors_per_dossier", c.jurorsPerDossier}}};
      }));
}

int runDrawReveal(const Context& context, const JudgingOptions& options) {
  auto seed = readSeedFile(options.seedFile);
  if (!seed) return reportError(seed.error());
  ccmd::RevealAssignment reveal;
  reveal.seed = *seed;
  return runJudgingWrite(context, options, "draw-reveal", reveal, [](const CampaignState& s) {
    return WriteSummary{"jurors drawn for " + plural(s.assignments.size(), "dossier") +
                            " (inputs " + s.draw->inputsHash + ")",
                        {{"dossiers", s.assignments.size()},
                         {"seed", s.draw->seed},
                         {"inputs_hash", s.draw->inputsHash}}};
  });
}

int runReassign(const Context& context, const JudgingOptions& options) {
  return runJudgingWrite(
      context, options, "reassign",
      ccmd::ChangeAssignment{options.dossierId, options.removeJuror, options.addJuror},
      [&](const CampaignState& s) {
        const auto& jurors = s.assignments.at(options.dossierId);
        std::string list;
        for (const auto& j : jurors) list += (list.empty() ? "" : ", ") + j;
        return WriteSummary{"jurors of " + options.dossierId + ": " + list,
                            {{"dossier_id", options.dossierId}, {"jurors", jurors}}};
      });
}

int runCloseRound(const Context& context, const JudgingOptions& options) {
  return runJudgingWrite(context, options, "close-round", ccmd::CloseRound{},
                         [](const CampaignState& s) {
                           return WriteSummary{
                               "scoring round closed over " +
                                   plural(s.roundMeans.size(), "dossier") + "; scores are frozen",
                               {{"dossiers", s.roundMeans.size()}}};
                         });
}

int runConsensus(const Context& context, const JudgingOptions& options) {
  return runJudgingWrite(context, options, "consensus",
                         ccmd::RecordConsensus{options.dossierId, 0},
                         [&](const CampaignState& s) {
                           return WriteSummary{
                               "consensus recorded on " + options.dossierId + " (spread " +
                                   workflows::formatMilli(s.consensus.at(options.dossierId)) + ")",
                               {{"dossier_id", options.dossierId}}};
                         });
}

// The selection as a table for people, or as the CSV for outside checks.
void printSelection(const workflows::judging::SelectionResult& result, bool json) {
  if (json) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& l : result.lines) {
      lines.push_back({{"rank", l.rank},
                       {"dossier_id", l.dossierId},
                       {"score", workflows::formatMilli(l.scoreMilli)},
                       {"requested_cents", l.requestedCents},
                       {"selected", l.selected},
                       {"left_before_cents", l.leftBeforeCents},
                       {"explanation", l.explanation}});
    }
    printJson({{"rule", std::string(workflows::judging::selectionRuleName(result.rule))},
               {"envelope_cents", result.envelopeCents},
               {"selected_cents", result.selectedCents},
               {"selected_score", workflows::formatMilli(result.selectedScoreMilli)},
               {"lines", std::move(lines)}});
    return;
  }
  Table table({"RANK", "DOSSIER", "SCORE", "ASKS", "SELECTED", "WHY"});
  table.alignRight(0).alignRight(2).alignRight(3);
  for (const auto& l : result.lines) {
    table.addRow({std::to_string(l.rank), l.dossierId, workflows::formatMilli(l.scoreMilli),
                  euros(l.requestedCents), l.selected ? "yes" : "no", l.explanation});
  }
  table.print(std::cout);
  std::cout << "rule " << workflows::judging::selectionRuleName(result.rule) << ": "
            << euros(result.selectedCents) << " selected of " << euros(result.envelopeCents)
            << ", total score " << workflows::formatMilli(result.selectedScoreMilli) << "\n";
}

Status writeCsv(const std::string& path, const workflows::judging::SelectionResult& result) {
  std::ofstream out(path, std::ios::binary);
  out << workflows::judging::selectionCsv(result);
  if (!out.flush()) return Error::ioError("cannot write the CSV to " + path);
  return okStatus();
}

int runSelect(const Context& context, const JudgingOptions& options) {
  if (!options.dryRun && !options.csvFile.empty()) {
    return reportError(Error::invalidInput(
        "--csv goes with --dry-run; the recorded selection is exported by `parcours judging "
        "selection " +
        options.campaignId + " --csv FILE`"));
  }
  if (options.dryRun) {
    auto log = openStore(context, StoreUse::Existing);
    if (!log) return reportError(log.error());
    const engine::SystemClock clock;
    workflows::Workflow workflow(**log, clock);
    auto preview = workflow.previewSelection(options.campaignId);
    if (!preview) return reportError(preview.error());
    if (!options.csvFile.empty()) {
      if (auto s = writeCsv(options.csvFile, *preview); !s) return reportError(s.error());
    }
    printSelection(*preview, options.write.json);
    if (!options.write.json) std::cout << "dry run: nothing recorded\n";
    return 0;
  }
  return runJudgingWrite(context, options, "select", ccmd::RecordSelection{},
                         [](const CampaignState& s) {
                           std::size_t selected = 0;
                           for (const auto& [id, yes] : *s.selection) selected += yes ? 1 : 0;
                           return WriteSummary{
                               "selection recorded: " + std::to_string(selected) + " of " +
                                   plural(s.selection->size(), "dossier") +
                                   " selected (parcours judging selection " + s.campaignId +
                                   " explains each)",
                               {{"selected", selected}, {"dossiers", s.selection->size()}}};
                         });
}

int runLotCommit(const Context& context, const JudgingOptions& options) {
  SeedFile seedFile;
  auto commitment = seedFile.commitment(options);
  if (!commitment) return reportError(commitment.error());
  return seedFile.keep(runJudgingWrite(
      context, options, "lot-commit", ccmd::CommitLotSeed{*commitment},
      [](const CampaignState& s) {
        return WriteSummary{"lot seed committed (SHA-256 " + s.lotSeedCommitment + ")",
                            {{"seed_commitment", s.lotSeedCommitment}}};
      }));
}

// The call's milestones travel to a server too (Parcours.campaignCommand,
// POST /v1/campaigns/{id}/milestones): an administrator publishes while
// the server runs.
template <ccmd::Milestone M>
int runMilestone(const Context& context, const JudgingOptions& options) {
  const ccmd::RecordMilestone milestone{M, options.roundId, options.where, options.url};
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](Workflow& workflow, const workflows::CommandContext& commandContext) {
        return workflow.campaign(options.campaignId, milestone, commandContext);
      },
      [&](Workflow&, const store::AppendResult&) -> Result<WriteSummary> {
        static constexpr const char* done[] = {
            "auditions broadcast", "ceremony held: labels may be awarded",
            "laureates published: GET /public/v1/campaigns/"};
        std::string text = done[static_cast<int>(M)];
        if (M == ccmd::Milestone::LaureatesPublished) text += options.campaignId + "/laureates answers";
        return WriteSummary{"campaign " + options.campaignId + ": " + text,
                            {{"campaign_id", options.campaignId}}};
      },
      RemoteWrite{"campaign",
                  [&](adapters::RemoteClient& client, const workflows::CommandContext& ctx) {
                    return client.campaign(options.campaignId, milestone, "", ctx);
                  }});
}

// ------------------------------------------------------------ reads

struct JudgingReadOptions {
  std::string campaignId;
  std::string dossierId;
  std::string language = "fr";
  std::string csvFile;
  bool pendingOnly = false;
  bool json = false;
};

int withOverview(const Context& context, const JudgingReadOptions& options,
                 const std::function<int(const workflows::JudgingOverview&)>& print) {
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto overview = workflows::judgingOverview(**log, options.campaignId);
  if (!overview) return reportError(overview.error());
  return print(*overview);
}

int runShowDraw(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    nlohmann::json out = {{"campaign_id", o.campaignId}};
    if (o.commitment) {
      out["commitment"] = {{"algorithm_version", o.commitment->algorithmVersion},
                           {"jurors_per_dossier", o.commitment->jurorsPerDossier},
                           {"expertise_required", o.commitment->expertiseRequired},
                           {"seed_commitment", o.commitment->seedCommitment}};
    }
    if (o.draw) {
      const bool matches = o.commitment && workflows::judging::seedCommitment(o.draw->seed) ==
                                               o.commitment->seedCommitment;
      out["draw"] = {{"seed", o.draw->seed},
                     {"inputs_hash", o.draw->inputsHash},
                     {"dossiers", o.draw->dossierCount},
                     {"seed_matches_commitment", matches}};
      if (o.drawCheck) {
        nlohmann::json recorded = nlohmann::json::object();
        for (const auto& a : o.drawCheck->recorded) recorded[a.dossierId] = a.jurorIds;
        out["draw"]["canonical_inputs"] = o.drawCheck->canonicalInputs;
        out["draw"]["inputs_hash_matches"] = o.drawCheck->inputsHashMatches;
        out["draw"]["rerun_matches"] = o.drawCheck->rerunMatches;
        out["draw"]["recorded"] = std::move(recorded);
      }
    }
    // A draw the log's own inputs do not give back is a finding: exit 4.
    const int verdict =
        o.drawCheck && (!o.drawCheck->inputsHashMatches || !o.drawCheck->rerunMatches) ? 4 : 0;
    if (options.json) {
      printJson(out);
      return verdict;
    }
    if (!o.commitment) {
      std::cout << "campaign " << o.campaignId << ": no draw committed yet\n";
      return 0;
    }
    std::cout << "committed: algorithm v" << o.commitment->algorithmVersion << ", "
              << o.commitment->jurorsPerDossier << " jurors per dossier"
              << (o.commitment->expertiseRequired ? ", expertise required" : "")
              << "\nseed SHA-256: " << o.commitment->seedCommitment << "\n";
    if (!o.draw) {
      std::cout << "not drawn yet\n";
      return 0;
    }
    std::cout << "revealed seed: " << o.draw->seed << " ("
              << (out["draw"]["seed_matches_commitment"].get<bool>()
                      ? "its SHA-256 matches the commitment"
                      : "its SHA-256 does NOT match the commitment")
              << ")\ninputs hash: " << o.draw->inputsHash << "\n"
              << o.draw->dossierCount << " dossiers drawn\n";
    if (o.drawCheck) {
      std::cout << "re-run from the log: inputs "
                << (o.drawCheck->inputsHashMatches ? "hash to the recorded hash"
                                                   : "do NOT hash to the recorded hash")
                << ", the seed over them gives "
                << (o.drawCheck->rerunMatches ? "the recorded draw" : "ANOTHER draw than recorded")
                << "\n(--json adds the canonical inputs, for a re-run by any implementation of "
                   "docs/judging.md)\n";
    }
    return verdict;
  });
}

int runAssignments(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    if (options.json) {
      nlohmann::json jurors = nlohmann::json::array();
      for (const auto& j : o.jurors) {
        jurors.push_back({{"juror_id", j.jurorId},
                          {"name", j.name},
                          {"dossiers", j.dossiers},
                          {"scored", j.scored}});
      }
      printJson({{"campaign_id", o.campaignId}, {"jurors", std::move(jurors)}});
      return 0;
    }
    Table table({"JUROR", "NAME", "PROGRESS", "DOSSIERS"});
    for (const auto& j : o.jurors) {
      std::string dossiers;
      for (const auto& d : j.dossiers) dossiers += (dossiers.empty() ? "" : " ") + d;
      table.addRow({j.jurorId, j.name,
                    std::to_string(j.scored) + "/" + std::to_string(j.dossiers.size()) + " scored",
                    dossiers.empty() ? "-" : dossiers});
    }
    table.print(std::cout);
    return 0;
  });
}

int runConflicts(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    nlohmann::json list = nlohmann::json::array();
    Table table({"JUROR", "DOSSIER", "DECLARED BY", "STATUS"});
    for (const auto& c : o.conflicts) {
      if (options.pendingOnly && c.status != workflows::ConflictStatus::Pending) continue;
      const std::string by =
          c.declaredBy == workflows::ConflictSource::Juror ? "juror" : "administrator";
      const std::string status(workflows::conflictStatusName(c.status));
      list.push_back({{"juror_id", c.jurorId},
                      {"dossier_id", c.dossierId},
                      {"declared_by", by},
                      {"status", status}});
      table.addRow({c.jurorId, c.dossierId, by, status});
    }
    if (options.json) {
      printJson({{"campaign_id", o.campaignId}, {"conflicts", std::move(list)}});
    } else {
      table.print(std::cout);
    }
    return 0;
  });
}

int runJudgingLeaderboard(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    if (options.json) {
      nlohmann::json lines = nlohmann::json::array();
      for (const auto& l : o.leaderboard) {
        lines.push_back(
            {{"rank", l.rank},
             {"dossier_id", l.dossierId},
             {"status", std::string(workflows::statusName(l.status))},
             {"jurors", l.jurors},
             {"raw_mean", workflows::formatMilli(l.rawMeanMilli)},
             {"normalised_mean", l.normalisedMeanMilli
                                     ? nlohmann::json(workflows::formatMilli(*l.normalisedMeanMilli))
                                     : nlohmann::json(nullptr)},
             {"spread", workflows::formatMilli(l.spreadMilli)},
             {"disagreement", l.disagreement},
             {"consensus", l.consensus}});
      }
      printJson({{"campaign_id", o.campaignId},
                 {"round_closed", o.roundClosed},
                 {"normalisation",
                  std::string(workflows::judging::normalisationRuleName(o.rules.normalisation))},
                 {"leaderboard", std::move(lines)}});
      return 0;
    }
    Table table({"RANK", "DOSSIER", "STATUS", "JURORS", "RAW", "NORMALISED", "SPREAD", "NOTE"});
    table.alignRight(0).alignRight(3).alignRight(4).alignRight(5).alignRight(6);
    for (const auto& l : o.leaderboard) {
      std::string note = l.consensus ? "consensus recorded" : l.disagreement ? "disagreement" : "";
      table.addRow({std::to_string(l.rank), l.dossierId, std::string(workflows::statusName(l.status)),
                    std::to_string(l.jurors), workflows::formatMilli(l.rawMeanMilli),
                    l.normalisedMeanMilli ? workflows::formatMilli(*l.normalisedMeanMilli) : "-",
                    workflows::formatMilli(l.spreadMilli), note.empty() ? "-" : note});
    }
    table.print(std::cout);
    std::cout << "normalisation " << workflows::judging::normalisationRuleName(o.rules.normalisation)
              << (o.roundClosed ? ", round closed" : ", round open: normalised after its close")
              << "\n";
    return 0;
  });
}

int runNormalisation(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    if (!o.roundClosed) {
      return reportError(Error::refused("the scoring round of campaign \"" + o.campaignId +
                                        "\" has not closed: nothing was normalised yet"));
    }
    if (options.json) {
      nlohmann::json stats = nlohmann::json::array();
      for (const auto& s : o.statistics) {
        stats.push_back({{"juror_id", s.jurorId},
                         {"criterion_id", s.criterionId},
                         {"count", s.count},
                         {"mean", workflows::formatMilli(s.meanMilli)},
                         {"deviation", workflows::formatMilli(s.deviationMilli)},
                         {"normalised", s.normalised},
                         {"fallback", s.fallback}});
      }
      printJson({{"campaign_id", o.campaignId}, {"statistics", std::move(stats)}});
      return 0;
    }
    Table table({"JUROR", "CRITERION", "SCORES", "MEAN", "DEVIATION", "NORMALISED"});
    table.alignRight(2).alignRight(3).alignRight(4);
    for (const auto& s : o.statistics) {
      table.addRow({s.jurorId, s.criterionId, std::to_string(s.count),
                    workflows::formatMilli(s.meanMilli), workflows::formatMilli(s.deviationMilli),
                    s.normalised ? "yes" : "no: " + s.fallback});
    }
    table.print(std::cout);
    return 0;
  });
}

int runShowSelection(const Context& context, const JudgingReadOptions& options) {
  return withOverview(context, options, [&](const workflows::JudgingOverview& o) {
    if (!o.selection) {
      return reportError(Error::notFound(
          "campaign \"" + o.campaignId +
          "\" has recorded no selection: `parcours campaign select " + o.campaignId +
          " --dry-run` shows what it would be"));
    }
    if (!options.csvFile.empty()) {
      if (auto s = writeCsv(options.csvFile, *o.selection); !s) return reportError(s.error());
    }
    printSelection(*o.selection, options.json);
    return 0;
  });
}

int runMinutes(const Context& context, const JudgingReadOptions& options) {
  if (options.language != "fr" && options.language != "en") {
    return reportError(
        Error::invalidInput("--lang: use fr or en, got \"" + options.language + "\""));
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto minutes = workflows::voteMinutes(**log, options.dossierId,
                                        options.language == "fr"
                                            ? workflows::judging::Language::French
                                            : workflows::judging::Language::English);
  if (!minutes) return reportError(minutes.error());
  if (options.json) {
    printJson({{"dossier_id", options.dossierId}, {"language", options.language},
               {"markdown", *minutes}});
  } else {
    std::cout << *minutes;
  }
  return 0;
}

template <typename Options>
CLI::App* addReadVerb(CLI::App& group, CommandRun& run, const std::shared_ptr<Options>& options,
                      const std::string& name, const std::string& description,
                      const std::string& example, int (*body)(const Context&, const Options&)) {
  CLI::App* verb = group.add_subcommand(name, description);
  verb->footer(helpFooter(example));
  verb->add_flag("--json", options->json, "One JSON object for programs");
  verb->callback([options, &run, body] {
    run = [options, body](const Context& context) { return body(context, *options); };
  });
  return verb;
}

}  // namespace

void addJudgingWriteVerbs(CLI::App& group, CommandRun& run) {
  auto rule = std::make_shared<JudgingOptions>();
  CLI::App* verb = addWriteVerb(
      group, run, rule, "rule-conflict",
      "Rule on a declared conflict of interest: upheld (recused, a replacement is drawn) or "
      "dismissed",
      "parcours campaign rule-conflict lti-2020 --juror j1 --dossier d-12 --ruling upheld "
      "--reason \"the juror chairs the applicant's council\"",
      true, runRuleConflict);
  verb->add_option("campaign", rule->campaignId, "Campaign id")->required();
  verb->add_option("--juror", rule->jurorId, "The juror's id")->required();
  verb->add_option("--dossier", rule->dossierId, "The dossier's id")->required();
  verb->add_option("--ruling", rule->ruling, "upheld or dismissed")->required();

  auto commit = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, commit, "draw-commit",
                      "Commit to the juror draw's seed once submissions have closed (records "
                      "only its SHA-256)",
                      "parcours campaign draw-commit lti-2020 --seed-out lti-2020.seed", false,
                      runDrawCommit);
  verb->add_option("campaign", commit->campaignId, "Campaign id")->required();
  verb->add_option("--seed-out", commit->seedOut,
                   "Make a fresh seed and write it to this new file (keep it secret until the "
                   "draw)");
  verb->add_option("--commitment", commit->commitment,
                   "Or the SHA-256 (hex) of a seed made elsewhere");

  auto reveal = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, reveal, "draw-reveal",
                      "Reveal the committed seed and draw the jurors of every dossier still being "
                      "judged",
                      "parcours campaign draw-reveal lti-2020 --seed-file lti-2020.seed", false,
                      runDrawReveal);
  verb->add_option("campaign", reveal->campaignId, "Campaign id")->required();
  verb->add_option("--seed-file", reveal->seedFile, "The seed's file (its first line)")
      ->required();

  auto reassign = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, reassign, "reassign",
                      "Change the drawn jurors of a dossier by hand, saying why",
                      "parcours campaign reassign lti-2020 --dossier d-12 --remove j1 --add j4 "
                      "--reason \"j1 is on leave\"",
                      true, runReassign);
  verb->add_option("campaign", reassign->campaignId, "Campaign id")->required();
  verb->add_option("--dossier", reassign->dossierId, "The dossier's id")->required();
  verb->add_option("--remove", reassign->removeJuror, "The juror to take off");
  verb->add_option("--add", reassign->addJuror, "The juror to put on");

  auto close = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, close, "close-round",
                      "Close the scoring round: scores frozen, normalisation applied and recorded",
                      "parcours campaign close-round lti-2020", false, runCloseRound);
  verb->add_option("campaign", close->campaignId, "Campaign id")->required();

  auto consensus = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, consensus, "consensus",
                      "Record the consensus reached on a dossier whose jurors disagreed",
                      "parcours campaign consensus lti-2020 --dossier d-12 --reason \"discussed; "
                      "j2 rescored after the audition\"",
                      true, runConsensus);
  verb->add_option("campaign", consensus->campaignId, "Campaign id")->required();
  verb->add_option("--dossier", consensus->dossierId, "The dossier's id")->required();

  auto select = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, select, "select",
                      "Select the dossiers carried by the vote under the envelope, by the rule "
                      "in force (--dry-run: show, record nothing)",
                      "parcours campaign select pss-2020 --dry-run --csv selection.csv", false,
                      runSelect);
  verb->add_option("campaign", select->campaignId, "Campaign id")->required();
  verb->add_flag("--dry-run", select->dryRun, "Compute and show; record nothing");
  verb->add_option("--csv", select->csvFile, "Also write the ranked list as CSV (dry run)");

  auto lot = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, lot, "lot-commit",
                      "Commit to the seed of the lot that breaks tied votes (tie_break \"lot\")",
                      "parcours campaign lot-commit lti-2020 --seed-out lti-2020-lot.seed", false,
                      runLotCommit);
  verb->add_option("campaign", lot->campaignId, "Campaign id")->required();
  verb->add_option("--seed-out", lot->seedOut, "Make a fresh seed and write it to this new file");
  verb->add_option("--commitment", lot->commitment, "Or the SHA-256 (hex) of a seed made elsewhere");

  auto broadcast = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, broadcast, "broadcast",
                      "Record that a round's auditions were broadcast (after its window)",
                      "parcours campaign broadcast lti-2020 --round hauts-de-france --where "
                      "\"web TV, Dunkerque\"",
                      false, runMilestone<ccmd::Milestone::AuditionsBroadcast>);
  verb->add_option("campaign", broadcast->campaignId, "Campaign id")->required();
  verb->add_option("--round", broadcast->roundId, "The round (absent: the only one)");
  verb->add_option("--where", broadcast->where, "Where it was shown")->required();
  verb->add_option("--url", broadcast->url, "Where it can be watched");

  auto ceremony = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, ceremony, "ceremony",
                      "Record the ceremony where labels are handed out: labels are awarded at it",
                      "parcours campaign ceremony lti-2020 --where \"Forum national, Paris\"",
                      false, runMilestone<ccmd::Milestone::CeremonyHeld>);
  verb->add_option("campaign", ceremony->campaignId, "Campaign id")->required();
  verb->add_option("--where", ceremony->where, "Where (absent: the ceremony's name)");

  auto publish = std::make_shared<JudgingOptions>();
  verb = addWriteVerb(group, run, publish, "publish",
                      "Publish the laureates: the public list answers from then on, never before",
                      "parcours campaign publish lti-2020", false,
                      runMilestone<ccmd::Milestone::LaureatesPublished>);
  verb->add_option("campaign", publish->campaignId, "Campaign id")->required();
  verb->add_option("--url", publish->url, "Where the laureates are published");
}

void addJudgingReadCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand(
      "judging", "Read a campaign's judging: draw, assignments, conflicts, leaderboard, "
                 "normalisation, selection, minutes");
  group->require_subcommand(1);
  group->footer(helpFooter("parcours judging assignments lti-2020\n"
                           "  parcours judging minutes lti-04 --lang en"));

  auto draw = std::make_shared<JudgingReadOptions>();
  CLI::App* verb = addReadVerb(*group, run, draw, "draw",
                               "The committed and revealed draw, and whether they match",
                               "parcours judging draw lti-2020", runShowDraw);
  verb->add_option("campaign", draw->campaignId, "Campaign id")->required();

  auto assignments = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, assignments, "assignments",
                     "Each juror's drawn dossiers and progress (\"2/4 scored\")",
                     "parcours judging assignments lti-2020", runAssignments);
  verb->add_option("campaign", assignments->campaignId, "Campaign id")->required();

  auto conflicts = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, conflicts, "conflicts",
                     "Declared conflicts of interest and their rulings",
                     "parcours judging conflicts lti-2020 --pending", runConflicts);
  verb->add_option("campaign", conflicts->campaignId, "Campaign id")->required();
  verb->add_flag("--pending", conflicts->pendingOnly, "Only those awaiting a ruling");

  auto board = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, board, "leaderboard",
                     "The drawn dossiers ranked, raw and normalised means side by side",
                     "parcours judging leaderboard lti-2020", runJudgingLeaderboard);
  verb->add_option("campaign", board->campaignId, "Campaign id")->required();

  auto normalisation = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, normalisation, "normalisation",
                     "Each juror's mean and deviation per criterion, as the round recorded them",
                     "parcours judging normalisation lti-2020", runNormalisation);
  verb->add_option("campaign", normalisation->campaignId, "Campaign id")->required();

  auto selection = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, selection, "selection",
                     "The recorded selection: why each dossier was selected or not",
                     "parcours judging selection pss-2020 --csv selection.csv", runShowSelection);
  verb->add_option("campaign", selection->campaignId, "Campaign id")->required();
  verb->add_option("--csv", selection->csvFile, "Also write it as CSV to this file");

  auto minutes = std::make_shared<JudgingReadOptions>();
  verb = addReadVerb(*group, run, minutes, "minutes",
                     "The minutes (procès-verbal) of a dossier's vote, in French or English",
                     "parcours judging minutes lti-04 --lang en", runMinutes);
  verb->add_option("dossier", minutes->dossierId, "Dossier id")->required();
  verb->add_option("--lang", minutes->language, "fr (default) or en");
}

}  // namespace parcours::cli
