// `parcours verify`: the hash chain and the Merkle tree recomputed over the
// whole log, the stream copies, the Merkle index and every anchored digest
// checked; exits 7 at the first altered, missing, reordered or inserted
// event, naming its position. Then every stored document is hashed again
// against its SHA-256 (docs/documents.md), with the key store: exit 7 for a
// document altered or missing a chunk.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "../common/progress.h"
#include "commands.h"
#include "output.h"
#include "parcours/engine/anchors.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/workflows/documents.h"
#include "store_access.h"
#include "trust_support.h"

namespace parcours::cli {
namespace {

struct VerifyCommandOptions {
  std::vector<std::string> digests;
  std::string caFile;
  bool json = false;
};

int runVerify(const Context& context, const VerifyCommandOptions& options) {
  engine::VerifyOptions verify;
  for (const std::string& text : options.digests) {
    auto digest = engine::merkle::Digest::parse(text);
    if (!digest) return reportError(digest.error());
    verify.extends.push_back(std::move(digest).value());
  }
  if (!options.caFile.empty()) {
    // A CA file that cannot be read says nothing of the log: refused
    // before anything is checked, not reported as an altered anchor.
    auto ca = readInputFile(options.caFile, "CA certificate");
    if (!ca) return reportError(ca.error());
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto index = openMerkleIndex(**log, context);
  if (!index) return reportError(index.error());
  verify.index = index->get();

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar("verifying the log", (*log)->head());
  auto report = engine::verifyLog(**log, verify, [&](store::Position done, store::Position) {
    bar.update(done);
  });
  bar.finish();
  if (!report) return reportError(report.error());
  std::vector<engine::AnchorCheck> anchors;
  bool anchorFailed = false;
  if (report->intact) {
    auto checked = engine::checkAnchors(**log, **index, options.caFile);
    if (!checked) return reportError(checked.error());
    anchors = std::move(checked).value();
    for (const engine::AnchorCheck& a : anchors) {
      if (!a.problem.empty()) {
        report->intact = false;
        report->failedAt = a.anchor.position;
        report->problem = a.problem;
        anchorFailed = true;
        break;
      }
    }
  }
  // The documents, where their keys are: a document's bytes are sealed.
  workflows::DocumentCheck documents;
  auto keys = openKeyStore(context, KeyStoreUse::IfPresent);
  if (!keys) return reportError(keys.error());
  if (*keys != nullptr) {
    auto store = workflows::DocumentStore::open(**log, **keys);
    if (!store) return reportError(store.error());
    auto checked = (*store)->verify();
    if (!checked) return reportError(checked.error());
    documents = std::move(checked).value();
  }
  const bool documentsIntact = documents.damaged.empty();
  std::size_t unchecked = 0;  // anchors whose authority no CA vouched for
  for (const engine::AnchorCheck& a : anchors) unchecked += a.chainChecked ? 0 : 1;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.json) {
    nlohmann::json json = {{"intact", report->intact && documentsIntact},
                           {"events_checked", report->eventsChecked},
                           {"stream_copies_checked", report->streamCopiesChecked},
                           {"anchors_checked", anchors.size()},
                           {"anchors_without_ca", unchecked},
                           {"documents_checked", documents.checked},
                           {"documents_shredded", documents.shredded},
                           {"documents_damaged", documents.damaged},
                           {"digest", digestJson(report->digest)},
                           {"seconds", seconds}};
    if (!report->intact) {
      json["failed_at"] = report->failedAt;
      json["problem"] = report->problem;
    }
    printJson(json);
  } else if (report->intact && documentsIntact) {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.3f s", seconds);
    std::cout << "intact: " << plural(report->eventsChecked, "event") << " and "
              << report->streamCopiesChecked
              << (report->streamCopiesChecked == 1 ? " stream copy" : " stream copies") << " checked, "
              << plural(anchors.size(), "anchored digest") << ", in " << rate << "\n"
              << "digest " << report->digest.text() << "\n"
              << "documents: " << plural(documents.checked, "document")
              << " hashed again and matching";
    if (documents.shredded > 0) std::cout << ", " << documents.shredded << " erased (shredded)";
    std::cout << "\n";
    if (unchecked > 0) {
      std::cout << "note: " << plural(unchecked, "anchor")
                << " checked against the certificate it carries only: give the authority's CA "
                   "with --ca-file to know who signed\n";
    }
  }
  if (report->intact && !documentsIntact) {
    for (const std::string& damage : documents.damaged) {
      std::cerr << "parcours: document " << damage << "\n";
    }
    return exitCodeFor(ErrorCode::Corruption);
  }
  if (report->intact) return 0;
  const std::string where =
      anchorFailed ? "the anchor recorded at position " + std::to_string(report->failedAt) +
                         " does not check"
      : report->failedAt == 0
          ? std::string("the log is not intact")
          : "the log was altered at position " + std::to_string(report->failedAt);
  std::cerr << "parcours: " << where << ": " << report->problem << "\n";
  return exitCodeFor(ErrorCode::Corruption);
}

}  // namespace

void addVerifyCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<VerifyCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "verify", "Prove the log was not altered: recompute its hash chain and Merkle tree");
  command->footer(
      "\nChecks every event's place and hash, each stream's copy of its events, the\n"
      "chain head, the Merkle index, every --digest given (an earlier `parcours digest`\n"
      "the log must extend) and every anchored digest (`parcours anchor`). Exits 7 at\n"
      "the first problem, naming the position. A progress bar goes to stderr.\n"
      "--json: {intact, events_checked, stream_copies_checked, anchors_checked,\n"
      "anchors_without_ca, documents_checked, documents_shredded, documents_damaged,\n"
      "digest, seconds, failed_at, problem}. Documents: each stored one hashed again\n"
      "with the key store (--keys); one altered or missing a chunk exits 7.\n" +
      helpFooter("parcours --data ./data verify --digest 1200:3f9a…"));
  command->add_option("--digest", options->digests,
                      "An earlier digest SIZE:ROOT the log must extend (repeatable)");
  command->add_option("--ca-file", options->caFile,
                      "CA certificate (PEM) of the timestamp authority, to check anchors' chains");
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runVerify(context, *options); };
  });
}

}  // namespace parcours::cli
