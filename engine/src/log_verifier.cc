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

// Whether a stored event is exactly what the writer stores for its fields:
// its hash is what its body hashes to, and its bytes are that encoding (a
// change that leaves every field as it was, a flipped padding byte, is
// still a change). One message build.
bool storedAsWritten(const store::EventView& e) {
  std::string hash;
  const std::string bytes = store::codec::encodeChainedEnvelope(e, hash);
  return hash == e.hash && (e.stored.empty() || bytes == e.stored);
}

// The first 8 bytes of a hash: what the two families are compared on,
// position by position (each copy's full hash is checked against its own
// content, so a forged copy would need a 64-bit second preimage).
std::uint64_t shortHash(std::string_view hash) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < hash.size(); ++i) {
    v = v << 8 | static_cast<unsigned char>(hash[i]);
  }
  return v | 1;  // never 0, which means "no copy"
}

// The streams family: each copy checked on its own, and its short hash
// recorded under its position (the scan runs in parallel with the log's).
struct StreamCopies {
  std::vector<std::uint64_t> hashes;  // by position; 0: no copy seen
  std::uint64_t count = 0;
  std::string problem;
  store::Position failedAt = 0;
  std::optional<Error> error;
};

void checkStreamCopies(const store::EventLog& log, store::Position head, StreamCopies& out) {
  out.hashes.assign(head + 1, 0);
  auto s = log.scanStreamCopies([&](const store::EventView& e) -> Status {
    auto fail = [&](std::string why) {
      out.failedAt = e.position;
      out.problem = "the copy of event " + std::to_string(e.position) + " in stream " +
                    std::string(e.streamId) + " (version " + std::to_string(e.streamVersion) +
                    ") " + std::move(why);
      return Error::corruption(out.problem);
    };
    if (!storedAsWritten(e)) return fail("does not hash to the hash it carries: it was altered");
    if (out.hashes[e.position] != 0) return fail("is a second copy of that event");
    out.hashes[e.position] = shortHash(e.hash);
    ++out.count;
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

}  // namespace

Result<VerifyReport> verifyLog(const store::EventLog& log, const VerifyOptions& options,
                               const ProgressFn& progress) {
  VerifyReport report;
  const store::Position head = log.head();
  StreamCopies copies;
  std::thread copiesThread([&] { checkStreamCopies(log, head, copies); });
  std::vector<std::uint64_t> eventHashes(head + 1, 0);

  merkle::Frontier frontier;
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
      if (!storedAsWritten(e)) {
        report.failedAt = e.position;
        report.problem = "event " + std::to_string(e.position) + " (" + std::string(e.streamId) +
                         " version " + std::to_string(e.streamVersion) + ", " +
                         std::string(e.eventType) +
                         ") does not hash to the hash it carries: its content was altered";
        return Error::corruption(report.problem);
      }
      prevHash.assign(e.hash);
      frontier.append(merkle::leafHash(e.hash));
      if (e.position < eventHashes.size()) eventHashes[e.position] = shortHash(e.hash);
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
  report.streamCopiesChecked = copies.count;
  for (store::Position p = 1; p <= report.eventsChecked; ++p) {
    if (copies.hashes[p] == eventHashes[p]) continue;
    report.failedAt = p;
    report.problem = copies.hashes[p] == 0
                         ? "event " + std::to_string(p) +
                               " has no copy in its stream: the streams family was altered"
                         : "the stream copy of event " + std::to_string(p) +
                               " is not the log's event: the streams family was altered";
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
