// Opening a log: refused cleanly when it cannot be used.
#include <gtest/gtest.h>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

TEST(Open, ASecondOpenOfTheSameLogIsRefusedWhileTheFirstHoldsIt) {
  testing::TempDir dir;
  auto first = testing::openLog(dir.path());
  Options options;
  options.path = dir.path().string();
  auto second = EventLog::open(options, testing::testLogger());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::IoError);
  EXPECT_NE(second.error().message.find(dir.path().string()), std::string::npos)
      << second.error().message;
  // The first is untouched.
  EXPECT_TRUE(first->append("s", ExpectedVersion::any(), testing::someEvents(1), {}));
}

TEST(Open, NoPathIsInvalidInput) {
  auto log = EventLog::open(Options{}, testing::testLogger());
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace parcours::store
