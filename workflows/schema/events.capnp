# The domain events of parcours's call-for-applications workflow.
#
# Each event's payload (the envelope's `payload` bytes) is one Cap'n Proto
# message whose root is a CampaignEvent (in a campaign stream,
# "campaign-<id>") or a DossierEvent (in a dossier stream, "dossier-<id>").
# The union member is the event; the envelope's event type is its name in
# TitleCase (`dossierSubmitted` is stored as type "DossierSubmitted").
#   capnp decode workflows/schema/events.capnp DossierEvent < payload.bin
#
# Every decision carries the rules version it was taken under and the reason
# given; the actor and the recorded time are in the envelope.
#
# Schema evolution: add fields and union members with new ordinals only; never
# renumber, retype or rename (event types are never renamed).
@0xb1b107d35c903d69;

using Cxx = import "/capnp/c++.capnp";
using Json = import "/capnp/compat/json.capnp";
$Cxx.namespace("parcours::workflows::schema");

# ---------------------------------------------------------------- rules

# How a strand helps (seed 000: "un objectif et un mode d'intervention
# associé à chacun"). Only an investment strand is funded from the envelope.
enum StrandMode {
  unspecified @0;         # rules written before modes: required_fields decide
  animation @1;           # animation of the actors and sharing of information
  engineeringSupport @2;  # engineering support to local teams
  investment @3;          # investment funding from the envelope
  label @4;               # a label awarded to exemplary projects
}

struct Strand {
  id @0 :Text;     # "1", "2"... as an application names it
  label @1 :Text;
  mode @2 :StrandMode;
}

struct Criterion {
  id @0 :Text;          # "innovation"
  label @1 :Text;
  scaleMin @2 :UInt32;  # lowest score a juror may give
  scaleMax @3 :UInt32;  # highest
  weight @4 :UInt32;    # relative weight in the weighted mean, >= 1
}

enum VotingBody {
  jury @0;              # the appointed jurors vote
  electedOfficials @1;  # the members appointed as elected officials vote
}

enum Majority {
  simple @0;      # more yes than no
  absolute @1;    # yes is more than half of the votes cast (abstentions count)
  twoThirds @2;   # yes is at least two thirds of the votes cast
}

struct CampaignRules {
  name @0 :Text;
  organiser @1 :Text;
  timeZone @2 :Text;               # IANA zone the deadlines are written in
  deadlineMicros @3 :Int64;        # last accepted instant (µs since epoch, UTC)
  deadlineLocal @4 :Text;          # as written in the definition file
  eligibleApplicantKinds @5 :List(Text);
  requiredFields @6 :List(Text);   # application fields that must be non-empty
  strands @7 :List(Strand);        # empty: the call has no strands
  auditionsHeld @8 :Bool;
  criteria @9 :List(Criterion);
  thresholdMilli @10 :UInt32;      # weighted mean (x1000) needed to reach the vote
  votingBody @11 :VotingBody;
  quorumPercent @12 :UInt32;       # share of eligible voters who must vote
  majority @13 :Majority;
  labelName @14 :Text;             # empty: no label is awarded
  budgetEnvelopeCents @15 :Int64;  # 0: no funding is granted
  perDossierCapCents @16 :Int64;   # 0: no cap beyond the envelope
  notes @17 :Text;                 # where the source was silent, what was chosen
  judging @18 :JudgingRules;       # unset in rules written before it: the defaults
  eligibleDepartements @19 :List(Text);  # empty: the seat may be anywhere
  grantedByDeliberation @20 :Bool; # true: the vote's close records the grant
  assumptions @21 :List(Assumption);     # what the definition adds to its source
  auditions @22 :AuditionRules;    # unset: slots anywhere, any format
  ceremonyName @23 :Text;          # non-empty: labels are awarded at this ceremony
  applicantsSeeJurors @24 :Bool;   # applicants see who scored and voted what
  statutoryDelay @25 :StatutoryDelay;  # unset (count 0): no decision is ever deemed
  alsaceMoselle @26 :Bool;         # the calendar counts Good Friday and 26 December
  serviceLevelDays @27 :UInt32;    # 0: no reminder; else administrators are reminded of a
                                   # dossier that waited this long in one state
  jurorsDaysBefore @28 :UInt32;    # 0: no reminder; else jurors with assigned, unscored
                                   # dossiers are reminded this many days before scoring closes
  scoringClosesLocal @29 :Text;    # when the scoring round is planned to close, as written
  scoringClosesMicros @30 :Int64;  # resolved in the campaign's zone
  form @31 :Form;                  # unset: the campaign has no form (docs/forms.md)
}

