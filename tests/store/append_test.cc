// Appends: expected versions, atomicity, idempotency, limits, reopen.
#include <gtest/gtest.h>

#include "parcours/store/event_log.h"
#include "parcours/store/limits.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::someEvents;
using testing::TempDir;

AppendContext withCommand(std::string commandId) {
  AppendContext context;
  context.commandId = std::move(commandId);
  context.actor = "instructor:alice";
  context.recordedAtMicros = 1591221599000000;
  return context;
}

TEST(Append, NewStreamGetsVersionsFromOneAndContiguousPositions) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto result = log->append("dossier-1", ExpectedVersion::noStream(), someEvents(3), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->firstPosition, 1u);
  EXPECT_EQ(result->lastPosition, 3u);
  ASSERT_EQ(result->streams.size(), 1u);
  EXPECT_EQ(result->streams[0].firstVersion, 1u);
  EXPECT_EQ(result->streams[0].lastVersion, 3u);
  EXPECT_EQ(result->streams[0].positions, (std::vector<Position>{1, 2, 3}));
  EXPECT_FALSE(result->deduplicated);
  EXPECT_EQ(log->head(), 3u);
  EXPECT_EQ(*log->streamVersion("dossier-1"), 3u);
}

TEST(Append, RecordsEveryEnvelopeField) {
  TempDir dir;
  auto log = openLog(dir.path());
  AppendContext context = withCommand("cmd-1");
  context.correlationId = "corr-9";
  context.causationId = "cause-8";
  ASSERT_TRUE(log->append("dossier-1", ExpectedVersion::any(),
                          {{"DossierSubmitted", std::string("bin\0ary", 7)}}, context));
  auto events = log->readAll(1, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  const RecordedEvent& e = (*events)[0];
  EXPECT_EQ(e.position, 1u);
  EXPECT_EQ(e.streamId, "dossier-1");
  EXPECT_EQ(e.streamVersion, 1u);
  EXPECT_EQ(e.eventType, "DossierSubmitted");
  EXPECT_EQ(e.payload, std::string("bin\0ary", 7));
  EXPECT_EQ(e.recordedAtMicros, 1591221599000000);
  EXPECT_EQ(e.actor, "instructor:alice");
  EXPECT_EQ(e.commandId, "cmd-1");
  EXPECT_EQ(e.correlationId, "corr-9");
  EXPECT_EQ(e.causationId, "cause-8");
  // The first event chains onto 32 zero bytes (hash_chain.h).
  EXPECT_EQ(e.prevHash, std::string(32, '\0'));
  EXPECT_EQ(e.hash.size(), 32u);
}

struct ExpectationCase {
  const char* name;
  StreamVersion existing;  // events already in the stream
  ExpectedVersion expected;
  bool accepted;
};

class ExpectedVersions : public ::testing::TestWithParam<ExpectationCase> {};

TEST_P(ExpectedVersions, AcceptOrConflictWithoutWriting) {
  const ExpectationCase& c = GetParam();
  TempDir dir;
  auto log = openLog(dir.path());
  if (c.existing > 0) {
    ASSERT_TRUE(log->append("s-1", ExpectedVersion::any(), someEvents(c.existing), {}));
  }
  auto result = log->append("s-1", c.expected, someEvents(1, "Next"), {});
  if (c.accepted) {
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->streams[0].lastVersion, c.existing + 1);
    EXPECT_EQ(log->head(), c.existing + 1);
  } else {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Conflict);
    const std::string& m = result.error().message;
    EXPECT_NE(m.find("\"s-1\""), std::string::npos) << m;
    EXPECT_NE(m.find("at version " + std::to_string(c.existing)), std::string::npos) << m;
    EXPECT_NE(m.find(c.expected.describe()), std::string::npos) << m;
    EXPECT_EQ(log->head(), c.existing);
    EXPECT_EQ(*log->streamVersion("s-1"), c.existing);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllCases, ExpectedVersions,
    ::testing::Values(ExpectationCase{"AnyOnNewStream", 0, ExpectedVersion::any(), true},
                      ExpectationCase{"AnyOnExistingStream", 2, ExpectedVersion::any(), true},
                      ExpectationCase{"NoStreamOnNewStream", 0, ExpectedVersion::noStream(), true},
                      ExpectationCase{"NoStreamOnExistingStream", 2, ExpectedVersion::noStream(),
                                      false},
                      ExpectationCase{"ExactZeroOnNewStream", 0, ExpectedVersion::exactly(0), true},
                      ExpectationCase{"ExactMatch", 3, ExpectedVersion::exactly(3), true},
                      ExpectationCase{"ExactBehind", 3, ExpectedVersion::exactly(2), false},
                      ExpectationCase{"ExactAhead", 3, ExpectedVersion::exactly(4), false},
                      ExpectationCase{"ExactOnNewStream", 0, ExpectedVersion::exactly(1), false}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Append, SpansSeveralStreamsAtomically) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("campaign-1", ExpectedVersion::any(), someEvents(2), {}));
  AppendRequest grant;
  grant.streams.push_back(
      {"campaign-1", ExpectedVersion::exactly(2), someEvents(1, "BudgetDrawn")});
  grant.streams.push_back({"dossier-7", ExpectedVersion::noStream(), someEvents(2, "Granted")});
  auto result = log->append(grant);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->firstPosition, 3u);
  EXPECT_EQ(result->lastPosition, 5u);
  EXPECT_EQ(result->streams[0].positions, (std::vector<Position>{3}));
  EXPECT_EQ(result->streams[1].positions, (std::vector<Position>{4, 5}));
  EXPECT_EQ(*log->streamVersion("campaign-1"), 3u);
  EXPECT_EQ(*log->streamVersion("dossier-7"), 2u);
}

