// Encoding and decoding of stored values (Cap'n Proto messages, standard
// framing). Decoding checks what it reads: a value that is not a well-formed
// message, or whose fields disagree with the key it was stored under, is
// reported as Corruption naming where it was found, never returned as garbage.
#pragma once

#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace parcours::store::codec {

// The envelope's bytes for one event.
std::string encodeEnvelope(const RecordedEvent& event);

// Decodes an envelope. `where` names the value in error messages
// ("events/position 42"). The caller checks the fields against its key.
Result<RecordedEvent> decodeEnvelope(std::string_view bytes, std::string_view where);

std::string encodeCommandRecord(const AppendResult& result);
Result<AppendResult> decodeCommandRecord(std::string_view bytes, std::string_view where);

}  // namespace parcours::store::codec
