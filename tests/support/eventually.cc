#include "eventually.h"

#include <thread>

namespace parcours::testing {

::testing::AssertionResult eventually(std::string_view what, const std::function<bool()>& done,
                                      const std::function<std::string()>& lastSeen,
                                      std::chrono::milliseconds deadline,
                                      std::chrono::milliseconds pollEvery) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (done()) return ::testing::AssertionSuccess();
    const auto waited = std::chrono::steady_clock::now() - start;
    if (waited >= deadline) {
      auto failure = ::testing::AssertionFailure()
                     << "timed out after "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                     << " ms waiting for " << what;
      if (lastSeen) failure << "; last seen: " << lastSeen();
      return failure;
    }
    std::this_thread::sleep_for(pollEvery);
  }
}

}  // namespace parcours::testing
