// The Merkle tree of the log, kept as a projection: the hash of every
// perfect subtree, in its own table, following the log like the views do.
// Digests and proofs of any size up to the index's checkpoint are read from
// it in O(log size) point reads. It is derived data: `parcours verify`
// recomputes the tree from the events and checks the index against it, and
// a rebuild makes it again from position 0.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "parcours/engine/merkle.h"
#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"

namespace spdlog {
class logger;
}

namespace parcours::engine {

class MerkleIndex {
 public:
  // Opens the index over `log` and, unless told not to (before a rebuild of
  // a damaged index, which a catch-up could not extend), catches it up.
  enum class Open : std::uint8_t { CatchUp, AsIs };
  static Result<std::unique_ptr<MerkleIndex>> open(store::EventLog& log,
                                                   std::shared_ptr<spdlog::logger> logger,
                                                   const ProgressFn& progress = {},
                                                   Open how = Open::CatchUp);
  ~MerkleIndex();

  Result<store::Position> catchUp(const ProgressFn& progress = {});
  Result<store::Position> rebuild(const ProgressFn& progress = {});
  void startLive();
  void stop();
  // The number of events the index covers.
  store::Position size() const;

  // The digest of the first `size` events (none: every event the index
  // covers). NotFound when `size` is past what the index covers;
  // Corruption when the index covers more events than the log holds (the
  // log lost its tail: `parcours verify` says where).
  Result<merkle::Digest> digest(std::optional<std::uint64_t> size = std::nullopt) const;
  // The proof that the event at `position` is in the digest of `size` events.
  Result<std::vector<std::string>> inclusionProof(store::Position position,
                                                  std::uint64_t size) const;
  Result<std::vector<std::string>> consistencyProof(std::uint64_t first,
                                                    std::uint64_t second) const;

  // The table, for engine::dumpTable.
  std::shared_ptr<store::Table> table() const;

 private:
  class Projection;
  MerkleIndex(store::EventLog& log, std::shared_ptr<spdlog::logger> logger);
  merkle::NodeSource nodes(std::shared_ptr<store::Table> table) const;
  Result<std::uint64_t> checkedSize(std::optional<std::uint64_t> size) const;

  store::EventLog& log_;
  // Hashes of the nodes at levels >= cachedLevelMin, once read: few (one per
  // 256 events) and on every proof's path; a perfect subtree's hash never
  // changes once written (a rebuild clears them).
  static constexpr unsigned cachedLevelMin = 8;
  mutable std::mutex cacheMutex_;
  mutable std::unordered_map<std::uint64_t, std::string> cache_;  // guarded by cacheMutex_
  std::unique_ptr<Projection> projection_;
  std::unique_ptr<ProjectionRunner> runner_;
};

}  // namespace parcours::engine
