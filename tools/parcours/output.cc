#include "output.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::cli {
namespace {

// Characters as a terminal counts them: UTF-8 continuation bytes do not
// start a character. (Wide characters are rare enough in names to ignore.)
std::size_t displayWidth(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

int reportError(const Error& error) {
  if (error.problems.empty()) {
    std::cerr << "parcours: " << error.message << "\n";
  } else {
    // Several problems found at once (a form's answers): one per line.
    std::cerr << "parcours: " << error.problems.size()
              << (error.problems.size() == 1 ? " problem:\n" : " problems:\n");
    for (const FieldProblem& p : error.problems) {
      std::cerr << "  " << p.pointer << ": " << p.message << "\n";
    }
  }
  return exitCodeFor(error.code);
}

void printJson(const nlohmann::json& value) {
  std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

std::string helpFooter(const std::string& example) {
  return "\nExample:\n  " + example + "\n\n" + exitCodesHelp;
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_(headers_.size(), false) {}

Table& Table::alignRight(std::size_t column) {
  if (column < right_.size()) right_[column] = true;
  return *this;
}

void Table::addRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = displayWidth(headers_[c]);
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], displayWidth(row[c]));
  }
  auto printRow = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string padding(widths[c] - displayWidth(cells[c]), ' ');
      if (c > 0) line += "  ";
      line += right_[c] ? padding + cells[c] : cells[c] + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);  // no trailing blanks
    out << line << "\n";
  };
  printRow(headers_);
  for (const auto& row : rows_) printRow(row);
}

std::string ellipsize(const std::string& text, std::size_t chars) {
  if (chars == 0 || displayWidth(text) <= chars) return text;
  std::size_t kept = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    const bool starts = (static_cast<unsigned char>(text[end]) & 0xC0) != 0x80;
    if (starts && kept++ == chars - 1) break;
  }
  return text.substr(0, end) + "…";
}

std::string plural(std::uint64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string euros(std::int64_t cents) {
  return cents == 0 ? "-" : workflows::formatEuros(cents);
}

std::string positionsText(const store::AppendResult& result) {
  if (result.streams.empty()) return "nothing written";
  if (result.firstPosition == result.lastPosition) {
    return "position " + std::to_string(result.firstPosition);
  }
  return "positions " + std::to_string(result.firstPosition) + "-" +
         std::to_string(result.lastPosition);
}

nlohmann::json appendResultJson(const store::AppendResult& result) {
  nlohmann::json streams = nlohmann::json::array();
  for (const store::StreamAppendResult& s : result.streams) {
    streams.push_back({{"stream_id", s.streamId},
                       {"first_version", s.firstVersion},
                       {"last_version", s.lastVersion},
                       {"positions", s.positions}});
  }
  return {{"streams", std::move(streams)},
          {"first_position", result.firstPosition},
          {"last_position", result.lastPosition},
          {"deduplicated", result.deduplicated}};
}

Result<std::string> readInputFile(const std::filesystem::path& path, const std::string& what,
                                  std::uintmax_t bytesMax) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error::notFound("the " + what + " file " + path.string() +
                           " does not exist: check the path");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Error::invalidInput("the " + what + " file " + path.string() +
                               " is a directory: name a file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > bytesMax) {
    return Error::invalidInput("the " + what + " file " + path.string() + " is " +
                               std::to_string(size) + " bytes, over the limit of " +
                               std::to_string(bytesMax) + " bytes: is it the right file?");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::ioError("cannot read the " + what + " file " + path.string() +
                          ": check its permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error::ioError("reading the " + what + " file " + path.string() + " failed");
  return text.str();
}

}  // namespace parcours::cli
