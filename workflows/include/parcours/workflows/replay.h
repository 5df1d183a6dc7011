// Decision replay: every decision recorded in the log re-run through the
// state machine under the rules version in force and the time it was
// recorded at, and what the machine yields compared, byte for byte, with
// what the log holds.
//
// The hash chain proves the log was not altered after the fact; replay
// proves each decision in it followed the rules. An event written straight
// into the store with a valid chain (a label the scores did not earn, a vote
// without quorum, a grant past the envelope, a score by a recused juror)
// passes `verify` and is flagged here.
//
// How: events are walked in log order. At the first event of a decision the
// command is rebuilt from it (DossierSubmitted -> submit, ScoreRecorded ->
// score, LabelAwarded -> award...), decided against the dossier and
// campaign states folded from the events before it, with the recorded
// time, actor and reason; the machine says how many events the decision
// yields, and those next recorded events must be exactly them (a grant's
// FundingCommitted on the campaign stream included). A refusal, or any
// difference, is a divergence; the recorded events are folded either way,
// so one forged decision does not hide or fake the ones after it.
// A submission's contact is carried through sealed: replay needs no key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parcours/store/event_log.h"
#include "parcours/workflows/views.h"

namespace parcours::workflows {

struct Divergence {
  store::Position position = 0;  // the decision's first recorded event
  std::string streamId;
  std::string dossierId;  // empty for a campaign decision
  std::string decision;   // "close vote", "set budget envelope"...
  std::string rulesSay;   // what the machine decides, in words
  std::string recorded;   // what the log holds, in words
};

struct ReplayReport {
  std::uint64_t decisionsChecked = 0;
  std::uint64_t eventsChecked = 0;
  std::vector<Divergence> divergences;
};

// Replays the decisions in `events`: one or more campaigns' streams and
// their dossiers' streams (a dossier's decisions need its campaign's stream
// up to them), in any order; other streams are ignored. A bundle holds
// exactly these, so it is replayed with no store.
Result<ReplayReport> replayEvents(std::vector<store::RecordedEvent> events);

// What to replay from a log: one dossier (its stream and its campaign's),
// one campaign (its stream and every dossier's), or, both empty, every
// campaign. `live` lists a campaign's dossiers. NotFound for unknown ids.
struct ReplayScope {
  std::string campaignId;
  std::string dossierId;
};
Result<ReplayReport> replayLog(const store::EventLog& log, const ViewQueries& live,
                               const ReplayScope& scope);

}  // namespace parcours::workflows
