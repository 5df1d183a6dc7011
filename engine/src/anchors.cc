#include "parcours/engine/anchors.h"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstring>

#include "parcours/engine/merkle_index.h"
#include "parcours/engine/schema/trust.capnp.h"
#include "parcours/store/hash_chain.h"

namespace parcours::engine {
namespace {

capnp::Data::Reader asData(std::string_view bytes) {
  return {reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()};
}

std::string asString(capnp::Data::Reader data) {
  return {reinterpret_cast<const char*>(data.begin()), data.size()};
}

// The log's own digest of `claimed.size` events must be `claimed`.
Status checkAgainstLog(const MerkleIndex& index, const merkle::Digest& claimed) {
  auto ours = index.digest(claimed.size);
  if (!ours) return ours.error();
  if (ours->size != claimed.size || ours->root != claimed.root) {
    return Error::conflict("the log's digest of its first " + std::to_string(claimed.size) +
                           " events is " + ours->text() + ", not " + claimed.text() +
                           ": the anchored digest is not this log's");
  }
  return okStatus();
}

}  // namespace

std::string timestampedStatement(const merkle::Digest& digest) {
  return "parcours-digest-v1 " + digest.text();
}

std::string encodeAnchor(const Anchor& anchor) {
  capnp::MallocMessageBuilder message;
  auto out = message.initRoot<schema::DigestAnchored>();
  out.setSize(anchor.digest.size);
  out.setRoot(asData(anchor.digest.root));
  out.setTimestampReply(asData(anchor.timestampReply));
  out.setGenTimeMicros(anchor.genTimeMicros);
  out.setAuthority(anchor.authority);
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  return {words.asChars().begin(), words.asChars().size()};
}

Result<Anchor> decodeAnchor(std::string_view payload, store::Position position) {
  if (payload.empty() || payload.size() % sizeof(capnp::word) != 0) {
    return Error::corruption("the anchor at position " + std::to_string(position) +
                             " is not a whole Cap'n Proto message");
  }
  std::vector<capnp::word> words(payload.size() / sizeof(capnp::word));
  std::memcpy(words.data(), payload.data(), payload.size());
  try {
    capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), words.size()));
    auto in = reader.getRoot<schema::DigestAnchored>();
    Anchor anchor;
    anchor.position = position;
    anchor.digest = {in.getSize(), asString(in.getRoot())};
    anchor.timestampReply = asString(in.getTimestampReply());
    anchor.genTimeMicros = in.getGenTimeMicros();
    anchor.authority = in.getAuthority().cStr();
    if (anchor.digest.root.size() != store::chain::hashBytes) {
      return Error::corruption("the anchor at position " + std::to_string(position) +
                               " has a root of " + std::to_string(anchor.digest.root.size()) +
                               " bytes");
    }
    return anchor;
  } catch (const kj::Exception& e) {
    return Error::corruption("the anchor at position " + std::to_string(position) +
                             " does not decode: " + std::string(e.getDescription().cStr()));
  }
}

Result<Anchor> anchorDigest(store::EventLog& log, const MerkleIndex& index,
                            const merkle::Digest& claimed, std::string_view replyDer,
                            const std::string& caFile, const store::AppendContext& context) {
  auto token = checkTimestampReply(replyDer, timestampedStatement(claimed), caFile);
  if (!token) return std::move(token).takeError();
  if (auto s = checkAgainstLog(index, claimed); !s) return s.error();
  Anchor anchor;
  anchor.digest = claimed;
  anchor.timestampReply = std::string(replyDer);
  anchor.genTimeMicros = token->genTimeMicros;
  anchor.authority = token->tsaName;
  // The same reply anchored twice is one anchor: its hash is the command id.
  store::AppendContext once = context;
  once.commandId = "anchor-" + store::chain::toHex(store::chain::sha256({replyDer}));
  auto appended =
      log.append(std::string(anchorStream), store::ExpectedVersion::any(),
                 {store::NewEvent{std::string(anchorEventType), encodeAnchor(anchor)}}, once);
  if (!appended) return std::move(appended).takeError();
  anchor.position = appended->firstPosition;
  return anchor;
}

Result<std::vector<Anchor>> readAnchors(const store::EventLog& log) {
  std::vector<store::RecordedEvent> events;
  if (auto s = store::readStreamUpTo(log, anchorStream, UINT64_MAX, events); !s) return s.error();
  std::vector<Anchor> anchors;
  for (const store::RecordedEvent& e : events) {
    if (e.eventType != anchorEventType) continue;
    auto anchor = decodeAnchor(e.payload, e.position);
    if (!anchor) return std::move(anchor).takeError();
    anchors.push_back(std::move(anchor).value());
  }
  return anchors;
}

Result<std::vector<AnchorCheck>> checkAnchors(const store::EventLog& log,
                                              const MerkleIndex& index,
                                              const std::string& caFile) {
  auto anchors = readAnchors(log);
  if (!anchors) return std::move(anchors).takeError();
  std::vector<AnchorCheck> checks;
  for (Anchor& anchor : *anchors) {
    AnchorCheck check;
    auto token = checkTimestampReply(anchor.timestampReply, timestampedStatement(anchor.digest),
                                     caFile);
    if (!token) {
      check.problem = token.error().message;
    } else {
      check.chainChecked = token->chainChecked;
      if (auto s = checkAgainstLog(index, anchor.digest); !s) {
        check.problem = "the digest it anchors is no longer the log's: " + s.error().message;
      }
    }
    check.anchor = std::move(anchor);
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace parcours::engine
