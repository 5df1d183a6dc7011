# The envelope of every event stored in the parcours log.
#
# A stored value in the `events` and `streams` column families is exactly one
# Cap'n Proto message (standard framing: segment table, then segments) whose
# root is an Envelope. The official tool decodes it:
#   capnp decode store/schema/envelope.capnp Envelope < value.bin
#
# Schema evolution: add fields with new ordinals only; never renumber, retype
# or rename a field (see store/FORMAT.md).
@0x9b958540d6ae5bba;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("parcours::store::schema");

struct Envelope {
  position @0 :UInt64;
  # Global position in the log: 1 for the first event, then +1, no gaps.

  streamId @1 :Text;
  # The stream (aggregate instance) this event belongs to, e.g. "dossier-42".

  streamVersion @2 :UInt64;
  # Version of the stream after this event: 1 for its first event, no gaps.

  eventType @3 :Text;
  # Past-tense name of the domain event, e.g. "DossierSubmitted".

  recordedAtMicros @4 :Int64;
  # When the command that produced the event was decided, in microseconds
  # since 1970-01-01T00:00:00Z. Comes from the injected clock, so a replay
  # sees the same time.

  actor @5 :Text;
  # Who asked for it (a subject id, never a token).

  commandId @6 :Text;
  # The idempotency key of the append that wrote this event (may be empty).

  correlationId @7 :Text;
  causationId @8 :Text;
  # Correlation: the conversation this event belongs to; causation: the
  # message (command or event id) that directly caused it.

  payload @9 :Data;
  # The domain event: a Cap'n Proto message of the workflow's own schema.
  # Opaque to the store.

  prevHash @10 :Data;
  hash @11 :Data;
  # The hash chain (store/include/parcours/store/hash_chain.h): hash is
  # SHA-256 over prevHash and the envelope's Cap'n Proto canonical form with
  # these two fields unset; prevHash is the previous event's hash (32 zero
  # bytes for the first event).
}

struct CommandRecord {
  # The answer to an append, kept under its command id in the `meta` family
  # so that a repeated command returns the original result and writes nothing.
  firstPosition @0 :UInt64;
  lastPosition @1 :UInt64;
  streams @2 :List(StreamRange);
}

struct StreamRange {
  streamId @0 :Text;
  firstVersion @1 :UInt64;
  lastVersion @2 :UInt64;
  # Global positions of this stream's events in this append, in order.
  positions @3 :List(UInt64);
}
