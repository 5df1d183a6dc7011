// `parcours erase DOSSIER --reason TEXT`: the applicant's personal data
// erased for good (GDPR), the proofs kept (docs/erasure.md).
//
// The workflow service records DossierErased on the dossier's stream (who,
// when, why; the state does not change), then destroys the dossier's key in
// the key store (--keys). The event goes first: once it is durable nobody
// shows the contact, and a crash before the key is destroyed leaves a key
// that running the same erase again destroys (it then succeeds, writing
// nothing). The log is never rewritten, so its hash chain, Merkle proofs and
// anchors stay valid.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "output.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

struct EraseOptions {
  WriteOptions write;
  std::string dossierId;
};

int runErase(const Context& context, const EraseOptions& options) {
  if (!context.server.empty()) {
    return reportError(Error::invalidInput(
        "erase works on the store and its key store (--data, --keys), not through --server: "
        "run it on the server's machine"));
  }
  const std::string& id = options.dossierId;
  auto keysDir = keyStoreDir(context);
  if (!keysDir) return reportError(keysDir.error());
  std::error_code ec;
  const bool keyStoreExists = std::filesystem::exists(*keysDir, ec);
  // What the write did, for the summary: appended an event, or only
  // finished an erase that stopped before destroying the key.
  bool finishedInterrupted = false;
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](workflows::Workflow& workflow,
          const workflows::CommandContext& commandContext) -> Result<store::AppendResult> {
        auto erased = workflow.dossier(id, workflows::dossier_command::Erase{}, commandContext);
        if (!erased && erased.error().code == ErrorCode::InvalidInput && !keyStoreExists) {
          return Error::invalidInput(erased.error().message + " (there is no key store at " +
                                     *keysDir + ": give --keys DIR)");
        }
        if (erased && erased->streams.empty()) finishedInterrupted = true;
        return erased;
      },
      [&](workflows::Workflow& workflow, const store::AppendResult& appended) -> Result<WriteSummary> {
        auto dossier = workflow.loadDossierAfter(id, appended);
        if (!dossier) return dossier.error();
        const workflows::Contact& legacy = dossier->application.contact;
        const bool plaintextRemains =
            !legacy.name.empty() || !legacy.email.empty() || !legacy.phone.empty();
        if (plaintextRemains) {
          std::cerr << "parcours: warning: dossier " << id
                    << " was submitted before contacts were sealed: its contact is in the log "
                       "in plaintext, which no erasure can take out (see docs/erasure.md)\n";
        }
        WriteSummary summary;
        summary.text = "dossier " + id + ": personal data erased (" +
                       std::string(workflows::statusName(dossier->status)) + ")";
        if (finishedInterrupted) {
          summary.text += "; the erasure was already recorded, its key is now destroyed";
        }
        summary.fields["dossier_id"] = id;
        summary.fields["campaign_id"] = dossier->campaignId;
        summary.fields["status"] = std::string(workflows::statusName(dossier->status));
        summary.fields["contact_erased"] = true;
        summary.fields["finished_interrupted_erase"] = finishedInterrupted;
        summary.fields["plaintext_remains"] = plaintextRemains;
        return summary;
      },
      RemoteWrite{}, KeyStoreUse::IfPresent);
}

}  // namespace

void addEraseCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<EraseOptions>();
  CLI::App* command = app.add_subcommand(
      "erase", "Erase an applicant's personal data (GDPR): DossierErased, then the key destroyed");
  command->footer(
      "\nRecords DossierErased on the dossier (in any state, which it keeps), then destroys\n"
      "the dossier's key in the key store (--keys, default DATA-keys): its sealed contact\n"
      "can never be read again, in the log or in any backup of it. The log itself is not\n"
      "rewritten, so `parcours verify` and every proof stay valid. The reason stays in the\n"
      "log for good: name the request, not the person. Run again after a crash: an erasure\n"
      "already recorded whose key survived is finished (exit 0, nothing written); a dossier\n"
      "already erased is refused (exit 4); an unknown dossier is not found (exit 3).\n"
      "--json: {dossier_id, campaign_id, status, contact_erased, finished_interrupted_erase,\n"
      "plaintext_remains, and the write's streams and positions}.\n" +
      helpFooter("parcours --data ./data erase d-12 --reason \"applicant's request of "
                 "2021-03-02, ticket 4411\""));
  command->add_option("dossier", options->dossierId, "Dossier id")->required();
  addWriteOptions(*command, options->write, true);
  command->callback([options, &run] {
    run = [options](const Context& context) { return runErase(context, *options); };
  });
}

}  // namespace parcours::cli
