#include "parcours/workflows/bundle.h"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "parcours/engine/anchors.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/schema/bundle.capnp.h"

namespace parcours::workflows {
namespace {

namespace merkle = engine::merkle;

capnp::Data::Reader asData(std::string_view bytes) {
  return {reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()};
}
std::string asString(capnp::Data::Reader data) {
  return {reinterpret_cast<const char*>(data.begin()), data.size()};
}


}  // namespace

Result<std::string> makeBundle(const store::EventLog& log, const engine::MerkleIndex& index,
                               const ViewQueries& live, std::string_view dossierId,
                               std::uint64_t digestSize, BundleSummary& summary) {
  auto row = live.dossier(dossierId);
  if (!row) return std::move(row).takeError();
  std::vector<store::RecordedEvent> all;
  for (const std::string& stream : {campaignStream(row->campaignId), dossierStream(dossierId)}) {
    if (auto s = store::readStreamUpTo(log, stream, UINT64_MAX, all); !s) return s.error();
  }
  store::Position last = 0;
  for (const auto& e : all) last = std::max(last, e.position);

  auto anchors = engine::readAnchors(log);
  if (!anchors) return std::move(anchors).takeError();
  if (digestSize == 0) {
    // The smallest anchored digest covering everything: its timestamp is
    // then evidence for every event in the bundle.
    for (const engine::Anchor& a : *anchors) {
      if (a.digest.size >= last && (digestSize == 0 || a.digest.size < digestSize)) {
        digestSize = a.digest.size;
      }
    }
  }
  auto digest = digestSize == 0 ? index.digest() : index.digest(digestSize);
  if (!digest) return std::move(digest).takeError();

  capnp::MallocMessageBuilder message;
  auto bundle = message.initRoot<schema::Bundle>();
  bundle.setFormatVersion(bundleFormatVersion);
  bundle.setDossierId(std::string(dossierId));
  bundle.setCampaignId(row->campaignId);
  bundle.setDigestSize(digest->size);
  bundle.setDigestRoot(asData(digest->root));
  bundle.setCreatedAtMicros(engine::toMicros(engine::SystemClock().now()));

  std::erase_if(all, [&](const auto& e) { return e.position > digest->size; });
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.position < b.position; });
  auto events = bundle.initEvents(static_cast<unsigned>(all.size()));
  bundle.setEventCount(static_cast<std::uint32_t>(all.size()));
  for (unsigned i = 0; i < all.size(); ++i) {
    // The codec encodes an event exactly as the writer stored it (verify
    // checks that property of every stored value).
    events[i].setEnvelope(asData(store::codec::encodeEnvelope(all[i])));
    auto proof = index.inclusionProof(all[i].position, digest->size);
    if (!proof) return std::move(proof).takeError();
    auto out = events[i].initInclusionProof(static_cast<unsigned>(proof->size()));
    for (unsigned p = 0; p < proof->size(); ++p) out.set(p, asData((*proof)[p]));
  }
  std::vector<std::string> replies;
  for (const engine::Anchor& a : *anchors) {
    if (a.digest == *digest) replies.push_back(a.timestampReply);
  }
  auto out = bundle.initAnchors(static_cast<unsigned>(replies.size()));
  for (unsigned i = 0; i < replies.size(); ++i) out.set(i, asData(replies[i]));

  summary = {std::string(dossierId), row->campaignId, *digest, all.size(), replies.size()};
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  return std::string(words.asChars().begin(), words.asChars().size());
}

