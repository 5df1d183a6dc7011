# Events the engine itself records in the log (not a workflow's).
@0xd3a8f0b52c1e7a49;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("parcours::engine::schema");

struct DigestAnchored {
  # Stream "log-anchors", event type "DigestAnchored": a timestamp
  # authority's RFC 3161 reply for the digest (size, root), which it signed
  # as the bytes "parcours-digest-v1 SIZE:ROOTHEX" (docs/audit.md).
  size @0 :UInt64;
  root @1 :Data;
  timestampReply @2 :Data;   # the TimeStampResp, DER, as the authority sent it
  genTimeMicros @3 :Int64;   # the authority's time, for people (the reply is authoritative)
  authority @4 :Text;        # the authority's name, for people
}
