#include <spdlog/spdlog.h>

#include "parcours/store/assert.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "parcours/engine/projection.h"

namespace parcours::engine {
namespace {

// The registry: projection name -> "<generation> <version>".
constexpr std::string_view registryTable = "engine.projections";
// Inside a view's table, the checkpoint: 8-byte big-endian position.
const std::string checkpointKey("\0checkpoint", 11);
constexpr std::size_t eventsPerCommit = 1000;

std::string encodePosition(store::Position p) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, p >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(p);
  return out;
}

// Forwards to the table's batch but keeps projections off the reserved keys.
class RowsBatch final : public store::TableBatch {
 public:
  explicit RowsBatch(store::TableBatch& inner) : inner_(inner) {}
  void put(std::string_view key, std::string_view value) override {
    if (reserved(key)) {
      refused_ = true;
      return;
    }
    inner_.put(key, value);
  }
  void remove(std::string_view key) override {
    if (reserved(key)) {
      refused_ = true;
      return;
    }
    inner_.remove(key);
  }
  Result<std::optional<std::string>> get(std::string_view key) const override {
    return inner_.get(key);
  }
  std::size_t size() const override { return inner_.size(); }
  bool refused() const { return refused_; }

 private:
  static bool reserved(std::string_view key) { return key.empty() || key[0] == '\0'; }
  store::TableBatch& inner_;
  bool refused_ = false;
};

struct RegistryEntry {
  std::uint64_t generation = 0;
  int version = 0;
};

std::optional<RegistryEntry> parseRegistry(const std::string& value) {
  RegistryEntry entry;
  const char* end = value.data() + value.size();
  auto [p, ec] = std::from_chars(value.data(), end, entry.generation);
  if (ec != std::errc() || p == end || *p != ' ') return std::nullopt;
  auto [q, ec2] = std::from_chars(p + 1, end, entry.version);
  if (ec2 != std::errc() || q != end) return std::nullopt;
  return entry;
}

// InvalidInput once a projection has written a key reserved for the runtime
// (checked after each apply, and after the flush, which writes too).
Status refusedKeys(const RowsBatch& rows, std::string_view projection) {
  if (!rows.refused()) return okStatus();
  return Error::invalidInput("projection " + std::string(projection) +
                             " wrote a key starting with 0x00, reserved for checkpoints");
}

}  // namespace

ProjectionRunner::ProjectionRunner(store::EventLog& log, Projection& projection,
                                   std::shared_ptr<spdlog::logger> logger)
    : log_(log), projection_(projection), logger_(std::move(logger)) {}

ProjectionRunner::~ProjectionRunner() {
  stop();
}

std::string ProjectionRunner::generationTable(std::uint64_t generation) const {
  return "proj." + std::string(projection_.name()) + "." + std::to_string(generation);
}

Status ProjectionRunner::open(const ProgressFn& progress) {
  auto registry = log_.openTable(registryTable);
  if (!registry) return std::move(registry).takeError();
  registry_ = *registry;
  auto stored = registry_->get(projection_.name());
  if (!stored) return stored.error();
  std::optional<RegistryEntry> entry;
  if (stored->has_value()) {
    entry = parseRegistry(**stored);
    if (!entry) {
      return Error::corruption("projection registry entry for " + std::string(projection_.name()) +
                               " is unreadable: \"" + **stored + "\"");
    }
  }
  // Drop generations that are not the active one (an interrupted rebuild).
  const std::string prefix = "proj." + std::string(projection_.name()) + ".";
  for (const std::string& name : log_.listTables()) {
    if (!name.starts_with(prefix)) continue;
    if (entry && name == generationTable(entry->generation)) continue;
    logger_->warn("dropping leftover view table {}", name);
    if (auto s = log_.dropTable(name); !s) return s;
  }
  if (entry && entry->version == projection_.version()) {
    auto table = log_.openTable(generationTable(entry->generation));
    if (!table) return std::move(table).takeError();
    auto checkpoint = readCheckpoint(**table);
    if (!checkpoint) return std::move(checkpoint).takeError();
    std::lock_guard lock(mutex_);
    active_ = *table;
    generation_ = entry->generation;
    checkpoint_ = *checkpoint;
    return okStatus();
  }
  if (entry) {
    logger_->info("projection {} is stored at version {}, code is at {}: rebuilding",
                  projection_.name(), entry->version, projection_.version());
    std::lock_guard lock(mutex_);
    generation_ = entry->generation;
  }
  auto rebuilt = rebuild(progress);
  if (!rebuilt) return rebuilt.error();
  return okStatus();
}

Result<store::Position> ProjectionRunner::readCheckpoint(const store::Table& table) const {
  auto value = table.get(checkpointKey);
  if (!value) return std::move(value).takeError();
  if (!value->has_value()) return store::Position{0};
  if ((*value)->size() != 8) {
    return Error::corruption("checkpoint of view " + table.name() + " is not 8 bytes");
  }
  store::Position p = 0;
  for (char c : **value) p = (p << 8) | static_cast<unsigned char>(c);
  return p;
}

