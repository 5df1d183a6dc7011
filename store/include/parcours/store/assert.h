// PARCOURS_ASSERT: an invariant checked in every build, release included.
//
// For what can only be false through a bug in parcours (never for bad
// input, which gets an Error): the positions the writer hands out, the
// chain's tip, a request the writer takes having been validated, the order
// of a projection's checkpoints, the state machine's decision agreeing
// with the fold of its events. A broken invariant means the next write
// could corrupt the log, so the process says where and why on stderr, then
// aborts: a crash loses nothing acknowledged (the log is durable first),
// while going on could write a wrong event that every replay would repeat.
#pragma once

#include <string>

namespace parcours {

[[noreturn]] void assertionFailed(const char* condition, const char* file, int line,
                                  const std::string& why);

}  // namespace parcours

// `why` is any expression convertible to std::string, evaluated only on failure.
#define PARCOURS_ASSERT(condition, why)                                      \
  do {                                                                       \
    if (!(condition)) [[unlikely]] {                                         \
      ::parcours::assertionFailed(#condition, __FILE__, __LINE__, (why));    \
    }                                                                        \
  } while (false)
