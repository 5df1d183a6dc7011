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

struct Strand {
  id @0 :Text;     # "1", "2"... as an application names it
  label @1 :Text;
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
}

enum Phase {
  submissions @0;        # open for submissions (until the deadline)
  submissionsClosed @1;
  auditions @2;
  deliberation @3;
  closed @4;
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
  }
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
    }
    eligibilityConfirmed @5 :Void;
    dossierDeclaredIneligible @6 :Void;
    dossierNotSelected @7 :Void;
    auditionScheduled :group {
      slotMicros @8 :Int64;
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
    }
    voteClosed :group {
      yes @20 :UInt32;
      no @21 :UInt32;
      abstain @22 :UInt32;
      eligibleVoters @23 :UInt32;
      carried @24 :Bool;            # true: voted; false: rejected
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
  }
}
