#include "parcours/engine/merkle.h"

#include <bit>
#include <charconv>

#include "parcours/store/hash_chain.h"

namespace parcours::engine::merkle {
namespace {

using store::chain::sha256;

// The largest power of two strictly below n (n >= 2).
std::uint64_t splitPoint(std::uint64_t n) {
  return std::uint64_t{1} << (std::bit_width(n - 1) - 1);
}

Status appendInclusionPath(const NodeSource& nodes, std::uint64_t index, std::uint64_t begin,
                           std::uint64_t end, std::vector<std::string>& out) {
  const std::uint64_t n = end - begin;
  if (n <= 1) return okStatus();
  const std::uint64_t k = splitPoint(n);
  const bool left = index < begin + k;
  if (auto s = left ? appendInclusionPath(nodes, index, begin, begin + k, out)
                    : appendInclusionPath(nodes, index, begin + k, end, out);
      !s) {
    return s;
  }
  auto sibling = left ? rangeHash(nodes, begin + k, end) : rangeHash(nodes, begin, begin + k);
  if (!sibling) return std::move(sibling).takeError();
  out.push_back(std::move(sibling).value());
  return okStatus();
}

// SUBPROOF(m, D[begin:end], complete) of RFC 6962 §2.1.2; m counts leaves
// from `begin`.
Status appendSubproof(const NodeSource& nodes, std::uint64_t m, std::uint64_t begin,
                      std::uint64_t end, bool complete, std::vector<std::string>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (complete) return okStatus();
    auto hash = rangeHash(nodes, begin, end);
    if (!hash) return std::move(hash).takeError();
    out.push_back(std::move(hash).value());
    return okStatus();
  }
  const std::uint64_t k = splitPoint(n);
  const bool left = m <= k;
  if (auto s = left ? appendSubproof(nodes, m, begin, begin + k, complete, out)
                    : appendSubproof(nodes, m - k, begin + k, end, false, out);
      !s) {
    return s;
  }
  auto other = left ? rangeHash(nodes, begin + k, end) : rangeHash(nodes, begin, begin + k);
  if (!other) return std::move(other).takeError();
  out.push_back(std::move(other).value());
  return okStatus();
}

}  // namespace

std::string leafHash(std::string_view leafData) {
  static constexpr char prefix = '\x00';
  return sha256({std::string_view(&prefix, 1), leafData});
}

std::string nodeHash(std::string_view left, std::string_view right) {
  static constexpr char prefix = '\x01';
  return sha256({std::string_view(&prefix, 1), left, right});
}

std::string emptyRoot() {
  return sha256({});
}

std::string Digest::text() const {
  return std::to_string(size) + ":" + store::chain::toHex(root);
}

Result<Digest> Digest::parse(std::string_view text) {
  const auto colon = text.find(':');
  const std::string quoted = "\"" + std::string(text.substr(0, 120)) + "\"";
  if (colon == std::string_view::npos) {
    return Error::invalidInput("digest " + quoted +
                               " is not SIZE:ROOT (the events it covers, a colon, then the "
                               "64 hexadecimal digits of its root, as `parcours digest` prints)");
  }
  Digest digest;
  const std::string_view sizeText = text.substr(0, colon);
  auto [end, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), digest.size);
  if (sizeText.empty() || ec != std::errc() || end != sizeText.data() + sizeText.size()) {
    return Error::invalidInput("digest " + quoted + ": the size before the colon is not a number");
  }
  auto root = store::chain::fromHex(text.substr(colon + 1));
  if (!root || root->size() != store::chain::hashBytes) {
    return Error::invalidInput("digest " + quoted +
                               ": the root after the colon is not 64 hexadecimal digits");
  }
  digest.root = std::move(root).value();
  return digest;
}

