#include "api.h"

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <map>
#include <thread>

#include "api_convert.h"
#include "api_support.h"
#include "server_limits.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::adapters {
namespace {

using workflows::toString;

// Administrators, instructors and auditors read every view.
bool readsEverything(const Principal& who) {
  return who.has(Role::Administrator) || who.has(Role::Instructor) || who.has(Role::Auditor);
}

// An applicant learns the decisions on their dossier and their reasons,
// not which juror scored or voted what: scores and votes are shown without
// their juror, and without the juror's individual marks (docs/http-api.md,
// "What applicants see"), unless the campaign's rules show them
// (applicants_see_jurors; Api::hidesJurorsFrom).
bool seesJurorsAnonymously(const Principal& who) {
  return who.has(Role::Applicant) && !readsEverything(who) && !who.has(Role::Juror);
}

void anonymiseJuror(std::string_view eventType, std::string& actor, std::string& summary) {
  if (eventType == "ScoreRecorded") {
    actor = "jury";
    summary = "a juror's score was recorded";
  } else if (eventType == "VoteCast") {
    actor = "jury";
    summary = "a vote was cast";
  }
}


// Lower case for the search: ASCII, and the accented capitals of French
// and its neighbours (Latin-1 À..Þ, and Œ), which titles and applicants'
// names are full of. Full Unicode case folding is ICU's; this is enough to
// find "numérique" when searching "NUMÉRIQUE".
std::string foldCase(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    } else if (c == 0xC5 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) == 0x92) {
      out[i + 1] = static_cast<char>(0x93);
      ++i;
    }
  }
  return out;
}

bool containsFolded(std::string_view haystack, std::string_view foldedNeedle) {
  return foldCase(haystack).find(foldedNeedle) != std::string::npos;
}





}  // namespace

Result<EventFilter> EventFilter::read(rpc::EventFilter::Reader in) {
  EventFilter filter;
  for (auto type : in.getTypes()) {
    std::string t = toString(type);
    if (!workflows::isDossierEventType(t) && !workflows::isCampaignEventType(t)) {
      return Error::invalidInput("type: \"" + t +
                                 "\" is not an event type (DossierSubmitted, ScoreRecorded...)");
    }
    filter.types.push_back(std::move(t));
  }
  filter.campaignId = toString(in.getCampaignId());
  if (!filter.campaignId.empty()) {
    if (auto s = workflows::validateId("campaign", filter.campaignId); !s) return s.error();
  }
  filter.streamPrefix = toString(in.getStreamPrefix());
  return filter;
}

bool EventFilter::matches(std::string_view type, std::string_view streamId,
                          std::string_view eventCampaign) const {
  if (!types.empty() && std::find(types.begin(), types.end(), type) == types.end()) return false;
  if (!campaignId.empty() && campaignId != eventCampaign) return false;
  return streamId.substr(0, streamPrefix.size()) == streamPrefix;
}

Api::Api(store::EventLog& log, workflows::Workflow& workflow, workflows::Views& views,
         Metrics& metrics, workflows::TimerService* timers, workflows::Drafts* drafts)
    : log_(log),
      workflow_(workflow),
      live_(views),
      views_(views),
      metrics_(metrics),
      timers_(timers),
      drafts_(drafts) {}

Api::Api(const Api& base, const workflows::ViewQueries& reads)
    : log_(base.log_),
      workflow_(base.workflow_),
      live_(base.live_),
      views_(reads),
      metrics_(base.metrics_),
      // The index and the streams' present only: a past dossier shows no
      // timers (its timeline has every timer event); /v1/timers refuses ?at=.
      timers_(nullptr),
      drafts_(nullptr) {}

Api Api::readingFrom(const workflows::ViewQueries& past) const {
  return Api(*this, past);
}

// ------------------------------------------------------------------ checks

bool Api::sitsOnJury(const Principal& who, std::string_view campaignId) const {
  if (!who.has(Role::Juror)) return false;
  auto campaign = workflow_.loadCampaign(std::string(campaignId));
  return campaign && campaign->member(who.subject) != nullptr;
}

Status Api::mayReadCampaign(const Principal& who, std::string_view campaignId) const {
  if (readsEverything(who) || sitsOnJury(who, campaignId)) return okStatus();
  return forbidden(who, "read campaign " + std::string(campaignId) + "'s views");
}

