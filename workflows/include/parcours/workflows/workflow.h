// The workflow service: the one way commands reach the log.
//
// A dossier command loads the dossier's stream and its campaign's stream,
// lets the dossier machine decide under the rules in force, and appends
// what it yields with the expected version of every stream it read and
// writes; a grant writes the dossier and the campaign streams in one atomic
// append, so concurrent grants can never pass the envelope. On a version
// conflict the command is decided again (engine::runCommand). A refused
// command writes nothing. A command id makes a command idempotent.
//
// Personal data (docs/erasure.md): a submission's contact is sealed here,
// before the decision, with the dossier's data key from the key store, and
// the event holds only the sealed bytes and which contact fields were
// filled. Erase records DossierErased, then destroys the key.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "parcours/engine/command_runner.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/key_store.h"
#include "parcours/engine/timers.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/judging/selection.h"
#include "parcours/workflows/timers.h"

namespace parcours::workflows {

// Who asks and why, and the ids that make the command idempotent.
struct CommandContext {
  engine::CommandMetadata metadata;  // command id, actor, correlation, causation
  std::string reason;                // recorded in the events
};

// What can be read of a dossier's contact now.
struct ContactReading {
  // DossierErased is in the log: there is nothing to read, even while the
  // key survives an interrupted erase.
  bool erased = false;
  // Erased, but the key store still holds the key (the erase stopped between
  // the event and the key's destruction): erase again to finish.
  bool keyStillHeld = false;
  Contact contact;  // when not erased; empty when none was recorded
  // The form's personal answers, {"/pointer": value} (docs/forms.md); empty
  // when erased or none were given.
  std::string personalAnswers;
};

class Workflow {
 public:
  // `keys` (not owned, may be null) holds the dossiers' data keys; with
  // none, a submission's contact is dropped, not sealed: the event records
  // only which fields were filled (so the rules on required fields still
  // hold), and nothing of the contact can be read back. Every parcours
  // command and the server give one; tests and benchmarks may not.
  Workflow(store::EventLog& log, const engine::Clock& clock, engine::KeyStore* keys = nullptr);
  ~Workflow();

  Result<store::AppendResult> campaign(const std::string& campaignId,
                                       const CampaignCommand& command,
                                       const CommandContext& context);
  // Submit: the contact is sealed (or dropped, see above) before the
  // decision; the key is created only once the machine accepts the
  // submission. Erase: DossierErased first, then the key is destroyed
  // (KeyStore::erase), so a crash between the two leaves an erased dossier
  // whose contact nobody shows (contact() says erased) and whose key the next
  // Erase destroys: when the log already says erased but the key store still
  // holds the key, Erase finishes that and succeeds, writing nothing (an
  // AppendResult with no streams). Erasing again after that is refused
  // (RefusedByRule). An IoError after the event is durable says so: run the
  // erase again.
  Result<store::AppendResult> dossier(const std::string& dossierId, const DossierCommand& command,
                                      const CommandContext& context);

  // What dossier() would answer `submit` as `dossierId` by `actor` now,
  // decided the same way (late, strands, missing fields, the form's answers:
  // every problem at once) and appending nothing: ok when it would be
  // accepted. A draft's completeness (drafts.h).
  Status checkSubmission(const std::string& dossierId, const dossier_command::Submit& submit,
                         const std::string& actor) const;

  // A person's reschedule or cancel of a timer (timers.h): on the campaign
  // stream that owns it, stamped with this workflow's clock. Command ids
  // starting "timer:" are the timers' own, refused here as in every command.
  Result<store::AppendResult> timer(const std::string& timerId, const TimerCommand& command,
                                    const CommandContext& context);
  // A dossier's pending timers as its stream has them, in due order (read
  // your writes: no index to wait for). Without a fold when no rules
  // version of its campaign could give a dossier a timer (no statutory
  // delay, no service level, no reconvened vote): none.
  Result<std::vector<TimerRecord>> pendingDossierTimers(const std::string& dossierId,
                                                        const std::string& campaignId) const;
  // A campaign's time zone; NotFound for one never opened.
  Result<std::string> campaignZone(const std::string& campaignId) const;
  // The time zone a timer is read in: its campaign's (a dossier's timer,
  // its dossier's campaign's). NotFound for an owner that does not exist.
  Result<std::string> timerZone(const std::string& timerId) const;
  // A new due instant for a timer, as people write it: RFC 3339 with its
  // offset, or a local time in timerZone ("2020-07-10T12:00"). NotFound
  // for an owner that does not exist; InvalidInput (the text quoted) when
  // it is neither.
  Result<std::int64_t> timerDue(const std::string& timerId, const std::string& text) const;
  // Fires a due timer as the scheduler does: actor and command id
  // "timer:<id>", so a second firing (another scheduler, a retry after a
  // crash) finds the first and writes nothing. Skipped: already fired, no
  // longer pending, or not due on this clock.
  Result<engine::FireResult> fireTimer(const std::string& timerId);

  // The selection the campaign's rule would make now over the dossiers
  // carried by the vote or awaiting it (scored past the threshold), without
  // recording anything: the dry run, before or after the vote.
  Result<judging::SelectionResult> previewSelection(const std::string& campaignId) const;

  // The folded streams. NotFound when the stream does not exist.
  Result<CampaignState> loadCampaign(const std::string& campaignId) const;
  Result<DossierState> loadDossier(const std::string& dossierId) const;
  // The state `appended` left the stream in (its last version there): what
  // the command answered the first time. A retried command id (deduplicated)
  // answers that, not what later commands made of the stream.
  Result<DossierState> loadDossierAfter(const std::string& dossierId,
                                        const store::AppendResult& appended) const;
  Result<CampaignState> loadCampaignAfter(const std::string& campaignId,
                                          const store::AppendResult& appended) const;

  // The dossier's personal data (its contact, the form's personal answers),
  // opened with its key. NotFound for an unknown
  // dossier; InvalidInput when the contact is sealed and this workflow has
  // no key store; NotFound when the key store holds no key for a sealed,
  // unerased contact (another key store?); Corruption when the sealed bytes
  // do not open with the key. A contact recorded before sealing comes back
  // from the plaintext (unless erased).
  Result<ContactReading> contact(const std::string& dossierId) const;
  // The dossier's clear answers to its campaign's form, canonical JSON (""
  // when it was submitted without a form): what every reader of the dossier
  // may see. The personal ones are in contact().
  Result<std::string> answers(const std::string& dossierId) const;

 private:
  class CampaignCache;
  class ScoringGates;
  // Folds dossiers from the log, for the judging commands' inputs.
  std::function<Result<DossierState>(const std::string&)> dossierLookup() const;
  Result<store::AppendResult> decideCampaignCommand(const std::string& campaignId,
                                                    const CampaignCommand& command,
                                                    const CommandContext& context);
  Result<store::AppendResult> decideAndAppend(const std::string& dossierId,
                                              const DossierCommand& command,
                                              const CommandContext& context);
  Result<store::AppendResult> erase(const std::string& dossierId, const CommandContext& context);
  // timer() and fireTimer() both: the decision and the append.
  Result<store::AppendResult> runTimerCommand(const std::string& timerId,
                                              const TimerCommand& command,
                                              const CommandContext& context);
  store::EventLog& log_;
  const engine::Clock& clock_;
  engine::KeyStore* keys_;
  std::unique_ptr<CampaignCache> campaigns_;
  std::unique_ptr<ScoringGates> scoringGates_;
};

}  // namespace parcours::workflows
