// Every limit of the workflow layer, in one place, checked against the
// store's (parcours/store/limits.h) where one feeds the other: an id the
// workflow accepts, with its stream prefix, must be a stream id the store
// accepts. Unit last in every name, as in the store's.
#pragma once

#include <cstddef>
#include <string_view>

#include "parcours/store/limits.h"

namespace parcours::workflows {

// Campaign, dossier, juror and criterion ids: [A-Za-z0-9_-], 1 to 64 bytes
// (validateId). Short enough for a URL path and a CSV cell.
inline constexpr std::size_t idBytesMax = 64;

// The streams a dossier and a campaign live in: prefix + id (names.h).
inline constexpr std::string_view dossierStreamPrefix = "dossier-";
inline constexpr std::string_view campaignStreamPrefix = "campaign-";
static_assert(dossierStreamPrefix.size() + idBytesMax <= limits::streamIdBytesMax,
              "every valid dossier id must make a stream id the store accepts");
static_assert(campaignStreamPrefix.size() + idBytesMax <= limits::streamIdBytesMax,
              "every valid campaign id must make a stream id the store accepts");
// An id is also an actor or juror id in an event's metadata: it fits there.
static_assert(idBytesMax <= limits::metadataIdBytesMax);

// Input files (campaign definitions, applications, jury, scores): what one
// JSON document may hold (json_input.h). Past any, the file is refused with
// the limit named.
inline constexpr std::size_t documentBytesMax = 1024 * 1024;  // one file
inline constexpr std::size_t listItemsMax = 100;              // any list
inline constexpr std::size_t stringBytesMax = 4096;           // any string
inline constexpr std::size_t fieldsPerObjectMax = 32;         // more than any object has
inline constexpr std::size_t nestingDepthMax = 8;             // deeper than any format needs
static_assert(stringBytesMax <= limits::payloadBytesMax / 4,
              "a few strings at their limit must fit one event's payload");

}  // namespace parcours::workflows
