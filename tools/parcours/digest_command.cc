// `parcours digest`: the log's Merkle digest (size and root), with the
// proofs an auditor asks for, and an RFC 3161 timestamp request for it.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "output.h"
#include "parcours/engine/anchors.h"
#include "parcours/engine/merkle.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/hash_chain.h"
#include "store_access.h"
#include "trust_support.h"

namespace parcours::cli {
namespace {

struct DigestOptions {
  std::optional<std::uint64_t> size;
  std::uint64_t inclusionOf = 0;
  std::uint64_t consistencyFrom = 0;
  std::uint64_t leaves = 0;
  std::string timestampRequest;
  bool json = false;
};

nlohmann::json hexList(const std::vector<std::string>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& h : hashes) out.push_back(store::chain::toHex(h));
  return out;
}

std::string hashCount(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " hash" : " hashes");
}

int runDigest(const Context& context, const DigestOptions& options) {
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto index = openMerkleIndex(**log, context);
  if (!index) return reportError(index.error());
  auto digest = (*index)->digest(options.size);
  if (!digest) return reportError(digest.error());
  nlohmann::json json = digestJson(*digest);
  std::vector<std::string> lines = {"digest " + digest->text()};
  if (options.inclusionOf != 0) {
    auto proof = (*index)->inclusionProof(options.inclusionOf, digest->size);
    if (!proof) return reportError(proof.error());
    json["inclusion"] = {{"position", options.inclusionOf}, {"proof", hexList(*proof)}};
    lines.push_back("inclusion proof of event " + std::to_string(options.inclusionOf) + ": " +
                    hashCount(proof->size()));
    for (const std::string& h : *proof) lines.push_back("  " + store::chain::toHex(h));
  }
  if (options.consistencyFrom != 0) {
    auto earlier = (*index)->digest(options.consistencyFrom);
    if (!earlier) return reportError(earlier.error());
    auto proof = (*index)->consistencyProof(options.consistencyFrom, digest->size);
    if (!proof) return reportError(proof.error());
    json["consistency"] = {{"from", digestJson(*earlier)}, {"proof", hexList(*proof)}};
    lines.push_back("consistency proof from " + earlier->text() + ": " +
                    hashCount(proof->size()));
    for (const std::string& h : *proof) lines.push_back("  " + store::chain::toHex(h));
  }
  if (options.leaves != 0) {
    // What an auditor recomputes by hand (docs/audit.md): each event's
    // chain hash, as the log stores it, and the leaf the tree is built on.
    const std::uint64_t count = std::min(options.leaves, digest->size);
    auto events = (*log)->readAll(1, count);
    if (!events) return reportError(events.error());
    json["leaves"] = nlohmann::json::array();
    lines.push_back("the first " + std::to_string(count) + " events' chain hashes and leaves:");
    for (const store::RecordedEvent& e : *events) {
      const std::string hash = store::chain::toHex(e.hash);
      const std::string leaf = store::chain::toHex(engine::merkle::leafHash(e.hash));
      json["leaves"].push_back({{"position", e.position}, {"hash", hash}, {"leaf", leaf}});
      lines.push_back("  " + std::to_string(e.position) + " hash " + hash);
      lines.push_back("  " + std::string(std::to_string(e.position).size(), ' ') + " leaf " + leaf);
    }
  }
  if (!options.timestampRequest.empty()) {
    auto request = engine::makeTimestampRequest(engine::timestampedStatement(*digest));
    if (!request) return reportError(request.error());
    std::ofstream out(options.timestampRequest, std::ios::binary | std::ios::trunc);
    out.write(request->data(), static_cast<std::streamsize>(request->size()));
    out.close();
    if (!out) {
      return reportError(Error::ioError("cannot write the timestamp request to " +
                                        options.timestampRequest));
    }
    json["timestamp_request"] = options.timestampRequest;
    lines.push_back("timestamp request written to " + options.timestampRequest +
                    " (send it to a timestamp authority, then `parcours anchor REPLY.tsr "
                    "--digest " +
                    digest->text() + "`)");
  }
  if (options.json) {
    printJson(json);
  } else {
    for (const std::string& line : lines) std::cout << line << "\n";
  }
  return 0;
}

}  // namespace

void addDigestCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<DigestOptions>();
  CLI::App* command = app.add_subcommand(
      "digest", "Print the log's digest (SIZE:ROOT, RFC 6962 Merkle tree) and proofs against it");
  command->footer(
      "\nThe digest commits to the first SIZE events: keep it, and later `parcours verify\n"
      "--digest SIZE:ROOT` proves the log still extends it. --json: {size, root, digest,\n"
      "inclusion: {position, proof: [hex]}, consistency: {from, proof: [hex]},\n"
      "leaves: [{position, hash, leaf}]}.\n" +
      helpFooter("parcours --data ./data digest --timestamp-request digest.tsq"));
  command->add_option("--size", options->size, "Digest of the first N events (default: all)");
  command->add_option("--inclusion", options->inclusionOf,
                      "Also print the proof that the event at this position is in the digest");
  command->add_option("--consistency-from", options->consistencyFrom,
                      "Also print the proof that the digest extends the one of this size");
  command->add_option("--leaves", options->leaves,
                      "Also print the first N events' chain hashes and Merkle leaves (at most 1000)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1000}));
  command->add_option("--timestamp-request", options->timestampRequest,
                      "Write an RFC 3161 timestamp request (DER) for the digest to this file");
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runDigest(context, *options); };
  });
}

}  // namespace parcours::cli
