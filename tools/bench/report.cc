#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench.h"

namespace parcours::bench {
namespace {

std::string formatNumber(double v, const std::string& unit) {
  char buffer[64];
  if (unit == "us") {
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return buffer;
  }
  // Thousands separators for rates.
  std::snprintf(buffer, sizeof buffer, "%.0f", v);
  std::string digits(buffer), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

void printTable(const std::vector<Figure>& figures, const Settings& settings, std::ostream& out) {
  utsname machine{};
  ::uname(&machine);
  out << "parcours bench: median of " << settings.runs << " run(s), " << settings.payloadBytes
      << "-byte payloads, " << std::thread::hardware_concurrency() << " cores, " << machine.sysname
      << " " << machine.release << "\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %-9s %14s %14s %7s  %-6s %s\n", "benchmark", "unit",
                "parcours", "raw RocksDB", "ratio", "target", "");
  out << line;
  for (const Figure& f : figures) {
    std::string verdict = "-";
    if (f.target) verdict = f.target->met(f.value, f.ratio()) ? "met" : "MISSED";
    std::snprintf(line, sizeof line, "%-22s %-9s %14s %14s %6.2fx  %-6s %s\n", f.name.c_str(),
                  f.unit.c_str(), formatNumber(f.value, f.unit).c_str(),
                  formatNumber(f.rawValue, f.unit).c_str(), f.ratio(), verdict.c_str(),
                  f.target ? f.target->text.c_str() : "");
    out << line;
  }
  out << "\n";
  for (const Figure& f : figures) {
    out << "  " << f.name << ": " << f.description << "\n      raw: " << f.rawDescription << "\n";
  }
}

void printJsonLines(const std::vector<Figure>& figures, std::ostream& out) {
  for (const Figure& f : figures) {
    nlohmann::json line = {
        {"name", f.name},
        {"unit", f.unit},
        {"value", f.value},
        {"raw_value", f.rawValue},
        {"ratio", f.ratio()},
        {"higher_is_better", f.higherIsBetter},
        {"runs", f.runs},
        {"raw_runs", f.rawRuns},
        {"description", f.description},
        {"raw_description", f.rawDescription},
    };
    if (f.target) {
      line["target"] = f.target->text;
      line["target_met"] = f.target->met(f.value, f.ratio());
    }
    out << line.dump() << "\n";
  }
}

}  // namespace parcours::bench