Result<std::string> Api::submitter(std::string_view dossierId) const {
  auto first =
      log_.readStream(workflows::dossierStream(dossierId), 1, store::Direction::Forward, 1);
  if (!first) return first.error();
  if (first->empty())
    return Error::notFound("dossier " + std::string(dossierId) + " does not exist");
  return first->front().actor;
}

Result<workflows::DossierRow> Api::readableDossier(const Principal& who,
                                                   std::string_view dossierId) const {
  if (!readsEverything(who) && !who.has(Role::Juror) && !who.has(Role::Applicant)) {
    return forbidden(who, "read dossiers");
  }
  auto row = views_.dossier(dossierId);
  if (!row) return row.error();
  if (readsEverything(who)) return row;
  if (who.has(Role::Juror)) {
    auto campaign = workflow_.loadCampaign(row->campaignId);
    if (campaign && campaign->member(who.subject) != nullptr) {
      // A declared conflict, pending or upheld, keeps the juror out of the
      // dossier: its scores, timeline and audit are what recusal hides
      // (issue 17, defect 4). A dismissed one does not.
      if (campaign->recused(who.subject, dossierId) ||
          campaign->conflictPending(who.subject, dossierId)) {
        return forbidden(who, "read dossier " + std::string(dossierId) +
                                  ": recused (a conflict of interest is declared on it)");
      }
      return row;
    }
  }
  if (who.has(Role::Applicant)) {
    auto owner = submitter(dossierId);
    if (!owner) return owner.error();
    if (*owner == who.subject) return row;
    // Another's dossier is, to an applicant, one that does not exist: the
    // same answer, word for word (issue 17, defect 8).
    return unknownDossier(dossierId);
  }
  return forbidden(who, "read dossier " + std::string(dossierId));
}

Error Api::unknownDossier(std::string_view dossierId) const {
  return Error::notFound("no dossier \"" + std::string(dossierId) +
                         "\" (the views reflect the log up to position " +
                         std::to_string(live_.checkpoint()) + ")");
}

Status Api::mayReadDossier(const Principal& who, std::string_view dossierId) const {
  if (auto s = workflows::validateId("dossier", dossierId); !s) return s;
  auto row = readableDossier(who, dossierId);
  if (!row) return row.error();
  return okStatus();
}

Status Api::mayReadCampaignViews(const Principal& who, std::string_view campaignId) const {
  if (auto s = workflows::validateId("campaign", campaignId); !s) return s;
  return mayReadCampaign(who, campaignId);
}

Status Api::mayReadThePastOfEverything(const Principal& who) const {
  if (readsEverything(who)) return okStatus();
  return forbidden(who, "read the past of every campaign and dossier (ask about one you may read)");
}

Status Api::mayReadEvents(const Principal& who) const {
  if (who.has(Role::Administrator) || who.has(Role::Auditor) || who.has(Role::Integrator)) {
    return okStatus();
  }
  return forbidden(who, "read the event log");
}

Status Api::mayAttemptDossierCommand(const Principal& who, rpc::DossierCommand::Which which,
                                     std::string_view dossierId) const {
  using W = rpc::DossierCommand;
  bool roleMay = who.has(Role::Administrator);
  switch (which) {
    case W::SUBMIT:
    case W::WITHDRAW:
      roleMay = roleMay || who.has(Role::Applicant);
      break;
    case W::RECORD_SCORE:
    case W::CAST_VOTE:
      // A juror's own; an administrator only in their own name (checked
      // with the command: a score counts as the juror's who is named).
      roleMay = roleMay || who.has(Role::Juror);
      break;
    case W::CONFIRM_ELIGIBILITY:
    case W::DECLARE_INELIGIBLE:
    case W::NOT_SELECT:
    case W::SCHEDULE_AUDITION:
    case W::SCHEDULE_AUDITION_IN:
    case W::RECORD_AUDITION_HELD:
    case W::RECORD_NO_SHOW:
    case W::CLOSE_SCORING:
    case W::CLOSE_VOTE:
    case W::CLOSE_VOTE_WITH:
    case W::AWARD:
      roleMay = roleMay || who.has(Role::Instructor);
      break;
  }
  if (roleMay) return okStatus();
  return forbidden(who, std::string(commandName(which)) + " on dossier " + std::string(dossierId));
}

