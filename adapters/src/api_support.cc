// What the Api's operations share, split by subject (api.cc, api_drafts.cc):
// the refusal of a role, a command's context, read-your-writes.
#include "api_support.h"

#include <thread>

#include "parcours/workflows/domain_events.h"
#include "server_limits.h"

namespace parcours::adapters {

using workflows::toString;

Error forbidden(const Principal& who, std::string_view what) {
  std::string roles;
  for (Role r : who.roles) roles += (roles.empty() ? "" : ", ") + std::string(roleName(r));
  return Error::unauthorized(who.subject + " (" + roles + ") may not " + std::string(what));
}

std::uint64_t microsSince(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
}

// An idempotency key is the caller's own: the log records it as
// "<subject>/<key>", so one subject's key never answers another's command
// (issue 17, defect 8).
Result<workflows::CommandContext> commandContext(const Principal& who,
                                                 capnp::Text::Reader commandId,
                                                 capnp::Text::Reader reason) {
  workflows::CommandContext context;
  const std::string key = toString(commandId);
  if (key.size() > idempotencyKeyBytesMax) {
    return Error::invalidInput("the idempotency key is " + std::to_string(key.size()) +
                               " bytes, over the limit of " +
                               std::to_string(idempotencyKeyBytesMax));
  }
  if (who.subject.size() > subjectBytesMax) {
    return Error::invalidInput("the token's subject is over " + std::to_string(subjectBytesMax) +
                               " bytes");
  }
  if (!key.empty()) context.metadata.commandId = who.subject + "/" + key;
  context.metadata.actor = who.subject;  // never a value from the request
  context.reason = toString(reason);
  return context;
}

// Read-your-writes: a write is answered once the views show it, so whoever
// wrote reads what they wrote. The views follow the log within
// milliseconds; past this the answer goes out anyway (the write is durable).
constexpr auto viewsWaitMax = std::chrono::seconds(2);

void awaitViews(const workflows::Views& views, store::Position position) {
  const auto deadline = std::chrono::steady_clock::now() + viewsWaitMax;
  while (views.checkpoint() < position && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

void writeAppend(const store::AppendResult& appended, rpc::CommandResult::Builder out) {
  out.setFirstPosition(appended.firstPosition);
  out.setLastPosition(appended.lastPosition);
  out.setDeduplicated(appended.deduplicated);
  auto streams = out.initStreams(static_cast<unsigned>(appended.streams.size()));
  for (unsigned i = 0; i < streams.size(); ++i) {
    const store::StreamAppendResult& s = appended.streams[i];
    streams[i].setStreamId(s.streamId);
    streams[i].setFirstVersion(s.firstVersion);
    streams[i].setLastVersion(s.lastVersion);
    auto positions = streams[i].initPositions(static_cast<unsigned>(s.positions.size()));
    for (unsigned p = 0; p < positions.size(); ++p) positions.set(p, s.positions[p]);
  }
}

}  // namespace parcours::adapters
