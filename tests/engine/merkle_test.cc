// The Merkle tree against RFC 6962's definition computed by brute force,
// and its proofs accepted when right, rejected when any byte is wrong.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>

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

// docs/audit.md's worked example, read from the page itself (written by
// tools/docs/audit_example.py from a demo run): the first five chain hashes
// and their leaves, two nodes, the digests of sizes 2 and 5, and the
// proofs `parcours digest` printed, all as the code computes them.
struct WorkedExample {
  std::vector<std::pair<std::string, std::string>> hashAndLeaf;  // hex
  std::map<std::string, std::string> named;                      // "node(l0, l1)" -> hex
  std::vector<std::string> inclusionOf3, consistencyFrom2;       // hex
};

WorkedExample readWorkedExample() {
  std::ifstream in(PARCOURS_AUDIT_GUIDE);
  WorkedExample out;
  const std::regex hashLine(R"(^position (\d+)  hash ([0-9a-f]{64})$)");
  const std::regex leafLine(R"(^ +l\d+ +([0-9a-f]{64})$)");
  const std::regex namedLine(R"(^(node\(l\d, l\d\)|MTH\(5\)) *= ([0-9a-f]{64}))");
  const std::regex proofLine(R"(^  ([0-9a-f]{64})$)");
  std::vector<std::string>* proof = nullptr;
  std::string pendingHash;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, hashLine)) {
      pendingHash = m[2];
    } else if (std::regex_match(line, m, leafLine) && !pendingHash.empty()) {
      out.hashAndLeaf.emplace_back(pendingHash, m[1]);
      pendingHash.clear();
    } else if (std::regex_search(line, m, namedLine)) {
      out.named[m[1]] = m[2];
    } else if (line.starts_with("inclusion proof of event 3:")) {
      proof = &out.inclusionOf3;
    } else if (line.starts_with("consistency proof from 2:")) {
      proof = &out.consistencyFrom2;
    } else if (proof != nullptr && std::regex_match(line, m, proofLine)) {
      proof->push_back(m[1]);
    } else {
      proof = nullptr;
    }
  }
  return out;
}

std::string bytesOf(const std::string& hex) {
  auto bytes = store::chain::fromHex(hex);
  EXPECT_TRUE(bytes) << hex;
  return bytes ? *bytes : std::string();
}

TEST(Merkle, TheAuditorsGuideWorkedExampleIsWhatTheCodeComputes) {
  const WorkedExample example = readWorkedExample();
  ASSERT_EQ(example.hashAndLeaf.size(), 5u) << "docs/audit.md's worked example lost its hashes";
  ASSERT_EQ(example.named.size(), 3u);
  Frontier frontier;
  std::vector<std::string> leaves;
  std::vector<std::string> roots;
  for (const auto& [hash, leaf] : example.hashAndLeaf) {
    leaves.push_back(leafHash(bytesOf(hash)));
    EXPECT_EQ(store::chain::toHex(leaves.back()), leaf);
    frontier.append(leaves.back());
    roots.push_back(frontier.root());
  }
  EXPECT_EQ(store::chain::toHex(nodeHash(leaves[0], leaves[1])), example.named.at("node(l0, l1)"));
  EXPECT_EQ(store::chain::toHex(roots[1]), example.named.at("node(l0, l1)"));
  EXPECT_EQ(store::chain::toHex(nodeHash(leaves[2], leaves[3])), example.named.at("node(l2, l3)"));
  EXPECT_EQ(store::chain::toHex(roots[4]), example.named.at("MTH(5)"));

  ASSERT_EQ(example.inclusionOf3.size(), 3u);
  std::vector<std::string> inclusion;
  for (const auto& h : example.inclusionOf3) inclusion.push_back(bytesOf(h));
  EXPECT_TRUE(verifyInclusion(leaves[2], 2, 5, inclusion, roots[4]));
  ASSERT_EQ(example.consistencyFrom2.size(), 2u);
  std::vector<std::string> consistency;
  for (const auto& h : example.consistencyFrom2) consistency.push_back(bytesOf(h));
  EXPECT_TRUE(verifyConsistency({2, roots[1]}, {5, roots[4]}, consistency));
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