# The application form (docs/forms.md), versioned with the rules it is in.
enum FormFieldType {
  shortText @0; longText @1; integer @2; amount @3; date @4; email @5; phone @6;
  siren @7; siret @8; choice @9; choices @10; yesNo @11; group @12;
  attachment @13;               # answered by documents (docs/documents.md)
}

struct FormChoice {
  value @0 :Text;
  label @1 :Text;
  labelEn @2 :Text;
}

struct FormCondition {
  field @0 :Text;               # a field of the form, "strands" or "applicant.kind"
  values @1 :List(Text);        # shown when its answer is (or includes) one of these
}

struct FormField {
  id @0 :Text;
  label @1 :Text;
  labelEn @2 :Text;
  help @3 :Text;
  type @4 :FormFieldType;
  required @5 :Bool;
  personal @6 :Bool;            # sealed with the dossier's key, erased with it
  maxLength @7 :UInt32;         # texts; 0: the type's default
  hasMin @8 :Bool;
  min @9 :Int64;
  hasMax @10 :Bool;
  max @11 :Int64;
  choices @12 :List(FormChoice);
  when @13 :FormCondition;      # unset: always shown
  fields @14 :List(FormField);  # a group's item
  minItems @15 :UInt32;
  maxItems @16 :UInt32;         # a group's items; an attachment's files
  kind @17 :Text;               # attachment: what the documents are ("deliberation")
  contentTypes @18 :List(Text); # attachment: the types allowed, as the bytes say
  maxBytes @19 :UInt64;         # attachment: the largest file; 0: the server's limit
}

struct FormSection {
  id @0 :Text;
  title @1 :Text;
  titleEn @2 :Text;
  fields @3 :List(FormField);
}

struct Form {
  sections @0 :List(FormSection);
}

# A statutory delay (docs/timers.md): without a decision `count` units after
# the file was complete (its submission), the decision is deemed taken,
# counted in the campaign's calendar.
enum DelayUnit {
  calendarDays @0;
  businessDays @1;       # Monday to Friday, not a public holiday
  months @2;             # "de date à date"
}

enum DeemedOutcome {
  refused @0;            # silence is refusal: the dossier is rejected
  accepted @1;           # silence is acceptance: the dossier is voted
}

struct StatutoryDelay {
  count @0 :UInt32;              # 0: none
  unit @1 :DelayUnit;
  outcome @2 :DeemedOutcome;
  legalBasis @3 :Text;           # stated in the deemed decision
  warnDaysBefore @4 :UInt32;     # a warning timer this many days before; 0: none
  extendToBusinessDay @5 :Bool;  # a delay ending on a day off ends on the next business day
}

enum AuditionFormat {
  unspecified @0;
  videoConference @1;   # each slot carries its link
  inPerson @2;
}

# A regional round of auditions and its window (seed 002: "auditions
# Hauts-de-France", "le 23 juin", "14h à 17h").
struct AuditionRound {
  id @0 :Text;
  name @1 :Text;
  fromLocal @2 :Text;        # as written, in the campaign's zone
  toLocal @3 :Text;
  fromMicros @4 :Int64;      # the window's first instant (µs since epoch, UTC)
  toMicros @5 :Int64;        # the instant every slot has ended by
}

struct AuditionRules {
  format @0 :AuditionFormat;
  slotMinutes @1 :UInt32;    # 0: slots have no declared length
  rounds @2 :List(AuditionRound);
}

# A rule a definition adds where its source is silent, and why.
struct Assumption {
  what @0 :Text;
  why @1 :Text;
}

# The judging rules (docs/judging.md). Every default is what parcours did
# before these rules existed.
enum NormalisationRule { none @0; zScore @1; }
enum SelectionRule { rankSkip @0; rankStop @1; exact @2; }
enum QuorumCounts { votesCast @0; present @1; }
enum MajorityBase { votesCast @0; present @1; eligible @2; }
enum Abstentions { countAsCast @0; notCounted @1; }
enum Ballot { rollCall @0; secret @1; }
enum TieBreak { none @0; chairCastingVote @1; earlierSubmission @2; lot @3; }

