// Campaign rules: the data every guard of the dossier machine reads.
//
// A campaign definition file (JSON, see docs/campaign-definition.md) gives
// the campaign's id and its rules; parseCampaignDefinition validates it and
// names the field path of every error ("criteria[2].weight"). Rules are
// recorded in the campaign's stream (CampaignOpened, RulesAmended), so a
// replay always sees the version that was in force.
//
// C++17 on purpose: the Boost.MSM translation unit includes this header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/form.h"
#include "parcours/workflows/judging/judging_rules.h"

namespace parcours::workflows {

// How a strand helps (seed 000: "un objectif et un mode d'intervention
// associé à chacun"). Only an investment strand asks for money.
enum class StrandMode : std::uint8_t { Unspecified, Animation, EngineeringSupport, Investment, Label };
// "unspecified", "animation", "engineering_support", "investment", "label"
std::string_view strandModeName(StrandMode mode);
std::optional<StrandMode> parseStrandMode(std::string_view name);

struct Strand {
  std::string id;
  std::string label;
  StrandMode mode = StrandMode::Unspecified;
  bool operator==(const Strand& o) const {
    return id == o.id && label == o.label && mode == o.mode;
  }
};

// A rule the definition adds where its source is silent, and why: shown
// to auditors beside the rules, so what the call said and what was chosen
// stay apart.
struct Assumption {
  std::string what;
  std::string why;
  bool operator==(const Assumption& o) const { return what == o.what && why == o.why; }
};

struct Criterion {
  std::string id;
  std::string label;
  std::uint32_t scaleMin = 0;
  std::uint32_t scaleMax = 10;
  std::uint32_t weight = 1;
  bool operator==(const Criterion& o) const {
    return id == o.id && label == o.label && scaleMin == o.scaleMin && scaleMax == o.scaleMax &&
           weight == o.weight;
  }
};

enum class VotingBody : std::uint8_t { Jury, ElectedOfficials };
enum class Majority : std::uint8_t { Simple, Absolute, TwoThirds };

// "jury" / "elected_officials"; "simple" / "absolute" / "two_thirds".
std::string_view votingBodyName(VotingBody body);
std::string_view majorityName(Majority majority);

// The largest amount of money anywhere (envelope, cap, request, grant):
// €10,000,000,000,000.00, far above any public budget, so that sums of many
// such amounts still fit an int64 without overflow.
inline constexpr std::int64_t centsMax = 1'000'000'000'000'000;

// How auditions are held (seed 002: "par visio-conférence le 23 juin de 14h
// à 17h", the "auditions Hauts-de-France" of a label with regional rounds).
enum class AuditionFormat : std::uint8_t { Unspecified, VideoConference, InPerson };
// "unspecified", "video_conference", "in_person"
std::string_view auditionFormatName(AuditionFormat format);
std::optional<AuditionFormat> parseAuditionFormat(std::string_view name);

struct AuditionRound {
  std::string id;    // [A-Za-z0-9_-], 1 to 64
  std::string name;  // "Auditions Hauts-de-France"
  std::string fromLocal, toLocal;  // as written: "2020-06-23T14:00:00", in the campaign's zone
  std::int64_t fromMicros = 0;     // resolved: every slot starts at or after it
  std::int64_t toMicros = 0;       // and ends by it
  bool operator==(const AuditionRound& o) const {
    return id == o.id && name == o.name && fromLocal == o.fromLocal && toLocal == o.toLocal &&
           fromMicros == o.fromMicros && toMicros == o.toMicros;
  }
};

struct AuditionRules {
  AuditionFormat format = AuditionFormat::Unspecified;
  std::uint32_t slotMinutes = 0;     // 0: slots have no declared length
  std::vector<AuditionRound> rounds;  // empty: no window
  bool operator==(const AuditionRules& o) const {
    return format == o.format && slotMinutes == o.slotMinutes && rounds == o.rounds;
  }
  // The round a slot belongs to: `roundId`, or the only round when it is
  // empty; null when there is no such round.
  const AuditionRound* round(std::string_view roundId) const;
};

// A statutory delay (docs/timers.md): "without a decision `count` units
// after a complete file, the application is deemed refused (or accepted)",
// counted in the campaign's calendar from the submission (the file is
// complete then: the required fields are checked at submission).
enum class DelayUnit : std::uint8_t { CalendarDays, BusinessDays, Months };
enum class DeemedOutcome : std::uint8_t { Refused, Accepted };
std::string_view deemedOutcomeName(DeemedOutcome outcome);  // "refused", "accepted"

struct StatutoryDelay {
  std::uint32_t count = 0;  // 0: no statutory delay
  DelayUnit unit = DelayUnit::CalendarDays;
  DeemedOutcome outcome = DeemedOutcome::Refused;
  std::string legalBasis;           // "CRPA, art. L231-4", stated in the decision
  std::uint32_t warnDaysBefore = 0;  // a warning timer this many days before; 0: none
  // A delay whose last day is a Saturday, Sunday or public holiday ends on
  // the next business day (code de procédure civile, art. 642).
  bool extendToBusinessDay = true;
  bool operator==(const StatutoryDelay& o) const {
    return count == o.count && unit == o.unit && outcome == o.outcome &&
           legalBasis == o.legalBasis && warnDaysBefore == o.warnDaysBefore &&
           extendToBusinessDay == o.extendToBusinessDay;
  }
};
// "2 months", "60 calendar days", "15 business days".
std::string describeDelay(const StatutoryDelay& delay);

struct CampaignRules {
  std::string name;
  std::string organiser;
  std::string timeZone;             // IANA zone, e.g. "Europe/Paris"
  std::int64_t deadlineMicros = 0;  // last accepted instant, µs since epoch (UTC)
  std::string deadlineLocal;        // as written: "2020-06-03T23:59:59"
  std::vector<std::string> eligibleApplicantKinds;
  std::vector<std::string> requiredFields;  // see applicationFieldNames()
  std::vector<Strand> strands;
  bool auditionsHeld = false;
  std::vector<Criterion> criteria;
  std::uint32_t thresholdMilli = 0;  // weighted mean x1000 needed to go to the vote
  VotingBody votingBody = VotingBody::Jury;
  std::uint32_t quorumPercent = 50;  // share of eligible voters who must vote
  Majority majority = Majority::Simple;
  std::string labelName;                 // empty: no label
  std::int64_t budgetEnvelopeCents = 0;  // 0: no funding
  std::int64_t perDossierCapCents = 0;   // 0: no cap beyond the envelope
  // The vote's close records the grant (the elected officials decide the
  // money last); false: an award after the vote does.
  bool grantedByDeliberation = false;
  // Départements where the applicant's seat must be ("13", "2A"); empty:
  // anywhere.
  std::vector<std::string> eligibleDepartements;
  std::string notes;                     // choices made where the source is silent
  std::vector<Assumption> assumptions;   // the same choices, one by one
  AuditionRules auditions;               // windows, format and slot length
  std::string ceremonyName;              // non-empty: labels are awarded at it, not before
  // Applicants see which juror scored and voted what, marks included. By
  // default (false) they see every decision and its reason, and scores and
  // votes as the jury's, without marks (docs/http-api.md).
  bool applicantsSeeJurors = false;
  judging::JudgingRules judging;         // draw, normalisation, vote details, selection
  StatutoryDelay statutoryDelay;         // count 0: no decision is ever deemed
  bool alsaceMoselle = false;            // the calendar's two extra public holidays
  // Administrators are reminded of a dossier that waited this many days in
  // one state (submitted, eligible, auditioned, scored); 0: never.
  std::uint32_t serviceLevelDays = 0;
  // Jurors with assigned, unscored dossiers are reminded this many days
  // before the scoring round is planned to close; 0: never. Closing the
  // round stays an administrator's command.
  std::uint32_t jurorsDaysBefore = 0;
  std::string scoringClosesLocal;      // as written: "2020-07-15T18:00:00"
  std::int64_t scoringClosesMicros = 0;  // resolved in the campaign's zone
  // The application form (docs/forms.md); empty: the fixed application
  // fields only.
  Form form;