Status Api::mayAttemptCampaignCommand(const Principal& who, rpc::CampaignCommand::Which which,
                                      std::string_view campaignId) const {
  if (who.has(Role::Administrator)) return okStatus();
  return forbidden(who, std::string(commandName(which)) + " on campaign " + std::string(campaignId));
}

Status Api::mayRunDossierCommand(const Principal& who, std::string_view dossierId,
                                 rpc::DossierCommand::Reader command) const {
  using W = rpc::DossierCommand;
  const W::Which which = command.which();
  if (auto s = mayAttemptDossierCommand(who, which, dossierId); !s) return s;
  const std::string what =
      std::string(commandName(which)) + " on dossier " + std::string(dossierId);
  switch (which) {
    case W::SUBMIT: {
      if (who.has(Role::Administrator)) return okStatus();
      // An id another applicant took is taken, without a word of its state
      // (issue 17, defect 8); one's own gets the workflow's full answer.
      auto owner = submitter(dossierId);
      if (!owner || *owner == who.subject) return okStatus();
      return Error::conflict("the dossier id \"" + std::string(dossierId) +
                             "\" is taken: choose another id (nothing was written)");
    }
    case W::WITHDRAW: {
      if (who.has(Role::Administrator)) return okStatus();
      // Another's dossier answers as if it did not exist (issue 17, defect 8).
      auto owner = submitter(dossierId);
      if (owner && *owner == who.subject) return okStatus();
      return unknownDossier(dossierId);
    }
    case W::RECORD_SCORE:
    case W::CAST_VOTE: {
      const std::string id =
          toString(which == W::RECORD_SCORE ? command.getRecordScore().getJurorId()
                                            : command.getCastVote().getVoterId());
      // A score or a vote counts as the juror's it names: nobody records one
      // in another's name, administrators included (issue 17, defect 5) —
      // but the member holding a voter's proxy casts that voter's vote, in
      // their own name as its holder (CGCT L4132-15).
      const bool asProxyHolder =
          which == W::CAST_VOTE && toString(command.getCastVote().getProxyHolderId()) == who.subject;
      if (id != who.subject && !asProxyHolder) {
        return forbidden(who, what + " in the name of " + id + " (only their own)");
      }
      if (who.has(Role::Administrator)) return okStatus();
      auto dossier = workflow_.loadDossier(std::string(dossierId));
      if (!dossier) return dossier.error();
      if (sitsOnJury(who, dossier->campaignId)) return okStatus();
      return forbidden(who, what + ": not appointed to campaign " + dossier->campaignId);
    }
    default:
      return okStatus();
  }
}

// ------------------------------------------------------------------ writes

Status Api::campaignCommand(const Principal& who, P::CampaignCommandParams::Reader in,
                            P::CampaignCommandResults::Builder out) {
  const auto started = std::chrono::steady_clock::now();
  const std::string campaignId = toString(in.getCampaignId());
  auto run = [&]() -> Status {
    if (auto s = workflows::validateId("campaign", campaignId); !s) return s;
    if (auto s = mayAttemptCampaignCommand(who, in.getCommand().which(), campaignId); !s) {
      return s;
    }
    auto command = readCampaignCommand(campaignId, in.getCommand());
    if (!command) return command.error();
    auto context = commandContext(who, in.getCommandId(), in.getCommand().getReason());
    if (!context) return context.error();
    auto appended = workflow_.campaign(campaignId, *command, *context);
    if (!appended) return appended.error();
    if (auto s = awaitTimersAndViews(appended->lastPosition); !s) return s;
    auto result = out.initResult();
    writeAppend(*appended, result);
    auto state = workflow_.loadCampaignAfter(campaignId, *appended);
    if (!state) return state.error();
    result.setStreamId(workflows::campaignStream(campaignId));
    result.setStreamVersion(state->version);
    result.setStatus(std::string(workflows::phaseName(state->phase)));
    return okStatus();
  };
  Status s = run();
  metrics_.commandDone(s ? std::nullopt : std::optional(s.error().code), microsSince(started));
  return s;
}

