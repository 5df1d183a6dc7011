// The operations of the API, once, for every transport: each checks the
// caller's roles, runs the command or the query, and fills the Cap'n Proto
// results of the RPC method of the same name (adapters/rpc/parcours.capnp).
// The HTTP gateway and the RPC server only translate to and from these.
//
// Threads: writes block until their events are durable; call them from a
// worker thread (CommandPool). Reads are quick and may run anywhere.
#pragma once

#include <string>
#include <string_view>

#include "metrics.h"
#include "parcours/adapters/rpc/parcours.capnp.h"
#include "parcours/adapters/tokens.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/drafts.h"
#include "parcours/workflows/laureates.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/views.h"
#include "parcours/workflows/workflow.h"

namespace parcours::adapters {

// Which events a reader or subscriber wants (rpc::EventFilter, checked).
struct EventFilter {
  std::vector<std::string> types;
  std::string campaignId;
  std::string streamPrefix;

  // InvalidInput for an unknown event type or a malformed id.
  static Result<EventFilter> read(rpc::EventFilter::Reader in);
  bool matches(std::string_view type, std::string_view streamId, std::string_view campaignId) const;
};

class Api {
 public:
  // `timers` (not owned, may be null: a replica, which fires none) answers
  // the timer reads; `drafts` (not owned, may be null: a replica, a server
  // without a key store) keeps the applicants' drafts.
  Api(store::EventLog& log, workflows::Workflow& workflow, workflows::Views& views,
      Metrics& metrics, workflows::TimerService* timers = nullptr,
      workflows::Drafts* drafts = nullptr);

  using P = rpc::Parcours;

  // ---- writes (blocking)
  Status campaignCommand(const Principal& who, P::CampaignCommandParams::Reader in,
                         P::CampaignCommandResults::Builder out);
  Status dossierCommand(const Principal& who, P::DossierCommandParams::Reader in,
                        P::DossierCommandResults::Builder out);
  // A person's reschedule or cancel of a timer (docs/timers.md).
  Status timerCommand(const Principal& who, P::TimerCommandParams::Reader in,
                      P::TimerCommandResults::Builder out);
  Status mayAttemptTimerCommand(const Principal& who, std::string_view timerId) const;
  Status timers(const Principal& who, P::TimersParams::Reader in,
                P::TimersResults::Builder out) const;

  // ---- drafts (workflows/drafts.h; api_drafts.cc): an applicant's own,
  // any for administrators. mayDraft is the role check, made before a
  // request's body is read.
  Status mayDraft(const Principal& who) const;
  Status draftSave(const Principal& who, P::DraftSaveParams::Reader in,
                   P::DraftSaveResults::Builder out);
  Status draft(const Principal& who, P::DraftParams::Reader in, P::DraftResults::Builder out) const;
  Status draftDiscard(const Principal& who, P::DraftDiscardParams::Reader in);
  Status draftSubmit(const Principal& who, P::DraftSubmitParams::Reader in,
                     P::DraftSubmitResults::Builder out);
  // Documents (docs/documents.md; api_drafts.cc). An upload's checks, made
  // before its first byte is read: the role, the draft, the field, room.
  Result<workflows::AttachmentSlot> mayUpload(const Principal& who, std::string_view dossierId,
                                              const std::string& field,
                                              std::optional<std::uint64_t> ifMatch) const;
  // The dossier's documents as `who` may see them: its draft's (its owner,
  // administrators), or its submission's (administrators, instructors,
  // auditors, its applicant, and the jurors drawn to score it, not when
  // recused).
  Result<std::vector<workflows::DocumentRef>> documents(const Principal& who,
                                                        std::string_view dossierId) const;
  // Null on a server that keeps no drafts (mayDraft says why).
  workflows::Drafts* drafts() const { return drafts_; }

  // ---- reads
  Status campaigns(const Principal& who, P::CampaignsParams::Reader in,
                   P::CampaignsResults::Builder out) const;
  Status campaign(const Principal& who, P::CampaignParams::Reader in,
                  P::CampaignResults::Builder out) const;
  // `search`: keeps dossiers whose id, title or applicant contains it
  // (case-insensitive); HTTP's `q`.
  Status status(const Principal& who, P::StatusParams::Reader in, std::string_view search,
                P::StatusResults::Builder out) const;
  Status dossier(const Principal& who, P::DossierParams::Reader in,
                 P::DossierResults::Builder out) const;
  Status timeline(const Principal& who, P::TimelineParams::Reader in,
                  P::TimelineResults::Builder out) const;
  // The clear answers to the form, for whoever may read the dossier.
  Status answers(const Principal& who, P::AnswersParams::Reader in,
                 P::AnswersResults::Builder out) const;
  Status dossierAudit(const Principal& who, P::DossierAuditParams::Reader in,
                      P::DossierAuditResults::Builder out) const;
  Status campaignAudit(const Principal& who, P::CampaignAuditParams::Reader in,
                       P::CampaignAuditResults::Builder out) const;
  Status stats(const Principal& who, P::StatsParams::Reader in, P::StatsResults::Builder out) const;
  Status leaderboard(const Principal& who, P::LeaderboardParams::Reader in,
                     P::LeaderboardResults::Builder out) const;
  Status budget(const Principal& who, P::BudgetParams::Reader in,
                P::BudgetResults::Builder out) const;
  // The laureates as published (workflows/laureates.h): public, no
  // principal; NotFound before the publication.
  Result<workflows::PublishedLaureates> laureates(const std::string& campaignId) const;
  // The rules in force: public to every principal, as a call's text is.
  Status rules(const Principal& who, P::RulesParams::Reader in, P::RulesResults::Builder out) const;
  Status events(const Principal& who, P::EventsParams::Reader in,
                P::EventsResults::Builder out) const;

