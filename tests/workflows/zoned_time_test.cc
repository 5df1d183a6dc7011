// Deadlines in Europe/Paris and the instants they are compared with: the
// edges of both 2020 calls, daylight-saving gaps and folds, RFC 3339 text.
#include "parcours/workflows/zoned_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace parcours::workflows {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t second = 1'000'000;
// 2020-06-19T21:59:59Z: the label's deadline, 23:59:59 in Paris (CEST).
constexpr std::int64_t labelDeadline = 1592603999 * second;

std::int64_t paris(const std::string& local) {
  auto micros = parseLocalTime(local, "Europe/Paris");
  EXPECT_TRUE(micros) << local << ": " << (micros ? "" : micros.error().message);
  return micros ? *micros : 0;
}

std::int64_t instant(const std::string& text) {
  auto micros = parseInstant(text);
  EXPECT_TRUE(micros) << text << ": " << (micros ? "" : micros.error().message);
  return micros ? *micros : 0;
}

std::string localError(const std::string& local, const std::string& zone = "Europe/Paris") {
  auto micros = parseLocalTime(local, zone);
  if (micros) return "(accepted)";
  EXPECT_EQ(micros.error().code, ErrorCode::InvalidInput);
  return micros.error().message;
}

std::string instantError(const std::string& text) {
  auto micros = parseInstant(text);
  if (micros) return "(accepted)";
  EXPECT_EQ(micros.error().code, ErrorCode::InvalidInput);
  return micros.error().message;
}

TEST(ZonedTime, LabelDeadlineIsTheLastSecondOfJune19InParis) {
  EXPECT_EQ(paris("2020-06-19T23:59:59"), labelDeadline);
  EXPECT_EQ(paris("2020-06-19T23:59:59"), instant("2020-06-19T21:59:59Z"));
  EXPECT_EQ(formatUtc(labelDeadline), "2020-06-19T21:59:59.000000Z");
  EXPECT_EQ(formatInZone(labelDeadline, "Europe/Paris"), "2020-06-19T23:59:59+02:00");
}

TEST(ZonedTime, MidnightTheNextDayIsAfterTheDeadline) {
  const std::int64_t midnight = paris("2020-06-20T00:00:00");
  EXPECT_EQ(midnight, labelDeadline + second);
  EXPECT_GT(midnight, labelDeadline);
  EXPECT_EQ(instant("2020-06-20T00:00:01+02:00"), labelDeadline + 2 * second);
  EXPECT_EQ(formatInZone(labelDeadline + 2 * second, "Europe/Paris"), "2020-06-20T00:00:01+02:00");
}

TEST(ZonedTime, SudDeadline) {
  EXPECT_EQ(paris("2020-06-03T23:59:59"), 1591221599 * second);
  EXPECT_EQ(paris("2020-06-03T23:59:59"), instant("2020-06-03T23:59:59+02:00"));
}

TEST(ZonedTime, SecondsAreOptionalInLocalTimes) {
  EXPECT_EQ(paris("2020-06-19T23:59"), paris("2020-06-19T23:59:00"));
}

TEST(ZonedTime, WinterIsPlusOneSummerPlusTwo) {
  EXPECT_EQ(formatInZone(paris("2020-01-15T12:00:00"), "Europe/Paris"),
            "2020-01-15T12:00:00+01:00");
  EXPECT_EQ(formatInZone(paris("2020-07-15T12:00:00"), "Europe/Paris"),
            "2020-07-15T12:00:00+02:00");
  EXPECT_EQ(paris("2020-01-15T12:00:00"), instant("2020-01-15T11:00:00Z"));
  EXPECT_EQ(paris("2020-07-15T12:00:00"), instant("2020-07-15T10:00:00Z"));
}

TEST(ZonedTime, SpringGapIsRefused) {
  const std::string message = localError("2020-03-29T02:30:00");
  EXPECT_THAT(message, HasSubstr("\"2020-03-29T02:30:00\" does not exist in Europe/Paris"));
  EXPECT_THAT(message, HasSubstr("2020-03-29T02:00:00 straight to 2020-03-29T03:00:00"));
  EXPECT_THAT(localError("2020-03-29T02:00:00"), HasSubstr("does not exist"));
  // Either side of the gap is one second apart.
  EXPECT_EQ(paris("2020-03-29T03:00:00") - paris("2020-03-29T01:59:59"), second);
  EXPECT_EQ(formatInZone(paris("2020-03-29T01:59:59"), "Europe/Paris"),
            "2020-03-29T01:59:59+01:00");
  EXPECT_EQ(formatInZone(paris("2020-03-29T03:00:00"), "Europe/Paris"),
            "2020-03-29T03:00:00+02:00");
}

