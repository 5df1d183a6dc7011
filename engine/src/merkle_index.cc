#include "parcours/engine/merkle_index.h"

#include "parcours/store/hash_chain.h"

namespace parcours::engine {
namespace {

// Row keys: 'n', level (1 byte), index (8 bytes big-endian) -> 32-byte hash.
std::string nodeKey(unsigned level, std::uint64_t index) {
  std::string key(10, '\0');
  key[0] = 'n';
  key[1] = static_cast<char>(level);
  for (int i = 0; i < 8; ++i) key[2 + i] = static_cast<char>(index >> (56 - 8 * i));
  return key;
}

Error missingNode(unsigned level, std::uint64_t index) {
  return Error::corruption("the Merkle index has no node at level " + std::to_string(level) +
                           ", index " + std::to_string(index) +
                           ": the index is damaged (`parcours rebuild` remakes it from the log)");
}

}  // namespace

// Appends each event's leaf to a frontier kept in memory and writes every
// perfect subtree it completes: two rows per event on average.
class MerkleIndex::Projection final : public engine::Projection {
 public:
  std::string_view name() const override { return "merkle"; }
  int version() const override { return 1; }

  Status apply(const store::EventView& event, store::TableBatch& rows) override {
    if (frontier_.size() != event.position - 1) {
      // First event seen, or the runner started again from its checkpoint:
      // the frontier is read back from the nodes already written.
      auto loaded = merkle::Frontier::load(
          [&](unsigned level, std::uint64_t index) -> Result<std::string> {
            auto row = rows.get(nodeKey(level, index));
            if (!row) return std::move(row).takeError();
            if (!row->has_value()) return missingNode(level, index);
            return std::move(**row);
          },
          event.position - 1);
      if (!loaded) return std::move(loaded).takeError();
      frontier_ = std::move(loaded).value();
    }
    frontier_.append(merkle::leafHash(event.hash),
                     [&](unsigned level, std::uint64_t index, const std::string& hash) {
                       rows.put(nodeKey(level, index), hash);
                     });
    return okStatus();
  }

 private:
  merkle::Frontier frontier_;
};

MerkleIndex::MerkleIndex(store::EventLog& log, std::shared_ptr<spdlog::logger> logger)
    : log_(log),
      projection_(std::make_unique<Projection>()),
      runner_(std::make_unique<ProjectionRunner>(log, *projection_, std::move(logger))) {}

MerkleIndex::~MerkleIndex() {
  runner_->stop();
}

Result<std::unique_ptr<MerkleIndex>> MerkleIndex::open(store::EventLog& log,
                                                       std::shared_ptr<spdlog::logger> logger,
                                                       const ProgressFn& progress, Open how) {
  std::unique_ptr<MerkleIndex> index(new MerkleIndex(log, std::move(logger)));
  if (auto s = index->runner_->open(progress); !s) return s.error();
  if (how == Open::AsIs) return index;
  if (auto c = index->runner_->catchUp(progress); !c) return std::move(c).takeError();
  return index;
}

Result<store::Position> MerkleIndex::catchUp(const ProgressFn& progress) {
  return runner_->catchUp(progress);
}
Result<store::Position> MerkleIndex::rebuild(const ProgressFn& progress) {
  auto rebuilt = runner_->rebuild(progress);
  std::lock_guard lock(cacheMutex_);
  cache_.clear();
  return rebuilt;
}
void MerkleIndex::startLive() {
  runner_->startLive();
}
void MerkleIndex::stop() {
  runner_->stop();
}
store::Position MerkleIndex::size() const {
  return runner_->checkpoint();
}
std::shared_ptr<store::Table> MerkleIndex::table() const {
  return runner_->table();
}

merkle::NodeSource MerkleIndex::nodes(std::shared_ptr<store::Table> table) const {
  return [this, table = std::move(table)](unsigned level,
                                          std::uint64_t index) -> Result<std::string> {
    // Levels fit in 6 bits and indexes below 2^58 at those levels.
    const std::uint64_t cacheKey = index << 6 | level;
    const bool cached = level >= cachedLevelMin;
    if (cached) {
      std::lock_guard lock(cacheMutex_);
      if (auto it = cache_.find(cacheKey); it != cache_.end()) return it->second;
    }
    auto row = table->get(nodeKey(level, index));
    if (!row) return std::move(row).takeError();
    if (!row->has_value() || (*row)->size() != store::chain::hashBytes) {
      return missingNode(level, index);
    }
    if (cached) {
      std::lock_guard lock(cacheMutex_);
      cache_.emplace(cacheKey, **row);
    }
    return std::move(**row);
  };
}

Result<std::uint64_t> MerkleIndex::checkedSize(std::optional<std::uint64_t> wanted) const {
  const std::uint64_t covered = this->size();
  if (covered > log_.head()) {
    return Error::corruption("the Merkle index covers " + std::to_string(covered) +
                             " events but the log holds " + std::to_string(log_.head()) +
                             ": events went missing from the log (`parcours verify` says where)");
  }
  if (!wanted) return covered;
  const std::uint64_t size = *wanted;
  if (size > covered) {
    return Error::notFound("no digest of " + std::to_string(size) + " events: the log has " +
                           std::to_string(covered));
  }
  return size;
}

Result<merkle::Digest> MerkleIndex::digest(std::optional<std::uint64_t> size) const {
  auto n = checkedSize(size);
  if (!n) return std::move(n).takeError();
  auto root = merkle::rootHash(nodes(table()), *n);
  if (!root) return std::move(root).takeError();
  return merkle::Digest{*n, std::move(root).value()};
}

Result<std::vector<std::string>> MerkleIndex::inclusionProof(store::Position position,
                                                             std::uint64_t size) const {
  auto n = checkedSize(size);
  if (!n) return std::move(n).takeError();
  if (position == 0 || position > *n) {
    return Error::notFound("event " + std::to_string(position) + " is not in the digest of " +
                           std::to_string(*n) + " events");
  }
  return merkle::inclusionProof(nodes(table()), position - 1, *n);
}

Result<std::vector<std::string>> MerkleIndex::consistencyProof(std::uint64_t first,
                                                               std::uint64_t second) const {
  auto n = checkedSize(second);
  if (!n) return std::move(n).takeError();
  return merkle::consistencyProof(nodes(table()), first, *n);
}

}  // namespace parcours::engine
