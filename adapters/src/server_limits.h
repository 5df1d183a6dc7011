// Every limit of the server's entry points, in one place: what one request,
// one connection or one queue may hold. Beyond a limit a request gets a
// specific refusal (413, 400, 503 with Retry-After), never more memory.
// Unit last in every name (TigerBeetle's style): `_bytes_max`, `Max` counts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "parcours/store/limits.h"

namespace parcours::adapters {

// A request body: refused with 413 before it is read.
inline constexpr std::size_t httpBodyBytesMax = std::size_t{1} << 20;
// Nesting of a JSON body ('[' and '{' open at once), checked by a linear
// scan before any parser sees the body: nlohmann's parser recurses once per
// level, so 100,000 '[' would overflow the stack (issue 17, defect 1). No
// command body nests deeper than 8; a campaign definition inside one, 8 more.
inline constexpr std::size_t jsonDepthMax = 32;

// Open HTTP connections; one more is answered 503 with Retry-After, then closed.
inline constexpr std::size_t httpConnectionsMax = 1024;
// Open RPC connections; one more is closed at once.
inline constexpr std::size_t rpcConnectionsMax = 256;
// A connection that sends no complete request for this long is closed
// (kj's headerTimeout), as is one idle this long between two requests.
inline constexpr std::uint32_t httpHeaderTimeoutSecondsMax = 15;
inline constexpr std::uint32_t httpIdleSecondsMax = 5;
// After an accept() fails (no file descriptor left, a connection aborted),
// the listener waits this long before accepting again, doubling to the max.
inline constexpr std::uint32_t acceptBackoffMillisFirst = 10;
inline constexpr std::uint32_t acceptBackoffMillisMax = 1000;
static_assert(acceptBackoffMillisFirst <= acceptBackoffMillisMax);

// Commands waiting for a worker; one more is answered 503 with Retry-After.
inline constexpr std::size_t commandQueueMax = 4096;

// Events a past view (?at=, ?as_of=) may replay; past this, the request is
// refused (ask about one campaign or one dossier instead).
inline constexpr std::uint64_t pastViewEventsMax = 2'000'000;

// Live SSE streams open at once; one more is answered 503.
inline constexpr std::size_t sseSubscribersMax = 512;

// An idempotency key (Idempotency-Key, --command-id), scoped by the caller:
// "<subject>/<key>" is what the log stores, within the store's command-id
// limit.
inline constexpr std::size_t idempotencyKeyBytesMax = 64;
inline constexpr std::size_t subjectBytesMax = 128;
static_assert(subjectBytesMax + 1 + idempotencyKeyBytesMax <= limits::metadataIdBytesMax,
              "a scoped idempotency key must fit the store's command id");

}  // namespace parcours::adapters