Result<std::string> rangeHash(const NodeSource& nodes, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 0) return emptyRoot();
  if (std::has_single_bit(n) && begin % n == 0) {
    const unsigned level = static_cast<unsigned>(std::countr_zero(n));
    return nodes(level, begin >> level);
  }
  const std::uint64_t k = splitPoint(n);
  auto left = rangeHash(nodes, begin, begin + k);
  if (!left) return left;
  auto right = rangeHash(nodes, begin + k, end);
  if (!right) return right;
  return nodeHash(*left, *right);
}

Result<std::string> rootHash(const NodeSource& nodes, std::uint64_t size) {
  return rangeHash(nodes, 0, size);
}

Result<std::vector<std::string>> inclusionProof(const NodeSource& nodes, std::uint64_t index,
                                                std::uint64_t size) {
  if (index >= size) {
    return Error::invalidInput("event " + std::to_string(index + 1) +
                               " is not in a digest of " + std::to_string(size) + " events");
  }
  std::vector<std::string> proof;
  if (auto s = appendInclusionPath(nodes, index, 0, size, proof); !s) return s.error();
  return proof;
}

Result<std::vector<std::string>> consistencyProof(const NodeSource& nodes, std::uint64_t first,
                                                  std::uint64_t second) {
  if (first > second) {
    return Error::invalidInput("a digest of " + std::to_string(first) +
                               " events cannot be extended by one of " + std::to_string(second));
  }
  std::vector<std::string> proof;
  if (first == 0 || first == second) return proof;
  if (auto s = appendSubproof(nodes, first, 0, second, true, proof); !s) return s.error();
  return proof;
}

bool verifyInclusion(std::string_view leaf, std::uint64_t index, std::uint64_t size,
                     const std::vector<std::string>& proof, std::string_view root) {
  if (index >= size) return false;
  std::uint64_t fn = index, sn = size - 1;
  std::string r(leaf);
  for (const std::string& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = nodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verifyConsistency(const Digest& first, const Digest& second,
                       const std::vector<std::string>& given) {
  if (first.size > second.size) return false;
  if (first.size == second.size) return given.empty() && first.root == second.root;
  if (first.size == 0) return given.empty();
  if (given.empty()) return false;
  std::vector<std::string> proof;
  // When the first tree is a perfect subtree of the second, its root is
  // the proof's implicit first element.
  if (std::has_single_bit(first.size)) proof.push_back(first.root);
  proof.insert(proof.end(), given.begin(), given.end());
  std::uint64_t fn = first.size - 1, sn = second.size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = proof[0], sr = proof[0];
  for (std::size_t i = 1; i < proof.size(); ++i) {
    const std::string& c = proof[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == first.root && sr == second.root;
}

void Frontier::append(const std::string& leaf, const NodeSink& sink) {
  std::string hash = leaf;
  unsigned level = 0;
  std::uint64_t index = size_;
  if (sink) sink(0, index, hash);
  while ((index & 1) != 0) {
    hash = nodeHash(pending_[level], hash);
    ++level;
    index >>= 1;
    if (sink) sink(level, index, hash);
  }
  if (pending_.size() <= level) pending_.resize(level + 1);
  pending_[level] = std::move(hash);
  ++size_;
}

std::string Frontier::root() const {
  std::string root;
  bool any = false;
  for (unsigned level = 0; level < pending_.size(); ++level) {
    if (((size_ >> level) & 1) == 0) continue;
    root = any ? nodeHash(pending_[level], root) : pending_[level];
    any = true;
  }
  return any ? root : emptyRoot();
}

Result<Frontier> Frontier::load(const NodeSource& nodes, std::uint64_t size) {
  Frontier frontier;
  frontier.size_ = size;
  for (unsigned level = 0; level < 64 && (size >> level) != 0; ++level) {
    if (((size >> level) & 1) == 0) continue;
    auto hash = nodes(level, (size >> level) - 1);
    if (!hash) return std::move(hash).takeError();
    if (frontier.pending_.size() <= level) frontier.pending_.resize(level + 1);
    frontier.pending_[level] = std::move(hash).value();
  }
  return frontier;
}

}  // namespace parcours::engine::merkle