Status Api::dossierCommand(const Principal& who, P::DossierCommandParams::Reader in,
                           P::DossierCommandResults::Builder out) {
  const auto started = std::chrono::steady_clock::now();
  const std::string dossierId = toString(in.getDossierId());
  auto run = [&]() -> Status {
    if (auto s = workflows::validateId("dossier", dossierId); !s) return s;
    // A juror's or voter's own id may be left out: it is the caller's.
    capnp::MallocMessageBuilder filled;
    filled.setRoot(in.getCommand());
    auto command = filled.getRoot<rpc::DossierCommand>();
    if (command.isRecordScore() && command.getRecordScore().getJurorId().size() == 0) {
      command.getRecordScore().setJurorId(who.subject);
    }
    if (command.isCastVote() && command.getCastVote().getVoterId().size() == 0) {
      command.getCastVote().setVoterId(who.subject);
    }
    if (auto s = mayRunDossierCommand(who, dossierId, command.asReader()); !s) return s;
    // An id with a draft is submitted from the draft (docs/forms.md, "Drafts").
    if (command.isSubmit() && drafts_ != nullptr) {
      if (auto s = drafts_->mayBypass(dossierId, who.subject); !s) return s;
    }
    auto decoded = readDossierCommand(command.asReader());
    if (!decoded) return decoded.error();
    auto context = commandContext(who, in.getCommandId(), command.getReason());
    if (!context) return context.error();
    auto appended = workflow_.dossier(dossierId, *decoded, *context);
    if (!appended) return appended.error();
    return answerDossierWrite(dossierId, *appended, out.initResult());
  };
  Status s = run();
  metrics_.commandDone(s ? std::nullopt : std::optional(s.error().code), microsSince(started));
  return s;
}

Status Api::answerDossierWrite(const std::string& dossierId, const store::AppendResult& appended,
                               rpc::CommandResult::Builder result) const {
  awaitViews(live_, appended.lastPosition);
  writeAppend(appended, result);
  auto state = workflow_.loadDossierAfter(dossierId, appended);
  if (!state) return state.error();
  result.setStreamId(workflows::dossierStream(dossierId));
  result.setStreamVersion(state->version);
  result.setStatus(std::string(workflows::statusName(state->status)));
  return okStatus();
}

// A campaign's decisions and a person's timer commands schedule, move and
// cancel timers: the writer reads the views and /v1/timers next, so both are
// caught up before it is answered (this runs on a worker).
Status Api::awaitTimersAndViews(store::Position position) const {
  awaitViews(live_, position);
  if (timers_ == nullptr) return okStatus();
  if (auto caught = timers_->catchUp(); !caught) return caught.error();
  return okStatus();
}

Status Api::mayAttemptTimerCommand(const Principal& who, std::string_view timerId) const {
  if (who.has(Role::Administrator)) return okStatus();
  return forbidden(who, "move or cancel timer " + std::string(timerId.substr(0, 200)) +
                            " (administrators only)");
}

Status Api::timerCommand(const Principal& who, P::TimerCommandParams::Reader in,
                         P::TimerCommandResults::Builder out) {
  const auto started = std::chrono::steady_clock::now();
  const std::string timerId = toString(in.getTimerId());
  auto run = [&]() -> Status {
    if (auto s = mayAttemptTimerCommand(who, timerId); !s) return s;
    auto ref = workflows::parseTimerId(timerId);
    if (!ref) return ref.error();
    auto context = commandContext(who, in.getCommandId(), in.getCommand().getReason());
    if (!context) return context.error();
    workflows::TimerCommand command = workflows::timer_command::Cancel{timerId};
    if (in.getCommand().isReschedule()) {
      auto due = workflow_.timerDue(timerId, toString(in.getCommand().getReschedule()));
      if (!due) {
        if (due.error().code != ErrorCode::InvalidInput) return due.error();
        return Error::invalidInput("reschedule: " + due.error().message);
      }
      command = workflows::timer_command::Reschedule{timerId, *due, 0};
    }
    auto appended = workflow_.timer(timerId, command, *context);
    if (!appended) return appended.error();
    if (auto s = awaitTimersAndViews(appended->lastPosition); !s) return s;
    auto result = out.initResult();
    writeAppend(*appended, result);
    result.setStreamId(ref->ownerStream);
    const workflows::TimerRecord* t = nullptr;
    std::optional<workflows::DossierState> dossier;
    std::optional<workflows::CampaignState> campaign;
    if (!ref->dossierId.empty()) {
      auto state = workflow_.loadDossierAfter(ref->dossierId, *appended);
      if (!state) return state.error();
      dossier = std::move(state).value();
      result.setStreamVersion(dossier->version);
      t = dossier->timer(timerId);
    } else {
      auto state = workflow_.loadCampaignAfter(ref->campaignId, *appended);
      if (!state) return state.error();
      campaign = std::move(state).value();
      result.setStreamVersion(campaign->version);
      t = campaign->timer(timerId);
    }
    result.setStatus(t == nullptr ? "" : std::string(workflows::timerStatusName(t->status)));
    return okStatus();
  };
  Status s = run();
  metrics_.commandDone(s ? std::nullopt : std::optional(s.error().code), microsSince(started));
  return s;
}

