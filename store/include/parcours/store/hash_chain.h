// The hash chain that makes the log tamper-evident.
//
// Every envelope carries prevHash (the hash of the event before it; 32 zero
// bytes for the first) and hash = SHA-256(prevHash ‖ C), where C is the
// envelope's Cap'n Proto canonical form with prevHash and hash unset. The
// writer computes it in log order, so altering, removing, reordering or
// inserting any event breaks every hash after it. Canonical form makes the
// hash independent of how a message was laid out by its writer: anyone with
// the schema (store/schema/envelope.capnp) and any Cap'n Proto library can
// recompute it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace parcours::store::chain {

inline constexpr std::size_t hashBytes = 32;

// The prevHash of the first event: 32 zero bytes.
const std::string& genesisHash();

// SHA-256 of the concatenation of `parts`.
std::string sha256(std::initializer_list<std::string_view> parts);

// The hash an event must carry given its prevHash: SHA-256(event.prevHash ‖
// canonical(envelope without prevHash and hash)). The event's hash field is
// ignored.
std::string eventHash(const EventView& event);

// Lower-case hexadecimal, and back (nullopt-like failure as InvalidInput).
std::string toHex(std::string_view bytes);
Result<std::string> fromHex(std::string_view hex);

}  // namespace parcours::store::chain
