#include "parcours/engine/log_verifier.h"

#include <array>
#include <map>
#include <thread>

#include "parcours/engine/merkle_index.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"

namespace parcours::engine {
namespace {

constexpr std::size_t scanChunk = 16'384;

// The stored bytes are exactly the event's encoding: a change that leaves
// every field as it was (a flipped padding byte) is still a change.
bool exactlyEncoded(const store::EventView& e) {
  return e.stored.empty() || store::codec::encodeEnvelope(e.toRecorded()) == e.stored;
}

// A multiset hash of (position, stream, version, hash) tuples: the sum of
// their SHA-256 values as 256-bit integers. Two families hold the same
// tuples when their sums agree; the order of the scans does not matter, so
// the streams family is read in its own key order, in parallel.
class TupleSum {
 public:
  void add(const store::EventView& e) {
    char numbers[16];
    for (int i = 0; i < 8; ++i) {
      numbers[i] = static_cast<char>(e.position >> (56 - 8 * i));
      numbers[8 + i] = static_cast<char>(e.streamVersion >> (56 - 8 * i));
    }
    const std::string h =
        store::chain::sha256({std::string_view(numbers, 16), e.streamId, std::string_view("\0", 1), e.hash});
    unsigned __int128 carry = 0;
    for (int limb = 0; limb < 4; ++limb) {
      std::uint64_t v = 0;
      for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(h[limb * 8 + i]);
      carry += static_cast<unsigned __int128>(sum_[limb]) + v;
      sum_[limb] = static_cast<std::uint64_t>(carry);
      carry >>= 64;
    }
    ++count_;
  }
  bool operator==(const TupleSum&) const = default;
  std::uint64_t count() const { return count_; }

