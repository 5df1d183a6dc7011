# parcours's API contract: the Cap'n Proto RPC interface and the structs that
# both wire formats carry. The HTTP/JSON API (docs/http-api.md,
# docs/openapi.json) sends and receives these same structs encoded by
# Cap'n Proto's JSON codec: field names as written here (camelCase), enums as
# their names, 64-bit integers as JSON strings ("123", so JavaScript loses no
# precision; numbers are accepted on input), Data as base64 or hex where
# annotated (never as arrays of numbers).
#
# Errors: an RPC call that fails throws an exception whose description starts
# with the typed code and a colon, the same codes the CLI and HTTP use:
#   "invalid_input: ...", "not_found: ...", "conflict: ...",
#   "refused_by_rule: ...", "unauthorized: ...", "io_error: ..."
#
# Schema evolution: add fields and methods with new ordinals only.
@0xd5a0c6b2e3f41a97;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("parcours::rpc");
using Json = import "/capnp/compat/json.capnp";
using Events = import "/parcours/workflows/schema/events.capnp";

# ---------------------------------------------------------------- the door

interface Gateway {
  # The bootstrap capability. A bearer token (see docs/serve.md, tokens file)
  # buys an API capability bound to its subject and roles; every call on it
  # is checked against them.
  login @0 (token :Text) -> (api :Parcours, subject :Text, roles :List(Text));
}

interface Parcours {
  # ---- writes: the actor recorded is always the authenticated subject.
  campaignCommand @0 (campaignId :Text, command :CampaignCommand, commandId :Text)
      -> (result :CommandResult);
  dossierCommand @1 (dossierId :Text, command :DossierCommand, commandId :Text)
      -> (result :CommandResult);

  # ---- reads over the views
  campaigns @2 () -> (campaigns :List(Campaign));
  campaign @3 (campaignId :Text) -> (campaign :Campaign);
  status @4 (query :StatusQuery) -> (page :StatusPage);
  dossier @5 (dossierId :Text) -> (dossier :Dossier);
  timeline @6 (dossierId :Text) -> (entries :List(TimelineEntry));
  dossierAudit @7 (dossierId :Text, after :UInt64, limit :UInt32) -> (entries :List(AuditEntry));
  campaignAudit @8 (campaignId :Text, after :UInt64, limit :UInt32) -> (entries :List(AuditEntry));
  stats @9 (campaignId :Text) -> (stats :CampaignStats);
  leaderboard @10 (campaignId :Text) -> (entries :List(LeaderboardEntry));
  budget @11 (campaignId :Text) -> (budget :Budget);

  # ---- the global log
  events @12 (from :UInt64, limit :UInt32, filter :EventFilter) -> (page :EventPage);
  subscribe @13 (from :UInt64, filter :EventFilter, sink :EventSink)
      -> (subscription :Subscription);
  # Events with positions >= from (0 or 1: from the start) that match the
  # filter, catching up from the store and then live, with no gap and no
  # duplicate; pushed in order through `sink`, whose stream flow control
  # keeps a slow sink from holding anything but its own subscription.
  # Dropping `subscription` ends it.

  # ---- webhook subscriptions (docs/webhooks.md), administrators only.
  webhooks @14 (operation :Text, webhookId :Text, body :Text) -> (body :Text);
  # `operation`: "create" (body: the JSON of POST /v1/webhooks), "list",
  # "show", "remove", "dead-letters" (body: {"after", "limit"}), "replay";
  # the answer is the JSON object HTTP answers with, as text.

  # ---- the rules in force (public, as a call's text is): every rule,
  # the assumptions the definition added to its source, and the notes.
  rules @16 (campaignId :Text) -> (rulesVersion :UInt32, rules :Events.CampaignRules);