  // Whether `who` may read the global log and subscribe to it.
  Status mayReadEvents(const Principal& who) const;

  // The audit trails as the views hold them, for CSV export (same checks).
  Result<std::vector<workflows::AuditEntry>> dossierAuditEntries(
      const Principal& who, std::string_view dossierId, const workflows::AuditQuery& q) const;
  Result<std::vector<workflows::AuditEntry>> campaignAuditEntries(
      const Principal& who, std::string_view campaignId, const workflows::AuditQuery& q) const;

  // Whether `who`'s roles allow the command at all: the first check, made
  // before a request's body is read or parsed. The full check (the
  // dossier's owner, the jury's seats) comes with the command.
  Status mayAttemptDossierCommand(const Principal& who, rpc::DossierCommand::Which which,
                                  std::string_view dossierId) const;
  Status mayAttemptCampaignCommand(const Principal& who, rpc::CampaignCommand::Which which,
                                   std::string_view campaignId) const;

  // Read checks, asked of the live views before a past view is replayed.
  Status mayReadDossier(const Principal& who, std::string_view dossierId) const;
  Status mayReadCampaignViews(const Principal& who, std::string_view campaignId) const;
  // The past of every campaign and dossier at once: those who read everything.
  Status mayReadThePastOfEverything(const Principal& who) const;

  store::EventLog& log() const { return log_; }
  workflows::Views& liveViews() const { return live_; }
  // The same operations reading `past` (the views as of a position,
  // workflows/past_views.h) instead of the live views: HTTP's ?at= and
  // ?as_of=. Writes through it are refused by the gateway before.
  Api readingFrom(const workflows::ViewQueries& past) const;

 private:
  Status mayReadCampaign(const Principal& who, std::string_view campaignId) const;
  Status awaitTimersAndViews(store::Position position) const;
  // A dossier write's answer, once the views show it: the append, and the
  // stream's version and status it left (a retried command id: its first).
  Status answerDossierWrite(const std::string& dossierId, const store::AppendResult& appended,
                            rpc::CommandResult::Builder result) const;
  // A dossier's pending timers from its stream (Workflow::pendingDossierTimers),
  // the service level's reminder only for those who read everything.
  Result<std::vector<engine::PendingTimer>> dossierTimers(const Principal& who,
                                                          const std::string& dossierId,
                                                          const std::string& campaignId) const;
  // Pending timers as the API shows them, each due instant in its
  // campaign's zone.
  void writeTimers(const std::vector<engine::PendingTimer>& timers,
                   capnp::List<rpc::Timer>::Builder list) const;
  // Loads the dossier's row (NotFound first) and checks `who` may read it.
  // Whether `who` reads the dossiers of `campaignId` with their jurors
  // anonymous: an applicant does, unless the campaign's rules say otherwise.
  bool hidesJurorsFrom(const Principal& who, const std::string& campaignId) const;
  Result<workflows::DossierRow> readableDossier(const Principal& who,
                                                std::string_view dossierId) const;
  bool sitsOnJury(const Principal& who, std::string_view campaignId) const;
  // NotFound as for a dossier that never was (what applicants get for others').
  Error unknownDossier(std::string_view dossierId) const;
  // The subject whose token submitted the dossier (its first event's actor).
  Result<std::string> submitter(std::string_view dossierId) const;
  Status mayRunDossierCommand(const Principal& who, std::string_view dossierId,
                              rpc::DossierCommand::Reader command) const;

  // readingFrom's: `base` with its reads going to `reads`.
  Api(const Api& base, const workflows::ViewQueries& reads);

  store::EventLog& log_;
  workflows::Workflow& workflow_;
  workflows::Views& live_;            // followed by writes (read-your-writes)
  const workflows::ViewQueries& views_;  // what reads read: live_, or a past view
  Metrics& metrics_;
  workflows::TimerService* timers_ = nullptr;
  workflows::Drafts* drafts_ = nullptr;
};

}  // namespace parcours::adapters