enum QuorumRule {
  percent @0;                # quorumPercent of the eligible members
  moreThanHalfInOffice @1;   # strictly more than half of the members in office present
}

struct JudgingRules {
  jurorsPerDossier @0 :UInt32;      # 0: no draw, every juror scores every dossier
  expertiseRequired @1 :Bool;
  normalisation @2 :NormalisationRule;
  minScoresPerJuror @3 :UInt32;
  maxSpreadMilli @4 :UInt32;        # 0: no disagreement detection
  quorumCounts @5 :QuorumCounts;
  majorityBase @6 :MajorityBase;
  abstentions @7 :Abstentions;
  ballot @8 :Ballot;
  tieBreak @9 :TieBreak;
  chairId @10 :Text;
  selection @11 :SelectionRule;
  quorumRule @12 :QuorumRule;
  proxies @13 :Bool;                # a member absent may give one proxy
  reconveneAfterDays @14 :UInt32;   # 0: a close without quorum is refused
}

# ---------------------------------------------------------------- campaign

enum JuryRole {
  juror @0;            # scores (and votes when the voting body is the jury)
  electedOfficial @1;  # votes when the voting body is the elected officials
}

struct JuryMember {
  id @0 :Text;
  name @1 :Text;
  role @2 :JuryRole;
  expertise @3 :List(Text);  # tags (strand ids) matched by the draw when required
}

enum Phase {
  submissions @0;        # open for submissions (until the deadline)
  submissionsClosed @1;
  auditions @2;
  deliberation @3;
  closed @4;
}

# ---------------------------------------------------------------- timers
# A timer (docs/timers.md) is events on its owner's stream: scheduled,
# perhaps rescheduled, then fired or cancelled, once. Its id is
# "<owner stream>:<action>:<version of its TimerScheduled>", unique in the
# log; its firing is appended with the command id "timer:<id>", so it can
# never be recorded twice. The reason (why, or why moved) is the event's;
# who is the envelope's actor ("timer:<id>" for what a timer does).

enum TimerAction {
  closeSubmissions @0;   # the submission deadline: the phase closes by itself
  deemDecision @1;       # a dossier's statutory delay: the decision is deemed taken
  warnDeemedDecision @2; # days before it: a recorded warning
  reconveneVote @3;      # a meeting without quorum is held again, of right, then
  remindAdministrators @4;  # a dossier waited in one state longer than the service level
  remindJurors @5;       # days before the scoring round closes: jurors with unscored dossiers
}

struct TimerScheduled {
  timerId @0 :Text;
  dueMicros @1 :Int64;       # never fires before this instant (µs since epoch, UTC)
  action @2 :TimerAction;
}

struct TimerRescheduled {
  timerId @0 :Text;
  previousDueMicros @1 :Int64;
  dueMicros @2 :Int64;
}

struct TimerCancelled {
  timerId @0 :Text;
  dueMicros @1 :Int64;       # the due instant it had
}

struct TimerFired {
  timerId @0 :Text;
  dueMicros @1 :Int64;       # when it was due; the envelope has when it fired
  action @2 :TimerAction;
  outcome @3 :Text;          # what it did, in words ("phase closed: submissionsClosed")
}

struct CampaignEvent {
  campaignId @0 :Text;
  rulesVersion @1 :UInt32;  # the rules version in force after this event
  reason @2 :Text;

  union {
    campaignOpened :group {
      rules @3 :CampaignRules;
    }
    rulesAmended :group {
      rules @4 :CampaignRules;
    }
    juryAppointed :group {
      members @5 :List(JuryMember);  # the whole jury, replacing any earlier one
    }
    conflictOfInterestDeclared :group {
      jurorId @6 :Text;
      dossierId @7 :Text;
    }
    phaseChanged :group {
      phase @8 :Phase;
    }
    budgetEnvelopeSet :group {
      envelopeCents @9 :Int64;
    }
    fundingCommitted :group {
      # The campaign's side of a grant, appended atomically with the
      # dossier's FundingGranted so the envelope can never be exceeded.
      dossierId @10 :Text;
      amountCents @11 :Int64;
      grantedTotalCents @12 :Int64;  # sum granted in the campaign after this
    }

