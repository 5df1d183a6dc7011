#include "event_message.h"

#include <cstdio>

#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::adapters::nats {
namespace {

bool plainSubjectByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':' || c == '-';
}

struct EventIds {
  std::string campaign;
  std::string dossier;
};

// The campaign and dossier an event is about, from its payload. An event
// that is not the domain's (or does not decode) has neither: it is still
// published, under "_".
EventIds idsOf(const store::EventView& event) {
  EventIds ids;
  if (workflows::isDossierEventType(event.eventType)) {
    (void)workflows::readPayload<workflows::schema::DossierEvent>(
        event.payload, "event", [&](workflows::schema::DossierEvent::Reader p) {
          ids.campaign = workflows::toString(p.getCampaignId());
          ids.dossier = workflows::toString(p.getDossierId());
          return okStatus();
        });
  } else if (workflows::isCampaignEventType(event.eventType)) {
    (void)workflows::readPayload<workflows::schema::CampaignEvent>(
        event.payload, "event", [&](workflows::schema::CampaignEvent::Reader p) {
          ids.campaign = workflows::toString(p.getCampaignId());
          return okStatus();
        });
  }
  return ids;
}

Status setHeader(natsMsg* message, const char* key, const std::string& value) {
  natsStatus s = natsMsgHeader_Set(message, key, value.c_str());
  if (s != NATS_OK) return natsError(s, std::string("setting the message header ") + key);
  return okStatus();
}

}  // namespace

std::string subjectToken(std::string_view id) {
  if (id.empty()) return "_";
  std::string out;
  out.reserve(id.size());
  for (char c : id) {
    if (plainSubjectByte(c)) {
      out.push_back(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      out += escaped;
    }
  }
  return out;
}

std::string subjectOf(const std::string& prefix, const store::EventView& event) {
  const EventIds ids = idsOf(event);
  return prefix + "." + subjectToken(ids.campaign) + "." + subjectToken(event.eventType) + "." +
         subjectToken(ids.dossier);
}

Result<MessagePtr> toMessage(const std::string& prefix, const store::EventView& event,
                             const std::string& primaryUrl) {
  natsMsg* raw = nullptr;
  const std::string subject = subjectOf(prefix, event);
  natsStatus s = natsMsg_Create(&raw, subject.c_str(), nullptr, event.stored.data(),
                                static_cast<int>(event.stored.size()));
  if (s != NATS_OK) return natsError(s, "making the message for position " + std::to_string(event.position));
  MessagePtr message(raw);
  for (auto [key, value] :
       {std::pair{header::position, std::to_string(event.position)},
        std::pair{header::type, std::string(event.eventType)},
        std::pair{header::stream, std::string(event.streamId)},
        std::pair{header::version, std::to_string(event.streamVersion)},
        std::pair{header::hash, store::chain::toHex(event.hash)},
        std::pair{header::prevHash, store::chain::toHex(event.prevHash)}}) {
    if (auto set = setHeader(raw, key, value); !set) return set.error();
  }
  if (!primaryUrl.empty()) {
    if (auto set = setHeader(raw, header::primary, primaryUrl); !set) return set.error();
  }
  return message;
}

Result<CarriedEvent> carriedEvent(natsMsg* message) {
  CarriedEvent out;
  out.data = std::string_view(natsMsg_GetData(message),
                              static_cast<std::size_t>(natsMsg_GetDataLength(message)));
  auto decoded = store::codec::visitEnvelope(out.data, store::codec::ValueLocation{},
                                             [&](const store::EventView& event) {
                                               out.position = event.position;
                                               out.hash = std::string(event.hash);
                                               return okStatus();
                                             });
  if (!decoded) {
    return Error::corruption("a message that is not a parcours envelope: " +
                             decoded.error().message);
  }
  return out;
}

}  // namespace parcours::adapters::nats
