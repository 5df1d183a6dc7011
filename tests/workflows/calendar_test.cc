// The campaign's calendar against dates known independently: Easter and its
// holidays 2020-2030 (as published by the French government's calendar of
// public holidays), business days around them, months "de date à date",
// and the first instant of a day across daylight-saving changes.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "parcours/workflows/calendar.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

CivilDate d(const char* text) {
  auto parsed = parseCivilDate(text);
  EXPECT_TRUE(parsed) << text << ": " << parsed.error().message;
  return parsed ? *parsed : CivilDate{};
}

// Easter Sunday, Easter Monday, Ascension and Whit Monday, 2020 to 2030.
struct EasterYear {
  int year;
  const char* easter;
  const char* easterMonday;
  const char* ascension;
  const char* whitMonday;
};
constexpr EasterYear easterTable[] = {
    {2020, "2020-04-12", "2020-04-13", "2020-05-21", "2020-06-01"},
    {2021, "2021-04-04", "2021-04-05", "2021-05-13", "2021-05-24"},
    {2022, "2022-04-17", "2022-04-18", "2022-05-26", "2022-06-06"},
    {2023, "2023-04-09", "2023-04-10", "2023-05-18", "2023-05-29"},
    {2024, "2024-03-31", "2024-04-01", "2024-05-09", "2024-05-20"},
    {2025, "2025-04-20", "2025-04-21", "2025-05-29", "2025-06-09"},
    {2026, "2026-04-05", "2026-04-06", "2026-05-14", "2026-05-25"},
    {2027, "2027-03-28", "2027-03-29", "2027-05-06", "2027-05-17"},
    {2028, "2028-04-16", "2028-04-17", "2028-05-25", "2028-06-05"},
    {2029, "2029-04-01", "2029-04-02", "2029-05-10", "2029-05-21"},
    {2030, "2030-04-21", "2030-04-22", "2030-05-30", "2030-06-10"},
};

TEST(Calendar, EasterAndItsHolidaysFrom2020To2030AreTheKnownDates) {
  for (const EasterYear& y : easterTable) {
    EXPECT_EQ(formatCivilDate(easterSunday(y.year)), y.easter) << y.year;
    std::map<std::string, std::string> byName;
    for (const PublicHoliday& h : publicHolidays(y.year, {})) {
      byName[std::string(h.nameEn)] = formatCivilDate(h.date);
    }
    EXPECT_EQ(byName.size(), 11u) << y.year << ": 11 public holidays (Code du travail, L3133-1)";
    EXPECT_EQ(byName["Easter Monday"], y.easterMonday) << y.year;
    EXPECT_EQ(byName["Ascension Day"], y.ascension) << y.year;
    EXPECT_EQ(byName["Whit Monday"], y.whitMonday) << y.year;
    EXPECT_EQ(byName["Bastille Day"], std::to_string(y.year) + "-07-14");
    EXPECT_EQ(byName["Armistice Day"], std::to_string(y.year) + "-11-11");
    EXPECT_FALSE(byName.count("Good Friday")) << "only in Alsace-Moselle";
  }
}

TEST(Calendar, AlsaceMoselleAddsGoodFridayAndSaintStephen) {
  const CalendarOptions alsace{true};
  const auto holidays = publicHolidays(2024, alsace);
  EXPECT_EQ(holidays.size(), 13u);
  EXPECT_TRUE(isPublicHoliday(d("2024-03-29"), alsace));  // Good Friday: Easter 31 March - 2
  EXPECT_TRUE(isPublicHoliday(d("2024-12-26"), alsace));
  EXPECT_FALSE(isPublicHoliday(d("2024-03-29"), {}));
  EXPECT_FALSE(isPublicHoliday(d("2024-12-26"), {}));
  for (std::size_t i = 1; i < holidays.size(); ++i) {
    EXPECT_LT(holidays[i - 1].date, holidays[i].date) << "in date order";
  }
}

TEST(Calendar, BusinessDaysSkipWeekendsAndPublicHolidays) {
  EXPECT_EQ(isoWeekday(d("2020-06-19")), 5u);  // the Label's deadline: a Friday
  EXPECT_TRUE(isBusinessDay(d("2020-06-19"), {}));
  EXPECT_FALSE(isBusinessDay(d("2020-06-20"), {}));  // Saturday
  EXPECT_FALSE(isBusinessDay(d("2020-05-01"), {}));  // Friday, Labour Day
  // From Thursday 7 May 2020: Friday 8 May is Victory Day, so the next
  // business day is Monday 11 May.
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2020-05-07"), 1, {})), "2020-05-11");
  // Ascension (Thu 21 May 2020) and Whit Monday (1 June) fall in 10 business
  // days from Monday 18 May: 19, 20, 22, 25, 26, 27, 28, 29, 2, 3 June.
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2020-05-18"), 10, {})), "2020-06-03");
  // 0 business days from a holiday: the next business day.
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2020-05-01"), 0, {})), "2020-05-04");
  // Counted from the day after, whatever the day: Saturday + 1 is Monday, a
  // holiday (Friday 1 May 2020) + 1 is Monday the 4th.
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2020-06-20"), 1, {})), "2020-06-22");
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2020-05-01"), 1, {})), "2020-05-04");
  // Christmas: Tuesday 24 Dec 2019 + 3 is Monday the 30th (25th a holiday,
  // then 26, 27, 30); in Alsace-Moselle the 26th is one too, so the 31st.
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2019-12-24"), 3, {})), "2019-12-30");
  EXPECT_EQ(formatCivilDate(addBusinessDays(d("2019-12-24"), 3, {true})), "2019-12-31");
}

