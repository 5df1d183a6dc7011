// `parcours bundle DOSSIER -o FILE` and `parcours verify-bundle FILE
// --digest SIZE:ROOT`: a dossier's record in one file, checked offline.
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"
#include "parcours/workflows/bundle.h"
#include "read_support.h"
#include "trust_support.h"

namespace parcours::cli {
namespace {

struct BundleOptions {
  std::string dossierId;
  std::string output;
  std::uint64_t digestSize = 0;
  bool json = false;
};

struct VerifyBundleOptions {
  std::string file;
  std::string digest;
  std::string caFile;
  bool json = false;
};

int runBundle(const Context& context, const BundleOptions& options) {
  auto open = openViews(context);
  if (!open) return reportError(open.error());
  auto index = openMerkleIndex(*open->log, context);
  if (!index) return reportError(index.error());
  workflows::BundleSummary summary;
  auto bytes = workflows::makeBundle(*open->log, **index, *open->views, options.dossierId,
                                     options.digestSize, summary);
  if (!bytes) return reportError(bytes.error());
  {
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    out.close();
    if (!out) return reportError(Error::ioError("cannot write the bundle to " + options.output));
  }
  if (options.json) {
    printJson({{"file", options.output},
               {"dossier_id", summary.dossierId},
               {"campaign_id", summary.campaignId},
               {"digest", digestJson(summary.digest)},
               {"events", summary.events},
               {"anchors", summary.anchors},
               {"bytes", bytes->size()}});
  } else {
    std::cout << "bundle of dossier " << summary.dossierId << " written to " << options.output
              << ": " << plural(summary.events, "event") << " with their proofs, "
              << plural(summary.anchors, "anchor") << "\n"
              << "digest " << summary.digest.text()
              << " (check it with `parcours verify-bundle " << options.output << " --digest "
              << summary.digest.text() << "`)\n";
  }
  return 0;
}

int runVerifyBundle(const VerifyBundleOptions& options) {
  auto trusted = engine::merkle::Digest::parse(options.digest);
  if (!trusted) return reportError(trusted.error());
  // A bundle carries a proof per event: larger than an input document.
  constexpr std::uintmax_t bundleBytesMax = 256u << 20;
  auto bytes = readInputFile(options.file, "bundle", bundleBytesMax);
  if (!bytes) return reportError(bytes.error());
  auto check = workflows::checkBundle(*bytes, *trusted, options.caFile);
  if (!check) return reportError(check.error());
  const bool intact = check->problem.empty();
  const auto& divergences = check->replay.divergences;
  if (options.json) {
    nlohmann::json anchors = nlohmann::json::array();
    for (const auto& a : check->anchors) {
      anchors.push_back({{"timestamp", machineTime(a.genTimeMicros)},
                         {"authority", a.tsaName},
                         {"chain_checked", a.chainChecked}});
    }
    nlohmann::json out = {{"intact", intact},
                          {"dossier_id", check->summary.dossierId},
                          {"campaign_id", check->summary.campaignId},
                          {"digest", digestJson(check->summary.digest)},
                          {"events", check->summary.events},
                          {"anchors", std::move(anchors)},
                          {"decisions_checked", check->replay.decisionsChecked},
                          {"divergences", divergences.size()}};
    if (!intact) {
      out["failed_at"] = check->failedAt;
      out["problem"] = check->problem;
    }
    printJson(out);
  } else if (intact) {
    std::cout << "bundle of dossier " << check->summary.dossierId << ": "
              << plural(check->summary.events, "event")
              << " proven in digest " << check->summary.digest.text() << "\n";
    for (const auto& a : check->anchors) {
      std::cout << "anchored " << machineTime(a.genTimeMicros) << " by " << a.tsaName
                << (a.chainChecked ? "" : " (authority not checked: no --ca-file)") << "\n";
    }
    for (const auto& d : divergences) {
      std::cout << "position " << d.position << ": " << d.decision << "\n  rules:    "
                << d.rulesSay << "\n  recorded: " << d.recorded << "\n";
    }
    std::cout << plural(check->replay.decisionsChecked, "decision") << " replayed: "
              << (divergences.empty() ? std::string("each one is what the rules decide")
                                      : plural(divergences.size(), "divergence"))
              << "\n";
  }
  if (!intact) {
    std::cerr << "parcours: the bundle does not check: " << check->problem << "\n";
    return exitCodeFor(ErrorCode::Corruption);
  }
  return divergences.empty() ? 0 : exitCodeFor(ErrorCode::RefusedByRule);
}

}  // namespace

void addBundleCommands(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<BundleOptions>();
  CLI::App* bundle = app.add_subcommand(
      "bundle", "Write one dossier's record, with its proofs, to a file that verifies offline");
  bundle->footer(
      "\nThe file holds the dossier's and its campaign's events, each with its inclusion\n"
      "proof against one digest (the smallest anchored one covering them, else the\n"
      "current one), and that digest's anchors. Format: docs/bundle.md.\n"
      "--json: {file, dossier_id, campaign_id, digest, events, anchors, bytes}.\n" +
      helpFooter("parcours --data ./data bundle lti-07 -o lti-07.bundle"));
  bundle->add_option("dossier", options->dossierId, "Dossier id")->required();
  bundle->add_option("-o,--output", options->output, "The bundle file to write")->required();
  bundle->add_option("--digest-size", options->digestSize,
                     "Prove against the digest of this many events");
  bundle->add_flag("--json", options->json, "One JSON object (fields below)");
  bundle->callback([options, &run] {
    run = [options](const Context& context) { return runBundle(context, *options); };
  });

  auto verify = std::make_shared<VerifyBundleOptions>();
  CLI::App* check = app.add_subcommand(
      "verify-bundle", "Check a dossier bundle against a digest you trust, with no store");
  check->footer(
      "\nChecks every envelope's hash and inclusion proof against --digest, that each\n"
      "stream's events run without a gap, the anchors (up to --ca-file when given), then\n"
      "replays every decision under the rules it used. Exit 7 when a proof fails, 4 when\n"
      "a decision diverges from the rules, 2 when the file is not a bundle.\n"
      "--json: {intact, dossier_id, campaign_id, digest, events, anchors: [{timestamp,\n"
      "authority, chain_checked}], decisions_checked, divergences, failed_at, problem}.\n" +
      helpFooter("parcours verify-bundle lti-07.bundle --digest 696:8ac21b…"));
  check->add_option("file", verify->file, "The bundle file")->required();
  check->add_option("--digest", verify->digest, "The digest SIZE:ROOT you trust")->required();
  check->add_option("--ca-file", verify->caFile,
                    "CA certificate (PEM) the anchors' authority must chain up to");
  check->add_flag("--json", verify->json, "One JSON object (fields below)");
  check->callback([verify, &run] {
    run = [verify](const Context&) { return runVerifyBundle(*verify); };
  });
}

}  // namespace parcours::cli
