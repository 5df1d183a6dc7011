// A memory of the rows a projection reads back on almost every event (a
// dossier's detail, a campaign's counters), so a rebuild does not pay a
// table lookup and a decode per event.
//
// Every change reaches the batch before the batch commits, so once it
// commits the memory is only a faster copy of what the table holds. It is
// trusted only while the runner feeds events without a break: an event that
// does not directly follow the last one seen (a rebuild starting over from
// position 1, a retry after a failed commit, a catch-up after a failed
// rebuild) empties it first. Bounded: past `capacity` rows it writes what
// is pending and starts afresh, which costs speed, never correctness.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "parcours/store/table.h"
#include "parcours/store/types.h"

namespace parcours::workflows::views {

// Rows kept in memory between events, by key. A changed row is written to
// the batch at once (write-through), or, once the runner has called the
// projection's flush() before a commit, at the next flush(): then a row
// changed by ten events of one commit is written once, not ten times.
template <typename T>
class WriteBackMap {
 public:
  struct Slot {
    const std::string* key = nullptr;
    T value;
    bool pending = false;
  };
  // Writes one row (and whatever goes with it) to the batch.
  using Write = void (*)(const std::string& key, T& value, store::TableBatch& rows);

  WriteBackMap(std::size_t capacity, Write write) : capacity_(capacity), write_(write) {}

  Slot* find(const std::string& key) {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }

  // Adds a row read from the table or new. When full, pending rows are
  // written and everything is forgotten first: slots found before may dangle.
  Slot* insert(const std::string& key, T value, store::TableBatch& rows) {
    if (map_.size() >= capacity_) {
      writePending(rows);
      map_.clear();
    }
    auto [it, inserted] = map_.insert_or_assign(key, Slot{nullptr, std::move(value), false});
    it->second.key = &it->first;  // nodes never move: the pointer stays valid
    return &it->second;
  }

  // The slot's row changed: write it now, or at the next flush.
  void changed(Slot* slot, store::TableBatch& rows) {
    if (!deferred_) {
      write_(*slot->key, slot->value, rows);
    } else if (!slot->pending) {
      slot->pending = true;
      pending_.push_back(slot);
    }
  }

  // Writes every pending row; from now on rows wait for the next flush.
  void flush(store::TableBatch& rows) {
    writePending(rows);
    deferred_ = true;
  }

  // Forgets everything, pending rows included: the batch they were meant
  // for was abandoned (see Continuity).
  void clear() {
    map_.clear();
    pending_.clear();
  }

 private:
  void writePending(store::TableBatch& rows) {
    for (Slot* slot : pending_) {
      write_(*slot->key, slot->value, rows);
      slot->pending = false;
    }
    pending_.clear();
  }

  std::size_t capacity_;
  Write write_;
  bool deferred_ = false;
  std::unordered_map<std::string, Slot> map_;
  std::vector<Slot*> pending_;
};

// Tells whether an event directly follows the previous one seen. Positions
// have no gaps (store/FORMAT.md), so a break means the runner started over
// from its checkpoint or from 0, and whatever was pending belonged to a
// batch that will never commit.
class Continuity {
 public:
  // True when the caches may be kept for the event at `position`.
  bool follows(store::Position position) {
    const bool unbroken = position == last_ + 1 && last_ != 0;
    last_ = position;
    return unbroken;
  }

 private:
  store::Position last_ = 0;
};

}  // namespace parcours::workflows::views
