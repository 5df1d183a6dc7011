// Value types of the event log: what goes in, what comes out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::store {

// Global position of an event in the log. The first event is at 1; 0 means
// "before the first event" (an empty log's head, or "read from the start").
using Position = std::uint64_t;

// Version of a stream: the number of events in it. The first event makes
// version 1; 0 means the stream does not exist yet.
using StreamVersion = std::uint64_t;

// What the caller believes about a stream when appending to it. A mismatch
// fails the whole append with ErrorCode::Conflict and writes nothing.
class ExpectedVersion {
 public:
  enum class Kind : std::uint8_t { Any, NoStream, Exact };

  static ExpectedVersion any() { return {Kind::Any, 0}; }
  static ExpectedVersion noStream() { return {Kind::NoStream, 0}; }
  // exactly(0) is the same as noStream().
  static ExpectedVersion exactly(StreamVersion v) { return {Kind::Exact, v}; }

  Kind kind() const { return kind_; }
  StreamVersion version() const { return version_; }
  bool matches(StreamVersion actual) const;
  // "any version", "no stream yet", "version 7": for error messages.
  std::string describe() const;

 private:
  ExpectedVersion(Kind kind, StreamVersion version) : kind_(kind), version_(version) {}
  Kind kind_;
  StreamVersion version_;
};

// A domain event about to be appended. The payload is opaque bytes (a Cap'n
// Proto message of the workflow's schema).
struct NewEvent {
  std::string eventType;
  std::string payload;
};

// The events for one stream inside an append, with that stream's expectation.
struct StreamWrite {
  std::string streamId;
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<NewEvent> events;
};

// Metadata shared by every event of one append.
struct AppendContext {
  // Idempotency key: an append whose command id was already written returns
  // the original result and writes nothing. Empty disables deduplication.
  std::string commandId;
  std::string actor;
  std::string correlationId;
  std::string causationId;
  // When the command was decided, in microseconds since the Unix epoch (UTC).
  std::int64_t recordedAtMicros = 0;
};

// One append: events for one or more streams, atomic as a whole.
struct AppendRequest {
  std::vector<StreamWrite> streams;
  AppendContext context;
};

struct StreamAppendResult {
  std::string streamId;
  StreamVersion firstVersion = 0;
  StreamVersion lastVersion = 0;
  std::vector<Position> positions;  // one per event, in order
};

struct AppendResult {
  Position firstPosition = 0;
  Position lastPosition = 0;
  std::vector<StreamAppendResult> streams;  // in request order
  // True when this answer is the original result of an earlier append with
  // the same command id: nothing was written this time.
  bool deduplicated = false;
};

// An event as stored, decoded from its envelope.
struct RecordedEvent {
  Position position = 0;
  std::string streamId;
  StreamVersion streamVersion = 0;
  std::string eventType;
  std::int64_t recordedAtMicros = 0;
  std::string actor;
  std::string commandId;
  std::string correlationId;
  std::string causationId;
  std::string payload;
  std::string prevHash;
  std::string hash;

  bool operator==(const RecordedEvent&) const = default;
};

struct EventView;
// A view of a recorded event (valid while `event` lives).
EventView viewOf(const RecordedEvent& event);

// An event as stored, seen in place without copying: valid only during the
// call that receives it. Copy what you keep (toRecorded()).
struct EventView {
  Position position = 0;
  std::string_view streamId;
  StreamVersion streamVersion = 0;
  std::string_view eventType;
  std::int64_t recordedAtMicros = 0;
  std::string_view actor;
  std::string_view commandId;
  std::string_view correlationId;
  std::string_view causationId;
  std::string_view payload;
  std::string_view prevHash;
  std::string_view hash;
  // The whole envelope as stored (empty when the view was not read from
  // the store): verify checks it is exactly the event's encoding.
  std::string_view stored;

  void copyTo(RecordedEvent& out) const;
  RecordedEvent toRecorded() const;
};

enum class Direction : std::uint8_t { Forward, Backward };

}  // namespace parcours::store