Status ProjectionRunner::applyFrom(store::Table& table, store::Position& checkpoint,
                                   const ProgressFn& progress) {
  while (true) {
    const store::Position head = log_.head();
    if (checkpoint >= head) return okStatus();
    auto batch = table.newBatch();
    RowsBatch rows(*batch);
    auto last =
        log_.scanAll(checkpoint + 1, eventsPerCommit, [&](const store::EventView& event) -> Status {
          if (auto s = projection_.apply(event, rows); !s) {
            return Error{s.error().code, "projection " + std::string(projection_.name()) +
                                             " failed on event " + std::to_string(event.position) +
                                             " (" + std::string(event.eventType) +
                                             "): " + s.error().message};
          }
          return refusedKeys(rows, projection_.name());
        });
    if (!last) return last.error();
    if (*last == 0) return okStatus();
    if (auto s = projection_.flush(rows); !s) {
      return Error{s.error().code, "projection " + std::string(projection_.name()) +
                                       " failed to write its rows: " + s.error().message};
    }
    if (auto s = refusedKeys(rows, projection_.name()); !s) return s;
    // A checkpoint only moves forward: rows past it are applied once.
    PARCOURS_ASSERT(*last > checkpoint, "projection " + std::string(projection_.name()) +
                                            " would move its checkpoint from " +
                                            std::to_string(checkpoint) + " to " +
                                            std::to_string(*last));
    batch->put(checkpointKey, encodePosition(*last));
    if (auto s = table.commit(*batch); !s) return s;
    checkpoint = *last;  // only once committed: the caller keeps it even if a later batch fails
    if (progress) progress(checkpoint, head);
  }
}

Result<store::Position> ProjectionRunner::catchUp(const ProgressFn& progress) {
  std::lock_guard lock(mutex_);
  if (!active_) return Error::invalidInput("projection runner used before open()");
  // What was committed stays committed when a later batch fails: the next
  // catch-up must start after it, or it would apply those events twice.
  store::Position checkpoint = checkpoint_.load();
  auto applied = applyFrom(*active_, checkpoint, progress);
  checkpoint_ = checkpoint;
  if (!applied) return applied.error();
  return checkpoint;
}

Result<store::Position> ProjectionRunner::rebuild(const ProgressFn& progress) {
  std::lock_guard lock(mutex_);
  const std::uint64_t next = generation_ + 1;
  auto table = log_.openTable(generationTable(next));
  if (!table) return std::move(table).takeError();
  store::Position built = 0;
  if (auto applied = applyFrom(**table, built, progress); !applied) {
    (void)log_.dropTable(generationTable(next));
    return applied.error();
  }
  auto switchBatch = registry_->newBatch();
  switchBatch->put(projection_.name(),
                   std::to_string(next) + " " + std::to_string(projection_.version()));
  if (auto s = registry_->commit(*switchBatch); !s) return s.error();
  const bool hadOld = active_ != nullptr;
  active_ = *table;
  checkpoint_ = built;
  const std::uint64_t old = generation_;
  generation_ = next;
  if (hadOld || old > 0) {
    if (auto s = log_.dropTable(generationTable(old));
        !s && s.error().code != ErrorCode::NotFound) {
      logger_->warn("could not drop the previous view table: {}", s.error().message);
    }
  }
  logger_->info("projection {} rebuilt to position {} (generation {})", projection_.name(), built,
                next);
  return built;
}

std::shared_ptr<store::Table> ProjectionRunner::table() const {
  std::lock_guard lock(mutex_);
  return active_;
}

void ProjectionRunner::startLive() {
  if (live_.joinable()) return;
  stopping_ = false;
  live_ = std::thread([this] {
    // The timeout only bounds how long stop() waits; new events wake us.
    constexpr auto stopLatency = std::chrono::milliseconds(100);
    // After a failure the head is past the checkpoint, so waiting for the
    // head would return at once: wait before retrying instead, longer each
    // time the same failure comes back (up to retryWaitMax).
    constexpr auto retryWaitMax = std::chrono::seconds(5);
    std::chrono::milliseconds retryWait = stopLatency;
    while (!stopping_) {
      auto caught = catchUp();
      if (caught) {
        retryWait = stopLatency;
        log_.waitForHead(checkpoint_.load(), stopLatency);
        continue;
      }
      {
        std::lock_guard lock(errorMutex_);
        if (!liveError_ || liveError_->message != caught.error().message) {
          logger_->error("projection {} stalled: {}", projection_.name(), caught.error().message);
        }
        liveError_ = caught.error();
      }
      const auto retryAt = std::chrono::steady_clock::now() + retryWait;
      while (!stopping_ && std::chrono::steady_clock::now() < retryAt) {
        std::this_thread::sleep_for(stopLatency);
      }
      retryWait = std::min<std::chrono::milliseconds>(retryWait * 2, retryWaitMax);
    }
  });
}

void ProjectionRunner::stop() {
  stopping_ = true;
  if (live_.joinable()) live_.join();
}

std::optional<Error> ProjectionRunner::lastLiveError() const {
  std::lock_guard lock(errorMutex_);
  return liveError_;
}

Result<std::vector<store::Row>> dumpTable(const store::Table& table) {
  std::vector<store::Row> all;
  std::string after;
  constexpr std::size_t page = 10000;
  while (true) {
    auto rows = table.scan("", after, page);
    if (!rows) return std::move(rows).takeError();
    for (auto& row : *rows) all.push_back(std::move(row));
    if (rows->size() < page) return all;
    after = all.back().first;
  }
}

}  // namespace parcours::engine
