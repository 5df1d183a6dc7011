// `parcours bench audit`: what the auditors' features cost, each against
// raw RocksDB doing the least the same answer needs, in the same run.
//
//   audit.chain.on / .off   durable appends (64 threads) with the hash chain
//                           on and off: the chain's cost is their ratio
//   audit.verify            `verify` over a log of --audit-events workflow
//                           events, against a raw scan of its events
//   audit.asof.dossier      one dossier's views as of a random past position
//                           (p50), against raw reads of its two streams
//   audit.asof.campaign     a campaign's views (stats, leaderboard, budget)
//                           as of a past position, against raw reads of its
//                           streams
//   audit.inclusion         an inclusion proof in a log of --proof-events
//                           events (p50), against one raw point read
#include <rocksdb/db.h>

#include <random>
#include <thread>

#include "../common/progress.h"
#include "bench.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/workflows/past_views.h"
#include "parcours/workflows/views.h"
#include "raw_db.h"
#include "workflow_log.h"
#include "workload.h"

namespace parcours::bench {
namespace {

constexpr int durableThreads = 64;

// Microseconds for raw RocksDB to read every key of these streams in the
// streams family (what a past view of them must read at least).
Result<double> rawStreamsMicros(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams,
                                const std::vector<std::string>& streamIds) {
  const auto start = Clock::now();
  std::uint64_t bytes = 0;
  for (const std::string& id : streamIds) {
    const std::string lower = id + std::string(1, '\0');
    const std::string upper = id + std::string(1, '\1');
    rocksdb::Slice upperSlice(upper);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upperSlice;
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(read, streams));
    for (it->Seek(lower); it->Valid(); it->Next()) bytes += it->value().size();
    if (!it->status().ok()) return Error::ioError("bench audit: " + it->status().ToString());
  }
  if (bytes == 0) return Error::bug("bench audit: raw read of the streams found nothing");
  return microsSince(start);
}

// The log's database opened raw, read-only, beside parcours (a secondary
// instance would do too; read-only sees what was flushed and the WAL).
struct RawReader {
  static Result<RawReader> open(const std::filesystem::path& path) {
    std::vector<std::string> families;
    if (auto st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &families);
        !st.ok()) {
      return Error::ioError("bench audit: " + st.ToString());
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& f : families) descriptors.emplace_back(f, rocksdb::ColumnFamilyOptions());
    RawReader r;
    rocksdb::DB* db = nullptr;
    auto st = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path.string(), descriptors,
                                           &r.handles, &db);
    if (!st.ok()) return Error::ioError("bench audit: " + st.ToString());
    r.db.reset(db);
    for (std::size_t i = 0; i < families.size(); ++i) {
      if (families[i] == "streams") r.streams = r.handles[i];
      if (families[i] == "events") r.events = r.handles[i];
    }
    return r;
  }
  void close() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    handles.clear();
    db.reset();
  }
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* streams = nullptr;
  rocksdb::ColumnFamilyHandle* events = nullptr;
};

Status chainOnOff(const Settings& s, const Logger& logger, std::vector<Figure>& figures) {
  Figure on = makeFigure("audit.chain.on",
                         "64 threads appending 1 event per call, fsync on, hash chain on",
                         "events/s");
  Figure off = makeFigure("audit.chain.off",
                          "the same with the hash chain off (Options::hashChain = false)",
                          "events/s");
  on.rawDescription = off.rawDescription =
      "raw RocksDB, one thread writing synced batches of 64 envelopes (both copies), same run";
  on.target = Target{">= 0.9x the chain-off figure (see performance.md)", {}, {}, {}, {}};
  for (int i = 0; i < s.runs; ++i) {
    auto a = parcoursAppenders(s, durableThreads, 1, true, logger, true);
    if (!a) return a.error();
    auto b = parcoursAppenders(s, durableThreads, 1, true, logger, false);
    if (!b) return b.error();
    auto raw = rawBatches(s, 64, true, true);
    if (!raw) return raw.error();
    on.runs.push_back(*a);
    off.runs.push_back(*b);
    on.rawRuns.push_back(*raw);
    off.rawRuns.push_back(*raw);
  }
  finalize(on);
  finalize(off);
  figures.push_back(std::move(on));
  figures.push_back(std::move(off));
  return okStatus();
}

