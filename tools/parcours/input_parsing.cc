#include "input_parsing.h"

#include <charconv>
#include <nlohmann/json.hpp>

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

Result<JuryMember> memberFromJson(const nlohmann::json& item, const std::string& path) {
  if (!item.is_object()) {
    return Error::invalidInput(path + ": must be an object {\"id\", \"name\", \"role\"}");
  }
  JuryMember member;
  for (const char* field : {"id", "name", "role"}) {
    auto it = item.find(field);
    if (it == item.end() || !it->is_string()) {
      return Error::invalidInput(path + "." + field + ": missing, or not a string");
    }
  }
  member.id = item["id"].get<std::string>();
  member.name = item["name"].get<std::string>();
  if (auto s = workflows::validateId(path + ".id", member.id); !s) return s.error();
  if (member.name.empty()) return Error::invalidInput(path + ".name: must not be empty");
  auto role = parseRole(path + ".role", item["role"].get<std::string>());
  if (!role) return role.error();
  member.role = *role;
  return member;
}

}  // namespace

Result<std::vector<JuryMember>> parseJuryFile(std::string_view json) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    // nlohmann reports malformed text (and numbers out of range, 1e999) by
    // throwing; it becomes a value here.
    return Error::invalidInput(std::string("the jury file is not valid JSON: ") + e.what());
  }
  const nlohmann::json* members = &document;
  std::string path = "";
  if (document.is_object()) {
    auto it = document.find("members");
    if (it == document.end()) return Error::invalidInput("members: missing");
    members = &*it;
    path = "members";
  }
  if (!members->is_array() || members->empty()) {
    return Error::invalidInput((path.empty() ? std::string("the jury file") : path) +
                               ": must be a non-empty array of members");
  }
  std::vector<JuryMember> out;
  for (std::size_t i = 0; i < members->size(); ++i) {
    auto member = memberFromJson((*members)[i], path + "[" + std::to_string(i) + "]");
    if (!member) return member.error();
    out.push_back(std::move(member).value());
  }
  return out;
}

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
