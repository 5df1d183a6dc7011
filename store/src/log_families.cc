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

Result<ChainTip> readChainTip(const LogFamilies& log, std::optional<LogDamage>& damage) {
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
  if (s.IsNotFound()) {
    if (*last > 0) {
      damage = LogDamage{LogDamage::Kind::WrittenBehind, 0,
                         "the log holds events but no chain head: they were written without "
                         "parcours's writer. Run `parcours verify`"};
    }
    return tip;
  }
  if (!s.ok()) return fromRocks(s, "reading the chain head");
  if (recorded.size() != keys::u64Bytes + chain::hashBytes) {
    damage = LogDamage{LogDamage::Kind::LastAltered, *last,
                       "meta/chain-head is " + std::to_string(recorded.size()) +
                           " bytes, not a chain head. Run `parcours verify`"};
    return tip;
  }
  const Position head = keys::readBigEndian(recorded.substr(0, keys::u64Bytes));
  const std::string where = " (the chain head recorded with the last write names position " +
                            std::to_string(head) + ", the last event stored is at " +
                            std::to_string(*last) + "). Run `parcours verify`";
  if (head > *last) {
    damage = LogDamage{LogDamage::Kind::TailCut, head,
                       "events were removed from the end of the log" + where};
  } else if (head < *last) {
    damage = LogDamage{LogDamage::Kind::WrittenBehind, head,
                       "events past position " + std::to_string(head) +
                           " were written without parcours's writer" + where};
  } else if (recorded.substr(keys::u64Bytes) != tip.hash) {
    damage = LogDamage{LogDamage::Kind::LastAltered, head,
                       "the last event does not carry the hash recorded for it: it was "
                       "altered" + where};
  }
  return tip;
}

}  // namespace parcours::store