    # ---- fair judging (docs/judging.md)
    # When submissions have closed: the draw's algorithm version, its
    # constraints and the SHA-256 of a seed nobody else knows yet.
    assignmentCommitted :group {
      algorithmVersion @13 :UInt32;
      jurorsPerDossier @14 :UInt32;
      expertiseRequired @15 :Bool;
      seedCommitment @16 :Text;       # lower-case hex SHA-256 of the seed
    }
    # The seed revealed and the draw it gives. A draw of many dossiers is
    # several events (part 1 of n...) appended atomically: a payload is at
    # most 64 KiB.
    assignmentDrawn :group {
      seed @17 :Text;
      inputsHash @18 :Text;           # hex SHA-256 of the canonical inputs
      dossierCount @19 :UInt32;       # in the whole draw
      part @20 :UInt32;               # 1-based
      parts @21 :UInt32;
      dossiers @22 :List(DossierJurors);
    }
    # An assignment changed after the draw: by hand (the reason says why),
    # or a replacement drawn when a conflict was upheld.
    assignmentChanged :group {
      dossierId @23 :Text;
      removedJurorId @24 :Text;       # empty: a juror added
      addedJurorId @25 :Text;         # empty: a juror removed
      cause @26 :AssignmentChangeCause;
    }
    # A link declared by the juror or recorded by an administrator; pending
    # until ruled. (conflictOfInterestDeclared, written before rulings
    # existed, took effect at once: it folds as an upheld conflict.)
    conflictDeclared :group {
      jurorId @27 :Text;
      dossierId @28 :Text;
      declaredBy @29 :ConflictSource;
    }
    conflictRuled :group {
      jurorId @30 :Text;
      dossierId @31 :Text;
      upheld @32 :Bool;               # true: removed from the dossier's scoring and votes
    }
    # The scoring round's first step: from here on no score is accepted, so
    # the scores the close then gathers are final (no score can land
    # between the gathering and the close).
    scoringRoundFrozen @50 :Void;
    # The scoring round closed: the normalisation rule applied once, with
    # everything it computed (several parts, like assignmentDrawn). From
    # then on scores are frozen.
    scoringRoundClosed :group {
      rule @33 :NormalisationRule;
      minScoresPerJuror @34 :UInt32;
      part @35 :UInt32;
      parts @36 :UInt32;
      statistics @37 :List(JurorStatistics);
      scores @38 :List(NormalisedScore);
      dossiers @39 :List(DossierMeans);
    }
    # Jurors disagreed past the campaign's spread; the consensus reached
    # (discussion, rescoring) is in the reason.
    consensusRecorded :group {
      dossierId @40 :Text;
      spreadMilli @41 :UInt32;        # the spread when it was recorded
    }
    # The selection under the envelope, with every dossier's explanation
    # (several parts).
    selectionRecorded :group {
      rule @42 :SelectionRule;
      envelopeCents @43 :Int64;
      selectedCents @44 :Int64;
      selectedScoreMilli @45 :Int64;
      part @46 :UInt32;
      parts @47 :UInt32;
      lines @48 :List(SelectionLine);
    }
    # Before a vote that a lot may decide (tie_break "lot"): the SHA-256 of
    # the lot's seed, revealed when the vote closes.
    lotSeedCommitted :group {
      seedCommitment @49 :Text;
    }
    # A round's auditions broadcast (seed 002: "Les auditions seront
    # diffusées le jour de l'IntercoTOUR, le mardi 30 juin"): where and how.
    auditionsBroadcast :group {
      roundId @51 :Text;            # empty: the campaign's single round
      where @52 :Text;              # "web TV, Rencontre régionale, Dunkerque"
      url @53 :Text;                # empty: none
    }
    # The ceremony where the labels are handed out (seed 002: "Forum national
    # annuel des Interconnectés en février 2021"): labels are awarded at it.
    ceremonyHeld :group {
      where @54 :Text;
    }
    # The laureates made public: from this event on, and never before, the
    # public laureates list answers (no token, no personal data).
    laureatesPublished :group {
      url @55 :Text;                # where they are published; empty: none
    }

    # ---- timers (docs/timers.md)
    timerScheduled @56 :TimerScheduled;
    timerRescheduled @57 :TimerRescheduled;
    timerCancelled @58 :TimerCancelled;
    timerFired @59 :TimerFired;
  }
}

