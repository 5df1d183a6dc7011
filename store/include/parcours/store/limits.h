// Every limit of the event log, in one place (TigerBeetle style: a limit on
// everything, the unit last). Each is enforced where the input enters the
// store, with an InvalidInput error naming the limit and the value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parcours::limits {

// Stream ids are short printable names such as "dossier-2020-000123".
inline constexpr std::size_t streamIdBytesMax = 200;
// Event types are past-tense names such as "DossierSubmitted".
inline constexpr std::size_t eventTypeBytesMax = 100;
// Actor, command, correlation and causation ids.
inline constexpr std::size_t metadataIdBytesMax = 200;
// One domain event's payload (a Cap'n Proto message). Dossiers carry summaries,
// not attachments: 64 KiB is generous and keeps a batch in memory small.
inline constexpr std::size_t payloadBytesMax = 64 * 1024;
// Events in one append request (across all its streams).
inline constexpr std::size_t eventsPerAppendMax = 1000;
// Streams touched by one atomic append.
inline constexpr std::size_t streamsPerAppendMax = 16;
// Requests the writer folds into one WriteBatch (one fsync).
inline constexpr std::size_t requestsPerBatchMax = 1024;
// Events the writer folds into one WriteBatch.
inline constexpr std::size_t eventsPerBatchMax = 8192;
// Requests waiting for the writer; past this, append() blocks its caller
// (back-pressure) rather than growing memory without bound.
inline constexpr std::size_t appendQueueRequestsMax = 4096;
// Events returned by one read call.
inline constexpr std::size_t eventsPerReadMax = 100000;

static_assert(eventsPerAppendMax <= eventsPerBatchMax, "one request must fit in one batch");
static_assert(streamsPerAppendMax <= eventsPerAppendMax);
static_assert(requestsPerBatchMax <= appendQueueRequestsMax);

}  // namespace parcours::limits
