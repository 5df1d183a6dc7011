// runCommand, the one loop every command goes through: check the command
// id, decide on fresh reads, append with the versions read, decide again on
// a lost race until its retry time, write nothing on a refusal. Driven here
// through a tiny account on one stream (the workflow's commands read two
// streams; workflow_test.cc drives those).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "parcours/engine/command_runner.h"
#include "temp_dir.h"

namespace parcours::engine {
namespace {

using testing::openLog;
using testing::TempDir;

// A tiny aggregate for the tests: an account that must be opened, then
// takes deposits and refuses overdrafts. Payloads are decimal text.
struct Account {
  struct State {
    bool opened = false;
    long balance = 0;
  };
  struct Command {
    enum class Kind { Open, Deposit, Withdraw } kind;
    long amount = 0;
  };
  // Run on every decision, which is between loading the stream and
  // appending: the place to lose a race (see Interference).
  static inline std::function<void()> onDecide;

  static Status apply(State& state, const store::RecordedEvent& event) {
    if (event.eventType == "AccountOpened") {
      state.opened = true;
    } else if (event.eventType == "Deposited") {
      state.balance += std::stol(event.payload);
    } else if (event.eventType == "Withdrawn") {
      state.balance -= std::stol(event.payload);
    } else {
      return Error::corruption("an Account does not know the event " + event.eventType);
    }
    return okStatus();
  }

  static Result<std::vector<store::NewEvent>> decide(const State& state, const Command& command,
                                                     const Decision&) {
    if (onDecide) onDecide();
    switch (command.kind) {
      case Command::Kind::Open:
        if (state.opened) return Error::refused("the account is already open");
        return std::vector<store::NewEvent>{{"AccountOpened", ""}};
      case Command::Kind::Deposit:
        if (!state.opened) return Error::refused("the account is not open");
        return std::vector<store::NewEvent>{{"Deposited", std::to_string(command.amount)}};
      case Command::Kind::Withdraw:
        if (command.amount > state.balance) {
          return Error::refused("withdrawing " + std::to_string(command.amount) +
                                " would overdraw a balance of " + std::to_string(state.balance));
        }
        return std::vector<store::NewEvent>{{"Withdrawn", std::to_string(command.amount)}};
    }
    return Error::invalidInput("unknown command");
  }
};

// The account's stream folded: its state and the version it was read at.
struct FoldedAccount {
  Account::State state;
  store::StreamVersion version = 0;
};

Result<FoldedAccount> foldAccount(const store::EventLog& log, const std::string& streamId) {
  FoldedAccount folded;
  auto events = log.readStream(streamId, 1, store::Direction::Forward, 10'000);
  if (!events) return std::move(events).takeError();
  for (const store::RecordedEvent& event : *events) {
    if (auto s = Account::apply(folded.state, event); !s) return s.error();
    folded.version = event.streamVersion;
  }
  return folded;
}

// One command on one account through runCommand: fold, decide, write with
// the version read.
class Teller {
 public:
  Teller(store::EventLog& log, const Clock& clock,
         std::chrono::milliseconds retryFor = commandRetryForMax)
      : log_(log), clock_(clock), retryFor_(retryFor) {}

  Result<store::AppendResult> handle(const std::string& streamId, const Account::Command& command,
                                     const CommandMetadata& metadata) {
    return runCommand(
        log_, clock_, metadata,
        [&](const Decision& decision) -> Result<std::vector<store::StreamWrite>> {
          auto folded = foldAccount(log_, streamId);
          if (!folded) return std::move(folded).takeError();
          auto events = Account::decide(folded->state, command, decision);
          if (!events) return std::move(events).takeError();
          std::vector<store::StreamWrite> writes;
          if (!events->empty()) {
            writes.push_back({streamId, store::ExpectedVersion::exactly(folded->version),
                              std::move(events).value()});
          }
          return writes;
        },
        retryFor_);
  }

 private:
  store::EventLog& log_;
  const Clock& clock_;
  std::chrono::milliseconds retryFor_;
};

const Timestamp june3 = fromMicros(1591221599000000);  // 2020-06-03T21:59:59Z

// Counts the decisions and runs `hook` in each, while it lives.
class Interference {
 public:
  Interference() {
    Account::onDecide = [this] {
      ++calls;
      if (hook) hook();
    };
  }
  ~Interference() { Account::onDecide = nullptr; }
  int calls = 0;
  std::function<void()> hook;
};

Account::Command open() {
  return {Account::Command::Kind::Open, 0};
}
Account::Command deposit(long n) {
  return {Account::Command::Kind::Deposit, n};
}
Account::Command withdraw(long n) {
  return {Account::Command::Kind::Withdraw, n};
}

TEST(CommandRunner, DecidesAppendsAndStampsTheClocksTime) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Teller handler(*log, clock);
  ASSERT_TRUE(handler.handle("account-1", open(), {"c1", "alice", "", ""}));
  auto result = handler.handle("account-1", deposit(100), {"c2", "alice", "corr", "c1"});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->streams[0].lastVersion, 2u);
  auto events = log->readStream("account-1", 1, store::Direction::Forward, 10);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].recordedAtMicros, toMicros(june3));
  EXPECT_EQ((*events)[1].actor, "alice");
  EXPECT_EQ((*events)[1].causationId, "c1");
  auto loaded = foldAccount(*log, "account-1");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->state.balance, 100);
  EXPECT_EQ(loaded->version, 2u);
}

