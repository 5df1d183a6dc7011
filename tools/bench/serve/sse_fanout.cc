// parcours_sse_bench: SSE fan-out against a running `parcours serve`.
// Opens N subscribers to /v1/events/stream, then submits dossiers over HTTP
// at a steady rate (one event each) and measures, for every event every
// subscriber receives, the delay from the event's recorded time (when the
// command was decided, before its fsync) to its arrival. Prints one JSON
// line: deliveries, events/s written, p50/p99/max delivery in ms.
//   parcours_sse_bench --http 127.0.0.1:8080 --token T --campaign C
#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "parcours/workflows/zoned_time.h"

namespace {

struct Options {
  std::string http;
  std::string token;
  std::string campaign;
  int subscribers = 100;
  int rate = 2000;  // events per second written
  double seconds = 10;
  int writers = 64;  // each waits for its command's fsync: many keep the rate
};

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One subscriber: reads its stream and records each event's delay.
struct Subscriber {
  kj::Own<kj::AsyncInputStream> body;
  std::string buffer;
  std::vector<double> delaysMs;
  char chunk[65536];

  kj::Promise<void> pump() {
    return body->tryRead(chunk, 1, sizeof chunk).then([this](size_t n) -> kj::Promise<void> {
      if (n == 0) return kj::READY_NOW;
      const std::int64_t arrived = nowMicros();
      buffer.append(chunk, n);
      std::size_t end;
      while ((end = buffer.find('\n')) != std::string::npos) {
        if (buffer.compare(0, 6, "data: ") == 0) {
          constexpr std::string_view key = "\"recordedAt\":\"";
          const auto at = buffer.find(key);
          if (at != std::string::npos && at < end) {
            const auto start = at + key.size();
            const auto stop = buffer.find('"', start);
            auto recorded = parcours::workflows::parseInstant(buffer.substr(start, stop - start));
            if (recorded) delaysMs.push_back(static_cast<double>(arrived - *recorded) / 1000.0);
          }
        }
        buffer.erase(0, end + 1);
      }
      return pump();
    });
  }
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"SSE fan-out benchmark against a running `parcours serve`"};
  app.add_option("--http", o.http, "The server's HTTP address")->required();
  app.add_option("--token", o.token, "A token allowed to submit and to subscribe")->required();
  app.add_option("--campaign", o.campaign, "A campaign open for submissions")->required();
  app.add_option("--subscribers", o.subscribers, "Subscribers")->capture_default_str();
  app.add_option("--rate", o.rate, "Events written per second")->capture_default_str();
  app.add_option("--seconds", o.seconds, "How long to write")->capture_default_str();
  app.add_option("--writers", o.writers, "HTTP connections writing")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto io = kj::setupAsyncIo();
  kj::HttpHeaderTable table;
  auto client =
      kj::newHttpClient(io.provider->getTimer(), table, io.provider->getNetwork(), nullptr);
  std::vector<kj::Own<Subscriber>> subscribers;
  kj::Vector<kj::Promise<void>> pumps;
  const std::string bearer = "Bearer " + o.token;
  const std::string url = "http://" + o.http + "/v1/events/stream";
  for (int i = 0; i < o.subscribers; ++i) {
    kj::HttpHeaders headers(table);
    headers.add("Authorization", bearer.c_str());
    auto request = client->request(kj::HttpMethod::GET, url.c_str(), headers, uint64_t(0));
    request.body = nullptr;
    auto response = request.response.wait(io.waitScope);
    if (response.statusCode != 200) {
      std::cerr << "subscriber " << i << ": HTTP " << response.statusCode << "\n";
      return 1;
    }
    auto s = kj::heap<Subscriber>();
    s->body = kj::mv(response.body);
    pumps.add(s->pump().eagerlyEvaluate([](kj::Exception&& e) {
      std::cerr << "subscriber stream failed: " << e.getDescription().cStr() << "\n";
    }));
    subscribers.push_back(kj::mv(s));
  }

  // Writers on their own threads, paced to `rate` events per second overall.
  std::atomic<long> written{0}, failed{0};
  std::atomic<bool> stop{false};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < o.writers; ++w) {
    writers.emplace_back([&, w] {
      auto wio = kj::setupAsyncIo();
      kj::HttpHeaderTable wtable;
      auto wclient =
          kj::newHttpClient(wio.provider->getTimer(), wtable, wio.provider->getNetwork(), nullptr);
      const std::string body =
          "{\"campaignId\":\"" + o.campaign +
          "\",\"application\":{\"applicantName\":\"Commune\",\"applicantKind\":\"commune\","
          "\"title\":\"Fan-out\",\"summary\":\"s\",\"contact\":{\"name\":\"n\",\"email\":\"a@b."
          "fr\"}}}";
      const double perWriter = static_cast<double>(o.rate) / o.writers;
      for (long n = 0; !stop; ++n) {
        // Pace: the n-th command of this writer is due at n / perWriter s.
        const auto due = start + std::chrono::duration<double>(n / perWriter);
        std::this_thread::sleep_until(due);
        if (stop) break;
        kj::HttpHeaders headers(wtable);
        headers.add("Authorization", bearer.c_str());
        const std::string path = "http://" + o.http + "/v1/dossiers/fan-" +
                                 std::to_string(nowMicros()) + "-" + std::to_string(w) + "-" +
                                 std::to_string(n) + "/submit";
        auto request = wclient->request(kj::HttpMethod::POST, path.c_str(), headers, body.size());
        request.body->write(body.data(), body.size()).wait(wio.waitScope);
        request.body = nullptr;
        auto response = request.response.wait(wio.waitScope);
        response.body->readAllText().wait(wio.waitScope);
        (response.statusCode == 200 ? written : failed)++;
      }
    });
  }
  // Receive while writing, then a second more for the stragglers.
  io.provider->getTimer()
      .afterDelay(static_cast<std::int64_t>(o.seconds * 1000) * kj::MILLISECONDS)
      .wait(io.waitScope);
  stop = true;
  for (auto& t : writers) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io.provider->getTimer().afterDelay(1 * kj::SECONDS).wait(io.waitScope);

  std::vector<double> all;
  std::size_t complete = 0;
  for (auto& s : subscribers) {
    all.insert(all.end(), s->delaysMs.begin(), s->delaysMs.end());
    if (s->delaysMs.size() >= static_cast<std::size_t>(written.load())) ++complete;
  }
  const double p50 = percentile(all, 50), p99 = percentile(all, 99);
  const double max = all.empty() ? 0.0 : all.back();  // sorted by percentile()
  std::printf(
      "{\"name\":\"sse.fanout\",\"subscribers\":%d,\"events_written\":%ld,\"write_failures\":%ld,"
      "\"events_per_s\":%.1f,\"deliveries\":%zu,\"subscribers_with_every_event\":%zu,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
      o.subscribers, written.load(), failed.load(), written.load() / elapsed, all.size(), complete,
      p50, p99, max);
  return failed.load() == 0 ? 0 : 1;
}