Status overWorkflowLog(const Settings& s, const Logger& logger, std::vector<Figure>& figures,
                       const std::function<bool(const std::string&)>& wanted) {
  ScratchDir dir(s, "bench-audit");
  auto events = populateWorkflowLog(dir.path(), s.auditEvents, logger);
  if (!events) return events.error();
  const std::string size = std::to_string(*events);

  if (wanted("audit.verify")) {
    Figure f = makeFigure("audit.verify", "`verify` over " + size + " workflow events: chain, "
                                          "tree, stream copies, Merkle index",
                          "events/s");
    f.rawDescription = "raw RocksDB iterating the same log's events once, same run";
    f.target = Target{">= 300,000 events/s", 300000.0, {}, {}, {}};
    auto verifyOnce = [&]() -> Result<double> {
      store::Options options;
      options.path = dir.path().string();
      auto log = store::EventLog::open(options, logger);
      if (!log) return std::move(log).takeError();
      auto index = engine::MerkleIndex::open(**log, logger);  // caught up before the clock
      if (!index) return std::move(index).takeError();
      engine::VerifyOptions verify;
      verify.index = index->get();
      const auto start = Clock::now();
      auto report = engine::verifyLog(**log, verify);
      const double seconds = secondsSince(start);
      if (!report) return std::move(report).takeError();
      if (!report->intact) return Error::bug("bench audit: verify says " + report->problem);
      return static_cast<double>(report->eventsChecked) / seconds;
    };
    auto rawOnce = [&]() -> Result<double> {
      auto seconds = rawScanSeconds(dir.path(), *events);
      if (!seconds) return seconds;
      return static_cast<double>(*events) / *seconds;
    };
    if (auto st = measurePair(f, s.runs, verifyOnce, rawOnce); !st) return st;
    figures.push_back(std::move(f));
  }

  if (!wanted("audit.asof")) return okStatus();
  store::Options options;
  options.path = dir.path().string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return log.error();
  cli::ProgressBar bar("building the views", *events * 3);
  auto views = workflows::Views::open(**log, logger, [&](std::string_view, store::Position done,
                                                         store::Position) { bar.update(done); });
  bar.finish();
  if (!views) return views.error();
  auto campaigns = (*views)->campaigns();
  if (!campaigns || campaigns->empty()) return Error::bug("bench audit: no campaign in the log");

  std::mt19937_64 random(s.seed);
  Figure dossier = makeFigure("audit.asof.dossier",
                              "one dossier's row and timeline as of a random past position, "
                              "log of " + size + " events (p50)",
                              "us");
  dossier.higherIsBetter = false;
  dossier.rawDescription = "raw RocksDB reading the dossier's and its campaign's streams";
  dossier.target = Target{"p50 <= 1 ms", {}, 1000.0, {}, {}};
  Figure campaign = makeFigure("audit.asof.campaign",
                               "a campaign's stats, leaderboard and budget as of its midpoint, "
                               "log of " + size + " events",
                               "us");
  campaign.higherIsBetter = false;
  campaign.rawDescription = "raw RocksDB reading the campaign's and its dossiers' streams";
  campaign.target = Target{"<= 2 s", {}, 2'000'000.0, {}, {}};
  constexpr int dossierSamples = 300;
  for (int run = 0; run < s.runs; ++run) {
    std::vector<double> ours, raw;
    std::vector<std::vector<std::string>> streamsOf;
    std::vector<workflows::PastScope> scopes;
    for (int i = 0; i < dossierSamples; ++i) {
      const auto& c = (*campaigns)[random() % campaigns->size()];
      auto page = (*views)->status(c.campaignId, std::nullopt, "", 1000);
      if (!page || page->rows.empty()) return Error::bug("bench audit: an empty campaign");
      const auto& row = page->rows[random() % page->rows.size()];
      workflows::PastScope scope = workflows::PastScope::dossier(row.dossierId);
      scope.at = 1 + random() % (*log)->head();
      scopes.push_back(scope);
      streamsOf.push_back({workflows::campaignStream(c.campaignId),
                           workflows::dossierStream(row.dossierId)});
    }
    for (const auto& scope : scopes) {
      const auto start = Clock::now();
      auto past = workflows::PastViews::open(**log, **views, scope);
      if (!past) return past.error();
      auto row = (*past)->dossier(scope.id);
      auto timeline = row ? (*past)->timeline(scope.id) : Result<std::vector<workflows::TimelineEntry>>(row.error());
      ours.push_back(microsSince(start));
      (void)timeline;  // before its submission the dossier did not exist: NotFound is an answer
    }
    // The campaign: its midpoint, one sample per run.
    const auto& c = (*campaigns)[random() % campaigns->size()];
    workflows::PastScope scope = workflows::PastScope::campaign(c.campaignId);
    scope.at = (*log)->head() / 2 + random() % ((*log)->head() / 2);
    std::vector<std::string> campaignStreams{workflows::campaignStream(c.campaignId)};
    auto page = (*views)->status(c.campaignId, std::nullopt, "", 10'000);
    if (!page) return page.error();
    for (const auto& row : page->rows) campaignStreams.push_back(workflows::dossierStream(row.dossierId));
    const auto start = Clock::now();
    auto past = workflows::PastViews::open(**log, **views, scope);
    if (!past) return past.error();
    auto stats = (*past)->stats(c.campaignId);
    auto board = (*past)->leaderboard(c.campaignId);
    auto budget = (*past)->budget(c.campaignId);
    const double campaignMicros = microsSince(start);
    (void)stats;
    (void)board;
    (void)budget;

    auto rawDb = RawReader::open(dir.path());
    if (!rawDb) return rawDb.error();
    for (const auto& streams : streamsOf) {
      auto micros = rawStreamsMicros(*rawDb->db, rawDb->streams, streams);
      if (!micros) return micros.error();
      raw.push_back(*micros);
    }
    auto rawCampaign = rawStreamsMicros(*rawDb->db, rawDb->streams, campaignStreams);
    if (!rawCampaign) return rawCampaign.error();
    rawDb->close();
    dossier.runs.push_back(median(ours));
    dossier.rawRuns.push_back(median(raw));
    campaign.runs.push_back(campaignMicros);
    campaign.rawRuns.push_back(*rawCampaign);
  }
  finalize(dossier);
  finalize(campaign);
  figures.push_back(std::move(dossier));
  figures.push_back(std::move(campaign));
  return okStatus();
}

Status inclusionProofs(const Settings& s, const Logger& logger, std::vector<Figure>& figures) {
  ScratchDir dir(s, "bench-proofs");
  {
    store::Options options;
    options.path = dir.path().string();
    options.sync = false;  // a bulk fill: the figure is the proofs'
    auto log = store::EventLog::open(options, logger);
    if (!log) return log.error();
    const std::string payload = makePayload(64, s.seed);
    constexpr std::size_t perAppend = 1000;
    cli::ProgressBar bar("filling the log", s.proofEvents);
    for (std::size_t n = 0; n < s.proofEvents; n += perAppend) {
      std::vector<store::NewEvent> batch(perAppend, {benchEventType, payload});
      auto r = (*log)->append("proofs-" + std::to_string(n / perAppend % 1000),
                              store::ExpectedVersion::any(), std::move(batch),
                              {"", "bench", "", "", 1591221599000000});
      if (!r) return r.error();
      bar.update(n);
    }
    bar.finish();
    cli::ProgressBar indexing("indexing the Merkle tree", (*log)->head());
    auto index = engine::MerkleIndex::open(
        **log, logger, [&](store::Position done, store::Position) { indexing.update(done); });
    indexing.finish();
    if (!index) return index.error();
    if (auto st = (*log)->compact(); !st) return st;
  }
  store::Options options;
  options.path = dir.path().string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return log.error();
  auto index = engine::MerkleIndex::open(**log, logger);
  if (!index) return index.error();
  const std::uint64_t size = (*log)->head();
  Figure f = makeFigure("audit.inclusion",
                        "an inclusion proof of a random event in the digest of " +
                            std::to_string(size) + " events (p50)",
                        "us");
  f.higherIsBetter = false;
  f.rawDescription = "raw RocksDB: one point read of a random event, p50";
  f.target = Target{"<= 100 us on 10,000,000 events", {}, 100.0, {}, {}};
  std::mt19937_64 random(s.seed);
  constexpr int samples = 20'000;
  for (int run = 0; run < s.runs; ++run) {
    std::vector<double> ours, raw;
    for (int i = 0; i < samples; ++i) {
      const store::Position p = 1 + random() % size;
      const auto start = Clock::now();
      auto proof = (*index)->inclusionProof(p, size);
      ours.push_back(microsSince(start));
      if (!proof) return proof.error();
    }
    // A read-only instance beside the open log (read-only takes no lock).
    auto rawDb = RawReader::open(dir.path());
    if (!rawDb) return rawDb.error();
    for (int i = 0; i < samples; ++i) {
      const store::Position p = 1 + random() % size;
      std::string value;
      const auto start = Clock::now();
      auto st = rawDb->db->Get(rocksdb::ReadOptions(), rawDb->events, positionKey(p), &value);
      raw.push_back(microsSince(start));
      if (!st.ok()) return Error::ioError("bench audit: " + st.ToString());
    }
    rawDb->close();
    f.runs.push_back(median(ours));
    f.rawRuns.push_back(median(raw));
  }
  finalize(f);
  figures.push_back(std::move(f));
  return okStatus();
}

}  // namespace

Result<std::vector<Figure>> runAudit(const Settings& s, const Logger& logger) {
  std::vector<Figure> figures;
  auto wanted = [&](const std::string& name) {
    return s.filter.empty() || name.find(s.filter) != std::string::npos ||
           s.filter.find(name) != std::string::npos;
  };
  if (wanted("audit.chain")) {
    if (auto st = chainOnOff(s, logger, figures); !st) return st.error();
  }
  if (wanted("audit.verify") || wanted("audit.asof")) {
    if (auto st = overWorkflowLog(s, logger, figures, wanted); !st) return st.error();
  }
  if (wanted("audit.inclusion")) {
    if (auto st = inclusionProofs(s, logger, figures); !st) return st.error();
  }
  return figures;
}

}  // namespace parcours::bench
