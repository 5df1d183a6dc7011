// `parcours bench documents` (docs/documents.md): uploads of 10 MiB
// documents through the document store (hashed, sealed chunk by chunk,
// written, the record's write fsynced) against a raw file write + fsync of
// the same bytes; their download (chunks read and opened) against a raw
// file read; and the memory 100 concurrent 20 MiB uploads take.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "parcours/engine/key_store.h"
#include "parcours/workflows/documents.h"
#include "workload.h"

namespace parcours::bench {
namespace {

constexpr std::size_t tenMiB = 10u << 20;
constexpr std::size_t filesPerRun = 4;
constexpr std::size_t pieceBytes = 64 * 1024;  // what an HTTP read hands over

struct Opened {
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<engine::KeyStore> keys;
  std::unique_ptr<workflows::DocumentStore> documents;
};

Result<Opened> openStore(const std::filesystem::path& dir, const Logger& logger) {
  Opened o;
  store::Options options;
  options.path = (dir / "store").string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  o.log = std::move(log).value();
  auto keys = engine::KeyStore::open((dir / "keys").string());
  if (!keys) return std::move(keys).takeError();
  o.keys = std::move(keys).value();
  auto documents = workflows::DocumentStore::open(*o.log, *o.keys);
  if (!documents) return std::move(documents).takeError();
  o.documents = std::move(documents).value();
  return o;
}

Result<workflows::StoredDocument> uploadOne(workflows::DocumentStore& store, const std::string& id,
                                            const std::string& bytes) {
  auto upload = store.begin(id, bytes.size());
  if (!upload) return std::move(upload).takeError();
  for (std::size_t at = 0; at < bytes.size(); at += pieceBytes) {
    if (auto s = (*upload)->write(std::string_view(bytes).substr(at, pieceBytes)); !s) return s.error();
  }
  return (*upload)->finish("application/pdf");
}

// MiB/s of uploads, and the documents stored for the download.
Result<double> uploads(const Settings& s, const Logger& logger, const std::string& bytes,
                       double* downloadRate) {
  ScratchDir dir(s, "bench-documents");
  auto store = openStore(dir.path(), logger);
  if (!store) return std::move(store).takeError();
  std::vector<workflows::StoredDocument> stored;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < filesPerRun; ++i) {
    std::string file = bytes;
    file[0] = static_cast<char>('a' + i);  // distinct hashes
    auto one = uploadOne(*store->documents, "d" + std::to_string(i), file);
    if (!one) return std::move(one).takeError();
    stored.push_back(*one);
  }
  const double rate = static_cast<double>(filesPerRun * bytes.size()) / (1 << 20) / secondsSince(start);
  if (downloadRate != nullptr) {
    std::size_t read = 0;
    const auto readStart = Clock::now();
    for (const auto& d : stored) {
      if (auto st = store->documents->read(d, 0, d.size, [&](std::string_view piece) {
            read += piece.size();
            return okStatus();
          });
          !st) {
        return st.error();
      }
    }
    *downloadRate = static_cast<double>(read) / (1 << 20) / secondsSince(readStart);
  }
  return rate;
}

// Raw: the same bytes written to files, each fsynced; then read back.
Result<double> rawFiles(const Settings& s, const std::string& bytes, double* readRate) {
  ScratchDir dir(s, "bench-documents-raw");
  const auto start = Clock::now();
  for (std::size_t i = 0; i < filesPerRun; ++i) {
    const auto path = dir.path() / ("f" + std::to_string(i));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return Error::ioError("cannot create " + path.string());
    for (std::size_t at = 0; at < bytes.size(); at += pieceBytes) {
      const std::size_t n = std::min(pieceBytes, bytes.size() - at);
      if (::write(fd, bytes.data() + at, n) != static_cast<ssize_t>(n)) {
        ::close(fd);
        return Error::ioError("cannot write " + path.string());
      }
    }
    ::fdatasync(fd);
    ::close(fd);
  }
  const double rate = static_cast<double>(filesPerRun * bytes.size()) / (1 << 20) / secondsSince(start);
  if (readRate != nullptr) {
    std::string buffer(pieceBytes, '\0');
    std::size_t read = 0;
    const auto readStart = Clock::now();
    for (std::size_t i = 0; i < filesPerRun; ++i) {
      const int fd = ::open((dir.path() / ("f" + std::to_string(i))).c_str(), O_RDONLY);
      for (ssize_t n; (n = ::read(fd, buffer.data(), buffer.size())) > 0;) read += static_cast<std::size_t>(n);
      ::close(fd);
    }
    *readRate = static_cast<double>(read) / (1 << 20) / secondsSince(readStart);
  }
  return rate;
}

std::size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// The resident memory 100 concurrent 20 MiB uploads add, sampled while
// they run: MiB.
Result<double> concurrentUploadsMemory(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-documents-memory");
  auto store = openStore(dir.path(), logger);
  if (!store) return std::move(store).takeError();
  constexpr int uploaders = 100;
  constexpr std::size_t size = 20u << 20;
  const std::string piece = makePayload(pieceBytes, s.seed);
  const std::size_t before = residentBytes();
  std::atomic<std::size_t> peak{before};
  std::atomic<bool> done{false}, failed{false};
  std::thread sampler([&] {
    while (!done) {
      const std::size_t now = residentBytes();
      if (now > peak) peak = now;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < uploaders; ++t) {
    threads.emplace_back([&, t] {
      auto upload = store->documents->begin("m" + std::to_string(t), size);
      if (!upload) {
        failed = true;
        return;
      }
      for (std::size_t at = 0; at < size; at += pieceBytes) {
        std::string p = piece;
        p[0] = static_cast<char>(t);
        if (!(*upload)->write(p)) {
          failed = true;
          return;
        }
      }
      if (!(*upload)->finish("application/pdf")) failed = true;
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  sampler.join();
  if (failed) return Error::ioError("bench documents: a concurrent upload failed");
  return static_cast<double>(peak - before) / (1 << 20);
}

}  // namespace

Result<std::vector<Figure>> runDocuments(const Settings& s, const Logger& logger) {
  const std::string bytes = makePayload(tenMiB, s.seed);
  Figure upload = makeFigure("documents.upload.10MiB",
                             "10 MiB documents stored: hashed, sealed in 60 KiB chunks, "
                             "written, the record fsynced",
                             "MiB/s");
  upload.rawDescription = "the same bytes written to a file and fdatasync'ed, same run";
  upload.target = Target{">= 0.7x raw", {}, {}, 0.7, {}};
  Figure download = makeFigure("documents.download.10MiB",
                               "the same documents read back, chunk by chunk opened", "MiB/s");
  download.rawDescription = "the same files read back (page cache), same run";
  download.target = Target{">= 0.7x raw", {}, {}, 0.7, {}};
  for (int i = 0; i < s.runs; ++i) {
    double down = 0, rawDown = 0;
    auto up = uploads(s, logger, bytes, &down);
    if (!up) return std::move(up).takeError();
    auto raw = rawFiles(s, bytes, &rawDown);
    if (!raw) return std::move(raw).takeError();
    upload.runs.push_back(*up);
    upload.rawRuns.push_back(*raw);
    download.runs.push_back(down);
    download.rawRuns.push_back(rawDown);
  }
  finalize(upload);
  finalize(download);
  Figure memory = makeFigure("documents.memory.100x20MiB",
                             "resident memory added while 100 uploads of 20 MiB run at once",
                             "MiB", false);
  memory.rawDescription = "none (an absolute bound)";
  memory.target = Target{"<= 200 MiB", {}, 200.0, {}, {}};
  auto grown = concurrentUploadsMemory(s, logger);
  if (!grown) return std::move(grown).takeError();
  memory.runs.push_back(*grown);
  memory.rawRuns.push_back(0);
  finalize(memory);
  return std::vector<Figure>{std::move(upload), std::move(download), std::move(memory)};
}

}  // namespace parcours::bench
