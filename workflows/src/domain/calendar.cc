#include "parcours/workflows/calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>

namespace parcours::workflows {
namespace {

date::year_month_day toYmd(const CivilDate& d) {
  return date::year{d.year} / date::month{d.month} / date::day{d.day};
}

CivilDate fromYmd(const date::year_month_day& ymd) {
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

const date::time_zone* findZone(std::string_view zone) {
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

Result<CivilDate> parseCivilDate(std::string_view text) {
  auto refuse = [&] {
    return Error::invalidInput("\"" + std::string(text.substr(0, 40)) +
                               "\" is not a date written YYYY-MM-DD (e.g. 2020-06-19)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return refuse();
  int year = 0;
  unsigned month = 0, day = 0;
  auto number = [&](std::size_t at, std::size_t length, auto& out) {
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + length, out);
    return ec == std::errc() && end == text.data() + at + length;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return refuse();
  if (year < civilYearMin) {
    return Error::invalidInput(std::string(text) + " is before 1583, the Gregorian calendar's first full year");
  }
  const CivilDate date{year, month, day};
  if (!toYmd(date).ok()) {
    return Error::invalidInput("there is no " + std::string(text) + " in the calendar");
  }
  return date;
}

std::string formatCivilDate(const CivilDate& date) {
  return date::format("%F", date::sys_days(toYmd(date)));
}

std::int64_t daysSinceEpoch(const CivilDate& date) {
  return date::sys_days(toYmd(date)).time_since_epoch().count();
}

CivilDate civilDateFromDays(std::int64_t days) {
  return fromYmd(date::year_month_day(date::sys_days(date::days(days))));
}

unsigned isoWeekday(const CivilDate& date) {
  return date::weekday(date::sys_days(toYmd(date))).iso_encoding();
}

CivilDate easterSunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return {year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

std::vector<PublicHoliday> publicHolidays(int year, const CalendarOptions& options) {
  const CivilDate easter = easterSunday(year);
  std::vector<PublicHoliday> out = {
      {{year, 1, 1}, "Jour de l'an", "New Year's Day"},
      {addCalendarDays(easter, 1), "Lundi de Pâques", "Easter Monday"},
      {{year, 5, 1}, "Fête du Travail", "Labour Day"},
      {{year, 5, 8}, "Victoire 1945", "Victory in Europe Day"},
      {addCalendarDays(easter, 39), "Ascension", "Ascension Day"},
      {addCalendarDays(easter, 50), "Lundi de Pentecôte", "Whit Monday"},
      {{year, 7, 14}, "Fête nationale", "Bastille Day"},
      {{year, 8, 15}, "Assomption", "Assumption Day"},
      {{year, 11, 1}, "Toussaint", "All Saints' Day"},
      {{year, 11, 11}, "Armistice 1918", "Armistice Day"},
      {{year, 12, 25}, "Noël", "Christmas Day"},
  };
  if (options.alsaceMoselle) {
    out.push_back({addCalendarDays(easter, -2), "Vendredi saint", "Good Friday"});
    out.push_back({{year, 12, 26}, "Saint-Étienne", "St Stephen's Day"});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PublicHoliday& x, const PublicHoliday& y) { return x.date < y.date; });
  return out;
}

bool isPublicHoliday(const CivilDate& date, const CalendarOptions& options) {
  for (const PublicHoliday& h : publicHolidays(date.year, options)) {
    if (h.date == date) return true;
  }
  return false;
}

bool isBusinessDay(const CivilDate& date, const CalendarOptions& options) {
  return isoWeekday(date) <= 5 && !isPublicHoliday(date, options);
}

CivilDate addCalendarDays(const CivilDate& from, std::int64_t days) {
  return civilDateFromDays(daysSinceEpoch(from) + days);
}

CivilDate addBusinessDays(const CivilDate& from, unsigned count, const CalendarOptions& options) {
  if (count == 0) return extendToBusinessDay(from, options);
  // The count starts the day after `from`, whatever `from` is: Saturday + 1
  // is Monday, as a holiday + 1 is the next business day.
  CivilDate day = from;
  for (unsigned n = 0; n < count; ++n) {
    day = extendToBusinessDay(addCalendarDays(day, 1), options);
  }
  return day;
}

CivilDate addMonths(const CivilDate& from, int months) {
  const date::year_month target =
      date::year{from.year} / date::month{from.month} + date::months{months};
  const date::year_month_day_last last(target.year(), date::month_day_last(target.month()));
  const unsigned day = std::min(from.day, static_cast<unsigned>(last.day()));
  return {static_cast<int>(target.year()), static_cast<unsigned>(target.month()), day};
}

CivilDate extendToBusinessDay(const CivilDate& date, const CalendarOptions& options) {
  CivilDate day = date;
  while (!isBusinessDay(day, options)) day = addCalendarDays(day, 1);
  return day;
}

Result<CivilDate> civilDateIn(std::int64_t micros, std::string_view zone) {
  const date::time_zone* tz = findZone(zone);
  if (tz == nullptr) return Error::invalidInput("unknown time zone \"" + std::string(zone) + "\"");
  const auto instant = date::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros));
  const auto local = tz->to_local(instant);
  return fromYmd(date::year_month_day(date::floor<date::days>(local)));
}

Result<std::int64_t> startOfDay(const CivilDate& date, std::string_view zone) {
  const date::time_zone* tz = findZone(zone);
  if (tz == nullptr) return Error::invalidInput("unknown time zone \"" + std::string(zone) + "\"");
  const date::local_days midnight(toYmd(date));
  const date::local_info info = tz->get_info(midnight);
  std::chrono::seconds utc{0};
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // midnight twice: the first
      utc = midnight.time_since_epoch() - info.first.offset;
      break;
    case date::local_info::nonexistent:  // midnight skipped: the gap's end
      utc = info.second.begin.time_since_epoch();
      break;
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(utc).count();
}

}  // namespace parcours::workflows
