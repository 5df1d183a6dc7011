# A draft as the store's "drafts" table keeps it (workflows/drafts.h): one
# row per dossier id, whose value is one Cap'n Proto message (flat array)
# with a StoredDraft at its root. Not an event: drafts are not in the log.
@0xf64590e24d9eb429;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("parcours::workflows::schema");

struct StoredDraft {
  campaignId @0 :Text;
  owner @1 :Text;             # the actor who created it (a token's subject)
  version @2 :UInt64;         # 1 when created, one more at each save
  createdAtMicros @3 :Int64;  # µs since the epoch, UTC
  savedAtMicros @4 :Int64;
  # An events.capnp Application message (flat array), contact and answers
  # included, sealed with the dossier's data key (engine/key_store.h) under
  # the associated data "<dossierId>/draft".
  sealedApplication @5 :Data;
}