Result<std::vector<engine::PendingTimer>> Api::dossierTimers(const Principal& who,
                                                             const std::string& dossierId,
                                                             const std::string& campaignId) const {
  auto pending = workflow_.pendingDossierTimers(dossierId, campaignId);
  if (!pending) return pending.error();
  std::vector<engine::PendingTimer> out;
  for (const workflows::TimerRecord& t : *pending) {
    // The service level's reminder is the administrators' business.
    if (t.action == workflows::TimerAction::RemindAdministrators && !readsEverything(who)) {
      continue;
    }
    out.push_back({t.timerId, workflows::dossierStream(dossierId),
                   std::string(workflows::timerActionName(t.action)), t.dueMicros});
  }
  return out;
}

void Api::writeTimers(const std::vector<engine::PendingTimer>& timers,
                      capnp::List<rpc::Timer>::Builder list) const {
  std::map<std::string, std::string> zones;  // campaign -> its zone
  for (unsigned i = 0; i < timers.size(); ++i) {
    const engine::PendingTimer& t = timers[i];
    auto ref = workflows::parseTimerId(t.timerId);
    // A dossier's campaign from the live view's row (no stream to fold).
    std::string campaignId = ref ? ref->campaignId : std::string();
    if (ref && !ref->dossierId.empty()) {
      auto row = live_.dossier(ref->dossierId);
      if (row) campaignId = row->campaignId;
    }
    if (!zones.contains(campaignId)) {
      auto zone = workflow_.campaignZone(campaignId);
      zones[campaignId] = zone ? *zone : "UTC";
    }
    auto timer = list[i];
    timer.setTimerId(t.timerId);
    if (ref) {
      timer.setCampaignId(ref->campaignId);
      timer.setDossierId(ref->dossierId);
    }
    timer.setAction(t.action);
    timer.setDue(workflows::formatInZone(t.dueMicros, zones[campaignId]));
    timer.setDueMicros(t.dueMicros);
  }
}

Status Api::timers(const Principal& who, P::TimersParams::Reader in,
                   P::TimersResults::Builder out) const {
  const std::string campaignId = toString(in.getCampaignId());
  const std::string dossierId = toString(in.getDossierId());
  if (!campaignId.empty() && !dossierId.empty()) {
    return Error::invalidInput("campaign or dossier: a timer is either a campaign's or a dossier's");
  }
  if (!dossierId.empty()) {
    // One dossier's: its stream, read-your-writes (a dossier command does
    // not wait for the index).
    if (auto s = workflows::validateId("dossier", dossierId); !s) return s;
    auto row = readableDossier(who, dossierId);
    if (!row) return row.error();
    if (in.getDueBefore().size() > 0 || in.getAfter().size() > 0 || in.getLimit() != 0) {
      return Error::invalidInput(
          "due_before, after and limit page the lists of every campaign's timers; a dossier has "
          "a few, all listed");
    }
    if (timers_ == nullptr) {
      return Error::notFound("this node keeps no timers (a read replica): ask the primary");
    }
    auto pending = dossierTimers(who, row->dossierId, row->campaignId);
    if (!pending) return pending.error();
    writeTimers(*pending, out.initPage().initTimers(static_cast<unsigned>(pending->size())));
    return okStatus();
  } else if (campaignId.empty()) {
    if (!readsEverything(who)) {
      return forbidden(who, "read the timers of every campaign (ask about one you may read)");
    }
  } else {
    if (auto s = mayReadCampaignViews(who, campaignId); !s) return s;
  }
  if (timers_ == nullptr) {
    return Error::notFound("this node keeps no timers (a read replica): ask the primary");
  }
  engine::TimerQuery query;
  if (!campaignId.empty()) query.owner = workflows::campaignStream(campaignId);
  if (in.getDueBefore().size() > 0) {
    auto before = workflows::parseInstant(toString(in.getDueBefore()));
    if (!before) return Error::invalidInput("due_before: " + before.error().message);
    query.dueBeforeMicros = *before;
  }
  query.after = toString(in.getAfter());
  query.limit = in.getLimit() == 0 ? 100 : in.getLimit();
  if (query.limit > 1000) return Error::invalidInput("limit: 1 to 1000");
  auto page = timers_->list(query);
  if (!page) return page.error();
  writeTimers(page->timers, out.initPage().initTimers(static_cast<unsigned>(page->timers.size())));
  out.getPage().setNextCursor(page->nextCursor);
  return okStatus();
}

