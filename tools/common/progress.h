// A progress bar for long work (rebuild, verify, import, bench setup).
// Drawn on stderr only when stderr is a terminal, so pipes and CI logs stay
// clean; NO_COLOR turns off the colour, not the bar.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace parcours::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total);
  ~ProgressBar();  // finishes the line
  void update(std::uint64_t done);
  void finish();

 private:
  void draw(std::uint64_t done);
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool colour_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace parcours::cli
