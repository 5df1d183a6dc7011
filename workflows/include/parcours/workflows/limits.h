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

// A campaign's form (docs/forms.md) and the answers to it. A form's fields
// are the keys of one answers object, and a group's field sits deeper in a
// definition file than any other value: both documents are read with these
// in place of the two limits above.
inline constexpr std::size_t formFieldsMax = 500;        // in a form, group fields included
inline constexpr std::size_t formNestingDepthMax = 12;   // a group field's choices: 10
// The answers a submission records, clear and personal together, in
// canonical JSON: refused past it at /answers, so the DossierSubmitted that
// carries them (with the sealing's overhead and the application) stays under
// one event's payload.
inline constexpr std::size_t answersBytesMax = 24 * 1024;
// Beside them: the application's three texts and the contact's three (sealed,
// with their overhead), its strands, the event's own fields.
static_assert(answersBytesMax + 6 * stringBytesMax + listItemsMax * idBytesMax + 2048 <
                  limits::payloadBytesMax,
              "the answers at their limit, beside an application at its limits, fit one event");

// Documents (docs/documents.md). A form's attachment field may allow files
// up to the ceiling; a server takes at most --document-max-bytes per file
// (default documentBytesDefault) and --dossier-documents-max-bytes per
// dossier (default dossierDocumentsBytesDefault), whatever the form says.
inline constexpr std::uint64_t documentBytesCeiling = 1ULL << 30;
inline constexpr std::uint64_t documentBytesDefault = 20ULL << 20;
inline constexpr std::uint64_t dossierDocumentsBytesDefault = 200ULL << 20;
// A dossier's documents, all fields together: each is a line of its
// DossierSubmitted (name, type, hash), which one event's payload bounds.
inline constexpr std::size_t documentsPerDossierMax = 20;
inline constexpr std::size_t documentNameBytesMax = 128;  // a file name
inline constexpr std::size_t contentTypeBytesMax = 64;    // "application/vnd.oasis...": libmagic's are shorter
// What a server collects (docs/documents.md): drafts a week after their
// campaign closed to submissions, uploads and documents nothing holds a day
// after they were stored (an upload cut off, a draft discarded).
inline constexpr std::int64_t draftGraceMicros = 7LL * 24 * 3600 * 1'000'000;
inline constexpr std::int64_t documentGraceMicros = 24LL * 3600 * 1'000'000;
static_assert(answersBytesMax + 6 * stringBytesMax + listItemsMax * idBytesMax + 2048 +
                      documentsPerDossierMax *
                          (documentNameBytesMax + idBytesMax + contentTypeBytesMax + 64 + 8 + 24) <
                  limits::payloadBytesMax,
              "the documents' lines fit the submission's event beside everything else");

}  // namespace parcours::workflows