TEST(ZonedTime, AutumnFoldIsRefused) {
  const std::string message = localError("2020-10-25T02:30:00");
  EXPECT_THAT(message, HasSubstr("\"2020-10-25T02:30:00\" is ambiguous in Europe/Paris"));
  EXPECT_THAT(message, HasSubstr("at +02:00 and at +01:00"));
  EXPECT_THAT(localError("2020-10-25T02:00:00"), HasSubstr("is ambiguous"));
  EXPECT_EQ(paris("2020-10-25T03:00:00") - paris("2020-10-25T01:59:59"),
            2 * 3600 * second + second);
}

TEST(ZonedTime, UnknownZoneIsRefused) {
  EXPECT_THAT(localError("2020-06-19T23:59:59", "Europe/Pariss"),
              HasSubstr("unknown time zone \"Europe/Pariss\""));
  EXPECT_THAT(localError("2020-06-19T23:59:59", ""), HasSubstr("unknown time zone \"\""));
  EXPECT_FALSE(validateTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(validateTimeZone("../../etc/passwd"));
  EXPECT_TRUE(validateTimeZone("Europe/Paris"));
  EXPECT_TRUE(validateTimeZone("UTC"));
}

TEST(ZonedTime, MalformedLocalTimesAreRefused) {
  for (const std::string bad :
       {"2020-6-19T23:59:59", "2020-06-19 23:59:59", "2020-06-19", "2020-06-19T23:59:59Z",
        "2020-06-19T23:59:59.5", "2020-06-19T23:59:5", " 2020-06-19T23:59:59", "", "yesterday"}) {
    EXPECT_THAT(localError(bad), HasSubstr("is not a valid local time: expected YYYY-MM-DD"))
        << bad;
  }
}

TEST(ZonedTime, DatesAndTimesThatDoNotExistAreRefused) {
  EXPECT_EQ(localError("2020-06-31T23:59:59"),
            "\"2020-06-31T23:59:59\" is not a valid local time: 2020-06-31 is not a date");
  EXPECT_THAT(localError("2021-02-29T12:00:00"), HasSubstr("2021-02-29 is not a date"));
  EXPECT_THAT(localError("2020-13-01T12:00:00"), HasSubstr("is not a date"));
  EXPECT_THAT(localError("2020-06-19T24:00:00"), HasSubstr("24:00:00 is not a time of day"));
  EXPECT_THAT(localError("2020-06-19T23:60"), HasSubstr("23:60 is not a time of day"));
  EXPECT_NE(paris("2020-02-29T12:00:00"), 0);  // a leap day exists
}

TEST(ZonedTime, ParseInstantWithZAndOffsets) {
  const std::int64_t t = 1592604001 * second;  // 2020-06-19T22:00:01Z
  EXPECT_EQ(instant("2020-06-19T22:00:01Z"), t);
  EXPECT_EQ(instant("2020-06-19t22:00:01z"), t);
  EXPECT_EQ(instant("2020-06-20T00:00:01+02:00"), t);
  EXPECT_EQ(instant("2020-06-19T17:00:01-05:00"), t);
  EXPECT_EQ(instant("2020-06-20T03:30:01+05:30"), t);
  EXPECT_EQ(instant("2020-06-19T22:00:01+00:00"), t);
  EXPECT_EQ(instant("2020-06-19T22:00:01-00:00"), t);
  EXPECT_EQ(instant("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(instant("1969-12-31T23:59:59Z"), -second);
}

TEST(ZonedTime, ParseInstantFractions) {
  const std::int64_t t = 1592604001 * second;
  EXPECT_EQ(instant("2020-06-19T22:00:01.5Z"), t + 500000);
  EXPECT_EQ(instant("2020-06-19T22:00:01.000001Z"), t + 1);
  EXPECT_EQ(instant("2020-06-19T22:00:01.123456+00:00"), t + 123456);
  // Beyond the microsecond, digits are dropped: the log counts microseconds.
  EXPECT_EQ(instant("2020-06-19T22:00:01.123456789Z"), t + 123456);
  EXPECT_EQ(instant("1969-12-31T23:59:59.5Z"), -500000);
  EXPECT_THAT(instantError("2020-06-19T22:00:01.Z"), HasSubstr("1 to 9 digits"));
  EXPECT_THAT(instantError("2020-06-19T22:00:01.1234567890Z"), HasSubstr("1 to 9 digits"));
}

TEST(ZonedTime, ParseInstantRefusesGarbage) {
  for (const std::string bad :
       {"", "garbage", "2020-06-19T22:00:01", "2020-06-19T22:00Z", "2020-06-19 22:00:01Z",
        "2020-06-19T22:00:01+0200", "2020-06-19T22:00:01+02", "2020-06-19T22:00:01Z ",
        "2020-06-19T22:00:01ZZ", "2020-06-19T22:00:01 +02:00", "20200619T220001Z",
        "2020-06-19T22:00:01+02:00[Europe/Paris]"}) {
    EXPECT_THAT(instantError(bad), HasSubstr("is not an RFC 3339 instant")) << bad;
  }
  EXPECT_THAT(instantError("garbage"), HasSubstr("e.g. \"2020-06-20T00:00:01+02:00\""));
  EXPECT_THAT(instantError("2020-06-19T22:00:01+24:00"), HasSubstr("offset"));
  EXPECT_THAT(instantError("2020-06-19T22:00:60Z"), HasSubstr("not a time of day"));
  EXPECT_THAT(instantError("2020-02-30T22:00:00Z"), HasSubstr("2020-02-30 is not a date"));
}

TEST(ZonedTime, FormatInZoneRoundTrips) {
  for (const std::string zone :
       {"Europe/Paris", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"}) {
    // Every 7 hours and 13 seconds through 2020, across both changes of time.
    for (std::int64_t t = instant("2020-01-01T00:00:00Z"); t < instant("2021-01-01T00:00:00Z");
         t += (7 * 3600 + 13) * second) {
      const std::string text = formatInZone(t, zone);
      EXPECT_EQ(instant(text), t) << zone << " " << text;
    }
  }
}

TEST(ZonedTime, FormatInZoneTruncatesToTheSecond) {
  EXPECT_EQ(formatInZone(labelDeadline + 999999, "Europe/Paris"), "2020-06-19T23:59:59+02:00");
  EXPECT_EQ(formatInZone(-1, "UTC"), "1969-12-31T23:59:59+00:00");
  EXPECT_EQ(formatUtc(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(ZonedTime, FormatInZoneOffsets) {
  EXPECT_EQ(formatInZone(0, "UTC"), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(formatInZone(labelDeadline, "Asia/Kolkata"), "2020-06-20T03:29:59+05:30");
  EXPECT_EQ(formatInZone(labelDeadline, "America/New_York"), "2020-06-19T17:59:59-04:00");
  // An unknown zone prints UTC, marked Z: it is not that zone's offset.
  EXPECT_EQ(formatInZone(labelDeadline, "Nowhere/Land"), "2020-06-19T21:59:59Z");
}

TEST(ZonedTime, LocalMeanTimeOffsetsStillRoundTrip) {
  // Paris kept its local mean time (+00:09:21) until 1911; RFC 3339
  // offsets are whole minutes, so the second part is dropped consistently.
  const std::int64_t t = instant("1900-06-01T12:00:00Z");
  const std::string text = formatInZone(t, "Europe/Paris");
  EXPECT_EQ(text, "1900-06-01T12:09:00+00:09");
  EXPECT_EQ(instant(text), t);
}

TEST(ZonedTime, ExtremeInstantsAreNotPrintedAsWrappedYears) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  EXPECT_THAT(formatUtc(max), HasSubstr("out of range"));
  EXPECT_THAT(formatUtc(min), HasSubstr("out of range"));
  EXPECT_THAT(formatInZone(max, "Europe/Paris"), HasSubstr("out of range"));
  EXPECT_THAT(formatInZone(min, "Nowhere/Land"), HasSubstr("out of range"));
  EXPECT_EQ(formatUtc(instant("9999-12-31T23:59:59.999999Z")), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(formatUtc(instant("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace parcours::workflows
