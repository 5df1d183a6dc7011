// `parcours calendar`: the campaign calendar's arithmetic, for the people
// who set delays and check them — the public holidays of a year, and the
// day a delay ends (calendar days, business days, months "de date à
// date"), in French and English. Needs no store.
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "output.h"
#include "parcours/workflows/calendar.h"

namespace parcours::cli {
namespace {

struct HolidaysOptions {
  int year = 0;
  bool alsaceMoselle = false;
  bool json = false;
};

struct DelayOptions {
  std::string from;
  std::optional<std::int64_t> days;
  std::optional<unsigned> businessDays;
  std::optional<int> months;
  bool extend = false;
  bool alsaceMoselle = false;
  bool json = false;
};

constexpr const char* weekdaysFr[] = {"lundi", "mardi", "mercredi", "jeudi",
                                      "vendredi", "samedi", "dimanche"};
constexpr const char* weekdaysEn[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};

int runHolidays(const HolidaysOptions& options) {
  if (options.year < workflows::civilYearMin || options.year > workflows::civilYearMax) {
    return reportError(Error::invalidInput("--year: the Gregorian calendar's years, 1583 to 9999"));
  }
  const auto holidays = workflows::publicHolidays(options.year, {options.alsaceMoselle});
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : holidays) {
      out.push_back({{"date", workflows::formatCivilDate(h.date)},
                     {"weekday", weekdaysEn[workflows::isoWeekday(h.date) - 1]},
                     {"name_fr", h.nameFr},
                     {"name_en", h.nameEn}});
    }
    printJson(out);
    return 0;
  }
  Table table({"DATE", "JOUR / DAY", "JOUR FÉRIÉ", "PUBLIC HOLIDAY"});
  for (const auto& h : holidays) {
    const unsigned w = workflows::isoWeekday(h.date) - 1;
    table.addRow({workflows::formatCivilDate(h.date),
                  std::string(weekdaysFr[w]) + " / " + weekdaysEn[w], std::string(h.nameFr),
                  std::string(h.nameEn)});
  }
  table.print(std::cout);
  return 0;
}

int runDelay(const DelayOptions& options) {
  auto from = workflows::parseCivilDate(options.from);
  if (!from) return reportError(Error::invalidInput("--from: " + from.error().message));
  const int given = (options.days ? 1 : 0) + (options.businessDays ? 1 : 0) + (options.months ? 1 : 0);
  if (given != 1) {
    return reportError(Error::invalidInput(
        "give exactly one of --days, --business-days and --months (" + std::to_string(given) +
        " given)"));
  }
  const workflows::CalendarOptions calendar{options.alsaceMoselle};
  workflows::CivilDate end = *from;
  std::string counted;
  if (options.days) {
    end = workflows::addCalendarDays(*from, *options.days);
    counted = plural(static_cast<std::uint64_t>(std::llabs(*options.days)), "calendar day");
  } else if (options.businessDays) {
    end = workflows::addBusinessDays(*from, *options.businessDays, calendar);
    counted = plural(*options.businessDays, "business day");
  } else {
    end = workflows::addMonths(*from, *options.months);
    counted = plural(static_cast<std::uint64_t>(std::abs(*options.months)), "month");
  }
  if (end.year < workflows::civilYearMin || end.year > workflows::civilYearMax) {
    return reportError(Error::invalidInput("the delay ends outside the years 1583 to 9999"));
  }
  const workflows::CivilDate countedEnd = end;
  if (options.extend) end = workflows::extendToBusinessDay(end, calendar);
  const unsigned w = workflows::isoWeekday(end) - 1;
  if (options.json) {
    printJson({{"from", workflows::formatCivilDate(*from)},
               {"counted_end", workflows::formatCivilDate(countedEnd)},
               {"end", workflows::formatCivilDate(end)},
               {"weekday", weekdaysEn[w]},
               {"extended", !(end == countedEnd)}});
    return 0;
  }
  std::cout << options.from << " + " << counted << ": " << workflows::formatCivilDate(end) << " ("
            << weekdaysFr[w] << " / " << weekdaysEn[w] << ")";
  if (!(end == countedEnd)) {
    std::cout << ", extended from " << workflows::formatCivilDate(countedEnd)
              << " to the next business day / reporté au premier jour ouvré";
  }
  std::cout << "\n";
  return 0;
}

}  // namespace

void addCalendarCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand(
      "calendar", "The campaign calendar: French public holidays, business days, delays");
  group->require_subcommand(1);

  auto holidays = std::make_shared<HolidaysOptions>();
  CLI::App* h = group->add_subcommand("holidays", "The French public holidays of a year");
  h->footer("\nCode du travail L3133-1; with --alsace-moselle also Good Friday and 26 December\n"
            "(L3134-13). --json: [{date, weekday, name_fr, name_en}].\n" +
            helpFooter("parcours calendar holidays --year 2020"));
  h->add_option("--year", holidays->year, "The year (1583 to 9999)")->required();
  h->add_flag("--alsace-moselle", holidays->alsaceMoselle,
              "Bas-Rhin, Haut-Rhin and Moselle's two extra days");
  h->add_flag("--json", holidays->json, "A JSON array");
  h->callback([holidays, &run] { run = [holidays](const Context&) { return runHolidays(*holidays); }; });

  auto delay = std::make_shared<DelayOptions>();
  CLI::App* d = group->add_subcommand("delay", "The day a delay counted from a date ends");
  d->footer(
      "\nBusiness days are Monday to Friday except public holidays; months run \"de date à\n"
      "date\" (31 January + 1 month = the last day of February). --extend moves an end on a\n"
      "Saturday, Sunday or holiday to the next business day (code de procédure civile,\n"
      "art. 642). --json: {from, counted_end, end, weekday, extended}.\n" +
      helpFooter("parcours calendar delay --from 2020-06-19 --business-days 15"));
  d->add_option("--from", delay->from, "The starting date, YYYY-MM-DD")->required();
  d->add_option("--days", delay->days, "Calendar days (negative: before; -1000000 to 1000000)")
      ->check(CLI::Range(std::int64_t{-1'000'000}, std::int64_t{1'000'000}));
  d->add_option("--business-days", delay->businessDays, "Business days (0 to 10000)")
      ->check(CLI::Range(0u, 10'000u));
  d->add_option("--months", delay->months, "Months, de date à date (-1200 to 1200)")
      ->check(CLI::Range(-1200, 1200));
  d->add_flag("--extend", delay->extend, "Move an end on a closed day to the next business day");
  d->add_flag("--alsace-moselle", delay->alsaceMoselle, "Count Alsace-Moselle's two extra days");
  d->add_flag("--json", delay->json, "One JSON object");
  d->callback([delay, &run] { run = [delay](const Context&) { return runDelay(*delay); }; });
}

}  // namespace parcours::cli