// ------------------------------------------------------------------ reads

Status Api::campaigns(const Principal& who, P::CampaignsParams::Reader,
                      P::CampaignsResults::Builder out) const {
  // The calls themselves are public: applicants read them to apply.
  if (who.has(Role::Integrator) && who.roles.size() == 1) return forbidden(who, "read campaigns");
  auto all = views_.campaigns();
  if (!all) return all.error();
  std::vector<const workflows::CampaignSummary*> visible;
  for (const auto& c : *all) visible.push_back(&c);
  auto list = out.initCampaigns(static_cast<unsigned>(visible.size()));
  for (unsigned i = 0; i < visible.size(); ++i) writeCampaign(*visible[i], list[i]);
  return okStatus();
}

Status Api::campaign(const Principal& who, P::CampaignParams::Reader in,
                     P::CampaignResults::Builder out) const {
  if (who.has(Role::Integrator) && who.roles.size() == 1) return forbidden(who, "read campaigns");
  auto c = views_.campaign(toString(in.getCampaignId()));
  if (!c) return c.error();
  writeCampaign(*c, out.initCampaign());
  return okStatus();
}

Status Api::status(const Principal& who, P::StatusParams::Reader in, std::string_view search,
                   P::StatusResults::Builder out) const {
  auto q = in.getQuery();
  workflows::StatusQuery query;
  query.campaignId = toString(q.getCampaignId());
  if (!readsEverything(who)) {
    if (query.campaignId.empty() || !sitsOnJury(who, query.campaignId)) {
      return forbidden(who, query.campaignId.empty()
                                ? std::string("list dossiers across campaigns")
                                : "list campaign " + query.campaignId + "'s dossiers");
    }
  }
  if (q.getStatus().size() > 0) {
    auto status = workflows::parseStatus(toString(q.getStatus()));
    if (!status || *status == workflows::DossierStatus::Absent) {
      return Error::invalidInput("status: \"" + toString(q.getStatus()) +
                                 "\" is not a dossier state (submitted, eligible, ...)");
    }
    query.status = *status;
  }
  query.after = toString(q.getAfter());
  query.limit = q.getLimit() == 0 ? 100 : q.getLimit();
  const std::string needle = foldCase(search);
  std::vector<workflows::DossierRow> rows;
  std::string next;
  while (true) {
    auto page = views_.status(query);
    if (!page) return page.error();
    for (auto& row : page->rows) {
      if (needle.empty() || containsFolded(row.dossierId, needle) ||
          containsFolded(row.title, needle) || containsFolded(row.applicantName, needle)) {
        rows.push_back(std::move(row));
      }
    }
    next = page->nextCursor;
    // A search may leave a page empty: read on until something matched
    // or the list ended, so an empty page always means the end.
    if (!rows.empty() || next.empty()) break;
    query.after = next;
  }
  auto page = out.initPage();
  auto list = page.initDossiers(static_cast<unsigned>(rows.size()));
  for (unsigned i = 0; i < rows.size(); ++i) writeDossier(rows[i], list[i]);
  page.setNextCursor(next);
  return okStatus();
}

