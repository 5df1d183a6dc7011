// Dossier bundles: one self-contained file per dossier that an auditor
// checks with no store and no server (format: docs/bundle.md, schema:
// workflows/schema/bundle.capnp).
//
// A bundle holds the dossier's events and its campaign's (the rules
// versions they used, the jury, conflicts, phases, budget), each envelope
// exactly as stored with its RFC 6962 inclusion proof against one digest of
// the log, and the RFC 3161 anchors of that digest. Checking it: every
// envelope hashes to its hash and its proof leads to the digest the auditor
// trusts; each stream's events run from version 1 without a gap; the
// anchors verify; and every decision, replayed under the rules it used,
// yields exactly what was recorded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parcours/engine/merkle.h"
#include "parcours/engine/timestamp.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/replay.h"
#include "parcours/workflows/views.h"

namespace parcours::engine {
class MerkleIndex;
}

namespace parcours::workflows {

inline constexpr std::uint32_t bundleFormatVersion = 1;

struct BundleSummary {
  std::string dossierId;
  std::string campaignId;
  engine::merkle::Digest digest;
  std::size_t events = 0;
  std::size_t anchors = 0;
};

// The bundle of `dossierId` against the digest of `digestSize` events; 0:
// the smallest anchored digest that covers every event of the dossier and
// its campaign, else the log's current digest. NotFound for an unknown
// dossier or a digest past the log.
Result<std::string> makeBundle(const store::EventLog& log, const engine::MerkleIndex& index,
                               const ViewQueries& live, std::string_view dossierId,
                               std::uint64_t digestSize, BundleSummary& summary);

struct BundleCheck {
  BundleSummary summary;
  // Empty when every event, proof and anchor checks; else the first
  // problem, and the position of the event it concerns (0: none).
  std::string problem;
  store::Position failedAt = 0;
  std::vector<engine::TimestampToken> anchors;  // the anchors that verified
  ReplayReport replay;                          // run when the proofs hold
};

// Checks a bundle against the digest the auditor trusts, with no store.
// InvalidInput when the bytes are not a bundle of a known format.
Result<BundleCheck> checkBundle(std::string_view bytes, const engine::merkle::Digest& trusted,
                                const std::string& caFile = {});

}  // namespace parcours::workflows
