// What the Api's operations share (api.cc, api_drafts.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "parcours/adapters/rpc/parcours.capnp.h"
#include "parcours/adapters/tokens.h"
#include "parcours/store/types.h"
#include "parcours/workflows/views.h"
#include "parcours/workflows/workflow.h"

namespace parcours::adapters {

// Unauthorized: "<subject> (<roles>) may not <what>".
Error forbidden(const Principal& who, std::string_view what);

std::uint64_t microsSince(std::chrono::steady_clock::time_point start);

// The command's metadata: the actor is the caller's subject, never a value
// from the request, and an idempotency key is the caller's own.
Result<workflows::CommandContext> commandContext(const Principal& who,
                                                 capnp::Text::Reader commandId,
                                                 capnp::Text::Reader reason);

// Read-your-writes: returns once the views show `position` (or after a
// short wait: the write is durable either way).
void awaitViews(const workflows::Views& views, store::Position position);

void writeAppend(const store::AppendResult& appended, rpc::CommandResult::Builder out);

}  // namespace parcours::adapters
