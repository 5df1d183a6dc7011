// `parcours calendar`, run as a user runs it: the holidays of a year in both
// languages, delays counted in business days and months with the art. 642
// extension, and bad input refused with exit 2 and the reason.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

Outcome calendar(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> all = {"calendar"};
  all.insert(all.end(), args.begin(), args.end());
  return runCommand(PARCOURS_BIN, all, dir.path() / "err.txt");
}

TEST(CalendarCli, HolidaysOfAYearInFrenchAndEnglish) {
  Outcome table = calendar({"holidays", "--year", "2020"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_TRUE(contains(table.out, "2020-05-21  jeudi / Thursday      Ascension")) << table.out;
  EXPECT_TRUE(contains(table.out, "Lundi de Pentecôte  Whit Monday")) << table.out;
  Outcome json = calendar({"holidays", "--year", "2024", "--alsace-moselle", "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  const auto holidays = nlohmann::json::parse(json.out);
  ASSERT_EQ(holidays.size(), 13u);
  EXPECT_EQ(holidays[1].at("date"), "2024-03-29");
  EXPECT_EQ(holidays[1].at("name_fr"), "Vendredi saint");
  EXPECT_EQ(holidays[1].at("weekday"), "Friday");
}

TEST(CalendarCli, DelaysInBusinessDaysAndMonthsWithTheExtension) {
  Outcome business = calendar({"delay", "--from", "2020-05-07", "--business-days", "1", "--json"});
  ASSERT_EQ(business.exitCode, 0) << business.err;
  EXPECT_EQ(nlohmann::json::parse(business.out).at("end"), "2020-05-11");  // 8 May skipped
  Outcome extended = calendar({"delay", "--from", "2020-06-15", "--months", "2", "--extend"});
  ASSERT_EQ(extended.exitCode, 0) << extended.err;
  EXPECT_TRUE(contains(extended.out, "2020-08-17 (lundi / Monday), extended from 2020-08-15"))
      << extended.out;
  Outcome monthEnd = calendar({"delay", "--from", "2021-01-31", "--months", "1", "--json"});
  EXPECT_EQ(nlohmann::json::parse(monthEnd.out).at("end"), "2021-02-28");
}

TEST(CalendarCli, BadInputIsRefusedWithExit2AndTheReason) {
  Outcome noDate = calendar({"delay", "--from", "2021-02-29", "--days", "1"});
  EXPECT_EQ(noDate.exitCode, 2);
  EXPECT_TRUE(contains(noDate.err, "there is no 2021-02-29")) << noDate.err;
  Outcome two = calendar({"delay", "--from", "2020-01-01", "--days", "1", "--months", "1"});
  EXPECT_EQ(two.exitCode, 2);
  EXPECT_TRUE(contains(two.err, "exactly one of --days, --business-days and --months")) << two.err;
  Outcome before = calendar({"delay", "--from=-020-01-01", "--days", "1"});
  EXPECT_EQ(before.exitCode, 2) << before.out;
  Outcome farBack = calendar({"delay", "--from", "2020-01-01", "--days", "-1000000"});
  EXPECT_EQ(farBack.exitCode, 2) << farBack.out;
  EXPECT_TRUE(contains(farBack.err, "outside the years 1583 to 9999")) << farBack.err;
  Outcome year = calendar({"holidays", "--year", "1200"});
  EXPECT_EQ(year.exitCode, 2);
  EXPECT_TRUE(contains(year.err, "1583 to 9999")) << year.err;
  Outcome help = calendar({"delay", "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_TRUE(contains(help.out, "de date à")) << help.out;
}

}  // namespace
}  // namespace parcours::testing
