#include "parcours/store/envelope_codec.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "envelope_body.h"
#include "parcours/store/hash_chain.h"
#include "parcours/store/limits.h"
#include "parcours/store/schema/envelope.capnp.h"

namespace parcours::store::codec {
namespace {

capnp::Data::Reader asData(std::string_view bytes) {
  return {reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()};
}

// Text from a view that need not be NUL-terminated.
void setText(capnp::Text::Builder out, std::string_view text) {
  if (!text.empty()) std::memcpy(out.begin(), text.data(), text.size());
}

std::string toString(capnp::Text::Reader text) {
  return {text.cStr(), text.size()};
}

std::string flatten(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const char> chars = words.asChars();
  return {chars.begin(), chars.size()};
}

// Runs `decode` over the message in `bytes`. Cap'n Proto needs word-aligned
// input and RocksDB values carry no alignment promise, so the bytes are
// copied into an aligned scratch buffer first. Any Cap'n Proto complaint
// (truncated segment table, pointer out of bounds...) becomes Corruption.
template <typename Fn>
auto withMessage(std::string_view bytes, const ValueLocation& where, Fn&& decode)
    -> decltype(decode(std::declval<capnp::FlatArrayMessageReader&>())) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Error::corruption("stored value at " + where.describe() + " is " +
                             std::to_string(bytes.size()) +
                             " bytes, not a whole Cap'n Proto message (truncated?)");
  }
  // Aligned values are read in place; others are copied, on the stack when
  // small (every envelope of an ordinary payload), else on the heap.
  constexpr std::size_t stackWords = 256;
  const std::size_t wordCount = bytes.size() / sizeof(capnp::word);
  capnp::word stackCopy[stackWords];
  std::unique_ptr<capnp::word[]> heapCopy;
  const capnp::word* start = reinterpret_cast<const capnp::word*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(capnp::word) != 0) {
    capnp::word* copy = stackCopy;
    if (wordCount > stackWords) {
      heapCopy = std::make_unique<capnp::word[]>(wordCount);
      copy = heapCopy.get();
    }
    std::memcpy(copy, bytes.data(), bytes.size());
    start = copy;
  }
  kj::ArrayPtr<const capnp::word> words(start, wordCount);
  try {
    capnp::FlatArrayMessageReader reader(words);
    if (reader.getEnd() != words.end()) {
      return Error::corruption("stored value at " + where.describe() +
                               " has trailing bytes after its message");
    }
    return decode(reader);
  } catch (const kj::Exception& e) {
    return Error::corruption(
        "stored value at " + where.describe() +
        " is not a valid Cap'n Proto message: " + std::string(e.getDescription().cStr()));
  }
}

}  // namespace

unsigned envelopeSegmentWords(const EventView& event) {
  const std::size_t textBytes = event.streamId.size() + event.eventType.size() +
                                event.actor.size() + event.commandId.size() +
                                event.correlationId.size() + event.causationId.size() +
                                event.payload.size() + 2 * chain::hashBytes;
  // The same for an event before and after its hashes are set, so that the
  // writer's one-pass encoding and encodeEnvelope give the same bytes.
  return static_cast<unsigned>(32 + textBytes / 8 + 12);
}

void fillEnvelopeBody(schema::Envelope::Builder envelope, const EventView& event) {
  envelope.setPosition(event.position);
  setText(envelope.initStreamId(static_cast<unsigned>(event.streamId.size())), event.streamId);
  envelope.setStreamVersion(event.streamVersion);
  setText(envelope.initEventType(static_cast<unsigned>(event.eventType.size())), event.eventType);
  envelope.setRecordedAtMicros(event.recordedAtMicros);
  setText(envelope.initActor(static_cast<unsigned>(event.actor.size())), event.actor);
  setText(envelope.initCommandId(static_cast<unsigned>(event.commandId.size())), event.commandId);
  setText(envelope.initCorrelationId(static_cast<unsigned>(event.correlationId.size())), event.correlationId);
  setText(envelope.initCausationId(static_cast<unsigned>(event.causationId.size())), event.causationId);
  envelope.setPayload(asData(event.payload));
}

std::string encodeEnvelope(const RecordedEvent& event) {
  const EventView view = viewOf(event);
  capnp::MallocMessageBuilder message(envelopeSegmentWords(view));
  auto envelope = message.initRoot<schema::Envelope>();
  fillEnvelopeBody(envelope, view);
  envelope.setPrevHash(asData(event.prevHash));
  envelope.setHash(asData(event.hash));
  return flatten(message);
}

std::string encodeChainedEnvelope(const EventView& event, std::string& hash) {
  capnp::MallocMessageBuilder message(envelopeSegmentWords(event));
  auto envelope = message.initRoot<schema::Envelope>();
  fillEnvelopeBody(envelope, event);
  // Hashed before the two hash fields exist: that is the canonical body.
  kj::Array<capnp::word> canonical = capnp::canonicalize(envelope.asReader());
  kj::ArrayPtr<const char> body = canonical.asChars();
  hash = chain::sha256({event.prevHash, std::string_view(body.begin(), body.size())});
  envelope.setPrevHash(asData(event.prevHash));
  envelope.setHash(asData(hash));
  return flatten(message);
}

