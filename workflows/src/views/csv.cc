// The audit trail as CSV (RFC 4180), for auditors' spreadsheets.
#include <string>

#include "parcours/workflows/views.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

constexpr std::string_view lineEnd = "\r\n";  // RFC 4180

// Text a spreadsheet would run as a formula (CSV injection): = + - @, and
// tab or CR, which some spreadsheets strip before looking.
bool looksLikeFormula(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

// Numbers we wrote ourselves: never a formula, never quoted.
void appendNumber(std::string& out, std::uint64_t n, char separator) {
  out += std::to_string(n);
  out += separator;
}

void appendCell(std::string& out, std::string_view value, char separator) {
  out += csvCell(value, separator);
  out += separator;
}

}  // namespace

std::string csvCell(std::string_view value, char separator) {
  std::string cell;
  cell.reserve(value.size() + 3);
  if (looksLikeFormula(value)) cell += '\'';
  cell.append(value);
  if (cell.find_first_of(std::string{separator, '"', '\r', '\n'}) == std::string::npos) {
    return cell;
  }
  std::string quoted;
  quoted.reserve(cell.size() + 4);
  quoted += '"';
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string auditCsvHeader(const CsvOptions& options) {
  std::string out;
  for (std::string_view column :
       {"position", "recorded_at", "campaign_id", "dossier_id", "stream_id", "event_type", "actor",
        "command_id", "rules_version", "reason"}) {
    out += column;
    out += options.separator;
  }
  out += "summary";
  out += lineEnd;
  return out;
}

std::string auditCsvRow(const AuditEntry& e, const CsvOptions& options) {
  const char sep = options.separator;
  std::string out;
  out.reserve(128 + e.reason.size() + e.summary.size());
  appendNumber(out, e.position, sep);
  appendCell(out, formatUtc(e.recordedAtMicros), sep);
  appendCell(out, e.campaignId, sep);
  appendCell(out, e.dossierId, sep);
  appendCell(out, e.streamId, sep);
  appendCell(out, e.eventType, sep);
  appendCell(out, e.actor, sep);
  appendCell(out, e.commandId, sep);
  appendNumber(out, e.rulesVersion, sep);
  appendCell(out, e.reason, sep);
  out += csvCell(e.summary, sep);
  out += lineEnd;
  return out;
}

std::string auditCsv(const std::vector<AuditEntry>& entries, const CsvOptions& options) {
  std::string out;
  if (options.byteOrderMark) out += "\xEF\xBB\xBF";
  out += auditCsvHeader(options);
  for (const AuditEntry& e : entries) out += auditCsvRow(e, options);
  return out;
}

}  // namespace parcours::workflows
