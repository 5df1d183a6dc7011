// The words the domain's enums and commands are written with, in files,
// on the command line, in views and in messages. One table per enum so a
// name and its parse can never drift apart.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/limits.h"

namespace parcours::workflows {
namespace {

template <typename E, std::size_t N>
std::string_view nameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> parseIn(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<DossierStatus, std::string_view>, dossierStatusCount> statusNames{{
    {DossierStatus::Absent, "absent"},
    {DossierStatus::Submitted, "submitted"},
    {DossierStatus::Eligible, "eligible"},
    {DossierStatus::Auditioned, "auditioned"},
    {DossierStatus::Scored, "scored"},
    {DossierStatus::Voted, "voted"},
    {DossierStatus::Labelled, "labelled"},
    {DossierStatus::Ineligible, "ineligible"},
    {DossierStatus::NotSelected, "not_selected"},
    {DossierStatus::NoShow, "no_show"},
    {DossierStatus::BelowThreshold, "below_threshold"},
    {DossierStatus::Rejected, "rejected"},
    {DossierStatus::Withdrawn, "withdrawn"},
}};

constexpr std::array<std::pair<VoteChoice, std::string_view>, 3> voteChoiceNames{{
    {VoteChoice::Yes, "yes"},
    {VoteChoice::No, "no"},
    {VoteChoice::Abstain, "abstain"},
}};

constexpr std::array<std::pair<JuryRole, std::string_view>, 2> juryRoleNames{{
    {JuryRole::Juror, "juror"},
    {JuryRole::ElectedOfficial, "elected_official"},
}};

constexpr std::array<std::pair<Phase, std::string_view>, 5> phaseNames{{
    {Phase::Submissions, "submissions"},
    {Phase::SubmissionsClosed, "submissions_closed"},
    {Phase::Auditions, "auditions"},
    {Phase::Deliberation, "deliberation"},
    {Phase::Closed, "closed"},
}};

// Indexed like DossierCommand's alternatives.
constexpr std::array<std::string_view, std::variant_size_v<DossierCommand>> commandNames{
    "submit",
    "confirm eligibility",
    "declare ineligible",
    "not select",
    "schedule audition",
    "record audition held",
    "record no-show",
    "record score",
    "close scoring",
    "cast vote",
    "close vote",
    "award",
    "withdraw",
    "erase the personal data of",
    "deem the decision on"};

}  // namespace

std::string_view statusName(DossierStatus status) {
  return nameIn(statusNames, status);
}
std::optional<DossierStatus> parseStatus(std::string_view name) {
  return parseIn(statusNames, name);
}

bool isTerminal(DossierStatus status) {
  switch (status) {
    case DossierStatus::Labelled:
    case DossierStatus::Ineligible:
    case DossierStatus::NotSelected:
    case DossierStatus::NoShow:
    case DossierStatus::BelowThreshold:
    case DossierStatus::Rejected:
    case DossierStatus::Withdrawn:
      return true;
    default:
      return false;
  }
}

std::string_view voteChoiceName(VoteChoice choice) {
  return nameIn(voteChoiceNames, choice);
}
std::optional<VoteChoice> parseVoteChoice(std::string_view name) {
  return parseIn(voteChoiceNames, name);
}

std::string_view juryRoleName(JuryRole role) {
  return nameIn(juryRoleNames, role);
}
std::optional<JuryRole> parseJuryRole(std::string_view name) {
  return parseIn(juryRoleNames, name);
}

std::string_view phaseName(Phase phase) {
  return nameIn(phaseNames, phase);
}
std::optional<Phase> parsePhase(std::string_view name) {
  return parseIn(phaseNames, name);
}

std::string_view commandName(const DossierCommand& command) {
  return commandNames[command.index()];
}

std::string formatMilli(std::int64_t milli) {
  const std::uint64_t magnitude =
      milli < 0 ? 0 - static_cast<std::uint64_t>(milli) : static_cast<std::uint64_t>(milli);
  std::string fraction = std::to_string(magnitude % 1000);
  return (milli < 0 ? "-" : "") + std::to_string(magnitude / 1000) + "." +
         std::string(3 - fraction.size(), '0') + fraction;
}

std::string formatPlainEuros(std::int64_t cents) {
  const std::string rest = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + std::string(2 - rest.size(), '0') + rest;
}

std::string formatEuros(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  std::string whole = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(i, ",");
  const std::uint64_t rest = magnitude % 100;
  return std::string(negative ? "-" : "") + "€" + whole + "." + (rest < 10 ? "0" : "") +
         std::to_string(rest);
}

std::string applicantKindLabel(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> labels{{
      {"commune", "Commune"},
      {"communaute_de_communes", "Communauté de communes"},
      {"communaute_d_agglomeration", "Communauté d'agglomération"},
      {"communaute_urbaine", "Communauté urbaine"},
      {"metropole", "Métropole"},
      {"departement", "Département"},
      {"region", "Région"},
      {"association", "Association"},
      {"entreprise", "Entreprise"},
  }};
  for (const auto& [id, label] : labels) {
    if (id == kind) return std::string(label);
  }
  return std::string(kind);
}

std::string dossierStream(std::string_view dossierId) {
  return std::string(dossierStreamPrefix) + std::string(dossierId);
}
std::string campaignStream(std::string_view campaignId) {
  return std::string(campaignStreamPrefix) + std::string(campaignId);
}

}  // namespace parcours::workflows