std::string encodeChainedEnvelope(RecordedEvent& event, const std::string& prevHash) {
  event.prevHash = prevHash;
  event.hash.clear();
  return encodeChainedEnvelope(viewOf(event), event.hash);
}

std::string ValueLocation::describe() const {
  switch (family) {
    case Family::Events:
      return "events/position " + std::to_string(number);
    case Family::Streams:
      return "streams/" + std::string(streamId) + "@" + std::to_string(number);
    case Family::Meta:
      return "meta/" + std::string(streamId);
    case Family::None:
      break;
  }
  return "(input)";
}

Status visitEnvelope(std::string_view bytes, const ValueLocation& where,
                     const std::function<Status(const EventView&)>& visit) {
  return withMessage(bytes, where, [&](capnp::FlatArrayMessageReader& reader) -> Status {
    auto envelope = reader.getRoot<schema::Envelope>();
    auto view = [](auto blob) {
      return std::string_view(reinterpret_cast<const char*>(blob.begin()), blob.size());
    };
    EventView event;
    event.position = envelope.getPosition();
    event.streamId = view(envelope.getStreamId());
    event.streamVersion = envelope.getStreamVersion();
    event.eventType = view(envelope.getEventType());
    event.recordedAtMicros = envelope.getRecordedAtMicros();
    event.actor = view(envelope.getActor());
    event.commandId = view(envelope.getCommandId());
    event.correlationId = view(envelope.getCorrelationId());
    event.causationId = view(envelope.getCausationId());
    event.payload = view(envelope.getPayload());
    event.prevHash = view(envelope.getPrevHash());
    event.hash = view(envelope.getHash());
    event.stored = bytes;
    if (event.position == 0 || event.streamVersion == 0 || event.streamId.empty() ||
        event.eventType.empty()) {
      return Error::corruption("stored value at " + where.describe() +
                               " decodes to an envelope without position, stream or type");
    }
    const bool misplaced =
        (where.family == ValueLocation::Family::Events && event.position != where.number) ||
        (where.family == ValueLocation::Family::Streams &&
         (event.streamId != where.streamId || event.streamVersion != where.number));
    if (misplaced) {
      return Error::corruption("stored value at " + where.describe() + " holds the event " +
                               std::string(event.streamId) + "@" +
                               std::to_string(event.streamVersion) + " at position " +
                               std::to_string(event.position));
    }
    return visit(event);
  });
}

Result<RecordedEvent> decodeEnvelope(std::string_view bytes, const ValueLocation& where) {
  RecordedEvent event;
  auto s = visitEnvelope(bytes, where, [&](const EventView& view) {
    view.copyTo(event);
    return okStatus();
  });
  if (!s) return s.error();
  return event;
}

std::string encodeCommandRecord(const AppendResult& result) {
  capnp::MallocMessageBuilder message;
  auto record = message.initRoot<schema::CommandRecord>();
  record.setFirstPosition(result.firstPosition);
  record.setLastPosition(result.lastPosition);
  auto streams = record.initStreams(static_cast<unsigned>(result.streams.size()));
  for (unsigned i = 0; i < result.streams.size(); ++i) {
    const StreamAppendResult& s = result.streams[i];
    auto out = streams[i];
    out.setStreamId(s.streamId);
    out.setFirstVersion(s.firstVersion);
    out.setLastVersion(s.lastVersion);
    auto positions = out.initPositions(static_cast<unsigned>(s.positions.size()));
    for (unsigned p = 0; p < s.positions.size(); ++p) positions.set(p, s.positions[p]);
  }
  return flatten(message);
}

Result<AppendResult> decodeCommandRecord(std::string_view bytes, const ValueLocation& where) {
  return withMessage(
      bytes, where, [&](capnp::FlatArrayMessageReader& reader) -> Result<AppendResult> {
        auto record = reader.getRoot<schema::CommandRecord>();
        // No append writes more (request_validation.cc). A record that claims
        // more is damage, and a list of empty structs can claim millions of
        // them in a few bytes: refuse it before building them.
        std::size_t positions = 0;
        for (auto s : record.getStreams()) positions += s.getPositions().size();
        if (record.getStreams().size() > limits::streamsPerAppendMax ||
            positions > limits::eventsPerAppendMax) {
          return Error::corruption("command record at " + where.describe() + " claims " +
                                   std::to_string(record.getStreams().size()) + " streams and " +
                                   std::to_string(positions) +
                                   " positions, more than one append writes");
        }
        AppendResult result;
        result.firstPosition = record.getFirstPosition();
        result.lastPosition = record.getLastPosition();
        for (auto s : record.getStreams()) {
          StreamAppendResult out;
          out.streamId = toString(s.getStreamId());
          out.firstVersion = s.getFirstVersion();
          out.lastVersion = s.getLastVersion();
          for (auto p : s.getPositions()) out.positions.push_back(p);
          result.streams.push_back(std::move(out));
        }
        if (result.firstPosition == 0 || result.lastPosition < result.firstPosition) {
          return Error::corruption("command record at " + where.describe() +
                                   " has no valid position range");
        }
        return result;
      });
}

}  // namespace parcours::store::codec
