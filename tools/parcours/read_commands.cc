// The reads over the views, registered in the order `--help` lists them.
// Each lives in its own file: dossier_reads.cc (status, show),
// audit_command.cc, campaign_reads.cc (campaign list, stats, leaderboard,
// budget), rebuild_command.cc.
#include "commands.h"
#include "read_support.h"

namespace parcours::cli {

void addReadCommands(CLI::App& app, CommandRun& run) {
  addStatusCommand(app, run);
  addShowCommand(app, run);
  addAuditCommand(app, run);
  addCampaignReadCommands(app, run);
  addRebuildCommand(app, run);
}

}  // namespace parcours::cli
