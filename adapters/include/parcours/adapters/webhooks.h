// Webhook subscriptions managed on a store directly, with no server running
// (the CLI on --data): the same operations as /v1/webhooks and the RPC
// method Parcours.webhooks, as an administrator (who holds the data
// directory holds everything). A `parcours serve` started later delivers.
#pragma once

#include <string>

#include "parcours/store/event_log.h"
#include "parcours/store/result.h"

namespace parcours::adapters {

// `operation`: "create", "list", "show", "remove", "dead-letters", "replay"
// (docs/webhooks.md); the answer is the JSON object HTTP answers with.
Result<std::string> webhookOperationOnStore(store::EventLog& log, const std::string& operation,
                                            const std::string& webhookId,
                                            const std::string& body);

}  // namespace parcours::adapters
