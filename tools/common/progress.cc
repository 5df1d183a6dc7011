#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace parcours::cli {
namespace {
constexpr int barWidth = 30;
constexpr auto redrawEvery = std::chrono::milliseconds(100);
}  // namespace

ProgressBar::ProgressBar(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      colour_(std::getenv("NO_COLOR") == nullptr),
      start_(std::chrono::steady_clock::now()),
      lastDraw_(start_ - redrawEvery) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::uint64_t done) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - lastDraw_ < redrawEvery && done < total_) return;
  lastDraw_ = now;
  draw(done);
}

void ProgressBar::draw(std::uint64_t done) {
  const double fraction =
      total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  const int filled = static_cast<int>(fraction * barWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(barWidth - filled), '.');
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s%-24s%s [%s] %3d%% %llu/%llu %.1fs", colour_ ? "\033[1m" : "",
               label_.c_str(), colour_ ? "\033[0m" : "", bar.c_str(),
               static_cast<int>(fraction * 100), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total_), seconds);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  draw(total_);
  std::fputc('\n', stderr);
  finished_ = true;
}

}  // namespace parcours::cli
