// Local times in named zones and RFC 3339 instants, through Howard
// Hinnant's date library on the OS's tzdata (USE_OS_TZDB).
//
// Both text formats are fixed-width, so they are checked character by
// character before any number is read: date::parse would accept "2020-6-3"
// or trailing text, and a deadline must mean exactly what it says.
#include "parcours/workflows/zoned_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>

#include "domain/json_input.h"

namespace parcours::workflows {
namespace {

using json_input::inQuotes;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t microsPerSecond = 1'000'000;

// The zone, or an error. The date library reports both an unreadable
// database and an unknown name by throwing; here they are expected
// failures, told apart by loading the database first.
Result<const date::time_zone*> findZone(std::string_view zone) {
  const auto unknown = [zone] {
    return Error::invalidInput("unknown time zone " + inQuotes(zone) +
                               ": use an IANA name such as \"Europe/Paris\"");
  };
  if (zone.empty() || zone.size() > 128) return unknown();
  try {
    (void)date::get_tzdb();
  } catch (const std::exception& e) {
    return Error::ioError(
        std::string("the time zone database (/usr/share/zoneinfo) could not be read: ") + e.what());
  }
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return unknown();
  }
}

bool digitsAt(std::string_view text, std::size_t from, std::size_t count) {
  if (from + count > text.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int numberAt(std::string_view text, std::size_t from, std::size_t count) {
  int n = 0;
  for (std::size_t i = from; i < from + count; ++i) n = n * 10 + (text[i] - '0');
  return n;
}

// "YYYY-MM-DDTHH:MM" at the start of `text`, shape only.
bool dateTimeShape(std::string_view text) {
  return digitsAt(text, 0, 4) && text.size() >= 16 && text[4] == '-' && digitsAt(text, 5, 2) &&
         text[7] == '-' && digitsAt(text, 8, 2) && (text[10] == 'T' || text[10] == 't') &&
         digitsAt(text, 11, 2) && text[13] == ':' && digitsAt(text, 14, 2);
}

struct DateTimeFields {
  date::year_month_day day;
  int hour = 0, minute = 0, second = 0;
};

// Reads the shape-checked "YYYY-MM-DDTHH:MM[:SS]"; an empty string when
// the date and time exist on the calendar and the clock, else why not.
std::string readDateTime(std::string_view text, bool withSeconds, DateTimeFields& out) {
  out.day = date::year{numberAt(text, 0, 4)} / date::month{unsigned(numberAt(text, 5, 2))} /
            date::day{unsigned(numberAt(text, 8, 2))};
  out.hour = numberAt(text, 11, 2);
  out.minute = numberAt(text, 14, 2);
  out.second = withSeconds ? numberAt(text, 17, 2) : 0;
  if (!out.day.ok()) return std::string(text.substr(0, 10)) + " is not a date";
  if (out.hour > 23 || out.minute > 59 || out.second > 59) {
    return std::string(text.substr(11, withSeconds ? 8 : 5)) +
           " is not a time of day (00:00:00 to 23:59:59)";
  }
  return {};
}

date::local_seconds localSeconds(const DateTimeFields& f) {
  return date::local_days{f.day} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
}

std::string formatLocal(date::local_seconds t) {
  return date::format("%FT%T", t);
}

// "+02:00". RFC 3339 offsets are whole minutes; only the local mean times
// of the 19th century had seconds, which are dropped (toward zero).
std::string formatOffset(seconds offset) {
  const std::int64_t total = offset.count();
  const std::int64_t magnitude = std::llabs(total) / 60;
  std::string out = total < 0 ? "-" : "+";
  const auto twoDigits = [](std::int64_t n) {
    return std::string(n < 10 ? "0" : "") + std::to_string(n);
  };
  return out + twoDigits(magnitude / 60) + ":" + twoDigits(magnitude % 60);
}

seconds wholeMinutes(seconds offset) {
  return seconds{offset.count() / 60 * 60};
}

// Days from 0000-01-01 to 9999-12-31: what four-digit RFC 3339 years can
// print. Instants outside are printed as a count, never as a wrapped year.
constexpr std::int64_t firstDay = -719528;  // 0000-01-01
constexpr std::int64_t lastDay = 2932896;   // 9999-12-31

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool printable(std::int64_t localSecondsCount) {
  const std::int64_t day = floorDiv(localSecondsCount, 86400);
  return day >= firstDay && day <= lastDay;
}

std::string outOfRange(std::int64_t micros) {
  return "(instant out of range: " + std::to_string(micros) + " µs since 1970-01-01T00:00:00Z)";
}

std::string localTimeExpected(std::string_view local) {
  return inQuotes(local) +
         " is not a valid local time: expected YYYY-MM-DDTHH:MM:SS, e.g. \"2020-06-19T23:59:59\"";
}

}  // namespace

Result<std::int64_t> parseLocalTime(std::string_view local, std::string_view zone) {
  auto found = findZone(zone);
  if (!found) return found.error();
  const date::time_zone* tz = *found;

  const bool withSeconds = local.size() == 19;
  if (!(local.size() == 16 || (withSeconds && local[16] == ':' && digitsAt(local, 17, 2))) ||
      !dateTimeShape(local)) {
    return Error::invalidInput(localTimeExpected(local));
  }
  DateTimeFields f;
  if (std::string why = readDateTime(local, withSeconds, f); !why.empty()) {
    return Error::invalidInput(inQuotes(local) + " is not a valid local time: " + why);
  }
  const date::local_seconds t = localSeconds(f);
  const date::local_info info = tz->get_info(t);
  switch (info.result) {
    case date::local_info::unique:
      return (t - info.first.offset).time_since_epoch().count() * microsPerSecond;
    case date::local_info::nonexistent: {
      // The clocks jumped at info.second.begin: from the old offset's
      // reading of that instant straight to the new one's.
      const auto change = date::local_seconds{info.second.begin.time_since_epoch()};
      return Error::invalidInput(
          inQuotes(local) + " does not exist in " + std::string(zone) + ": clocks went from " +
          formatLocal(change + info.first.offset) + " straight to " +
          formatLocal(change + info.second.offset) +
          " (a daylight-saving change); choose a time outside the skipped hour");
    }
    default: {
      const auto change = date::local_seconds{info.second.begin.time_since_epoch()};
      return Error::invalidInput(
          inQuotes(local) + " is ambiguous in " + std::string(zone) + ": it happened twice, at " +
          formatOffset(info.first.offset) + " and at " + formatOffset(info.second.offset) +
          ", when clocks went back from " + formatLocal(change + info.first.offset) + " to " +
          formatLocal(change + info.second.offset) +
          " (a daylight-saving change); choose a time outside the repeated hour");
    }
  }
}

Result<std::int64_t> parseInstant(std::string_view text) {
  const auto invalid = [&](const std::string& why) {
    return Error::invalidInput(inQuotes(text) + " is not an RFC 3339 instant: " + why);
  };
  const std::string expected =
      "expected YYYY-MM-DDTHH:MM:SS[.ffffff] then Z or an offset, e.g. "
      "\"2020-06-20T00:00:01+02:00\" or \"2020-06-19T22:00:01Z\"";
  if (text.size() < 20 || !dateTimeShape(text) || text[16] != ':' || !digitsAt(text, 17, 2)) {
    return invalid(expected);
  }
  std::size_t at = 19;
  std::int64_t fractionMicros = 0;
  if (text[at] == '.') {
    std::size_t digits = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      // Digits beyond the microsecond are dropped: the log's unit is the µs.
      if (digits < 6) fractionMicros = fractionMicros * 10 + (text[at] - '0');
    }
    if (digits == 0 || digits > 9) return invalid("the fraction of a second takes 1 to 9 digits");
    for (std::size_t d = digits; d < 6; ++d) fractionMicros *= 10;
  }
  seconds offset{0};
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    // UTC.
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
             digitsAt(text, at + 1, 2) && text[at + 3] == ':' && digitsAt(text, at + 4, 2)) {
    const int h = numberAt(text, at + 1, 2);
    const int m = numberAt(text, at + 4, 2);
    if (h > 23 || m > 59) return invalid("the offset must be within -23:59 to +23:59");
    offset = hours{h} + minutes{m};
    if (text[at] == '-') offset = -offset;
  } else {
    return invalid(expected);
  }
  DateTimeFields f;
  if (std::string why = readDateTime(text, true, f); !why.empty()) return invalid(why);
  const std::int64_t utcSeconds = (localSeconds(f).time_since_epoch() - offset).count();
  return utcSeconds * microsPerSecond + fractionMicros;
}

std::string formatInZone(std::int64_t micros, std::string_view zone) {
  const date::sys_seconds instant =
      date::floor<seconds>(date::sys_time<microseconds>{microseconds{micros}});
  if (!printable(instant.time_since_epoch().count())) return outOfRange(micros);
  auto found = findZone(zone);
  if (!found) return date::format("%FT%TZ", instant);
  const seconds offset = wholeMinutes((*found)->get_info(instant).offset);
  const date::local_seconds local{instant.time_since_epoch() + offset};
  if (!printable(local.time_since_epoch().count())) return outOfRange(micros);
  return formatLocal(local) + formatOffset(offset);
}

std::string formatUtc(std::int64_t micros) {
  const date::sys_time<microseconds> instant{microseconds{micros}};
  if (!printable(date::floor<seconds>(instant).time_since_epoch().count())) {
    return outOfRange(micros);
  }
  return date::format("%FT%TZ", instant);
}

Status validateTimeZone(std::string_view zone) {
  auto found = findZone(zone);
  if (!found) return found.error();
  return okStatus();
}

}  // namespace parcours::workflows
