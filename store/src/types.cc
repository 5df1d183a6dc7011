#include "parcours/store/types.h"

namespace parcours::store {

bool ExpectedVersion::matches(StreamVersion actual) const {
  switch (kind_) {
    case Kind::Any:
      return true;
    case Kind::NoStream:
      return actual == 0;
    case Kind::Exact:
      return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::describe() const {
  switch (kind_) {
    case Kind::Any:
      return "any version";
    case Kind::NoStream:
      return "no stream yet";
    case Kind::Exact:
      return version_ == 0 ? "no stream yet" : "version " + std::to_string(version_);
  }
  return "?";
}

void EventView::copyTo(RecordedEvent& out) const {
  out.position = position;
  out.streamId.assign(streamId);
  out.streamVersion = streamVersion;
  out.eventType.assign(eventType);
  out.recordedAtMicros = recordedAtMicros;
  out.actor.assign(actor);
  out.commandId.assign(commandId);
  out.correlationId.assign(correlationId);
  out.causationId.assign(causationId);
  out.payload.assign(payload);
  out.prevHash.assign(prevHash);
  out.hash.assign(hash);
}

EventView viewOf(const RecordedEvent& e) {
  return EventView{e.position,      e.streamId,      e.streamVersion, e.eventType,
                   e.recordedAtMicros, e.actor,      e.commandId,     e.correlationId,
                   e.causationId,   e.payload,       e.prevHash,      e.hash, {}};
}

RecordedEvent EventView::toRecorded() const {
  RecordedEvent out;
  copyTo(out);
  return out;
}

}  // namespace parcours::store
