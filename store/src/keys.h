// Key encodings of the column families (the spec is store/FORMAT.md).
// Integers are 8-byte big-endian so that byte order is numeric order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parcours/store/types.h"

namespace parcours::store::keys {

inline constexpr std::size_t u64Bytes = 8;

void appendBigEndian(std::string& out, std::uint64_t value);
std::uint64_t readBigEndian(std::string_view eightBytes);

// events: position -> envelope.
std::string eventKey(Position position);
std::optional<Position> parseEventKey(std::string_view key);

// streams: streamId, 0x00, version -> envelope. Stream ids never contain 0x00,
// so one stream's keys are contiguous and sorted by version.
std::string streamKey(std::string_view streamId, StreamVersion version);
// The first key past every key of the stream (streamId, 0x01).
std::string streamUpperBound(std::string_view streamId);
// The version of a stream key of `streamId`, or nullopt for another stream.
std::optional<StreamVersion> parseStreamKey(std::string_view key, std::string_view streamId);

// meta: "command/" + command id -> CommandRecord.
std::string commandKey(std::string_view commandId);
inline constexpr std::string_view formatVersionKey = "format-version";
// 2: envelopes carry the hash chain, meta holds its head.
inline constexpr std::string_view formatVersionCurrent = "2";
// meta: the end of the hash chain, written with every batch.
inline constexpr std::string_view chainHeadKey = "chain-head";

}  // namespace parcours::store::keys
