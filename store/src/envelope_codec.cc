#include "parcours/store/envelope_codec.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cstring>
#include <vector>

#include "parcours/store/schema/envelope.capnp.h"

namespace parcours::store::codec {
namespace {

capnp::Data::Reader asData(std::string_view bytes) {
  return {reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()};
}

std::string toString(capnp::Data::Reader data) {
  return {reinterpret_cast<const char*>(data.begin()), data.size()};
}

std::string toString(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

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
auto withMessage(std::string_view bytes, std::string_view where, Fn&& decode)
    -> decltype(decode(std::declval<capnp::FlatArrayMessageReader&>())) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Error::corruption("stored value at " + std::string(where) + " is " +
                             std::to_string(bytes.size()) +
                             " bytes, not a whole Cap'n Proto message (truncated?)");
  }
  thread_local std::vector<capnp::word> scratch;
  scratch.resize(bytes.size() / sizeof(capnp::word));
  std::memcpy(scratch.data(), bytes.data(), bytes.size());
  kj::ArrayPtr<const capnp::word> words(scratch.data(), scratch.size());
  try {
    capnp::FlatArrayMessageReader reader(words);
    if (reader.getEnd() != words.end()) {
      return Error::corruption("stored value at " + std::string(where) +
                               " has trailing bytes after its message");
    }
    return decode(reader);
  } catch (const kj::Exception& e) {
    return Error::corruption("stored value at " + std::string(where) +
                             " is not a valid Cap'n Proto message: " +
                             std::string(e.getDescription().cStr()));
  }
}

}  // namespace

std::string encodeEnvelope(const RecordedEvent& event) {
  // One first segment large enough for the whole envelope: one allocation.
  const std::size_t textBytes = event.streamId.size() + event.eventType.size() +
                                event.actor.size() + event.commandId.size() +
                                event.correlationId.size() + event.causationId.size() +
                                event.payload.size() + event.prevHash.size() +
                                event.hash.size();
  const unsigned firstSegmentWords = static_cast<unsigned>(32 + textBytes / 8 + 12);
  capnp::MallocMessageBuilder message(firstSegmentWords);
  auto envelope = message.initRoot<schema::Envelope>();
  envelope.setPosition(event.position);
  envelope.setStreamId(event.streamId);
  envelope.setStreamVersion(event.streamVersion);
  envelope.setEventType(event.eventType);
  envelope.setRecordedAtMicros(event.recordedAtMicros);
  envelope.setActor(event.actor);
  envelope.setCommandId(event.commandId);
  envelope.setCorrelationId(event.correlationId);
  envelope.setCausationId(event.causationId);
  envelope.setPayload(asData(event.payload));
  envelope.setPrevHash(asData(event.prevHash));
  envelope.setHash(asData(event.hash));
  return flatten(message);
}

Result<RecordedEvent> decodeEnvelope(std::string_view bytes, std::string_view where) {
  return withMessage(bytes, where, [&](capnp::FlatArrayMessageReader& reader) -> Result<RecordedEvent> {
    auto envelope = reader.getRoot<schema::Envelope>();
    RecordedEvent event;
    event.position = envelope.getPosition();
    event.streamId = toString(envelope.getStreamId());
    event.streamVersion = envelope.getStreamVersion();
    event.eventType = toString(envelope.getEventType());
    event.recordedAtMicros = envelope.getRecordedAtMicros();
    event.actor = toString(envelope.getActor());
    event.commandId = toString(envelope.getCommandId());
    event.correlationId = toString(envelope.getCorrelationId());
    event.causationId = toString(envelope.getCausationId());
    event.payload = toString(envelope.getPayload());
    event.prevHash = toString(envelope.getPrevHash());
    event.hash = toString(envelope.getHash());
    if (event.position == 0 || event.streamVersion == 0 || event.streamId.empty() ||
        event.eventType.empty()) {
      return Error::corruption("stored value at " + std::string(where) +
                               " decodes to an envelope without position, stream or type");
    }
    return event;
  });
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

Result<AppendResult> decodeCommandRecord(std::string_view bytes, std::string_view where) {
  return withMessage(bytes, where, [&](capnp::FlatArrayMessageReader& reader) -> Result<AppendResult> {
    auto record = reader.getRoot<schema::CommandRecord>();
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
      return Error::corruption("command record at " + std::string(where) +
                               " has no valid position range");
    }
    return result;
  });
}

}  // namespace parcours::store::codec
