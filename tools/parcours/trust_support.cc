#include "trust_support.h"

#include "../common/progress.h"
#include "parcours/store/hash_chain.h"

namespace parcours::cli {

Result<std::unique_ptr<engine::MerkleIndex>> openMerkleIndex(store::EventLog& log,
                                                             const Context& context) {
  ProgressBar bar("indexing the Merkle tree", log.head());
  auto index = engine::MerkleIndex::open(
      log, context.logger, [&](store::Position done, store::Position) { bar.update(done); });
  bar.finish();
  return index;
}

nlohmann::json digestJson(const engine::merkle::Digest& digest) {
  return {{"size", digest.size},
          {"root", store::chain::toHex(digest.root)},
          {"digest", digest.text()}};
}

}  // namespace parcours::cli
