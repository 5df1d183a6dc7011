// The Merkle tree against RFC 6962's definition computed by brute force,
// and its proofs accepted when right, rejected when any byte is wrong.
#include <gtest/gtest.h>

#include <map>

#include "parcours/engine/merkle.h"
#include "parcours/store/hash_chain.h"

namespace parcours::engine::merkle {
namespace {

// MTH(D[begin:end]) exactly as RFC 6962 §2.1 defines it.
std::string referenceHash(const std::vector<std::string>& leaves, std::size_t begin,
                          std::size_t end) {
  const std::size_t n = end - begin;
  if (n == 0) return emptyRoot();
  if (n == 1) return leafHash(leaves[begin]);
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(referenceHash(leaves, begin, begin + k), referenceHash(leaves, begin + k, end));
}

// A tree of `size` leaves whose nodes come from a frontier's sink.
struct Tree {
  explicit Tree(std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      leaves.push_back("event-" + std::to_string(i));
      frontier.append(leafHash(leaves.back()), [&](unsigned level, std::uint64_t index,
                                                  const std::string& hash) {
        nodes[{level, index}] = hash;
      });
    }
  }
  NodeSource source() const {
    return [this](unsigned level, std::uint64_t index) -> Result<std::string> {
      auto it = nodes.find({level, index});
      if (it == nodes.end()) return Error::notFound("no node");
      return it->second;
    };
  }
  std::vector<std::string> leaves;
  Frontier frontier;
  std::map<std::pair<unsigned, std::uint64_t>, std::string> nodes;
};

std::string flipped(std::string s, std::size_t byte) {
  s[byte] = static_cast<char>(s[byte] ^ 0x01);
  return s;
}

TEST(Merkle, RootsMatchTheRfcDefinitionAtEverySize) {
  Tree tree(70);
  for (std::size_t size = 0; size <= 70; ++size) {
    auto root = rootHash(tree.source(), size);
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_EQ(*root, referenceHash(tree.leaves, 0, size)) << "size " << size;
  }
  EXPECT_EQ(tree.frontier.root(), referenceHash(tree.leaves, 0, 70));
}

TEST(Merkle, FrontierReloadedFromItsNodesContinuesTheSameTree) {
  Tree tree(45);
  auto loaded = Frontier::load(tree.source(), 45);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->root(), tree.frontier.root());
  Tree longer(46);
  loaded->append(leafHash(longer.leaves[45]));
  EXPECT_EQ(loaded->root(), longer.frontier.root());
}

TEST(Merkle, InclusionProofsVerifyForEveryLeafAndSize) {
  Tree tree(33);
  for (std::uint64_t size = 1; size <= 33; ++size) {
    const std::string root = referenceHash(tree.leaves, 0, size);
    for (std::uint64_t index = 0; index < size; ++index) {
      auto proof = inclusionProof(tree.source(), index, size);
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_LE(proof->size(), 6u);
      const std::string leaf = leafHash(tree.leaves[index]);
      EXPECT_TRUE(verifyInclusion(leaf, index, size, *proof, root))
          << "index " << index << " size " << size;
      if (size > 1) {
        const std::string other = leafHash(tree.leaves[(index + 1) % size]);
        EXPECT_FALSE(verifyInclusion(other, index, size, *proof, root));
      }
    }
  }
}

TEST(Merkle, InclusionProofRejectedWhenAnyByteIsWrong) {
  Tree tree(21);
  const std::uint64_t index = 13, size = 21;
  const std::string root = referenceHash(tree.leaves, 0, size);
  const std::string leaf = leafHash(tree.leaves[index]);
  auto proof = inclusionProof(tree.source(), index, size);
  ASSERT_TRUE(proof);
  ASSERT_TRUE(verifyInclusion(leaf, index, size, *proof, root));
  for (std::size_t p = 0; p < proof->size(); ++p) {
    for (std::size_t byte = 0; byte < 32; ++byte) {
      auto bad = *proof;
      bad[p] = flipped(bad[p], byte);
      EXPECT_FALSE(verifyInclusion(leaf, index, size, bad, root));
    }
  }
  for (std::size_t byte = 0; byte < 32; ++byte) {
    EXPECT_FALSE(verifyInclusion(flipped(leaf, byte), index, size, *proof, root));
    EXPECT_FALSE(verifyInclusion(leaf, index, size, *proof, flipped(root, byte)));
  }
  auto shorter = *proof;
  shorter.pop_back();
  EXPECT_FALSE(verifyInclusion(leaf, index, size, shorter, root));
  auto longer = *proof;
  longer.push_back(root);
  EXPECT_FALSE(verifyInclusion(leaf, index, size, longer, root));
  EXPECT_FALSE(verifyInclusion(leaf, size, size, *proof, root));
}

TEST(Merkle, ConsistencyProofsVerifyForEveryPairOfSizes) {
  Tree tree(40);
  for (std::uint64_t second = 1; second <= 40; ++second) {
    const Digest later{second, referenceHash(tree.leaves, 0, second)};
    for (std::uint64_t first = 1; first <= second; ++first) {
      const Digest earlier{first, referenceHash(tree.leaves, 0, first)};
      auto proof = consistencyProof(tree.source(), first, second);
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_TRUE(verifyConsistency(earlier, later, *proof)) << first << " -> " << second;
      if (first < second) {
        const Digest wrong{first, referenceHash(tree.leaves, 1, first + 1)};
        EXPECT_FALSE(verifyConsistency(wrong, later, *proof)) << first << " -> " << second;
      }
    }
  }
}

TEST(Merkle, ConsistencyProofRejectedWhenAnyByteIsWrong) {
  Tree tree(29);
  const Digest earlier{11, referenceHash(tree.leaves, 0, 11)};
  const Digest later{29, referenceHash(tree.leaves, 0, 29)};
  auto proof = consistencyProof(tree.source(), 11, 29);
  ASSERT_TRUE(proof);
  ASSERT_TRUE(verifyConsistency(earlier, later, *proof));
  for (std::size_t p = 0; p < proof->size(); ++p) {
    for (std::size_t byte = 0; byte < 32; ++byte) {
      auto bad = *proof;
      bad[p] = flipped(bad[p], byte);
      EXPECT_FALSE(verifyConsistency(earlier, later, bad));
    }
  }
  for (std::size_t byte = 0; byte < 32; ++byte) {
    EXPECT_FALSE(verifyConsistency({11, flipped(earlier.root, byte)}, later, *proof));
    EXPECT_FALSE(verifyConsistency(earlier, {29, flipped(later.root, byte)}, *proof));
  }
  EXPECT_FALSE(verifyConsistency(later, earlier, *proof));
  EXPECT_FALSE(verifyConsistency({12, earlier.root}, later, *proof));
}

TEST(Merkle, DigestTextRoundTripsAndRejectsMalformedText) {
  const Digest digest{42, std::string(32, '\xab')};
  auto parsed = Digest::parse(digest.text());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, digest);
  for (const char* bad : {"", "42", ":abab", "x:" , "42:abc", "42:zz", "-1:00",
                          "42:abababababababababababababababababababababababababababababababab00"}) {
    auto r = Digest::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  }
}

}  // namespace
}  // namespace parcours::engine::merkle
