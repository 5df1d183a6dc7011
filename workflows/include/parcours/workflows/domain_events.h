// Encoding and decoding the domain events' Cap'n Proto payloads
// (workflows/schema/events.capnp), and their type names.
//
// The envelope's event type is the union member's name in TitleCase
// ("DossierSubmitted"); the payload is a flat Cap'n Proto message whose root
// is a DossierEvent or a CampaignEvent.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "parcours/store/limits.h"
#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/schema/events.capnp.h"

namespace parcours::workflows {

std::string_view eventTypeName(schema::DossierEvent::Which which);
std::string_view eventTypeName(schema::CampaignEvent::Which which);
bool isDossierEventType(std::string_view type);
// The state a dossier event leads to, or nullopt for a step within a state
// (a score, a vote, an audition scheduled): the one mapping of dossier
// events to states, shared by the stream's fold and the views.
std::optional<DossierStatus> statusAfter(schema::DossierEvent::Reader event);
// The phase a PhaseChanged event names.
Phase readPhase(schema::Phase phase);
bool isCampaignEventType(std::string_view type);

// The message's bytes, ready to be a payload.
std::string flattenMessage(capnp::MessageBuilder& message);

// An application and a vote choice from their schema form.
Application readApplication(schema::Application::Reader in);
VoteChoice readChoice(schema::VoteChoice choice);
JuryRole readJuryRole(schema::JuryRole role);
// ... and back.
void writeApplication(const Application& application, schema::Application::Builder out);
schema::VoteChoice writeChoice(VoteChoice choice);
schema::JuryRole writeJuryRole(JuryRole role);
schema::Phase writePhase(Phase phase);

// Money as the log records it. Every command checks its amounts are within
// [0, centsMax] before it is decided, so a recorded amount outside is
// Corruption (a damaged or forged log), refused by the folds before any sum
// of amounts can overflow. `what` names the field in the message.
Status checkRecordedCents(std::string_view what, std::int64_t cents);

// Every Text field of an event about to be appended holds UTF-8: the log's
// text ends up in JSON, CSV and other languages' readers. Whichever door a
// command came through (a flag, a file, HTTP, RPC), its text passes here.
// InvalidInput names the field ("reason: not valid UTF-8 text").
Status checkEventText(const DomainEvent& event);
// The same check on an application kept outside the log (a draft, drafts.h).
Status checkApplicationText(const Application& application);

// Rules to and from their schema form.
void writeRules(const CampaignRules& rules, schema::CampaignRules::Builder out);
CampaignRules readRules(schema::CampaignRules::Reader in);

inline std::string toString(capnp::Text::Reader text) {
  return {text.cStr(), text.size()};
}

// Runs `read(Root::Reader)` over the payload. Cap'n Proto wants word-aligned
// input and stored values promise none, so unaligned bytes are copied first.
// A payload that is not a valid message of that root (truncated, pointers
// out of bounds, or a Cap'n Proto complaint while `read` walks it) is
// Corruption naming `what`. `read` returns Status or Result<T>.
template <typename Root, typename Fn>
auto readPayload(std::string_view bytes, std::string_view what, Fn&& read)
    -> decltype(read(std::declval<typename Root::Reader>())) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Error::corruption(std::string(what) + ": payload of " + std::to_string(bytes.size()) +
                             " bytes is not a whole Cap'n Proto message");
  }
  const std::size_t wordCount = bytes.size() / sizeof(capnp::word);
  std::unique_ptr<capnp::word[]> copy;
  const auto* start = reinterpret_cast<const capnp::word*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(capnp::word) != 0) {
    copy = std::make_unique<capnp::word[]>(wordCount);
    std::memcpy(copy.get(), bytes.data(), bytes.size());
    start = copy.get();
  }
  kj::ArrayPtr<const capnp::word> words(start, wordCount);
  // No payload is over limits::payloadBytesMax and no reader reads a part
  // of one 64 times. Cap'n Proto's default budget (64 MiB of reads) would
  // let a few damaged bytes claiming a long list of empty structs expand
  // into millions of elements in the folds and the views.
  capnp::ReaderOptions options;
  options.traversalLimitInWords = 64 * limits::payloadBytesMax / sizeof(capnp::word);
  try {
    capnp::FlatArrayMessageReader reader(words, options);
    return read(reader.getRoot<Root>());
  } catch (const kj::Exception& e) {
    return Error::corruption(std::string(what) +
                             ": payload does not decode: " + e.getDescription().cStr());
  }
}

}  // namespace parcours::workflows
