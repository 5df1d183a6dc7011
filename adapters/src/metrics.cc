#include "metrics.h"

#include <spdlog/fmt/fmt.h>

namespace parcours::adapters {
namespace {

std::string_view outcomeName(int index) {
  if (index == 0) return "ok";
  return errorCodeName(static_cast<ErrorCode>(index - 1));
}

std::string seconds(std::uint64_t micros) {
  return fmt::format("{:g}", static_cast<double>(micros) / 1e6);
}

template <typename Counts, typename Bounds>
void renderHistogram(std::string& out, std::string_view name, std::string_view labels,
                     const Counts& counts, const Bounds& bounds, std::uint64_t total,
                     const std::string& sum, bool boundsInMicros) {
  std::uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += counts[i];
    const std::string le =
        boundsInMicros ? seconds(bounds[i]) : std::to_string(static_cast<std::uint64_t>(bounds[i]));
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, cumulative);
  }
  cumulative += counts[bounds.size()];
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, cumulative);
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, braces, sum, name, braces, total);
}

}  // namespace

void Metrics::commandDone(std::optional<ErrorCode> error, std::uint64_t micros) {
  Histogram& h = commands_[error ? static_cast<int>(*error) + 1 : 0];
  std::size_t i = 0;
  while (i < latencyBucketsMicros.size() && micros > latencyBucketsMicros[i]) ++i;
  h.buckets[i].fetch_add(1, std::memory_order_relaxed);
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.microsTotal.fetch_add(micros, std::memory_order_relaxed);
}

void Metrics::httpResponse(int status) {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) httpByClass_[cls].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::renderTimers(const engine::TimerCounts& counts,
                                  const engine::SchedulerStats& stats, std::int64_t nowMicros) {
  std::string out;
  out +=
      "# HELP parcours_timers_pending Timers scheduled and neither fired nor cancelled.\n"
      "# TYPE parcours_timers_pending gauge\n";
  out += fmt::format("parcours_timers_pending {}\n", counts.pending);
  const std::int64_t overdue =
      counts.earliest && counts.earliest->dueMicros < nowMicros ? nowMicros - counts.earliest->dueMicros : 0;
  out +=
      "# HELP parcours_timers_oldest_overdue_seconds How long the earliest pending timer is past "
      "its due instant (0: none is due).\n"
      "# TYPE parcours_timers_oldest_overdue_seconds gauge\n";
  out += fmt::format("parcours_timers_oldest_overdue_seconds {}\n",
                     seconds(static_cast<std::uint64_t>(overdue)));
  out +=
      "# HELP parcours_timers_failed_total Firings that failed (the timer stays pending).\n"
      "# TYPE parcours_timers_failed_total counter\n";
  out += fmt::format("parcours_timers_failed_total {}\n", stats.failed);
  out +=
      "# HELP parcours_timer_lag_seconds From a timer's due instant to its firing, by this "
      "server.\n"
      "# TYPE parcours_timer_lag_seconds histogram\n";
  std::array<std::uint64_t, engine::SchedulerStats::lagBucketsMicros.size()> bounds{};
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    bounds[i] = static_cast<std::uint64_t>(engine::SchedulerStats::lagBucketsMicros[i]);
  }
  renderHistogram(out, "parcours_timer_lag_seconds", "", stats.lag, bounds, stats.fired,
                  seconds(static_cast<std::uint64_t>(std::max<std::int64_t>(0, stats.lagMicrosTotal))),
                  true);
  return out;
}

std::string Metrics::render(const store::LogStats& log, store::Position head,
                            store::Position viewsCheckpoint) const {
  std::string out;
  out +=
      "# HELP parcours_log_head Global position of the last durable event.\n"
      "# TYPE parcours_log_head gauge\n";
  out += fmt::format("parcours_log_head {}\n", head);
  out +=
      "# HELP parcours_appends_total Append requests written to the log.\n"
      "# TYPE parcours_appends_total counter\n";
  out += fmt::format("parcours_appends_total {}\n", log.appendRequests);
  out +=
      "# HELP parcours_append_batch_requests Append requests per group-commit batch.\n"
      "# TYPE parcours_append_batch_requests histogram\n";
  renderHistogram(out, "parcours_append_batch_requests", "", log.batchRequests,
                  store::LogStats::batchBuckets, log.batchesWritten,
                  std::to_string(log.appendRequests), false);
  out +=
      "# HELP parcours_fsync_seconds Latency of the write-ahead log's fsyncs.\n"
      "# TYPE parcours_fsync_seconds histogram\n";
  renderHistogram(out, "parcours_fsync_seconds", "", log.syncLatency,
                  store::LogStats::syncBucketsMicros, log.syncs, seconds(log.syncMicrosTotal),
                  true);
  out +=
      "# HELP parcours_command_seconds Command latency (decide, append, fsync) by outcome.\n"
      "# TYPE parcours_command_seconds histogram\n";
  for (int o = 0; o < outcomeCount; ++o) {
    const Histogram& h = commands_[o];
    std::array<std::uint64_t, latencyBucketsMicros.size() + 1> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = h.buckets[i].load();
    renderHistogram(out, "parcours_command_seconds", fmt::format("outcome=\"{}\"", outcomeName(o)),
                    counts, latencyBucketsMicros, h.count.load(), seconds(h.microsTotal.load()),
                    true);
  }
  out +=
      "# HELP parcours_http_responses_total HTTP responses by status class.\n"
      "# TYPE parcours_http_responses_total counter\n";
  for (int c = 1; c <= 5; ++c) {
    out += fmt::format("parcours_http_responses_total{{class=\"{}xx\"}} {}\n", c,
                       httpByClass_[c].load());
  }
  out +=
      "# HELP parcours_subscribers Open event subscriptions (SSE and RPC).\n"
      "# TYPE parcours_subscribers gauge\n";
  out += fmt::format("parcours_subscribers {}\n", subscribers_.load());
  out +=
      "# HELP parcours_events_delivered_total Events delivered to subscribers.\n"
      "# TYPE parcours_events_delivered_total counter\n";
  out += fmt::format("parcours_events_delivered_total {}\n", delivered_.load());
  out +=
      "# HELP parcours_projection_lag_events Events the slowest view is behind the head.\n"
      "# TYPE parcours_projection_lag_events gauge\n";
  out += fmt::format("parcours_projection_lag_events {}\n",
                     head > viewsCheckpoint ? head - viewsCheckpoint : 0);
  return out;
}

}  // namespace parcours::adapters
