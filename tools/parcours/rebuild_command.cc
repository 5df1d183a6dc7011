// `parcours rebuild`: every view rebuilt from position 0, with a progress
// bar on stderr; readers keep the old tables until the new ones are whole.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "../common/progress.h"
#include "output.h"
#include "parcours/engine/merkle_index.h"
#include "read_support.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

struct RebuildOptions {
  bool json = false;
};

int runRebuild(const Context& context, const RebuildOptions& options) {
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  // Opening brings the views to the head first; what is timed below is the
  // rebuild alone, from position 0.
  auto views = workflows::Views::open(**log, context.logger);
  if (!views) return reportError(views.error());
  const std::size_t viewCount = (*views)->tables().size();
  ViewsProgress progress("rebuilding the views", viewCount, 0);
  const auto start = std::chrono::steady_clock::now();
  auto rebuilt = (*views)->rebuild(progress.callback());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();
  if (!rebuilt) return reportError(rebuilt.error());
  // The Merkle index is derived from the log too: remade with the views.
  auto index = engine::MerkleIndex::open(**log, context.logger, {},
                                         engine::MerkleIndex::Open::AsIs);
  if (!index) return reportError(index.error());
  {
    ProgressBar bar("rebuilding the Merkle index", (*log)->head());
    auto remade = (*index)->rebuild([&](store::Position done, store::Position) { bar.update(done); });
    bar.finish();
    if (!remade) return reportError(remade.error());
  }
  const store::Position events = *rebuilt;  // positions run from 1 without gaps
  const double perSecond = seconds > 0 ? static_cast<double>(events) / seconds : 0.0;
  if (options.json) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& [name, table] : (*views)->tables()) names.push_back(name);
    names.push_back("merkle");
    printJson({{"views", std::move(names)},
               {"events", events},
               {"checkpoint", *rebuilt},
               {"seconds", seconds},
               {"events_per_second", perSecond}});
    return 0;
  }
  char line[160];
  std::snprintf(line, sizeof line,
                "rebuilt %zu views over %llu events in %.3f s: %.0f events/s; then the Merkle "
                "index",
                viewCount, static_cast<unsigned long long>(events), seconds, perSecond);
  std::cout << line << "\n";
  return 0;
}

}  // namespace

void addRebuildCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<RebuildOptions>();
  CLI::App* command = app.add_subcommand(
      "rebuild", "Rebuild every view from the first event of the log (after a bug fix in a view)");
  command->footer(
      "\nA progress bar goes to stderr when it is a terminal; the summary to stdout.\n"
      "--json: {views: [names], events, checkpoint, seconds, events_per_second}.\n" +
      helpFooter("parcours --data /var/lib/parcours rebuild"));
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runRebuild(context, *options); };
  });
}

}  // namespace parcours::cli
