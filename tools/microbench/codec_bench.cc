// Micro-benchmarks of the envelope codec and key encoding: the per-event
// CPU cost under every append and every read.
#include <benchmark/benchmark.h>

#include "keys.h"
#include "parcours/store/envelope_codec.h"
#include "parcours/store/hash_chain.h"

namespace parcours::store {
namespace {

RecordedEvent sampleEvent(std::size_t payloadBytes) {
  RecordedEvent e;
  e.position = 123456789;
  e.streamId = "dossier-2020-000123";
  e.streamVersion = 7;
  e.eventType = "DossierScored";
  e.recordedAtMicros = 1591221599000000;
  e.actor = "juror:alice";
  e.commandId = "cmd-0123456789abcdef";
  e.payload = std::string(payloadBytes, 'p');
  return e;
}

void BM_EncodeEnvelope(benchmark::State& state) {
  const RecordedEvent event = sampleEvent(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(codec::encodeEnvelope(event));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeEnvelope)->Arg(256)->Arg(4096);

void BM_DecodeEnvelope(benchmark::State& state) {
  const std::string bytes =
      codec::encodeEnvelope(sampleEvent(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) {
    auto event = codec::decodeEnvelope(bytes, {});
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeEnvelope)->Arg(256)->Arg(4096);

// What the hash chain adds to the writer's per-event work: the same
// envelope encoded with its chain hash computed (canonical form + SHA-256).
void BM_EncodeChainedEnvelope(benchmark::State& state) {
  RecordedEvent event = sampleEvent(static_cast<std::size_t>(state.range(0)));
  const std::string prev(32, 'h');
  for (auto _ : state) benchmark::DoNotOptimize(codec::encodeChainedEnvelope(event, prev));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeChainedEnvelope)->Arg(256)->Arg(4096);

// What verify does per stored event: recompute its hash and re-encode it.
void BM_VerifyOneEvent(benchmark::State& state) {
  RecordedEvent event = sampleEvent(static_cast<std::size_t>(state.range(0)));
  const std::string bytes = codec::encodeChainedEnvelope(event, std::string(32, 'h'));
  for (auto _ : state) {
    auto s = codec::visitEnvelope(bytes, {}, [&](const EventView& e) {
      benchmark::DoNotOptimize(chain::eventHash(e) == e.hash);
      benchmark::DoNotOptimize(codec::encodeEnvelope(e.toRecorded()) == e.stored);
      return okStatus();
    });
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyOneEvent)->Arg(256)->Arg(4096);

void BM_StreamKey(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(keys::streamKey("dossier-2020-000123", 42));
}
BENCHMARK(BM_StreamKey);

}  // namespace
}  // namespace parcours::store
