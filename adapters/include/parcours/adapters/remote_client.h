// The command line's remote mode (`--server ADDRESS --token T`): the same
// reads and writes, through a `parcours serve`'s Cap'n Proto RPC API
// instead of an embedded store. The server decides every command and
// records the token's subject as its actor, at its own clock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "parcours/store/result.h"
#include "parcours/store/types.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/views.h"
#include "parcours/workflows/workflow.h"

namespace parcours::adapters {

// What a remote write returns: the append, and where the stream stands
// (a dossier's status, a campaign's phase).
struct RemoteOutcome {
  store::AppendResult appended;
  std::string status;
  std::uint64_t streamVersion = 0;
};

class RemoteClient {
 public:
  // `address`: "host:port" or "capnp://host:port" (the server's --rpc).
  // Unauthorized when the token is refused, IoError when nobody answers.
  static Result<std::unique_ptr<RemoteClient>> connect(const std::string& address,
                                                       const std::string& token);
  ~RemoteClient();

  // The server's views, as the embedded ones (errors keep their class).
  const workflows::ViewQueries& views() const;

  // `context.reason` and `context.metadata.commandId` travel; the actor is
  // the token's subject. `definitionJson`: the file an Open or AmendRules
  // was read from.
  Result<RemoteOutcome> dossier(const std::string& dossierId,
                                const workflows::DossierCommand& command,
                                const workflows::CommandContext& context);
  Result<RemoteOutcome> campaign(const std::string& campaignId,
                                 const workflows::CampaignCommand& command,
                                 const std::string& definitionJson,
                                 const workflows::CommandContext& context);

  const std::string& subject() const;

  // A webhook operation (Parcours.webhooks: "create", "list", "show",
  // "remove", "dead-letters", "replay"); the answer's JSON text.
  Result<std::string> webhooks(const std::string& operation, const std::string& webhookId,
                               const std::string& body);

  // Parcours.rules: the rules in force and their version.
  Result<std::pair<std::uint32_t, workflows::CampaignRules>> rules(const std::string& campaignId);

  // Parcours.backup: the server backs up its data directory into `to` (a
  // path on its machine); the manifest as JSON text. Administrators only.
  Result<std::string> backup(const std::string& to);

 private:
  struct Connection;
  class Views;
  explicit RemoteClient(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Views> views_;
};

}  // namespace parcours::adapters
