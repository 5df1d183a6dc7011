// The due index: pending timers keyed by due instant (timers.h).
#include <algorithm>
#include <charconv>
#include <string>
#include <tuple>
#include <vector>

#include "parcours/engine/timers.h"

namespace parcours::engine {
namespace {

constexpr char dueTag = 'd';    // 'd' due(8) id -> owner 0x00 action
constexpr char idTag = 'i';     // 'i' id -> due(8)
const std::string countKey = "n";  // -> pending count, decimal
// A filtered page walks at most this many rows of the due order before it
// answers with what it found and a cursor (a few ms: it may run on the
// server's event loop).
constexpr std::size_t scanRowsMax = 10'000;
constexpr std::size_t scanChunk = 1024;

// Signed instants in an order-preserving 8 bytes: the sign bit flipped,
// big-endian.
std::string encodeDue(std::int64_t micros) {
  std::uint64_t u = static_cast<std::uint64_t>(micros) ^ (std::uint64_t{1} << 63);
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, u >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(u);
  return out;
}

Result<std::int64_t> decodeDue(std::string_view bytes) {
  if (bytes.size() != 8) return Error::corruption("timer index: a due instant is not 8 bytes");
  std::uint64_t u = 0;
  for (char c : bytes) u = (u << 8) | static_cast<unsigned char>(c);
  return static_cast<std::int64_t>(u ^ (std::uint64_t{1} << 63));
}

std::string dueKey(std::int64_t due, std::string_view id) {
  return std::string(1, dueTag) + encodeDue(due) + std::string(id);
}
std::string idKey(std::string_view id) { return std::string(1, idTag) + std::string(id); }

Status addToCount(store::TableBatch& rows, std::int64_t delta) {
  auto current = rows.get(countKey);
  if (!current) return current.error();
  std::uint64_t count = 0;
  if (*current) {
    auto [p, ec] = std::from_chars((*current)->data(), (*current)->data() + (*current)->size(), count);
    if (ec != std::errc() || p != (*current)->data() + (*current)->size()) {
      return Error::corruption("timer index: the pending count does not parse");
    }
  }
  if (delta < 0 && count < static_cast<std::uint64_t>(-delta)) {
    return Error::corruption("timer index: more timers ended than were pending");
  }
  count = static_cast<std::uint64_t>(static_cast<std::int64_t>(count) + delta);
  rows.put(countKey, std::to_string(count));
  return okStatus();
}

Result<PendingTimer> timerFromDueRow(const store::Row& row) {
  PendingTimer t;
  auto due = decodeDue(std::string_view(row.first).substr(1, 8));
  if (!due) return due.error();
  t.dueMicros = *due;
  t.timerId = row.first.substr(9);
  const std::size_t cut = row.second.find('\0');
  if (cut == std::string::npos) return Error::corruption("timer index: a due row has no action");
  t.owner = row.second.substr(0, cut);
  t.action = row.second.substr(cut + 1);
  return t;
}

}  // namespace

Status TimerIndex::flush(store::TableBatch& rows) {
  const std::int64_t delta = pendingDelta_;
  pendingDelta_ = 0;
  if (delta == 0) return okStatus();
  return addToCount(rows, delta);
}

Status TimerIndex::apply(const store::EventView& event, store::TableBatch& rows) {
  if (event.position != lastApplied_ + 1) pendingDelta_ = 0;
  lastApplied_ = event.position;
  auto change = decoder_(event);
  if (!change) return change.error();
  if (!*change) return okStatus();
  const TimerChange& c = **change;
  const std::string owner(event.streamId);
  if (!c.timerId.starts_with(owner + ":")) {
    return Error::corruption("timer " + c.timerId + " at position " +
                             std::to_string(event.position) + " is not named after its stream " +
                             owner + " (\"<stream>:...\")");
  }
  auto current = rows.get(idKey(c.timerId));
  if (!current) return current.error();
  std::string action = c.action;  // a Rescheduled keeps the one it was scheduled with
  const auto removePending = [&]() -> Status {
    if (!*current) {
      return Error::corruption("timer " + c.timerId + " ends at position " +
                               std::to_string(event.position) + " but is not pending");
    }
    auto due = decodeDue(**current);
    if (!due) return due.error();
    auto row = rows.get(dueKey(*due, c.timerId));
    if (!row) return row.error();
    if (!*row) return Error::corruption("timer index: " + c.timerId + " has no due row");
    action = (*row)->substr((*row)->find('\0') + 1);
    rows.remove(dueKey(*due, c.timerId));
    rows.remove(idKey(c.timerId));
    return okStatus();
  };
  const auto addPending = [&](std::int64_t due) {
    rows.put(dueKey(due, c.timerId), owner + std::string(1, '\0') + action);
    rows.put(idKey(c.timerId), encodeDue(due));
  };
  switch (c.kind) {
    case TimerChange::Kind::Scheduled:
      if (*current) {
        return Error::corruption("timer " + c.timerId + " is scheduled twice (position " +
                                 std::to_string(event.position) + ")");
      }
      addPending(c.dueMicros);
      ++pendingDelta_;
      return okStatus();
    case TimerChange::Kind::Rescheduled:
      if (auto s = removePending(); !s) return s;
      addPending(c.dueMicros);
      return okStatus();
    case TimerChange::Kind::Cancelled:
    case TimerChange::Kind::Fired:
      if (auto s = removePending(); !s) return s;
      --pendingDelta_;
      return okStatus();
  }
  return Error::bug("unknown timer change");
}

namespace {

// One owner's pending timers: its ids share the prefix "<owner>:", so the
// id rows give them all without walking the due order (an owner has a few).
Result<TimerPage> listOwnerTimers(const store::Table& index, const TimerQuery& query,
                                  const std::optional<std::pair<std::int64_t, std::string>>& after) {
  auto rows = index.scan(idKey(query.owner + ":"), "", scanRowsMax);
  if (!rows) return rows.error();
  std::vector<PendingTimer> timers;
  for (const store::Row& row : *rows) {
    auto due = decodeDue(row.second);
    if (!due) return due.error();
    const std::string key = dueKey(*due, std::string_view(row.first).substr(1));
    auto dueRow = index.get(key);
    if (!dueRow) return dueRow.error();
    if (!*dueRow) return Error::corruption("timer index: " + row.first.substr(1) + " has no due row");
    auto timer = timerFromDueRow({key, **dueRow});
    if (!timer) return timer.error();
    timers.push_back(std::move(timer).value());
  }
  std::sort(timers.begin(), timers.end(), [](const PendingTimer& a, const PendingTimer& b) {
    return std::tie(a.dueMicros, a.timerId) < std::tie(b.dueMicros, b.timerId);
  });
  TimerPage page;
  for (PendingTimer& t : timers) {
    if (query.dueBeforeMicros && t.dueMicros >= *query.dueBeforeMicros) break;
    if (after && std::tie(t.dueMicros, t.timerId) <= std::tie(after->first, after->second)) {
      continue;
    }
    if (page.timers.size() == query.limit) {
      const PendingTimer& last = page.timers.back();
      page.nextCursor = std::to_string(last.dueMicros) + "," + last.timerId;
      break;
    }
    page.timers.push_back(std::move(t));
  }
  return page;
}

}  // namespace

Result<TimerPage> listPendingTimers(const store::Table& index, const TimerQuery& query) {
  std::optional<std::pair<std::int64_t, std::string>> after;
  if (!query.after.empty()) {
    // The cursor: "<due>,<id>" of the last timer shown.
    const std::size_t comma = query.after.find(',');
    std::int64_t due = 0;
    const char* end = query.after.data() + (comma == std::string::npos ? 0 : comma);
    auto [p, ec] = std::from_chars(query.after.data(), end, due);
    if (comma == std::string::npos || ec != std::errc() || p != end) {
      return Error::invalidInput("cursor \"" + query.after + "\" is not one this list gave");
    }
    after.emplace(due, query.after.substr(comma + 1));
  }
  if (!query.owner.empty()) return listOwnerTimers(index, query, after);
  TimerPage page;
  std::string startAfter = after ? dueKey(after->first, after->second) : std::string();
  const std::string prefix(1, dueTag);
  std::size_t walked = 0;
  while (page.timers.size() < query.limit) {
    auto rows = index.scan(prefix, startAfter, scanChunk);
    if (!rows) return rows.error();
    for (const store::Row& row : *rows) {
      startAfter = row.first;
      ++walked;
      auto timer = timerFromDueRow(row);
      if (!timer) return timer.error();
      if (query.dueBeforeMicros && timer->dueMicros >= *query.dueBeforeMicros) return page;
      page.timers.push_back(std::move(timer).value());
      if (page.timers.size() == query.limit) break;
    }
    const bool full = page.timers.size() == query.limit;
    if (rows->size() < scanChunk && !full) return page;  // the end of the index
    if (full || walked >= scanRowsMax) {
      auto due = decodeDue(std::string_view(startAfter).substr(1, 8));
      if (!due) return due.error();
      page.nextCursor = std::to_string(*due) + "," + startAfter.substr(9);
      return page;
    }
  }
  return page;
}

Result<std::optional<PendingTimer>> findPendingTimer(const store::Table& index,
                                                     std::string_view timerId) {
  auto due = index.get(idKey(timerId));
  if (!due) return due.error();
  if (!*due) return std::optional<PendingTimer>();
  auto micros = decodeDue(**due);
  if (!micros) return micros.error();
  auto row = index.get(dueKey(*micros, timerId));
  if (!row) return row.error();
  if (!*row) return Error::corruption("timer index: " + std::string(timerId) + " has no due row");
  auto timer = timerFromDueRow({dueKey(*micros, timerId), **row});
  if (!timer) return timer.error();
  return std::optional(std::move(timer).value());
}

Result<TimerCounts> countPendingTimers(const store::Table& index) {
  TimerCounts counts;
  auto count = index.get(countKey);
  if (!count) return count.error();
  if (*count) {
    auto [p, ec] = std::from_chars((*count)->data(), (*count)->data() + (*count)->size(),
                                   counts.pending);
    if (ec != std::errc()) return Error::corruption("timer index: the pending count does not parse");
  }
  auto first = index.scan(std::string(1, dueTag), "", 1);
  if (!first) return first.error();
  if (!first->empty()) {
    auto timer = timerFromDueRow(first->front());
    if (!timer) return timer.error();
    counts.earliest = std::move(timer).value();
  }
  return counts;
}

}  // namespace parcours::engine
