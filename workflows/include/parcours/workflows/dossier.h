// A dossier: one application to a campaign, its own stream "dossier-<id>".
//
// The state is the fold of the stream's DossierEvents (applyDossierEvent);
// the commands are what instructors, jurors, voters and applicants ask for;
// the dossier machine (dossier_machine.h) decides which events a command
// yields under the campaign's rules in force.
//
// C++17 on purpose: the Boost.MSM translation unit includes this header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/timer_record.h"

namespace parcours::workflows {

// A document attached to a dossier (docs/documents.md): the answer of an
// attachment field of the form, as a draft holds it and the submission
// records it. The bytes are in the store's document blobs, sealed with the
// dossier's key; this line is what the hash chain covers.
struct DocumentRef {
  std::string field;        // the form's attachment field
  std::string name;         // the file's name as uploaded (one line, no "/")
  std::uint64_t size = 0;   // bytes
  std::string contentType;  // as the bytes say (libmagic), e.g. "application/pdf"
  std::string sha256;       // of the bytes, 64 lower-case hex digits
  bool operator==(const DocumentRef& o) const {
    return field == o.field && name == o.name && size == o.size &&
           contentType == o.contentType && sha256 == o.sha256;
  }
};

struct Contact {  // personal data: never logged
  std::string name;
  std::string email;
  std::string phone;
};

// The contact as the log keeps it (docs/erasure.md): sealed with the
// dossier's data key, and which of its fields were filled, so the rules on
// required fields are decided without the plaintext.
struct SealedContact {
  // engine::seal(key of the dossier, encodeContact(contact),
  // contactSealContext(dossierId)); empty: no contact recorded.
  std::string sealed;
  // "contact.name", "contact.email", "contact.phone": the non-blank ones,
  // in that order (filledContactFields).
  std::vector<std::string> fields;
};

// The personal answers to the form as the log keeps them (docs/forms.md):
// sealed with the dossier's data key, and their JSON Pointers.
struct SealedAnswers {
  // engine::seal(key, CheckedAnswers::personalJson, answersSealContext(id));
  // empty: no personal answer.
  std::string sealed;
  std::vector<std::string> pointers;  // sorted
};

struct Application {
  std::string applicantName;
  std::string applicantKind;  // e.g. "communaute_de_communes"
  std::string siren;          // 9 digits, Luhn-checked (checkSiren); empty: not given
  std::string departement;    // of the seat: "13", "2A", "974"; empty: not given
  std::string title;
  std::string summary;
  std::vector<std::string> strands;  // strand ids asked for
  std::int64_t requestedCents = 0;
  // Plaintext: in a command, until the workflow service seals it. Empty in a
  // dossier folded from events written since (see DossierState::contact).
  Contact contact;
  // The form's answers, a JSON object as text (form_answers.h): in a
  // command, all the applicant gave, until the workflow service checks them
  // and seals the personal ones; in a dossier, the clear answers, canonical.
  std::string answers;
  // The documents attached (attachment fields), in the order attached.
  std::vector<DocumentRef> documents;
};

// Parses a submission file (JSON, see docs/campaign-definition.md). Errors
// are InvalidInput and name the field path ("contact.email: ...").
Result<Application> parseApplication(std::string_view json);
// ... and back: the submission file of `application` (pretty-printed JSON;
// empty fields left out), contact and answers included. A draft's content.
std::string applicationFile(const Application& application);

// The same shape checks on an application that arrived another way (the
// API's Cap'n Proto struct): applicant kind, strand ids, amount, e-mail.
// Paths are the schema's field names ("strands[1]", "contact.email").
Status validateApplication(const Application& application);

// A SIREN: exactly 9 digits whose Luhn sum is a multiple of 10.
// InvalidInput naming `path` and what is wrong.
Status checkSiren(std::string_view path, std::string_view siren);
// A département code: 01 to 95 (not 20), 2A, 2B, or 971 to 976.
Status checkDepartement(std::string_view path, std::string_view code);

// The required fields (CampaignRules::requiredFields) the application leaves
// empty, in the rules' order; then "requested_amount" when it asks an
// investment strand for nothing (seed 000: only strand 3 is funded).
std::vector<std::string> missingFields(const Application& application, const CampaignRules& rules);

// The contact fields a contact fills (not blank), as required fields name
// them, in the order "contact.name", "contact.email", "contact.phone".
std::vector<std::string> filledContactFields(const Contact& contact);

// The contact as the bytes that are sealed (a flat Cap'n Proto Contact),
// and back (Corruption when they do not decode).
std::string encodeContact(const Contact& contact);
Result<Contact> decodeContact(std::string_view bytes);
// The associated data a dossier's contact is sealed under: "<dossierId>/contact".
std::string contactSealContext(std::string_view dossierId);

enum class DossierStatus : std::uint8_t {
  Absent,  // no stream yet
  Submitted,
  Eligible,
  Auditioned,
  Scored,
  Voted,
  Labelled,
  Ineligible,
  NotSelected,
  NoShow,
  BelowThreshold,
  Rejected,
  Withdrawn,
};
inline constexpr int dossierStatusCount = 13;

// "submitted", "not_selected", "no_show", "below_threshold"...
std::string_view statusName(DossierStatus status);
std::optional<DossierStatus> parseStatus(std::string_view name);
// Labelled and the refusals and withdrawal: nothing follows them.
bool isTerminal(DossierStatus status);

struct CriterionScore {
  std::string criterionId;
  std::uint32_t value = 0;
  bool operator==(const CriterionScore& o) const {
    return criterionId == o.criterionId && value == o.value;
  }
};

enum class VoteChoice : std::uint8_t { Yes, No, Abstain };
std::string_view voteChoiceName(VoteChoice choice);  // "yes", "no", "abstain"
std::optional<VoteChoice> parseVoteChoice(std::string_view name);

struct DossierState {
  DossierStatus status = DossierStatus::Absent;
  std::string dossierId;
  std::string campaignId;
  Application application;     // its contact only from events written before sealing
  SealedContact contact;       // as DossierSubmitted recorded it
  SealedAnswers answers;       // the form's personal answers, as DossierSubmitted recorded them
  bool contactErased = false;  // DossierErased: the personal data is gone
  std::int64_t submittedAtMicros = 0;
  std::optional<std::int64_t> auditionSlotMicros;
  std::string auditionRoundId;  // the round the dossier belongs to, once scheduled
  std::string auditionLink;
  std::map<std::string, std::vector<CriterionScore>> scores;  // by juror id
  std::map<std::string, VoteChoice> votes;                    // by voter id, at this meeting
  std::map<std::string, std::string> proxyVotes;              // voter -> the holder who cast it
  // A meeting without quorum adjourned the vote (VoteAdjourned): when it
  // was, and from when it is held again of right.
  std::optional<std::int64_t> adjournedAtMicros;
  std::int64_t reconveneFromMicros = 0;
  std::uint32_t meanMilli = 0;                                // once scoring closed
  std::int64_t grantedCents = 0;
  std::string labelName;
  // The dossier's timers (a statutory delay and its warning, the meeting
  // held again, the service level's reminder), by id, ended ones too; and
  // when a decision was deemed taken (DecisionDeemed).
  TimerMap timers;
  std::optional<std::int64_t> deemedAtMicros;
  std::uint64_t version = 0;  // events folded

