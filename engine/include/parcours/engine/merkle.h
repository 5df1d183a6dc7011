// A Merkle tree over the log in the style of RFC 6962 / RFC 9162
// (Certificate Transparency): leaf i is the hash chain's hash of the event at
// position i + 1; a digest (size, root) commits to the first `size` events.
// An inclusion proof shows one event is in a digest; a consistency proof
// shows a later digest extends an earlier one. Both are O(log size) hashes.
//
//   leafHash(d)    = SHA-256(0x00 ‖ d)
//   nodeHash(l, r) = SHA-256(0x01 ‖ l ‖ r)
//   MTH of n > 1 leaves = nodeHash(MTH(first k), MTH(rest)), k the largest
//   power of two below n; MTH of no leaf = SHA-256("").
//
// Proof generation reads hashes of perfect subtrees (node(level, index)
// covers leaves [index·2^level, (index+1)·2^level)) from a NodeSource:
// the MerkleIndex's table, or a frontier in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::engine::merkle {

std::string leafHash(std::string_view leafData);
std::string nodeHash(std::string_view left, std::string_view right);
std::string emptyRoot();

// A digest of the log: its first `size` events and their tree's root.
struct Digest {
  std::uint64_t size = 0;
  std::string root;  // 32 bytes

  bool operator==(const Digest&) const = default;
  // "SIZE:ROOTHEX", what users pass around and what gets timestamped.
  std::string text() const;
  // Parses "SIZE:ROOTHEX"; InvalidInput naming what is wrong.
  static Result<Digest> parse(std::string_view text);
};

// The hash of a perfect subtree.
using NodeSource = std::function<Result<std::string>(unsigned level, std::uint64_t index)>;

// MTH of leaves [begin, end) when that range is a node of the tree of some
// size >= end (every range the RFC's recursion names is).
Result<std::string> rangeHash(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end);
Result<std::string> rootHash(const NodeSource& nodes, std::uint64_t size);
// PATH(index, D[size]) of RFC 6962 §2.1.1, leaf-side first.
Result<std::vector<std::string>> inclusionProof(const NodeSource& nodes, std::uint64_t index,
                                                std::uint64_t size);
// PROOF(first, D[second]) of RFC 6962 §2.1.2; empty when first == second.
Result<std::vector<std::string>> consistencyProof(const NodeSource& nodes, std::uint64_t first,
                                                  std::uint64_t second);

// RFC 9162 §2.1.3.2: does `proof` place `leafHash` at `index` under `root`?
bool verifyInclusion(std::string_view leafHash, std::uint64_t index, std::uint64_t size,
                     const std::vector<std::string>& proof, std::string_view root);
// RFC 9162 §2.1.4.2: does `second` extend `first`?
bool verifyConsistency(const Digest& first, const Digest& second,
                       const std::vector<std::string>& proof);

// The tree's right edge in memory: the roots of the perfect subtrees that
// make up the leaves appended so far (at most 64). Appending is amortised
// O(1) hashes; root() is O(log size).
class Frontier {
 public:
  // Told each perfect subtree completed by an append: (level, index, hash).
  using NodeSink = std::function<void(unsigned level, std::uint64_t index, const std::string&)>;

  void append(const std::string& leaf, const NodeSink& sink = {});
  std::uint64_t size() const { return size_; }
  std::string root() const;
  // Restores the frontier of a tree of `size` leaves from its stored nodes.
  static Result<Frontier> load(const NodeSource& nodes, std::uint64_t size);

 private:
  std::uint64_t size_ = 0;
  std::vector<std::string> pending_;  // by level: the left subtree awaiting its sibling
};

}  // namespace parcours::engine::merkle
