// The database and the three column families of the log, as shared by the
// writer and the readers, plus the reads both need.
#pragma once

#include <rocksdb/db.h>

#include <optional>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/event_log.h"
#include "parcours/store/types.h"

namespace parcours::store {

struct LogFamilies {
  rocksdb::DB* db = nullptr;
  rocksdb::ColumnFamilyHandle* events = nullptr;   // position -> envelope
  rocksdb::ColumnFamilyHandle* streams = nullptr;  // stream id, 0, version -> envelope
  rocksdb::ColumnFamilyHandle* meta = nullptr;     // command ids, format version
};

// The last version written to a stream and that version's global position,
// looking no further than events at positions <= `visibleHead`.
struct StreamTip {
  StreamVersion version = 0;
  Position position = 0;
};
Result<StreamTip> readStreamTip(const LogFamilies& log, std::string_view streamId,
                                Position visibleHead);

// The recorded answer of an append with this command id, if any, whatever
// its durability (the caller decides what it may see).
Result<std::optional<AppendResult>> readCommandRecord(const LogFamilies& log,
                                                      std::string_view commandId);

// The position of the last event in the events family (0 when empty).
Result<Position> readLastPosition(const LogFamilies& log);

// The end of the hash chain: the last event's position and hash (the
// genesis hash for an empty log).
struct ChainTip {
  Position position = 0;
  std::string hash;
};
// meta/chain-head: position (8 bytes big-endian) then the hash.
std::string encodeChainTip(const ChainTip& tip);

// The last event and its hash, as found on open. `damage` is set when the
// chain head recorded with the last batch disagrees with the last event
// stored (see LogDamage). Such a log is opened read-only, so nothing is
// chained onto a history that is not whole.
Result<ChainTip> readChainTip(const LogFamilies& log, std::optional<LogDamage>& damage);

}  // namespace parcours::store
