# A dossier bundle: everything needed to check one dossier's record with no
# store and no server (docs/bundle.md). Written by `parcours bundle`,
# checked by `parcours verify-bundle`. The file is one Cap'n Proto message
# (standard framing) whose root is a Bundle:
#   capnp decode workflows/schema/bundle.capnp Bundle < dossier.bundle
@0xe5c1d2a7b9f04c13;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("parcours::workflows::schema");

struct Bundle {
  formatVersion @0 :UInt32;   # 1
  dossierId @1 :Text;
  campaignId @2 :Text;
  digestSize @3 :UInt64;      # the digest every proof is against
  digestRoot @4 :Data;
  createdAtMicros @5 :Int64;
  events @6 :List(BundledEvent);
  # The campaign's stream (its rules versions, jury, conflicts, phases,
  # budget and grants) and the dossier's stream, every event up to the
  # digest, in log order.
  anchors @7 :List(Data);
  # RFC 3161 replies (DER) timestamping "parcours-digest-v1 SIZE:ROOTHEX"
  # for this digest, as `parcours anchor` recorded them.
  eventCount @8 :UInt32;
  # How many events `events` holds, written apart from the list so that a
  # damaged list pointer that shortens the list is caught: every event of a
  # shortened list still proves itself. (0 in bundles written before it.)
}

struct BundledEvent {
  envelope @0 :Data;              # the envelope exactly as stored in the log
  inclusionProof @1 :List(Data);  # RFC 6962 audit path of its leaf in the digest
}
