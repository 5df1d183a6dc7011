// Test support: waiting on an observed condition, never on a sleep.
//
// A test that needs a server, a cluster or a background thread to reach some
// state polls for that state with a deadline, and when the deadline passes it
// says what it waited for and what it saw last. A fixed sleep either wastes
// time or, on a loaded CI machine, is too short (issue 25: a JetStream
// cluster still electing a leader).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace parcours::testing {

// The deadline a test gives a server or cluster to reach a state it must
// reach: generous, since passing it is a failure, never a measurement.
inline constexpr std::chrono::seconds kEventuallyDeadline{30};

// Polls `done` every `pollEvery` until it returns true (success) or
// `deadline` passes (failure naming `what`, and `lastSeen()` when given).
// Use as ASSERT_TRUE(eventually("the replica at 72", [&] { ... }));
::testing::AssertionResult eventually(
    std::string_view what, const std::function<bool()>& done,
    const std::function<std::string()>& lastSeen = {},
    std::chrono::milliseconds deadline = kEventuallyDeadline,
    std::chrono::milliseconds pollEvery = std::chrono::milliseconds(10));

}  // namespace parcours::testing
