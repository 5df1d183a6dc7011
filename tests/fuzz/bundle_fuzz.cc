// Dossier bundles as `parcours verify-bundle` checks them, with no store:
// any bytes, checked against the digest they name themselves (the auditor
// trusting it), so the fuzzer gets past the digest comparison into the
// envelopes, the inclusion proofs, the RFC 3161 anchors and the replay.
//
// The replay runs only once every envelope hashes right and every proof
// leads to the digest, which a mutating fuzzer cannot forge (SHA-256). So
// the bundle's envelopes are also replayed directly, as checkBundle would
// after its proofs: a log the operator wrote by hand can hold any event a
// real bundle then carries, and the replay must refuse it in words.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/engine/merkle.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/workflows/bundle.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/replay.h"
#include "parcours/workflows/schema/bundle.capnp.h"

namespace {

using namespace parcours;
using namespace parcours::workflows;

std::string asString(capnp::Data::Reader data) {
  return {reinterpret_cast<const char*>(data.begin()), data.size()};
}

// The digest the bundle names and its envelopes, as far as they decode.
struct Contents {
  engine::merkle::Digest digest;
  std::vector<store::RecordedEvent> events;
};

Contents contentsOf(std::string_view bytes) {
  Contents contents;
  (void)readPayload<schema::Bundle>(bytes, "bundle", [&](schema::Bundle::Reader bundle) -> Status {
    contents.digest = {bundle.getDigestSize(), asString(bundle.getDigestRoot())};
    for (auto bundled : bundle.getEvents()) {
      auto event = store::codec::decodeEnvelope(asString(bundled.getEnvelope()), {});
      if (event) contents.events.push_back(std::move(event).value());
    }
    return okStatus();
  });
  return contents;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Contents contents = contentsOf(bytes);
  (void)checkBundle(bytes, contents.digest);
  (void)replayEvents(std::move(contents.events));
  return 0;
}
