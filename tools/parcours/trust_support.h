// What the audit-trust commands (digest, verify, anchor, bundle, replay)
// share.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/event_log.h"

namespace parcours::cli {

// The Merkle index over `log`, caught up to the head (a progress bar when
// there is much to catch up).
Result<std::unique_ptr<engine::MerkleIndex>> openMerkleIndex(store::EventLog& log,
                                                             const Context& context);

// {size, root (hex), digest ("SIZE:ROOT")}
nlohmann::json digestJson(const engine::merkle::Digest& digest);

}  // namespace parcours::cli
