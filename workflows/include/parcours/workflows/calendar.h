// The campaign's calendar: civil dates, French public holidays, business
// days and delays counted as French administrative delays are.
//
// A delay is counted in civil dates of the campaign's time zone, then
// turned into an instant there (startOfDay): "15 business days after the
// file was complete" falls on the same civil day whatever the daylight-
// saving changes in between, which the time-zone library resolves.
//
// Public holidays (Code du travail, art. L3133-1): 1 January, Easter
// Monday, 1 May, 8 May, Ascension (Easter + 39), Whit Monday (Easter + 50),
// 14 July, 15 August, 1 November, 11 November, 25 December; in
// Alsace-Moselle (art. L3134-13) also Good Friday and 26 December.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::workflows {

// A day of the proleptic Gregorian calendar, with no time zone.
struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31

  auto operator<=>(const CivilDate&) const = default;
};

// The years the calendar computes (Easter's algorithm is Gregorian).
inline constexpr int civilYearMin = 1583;
inline constexpr int civilYearMax = 9999;

// "2020-06-19"; InvalidInput for anything else, a date that does not exist
// (2021-02-29), or a year before civilYearMin (four digits: at most 9999).
Result<CivilDate> parseCivilDate(std::string_view text);
std::string formatCivilDate(const CivilDate& date);  // "2020-06-19"

// Days since 1970-01-01 and back; 1 = Monday ... 7 = Sunday (ISO 8601).
std::int64_t daysSinceEpoch(const CivilDate& date);
CivilDate civilDateFromDays(std::int64_t days);
unsigned isoWeekday(const CivilDate& date);

struct CalendarOptions {
  // Good Friday and 26 December too (Bas-Rhin, Haut-Rhin, Moselle).
  bool alsaceMoselle = false;
};

struct PublicHoliday {
  CivilDate date;
  std::string_view nameFr;  // "Lundi de Pâques"
  std::string_view nameEn;  // "Easter Monday"
};

// Easter Sunday of `year` in the Gregorian calendar (the anonymous
// algorithm, Meeus/Jones/Butcher); years 1583 to 9999.
CivilDate easterSunday(int year);
// The public holidays of `year`, in date order.
std::vector<PublicHoliday> publicHolidays(int year, const CalendarOptions& options);
bool isPublicHoliday(const CivilDate& date, const CalendarOptions& options);
// Monday to Friday, and not a public holiday.
bool isBusinessDay(const CivilDate& date, const CalendarOptions& options);

// `from` plus `days` calendar days (negative: before).
CivilDate addCalendarDays(const CivilDate& from, std::int64_t days);
// The `count`th business day after `from`, counted from the day after it
// (Saturday + 1 = Monday); 0: `from` itself when it is a business day, else
// the next one.
CivilDate addBusinessDays(const CivilDate& from, unsigned count, const CalendarOptions& options);
// `months` months later "de date à date" (from the 15th to the 15th); a day
// the target month lacks becomes its last day (31 January + 1 month = 28 or
// 29 February).
CivilDate addMonths(const CivilDate& from, int months);
// A delay that ends on a Saturday, Sunday or public holiday is extended to
// the next business day (code de procédure civile, art. 642).
CivilDate extendToBusinessDay(const CivilDate& date, const CalendarOptions& options);

// The civil date of instant `micros` in `zone`, and the first instant of a
// civil date there (00:00 local, or the first instant after a gap when a
// daylight-saving change skips midnight). InvalidInput for an unknown zone.
Result<CivilDate> civilDateIn(std::int64_t micros, std::string_view zone);
Result<std::int64_t> startOfDay(const CivilDate& date, std::string_view zone);

}  // namespace parcours::workflows