TEST(Calendar, MonthsAreCountedFromDateToDate) {
  EXPECT_EQ(formatCivilDate(addMonths(d("2020-06-15"), 2)), "2020-08-15");
  EXPECT_EQ(formatCivilDate(addMonths(d("2020-01-31"), 1)), "2020-02-29");  // leap year
  EXPECT_EQ(formatCivilDate(addMonths(d("2021-01-31"), 1)), "2021-02-28");
  EXPECT_EQ(formatCivilDate(addMonths(d("2020-11-30"), 3)), "2021-02-28");
  EXPECT_EQ(formatCivilDate(addMonths(d("2020-03-31"), -1)), "2020-02-29");
  EXPECT_EQ(formatCivilDate(addMonths(d("2020-10-15"), 14)), "2021-12-15");
  // A delay ending on a Saturday runs to the next business day (CPC art. 642):
  // two months from 20 June 2020 end on Thursday 20 August; from 17 May on
  // Friday 17 July, and from 16 May on Thursday 16 July; 14 July 2021
  // (Wednesday) is a holiday, so a delay ending then runs to the 15th.
  EXPECT_EQ(formatCivilDate(extendToBusinessDay(addMonths(d("2020-06-20"), 2), {})), "2020-08-20");
  EXPECT_EQ(formatCivilDate(extendToBusinessDay(d("2020-08-15"), {})), "2020-08-17");
  EXPECT_EQ(formatCivilDate(extendToBusinessDay(d("2021-07-14"), {})), "2021-07-15");
}

TEST(Calendar, TheFirstInstantOfADayFollowsDaylightSavingChanges) {
  // Paris moves to summer time at 02:00 on 29 March 2020: midnight is still
  // UTC+1; the next midnight is UTC+2.
  EXPECT_EQ(formatUtc(*startOfDay(d("2020-03-29"), "Europe/Paris")), "2020-03-28T23:00:00.000000Z");
  EXPECT_EQ(formatUtc(*startOfDay(d("2020-03-30"), "Europe/Paris")), "2020-03-29T22:00:00.000000Z");
  EXPECT_EQ(formatUtc(*startOfDay(d("2020-10-25"), "Europe/Paris")), "2020-10-24T22:00:00.000000Z");
  EXPECT_EQ(formatUtc(*startOfDay(d("2020-10-26"), "Europe/Paris")), "2020-10-25T23:00:00.000000Z");
  // Where a change skips midnight (São Paulo, 4 November 2018, 00:00 ->
  // 01:00), the day starts at the end of the gap.
  EXPECT_EQ(formatUtc(*startOfDay(d("2018-11-04"), "America/Sao_Paulo")),
            "2018-11-04T03:00:00.000000Z");
  // And back: an instant's civil date is the zone's, not UTC's.
  auto late = parseInstant("2020-06-19T22:30:00Z");  // 00:30 on the 20th in Paris
  ASSERT_TRUE(late);
  EXPECT_EQ(formatCivilDate(*civilDateIn(*late, "Europe/Paris")), "2020-06-20");
  EXPECT_EQ(formatCivilDate(*civilDateIn(*late, "UTC")), "2020-06-19");
  // 15 business days after a file complete on Friday 19 June 2020 (Paris)
  // end on Friday 10 July; the delay has run out at the first instant of
  // the 11th, there.
  const CivilDate due = addBusinessDays(d("2020-06-19"), 15, {});
  EXPECT_EQ(formatCivilDate(due), "2020-07-10");
  EXPECT_EQ(formatUtc(*startOfDay(addCalendarDays(due, 1), "Europe/Paris")),
            "2020-07-10T22:00:00.000000Z");
}

TEST(Calendar, MalformedDatesAndUnknownZonesAreRefusedWithTheReason) {
  for (const char* bad : {"2021-02-29", "2020-13-01", "2020-6-19", "19/06/2020", "", "2020-06-19T",
                          "-020-01-01", "1582-12-31"}) {
    auto parsed = parseCivilDate(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput) << bad;
  }
  EXPECT_NE(parseCivilDate("2021-02-29").error().message.find("no 2021-02-29"), std::string::npos);
  auto unknown = startOfDay(d("2020-06-19"), "Europe/Atlantis");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("Europe/Atlantis"), std::string::npos);
  EXPECT_FALSE(civilDateIn(0, "Nowhere/Else"));
}

}  // namespace
}  // namespace parcours::workflows
