#include "workload.h"

#include <unistd.h>

#include "parcours/store/envelope_codec.h"

namespace parcours::bench {

ScratchDir::ScratchDir(const Settings& settings, const std::string& name)
    : path_(settings.workDir / (name + "-" + std::to_string(::getpid()))) {
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string makePayload(std::size_t bytes, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string payload(bytes, '\0');
  for (char& c : payload) c = static_cast<char>(random());
  return payload;
}

std::string envelopeFor(store::Position position, const std::string& streamId,
                        store::StreamVersion version, const std::string& payload) {
  store::RecordedEvent event;
  event.position = position;
  event.streamId = streamId;
  event.streamVersion = version;
  event.eventType = benchEventType;
  event.recordedAtMicros = 1591221599000000;
  event.actor = "bench";
  event.payload = payload;
  return store::codec::encodeEnvelope(event);
}

}  // namespace parcours::bench
