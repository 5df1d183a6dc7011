#include "parcours/store/assert.h"

#include <cstdio>
#include <cstdlib>

namespace parcours {

void assertionFailed(const char* condition, const char* file, int line, const std::string& why) {
  // stderr, unbuffered, without allocating more: the process is going down.
  std::fprintf(stderr, "parcours: internal error: assertion failed: %s at %s:%d: %s\n", condition,
               file, line, why.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace parcours
