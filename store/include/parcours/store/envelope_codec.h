// Encoding and decoding of stored values (Cap'n Proto messages, standard
// framing). Decoding checks what it reads: a value that is not a well-formed
// message, or whose fields disagree with the key it was stored under, is
// reported as Corruption naming where it was found, never returned as garbage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace parcours::store::codec {

// Where a stored value was read from: checked against what the value says,
// and formatted into error messages only when there is an error.
struct ValueLocation {
  enum class Family : std::uint8_t { Events, Streams, Meta, None };
  Family family = Family::None;
  std::string_view streamId;  // Streams: the key's stream; Meta: the key
  std::uint64_t number = 0;   // Events: the key's position; Streams: its version
  // "events/position 42", "streams/dossier-1@3", "meta/command/c-1".
  std::string describe() const;
};

// The envelope's bytes for one event, hash fields as given.
std::string encodeEnvelope(const RecordedEvent& event);
// The envelope's bytes for the event that follows `prevHash` in the chain:
// sets event.prevHash and event.hash (see hash_chain.h), building the
// message once.
std::string encodeChainedEnvelope(RecordedEvent& event, const std::string& prevHash);
// The same over a view, chaining onto its own prevHash: the bytes the writer
// stores for it, and in `hash` the hash it must carry. What verify checks a
// stored event against, in one message build.
std::string encodeChainedEnvelope(const EventView& event, std::string& hash);

// Decodes an envelope and checks it against where it was stored: an events
// value must carry its key's position, a streams value its key's stream and
// version. Any mismatch or malformation is Corruption naming the location.
Result<RecordedEvent> decodeEnvelope(std::string_view bytes, const ValueLocation& where);
// The same, without copying: `visit` sees the envelope in place, and its
// Status (an error stops a scan) is returned. The hot read paths use this.
Status visitEnvelope(std::string_view bytes, const ValueLocation& where,
                     const std::function<Status(const EventView&)>& visit);

std::string encodeCommandRecord(const AppendResult& result);
Result<AppendResult> decodeCommandRecord(std::string_view bytes, const ValueLocation& where);

}  // namespace parcours::store::codec