Status Api::dossier(const Principal& who, P::DossierParams::Reader in,
                    P::DossierResults::Builder out) const {
  auto row = readableDossier(who, toString(in.getDossierId()));
  if (!row) return row.error();
  auto dossier = out.initDossier();
  writeDossier(*row, dossier);
  // Its pending timers, "decision deemed on ... unless taken before", as
  // its stream has them now (a past view shows none: its timeline has them).
  if (timers_ != nullptr) {
    auto pending = dossierTimers(who, row->dossierId, row->campaignId);
    if (!pending) return pending.error();
    writeTimers(*pending, dossier.initTimers(static_cast<unsigned>(pending->size())));
  }
  return okStatus();
}

Status Api::answers(const Principal& who, P::AnswersParams::Reader in,
                    P::AnswersResults::Builder out) const {
  auto row = readableDossier(who, toString(in.getDossierId()));
  if (!row) return row.error();
  auto recorded = workflow_.answers(row->dossierId);
  if (!recorded) return recorded.error();
  out.setAnswers(recorded->empty() ? std::string("{}") : *recorded);
  return okStatus();
}

bool Api::hidesJurorsFrom(const Principal& who, const std::string& campaignId) const {
  if (!seesJurorsAnonymously(who)) return false;
  auto campaign = workflow_.loadCampaign(campaignId);
  return !(campaign && campaign->exists && campaign->rules().applicantsSeeJurors);
}

Status Api::timeline(const Principal& who, P::TimelineParams::Reader in,
                     P::TimelineResults::Builder out) const {
  const std::string id = toString(in.getDossierId());
  auto row = readableDossier(who, id);
  if (!row) return row.error();
  auto entries = views_.timeline(id);
  if (!entries) return entries.error();
  if (hidesJurorsFrom(who, row->campaignId)) {
    for (auto& e : *entries) anonymiseJuror(e.eventType, e.actor, e.summary);
  }
  auto list = out.initEntries(static_cast<unsigned>(entries->size()));
  for (unsigned i = 0; i < entries->size(); ++i) writeTimelineEntry((*entries)[i], list[i]);
  return okStatus();
}

Result<std::vector<workflows::AuditEntry>> Api::dossierAuditEntries(
    const Principal& who, std::string_view dossierId, const workflows::AuditQuery& q) const {
  auto row = readableDossier(who, dossierId);
  if (!row) return row.error();
  auto entries = views_.dossierAudit(dossierId, q);
  if (entries && hidesJurorsFrom(who, row->campaignId)) {
    for (auto& e : *entries) anonymiseJuror(e.eventType, e.actor, e.summary);
  }
  return entries;
}

Result<std::vector<workflows::AuditEntry>> Api::campaignAuditEntries(
    const Principal& who, std::string_view campaignId, const workflows::AuditQuery& q) const {
  if (auto c = views_.campaign(campaignId); !c) return c.error();
  if (auto s = mayReadCampaign(who, campaignId); !s) return s.error();
  auto entries = views_.campaignAudit(campaignId, q);
  if (!entries || readsEverything(who)) return entries;
  // A juror's view of the campaign's trail leaves out the dossiers they are
  // recused from, as their own reads do.
  auto campaign = workflow_.loadCampaign(std::string(campaignId));
  if (!campaign) return campaign.error();
  std::erase_if(*entries, [&](const workflows::AuditEntry& e) {
    return !e.dossierId.empty() && (campaign->recused(who.subject, e.dossierId) ||
                                    campaign->conflictPending(who.subject, e.dossierId));
  });
  return entries;
}

namespace {
void writeAuditList(const std::vector<workflows::AuditEntry>& entries,
                    capnp::List<rpc::AuditEntry>::Builder list) {
  for (unsigned i = 0; i < entries.size(); ++i) writeAuditEntry(entries[i], list[i]);
}
}  // namespace

Status Api::dossierAudit(const Principal& who, P::DossierAuditParams::Reader in,
                         P::DossierAuditResults::Builder out) const {
  auto entries =
      dossierAuditEntries(who, toString(in.getDossierId()), {in.getAfter(), in.getLimit()});
  if (!entries) return entries.error();
  writeAuditList(*entries, out.initEntries(static_cast<unsigned>(entries->size())));
  return okStatus();
}

Status Api::campaignAudit(const Principal& who, P::CampaignAuditParams::Reader in,
                          P::CampaignAuditResults::Builder out) const {
  auto entries =
      campaignAuditEntries(who, toString(in.getCampaignId()), {in.getAfter(), in.getLimit()});
  if (!entries) return entries.error();
  writeAuditList(*entries, out.initEntries(static_cast<unsigned>(entries->size())));
  return okStatus();
}

