// `parcours verify`: recomputes the hash chain and the Merkle tree over the
// whole log and says where, if anywhere, the log is not what was written.
//
// Checked, in log order: positions run 1, 2, 3... with no gap; every
// envelope decodes and sits under its own position; its prevHash is the hash
// of the event before; its hash is what its bytes hash to. Then: each
// stream's copy of its events (the streams family, which commands and
// bundles read) is exactly the global log's, position by position; the chain head recorded with
// the last write is the last event (the tail was not cut); the Merkle index
// agrees with the tree recomputed here; the log extends any digest an
// auditor holds (VerifyOptions::extends).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parcours/engine/merkle.h"
#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"

namespace parcours::engine {

class MerkleIndex;

struct VerifyOptions {
  // Digests the log must extend (an auditor's earlier `parcours digest`).
  std::vector<merkle::Digest> extends;
  // Checked against the recomputed tree when given: once its root at the
  // head is right, every node under it is (anchors are then checked
  // against it, see anchors.h).
  const MerkleIndex* index = nullptr;
};

struct VerifyReport {
  bool intact = false;
  std::uint64_t eventsChecked = 0;
  std::uint64_t streamCopiesChecked = 0;
  merkle::Digest digest;  // recomputed over the events checked
  // When not intact: the first position found wrong (0 when the problem is
  // not one event's, e.g. the Merkle index) and what is wrong, in words.
  store::Position failedAt = 0;
  std::string problem;
};

// Errors are the store's own failures to read (IoError); whatever the log
// holds, a damaged log is a report with intact = false, not an error.
Result<VerifyReport> verifyLog(const store::EventLog& log, const VerifyOptions& options = {},
                               const ProgressFn& progress = {});

}  // namespace parcours::engine
