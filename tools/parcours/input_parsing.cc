#include "input_parsing.h"

#include <charconv>

namespace parcours::cli {
namespace {

using workflows::JuryMember;

std::string orList(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

Result<workflows::JuryRole> parseRole(std::string_view where, std::string_view role) {
  auto parsed = workflows::parseJuryRole(role);
  if (!parsed) {
    return Error::invalidInput(std::string(where) + ": unknown role \"" + std::string(role) +
                               "\"; use juror or elected_official");
  }
  return *parsed;
}

}  // namespace

Result<JuryMember> parseMemberFlag(std::string_view text) {
  const auto first = text.find(':');
  const auto last = text.rfind(':');
  if (first == std::string_view::npos || first == last) {
    return Error::invalidInput("--member \"" + std::string(text) +
                               "\": write id:name:role, e.g. \"j1:Camille Exemple:juror\"");
  }
  JuryMember member;
  member.id = std::string(text.substr(0, first));
  member.name = std::string(text.substr(first + 1, last - first - 1));
  const std::string where = "--member \"" + std::string(text) + "\"";
  if (auto s = workflows::validateId(where + ": the id", member.id); !s) return s.error();
  if (member.name.empty()) return Error::invalidInput(where + ": the name is empty");
  auto role = parseRole(where, text.substr(last + 1));
  if (!role) return role.error();
  member.role = *role;
  return member;
}

Result<std::vector<workflows::CriterionScore>> parseScoreFlags(
    const std::vector<std::string>& texts) {
  std::vector<workflows::CriterionScore> scores;
  for (const std::string& text : texts) {
    const auto equals = text.find('=');
    const std::string hint = "; write criterion=value, e.g. innovation=7";
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
      return Error::invalidInput("--score \"" + text + "\": not criterion=value" + hint);
    }
    workflows::CriterionScore score;
    score.criterionId = text.substr(0, equals);
    const char* begin = text.data() + equals + 1;
    const char* end = text.data() + text.size();
    auto [next, ec] = std::from_chars(begin, end, score.value);
    if (ec != std::errc() || next != end) {
      return Error::invalidInput("--score \"" + text + "\": \"" + std::string(begin, end) +
                                 "\" is not a whole number" + hint);
    }
    scores.push_back(std::move(score));
  }
  return scores;
}

const CLI::Validator& nonNegativeCents() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        std::int64_t cents = 0;
        auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), cents);
        if (ec != std::errc() || next != text.data() + text.size()) {
          return "\"" + text + "\" is not a whole number of cents (e.g. 4500000 for €45,000.00)";
        }
        if (cents < 0) return "must be 0 or more, got " + text;
        return {};
      },
      "CENTS");
  return validator;
}

std::string phaseNames() {
  std::vector<std::string> names;
  for (int p = 0; p <= static_cast<int>(workflows::Phase::Closed); ++p) {
    names.emplace_back(workflows::phaseName(static_cast<workflows::Phase>(p)));
  }
  return orList(names);
}

std::string statusNames() {
  std::vector<std::string> names;
  // Absent (0) is no state a dossier is ever listed in.
  for (int s = 1; s < workflows::dossierStatusCount; ++s) {
    names.emplace_back(workflows::statusName(static_cast<workflows::DossierStatus>(s)));
  }
  return orList(names);
}

}  // namespace parcours::cli
