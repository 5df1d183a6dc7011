// Turning what administrators type or write in files into workflow command
// data, with messages that name the flag or field path and the value.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

namespace parcours::cli {

// One --member flag: "id:name:role". The name may itself hold colons.
Result<workflows::JuryMember> parseMemberFlag(std::string_view text);

// --score flags: "criterion=value", value a whole number.
Result<std::vector<workflows::CriterionScore>> parseScoreFlags(
    const std::vector<std::string>& texts);

// Checks an amount in euro cents given on the command line: a whole
// number, 0 or more ("--amount-cents: must be 0 or more, got -5").
const CLI::Validator& nonNegativeCents();

// "submissions, submissions_closed, ... or closed": for messages and help.
std::string phaseNames();
// The states a dossier can be in, for messages and help.
std::string statusNames();

}  // namespace parcours::cli