  const TimerRecord* timer(std::string_view timerId) const;
  const TimerRecord* pendingTimer(TimerAction action) const;
};

// The required fields the dossier's application leaves empty, in the rules'
// order: the contact's fields judged by what the submission recorded
// (contact.fields), never by the plaintext, which the log no longer holds.
std::vector<std::string> missingFields(const DossierState& dossier, const CampaignRules& rules);

// Folds one event of the dossier's stream. Corruption when the payload does
// not decode or the type is not a dossier event.
Status applyDossierEvent(DossierState& state, std::string_view eventType, std::string_view payload,
                         std::int64_t recordedAtMicros);

// ------------------------------------------------------------------ commands

namespace dossier_command {
struct Submit {
  std::string campaignId;
  Application application;
  // Filled by the workflow service, never by its callers: it seals
  // application.contact into `sealed` and empties it before the decision,
  // which refuses a plaintext contact. A replay of a recorded
  // DossierSubmitted rebuilds the command with the event's sealedContact and
  // contactFields as they are (no key, no plaintext): the decision copies
  // them unchanged into the event it emits, so the bytes match.
  SealedContact sealed = {};
  // Likewise the form's personal answers: sealed by the workflow service
  // (application.answers then holds the clear ones only), carried unchanged
  // by a replay.
  SealedAnswers sealedAnswers = {};
};
struct ConfirmEligibility {};
struct DeclareIneligible {};
struct NotSelect {};
struct ScheduleAudition {
  std::int64_t slotMicros = 0;
  // The round the slot belongs to (empty: the campaign's only round, or
  // none declared) and, by video conference, the slot's link.
  std::string roundId = {};
  std::string link = {};
};
struct RecordAuditionHeld {};
struct RecordNoShow {};
struct RecordScore {
  std::string jurorId;
  std::vector<CriterionScore> scores;
};
struct CloseScoring {};
struct CastVote {
  std::string voterId;
  VoteChoice choice = VoteChoice::Abstain;
  // The member present who casts it holding the voter's proxy (CGCT
  // L4132-15), where the rules allow proxies; empty: the voter in person.
  std::string proxyHolderId = {};
};
struct CloseVote {
  // The members present (the quorum may count them, see the judging
  // rules); empty: those who voted.
  std::vector<std::string> present = {};
  // The lot's seed, revealed, when the campaign breaks ties by lot.
  std::string lotSeed = {};
  // (giver, holder): members absent who gave their vote to a member present,
  // where the rules allow proxies.
  std::vector<std::pair<std::string, std::string>> proxies = {};
  // Where the vote decides the money (grantedByDeliberation): the amount
  // the deliberation grants; none: the committee's proposal.
  std::optional<std::int64_t> amountCents = {};
};
struct Award {
  std::int64_t amountCents = 0;  // 0: the label only
};
struct Withdraw {};
// The statutory delay ran out without a decision (docs/timers.md): the
// decision is deemed taken, as the rules in force at the submission said.
// Only the delay's timer issues it (actor "timer:<id>").
struct DeemDecision {
  DeemedOutcome outcome = DeemedOutcome::Refused;
  std::string legalBasis;
  std::string delay;  // "2 months"
  std::int64_t completeMicros = 0;
};
// Erases the applicant's personal data (DossierErased, the reason required):
// in every state, once. The workflow service destroys the dossier's key
// once the event is durable.
struct Erase {};
}  // namespace dossier_command

using DossierCommand =
    std::variant<dossier_command::Submit, dossier_command::ConfirmEligibility,
                 dossier_command::DeclareIneligible, dossier_command::NotSelect,
                 dossier_command::ScheduleAudition, dossier_command::RecordAuditionHeld,
                 dossier_command::RecordNoShow, dossier_command::RecordScore,
                 dossier_command::CloseScoring, dossier_command::CastVote,
                 dossier_command::CloseVote, dossier_command::Award, dossier_command::Withdraw,
                 dossier_command::Erase, dossier_command::DeemDecision>;

// "submit", "confirm eligibility"...: for messages.
std::string_view commandName(const DossierCommand& command);

// An applicant kind as people read it, in French (the calls' language):
// "communaute_urbaine" is "Communauté urbaine". A kind without a known name
// is shown as written.
std::string applicantKindLabel(std::string_view kind);

// Stream ids: "dossier-<id>", "campaign-<id>".
std::string dossierStream(std::string_view dossierId);
std::string campaignStream(std::string_view campaignId);

}  // namespace parcours::workflows
