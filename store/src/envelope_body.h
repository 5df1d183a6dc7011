// Filling an envelope builder, shared by the codec (what is stored) and the
// hash chain (what is hashed), so both always agree on the fields.
#pragma once

#include "parcours/store/schema/envelope.capnp.h"
#include "parcours/store/types.h"

namespace parcours::store::codec {

// Every field but prevHash and hash.
void fillEnvelopeBody(schema::Envelope::Builder envelope, const EventView& event);

// Words for a first segment that holds the whole envelope, hashes included:
// one allocation, one segment, so an event's encoding is a function of its
// fields alone.
unsigned envelopeSegmentWords(const EventView& event);

}  // namespace parcours::store::codec
