#include "log_families.h"

#include <memory>

#include "keys.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"
#include "rocks_status.h"

namespace parcours::store {

Result<StreamTip> readStreamTip(const LogFamilies& log, std::string_view streamId,
                                Position visibleHead) {
  const std::string lower = keys::streamKey(streamId, 0);
  const std::string upper = keys::streamUpperBound(streamId);
  rocksdb::Slice upperSlice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upperSlice;
  std::unique_ptr<rocksdb::Iterator> it(log.db->NewIterator(options, log.streams));
  for (it->SeekToLast(); it->Valid() && it->key().compare(lower) >= 0; it->Prev()) {
    std::string_view key(it->key().data(), it->key().size());
    auto version = keys::parseStreamKey(key, streamId);
    if (!version) {
      return Error::corruption("streams family holds a malformed key for stream \"" +
                               std::string(streamId) + "\"");
    }
    const codec::ValueLocation where{codec::ValueLocation::Family::Streams, streamId, *version};
    auto event = codec::decodeEnvelope({it->value().data(), it->value().size()}, where);
    if (!event) return std::move(event).takeError();
    if (event->position <= visibleHead) return StreamTip{*version, event->position};
  }
  if (!it->status().ok()) return fromRocks(it->status(), "reading stream " + std::string(streamId));
  return StreamTip{};
}

Result<std::optional<AppendResult>> readCommandRecord(const LogFamilies& log,
                                                      std::string_view commandId) {
  std::string value;
  const std::string key = keys::commandKey(commandId);
  rocksdb::Status s = log.db->Get(rocksdb::ReadOptions(), log.meta, key, &value);
  if (s.IsNotFound()) return std::optional<AppendResult>();
  if (!s.ok()) return fromRocks(s, "reading command record " + std::string(commandId));
  auto record = codec::decodeCommandRecord(
      value, codec::ValueLocation{codec::ValueLocation::Family::Meta, key, 0});
  if (!record) return std::move(record).takeError();
  return std::optional<AppendResult>(std::move(record).value());
}

Result<Position> readLastPosition(const LogFamilies& log) {
  std::unique_ptr<rocksdb::Iterator> it(log.db->NewIterator(rocksdb::ReadOptions(), log.events));
  it->SeekToLast();
  if (!it->status().ok()) return fromRocks(it->status(), "finding the last event");
  if (!it->Valid()) return Position{0};
  auto position = keys::parseEventKey({it->key().data(), it->key().size()});
  if (!position) return Error::corruption("events family holds a key that is not 8 bytes");
  return *position;
}

}  // namespace parcours::store

namespace parcours::store {

std::string encodeChainTip(const ChainTip& tip) {
  std::string out;
  keys::appendBigEndian(out, tip.position);
  out += tip.hash;
  return out;
}

Result<ChainTip> readChainTip(const LogFamilies& log, std::string& damage) {
  auto last = readLastPosition(log);
  if (!last) return std::move(last).takeError();
  ChainTip tip{*last, chain::genesisHash()};
  if (*last > 0) {
    std::string value;
    rocksdb::Status s =
        log.db->Get(rocksdb::ReadOptions(), log.events, keys::eventKey(*last), &value);
    if (!s.ok()) return fromRocks(s, "reading the last event");
    auto event = codec::decodeEnvelope(
        value, codec::ValueLocation{codec::ValueLocation::Family::Events, {}, *last});
    if (!event) return std::move(event).takeError();
    tip.hash = event->hash;
  }
  std::string recorded;
  rocksdb::Status s = log.db->Get(rocksdb::ReadOptions(), log.meta, keys::chainHeadKey, &recorded);
  if (s.IsNotFound()) return tip;
  if (!s.ok()) return fromRocks(s, "reading the chain head");
  if (recorded.size() < keys::u64Bytes) {
    damage = "meta/chain-head is " + std::to_string(recorded.size()) + " bytes, not a chain head";
    return tip;
  }
  const Position recordedPosition = keys::readBigEndian(recorded.substr(0, keys::u64Bytes));
  if (recordedPosition > *last) {
    damage = "the chain head recorded position " + std::to_string(recordedPosition) +
             " but the last event stored is at " + std::to_string(*last) +
             ": events were removed from the end of the log. Run `parcours verify`";
  } else if (recordedPosition == *last && recorded.substr(keys::u64Bytes) != tip.hash) {
    damage = "the last event (position " + std::to_string(*last) +
             ") does not carry the hash the chain head recorded: it was altered. Run "
             "`parcours verify`";
  }
  return tip;
}

}  // namespace parcours::store