struct DossierJurors {
  dossierId @0 :Text;
  jurorIds @1 :List(Text);
}

enum AssignmentChangeCause {
  manual @0;
  conflictUpheld @1;
}

enum ConflictSource {
  juror @0;
  administrator @1;
}

struct JurorStatistics {
  jurorId @0 :Text;
  criterionId @1 :Text;
  count @2 :UInt32;
  meanMilli @3 :Int64;
  deviationMilli @4 :Int64;
  normalised @5 :Bool;
  fallback @6 :Text;              # why the raw scores were kept
}

struct NormalisedScore {
  dossierId @0 :Text;
  jurorId @1 :Text;
  criterionId @2 :Text;
  raw @3 :UInt32;
  normalisedMilli @4 :Int64;
}

struct DossierMeans {
  dossierId @0 :Text;
  jurors @1 :UInt32;
  rawMeanMilli @2 :Int64;
  normalisedMeanMilli @3 :Int64;
}

struct SelectionLine {
  rank @0 :UInt32;
  dossierId @1 :Text;
  scoreMilli @2 :Int64;
  requestedCents @3 :Int64;
  selected @4 :Bool;
  leftBeforeCents @5 :Int64;
  explanation @6 :Text;
}

# ---------------------------------------------------------------- dossiers

struct Contact {
  # Personal data: never logged. Since erasure came (docs/erasure.md) a
  # DossierSubmitted holds it only sealed (`sealedContact`); an Application's
  # `contact` is then left unset. Events written before hold it here in
  # plaintext, which no erasure can take back out of the log.
  name @0 :Text;
  email @1 :Text;
  phone @2 :Text;
}

struct Application {
  applicantName @0 :Text;
  applicantKind @1 :Text;   # e.g. "communaute_de_communes"
  title @2 :Text;
  summary @3 :Text;
  strands @4 :List(Text);   # strand ids asked for
  requestedCents @5 :Int64;
  contact @6 :Contact;
  siren @7 :Text;           # 9 digits, Luhn-checked; empty: not given
  departement @8 :Text;     # of the applicant's seat: "13", "2A", "974"
  # The answers to the campaign's form (docs/forms.md), a JSON object as
  # text: in a DossierSubmitted, the checked clear answers in canonical JSON
  # (the personal ones are in sealedAnswers); in a submission sent over RPC,
  # every answer the applicant gave. Empty: no form, no answers.
  answers @9 :Text;
  # The documents attached to the form's attachment fields (docs/documents.md):
  # their bytes are in the store, sealed; these lines are what the chain covers.
  documents @10 :List(Document);
}

struct Document {
  field @0 :Text;        # the form's attachment field
  name @1 :Text;         # the file's name as uploaded
  size @2 :UInt64;
  contentType @3 :Text;  # as the bytes say (libmagic)
  sha256 @4 :Text;       # of the bytes, lower-case hex
}

struct CriterionScore {
  criterionId @0 :Text;
  value @1 :UInt32;
}

struct CriterionMean {
  criterionId @0 :Text;
  meanMilli @1 :UInt32;  # mean of the jurors' scores, x1000
}

enum VoteChoice {
  yes @0;
  no @1;
  abstain @2;
}

struct DossierEvent {
  campaignId @0 :Text;
  dossierId @1 :Text;
  rulesVersion @2 :UInt32;  # the campaign rules version the decision used
  reason @3 :Text;