  # ---- the timers of campaigns and dossiers (docs/timers.md). The pending
  # ones, in due order: one campaign's own (who may read it), one dossier's
  # (who may read it), or everyone's (administrators, instructors,
  # auditors); `dueBefore` (RFC 3339, empty: any), `after` the cursor a
  # previous page gave, `limit` 1 to 1,000 (0: 100).
  timers @17 (campaignId :Text, dueBefore :Text, after :Text, limit :UInt32, dossierId :Text)
      -> (page :TimerPage);
  # A person moves or cancels a pending timer, with a reason
  # (administrators); the actor is the authenticated subject.
  timerCommand @18 (timerId :Text, command :TimerCommand, commandId :Text)
      -> (result :CommandResult);

  # ---- a dossier's answers to its campaign's form (docs/forms.md), for
  # those who may read the dossier: the clear answers as recorded, a JSON
  # object as text ("{}" when none). Personal answers never leave the
  # server: they are opened only by `parcours show` on the store.
  answers @19 (dossierId :Text) -> (answers :Text);

  # ---- drafts (docs/forms.md, "Drafts"): an applicant's dossier before it
  # is submitted, its own to read and save; administrators may act on any.
  # `ifMatch` is the version the caller read (0: none given): a save over
  # an existing draft needs it, and a stale one is refused
  # (precondition_failed).
  draftSave @20 (dossierId :Text, submission :Submission, ifMatch :UInt64) -> (draft :Draft);
  draft @21 (dossierId :Text) -> (draft :Draft);
  draftDiscard @22 (dossierId :Text, ifMatch :UInt64) -> ();
  # Submits the draft as `dossierCommand`'s submit would, then deletes it.
  draftSubmit @23 (dossierId :Text, ifMatch :UInt64, commandId :Text) -> (result :CommandResult);

  # ---- operations, administrators only.
  backup @15 (to :Text) -> (manifest :Text);
  # Backs up the server's data directory (the log with its views, the key
  # store) into `to`, a directory on the server's machine, while it keeps
  # serving (engine/backup.h). The answer is the backup's manifest as JSON
  # text: {"id", "digest", "size", "root", "keys_backup", ...}.
}

interface EventSink {
  push @0 (events :List(Event)) -> stream;
  caughtUp @1 (position :UInt64);  # told once, when the backlog is delivered
}

interface Subscription {}

# ---------------------------------------------------------------- commands

struct CommandResult {
  firstPosition @0 :UInt64;   # global positions of the events written
  lastPosition @1 :UInt64;
  deduplicated @2 :Bool;      # true: this command id had already run
  streamId @3 :Text;          # the campaign's or dossier's stream
  streamVersion @4 :UInt64;   # its version now
  status @5 :Text;            # a dossier's status now ("eligible"), a campaign's phase
  streams @6 :List(AppendedStream);  # what each stream got (a grant writes two)
}

struct AppendedStream {
  streamId @0 :Text;
  firstVersion @1 :UInt64;
  lastVersion @2 :UInt64;
  positions @3 :List(UInt64);
}

struct CampaignCommand {
  reason @0 :Text;
  union {
    open @1 :Definition;
    amendRules @2 :Definition;
    appointJury @3 :List(Events.JuryMember);
    declareConflict @4 :Conflict;
    changePhase @5 :Events.Phase;
    setBudget @6 :Int64;   # the envelope, in cents
    recordMilestone @7 :Milestone;
  }
}

# A milestone of the call (workflows/campaign.h, RecordMilestone).
struct Milestone {
  kind @0 :Text;      # "broadcast", "ceremony" or "publication"
  roundId @1 :Text;   # a broadcast's round (empty: the only one)
  where @2 :Text;     # a broadcast's or the ceremony's place
  url @3 :Text;       # a broadcast's or the publication's address
}

struct Definition {
  json @0 :Text;  # a campaign definition document (docs/campaign-definition.md)
}

struct Conflict {
  jurorId @0 :Text;
  dossierId @1 :Text;
  declaredBy @2 :Events.ConflictSource = administrator;
}

struct TimerCommand {
  reason @0 :Text;                # required: why it moves, or why it is cancelled
  union {
    reschedule @1 :Text;          # the new due instant: RFC 3339, or local in the campaign's zone
    cancel @2 :Void;
  }
}

