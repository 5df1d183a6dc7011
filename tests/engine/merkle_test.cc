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

// Known answers, from outside parcours: the test vectors of Certificate
// Transparency's reference implementation (RFC 6962's authors), which every
// RFC 6962 verifier checks itself against — the leaves "", 00, 10, 2021,
// 3031, 40414243, 5051525354555657, 606162636465666768696a6b6c6d6e6f, the
// tree head of each prefix, and the inclusion proof of leaf 0 in 8.
struct KnownTree {
  KnownTree() {
    for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                            "606162636465666768696a6b6c6d6e6f"}) {
      auto bytes = store::chain::fromHex(hex);
      leaves.push_back(bytes ? *bytes : std::string());
      frontier.append(leafHash(leaves.back()), [&](unsigned level, std::uint64_t index,
                                                  const std::string& hash) {
        nodes[{level, index}] = hash;
      });
      roots.push_back(frontier.root());
    }
  }
  std::vector<std::string> leaves;
  std::vector<std::string> roots;  // roots[n - 1]: the head of the first n leaves
  Frontier frontier;
  std::map<std::pair<unsigned, std::uint64_t>, std::string> nodes;
};

TEST(Merkle, TreeHeadsAreCertificateTransparencysKnownAnswers) {
  EXPECT_EQ(store::chain::toHex(emptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::vector<std::string> expected = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  KnownTree tree;
  ASSERT_EQ(tree.roots.size(), expected.size());
  for (std::size_t n = 0; n < expected.size(); ++n) {
    EXPECT_EQ(store::chain::toHex(tree.roots[n]), expected[n]) << "the first " << n + 1 << " leaves";
  }
}

TEST(Merkle, AnInclusionProofIsCertificateTransparencysKnownAnswer) {
  KnownTree tree;
  auto proof = inclusionProof(
      [&](unsigned level, std::uint64_t index) -> Result<std::string> {
        auto it = tree.nodes.find({level, index});
        if (it == tree.nodes.end()) return Error::notFound("no node");
        return it->second;
      },
      0, 8);
  ASSERT_TRUE(proof) << proof.error().message;
  std::vector<std::string> hex;
  for (const auto& h : *proof) hex.push_back(store::chain::toHex(h));
  EXPECT_EQ(hex, (std::vector<std::string>{
                     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_TRUE(verifyInclusion(leafHash(tree.leaves[0]), 0, 8, *proof, tree.roots[7]));
}

// docs/audit.md's worked example: the demo log's first five chain hashes,
// their leaves, two nodes and the digest of size 5, as the guide prints them.
TEST(Merkle, TheAuditorsGuideWorkedExampleIsWhatTheCodeComputes) {
  const std::vector<std::pair<std::string, std::string>> hashAndLeaf = {
      {"4df3f0ced8b30eb59eeb48425bc7645f1da3d57160734504796bce989061f9f8",
       "3cd5b6125346d5fc0c41078ce64d9b8eb9e500fa299e8aba2dda8cfd8c582a15"},
      {"9405fb35eab263faee757026559a2b4246fae1a5e4ac8acb1028ed966e3be10d",
       "8d8a028a965393baca336705e9d81d00f52ba5927b4ab1e2e5b47e093b3fe2df"},
      {"166c216ce3bd606c0686c2a72082e854b64a71bcc09569970b06bdba7cb06c59",
       "e342399918a75768c5c8df90390eec5b57fc6e1d07174fe652ab96ee17b84b06"},
      {"1198f3dd95194f00010e1bb9857285f49e1d8ce3f1885ec5822fe7baaa318daf",
       "b851d6acf7adf7ffcaecfabdc6a4ea25ec134fa27965970607d4e202c8312bcb"},
      {"4ea24aa92d1b92e9c99dfdbb3f726380df09856383d5a46037dbdfd405f709d4",
       "ce99d30990dec72a76a8011e02fa2d48e0d9160d497eb66a3a601234a175a7f6"}};
  Frontier frontier;
  std::vector<std::string> leaves;
  std::vector<std::string> roots;
  for (const auto& [hash, leaf] : hashAndLeaf) {
    auto bytes = store::chain::fromHex(hash);
    ASSERT_TRUE(bytes);
    leaves.push_back(leafHash(*bytes));
    EXPECT_EQ(store::chain::toHex(leaves.back()), leaf);
    frontier.append(leaves.back());
    roots.push_back(frontier.root());
  }
  EXPECT_EQ(store::chain::toHex(nodeHash(leaves[0], leaves[1])),
            "f6d55a602149a278ee95b95db6ac3520283a45dd1dd853e4b83159635b833109");
  EXPECT_EQ(store::chain::toHex(roots[1]),
            "f6d55a602149a278ee95b95db6ac3520283a45dd1dd853e4b83159635b833109");
  EXPECT_EQ(store::chain::toHex(nodeHash(leaves[2], leaves[3])),
            "2db783289b3907cdf1312b939f1d748bf0a03e5aac3bd25754896681f8cedd22");
  EXPECT_EQ(store::chain::toHex(roots[4]),
            "2d8314297c1cfcdc4a0b768bdd50829de92022d8c0f5167e3581bf8303648265");
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
