// Writes the binary seeds of the fuzz corpora (docs/fuzzing.md): real
// stored values, payloads and bundles, taken from a demo store, so the
// fuzzers start from what parcours itself writes. Run once by hand; the
// files are committed (the text seeds, JSON and HTTP, are written by hand).
//   build/release/tests/fuzz/fuzz_seeds tests/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "demo_scenario.h"
#include "keys.h"
#include "local_tsa.h"
#include "parcours/engine/anchors.h"
#include "parcours/engine/key_store.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/workflows/bundle.h"
#include "parcours/workflows/dossier.h"
#include "temp_dir.h"

namespace {

using namespace parcours;
namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  std::cout << file.string() << " (" << bytes.size() << " bytes)\n";
}

int fail(const std::string& what, const Error& error) {
  std::cerr << "fuzz_seeds: " << what << ": " << error.message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seeds CORPUS_DIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  testing::TempDir dir;
  auto log = testing::openLog(dir.path() / "store", false);
  auto keys = engine::KeyStore::open((dir.path() / "keys").string());
  if (!keys) return fail("key store", keys.error());
  // A small demo: every kind of event, short streams, small bundles.
  auto demo = demo::runDemoScenario(
      *log, {20, 2020}, [](const std::string&) {}, keys->get());
  if (!demo) return fail("demo", demo.error());

  // One anchored digest, so a bundle carries an RFC 3161 reply.
  auto index = engine::MerkleIndex::open(*log, testing::testLogger());
  if (!index) return fail("merkle index", index.error());
  testing::TempDir tsaDir;
  testing::LocalTsa tsa(tsaDir.path());
  auto digest = (*index)->digest();
  if (!digest) return fail("digest", digest.error());
  auto request = engine::makeTimestampRequest(engine::timestampedStatement(*digest));
  if (!request) return fail("timestamp request", request.error());
  auto anchored = engine::anchorDigest(*log, **index, *digest, tsa.reply(*request), {}, {});
  if (!anchored) return fail("anchor", anchored.error());

  // Stored values: one envelope of each event type, a command record, keys.
  // encodeEnvelope gives exactly the stored bytes (what verify checks).
  auto events = log->readAll(1, 100'000);
  if (!events) return fail("read", events.error());
  std::set<std::string> seen;
  for (const auto& e : *events) {
    if (!seen.insert(e.eventType).second) continue;
    write(out / "envelope" / (e.eventType + ".bin"), store::codec::encodeEnvelope(e));
    if (e.streamId != engine::anchorStream) {
      write(out / "payload" / (e.eventType + ".bin"), e.payload);
    }
  }
  write(out / "envelope" / "event-key.bin", store::keys::eventKey(42));
  write(out / "envelope" / "stream-key.bin", store::keys::streamKey("dossier-lti-01", 3));
  write(out / "payload" / "contact.bin",
        workflows::encodeContact({"Camille Exemple", "camille@example.org", "+33 1 23 45 67 89"}));

  // The bundle of the demo's most eventful dossier, against the anchored digest.
  if (auto caught = (*index)->catchUp(); !caught) return fail("merkle index", caught.error());
  auto views = workflows::Views::open(*log, testing::testLogger());
  if (!views) return fail("views", views.error());
  workflows::BundleSummary summary;
  auto bundle = workflows::makeBundle(*log, **index, **views, demo->auditedDossier, 0, summary);
  if (!bundle) return fail("bundle", bundle.error());
  write(out / "bundle" / (demo->auditedDossier + ".bundle"), *bundle);
  std::cout << "bundle: " << summary.events << " events, " << summary.anchors << " anchors\n";

  // The demo sets no command ids: an append with one, over two streams,
  // gives the meta value the log keeps for it.
  store::AppendRequest append;
  append.streams = {
      {"seed-a", store::ExpectedVersion::noStream(), {{"Thing", "a"}, {"Thing", "b"}}},
      {"seed-b", store::ExpectedVersion::any(), {{"Thing", "c"}}}};
  append.context.commandId = "seed-command";
  auto appended = log->append(append);
  if (!appended) return fail("append", appended.error());
  auto record = log->findCommand("seed-command");
  if (!record || !*record) return fail("command record", Error::notFound("seed-command"));
  write(out / "envelope" / "command-record.bin", store::codec::encodeCommandRecord(**record));
  return 0;
}