TEST(Append, ConflictOnOneStreamWritesNothingOnAnyStream) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("campaign-1", ExpectedVersion::any(), someEvents(2), {}));
  AppendRequest grant;
  grant.streams.push_back({"dossier-7", ExpectedVersion::noStream(), someEvents(1, "Granted")});
  grant.streams.push_back({"campaign-1", ExpectedVersion::exactly(1), someEvents(1, "Drawn")});
  grant.context = withCommand("grant-7");
  auto result = log->append(grant);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Conflict);
  EXPECT_EQ(log->head(), 2u);
  EXPECT_EQ(*log->streamVersion("dossier-7"), 0u);
  // The refused command id was not recorded: a corrected retry goes through.
  EXPECT_FALSE(log->findCommand("grant-7")->has_value());
  grant.streams[1].expected = ExpectedVersion::exactly(2);
  EXPECT_TRUE(log->append(grant));
}

TEST(Append, RepeatedCommandIdReturnsOriginalResultAndWritesNothing) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto first =
      log->append("dossier-1", ExpectedVersion::noStream(), someEvents(2), withCommand("submit-1"));
  ASSERT_TRUE(first);
  // Same command id, even with other events and a now-stale expectation.
  auto again =
      log->append("dossier-1", ExpectedVersion::noStream(), someEvents(5), withCommand("submit-1"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->firstPosition, first->firstPosition);
  EXPECT_EQ(again->lastPosition, first->lastPosition);
  EXPECT_EQ(again->streams[0].positions, first->streams[0].positions);
  EXPECT_EQ(log->head(), 2u);
  auto found = log->findCommand("submit-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->lastPosition, 2u);
  EXPECT_FALSE(log->findCommand("never-sent")->has_value());
}

TEST(Append, CommandIdsSurviveReopen) {
  TempDir dir;
  {
    auto log = openLog(dir.path());
    ASSERT_TRUE(log->append("dossier-1", ExpectedVersion::any(), someEvents(1), withCommand("c1")));
  }
  auto log = openLog(dir.path());
  auto again = log->append("dossier-1", ExpectedVersion::any(), someEvents(1), withCommand("c1"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(log->head(), 1u);
}

TEST(Append, ReopenContinuesPositionsAndVersionsExactly) {
  TempDir dir;
  {
    auto log = openLog(dir.path());
    ASSERT_TRUE(log->append("a", ExpectedVersion::any(), someEvents(3), {}));
    ASSERT_TRUE(log->append("b", ExpectedVersion::any(), someEvents(2), {}));
  }
  auto log = openLog(dir.path());
  EXPECT_EQ(log->head(), 5u);
  EXPECT_EQ(*log->streamVersion("a"), 3u);
  auto next = log->append("a", ExpectedVersion::exactly(3), someEvents(1), {});
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->firstPosition, 6u);
  EXPECT_EQ(next->streams[0].firstVersion, 4u);
}

TEST(Append, UnsyncedModeKeepsEverythingThroughACleanClose) {
  TempDir dir;
  {
    auto log = openLog(dir.path(), /*sync=*/false);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(
          log->append("bulk-" + std::to_string(i % 5), ExpectedVersion::any(), someEvents(10), {}));
    }
  }
  auto log = openLog(dir.path());
  EXPECT_EQ(log->head(), 500u);
  EXPECT_EQ(*log->streamVersion("bulk-3"), 100u);
}

// Every bad request: InvalidInput with a message naming the problem, and
// nothing written.
struct BadRequestCase {
  const char* name;
  AppendRequest request;
  const char* messagePart;
};

AppendRequest oneStream(std::string id, std::vector<NewEvent> events) {
  AppendRequest r;
  r.streams.push_back({std::move(id), ExpectedVersion::any(), std::move(events)});
  return r;
}

std::vector<BadRequestCase> badRequests() {
  std::vector<BadRequestCase> cases;
  cases.push_back({"NoStream", AppendRequest{}, "names no stream"});
  cases.push_back({"EmptyStreamId", oneStream("", someEvents(1)), "stream id is empty"});
  cases.push_back({"StreamIdWithNul", oneStream(std::string("a\0b", 3), someEvents(1)),
                   "outside [A-Za-z0-9_.:-]"});
  cases.push_back({"StreamIdWithSpace", oneStream("a b", someEvents(1)), "outside"});
  cases.push_back({"StreamIdTooLong",
                   oneStream(std::string(limits::streamIdBytesMax + 1, 'x'), someEvents(1)),
                   "the limit is 200"});
  cases.push_back({"NoEvents", oneStream("s", {}), "has no event"});
  cases.push_back({"EmptyEventType", oneStream("s", {{"", "x"}}), "has no type"});
  cases.push_back({"EventTypeTooLong",
                   oneStream("s", {{std::string(limits::eventTypeBytesMax + 1, 'T'), ""}}),
                   "event type is 101 bytes"});
  cases.push_back({"PayloadTooLarge",
                   oneStream("s", {{"Big", std::string(limits::payloadBytesMax + 1, 'p')}}),
                   "payload of Big is 65537 bytes; the limit is 65536"});
  cases.push_back({"TooManyEvents", oneStream("s", someEvents(limits::eventsPerAppendMax + 1)),
                   "1001 events; the limit is 1000"});
  AppendRequest twice = oneStream("s", someEvents(1));
  twice.streams.push_back({"s", ExpectedVersion::any(), someEvents(1)});
  cases.push_back({"SameStreamTwice", twice, "appears twice"});
  AppendRequest many;
  for (std::size_t i = 0; i <= limits::streamsPerAppendMax; ++i) {
    many.streams.push_back({"s" + std::to_string(i), ExpectedVersion::any(), someEvents(1)});
  }
  cases.push_back({"TooManyStreams", many, "17 streams; the limit is 16"});
  AppendRequest longCommand = oneStream("s", someEvents(1));
  longCommand.context.commandId = std::string(limits::metadataIdBytesMax + 1, 'c');
  cases.push_back({"CommandIdTooLong", longCommand, "command id is 201 bytes"});
  return cases;
}

class BadRequests : public ::testing::TestWithParam<BadRequestCase> {};

TEST_P(BadRequests, AreRefusedAsInvalidInputAndWriteNothing) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("s", ExpectedVersion::any(), someEvents(1), {}));
  auto result = log->append(GetParam().request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(result.error().message.find(GetParam().messagePart), std::string::npos)
      << result.error().message;
  EXPECT_EQ(log->head(), 1u);
}

INSTANTIATE_TEST_SUITE_P(AllCases, BadRequests, ::testing::ValuesIn(badRequests()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Append, AcceptsTheLargestAllowedPayload) {
  TempDir dir;
  auto log = openLog(dir.path());
  const std::string payload(limits::payloadBytesMax, 'p');
  ASSERT_TRUE(log->append("s", ExpectedVersion::any(), {{"Big", payload}}, {}));
  EXPECT_EQ((*log->readAll(1, 1))[0].payload, payload);
}

}  // namespace
}  // namespace parcours::store
