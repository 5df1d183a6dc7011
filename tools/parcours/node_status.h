// `parcours status --node [--url URL]`: where a node stands — its log's
// head, its views, and what NATS makes of it (docs/nats.md, docs/scaling.md).
#pragma once

#include <string>

#include "commands.h"

namespace parcours::cli {

// From a running server (`url`: its HTTP address, GET /status) or, with no
// url, from the store at --data that no server holds. Prints a table, or
// one JSON object; returns the exit code.
int runNodeStatus(const Context& context, const std::string& url, bool json);

}  // namespace parcours::cli