Status Api::stats(const Principal& who, P::StatsParams::Reader in,
                  P::StatsResults::Builder out) const {
  const std::string id = toString(in.getCampaignId());
  auto stats = views_.stats(id);
  if (!stats) return stats.error();
  if (auto s = mayReadCampaign(who, id); !s) return s;
  writeStats(*stats, out.initStats());
  return okStatus();
}

Status Api::leaderboard(const Principal& who, P::LeaderboardParams::Reader in,
                        P::LeaderboardResults::Builder out) const {
  const std::string id = toString(in.getCampaignId());
  auto entries = views_.leaderboard(id);
  if (!entries) return entries.error();
  if (auto s = mayReadCampaign(who, id); !s) return s;
  auto list = out.initEntries(static_cast<unsigned>(entries->size()));
  for (unsigned i = 0; i < entries->size(); ++i) writeLeaderboardEntry((*entries)[i], list[i]);
  return okStatus();
}

Status Api::budget(const Principal& who, P::BudgetParams::Reader in,
                   P::BudgetResults::Builder out) const {
  const std::string id = toString(in.getCampaignId());
  auto budget = views_.budget(id);
  if (!budget) return budget.error();
  if (auto s = mayReadCampaign(who, id); !s) return s;
  writeBudget(*budget, out.initBudget());
  return okStatus();
}

Result<workflows::PublishedLaureates> Api::laureates(const std::string& campaignId) const {
  if (auto s = workflows::validateId("campaign id", campaignId); !s) return s.error();
  auto campaign = workflow_.loadCampaign(campaignId);
  if (!campaign) return campaign.error();
  return workflows::publishedLaureates(*campaign, views_);
}

Status Api::rules(const Principal&, P::RulesParams::Reader in,
                  P::RulesResults::Builder out) const {
  const std::string id = toString(in.getCampaignId());
  if (auto s = workflows::validateId("campaign id", id); !s) return s;
  auto campaign = workflow_.loadCampaign(id);
  if (!campaign) return campaign.error();
  if (!campaign->exists) return Error::notFound("no campaign \"" + id + "\"");
  out.setRulesVersion(campaign->rulesVersion());
  workflows::writeRules(campaign->rules(), out.initRules());
  return okStatus();
}

Status Api::events(const Principal& who, P::EventsParams::Reader in,
                   P::EventsResults::Builder out) const {
  if (auto s = mayReadEvents(who); !s) return s;
  auto filter = EventFilter::read(in.getFilter());
  if (!filter) return filter.error();
  const std::size_t limit =
      in.getLimit() == 0 ? 100 : std::min<std::size_t>(in.getLimit(), eventsPageMax);
  // Examine at most eventsScanMax events per call, so a filter that matches
  // little never makes one request scan the whole log; `next` resumes.
  constexpr std::size_t scanMax = eventsScanMax;
  const store::Position from = std::max<store::Position>(in.getFrom(), 1);
  capnp::MallocMessageBuilder scratch;
  std::vector<capnp::Orphan<rpc::Event>> kept;
  store::Position next = from;
  std::size_t examined = 0;
  const store::Position head = log_.head();
  // Chunks never longer than the room left, so the page never overflows.
  while (kept.size() < limit && examined < scanMax && next <= head) {
    auto last = log_.scanAll(next, limit - kept.size(), [&](const store::EventView& event) {
      auto orphan = scratch.getOrphanage().newOrphan<rpc::Event>();
      if (auto s = writeEvent(event, orphan.get()); !s) return s;
      if (filter->matches(event.eventType, event.streamId,
                          toString(orphan.getReader().getCampaignId()))) {
        kept.push_back(std::move(orphan));
      }
      ++examined;
      return okStatus();
    });
    if (!last) return last.error();
    if (*last == 0) break;
    next = *last + 1;
  }
  auto page = out.initPage();
  auto list = page.initEvents(static_cast<unsigned>(kept.size()));
  for (unsigned i = 0; i < kept.size(); ++i) list.setWithCaveats(i, kept[i].getReader());
  page.setNext(next);
  page.setHead(head);
  return okStatus();
}

}  // namespace parcours::adapters
