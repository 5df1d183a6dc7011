// What the workflow commands print: tables for people, JSON for machines,
// errors on stderr with the exit code of their class.
//
// Data goes to stdout, messages to stderr (clig.dev). JSON field names are
// snake_case and stable; money is in integer cents, times are RFC 3339.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/store/types.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::cli {

// Prints "parcours: <message>" on stderr; returns the exit code of the
// error's class (exitCodeFor).
int reportError(const Error& error);

// Prints one JSON object on one line of stdout. Invalid UTF-8 in stored
// text is replaced rather than aborting the output.
void printJson(const nlohmann::json& value);

// The help footer of a command: an example, then the exit codes.
std::string helpFooter(const std::string& example);

// A table for people: a header row, columns aligned on their widest cell
// (counted in characters, not bytes: names carry accents).
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // Right-aligns a column (numbers, amounts).
  Table& alignRight(std::size_t column);
  void addRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// A title in a table cell: cut to this many characters (JSON has it whole).
inline constexpr std::size_t titleCharsMax = 40;

// At most `chars` characters (not bytes), the last one "…" when cut: long
// titles stay readable in a table (JSON always has them whole).
std::string ellipsize(const std::string& text, std::size_t chars);

// "1 dossier", "3 dossiers": counts in sentences for people.
std::string plural(std::uint64_t count, const std::string& noun);

// Money for people in a table: "€45,000.00", or "-" for none.
std::string euros(std::int64_t cents);

// "position 57", "positions 57-58", or "nothing written" for an append
// that wrote no event.
std::string positionsText(const store::AppendResult& result);

// {"streams":[{"stream_id","first_version","last_version","positions"}],
//  "first_position","last_position","deduplicated"}
nlohmann::json appendResultJson(const store::AppendResult& result);

// Means in thousandths are printed with workflows::formatMilli.
using workflows::formatMilli;

// Input files (submissions, juries) are small documents; a bigger one is a
// mistake (the wrong file), refused before it is read.
inline constexpr std::uintmax_t inputFileBytesMax = 1u << 20;

// Reads a whole file named on the command line; `what` names it in errors
// ("submission"). NotFound when it does not exist, InvalidInput when it is
// a directory or over `bytesMax`, IoError when it cannot be read.
Result<std::string> readInputFile(const std::filesystem::path& path, const std::string& what,
                                  std::uintmax_t bytesMax = inputFileBytesMax);

}  // namespace parcours::cli