struct Timer {
  timerId @0 :Text;               # "campaign-<id>:<action>:<n>" or "dossier-<id>:<action>:<n>"
  campaignId @1 :Text;            # a campaign's timer; empty for a dossier's
  action @2 :Text;                # "close-submissions", "deem-decision", ... (docs/timers.md)
  due @3 :Text;                   # in the campaign's zone, with its offset
  dueMicros @4 :Int64;
  dossierId @5 :Text;             # a dossier's timer; empty for a campaign's
}

struct TimerPage {
  timers @0 :List(Timer);
  nextCursor @1 :Text;            # empty: no more
}

struct DossierCommand {
  reason @0 :Text;
  union {
    submit @1 :Submission;
    confirmEligibility @2 :Void;
    declareIneligible @3 :Void;
    notSelect @4 :Void;
    scheduleAudition @5 :Text;   # the slot, RFC 3339
    recordAuditionHeld @6 :Void;
    recordNoShow @7 :Void;
    recordScore @8 :Score;
    closeScoring @9 :Void;
    castVote @10 :Vote;
    closeVote @11 :Void;
    award @12 :Int64;            # the amount granted, in cents (0: label only)
    withdraw @13 :Void;
    closeVoteWith @14 :CloseVote;  # closeVote with the members present or the lot's seed
    scheduleAuditionIn @15 :AuditionSlot;  # scheduleAudition with its round and link
  }
}

struct AuditionSlot {
  slot @0 :Text;      # RFC 3339
  roundId @1 :Text;   # empty: the campaign's only round, or none declared
  link @2 :Text;      # by video conference, the slot's link
}

struct CloseVote {
  present @0 :List(Text);  # the members present (a quorum may count them)
  lotSeed @1 :Text;        # the committed lot seed, when ties are broken by lot
  proxies @2 :List(Events.Proxy);  # members absent who gave their vote to one present
  amountCents @3 :Int64 = -1;      # where the vote decides the money; -1: the proposal's
}

struct Submission {
  campaignId @0 :Text;
  application @1 :Events.Application;
}

struct Score {
  jurorId @0 :Text;   # a juror may only give their own (empty: the caller)
  scores @1 :List(Events.CriterionScore);
}

struct Vote {
  voterId @0 :Text;   # a voter may only cast their own (empty: the caller)
  choice @1 :Events.VoteChoice;
  proxyHolderId @2 :Text;  # the caller, casting voterId's vote by proxy; empty: in person
}

# ---------------------------------------------------------------- views

struct Campaign {
  campaignId @0 :Text;
  name @1 :Text;
  organiser @2 :Text;
  rulesVersion @3 :UInt32;
  phase @4 :Text;             # "submissions", "deliberation"...
  timeZone @5 :Text;
  deadline @6 :Text;          # RFC 3339, in the campaign's zone
  labelName @7 :Text;
  envelopeCents @8 :Int64;
  grantedCents @9 :Int64;
  dossiers @10 :UInt64;
  openedAt @11 :Text;         # RFC 3339 UTC
  updatedAt @12 :Text;
}

struct StatusQuery {
  campaignId @0 :Text;        # empty: every campaign
  status @1 :Text;            # empty: every state
  after @2 :Text;             # a page's nextCursor
  limit @3 :UInt32;           # 0: 100; at most 10,000
}

struct StatusPage {
  dossiers @0 :List(Dossier);
  nextCursor @1 :Text;        # empty: the last page
}

struct Dossier {
  dossierId @0 :Text;
  campaignId @1 :Text;
  status @2 :Text;
  applicantName @3 :Text;
  applicantKind @4 :Text;
  title @5 :Text;
  summary @6 :Text;
  strands @7 :List(Text);
  requestedCents @8 :Int64;
  grantedCents @9 :Int64;
  auditionSlot @10 :Text;     # RFC 3339 UTC; empty: none scheduled
  meanMilli @11 :UInt32;      # weighted mean x1000, once scoring closed
  scored @12 :Bool;           # true once scoring closed (meanMilli is set)
  labelName @13 :Text;
  submittedAt @14 :Text;
  updatedAt @15 :Text;
  lastPosition @16 :UInt64;
  version @17 :UInt64;
  timers @18 :List(Timer);    # pending (docs/timers.md); the service level's reminder for staff only
}

