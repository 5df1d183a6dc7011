// PARCOURS_ASSERT stays on in release builds: a broken invariant says what
// and where, then aborts (store/include/parcours/store/assert.h).
#include "parcours/store/assert.h"

#include <gtest/gtest.h>

#include <string>

namespace parcours {
namespace {

TEST(Assert, AHoldingInvariantCostsNothingAndEvaluatesNoMessage) {
  int messages = 0;
  auto why = [&] {
    ++messages;
    return std::string("never built");
  };
  PARCOURS_ASSERT(1 + 1 == 2, why());
  EXPECT_EQ(messages, 0);
}

TEST(AssertDeathTest, ABrokenInvariantNamesItselfAndAbortsEvenInRelease) {
  const int position = 7;
  EXPECT_DEATH(PARCOURS_ASSERT(position == 8, "position " + std::to_string(position)),
               "internal error: assertion failed: position == 8 at .*assert_test.cc:[0-9]+: "
               "position 7");
}

}  // namespace
}  // namespace parcours