  // Whether an application asking these strands asks for money: one of them
  // is an investment strand.
  bool asksForMoney(const std::vector<std::string>& strandIds) const;

  bool operator==(const CampaignRules& o) const;
  bool operator!=(const CampaignRules& o) const { return !(*this == o); }
};

struct CampaignDefinition {
  std::string campaignId;  // [A-Za-z0-9_-], 1 to 64 characters
  CampaignRules rules;
};

// Money as people read it: 50000000 cents is "€500,000.00".
std::string formatEuros(std::int64_t cents);
// Money for a spreadsheet (CSV): 8000000 cents is "80000.00", a dot and no
// separator (amounts here are never negative).
std::string formatPlainEuros(std::int64_t cents);
// A mean or a score in thousandths as people read it: 7333 is "7.333".
std::string formatMilli(std::int64_t milli);

// The application fields a campaign may require, as named in definition
// files and submission files: applicant.name, applicant.kind,
// applicant.siren, applicant.departement, title, summary, strands,
// requested_amount, contact.name, contact.email, contact.phone.
const std::vector<std::string>& applicationFieldNames();

// Checks an id (campaign, dossier, juror): [A-Za-z0-9_-], 1 to 64 chars.
// `what` names it in the message ("campaign id").
Status validateId(std::string_view what, std::string_view id);

// Checks rules built in code or read from a file: every error names the
// field path and the value. The deadline must already be resolved.
Status validateRules(const CampaignRules& rules);

// The form's part of validateRules (docs/forms.md): ids, options per type,
// conditions (a field that exists, values it can hold, no cycle).
Status validateForm(const CampaignRules& rules);

// Parses and validates a definition (JSON text). Errors are InvalidInput
// and name the field path: `criteria[2].weight: must be at least 1, got 0`.
Result<CampaignDefinition> parseCampaignDefinition(std::string_view json);

// The definition as a definition file writes it (the inverse of
// parseCampaignDefinition: parsing the text gives the same definition back),
// pretty-printed with two spaces. `parcours campaign show --json` prints it,
// so the rules in force can be read, kept, or amended from.
std::string campaignDefinitionJson(const CampaignDefinition& definition);

// Reads `path` and parses it; NotFound when the file cannot be read.
Result<CampaignDefinition> loadCampaignDefinition(const std::filesystem::path& path);

}  // namespace parcours::workflows
