// Stored values as the log reads them back: any bytes a corrupted or
// hostile database could hold, as an envelope (events, streams) and as a
// command record (meta), and as the keys they sit under. Decoding must
// return Corruption, never crash; what decodes must behave as a real event.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keys.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"

namespace {

using namespace parcours::store;
using codec::ValueLocation;

// A broken promise of the code under test: abort, so libFuzzer keeps the input.
void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "envelope_fuzz: %s\n", what);
  std::abort();
}

void checkEnvelope(std::string_view bytes) {
  auto event = codec::decodeEnvelope(bytes, {});
  if (!event) {
    require(event.error().code == parcours::ErrorCode::Corruption, "decode error is Corruption");
    return;
  }
  // The same bytes read at their own keys decode alike; at another key not.
  const ValueLocation atPosition{ValueLocation::Family::Events, {}, event->position};
  const ValueLocation atVersion{ValueLocation::Family::Streams, event->streamId,
                                event->streamVersion};
  const ValueLocation elsewhere{ValueLocation::Family::Events, {}, event->position + 1};
  require(codec::decodeEnvelope(bytes, atPosition).ok(), "decodes at its position");
  require(codec::decodeEnvelope(bytes, atVersion).ok(), "decodes at its stream version");
  require(!codec::decodeEnvelope(bytes, elsewhere).ok(), "refused at another position");
  // What the writer would store for it decodes to the same event.
  const std::string again = codec::encodeEnvelope(*event);
  auto reread = codec::decodeEnvelope(again, atPosition);
  require(reread.ok() && *reread == *event, "re-encoded envelope decodes to the same event");
  // verify's path: the chain hash and the canonical encoding of the view.
  std::string hash;
  const EventView view = viewOf(*event);
  (void)chain::eventHash(view);
  (void)codec::encodeChainedEnvelope(view, hash);
  require(hash.size() == chain::hashBytes, "a hash is 32 bytes");
  (void)chain::toHex(event->hash);
}

void checkCommandRecord(std::string_view bytes) {
  const ValueLocation meta{ValueLocation::Family::Meta, "command/fuzz", 0};
  auto record = codec::decodeCommandRecord(bytes, meta);
  if (!record) {
    require(record.error().code == parcours::ErrorCode::Corruption, "decode error is Corruption");
    return;
  }
  // What the writer would store for it decodes alike. (A record claiming
  // millions of empty streams fails here: see tests/fuzz/pending/README.md.)
  auto reread = codec::decodeCommandRecord(codec::encodeCommandRecord(*record), meta);
  require(reread.ok() && reread->firstPosition == record->firstPosition &&
              reread->lastPosition == record->lastPosition &&
              reread->streams.size() == record->streams.size(),
          "re-encoded command record decodes alike");
}

void checkKeys(std::string_view bytes) {
  if (auto position = keys::parseEventKey(bytes)) {
    require(keys::eventKey(*position) == bytes, "event key round trip");
  }
  // A stream key names its stream before the 0x00.
  const std::string_view streamId = bytes.substr(0, bytes.find('\0'));
  if (auto version = keys::parseStreamKey(bytes, streamId)) {
    require(keys::streamKey(streamId, *version) == bytes, "stream key round trip");
    require(bytes < keys::streamUpperBound(streamId), "stream key below its upper bound");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  checkEnvelope(bytes);
  checkCommandRecord(bytes);
  checkKeys(bytes);
  // The log's values carry no alignment promise: read them off by one too.
  if (size > 0) {
    std::string shifted(1, '\0');
    shifted.append(bytes);
    checkEnvelope(std::string_view(shifted).substr(1));
  }
  return 0;
}
