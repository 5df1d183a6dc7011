#include "request_validation.h"

#include <set>

#include "parcours/store/limits.h"

namespace parcours::store {
namespace {

bool isIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

Status checkLength(std::string_view what, std::string_view value, std::size_t max) {
  if (value.size() > max) {
    return Error::invalidInput(std::string(what) + " is " + std::to_string(value.size()) +
                               " bytes; the limit is " + std::to_string(max));
  }
  return okStatus();
}

}  // namespace

Status validateStreamId(std::string_view streamId) {
  if (streamId.empty()) return Error::invalidInput("stream id is empty");
  if (auto s = checkLength("stream id", streamId, limits::streamIdBytesMax); !s) return s;
  for (char c : streamId) {
    if (!isIdChar(c)) {
      return Error::invalidInput("stream id \"" + std::string(streamId) +
                                 "\" has a character outside [A-Za-z0-9_.:-]");
    }
  }
  return okStatus();
}

Status validateAppendRequest(const AppendRequest& request) {
  if (request.streams.empty()) return Error::invalidInput("append names no stream");
  if (request.streams.size() > limits::streamsPerAppendMax) {
    return Error::invalidInput("append touches " + std::to_string(request.streams.size()) +
                               " streams; the limit is " +
                               std::to_string(limits::streamsPerAppendMax));
  }
  const AppendContext& c = request.context;
  for (auto [what, value] :
       {std::pair<std::string_view, std::string_view>{"command id", c.commandId},
        {"actor", c.actor},
        {"correlation id", c.correlationId},
        {"causation id", c.causationId}}) {
    if (auto s = checkLength(what, value, limits::metadataIdBytesMax); !s) return s;
  }
  std::set<std::string_view> seen;
  std::size_t events = 0;
  for (const StreamWrite& write : request.streams) {
    if (auto s = validateStreamId(write.streamId); !s) return s;
    if (!seen.insert(write.streamId).second) {
      return Error::invalidInput("stream \"" + write.streamId +
                                 "\" appears twice in one append; put its events in one entry");
    }
    if (write.events.empty()) {
      return Error::invalidInput("append to stream \"" + write.streamId + "\" has no event");
    }
    events += write.events.size();
    for (const NewEvent& e : write.events) {
      if (e.eventType.empty()) {
        return Error::invalidInput("an event for stream \"" + write.streamId + "\" has no type");
      }
      if (auto s = checkLength("event type", e.eventType, limits::eventTypeBytesMax); !s) return s;
      if (auto s = checkLength("payload of " + e.eventType, e.payload, limits::payloadBytesMax);
          !s) {
        return s;
      }
    }
  }
  if (events > limits::eventsPerAppendMax) {
    return Error::invalidInput("append has " + std::to_string(events) + " events; the limit is " +
                               std::to_string(limits::eventsPerAppendMax));
  }
  return okStatus();
}

}  // namespace parcours::store
