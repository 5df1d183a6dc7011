// `parcours bench append|read|scan|all`: parcours against raw RocksDB.
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <tuple>
#include <iostream>
#include <memory>

#include "../bench/bench.h"
#include "commands.h"

namespace parcours::cli {
namespace {

struct BenchOptions {
  std::string workload = "all";
  bool json = false;
  bench::Settings settings;
};

int runBench(const BenchOptions& options, const Context& context) {
  bench::Settings settings = options.settings;
  std::error_code ec;
  // Without --data, each run makes its own directory (mkdtemp) and removes
  // only that one, however it ends: two benches on one machine never share
  // or delete each other's (issue 17, defect 14).
  const bool ownDir = context.dataDir.empty();
  if (ownDir) {
    std::string pattern = (std::filesystem::temp_directory_path() / "parcours-bench.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "parcours bench: cannot create a directory like " << pattern << ": "
                << std::strerror(errno) << "\n";
      return exitCodeFor(ErrorCode::IoError);
    }
    settings.workDir = pattern;
  } else {
    settings.workDir = context.dataDir;
    std::filesystem::create_directories(settings.workDir, ec);
    if (ec) {
      std::cerr << "parcours bench: cannot create " << settings.workDir << ": " << ec.message()
                << "\n";
      return exitCodeFor(ErrorCode::IoError);
    }
  }
  struct RemoveOwnDir {
    const std::filesystem::path* dir;
    ~RemoveOwnDir() {
      std::error_code ignored;
      if (dir != nullptr) std::filesystem::remove_all(*dir, ignored);
    }
  } removeOwnDir{ownDir ? &settings.workDir : nullptr};
  std::cerr << "parcours bench " << options.workload << ": " << settings.runs << " run(s) of "
            << settings.seconds << " s, work dir " << settings.workDir.string() << "\n";
  // Each workload: its name, whether `all` runs it, and its function.
  using Run = std::function<Result<std::vector<bench::Figure>>(const bench::Settings&,
                                                               const bench::Logger&)>;
  const std::vector<std::tuple<std::string, bool, Run>> workloads = {
      {"append", true, bench::runAppend},
      {"read", true,
       [](const bench::Settings& s, const bench::Logger& l) {
         return bench::runReadAndScan(s, true, false, l);
       }},
      {"scan", true,
       [](const bench::Settings& s, const bench::Logger& l) {
         return bench::runReadAndScan(s, false, true, l);
       }},
      {"command", true, bench::runCommands},
      {"drafts", false, bench::runDrafts},
      {"documents", false, bench::runDocuments},
      {"rebuild", true, bench::runRebuild},
      {"audit", false, bench::runAudit},
      {"webhook", false, bench::runWebhooks},
      {"nats", false, bench::runNats},
      {"backup", false, bench::runBackup},
      {"timers", false, bench::runTimers},
  };
  std::vector<bench::Figure> figures;
  const std::string& w = options.workload;
  // `all` runs read and scan over one populated store, as `read` + `scan`.
  bool readAndScanDone = false;
  for (const auto& [name, inAll, run] : workloads) {
    if (w != name && !(w == "all" && inAll)) continue;
    Result<std::vector<bench::Figure>> measured = Error::bug("not run");
    if (w == "all" && (name == "read" || name == "scan")) {
      if (readAndScanDone) continue;
      readAndScanDone = true;
      measured = bench::runReadAndScan(settings, true, true, context.logger);
    } else {
      measured = run(settings, context.logger);
    }
    if (!measured) {
      std::cerr << "parcours bench: " << measured.error().message << "\n";
      return exitCodeFor(measured.error().code);
    }
    for (auto& f : *measured) figures.push_back(std::move(f));
  }
  if (options.json) {
    bench::printJsonLines(figures, std::cout);
  } else {
    bench::printTable(figures, settings, std::cout);
  }
  return 0;
}

}  // namespace

void addBenchCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Measure parcours against raw RocksDB doing the same writes and reads in the same run");
  bench->footer(std::string("\nWorkloads:\n"
                            "  append  durable appends (--appenders: 64 and 16 by default), one "
                            "appender's\n"
                            "          latency, unsynced bulk appends\n"
                            "  read    read one 100-event stream among --streams streams\n"
                            "  scan    read the whole global log in order\n"
                            "  command workflow commands (load, fold, decide, append), 64 in "
                            "flight, durable\n"
                            "  rebuild rebuild every projection over --rebuild-events events\n"
                            "  all     all of the above (the default)\n"
                            "  audit   the hash chain on and off, verify and time travel over\n"
                            "          --audit-events workflow events, inclusion proofs in a log\n"
                            "          of --proof-events events (not in `all`: it fills ~11 M events)\n"
                            "  webhook webhook deliveries of --webhook-events workflow events to a\n"
                            "          loopback receiver, signed, in order (not in `all`)\n"
                            "  nats    the JetStream publisher (catch-up over --nats-events events,\n"
                            "          and keeping up with 8 appenders) and a read replica's\n"
                            "          catch-up, against --nats-url or a nats-server it starts on\n"
                            "          loopback (not in `all`)\n"
                            "  backup  `parcours backup` and `restore` of --backup-events workflow\n"
                            "          events against a raw copy of the same files (not in `all`)\n"
                            "  timers  --timers pending timers scheduled in bulk and the memory\n"
                            "          `serve` needs with them; --fire-timers due timers fired\n"
                            "          through the workflow (1 and 8 threads); the lag at 1,000\n"
                            "          timers due a second (not in `all`)\n"
                            "  drafts  applicants' draft saves, 64 clients each on its own draft,\n"
                            "          durable, against raw synced puts (not in `all`)\n"
                            "  documents 10 MiB documents stored and read back against raw file\n"
                            "          writes (fsynced) and reads; the memory 100 concurrent\n"
                            "          20 MiB uploads take (not in `all`)\n\n"
                            "Output: a table, or with --json one JSON object per line and per\n"
                            "benchmark: name, unit, value (median of the runs), raw_value, ratio,\n"
                            "runs, raw_runs, target, target_met.\n\n"
                            "Example:\n  parcours bench append --seconds 1 --runs 3 --json\n\n") +
                exitCodesHelp);
  bench
      ->add_option("workload", options->workload,
                   "append, read, scan, command, rebuild, all, audit, webhook, nats, backup, timers, "
                   "drafts or documents")
      ->check(CLI::IsMember({"append", "read", "scan", "command", "rebuild", "all", "audit",
                             "webhook", "nats", "backup", "timers", "drafts", "documents"}))
      ->capture_default_str();
  bench->add_flag("--json", options->json, "One JSON object per benchmark per line");
  bench->add_option("--seconds", options->settings.seconds, "Length of one throughput run")
      ->check(CLI::Range(0.05, 600.0))
      ->capture_default_str();
  bench->add_option("--runs", options->settings.runs, "Runs per figure (the median is reported)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  bench->add_option("--payload-bytes", options->settings.payloadBytes, "Payload of each event")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  bench
      ->add_option("--appenders", options->settings.appenders,
                   "append: appender counts of the durable figures (append.durable.N), e.g. 1,4")
      ->delimiter(',')
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  bench->add_option("--streams", options->settings.streams, "read/scan: streams in the store")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  bench
      ->add_option("--hot-streams", options->settings.hotStreams,
                   "read/scan: streams holding 100 events (the ones read)")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  bench->add_option("--reads", options->settings.readsPerRun, "read: stream reads per run")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  bench
      ->add_option("--threads", options->settings.commandThreads,
                   "command: commands in flight, each on its own dossiers")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  bench
      ->add_option("--rebuild-events", options->settings.rebuildEvents,
                   "rebuild: events in the log the projections are rebuilt from")
      ->check(CLI::Range(1000, 100000000))
      ->capture_default_str();
  bench
      ->add_option("--backup-events", options->settings.backupEvents,
                   "backup: events in the workflow log backed up and restored")
      ->check(CLI::Range(1000, 100000000))
      ->capture_default_str();
  bench
      ->add_option("--audit-events", options->settings.auditEvents,
                   "audit: events in the workflow log verified and time-travelled")
      ->check(CLI::Range(1000, 100000000))
      ->capture_default_str();
  bench
      ->add_option("--proof-events", options->settings.proofEvents,
                   "audit: events in the log inclusion proofs are taken from")
      ->check(CLI::Range(1000, 1000000000))
      ->capture_default_str();
  bench
      ->add_option("--nats-events", options->settings.natsEvents,
                   "nats: events in the workflow log published and replicated")
      ->capture_default_str();
  bench
      ->add_option("--nats-rate", options->settings.natsRate,
                   "nats: events/s appended while the publisher keeps up")
      ->check(CLI::Range(100.0, 10000000.0))
      ->capture_default_str();
  bench
      ->add_option("--nats-url", options->settings.natsUrl,
                   "nats: a JetStream server to use (default: start nats-server on loopback)");
  bench
      ->add_option("--webhook-events", options->settings.webhookEvents,
                   "webhook: events in the workflow log delivered")
      ->check(CLI::Range(1000, 10000000))
      ->capture_default_str();
  bench->add_option("--timers", options->settings.timerCount,
                    "timers: pending timers scheduled in bulk")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  bench->add_option("--fire-timers", options->settings.timerFireCount,
                    "timers: due timers fired (each its own campaign)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  bench->add_option("--filter", options->settings.filter,
                    "Only the benchmarks whose name contains this text (e.g. durable.64)");
  bench->add_option("--seed", options->settings.seed, "Seed of payloads and read order")
      ->capture_default_str();
  bench->callback([options, &run] {
    run = [options](const Context& context) { return runBench(*options, context); };
  });
}

}  // namespace parcours::cli
