// One event of the log as a NATS message, both ways (docs/nats.md).
//
// Subject: <prefix>.<campaign>.<event type>.<dossier>, "_" for a part the
// event has not (a campaign event has no dossier); bytes other than
// [A-Za-z0-9_:-] are written %XX, so a subject always has four tokens.
// Data: the envelope exactly as the primary stored it (Cap'n Proto,
// store/schema/envelope.capnp). Headers: the fields a consumer checks
// without decoding it — position, type, stream, version, hash, previous hash
// — and Nats-Msg-Id, which JetStream deduplicates re-sends by.
#pragma once

#include <nats/nats.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "nats_session.h"
#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace parcours::adapters::nats {

namespace header {
inline constexpr const char* position = "Parcours-Position";
inline constexpr const char* type = "Parcours-Type";
inline constexpr const char* stream = "Parcours-Stream";
inline constexpr const char* version = "Parcours-Version";
inline constexpr const char* hash = "Parcours-Hash";          // hex
inline constexpr const char* prevHash = "Parcours-Prev-Hash";  // hex
inline constexpr const char* primary = "Parcours-Primary";     // the primary's HTTP URL
}  // namespace header

// A subject token for an id: "%XX" for every byte NATS would read as a
// separator or wildcard (and for '%' itself); "_" for an empty id.
std::string subjectToken(std::string_view id);

// The subject of an event: its campaign and dossier read from its payload.
std::string subjectOf(const std::string& prefix, const store::EventView& event);

// The message for an event (its Nats-Msg-Id is the publisher's to set).
Result<MessagePtr> toMessage(const std::string& prefix, const store::EventView& event,
                             const std::string& primaryUrl);

// What a consumer of ours checks a message by, read from the envelope it
// carries (not from the headers, which are for consumers that do not
// decode it): its position and chain hash.
struct CarriedEvent {
  store::Position position = 0;
  std::string hash;       // raw bytes
  std::string_view data;  // the envelope, valid while the message lives
};
// Corruption when the data is not a parcours envelope.
Result<CarriedEvent> carriedEvent(natsMsg* message);

}  // namespace parcours::adapters::nats