TEST(CommandRunner, RefusedCommandWritesNothingAndSaysWhy) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Teller handler(*log, clock);
  ASSERT_TRUE(handler.handle("account-1", open(), {}));
  ASSERT_TRUE(handler.handle("account-1", deposit(30), {}));
  auto result = handler.handle("account-1", withdraw(50), {"w1", "bob", "", ""});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::RefusedByRule);
  EXPECT_EQ(result.error().message, "withdrawing 50 would overdraw a balance of 30");
  EXPECT_EQ(log->head(), 2u);
  EXPECT_FALSE(log->findCommand("w1")->has_value());
}

TEST(CommandRunner, RepeatedCommandIdReturnsTheOriginalWithoutDecidingAgain) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Interference interference;
  Teller handler(*log, clock);
  auto first = handler.handle("account-1", open(), {"open-1", "", "", ""});
  ASSERT_TRUE(first);
  const int decisions = interference.calls;
  // Deciding again would be refused (already open): the original comes back.
  auto again = handler.handle("account-1", open(), {"open-1", "", "", ""});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->lastPosition, first->lastPosition);
  EXPECT_EQ(interference.calls, decisions);
  EXPECT_EQ(log->head(), 1u);
}

TEST(CommandRunner, LosingARaceReloadsAndDecidesAgain) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Interference interference;
  Teller handler(*log, clock);
  ASSERT_TRUE(handler.handle("account-1", open(), {}));
  ASSERT_TRUE(handler.handle("account-1", deposit(100), {}));
  // Someone else withdraws 80 between our load and our append, once.
  interference.calls = 0;
  interference.hook = [&] {
    if (interference.calls == 1) {
      ASSERT_TRUE(
          log->append("account-1", store::ExpectedVersion::any(), {{"Withdrawn", "80"}}, {}));
    }
  };
  // Decided on the reloaded state (balance 20), the withdrawal is refused.
  auto result = handler.handle("account-1", withdraw(50), {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::RefusedByRule);
  EXPECT_EQ(interference.calls, 2);
  // And a command that still fits goes through on its second attempt.
  interference.calls = 0;
  interference.hook = [&] {
    if (interference.calls == 1) {
      ASSERT_TRUE(
          log->append("account-1", store::ExpectedVersion::any(), {{"Deposited", "5"}}, {}));
    }
  };
  auto fits = handler.handle("account-1", withdraw(10), {});
  ASSERT_TRUE(fits) << fits.error().message;
  EXPECT_EQ(interference.calls, 2);
  EXPECT_EQ(foldAccount(*log, "account-1")->state.balance, 15);
}

TEST(CommandRunner, GivesUpWithConflictAfterItsRetryTime) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Interference interference;
  Teller handler(*log, clock, std::chrono::milliseconds(200));
  ASSERT_TRUE(handler.handle("account-1", open(), {}));
  interference.calls = 0;
  interference.hook = [&] {
    ASSERT_TRUE(log->append("account-1", store::ExpectedVersion::any(), {{"Deposited", "1"}}, {}));
  };
  auto result = handler.handle("account-1", deposit(5), {"d5", "", "", ""});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Conflict);
  EXPECT_NE(result.error().message.find("attempts over 200 ms lost the race"), std::string::npos)
      << result.error().message;
  EXPECT_GE(interference.calls, 2);
  EXPECT_FALSE(log->findCommand("d5")->has_value());
}

TEST(CommandRunner, ConcurrentHandlersLoseNoDeposit) {
  TempDir dir;
  auto log = openLog(dir.path());
  ManualClock clock(june3);
  Teller handler(*log, clock);
  ASSERT_TRUE(handler.handle("account-1", open(), {}));
  std::vector<std::thread> threads;
  std::atomic<long> accepted{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = handler.handle("account-1", deposit(1), {});
        if (r) {
          ++accepted;
        } else {
          EXPECT_EQ(r.error().code, ErrorCode::Conflict) << r.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(foldAccount(*log, "account-1")->state.balance, accepted.load());
  EXPECT_GT(accepted.load(), 0);
}

TEST(CommandRunner, HistoryTheCodeDoesNotKnowIsCorruption) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("account-1", store::ExpectedVersion::any(), {{"AccountMerged", ""}}, {}));
  ManualClock clock(june3);
  Teller handler(*log, clock);
  auto result = handler.handle("account-1", deposit(1), {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Corruption);
  EXPECT_EQ(log->head(), 1u);
}

}  // namespace
}  // namespace parcours::engine
