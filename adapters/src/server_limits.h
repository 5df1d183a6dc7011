// Every limit of the server's entry points, in one place: what one request,
// one connection or one queue may hold. Beyond a limit a request gets a
// specific refusal (413, 400, 503 with Retry-After), never more memory.
// Unit last in every name (TigerBeetle's style): `_bytes_max`, `Max` counts.
// The layers below have theirs: parcours/store/limits.h (the log) and
// parcours/workflows/limits.h (ids, input files).
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

// Reading the log for a client: events in one page of GET /v1/events (and
// the RPC's events), and events one such call examines for its filter
// before it answers with what it found and where to resume. An SSE
// subscriber catching up from the store examines at most
// sseCatchUpScanMax events per turn of the loop, so one far-behind
// subscriber never holds the loop.
inline constexpr std::size_t eventsPageMax = 1000;
inline constexpr std::size_t eventsScanMax = 10'000;
inline constexpr std::size_t sseCatchUpScanMax = 4096;
static_assert(eventsPageMax <= eventsScanMax, "a full page must be reachable in one scan");
static_assert(eventsScanMax <= limits::eventsPerReadMax);

// Webhooks (docs/webhooks.md): a subscription's URL and description; a page
// of the list; events one delivery carries; the bytes of a receiver's
// answer read (then dropped); events GET /v1/webhooks/{id}/events examines.
// The backlog of a slow receiver is not in memory: each subscription keeps
// a cursor in the log and reads at most webhookBatchEventsMax at a time.
inline constexpr std::size_t webhookUrlBytesMax = 2048;
inline constexpr std::size_t webhookDescriptionBytesMax = 500;
inline constexpr std::size_t webhookPageMax = 1000;
inline constexpr std::size_t webhookBatchEventsMax = 256;
inline constexpr std::uint64_t webhookReplyBytesMax = 64 * 1024;
inline constexpr std::size_t webhookEventsScanMax = eventsScanMax;
static_assert(webhookBatchEventsMax <= eventsPageMax);

// NATS read replicas (docs/nats.md): events one replica batch holds (one
// verified, synced write), and batches queued between the follower and the
// writer; past it, the follower waits (back-pressure). The publisher keeps
// no backlog: it reads the log from its checkpoint.
inline constexpr std::size_t replicaBatchEventsMax = 8192;
inline constexpr std::size_t replicaBatchesQueuedMax = 2;
static_assert(replicaBatchEventsMax <= limits::eventsPerBatchMax,
              "a replica's batch is no larger than the primary's own");

}  // namespace parcours::adapters
