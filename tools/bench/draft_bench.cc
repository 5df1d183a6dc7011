// `parcours bench drafts`: applicants saving their drafts (workflows/
// drafts.h) — checked, the version compared, sealed with the dossier's key,
// written with the WAL fsynced — with 64 saves in flight, each client on its
// own draft, against raw RocksDB synced puts of values of the same size by
// as many threads in the same run (what the store alone does with the same
// concurrency and durability).
#include <atomic>
#include <thread>

#include "bench_campaign.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/key_store.h"
#include "parcours/workflows/drafts.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

// A draft as an applicant leaves it midway: the application's fields and a
// paragraph of each of a few answers (about 2 KiB).
workflows::Application draftApplication(int client) {
  workflows::Application a;
  a.applicantName = "Communauté de communes " + std::to_string(client);
  a.applicantKind = "communaute_de_communes";
  a.title = "Un projet de territoire numérique";
  a.summary = std::string(400, 's');
  a.contact = {"Camille Exemple", "camille@example.org", "+33 1 00 00 00 00"};
  return a;
}

// Runs `save(client, n)` from `clients` threads for Settings::seconds:
// saves per second. Stops at the first failure.
template <typename Save>
Result<double> savesPerSecond(const Settings& s, int clients, Save&& save) {
  std::atomic<bool> stop{false}, failed{false};
  std::atomic<std::uint64_t> saves{0};
  std::string failure;
  std::vector<std::thread> workers;
  for (int t = 0; t < clients; ++t) {
    workers.emplace_back([&, t] {
      for (std::uint64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        if (auto st = save(t, n); !st) {
          if (!failed.exchange(true)) failure = st.error().message;
          return;
        }
        saves.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  const std::uint64_t done = saves.load();
  const double elapsed = secondsSince(start);
  stop = true;
  for (auto& w : workers) w.join();
  if (failed) return Error::ioError("bench drafts failed: " + failure);
  return static_cast<double>(done) / elapsed;
}

Result<double> draftSaves(const Settings& s, int clients, const Logger& logger,
                          std::size_t& valueBytes) {
  ScratchDir dir(s, "bench-drafts");
  store::Options options;
  options.path = (dir.path() / "store").string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  auto keys = engine::KeyStore::open((dir.path() / "keys").string());
  if (!keys) return std::move(keys).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock, keys->get());
  if (auto st = openBenchCampaign(workflow, "bench"); !st) return st.error();
  auto drafts = workflows::Drafts::open(**log, workflow, clock, **keys);
  if (!drafts) return std::move(drafts).takeError();
  std::vector<workflows::Application> applications;
  for (int t = 0; t < clients; ++t) applications.push_back(draftApplication(t));
  auto rate = savesPerSecond(s, clients, [&](int client, std::uint64_t n) -> Status {
    const std::string id = "draft-" + std::to_string(client);
    const std::optional<std::uint64_t> read =
        n == 0 ? std::nullopt : std::optional<std::uint64_t>(n);
    auto saved = (*drafts)->save(id, "bench", applications[client], read,
                                 workflows::DraftAccess{"applicant-" + std::to_string(client), false});
    if (!saved) return saved.error();
    return okStatus();
  });
  if (!rate) return rate;
  // The raw side writes values of the size a draft's row has.
  auto table = (*log)->openTable("drafts");
  if (!table) return std::move(table).takeError();
  auto row = (*table)->get("draft-0");
  if (!row) return std::move(row).takeError();
  valueBytes = row->value_or(std::string()).size();
  return rate;
}

Result<double> rawSyncedPuts(const Settings& s, int clients, std::size_t valueBytes) {
  ScratchDir dir(s, "bench-drafts-raw");
  auto db = RawDb::open(dir.path(), {"drafts"});
  if (!db) return std::move(db).takeError();
  const std::string value = makePayload(valueBytes, s.seed);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return savesPerSecond(s, clients, [&](int client, std::uint64_t) -> Status {
    const std::string key = "draft-" + std::to_string(client);
    rocksdb::Status st = (*db)->db().Put(synced, (*db)->family(0), key, value);
    if (!st.ok()) return Error::ioError(st.ToString());
    return okStatus();
  });
}

}  // namespace

Result<std::vector<Figure>> runDrafts(const Settings& s, const Logger& logger) {
  const int clients = s.commandThreads;
  const std::string n = std::to_string(clients);
  Figure f = makeFigure("drafts.durable." + n,
                        n + " clients, each saving its own draft again and again (checked, "
                            "version compared, sealed, WAL fsynced)",
                        "saves/s");
  f.rawDescription = "raw RocksDB synced puts of values of the same size by " + n +
                     " threads, same run";
  f.target = Target{">= 2,000 saves/s", 2000.0, {}, {}, {}};
  std::size_t valueBytes = 0;
  if (auto st = measurePair(
          f, s.runs, [&] { return draftSaves(s, clients, logger, valueBytes); },
          [&] { return rawSyncedPuts(s, clients, valueBytes); });
      !st) {
    return st.error();
  }
  return std::vector<Figure>{std::move(f)};
}

}  // namespace parcours::bench
