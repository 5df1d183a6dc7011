// Jury files ({"members": [{"id", "name", "role", "expertise"}]}): the same reader as
// campaign definitions and submissions, so a jury file gets the same
// checks (size, depth, duplicate fields, unknown fields) and messages that
// name the path. Whether the jury holds (ids well formed and given once,
// names, at least one juror) is the campaign's decision (appoint), as for
// jurors given as flags.
#include "domain/json_input.h"
#include "parcours/workflows/campaign.h"

namespace parcours::workflows {

Result<std::vector<JuryMember>> parseJury(std::string_view text) {
  auto document = json_input::parseDocument(text, "jury file", false);
  if (!document) return document.error();
  std::optional<Error> error;
  json_input::Fields top(&*document, "", {"members"}, error, false);
  std::vector<JuryMember> jury;
  for (json_input::Fields& item :
       top.objects("members", json_input::required, {"id", "name", "role", "expertise"})) {
    JuryMember member;
    member.id = item.string("id", json_input::required);
    member.name = item.string("name", json_input::required);
    const std::string role = item.string("role", json_input::required);
    member.expertise = item.strings("expertise", json_input::optional);
    if (item.failed()) break;
    auto parsed = parseJuryRole(role);
    if (!parsed) {
      item.fail(item.path() + ".role",
                "unknown role " + json_input::inQuotes(role) + "; use juror or elected_official");
      break;
    }
    member.role = *parsed;
    jury.push_back(std::move(member));
  }
  if (auto s = top.status(); !s) return s.error();
  return jury;
}

}  // namespace parcours::workflows