Result<BundleCheck> checkBundle(std::string_view bytes, const merkle::Digest& trusted,
                                const std::string& caFile) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Error::invalidInput("the file is not a parcours bundle (" +
                               std::to_string(bytes.size()) +
                               " bytes, not a whole Cap'n Proto message)");
  }
  std::vector<capnp::word> words(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.data(), bytes.data(), bytes.size());
  BundleCheck check;
  std::vector<store::RecordedEvent> events;
  try {
    capnp::ReaderOptions options;
    options.traversalLimitInWords = words.size() * 2;
    capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), words.size()), options);
    auto bundle = reader.getRoot<schema::Bundle>();
    if (bundle.getFormatVersion() != bundleFormatVersion) {
      return Error::invalidInput("the bundle's format version is " +
                                 std::to_string(bundle.getFormatVersion()) +
                                 "; this build reads " + std::to_string(bundleFormatVersion));
    }
    BundleSummary& summary = check.summary;
    summary.dossierId = toString(bundle.getDossierId());
    summary.campaignId = toString(bundle.getCampaignId());
    summary.digest = {bundle.getDigestSize(), asString(bundle.getDigestRoot())};
    summary.events = bundle.getEvents().size();
    summary.anchors = bundle.getAnchors().size();
    if (bundle.getEventCount() != 0 && bundle.getEventCount() != summary.events) {
      check.problem = "the bundle says it holds " + std::to_string(bundle.getEventCount()) +
                      " events but its list has " + std::to_string(summary.events) +
                      ": it was damaged";
      return check;
    }
    if (!(summary.digest == trusted)) {
      check.problem = "the bundle's proofs are against the digest " + summary.digest.text() +
                      ", not the one given (" + trusted.text() + ")";
      return check;
    }
    const std::string dossierStreamId = dossierStream(summary.dossierId);
    const std::string campaignStreamId = campaignStream(summary.campaignId);
    std::map<std::string, store::StreamVersion> versions;
    store::Position previous = 0;
    for (auto bundled : bundle.getEvents()) {
      const std::string envelope = asString(bundled.getEnvelope());
      auto event = store::codec::decodeEnvelope(envelope, {});
      if (!event) {
        check.failedAt = previous + 1;
        check.problem = "an envelope after position " + std::to_string(previous) +
                        " does not decode: " + event.error().message;
        return check;
      }
      const store::Position p = event->position;
      auto fail = [&](std::string why) {
        check.failedAt = p;
        check.problem = "event " + std::to_string(p) + " (" + event->streamId + " version " +
                        std::to_string(event->streamVersion) + "): " + std::move(why);
        return check;
      };
      if (p <= previous) return fail("out of log order in the bundle");
      if (event->streamId != dossierStreamId && event->streamId != campaignStreamId) {
        return fail("belongs to neither the dossier nor its campaign");
      }
      if (event->streamVersion != ++versions[event->streamId]) {
        return fail("an event of its stream is missing before it (expected version " +
                    std::to_string(versions[event->streamId]) + ")");
      }
      if (store::chain::eventHash(store::viewOf(*event)) != event->hash ||
          store::codec::encodeEnvelope(*event) != envelope) {
        return fail("its content does not hash to the hash it carries: it was altered");
      }
      std::vector<std::string> proof;
      for (auto h : bundled.getInclusionProof()) proof.push_back(asString(h));
      if (!merkle::verifyInclusion(merkle::leafHash(event->hash), p - 1, trusted.size, proof,
                                   trusted.root)) {
        return fail("its inclusion proof does not lead to the digest's root: it is not the "
                    "log's event");
      }
      previous = p;
      events.push_back(std::move(event).value());
    }
    if (versions[dossierStreamId] == 0) {
      check.problem = "the bundle holds no event of dossier " + summary.dossierId;
      return check;
    }
    const std::string statement = engine::timestampedStatement(trusted);
    std::size_t n = 0;
    for (auto reply : bundle.getAnchors()) {
      ++n;
      auto token = engine::checkTimestampReply(asString(reply), statement, caFile);
      if (!token) {
        check.problem = "anchor " + std::to_string(n) + " does not verify: " +
                        token.error().message;
        return check;
      }
      check.anchors.push_back(std::move(token).value());
    }
  } catch (const kj::Exception& e) {
    return Error::invalidInput("the file is not a parcours bundle: " +
                               std::string(e.getDescription().cStr()));
  }
  auto replayed = replayEvents(std::move(events));
  if (!replayed) return std::move(replayed).takeError();
  check.replay = std::move(replayed).value();
  return check;
}

}  // namespace parcours::workflows
