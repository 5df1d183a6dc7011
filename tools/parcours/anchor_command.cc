// `parcours anchor REPLY.tsr --digest SIZE:ROOT`: records a timestamp
// authority's RFC 3161 reply for one of the log's digests, once checked.
#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"
#include "parcours/engine/anchors.h"
#include "read_support.h"
#include "store_access.h"
#include "trust_support.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

struct AnchorOptions {
  std::string replyFile;
  std::string digest;
  std::string caFile;
  std::string actor;
  bool json = false;
};

int runAnchor(const Context& context, const AnchorOptions& options) {
  auto digest = engine::merkle::Digest::parse(options.digest);
  if (!digest) return reportError(digest.error());
  auto reply = readInputFile(options.replyFile, "timestamp reply");
  if (!reply) return reportError(reply.error());
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  auto index = openMerkleIndex(**log, context);
  if (!index) return reportError(index.error());
  store::AppendContext append;
  append.actor = options.actor;
  append.recordedAtMicros = engine::toMicros(engine::SystemClock().now());
  auto anchor = engine::anchorDigest(**log, **index, *digest, *reply, options.caFile, append);
  if (!anchor) return reportError(anchor.error());
  if (options.json) {
    printJson({{"position", anchor->position},
               {"digest", digestJson(anchor->digest)},
               {"timestamp", machineTime(anchor->genTimeMicros)},
               {"authority", anchor->authority}});
  } else {
    std::cout << "anchored digest " << anchor->digest.text() << " at position "
              << anchor->position << ": timestamped " << machineTime(anchor->genTimeMicros)
              << " by " << anchor->authority << "\n";
  }
  return 0;
}

}  // namespace

void addAnchorCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<AnchorOptions>();
  CLI::App* command = app.add_subcommand(
      "anchor", "Record a timestamp authority's RFC 3161 reply for a digest, once checked");
  command->footer(
      "\nThe reply must timestamp the digest given (see `parcours digest\n"
      "--timestamp-request`), its signature must verify (up to --ca-file when given),\n"
      "and the digest must be this log's. Exit 2 for a reply that is not a valid\n"
      "timestamp of the digest, 5 when the digest is not this log's.\n"
      "--json: {position, digest, timestamp, authority}.\n" +
      helpFooter("parcours --data ./data anchor digest.tsr --digest 1200:3f9a… --ca-file tsa-ca.pem"));
  command->add_option("reply", options->replyFile, "The authority's reply (.tsr, DER)")
      ->required();
  command->add_option("--digest", options->digest, "The digest SIZE:ROOT that was timestamped")
      ->required();
  command->add_option("--ca-file", options->caFile,
                      "CA certificate (PEM) the authority's certificate must chain up to");
  options->actor = defaultActor();
  command->add_option("--actor", options->actor, "Who records the anchor")
      ->envname("PARCOURS_ACTOR")
      ->capture_default_str();
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runAnchor(context, *options); };
  });
}

}  // namespace parcours::cli