struct TimelineEntry {
  position @0 :UInt64;
  streamVersion @1 :UInt64;
  recordedAt @2 :Text;
  eventType @3 :Text;
  actor @4 :Text;
  reason @5 :Text;
  rulesVersion @6 :UInt32;
  summary @7 :Text;
}

struct AuditEntry {
  position @0 :UInt64;
  recordedAt @1 :Text;
  streamId @2 :Text;
  streamVersion @3 :UInt64;
  campaignId @4 :Text;
  dossierId @5 :Text;
  eventType @6 :Text;
  actor @7 :Text;
  commandId @8 :Text;
  reason @9 :Text;
  rulesVersion @10 :UInt32;
  summary @11 :Text;
}

struct Count {
  key @0 :Text;
  count @1 :UInt64;
}

struct CampaignStats {
  campaignId @0 :Text;
  name @1 :Text;
  total @2 :UInt64;
  byStatus @3 :List(Count);
  byStrand @4 :List(Count);
  byApplicantKind @5 :List(Count);
}

struct CriterionMean {
  criterionId @0 :Text;
  meanMilli @1 :UInt32;
}

struct LeaderboardEntry {
  rank @0 :UInt32;
  dossierId @1 :Text;
  title @2 :Text;
  applicantName @3 :Text;
  meanMilli @4 :UInt32;
  thresholdMilli @5 :UInt32;
  passed @6 :Bool;
  jurorsCounted @7 :UInt32;
  criteria @8 :List(CriterionMean);
  status @9 :Text;
}

struct Grant {
  dossierId @0 :Text;
  amountCents @1 :Int64;
  position @2 :UInt64;
  recordedAt @3 :Text;
}

struct Budget {
  campaignId @0 :Text;
  envelopeCents @1 :Int64;
  grantedCents @2 :Int64;
  remainingCents @3 :Int64;
  grants @4 :List(Grant);
}

# ---------------------------------------------------------------- events

struct EventFilter {
  types @0 :List(Text);       # event types ("DossierSubmitted"); empty: all
  campaignId @1 :Text;        # empty: every campaign
  streamPrefix @2 :Text;      # "dossier-", "campaign-lti-2020"; empty: all
}

struct EventPage {
  events @0 :List(Event);
  next @1 :UInt64;            # the position to read from next
  head @2 :UInt64;            # the durable head when read
}

struct Event {
  position @0 :UInt64;
  streamId @1 :Text;
  streamVersion @2 :UInt64;
  type @3 :Text;
  recordedAt @4 :Text;        # RFC 3339 UTC, to the microsecond
  actor @5 :Text;
  commandId @6 :Text;
  correlationId @7 :Text;
  causationId @8 :Text;
  campaignId @9 :Text;
  body :union {
    campaign @10 :Events.CampaignEvent;
    dossier @11 :Events.DossierEvent;
    other @12 :Data $Json.base64;  # a payload this schema does not know
  }
}

# ---------------------------------------------------------------- drafts

struct Draft {
  dossierId @0 :Text;
  campaignId @1 :Text;
  version @2 :UInt64;         # 1 when created, one more at each save: the ETag
  createdAt @3 :Text;         # RFC 3339 UTC
  savedAt @4 :Text;
  # As the applicant left it, contact and answers included ("answers": the
  # JSON object's text, as in a submission).
  application @5 :Events.Application;
  # What a submission of it would be told now: complete, or the first
  # refusal (`refusal`) and, for the form's answers, every problem.
  complete @6 :Bool;
  refusal @7 :Text;
  problems @8 :List(Problem);
}

struct Problem {
  pointer @0 :Text;           # RFC 6901, into the submission ("/answers/budget")
  detail @1 :Text;
}
