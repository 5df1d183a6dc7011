// Instants and the time zones campaign deadlines are written in.
//
// Deadlines are local times in a named zone ("2020-06-19T23:59:59" in
// Europe/Paris); decisions compare instants (µs since the Unix epoch, UTC)
// and refusals print instants back in the campaign's zone with their offset
// ("2020-06-20T00:00:01+02:00"). The zone database is the OS's (tzdata),
// read through Howard Hinnant's date library (what became C++20 <chrono>
// time zones; g++ 12 lacks std::chrono::locate_zone).
//
// C++17 on purpose: the Boost.MSM translation unit includes this header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::workflows {

// "2020-06-19T23:59:59" (seconds optional: "2020-06-19T23:59") in `zone`
// to an instant. InvalidInput for an unknown zone, a malformed time, a local
// time that does not exist (skipped by a daylight-saving change) or one that
// is ambiguous (repeated by it); the message says which.
Result<std::int64_t> parseLocalTime(std::string_view local, std::string_view zone);

// An RFC 3339 instant with its offset or Z ("2020-06-20T00:00:01+02:00",
// "2020-06-19T22:00:01Z", fractional seconds allowed) to µs since epoch.
Result<std::int64_t> parseInstant(std::string_view text);

// The instant in `zone`, RFC 3339 with the zone's offset at that instant,
// to the second: "2020-06-20T00:00:01+02:00". An unknown zone prints UTC.
std::string formatInZone(std::int64_t micros, std::string_view zone);

// The instant in UTC, RFC 3339 to the microsecond: "2020-06-19T22:00:01.000000Z".
std::string formatUtc(std::int64_t micros);

// Checks that `zone` is a zone the database knows.
Status validateTimeZone(std::string_view zone);

}  // namespace parcours::workflows