  union {
    dossierSubmitted :group {
      application @4 :Application;  # its contact unset: see sealedContact
      # The applicant's contact (a Contact, as a flat Cap'n Proto message),
      # sealed by the workflow service before the decision with the
      # dossier's data key (engine/key_store.h: AES-256-GCM, associated data
      # "<dossierId>/contact"). Destroying the key (DossierErased) makes it
      # unreadable for good, in the log and in every backup of it. Empty: no
      # contact was given, or it was dropped (a workflow with no key store).
      # A replay of the decision carries these bytes through unchanged: it
      # needs no key and never sees the plaintext.
      sealedContact @28 :Data $Json.base64;
      # Which contact fields the applicant filled ("contact.name",
      # "contact.email", "contact.phone"; blank ones are absent), read from
      # the plaintext before sealing: the required-fields rules of any later
      # decision, and its replay, are checked against this list, so they
      # never need the plaintext or the key.
      contactFields @29 :List(Text);
      # The personal answers to the form ({"/pointer": value}, canonical
      # JSON), sealed like the contact, associated data "<dossierId>/answers";
      # and their pointers ("/referent_telephone"), so required fields are
      # checked again, and replayed, without the plaintext or the key.
      sealedAnswers @58 :Data $Json.base64;
      answerFields @59 :List(Text);
    }
    eligibilityConfirmed @5 :Void;
    dossierDeclaredIneligible @6 :Void;
    dossierNotSelected @7 :Void;
    auditionScheduled :group {
      slotMicros @8 :Int64;
      roundId @47 :Text;            # the round it belongs to; empty: none declared
      link @48 :Text;               # the video conference's link; empty: none
    }
    auditionHeld @9 :Void;
    auditionMissed @10 :Void;
    scoreRecorded :group {
      jurorId @11 :Text;
      scores @12 :List(CriterionScore);
    }
    scoringClosed :group {
      meanMilli @13 :UInt32;        # weighted mean over the counted jurors, x1000
      thresholdMilli @14 :UInt32;
      passed @15 :Bool;             # true: scored, on to the vote
      jurorsCounted @16 :UInt32;
      criteria @17 :List(CriterionMean);
    }
    voteCast :group {
      voterId @18 :Text;
      choice @19 :VoteChoice;
      proxyHolderId @49 :Text;      # cast by this member holding the voter's proxy; empty: in person
    }
    voteClosed :group {
      yes @20 :UInt32;
      no @21 :UInt32;
      abstain @22 :UInt32;
      eligibleVoters @23 :UInt32;
      carried @24 :Bool;            # true: voted; false: rejected
      # Since the judging rules (docs/judging.md); unset before.
      present @31 :List(Text);      # members recorded present
      recused @32 :List(Text);      # upheld conflicts: never counted
      quorumNeeded @33 :UInt32;
      tie @34 :Bool;
      tieBreakUsed @35 :TieBreak;   # none: no tie, or no tie-break declared
      tieBreakDetail @36 :Text;
      lotSeed @37 :Text;            # the revealed seed, when a lot decided
      # Since the council's rules (CGCT L4132-13 to 15); unset before.
      proxies @38 :List(Proxy);     # who voted for whom, absent
      inOffice @39 :UInt32;         # members in office: the quorum's base
      quorumWaived @40 :Bool;       # the meeting held again after one without quorum
    }
    labelAwarded :group {
      labelName @25 :Text;
    }
    fundingGranted :group {
      amountCents @26 :Int64;
    }
    dossierWithdrawn @27 :Void;
    # The applicant's personal data was erased (GDPR): the dossier's key is
    # destroyed right after this event is durable, so its sealedContact can
    # never be read again. Allowed in every state, once; the status stays.
    # The reason says why (the request); the envelope, who and when.
    dossierErased @30 :Void;
    # A meeting without its quorum (CGCT L4132-13): nothing is decided, the
    # votes cast at it are void, and the meeting is held again, of right,
    # from `reconveneFromMicros`, valid then whatever the attendance.
    voteAdjourned :group {
      present @41 :List(Text);
      proxies @42 :List(Proxy);
      quorumNeeded @43 :UInt32;
      inOffice @44 :UInt32;
      reconveneFromMicros @45 :Int64;
      lotSeed @46 :Text;            # as the close gave it, under tie_break "lot"
    }
    # A dossier's timers (docs/timers.md), the campaign's own structs under
    # names of their own: an event type names one union.
    dossierTimerScheduled @50 :TimerScheduled;
    dossierTimerRescheduled @51 :TimerRescheduled;
    dossierTimerCancelled @52 :TimerCancelled;
    dossierTimerFired @53 :TimerFired;
    # No decision within the statutory delay: the decision is deemed taken
    # (refused: rejected; accepted: voted), recorded by the delay's timer.
    decisionDeemed :group {
      outcome @54 :DeemedOutcome;
      legalBasis @55 :Text;
      delay @56 :Text;              # as people read it: "2 months"
      completeMicros @57 :Int64;    # the instant the delay ran from
    }
  }
}

# A member absent from a vote who gave their vote to a member present.
struct Proxy {
  giverId @0 :Text;
  holderId @1 :Text;
}
