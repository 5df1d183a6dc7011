#include "replica_writer.h"

#include <rocksdb/write_batch.h>

#include "keys.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "parcours/store/limits.h"
#include "rocks_status.h"

namespace parcours::store {
namespace {

// Past this many cached stream versions the cache starts again: it only
// saves a lookup, and must not grow without bound on a long-lived replica.
constexpr std::size_t versionCacheMax = 1'000'000;

std::string at(Position position) { return "replicated event at position " + std::to_string(position); }

}  // namespace

ReplicaWriter::ReplicaWriter(LogFamilies log, HeadNotifier& notifier, bool sync, ChainTip tip)
    : log_(log), notifier_(notifier), sync_(sync), tip_(std::move(tip)) {}

Result<StreamVersion> ReplicaWriter::currentVersion(
    const std::string& streamId, StreamVersion claimed,
    const std::unordered_map<std::string, StreamVersion>& staged) {
  if (auto it = staged.find(streamId); it != staged.end()) return it->second;
  if (auto it = versions_.find(streamId); it != versions_.end()) return it->second;
  // A stream's first event: the writer that chained it checked it was new,
  // and the chain proves this is that writer's event (the lookup would
  // cost one iterator per new stream, most of a catch-up's streams).
  if (claimed == 1) return StreamVersion{0};
  auto tip = readStreamTip(log_, streamId, tip_.position);
  if (!tip) return std::move(tip).takeError();
  return tip->version;
}

Result<Position> ReplicaWriter::append(const std::vector<std::string>& envelopes) {
  if (envelopes.empty()) return Error::invalidInput("replicated append: no envelope");
  if (envelopes.size() > limits::eventsPerBatchMax) {
    return Error::invalidInput("replicated append: " + std::to_string(envelopes.size()) +
                               " envelopes, more than the " +
                               std::to_string(limits::eventsPerBatchMax) + " of one batch");
  }
  std::lock_guard lock(mutex_);
  rocksdb::WriteBatch batch;
  ChainTip next = tip_;
  std::unordered_map<std::string, StreamVersion> staged;
  for (const std::string& bytes : envelopes) {
    const codec::ValueLocation where{codec::ValueLocation::Family::None, {}, 0};
    auto checked = codec::visitEnvelope(bytes, where, [&](const EventView& event) -> Status {
      if (event.position != next.position + 1) {
        return Error::corruption(at(event.position) + ": the log's next position is " +
                                 std::to_string(next.position + 1) + " (a gap or a duplicate)");
      }
      if (event.prevHash != next.hash) {
        return Error::corruption(at(event.position) +
                                 ": its previous hash is not the hash of position " +
                                 std::to_string(next.position) + " (a fork or a gap)");
      }
      std::string hash;
      const std::string exact = codec::encodeChainedEnvelope(event, hash);
      if (event.hash != hash) {
        return Error::corruption(at(event.position) + ": its hash is not the hash of its content");
      }
      if (exact != bytes) {
        return Error::corruption(at(event.position) + ": not in parcours's exact encoding");
      }
      const std::string streamId(event.streamId);
      auto version = currentVersion(streamId, event.streamVersion, staged);
      if (!version) return version.error();
      if (event.streamVersion != *version + 1) {
        return Error::corruption(at(event.position) + ": version " +
                                 std::to_string(event.streamVersion) + " of stream " + streamId +
                                 ", which is at version " + std::to_string(*version));
      }
      staged[streamId] = event.streamVersion;
      batch.Put(log_.events, keys::eventKey(event.position), bytes);
      batch.Put(log_.streams, keys::streamKey(streamId, event.streamVersion), bytes);
      next = ChainTip{event.position, std::move(hash)};
      return okStatus();
    });
    if (!checked) return checked.error();
  }
  batch.Put(log_.meta, keys::chainHeadKey, encodeChainTip(next));
  rocksdb::WriteOptions write;
  write.sync = sync_;
  if (auto s = log_.db->Write(write, &batch); !s.ok()) {
    return fromRocks(s, "writing replicated events up to position " + std::to_string(next.position));
  }
  tip_ = next;
  if (versions_.size() + staged.size() > versionCacheMax) versions_.clear();
  for (auto& [stream, version] : staged) versions_[stream] = version;
  notifier_.publish(next.position);
  return next.position;
}

}  // namespace parcours::store
