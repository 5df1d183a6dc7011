// Anchoring the log's digests in time with RFC 3161 timestamps.
//
// `parcours digest --timestamp-request` asks a timestamp authority to sign
// SHA-256("parcours-digest-v1 SIZE:ROOTHEX"); `parcours anchor REPLY.tsr`
// checks the authority's reply against the log's own digest of that size
// and records it in the log (stream "log-anchors"). Once anchored, nobody —
// the operator included — can rewrite the first SIZE events without the
// anchor failing: verify re-checks every anchor, and a bundle carries the
// anchor of its digest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/engine/merkle.h"
#include "parcours/engine/timestamp.h"
#include "parcours/store/event_log.h"

namespace parcours::engine {

class MerkleIndex;

inline constexpr std::string_view anchorStream = "log-anchors";
inline constexpr std::string_view anchorEventType = "DigestAnchored";

// The bytes a timestamp authority signs (the digest of) for a digest.
std::string timestampedStatement(const merkle::Digest& digest);

struct Anchor {
  store::Position position = 0;  // of the DigestAnchored event
  merkle::Digest digest;
  std::string timestampReply;  // DER
  std::int64_t genTimeMicros = 0;
  std::string authority;
};

// Checks `replyDer` (a .tsr) against `claimed` and the log's own digest of
// claimed.size, then appends a DigestAnchored event. InvalidInput when the
// reply is not a valid timestamp of that digest; Conflict when the log's
// digest of that size is not `claimed` (the digest is not this log's);
// NotFound when the log is shorter than claimed.size. The same reply
// anchored again is the same anchor (its hash is the command id): nothing
// is written the second time.
Result<Anchor> anchorDigest(store::EventLog& log, const MerkleIndex& index,
                            const merkle::Digest& claimed, std::string_view replyDer,
                            const std::string& caFile, const store::AppendContext& context);

// Every anchor recorded in the log, in log order.
Result<std::vector<Anchor>> readAnchors(const store::EventLog& log);

// One anchor re-checked: its reply still verifies and the log's digest of
// its size is still the one it anchored.
struct AnchorCheck {
  Anchor anchor;
  bool chainChecked = false;  // up to the CA given, or only the embedded signer
  std::string problem;        // empty: good
};
Result<std::vector<AnchorCheck>> checkAnchors(const store::EventLog& log,
                                              const MerkleIndex& index,
                                              const std::string& caFile);

// The payload of a DigestAnchored event, and back (Corruption when
// malformed). Used by bundles, which carry anchors without a store.
std::string encodeAnchor(const Anchor& anchor);
Result<Anchor> decodeAnchor(std::string_view payload, store::Position position);

}  // namespace parcours::engine
