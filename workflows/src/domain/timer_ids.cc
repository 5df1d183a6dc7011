// Timer ids and the names of actions and statuses (timers.h): the domain's,
// shared by the decisions, the views and the programs.
#include <charconv>
#include <string>

#include "parcours/workflows/limits.h"
#include "parcours/workflows/timers.h"

namespace parcours::workflows {
namespace {
constexpr std::string_view actionNames[] = {"close-submissions", "deem-decision",
                                            "warn-deemed-decision", "reconvene-vote",
                                            "remind-administrators", "remind-jurors"};
}  // namespace

std::string_view timerActionName(TimerAction action) {
  return actionNames[static_cast<std::size_t>(action)];
}

std::optional<TimerAction> parseTimerActionName(std::string_view name) {
  for (std::size_t i = 0; i < std::size(actionNames); ++i) {
    if (actionNames[i] == name) return static_cast<TimerAction>(i);
  }
  return std::nullopt;
}

std::string_view timerStatusName(TimerStatus status) {
  switch (status) {
    case TimerStatus::Pending:
      return "pending";
    case TimerStatus::Fired:
      return "fired";
    case TimerStatus::Cancelled:
      return "cancelled";
  }
  return {};
}

std::string timerId(std::string_view ownerStream, TimerAction action, std::uint64_t version) {
  return std::string(ownerStream) + ":" + std::string(timerActionName(action)) + ":" +
         std::to_string(version);
}

Result<TimerRef> parseTimerId(std::string_view id) {
  const auto malformed = [&] {
    return Error::invalidInput("timer id \"" + std::string(id.substr(0, 200)) +
                               "\" is not one parcours makes: \"campaign-<id>:<action>:<n>\" "
                               "or \"dossier-<id>:<action>:<n>\"");
  };
  const std::size_t first = id.find(':');
  const std::size_t last = id.rfind(':');
  if (first == std::string_view::npos || first == last) return malformed();
  TimerRef ref;
  ref.ownerStream = std::string(id.substr(0, first));
  auto action = parseTimerActionName(id.substr(first + 1, last - first - 1));
  if (!action) return malformed();
  // The deadline's timer is a campaign's; the statutory delay's, a dossier's.
  if (ref.ownerStream.starts_with(campaignStreamPrefix)) {
    ref.campaignId = ref.ownerStream.substr(campaignStreamPrefix.size());
    const bool campaigns =
        *action == TimerAction::CloseSubmissions || *action == TimerAction::RemindJurors;
    if (!validateId("campaign id", ref.campaignId)) return malformed();
    if (!campaigns) {
      return Error::invalidInput("timer id \"" + std::string(id.substr(0, 200)) + "\": " +
                                 std::string(timerActionName(*action)) +
                                 " is a dossier's timer, not a campaign's");
    }
  } else if (ref.ownerStream.starts_with(dossierStreamPrefix)) {
    ref.dossierId = ref.ownerStream.substr(dossierStreamPrefix.size());
    const bool dossiers =
        *action != TimerAction::CloseSubmissions && *action != TimerAction::RemindJurors;
    if (!validateId("dossier id", ref.dossierId)) return malformed();
    if (!dossiers) {
      return Error::invalidInput("timer id \"" + std::string(id.substr(0, 200)) + "\": " +
                                 std::string(timerActionName(*action)) +
                                 " is a campaign's timer, not a dossier's");
    }
  } else {
    return malformed();
  }
  ref.action = *action;
  const std::string_view version = id.substr(last + 1);
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(version.data(), version.data() + version.size(), n);
  if (ec != std::errc() || p != version.data() + version.size() || n == 0) return malformed();
  return ref;
}

std::string timerActor(std::string_view id) { return "timer:" + std::string(id); }

}  // namespace parcours::workflows