 private:
  std::array<std::uint64_t, 4> sum_{};
  std::uint64_t count_ = 0;
};

// Checks each stream copy's own hash and sums the copies.
struct StreamCopies {
  TupleSum sum;
  std::string problem;
  store::Position failedAt = 0;
  std::optional<Error> error;
};

void checkStreamCopies(const store::EventLog& log, StreamCopies& out) {
  auto s = log.scanStreamCopies([&](const store::EventView& e) -> Status {
    if (store::chain::eventHash(e) != e.hash || !exactlyEncoded(e)) {
      out.failedAt = e.position;
      out.problem = "the copy of event " + std::to_string(e.position) + " in stream " +
                    std::string(e.streamId) + " (version " + std::to_string(e.streamVersion) +
                    ") does not hash to the hash it carries: it was altered";
      return Error::corruption(out.problem);
    }
    out.sum.add(e);
    return okStatus();
  });
  if (!s && out.problem.empty()) {
    if (s.error().code == ErrorCode::Corruption) {
      out.problem = s.error().message;
    } else {
      out.error = s.error();
    }
  }
}

// Finds which stream copy disagrees with the global log, once the sums
// said one does (slow: one lookup per copy).
void locateStreamDifference(const store::EventLog& log, VerifyReport& report) {
  std::map<store::Position, bool> seen;
  auto s = log.scanStreamCopies([&](const store::EventView& copy) -> Status {
    auto original = log.readAll(copy.position, 1);
    if (!original) return std::move(original).takeError();
    const bool same = !original->empty() && original->front().position == copy.position &&
                      original->front().streamId == copy.streamId &&
                      original->front().streamVersion == copy.streamVersion &&
                      original->front().hash == copy.hash;
    if (!same || seen.contains(copy.position)) {
      report.failedAt = copy.position;
      report.problem = "the stream " + std::string(copy.streamId) + " holds at version " +
                       std::to_string(copy.streamVersion) + " an event that is not the log's " +
                       "event " + std::to_string(copy.position) + ": the streams family was altered";
      return Error::corruption(report.problem);
    }
    seen.emplace(copy.position, true);
    return okStatus();
  });
  if (s) {
    for (store::Position p = 1; p <= report.eventsChecked; ++p) {
      if (!seen.contains(p)) {
        report.failedAt = p;
        report.problem = "event " + std::to_string(p) +
                         " has no copy in its stream: the streams family was altered";
        return;
      }
    }
    report.problem = "the streams family does not hold the same events as the log";
  }
}

}  // namespace

Result<VerifyReport> verifyLog(const store::EventLog& log, const VerifyOptions& options,
                               const ProgressFn& progress) {
  VerifyReport report;
  const store::Position head = log.head();
  StreamCopies copies;
  std::thread copiesThread([&] { checkStreamCopies(log, copies); });

  merkle::Frontier frontier;
  TupleSum events;
  std::string prevHash = store::chain::genesisHash();
  std::map<std::uint64_t, std::string> expectedRoots;
  for (const merkle::Digest& d : options.extends) expectedRoots[d.size] = d.root;
  auto checkExtends = [&](std::uint64_t size) {
    auto it = expectedRoots.find(size);
    if (it == expectedRoots.end() || frontier.root() == it->second) return true;
    report.failedAt = size;
    report.problem = "the log does not extend the digest " + merkle::Digest{size, it->second}.text() +
                     ": its first " + std::to_string(size) + " events hash to " +
                     store::chain::toHex(frontier.root()) + " instead";
    return false;
  };
  bool stopped = !checkExtends(0);
  store::Position from = 1;
  while (!stopped && from <= head) {
    auto scanned = log.scanAll(from, scanChunk, [&](const store::EventView& e) -> Status {
      if (e.prevHash != prevHash) {
        report.failedAt = e.position;
        report.problem = "event " + std::to_string(e.position) +
                         " does not follow the event before it in the chain (its prevHash is " +
                         store::chain::toHex(e.prevHash).substr(0, 16) + "…, the chain's is " +
                         store::chain::toHex(prevHash).substr(0, 16) +
                         "…): an event was removed, inserted or moved here";
        return Error::corruption(report.problem);
      }
      if (store::chain::eventHash(e) != e.hash || !exactlyEncoded(e)) {
        report.failedAt = e.position;
        report.problem = "event " + std::to_string(e.position) + " (" + std::string(e.streamId) +
                         " version " + std::to_string(e.streamVersion) + ", " +
                         std::string(e.eventType) +
                         ") does not hash to the hash it carries: its content was altered";
        return Error::corruption(report.problem);
      }
      prevHash.assign(e.hash);
      frontier.append(merkle::leafHash(e.hash));
      events.add(e);
      report.eventsChecked = e.position;
      if (!checkExtends(e.position)) return Error::corruption(report.problem);
      return okStatus();
    });
    if (!scanned) {
      if (scanned.error().code != ErrorCode::Corruption) {
        copiesThread.join();
        return std::move(scanned).takeError();
      }
      if (report.problem.empty()) {
        // The store's own structural checks: a missing position, a value
        // that does not decode or sits under another position.
        report.failedAt = report.eventsChecked + 1;
        report.problem = "event " + std::to_string(report.failedAt) + ": " + scanned.error().message;
      }
      stopped = true;
      break;
    }
    from = *scanned + 1;
    if (progress) progress(report.eventsChecked, head);
  }
  copiesThread.join();
  report.digest = {frontier.size(), frontier.root()};
  if (!report.problem.empty()) return report;
  if (copies.error) return *copies.error;

  for (const auto& [size, root] : expectedRoots) {
    if (size > report.eventsChecked) {
      report.failedAt = report.eventsChecked + 1;
      report.problem = "the log has " + std::to_string(report.eventsChecked) +
                       " events but the digest " + merkle::Digest{size, root}.text() +
                       " covers " + std::to_string(size) + ": events were removed from its end";
      return report;
    }
  }
  // The events chain; does the log end where its last write said it did?
  if (auto damage = log.damage()) {
    using Kind = store::LogDamage::Kind;
    switch (damage->kind) {
      case Kind::TailCut:
        report.failedAt = report.eventsChecked + 1;
        report.problem = "events " + std::to_string(report.eventsChecked + 1) + " to " +
                         std::to_string(damage->recordedHead) +
                         " were removed from the end of the log (the last write ended at " +
                         std::to_string(damage->recordedHead) + ")";
        break;
      case Kind::LastAltered:
        report.failedAt = report.eventsChecked;
        report.problem = "event " + std::to_string(report.eventsChecked) +
                         " is not the one the last write recorded: the end of the log was "
                         "rewritten";
        break;
      case Kind::WrittenBehind:
        report.failedAt = damage->recordedHead + 1;
        report.problem = "events from position " + std::to_string(damage->recordedHead + 1) +
                         " on were written without parcours's writer";
        break;
    }
    return report;
  }
  if (!copies.problem.empty()) {
    report.failedAt = copies.failedAt;
    report.problem = copies.problem;
    return report;
  }
  report.streamCopiesChecked = copies.sum.count();
  if (!(copies.sum == events)) {
    locateStreamDifference(log, report);
    return report;
  }
  if (options.index != nullptr) {
    auto indexed = options.index->digest(report.eventsChecked);
    if (!indexed || indexed->root != report.digest.root) {
      report.problem =
          "the Merkle index does not agree with the log" +
          (indexed ? std::string() : " (" + indexed.error().message + ")") +
          ": either the log was rewritten since the index was made (check it against a digest "
          "you hold: --digest; keep the index as evidence), or the index is damaged "
          "(`parcours rebuild` remakes it from the log)";
      return report;
    }
  }
  report.intact = true;
  return report;
}

}  // namespace parcours::engine
