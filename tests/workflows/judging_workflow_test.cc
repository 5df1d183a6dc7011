// Fair judging end to end, through the workflow service on a real RocksDB
// log: the committed and revealed draw, conflicts ruled (with a replacement
// drawn), the scoring round closed under z_score with its disagreements,
// the selection under the envelope, votes decided by the judging rules
// (chair's casting vote, lot, quorum of those present) and the replay of it
// all, honest and forged.
//
// The pure functions (draw, normalisation, tally, selection) have their own
// tables in judging_tests; here they are checked only through what the log
// records and what the guards refuse. Every refusal is also checked to write
// nothing (the log's head does not move).
#include <capnp/message.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/normalisation.h"
#include "parcours/workflows/replay.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
namespace cc = campaign_command;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kJudged = "judged-2020";
// The draw's seed, committed when submissions close and revealed after.
constexpr const char* kSeed = "seed of the 2020 draw";
constexpr const char* kLotSeed = "lot seed of the 2020 vote";

// The funding call of the fixture (no auditions, one criterion "quality"
// 0-10, threshold 5.0, elected officials vote, envelope €1,000.00, cap
// €600.00) with the judging rules `judging` on top.
CampaignRules fundingWith(const judging::JudgingRules& judging) {
  CampaignRules r = fundingRules();
  r.judging = judging;
  return r;
}

judging::JudgingRules drawOf(std::uint32_t k) {
  judging::JudgingRules j;
  j.jurorsPerDossier = k;
  return j;
}

// What a VoteClosed records, read back from the log.
struct RecordedVote {
  std::uint32_t yes = 0, no = 0, abstain = 0, eligible = 0, quorumNeeded = 0;
  bool carried = false, tie = false;
  schema::TieBreak tieBreakUsed = schema::TieBreak::NONE;
  std::vector<std::string> present, recused;
  std::string lotSeed;
};

class JudgingWorkflowTest : public WorkflowFixture {
 protected:
  // ---------------------------------------------------------- set-up

  // Opens kJudged under `rules` with `members`, and submits `dossiers`
  // (each a communauté de communes asking `requests[i]`, or €500.00),
  // confirmed eligible so that they can be scored (no auditions).
  void openJudged(const CampaignRules& rules, const std::vector<JuryMember>& members,
                  const std::vector<std::string>& dossiers,
                  const std::vector<std::int64_t>& requests = {}) {
    openCampaign(kJudged, rules, members);
    decisions_ += 2;
    for (std::size_t i = 0; i < dossiers.size(); ++i) {
      Application a = application("communaute_de_communes", i < requests.size() ? requests[i] : 50000);
      a.strands = {"1"};
      submit(dossiers[i], kJudged, a);
      ++decisions_;
      ok(dossiers[i], cmd::ConfirmEligibility{});
    }
  }

  // Closes submissions, commits to kSeed and reveals it over every dossier
  // still being judged.
  void draw() {
    okCampaign(cc::ChangePhase{Phase::SubmissionsClosed}, "deadline passed");
    okCampaign(cc::CommitAssignment{judging::seedCommitment(kSeed)}, "seed committed");
    okCampaign(cc::RevealAssignment{kSeed, {}, false, {}}, "seed revealed");
  }

  // ---------------------------------------------------------- commands

  // A command that must succeed; counted, for the replay's decision count.
  void okCampaign(const CampaignCommand& c, const std::string& reason = "test") {
    const bool closesRoundInTwo =
        std::holds_alternative<cc::CloseRound>(c) && !state().roundFrozen;
    auto r = campaign(kJudged, c, reason);
    ASSERT_TRUE(r) << r.error().message;
    decisions_ += closesRoundInTwo ? 2 : 1;
  }
  void ok(const std::string& dossierId, const DossierCommand& c,
          const std::string& actor = "instructor-1", const std::string& reason = "test") {
    auto r = dossier(dossierId, c, reason, actor);
    ASSERT_TRUE(r) << dossierId << ": " << commandName(c) << ": " << r.error().message;
    ++decisions_;
  }
  void score(const std::string& dossierId, const std::string& jurorId, std::uint32_t value) {
    ok(dossierId, cmd::RecordScore{jurorId, {{"quality", value}}}, jurorId, "scored");
  }
  void vote(const std::string& dossierId, const std::string& voterId, VoteChoice choice) {
    ok(dossierId, cmd::CastVote{voterId, choice}, voterId, "voted");
  }

  // Runs a command that must be refused with `code` and `words`, and checks
  // that it wrote nothing.
  void expectRefused(const std::function<Result<store::AppendResult>()>& run, ErrorCode code,
                     const std::string& words) {
    const store::Position head = log_->head();
    const auto r = run();
    ASSERT_FALSE(r) << "accepted, expected: " << words;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(words));
    EXPECT_EQ(log_->head(), head) << "a refused command wrote";
  }
  void expectCampaignRefused(const CampaignCommand& c, ErrorCode code, const std::string& words,
                             const std::string& reason = "test") {
    expectRefused([&] { return campaign(kJudged, c, reason); }, code, words);
  }
  void expectDossierRefused(const std::string& dossierId, const DossierCommand& c,
                            ErrorCode code, const std::string& words,
                            const std::string& actor = "instructor-1") {
    expectRefused([&] { return dossier(dossierId, c, "test", actor); }, code, words);
  }

  // ---------------------------------------------------------- reading

  CampaignState state() const {
    auto s = workflow_->loadCampaign(kJudged);
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : CampaignState{};
  }
  DossierState dossierState(const std::string& id) const {
    auto s = workflow_->loadDossier(id);
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : DossierState{};
  }
  std::vector<std::string> jurorsOf(const std::string& dossierId) const {
    const CampaignState s = state();
    const auto it = s.assignments.find(dossierId);
    return it == s.assignments.end() ? std::vector<std::string>{} : it->second;
  }
  // The appointed jurors not drawn for the dossier.
  std::vector<std::string> notDrawnFor(const std::string& dossierId) const {
    std::vector<std::string> out;
    const auto drawn = jurorsOf(dossierId);
    for (const JuryMember& m : state().jury) {
      if (m.role == JuryRole::Juror && std::find(drawn.begin(), drawn.end(), m.id) == drawn.end()) {
        out.push_back(m.id);
      }
    }
    return out;
  }
  // The types of the events after position `after`.
  std::vector<std::string> typesAfter(store::Position after) const {
    std::vector<std::string> out;
    for (const auto& e : allEvents()) {
      if (e.position > after) out.push_back(e.eventType);
    }
    return out;
  }
  // The last event of a stream.
  store::RecordedEvent lastOf(const std::string& stream) const {
    store::RecordedEvent last;
    for (auto& e : allEvents()) {
      if (e.streamId == stream) last = e;
    }
    return last;
  }
  RecordedVote lastVoteClosed(const std::string& dossierId) const {
    const store::RecordedEvent e = lastOf(dossierStream(dossierId));
    EXPECT_EQ(e.eventType, "VoteClosed");
    RecordedVote out;
    auto read = readPayload<schema::DossierEvent>(
        e.payload, e.eventType, [&](schema::DossierEvent::Reader d) -> Status {
          auto v = d.getVoteClosed();
          out.yes = v.getYes();
          out.no = v.getNo();
          out.abstain = v.getAbstain();
          out.eligible = v.getEligibleVoters();
          out.quorumNeeded = v.getQuorumNeeded();
          out.carried = v.getCarried();
          out.tie = v.getTie();
          out.tieBreakUsed = v.getTieBreakUsed();
          for (auto p : v.getPresent()) out.present.push_back(toString(p));
          for (auto p : v.getRecused()) out.recused.push_back(toString(p));
          out.lotSeed = toString(v.getLotSeed());
          return okStatus();
        });
    EXPECT_TRUE(read) << read.error().message;
    return out;
  }

  // ---------------------------------------------------------- forging

  // A copy of a recorded campaign event's payload, edited with capnp.
  static std::string editCampaignPayload(const std::string& type, const std::string& payload,
                                         const std::function<void(schema::CampaignEvent::Builder)>& edit) {
    auto edited = readPayload<schema::CampaignEvent>(
        payload, type, [&](schema::CampaignEvent::Reader recorded) -> Result<std::string> {
          capnp::MallocMessageBuilder message;
          message.setRoot(recorded);
          edit(message.getRoot<schema::CampaignEvent>());
          return flattenMessage(message);
        });
    EXPECT_TRUE(edited) << edited.error().message;
    return edited ? *edited : std::string();
  }

  // Appends campaign events as a forger with store access would: a valid
  // append, so the hash chain covers it; only replay can tell.
  store::Position forgeOnCampaign(const std::vector<DomainEvent>& events) {
    store::AppendRequest request;
    store::StreamWrite write{campaignStream(kJudged), store::ExpectedVersion::any(), {}};
    for (const DomainEvent& e : events) write.events.push_back({e.type, e.payload});
    request.streams.push_back(std::move(write));
    request.context.actor = "forger";
    request.context.recordedAtMicros = engine::toMicros(clock_.now()) + 1;
    auto r = log_->append(std::move(request));
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->firstPosition : 0;
  }

  ReplayReport replay() const {
    auto report = replayEvents(allEvents());
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : ReplayReport{};
  }
  static void expectNoDivergence(const ReplayReport& report) {
    for (const Divergence& d : report.divergences) {
      ADD_FAILURE() << "divergence at " << d.position << " (" << d.streamId << ", " << d.decision
                    << "): " << d.rulesSay << " / recorded " << d.recorded;
    }
  }

  // ---------------------------------------------------------- z_score

  // The rules of the z_score round: two jurors drawn per dossier among
  // three, z_score from two scores per juror on, and a spread of 3.000
  // past which the jurors must record a consensus.
  static CampaignRules zScoreRules() {
    judging::JudgingRules j = drawOf(2);
    j.normalisation = judging::NormalisationRule::ZScore;
    j.minScoresPerJuror = 2;
    j.maxSpreadMilli = 3000;
    return fundingWith(j);
  }
  static std::vector<JuryMember> threeJurorsAndOfficials() {
    std::vector<JuryMember> m = threeJurors();
    for (const JuryMember& o : jurorsAndOfficials()) {
      if (o.role == JuryRole::ElectedOfficial) m.push_back(o);
    }
    return m;
  }

  // The sheet a juror gives a dossier: the dossier's quality as `bases`
  // says, moved by the juror's leniency (juror-1 +1, juror-3 -1), so that
  // normalisation has something to correct. On `disagreed` the first
  // drawn juror (by id) gives 2 and the other 9: a spread of 7.000.
  std::uint32_t sheetValue(const std::string& dossierId, const std::string& jurorId,
                           const std::map<std::string, std::uint32_t>& bases,
                           const std::string& disagreed) const {
    if (dossierId == disagreed) return jurorsOf(dossierId).front() == jurorId ? 2 : 9;
    const int offset = jurorId == "juror-1" ? 1 : jurorId == "juror-3" ? -1 : 0;
    return static_cast<std::uint32_t>(static_cast<int>(bases.at(dossierId)) + offset);
  }

  std::uint64_t decisions_ = 0;  // the decisions the log holds, as replay counts them
};

// ================================================================== the draw

TEST_F(JudgingWorkflowTest, TheSeedIsCommittedOnceAfterSubmissionsCloseAndOnlyWhenJurorsAreDrawn) {
  openJudged(fundingWith(drawOf(2)), jurorsAndOfficials(), {"D1", "D2"});
  const std::string commitment = judging::seedCommitment(kSeed);

  // Committing while dossiers may still arrive would let the seed be chosen
  // after seeing them.
  expectCampaignRefused(cc::CommitAssignment{commitment}, ErrorCode::RefusedByRule,
                        "submissions to campaign \"judged-2020\" are still open");
  okCampaign(cc::ChangePhase{Phase::SubmissionsClosed});
  // A reveal before any commitment proves nothing.
  expectCampaignRefused(cc::RevealAssignment{kSeed, {}, false, {}}, ErrorCode::RefusedByRule,
                        "has committed to no seed");
  expectCampaignRefused(cc::CommitAssignment{"not-a-hash"}, ErrorCode::InvalidInput,
                        "64 lower-case hexadecimal digits, got \"not-a-hash\"");
  std::string upper = commitment;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  expectCampaignRefused(cc::CommitAssignment{upper}, ErrorCode::InvalidInput,
                        "64 lower-case hexadecimal digits");
  expectCampaignRefused(cc::CommitAssignment{commitment.substr(1)}, ErrorCode::InvalidInput,
                        "64 lower-case hexadecimal digits");

  const store::Position before = log_->head();
  okCampaign(cc::CommitAssignment{commitment}, "seed committed");
  EXPECT_THAT(typesAfter(before), ElementsAre("AssignmentCommitted"));
  const CampaignState s = state();
  ASSERT_TRUE(s.assignmentCommitment.has_value());
  EXPECT_EQ(s.assignmentCommitment->seedCommitment, commitment);
  EXPECT_EQ(s.assignmentCommitment->jurorsPerDossier, 2u);
  EXPECT_EQ(s.assignmentCommitment->algorithmVersion, judging::assignmentAlgorithmVersion);
  EXPECT_FALSE(s.draw.has_value());

  // Once committed, the seed cannot be swapped for a luckier one.
  expectCampaignRefused(cc::CommitAssignment{judging::seedCommitment("another seed")},
                        ErrorCode::Conflict, "already committed to the seed " + commitment);

  // A campaign whose rules draw nobody has no seed to commit.
  ASSERT_TRUE(campaign("plain-2020", cc::Open{{"plain-2020", fundingRules()}}));
  ASSERT_TRUE(campaign("plain-2020", cc::AppointJury{jurorsAndOfficials()}));
  ASSERT_TRUE(campaign("plain-2020", cc::ChangePhase{Phase::SubmissionsClosed}));
  expectRefused([&] { return campaign("plain-2020", cc::CommitAssignment{commitment}); },
                ErrorCode::RefusedByRule, "jurors_per_dossier is 0");
}

TEST_F(JudgingWorkflowTest, TheRevealedSeedDrawsEveryDossierStillBeingJudgedAroundConflicts) {
  const std::vector<JuryMember> jury = {{"juror-1", "Juror One", JuryRole::Juror},
                                        {"juror-2", "Juror Two", JuryRole::Juror},
                                        {"juror-3", "Juror Three", JuryRole::Juror},
                                        {"juror-4", "Juror Four", JuryRole::Juror},
                                        {"official-1", "Official One", JuryRole::ElectedOfficial},
                                        {"official-2", "Official Two", JuryRole::ElectedOfficial}};
  openJudged(fundingWith(drawOf(2)), jury, {"D1", "D2", "D3", "D4"});
  Application a = application("communaute_de_communes", 50000);
  submit("D5", kJudged, a);  // only submitted: still being judged
  submit("D6", kJudged, a);
  ok("D6", cmd::Withdraw{}, "applicant-1", "project abandoned");  // no longer judged
  // Declared and not ruled yet: juror-1 must not be drawn for D2.
  okCampaign(cc::DeclareConflict{"juror-1", "D2", ConflictSource::Juror}, "my brother's project");
  okCampaign(cc::ChangePhase{Phase::SubmissionsClosed});
  okCampaign(cc::CommitAssignment{judging::seedCommitment(kSeed)});

  // The wrong seed: refused, saying what it hashes to, and nothing drawn.
  expectCampaignRefused(cc::RevealAssignment{"a luckier seed", {}, false, {}},
                        ErrorCode::RefusedByRule,
                        "does not match the commitment " + judging::seedCommitment(kSeed) +
                            " of campaign \"judged-2020\": its SHA-256 is " +
                            judging::seedCommitment("a luckier seed"));
  EXPECT_TRUE(state().assignments.empty());

  const store::Position before = log_->head();
  okCampaign(cc::RevealAssignment{kSeed, {}, false, {}}, "seed revealed at the jury meeting");
  EXPECT_THAT(typesAfter(before), ElementsAre("AssignmentDrawn"));

  const CampaignState s = state();
  ASSERT_TRUE(s.draw.has_value());
  EXPECT_EQ(s.draw->seed, kSeed);
  EXPECT_EQ(s.draw->dossierCount, 5u);
  EXPECT_EQ(s.draw->parts, 1u);
  EXPECT_EQ(s.draw->inputsHash.size(), 64u);
  std::vector<std::string> drawnDossiers;
  for (const auto& [dossierId, jurors] : s.assignments) drawnDossiers.push_back(dossierId);
  EXPECT_THAT(drawnDossiers, ElementsAre("D1", "D2", "D3", "D4", "D5"));  // D6 withdrawn

  std::map<std::string, int> load = {{"juror-1", 0}, {"juror-2", 0}, {"juror-3", 0}, {"juror-4", 0}};
  for (const auto& [dossierId, jurors] : s.assignments) {
    EXPECT_EQ(jurors.size(), 2u) << dossierId;
    EXPECT_TRUE(std::is_sorted(jurors.begin(), jurors.end())) << dossierId;
    EXPECT_EQ(std::set<std::string>(jurors.begin(), jurors.end()).size(), jurors.size());
    for (const std::string& j : jurors) {
      ASSERT_TRUE(load.count(j)) << dossierId << " drew " << j << ", not a juror";
      ++load[j];
    }
  }
  int low = 100, high = 0;
  for (const auto& [juror, n] : load) {
    low = std::min(low, n);
    high = std::max(high, n);
  }
  EXPECT_LE(high - low, 1) << "10 seats over 4 jurors must be 2 or 3 each";
  EXPECT_THAT(s.assignments.at("D2"), Not(::testing::Contains("juror-1")));

  // The draw is recorded once: revealing again is a conflict.
  expectCampaignRefused(cc::RevealAssignment{kSeed, {}, false, {}}, ErrorCode::Conflict,
                        "were already drawn with seed " + std::string(kSeed));

  // Only drawn jurors score their dossiers.
  const std::string outsider = notDrawnFor("D1").front();
  expectDossierRefused("D1", cmd::RecordScore{outsider, {{"quality", 7}}}, ErrorCode::RefusedByRule,
                       "juror \"" + outsider + "\" was not drawn for dossier \"D1\"", outsider);
  score("D1", jurorsOf("D1").front(), 7);
  EXPECT_EQ(dossierState("D1").scores.size(), 1u);
}

// =============================================================== conflicts

TEST_F(JudgingWorkflowTest, AConflictIsPendingUntilRuledAndUpheldItDrawsAReplacement) {
  // The jury votes here, so an upheld conflict also leaves the vote.
  CampaignRules rules = fundingWith(drawOf(2));
  rules.votingBody = VotingBody::Jury;
  const std::vector<JuryMember> jury = {{"juror-1", "Juror One", JuryRole::Juror},
                                        {"juror-2", "Juror Two", JuryRole::Juror},
                                        {"juror-3", "Juror Three", JuryRole::Juror},
                                        {"juror-4", "Juror Four", JuryRole::Juror}};
  openJudged(rules, jury, {"D1", "D2", "D3", "D4"});
  draw();
  const std::vector<std::string> drawn = jurorsOf("D1");
  ASSERT_EQ(drawn.size(), 2u);
  const std::string conflicted = drawn[0], colleague = drawn[1];

  okCampaign(cc::DeclareConflict{conflicted, "D1", ConflictSource::Juror}, "my cousin's project");
  EXPECT_TRUE(state().conflictPending(conflicted, "D1"));
  // Pending: neither a score of the juror nor the dossier's close.
  expectDossierRefused("D1", cmd::RecordScore{conflicted, {{"quality", 8}}},
                       ErrorCode::RefusedByRule, "awaits a ruling", conflicted);
  score("D1", colleague, 8);
  expectDossierRefused("D1", cmd::CloseScoring{}, ErrorCode::RefusedByRule,
                       "the conflict of interest of \"" + conflicted +
                           "\" with dossier \"D1\" awaits a ruling");

  // A ruling needs its reason, and a declared conflict to rule on.
  expectCampaignRefused(cc::RuleConflict{conflicted, "D1", true, {}}, ErrorCode::InvalidInput,
                        "needs a reason", "");
  expectCampaignRefused(cc::RuleConflict{colleague, "D1", true, {}}, ErrorCode::NotFound,
                        "no conflict of interest of \"" + colleague +
                            "\" with dossier \"D1\" is declared");

  // Upheld on a drawn juror: one append, the ruling and the replacement.
  auto ruled = campaign(kJudged, cc::RuleConflict{conflicted, "D1", true, {}}, "close family");
  ASSERT_TRUE(ruled) << ruled.error().message;
  ++decisions_;
  EXPECT_EQ(ruled->lastPosition - ruled->firstPosition, 1u);
  EXPECT_THAT(typesAfter(ruled->firstPosition - 1), ElementsAre("ConflictRuled", "AssignmentChanged"));
  const CampaignState s = state();
  const auto& now = s.assignments.at("D1");
  ASSERT_EQ(now.size(), 2u);
  EXPECT_THAT(now, Not(::testing::Contains(conflicted)));
  EXPECT_THAT(now, ::testing::Contains(colleague));
  const std::string replacement = now[0] == colleague ? now[1] : now[0];
  EXPECT_NE(replacement, conflicted);
  EXPECT_TRUE(s.recused(conflicted, "D1"));
  // The replacement is named in the AssignmentChanged, with its cause.
  const store::RecordedEvent changed = lastOf(campaignStream(kJudged));
  ASSERT_TRUE(readPayload<schema::CampaignEvent>(
      changed.payload, changed.eventType, [&](schema::CampaignEvent::Reader e) -> Status {
        EXPECT_EQ(toString(e.getAssignmentChanged().getDossierId()), "D1");
        EXPECT_EQ(toString(e.getAssignmentChanged().getRemovedJurorId()), conflicted);
        EXPECT_EQ(toString(e.getAssignmentChanged().getAddedJurorId()), replacement);
        EXPECT_EQ(e.getAssignmentChanged().getCause(),
                  schema::AssignmentChangeCause::CONFLICT_UPHELD);
        return okStatus();
      }));
  // Out of the quorum too: three voters are left for D1, four for D2.
  EXPECT_EQ(s.voters("D1").size(), 3u);
  EXPECT_EQ(s.voters("D2").size(), 4u);
  for (const JuryMember* v : s.voters("D1")) EXPECT_NE(v->id, conflicted);
  expectCampaignRefused(cc::RuleConflict{conflicted, "D1", true, {}}, ErrorCode::Conflict,
                        "is already upheld", "again");

  // Dismissed: the juror stays on the dossier and scores it.
  okCampaign(cc::DeclareConflict{replacement, "D1", ConflictSource::Administrator},
             "same surname as the applicant");
  expectDossierRefused("D1", cmd::RecordScore{replacement, {{"quality", 6}}},
                       ErrorCode::RefusedByRule, "awaits a ruling", replacement);
  const store::Position beforeDismissal = log_->head();
  okCampaign(cc::RuleConflict{replacement, "D1", false, {}}, "no relation");
  EXPECT_THAT(typesAfter(beforeDismissal), ElementsAre("ConflictRuled"));
  EXPECT_EQ(state().assignments.at("D1"), now);
  expectCampaignRefused(cc::RuleConflict{replacement, "D1", false, {}}, ErrorCode::Conflict,
                        "is already dismissed", "again");
  score("D1", replacement, 6);
  ok("D1", cmd::CloseScoring{});
  EXPECT_EQ(dossierState("D1").status, DossierStatus::Scored);
  EXPECT_EQ(dossierState("D1").meanMilli, 7000u);  // (8 + 6) / 2: the upheld juror never scored

  // The upheld juror may not vote; two of the three left make the quorum.
  expectDossierRefused("D1", cmd::CastVote{conflicted, VoteChoice::Yes}, ErrorCode::RefusedByRule,
                       "may not vote on it", conflicted);
  vote("D1", colleague, VoteChoice::Yes);
  vote("D1", replacement, VoteChoice::Yes);
  ok("D1", cmd::CloseVote{});
  const RecordedVote closed = lastVoteClosed("D1");
  EXPECT_TRUE(closed.carried);
  EXPECT_EQ(closed.eligible, 3u);
  EXPECT_EQ(closed.quorumNeeded, 2u);
  EXPECT_THAT(closed.recused, ElementsAre(conflicted));

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
}

// ============================================================ the round

TEST_F(JudgingWorkflowTest, TheRoundClosesUnderZScoreOnceEverySheetIsInAndDisagreementsSettled) {
  const std::vector<std::string> ids = {"D1", "D2", "D3", "D4", "D5", "D6"};
  const std::map<std::string, std::uint32_t> bases = {{"D2", 7}, {"D3", 4}, {"D4", 8},
                                                      {"D5", 6}, {"D6", 3}};
  openJudged(zScoreRules(), threeJurorsAndOfficials(), ids);
  draw();
  const CampaignState drawn = state();
  ASSERT_EQ(drawn.assignments.size(), ids.size());

  // Every sheet but the last juror's on D6.
  const std::string lastOnD6 = jurorsOf("D6").back();
  std::vector<judging::RawScore> raw;
  for (const auto& [dossierId, jurors] : drawn.assignments) {
    for (const std::string& juror : jurors) {
      const std::uint32_t value = sheetValue(dossierId, juror, bases, "D1");
      raw.push_back({dossierId, juror, "quality", value});
      if (dossierId == "D6" && juror == lastOnD6) continue;
      score(dossierId, juror, value);
    }
  }
  expectCampaignRefused(cc::CloseRound{}, ErrorCode::RefusedByRule,
                        "1 score sheets are missing: D6 (" + lastOnD6 + ")");
  EXPECT_FALSE(state().roundFrozen);

  // A conflict declared on D6 and not ruled holds the round too.
  const std::string outsider = notDrawnFor("D6").front();
  okCampaign(cc::DeclareConflict{outsider, "D6", ConflictSource::Juror}, "former employer");
  score("D6", lastOnD6, sheetValue("D6", lastOnD6, bases, "D1"));
  expectCampaignRefused(cc::CloseRound{}, ErrorCode::RefusedByRule,
                        "conflicts of interest await a ruling: D6 (" + outsider + ")");
  okCampaign(cc::RuleConflict{outsider, "D6", false, {}}, "left that employer in 2012");

  // D1's jurors gave 2 and 9: past the spread of 3.000 until they agree.
  expectCampaignRefused(cc::CloseRound{}, ErrorCode::RefusedByRule,
                        "the jurors disagree past the spread of 3.000 on these dossiers, each "
                        "needs a recorded consensus: D1 (spread 7.000)");
  expectCampaignRefused(cc::RecordConsensus{"D2", 0}, ErrorCode::RefusedByRule,
                        "do not disagree past the campaign's spread");
  expectCampaignRefused(cc::RecordConsensus{"D1", 0}, ErrorCode::InvalidInput, "needs a reason",
                        "");
  expectCampaignRefused(cc::RecordConsensus{"D9", 0}, ErrorCode::NotFound,
                        "no dossier \"D9\" in campaign \"judged-2020\"");
  okCampaign(cc::RecordConsensus{"D1", 0}, "agreed after discussion: the budget is realistic");
  EXPECT_EQ(state().consensus.at("D1"), 7000u);
  // Under a spread rule a rescore is part of the consensus step: it says why.
  const std::string firstOnD1 = jurorsOf("D1").front();
  expectRefused(
      [&] { return dossier("D1", cmd::RecordScore{firstOnD1, {{"quality", 2}}}, "", firstOnD1); },
      ErrorCode::InvalidInput, "a rescore needs a reason (--reason)");

  // Under z_score a dossier's mean comes from the round: not before it.
  expectDossierRefused("D2", cmd::CloseScoring{}, ErrorCode::RefusedByRule,
                       "closes after the campaign's scoring round");

  const store::Position beforeClose = log_->head();
  okCampaign(cc::CloseRound{}, "round closed");
  EXPECT_THAT(typesAfter(beforeClose), ElementsAre("ScoringRoundFrozen", "ScoringRoundClosed"));
  const CampaignState closed = state();
  EXPECT_TRUE(closed.roundFrozen);
  EXPECT_TRUE(closed.roundClosed);
  expectCampaignRefused(cc::CloseRound{}, ErrorCode::Conflict, "is already closed");
  const std::string onD2 = jurorsOf("D2").front();
  expectDossierRefused("D2", cmd::RecordScore{onD2, {{"quality", 10}}}, ErrorCode::RefusedByRule,
                       "scores are frozen", onD2);

  // The round's means are normaliseScores' over the very same sheets.
  auto expected = judging::normaliseScores(judging::NormalisationRule::ZScore, 2,
                                           zScoreRules().criteria, raw);
  ASSERT_TRUE(expected) << expected.error().message;
  ASSERT_EQ(expected->dossiers.size(), ids.size());
  ASSERT_EQ(closed.roundMeans.size(), ids.size());
  bool normalisationMoved = false;
  for (const judging::DossierMeans& m : expected->dossiers) {
    const RoundMeans& got = closed.roundMeans.at(m.dossierId);
    EXPECT_EQ(got.jurors, 2u) << m.dossierId;
    EXPECT_EQ(got.rawMeanMilli, m.rawMeanMilli) << m.dossierId;
    EXPECT_EQ(got.normalisedMeanMilli, m.normalisedMeanMilli) << m.dossierId;
    normalisationMoved = normalisationMoved || m.rawMeanMilli != m.normalisedMeanMilli;
  }
  EXPECT_TRUE(normalisationMoved) << "lenient and severe jurors must move some mean";
  EXPECT_EQ(closed.roundMeans.at("D1").rawMeanMilli, 5500);  // (2 + 9) / 2
  // Every juror has 4 scores (12 seats over 3): all normalised.
  for (const judging::JurorStatistics& st : expected->statistics) {
    EXPECT_EQ(st.count, 4u) << st.jurorId;
    EXPECT_TRUE(st.normalised) << st.jurorId << ": " << st.fallback;
  }

  // Each dossier's scoring closes on its normalised mean.
  for (const judging::DossierMeans& m : expected->dossiers) {
    ok(m.dossierId, cmd::CloseScoring{});
    const DossierState d = dossierState(m.dossierId);
    EXPECT_EQ(d.meanMilli, static_cast<std::uint32_t>(m.normalisedMeanMilli)) << m.dossierId;
    EXPECT_EQ(d.status, m.normalisedMeanMilli >= 5000 ? DossierStatus::Scored
                                                      : DossierStatus::BelowThreshold)
        << m.dossierId;
  }
  // After the round a consensus has nothing left to settle.
  expectCampaignRefused(cc::RecordConsensus{"D1", 0}, ErrorCode::RefusedByRule,
                        "is closed", "late");

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
}

// ============================================================ selection

TEST_F(JudgingWorkflowTest, TheSelectionIsPreviewedThenRecordedOnceAndOnlySelectedDossiersFunded) {
  // Both jurors on every dossier; €1,000.00 for €600 + €500 + €400 asked.
  openJudged(fundingWith(drawOf(2)), jurorsAndOfficials(), {"F1", "F2", "F3"},
             {60000, 50000, 40000});
  draw();
  const std::map<std::string, std::uint32_t> quality = {{"F1", 9}, {"F2", 8}, {"F3", 7}};
  auto tooEarly = workflow_->previewSelection(kJudged);
  ASSERT_FALSE(tooEarly);
  EXPECT_THAT(tooEarly.error().message, HasSubstr("no dossier carried by the vote"));
  for (const auto& [id, value] : quality) {
    score(id, "juror-1", value);
    score(id, "juror-2", value);
    ok(id, cmd::CloseScoring{});
    vote(id, "official-1", VoteChoice::Yes);
    vote(id, "official-2", VoteChoice::Yes);
    ok(id, cmd::CloseVote{});
  }

  // The dry run writes nothing and explains every line: rank_skip takes
  // F1, skips F2 (€500 > €400 left) and takes F3.
  const store::Position head = log_->head();
  auto preview = workflow_->previewSelection(kJudged);
  ASSERT_TRUE(preview) << preview.error().message;
  EXPECT_EQ(log_->head(), head);
  EXPECT_EQ(preview->rule, judging::SelectionRule::RankSkip);
  EXPECT_EQ(preview->envelopeCents, 100000);
  EXPECT_EQ(preview->selectedCents, 100000);
  ASSERT_EQ(preview->lines.size(), 3u);
  const std::vector<std::pair<std::string, bool>> expected = {
      {"F1", true}, {"F2", false}, {"F3", true}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const judging::SelectionLine& line = preview->lines[i];
    EXPECT_EQ(line.rank, i + 1);
    EXPECT_EQ(line.dossierId, expected[i].first);
    EXPECT_EQ(line.selected, expected[i].second) << line.explanation;
    EXPECT_EQ(line.scoreMilli, std::int64_t{quality.at(line.dossierId)} * 1000);
  }
  EXPECT_THAT(preview->lines[0].explanation, HasSubstr("selected"));
  EXPECT_THAT(preview->lines[1].explanation, HasSubstr("does not fit"));

  okCampaign(cc::RecordSelection{}, "selection of the 2020 committee");
  EXPECT_THAT(typesAfter(head), ElementsAre("SelectionRecorded"));
  const CampaignState s = state();
  ASSERT_TRUE(s.selection.has_value());
  EXPECT_EQ(*s.selection, (std::map<std::string, bool>{{"F1", true}, {"F2", false}, {"F3", true}}));
  expectCampaignRefused(cc::RecordSelection{}, ErrorCode::Conflict, "is already recorded");

  expectDossierRefused("F2", cmd::Award{50000}, ErrorCode::RefusedByRule,
                       "dossier \"F2\" is not selected in the recorded selection");
  ok("F1", cmd::Award{60000});
  ok("F3", cmd::Award{40000});
  EXPECT_EQ(state().grantedCents, 100000);
  EXPECT_EQ(dossierState("F1").status, DossierStatus::Labelled);
  EXPECT_EQ(dossierState("F2").status, DossierStatus::Voted);

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
}

// ================================================================ votes

// Scores V1.. by both jurors (no draw: every juror scores), closes their
// scoring, so they wait for their votes.
class JudgingVoteTest : public JudgingWorkflowTest {
 protected:
  void scored(const judging::JudgingRules& judging, const std::vector<std::string>& ids) {
    openJudged(fundingWith(judging), jurorsAndOfficials(), ids);
    for (const std::string& id : ids) {
      score(id, "juror-1", 8);
      score(id, "juror-2", 7);
      ok(id, cmd::CloseScoring{});
    }
  }
};

TEST_F(JudgingVoteTest, TheChairsCastingVoteBreaksATie) {
  judging::JudgingRules j;
  j.tieBreak = judging::TieBreak::ChairCastingVote;
  j.chairId = "official-1";
  scored(j, {"V1", "V2"});
  expectCampaignRefused(cc::CommitLotSeed{judging::seedCommitment(kLotSeed)},
                        ErrorCode::RefusedByRule, "breaks ties by chair_casting_vote, not by lot");

  vote("V1", "official-1", VoteChoice::Yes);  // the chair
  vote("V1", "official-2", VoteChoice::No);
  ok("V1", cmd::CloseVote{});
  EXPECT_EQ(dossierState("V1").status, DossierStatus::Voted);
  RecordedVote v = lastVoteClosed("V1");
  EXPECT_TRUE(v.tie);
  EXPECT_TRUE(v.carried);
  EXPECT_EQ(v.tieBreakUsed, schema::TieBreak::CHAIR_CASTING_VOTE);
  EXPECT_EQ(v.yes, 1u);
  EXPECT_EQ(v.no, 1u);
  EXPECT_EQ(v.eligible, 3u);

  vote("V2", "official-1", VoteChoice::No);  // the chair, against
  vote("V2", "official-2", VoteChoice::Yes);
  ok("V2", cmd::CloseVote{});
  EXPECT_EQ(dossierState("V2").status, DossierStatus::Rejected);
  v = lastVoteClosed("V2");
  EXPECT_TRUE(v.tie);
  EXPECT_FALSE(v.carried);
  EXPECT_EQ(v.tieBreakUsed, schema::TieBreak::CHAIR_CASTING_VOTE);

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
}

TEST_F(JudgingVoteTest, ALotBreaksATieOnlyWithTheCommittedSeed) {
  judging::JudgingRules j;
  j.tieBreak = judging::TieBreak::Lot;
  scored(j, {"V1"});
  vote("V1", "official-1", VoteChoice::Yes);
  vote("V1", "official-2", VoteChoice::No);

  // Without a commitment made before the vote, anybody could pick the seed.
  expectDossierRefused("V1", cmd::CloseVote{{}, kLotSeed}, ErrorCode::RefusedByRule,
                       "breaks ties by lot but has committed to no lot seed");
  expectCampaignRefused(cc::CommitLotSeed{"0123"}, ErrorCode::InvalidInput,
                        "64 lower-case hexadecimal digits");
  okCampaign(cc::CommitLotSeed{judging::seedCommitment(kLotSeed)}, "lot seed sealed");
  EXPECT_EQ(state().lotSeedCommitment, judging::seedCommitment(kLotSeed));
  expectCampaignRefused(cc::CommitLotSeed{judging::seedCommitment("other")}, ErrorCode::Conflict,
                        "already committed to the lot seed");
  expectDossierRefused("V1", cmd::CloseVote{{}, "a luckier seed"}, ErrorCode::RefusedByRule,
                       "the lot seed does not match the commitment " +
                           judging::seedCommitment(kLotSeed));
  expectDossierRefused("V1", cmd::CloseVote{}, ErrorCode::RefusedByRule,
                       "the lot seed does not match the commitment");

  ok("V1", cmd::CloseVote{{}, kLotSeed});
  // carried iff the first byte of SHA-256(seed ‖ "\n" ‖ dossier id) is odd.
  const std::string digest = judging::seedCommitment(std::string(kLotSeed) + "\nV1");
  const bool odd = std::stoi(digest.substr(0, 2), nullptr, 16) % 2 == 1;
  const RecordedVote v = lastVoteClosed("V1");
  EXPECT_TRUE(v.tie);
  EXPECT_EQ(v.tieBreakUsed, schema::TieBreak::LOT);
  EXPECT_EQ(v.carried, odd);
  EXPECT_EQ(v.lotSeed, kLotSeed);
  EXPECT_EQ(dossierState("V1").status, odd ? DossierStatus::Voted : DossierStatus::Rejected);
}

TEST_F(JudgingVoteTest, TheQuorumCountsThoseRecordedPresent) {
  judging::JudgingRules j;
  j.quorumCounts = judging::QuorumCounts::Present;
  scored(j, {"V1"});
  vote("V1", "official-1", VoteChoice::Yes);

  // Alone, official-1 is 1 of 3: under the 50% quorum (2), whether named
  // present or, with nobody named, counted from the votes.
  expectDossierRefused("V1", cmd::CloseVote{{"official-1"}}, ErrorCode::RefusedByRule,
                       "no quorum: 1 of 3 voters were present for dossier \"V1\", the quorum is "
                       "50% (2 present");
  expectDossierRefused("V1", cmd::CloseVote{}, ErrorCode::RefusedByRule,
                       "the quorum is 50% (2 present");
  // Present must be members of the voting body.
  expectDossierRefused("V1", cmd::CloseVote{{"official-1", "juror-1"}}, ErrorCode::InvalidInput,
                       "juror-1");
  // Two present make the quorum, though only one voted.
  ok("V1", cmd::CloseVote{{"official-2", "official-1"}});
  EXPECT_EQ(dossierState("V1").status, DossierStatus::Voted);
  const RecordedVote v = lastVoteClosed("V1");
  EXPECT_TRUE(v.carried);
  EXPECT_EQ(v.yes, 1u);
  EXPECT_EQ(v.quorumNeeded, 2u);
  EXPECT_THAT(v.present, ElementsAre("official-1", "official-2"));
}

// A vote closed with members present or by lot replays as it was decided:
// the replay gives the close what the VoteClosed recorded (without the
// present members, V1 below had no quorum; without the seed, no lot).
TEST_F(JudgingVoteTest, AVoteClosedOnThosePresentReplaysClean) {
  judging::JudgingRules j;
  j.quorumCounts = judging::QuorumCounts::Present;
  scored(j, {"V1"});
  vote("V1", "official-1", VoteChoice::Yes);
  ok("V1", cmd::CloseVote{{"official-1", "official-3"}});  // two present, one vote

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
  EXPECT_EQ(report.eventsChecked, log_->head());
}

TEST_F(JudgingVoteTest, AVoteClosedByLotReplaysClean) {
  judging::JudgingRules j;
  j.tieBreak = judging::TieBreak::Lot;
  j.quorumCounts = judging::QuorumCounts::Present;
  scored(j, {"V1", "V2"});
  okCampaign(cc::CommitLotSeed{judging::seedCommitment(kLotSeed)}, "lot seed sealed");
  vote("V1", "official-1", VoteChoice::Yes);
  vote("V1", "official-2", VoteChoice::No);
  ok("V1", cmd::CloseVote{{}, kLotSeed});  // a tie: the lot decides
  vote("V2", "official-1", VoteChoice::Yes);
  ok("V2", cmd::CloseVote{{"official-1", "official-3"}, kLotSeed});  // no tie, two present

  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.decisionsChecked, decisions_);
  EXPECT_EQ(report.eventsChecked, log_->head());
}

// =============================================================== replay

// Everything above in one campaign: a pending conflict the draw avoids, the
// draw, a withdrawal, an upheld conflict with its replacement, a consensus,
// the z_score round, ties broken by the chair, the selection and the grants.
class JudgingReplayTest : public JudgingWorkflowTest {
 protected:
  static CampaignRules fullRules() {
    CampaignRules r = zScoreRules();
    r.judging.tieBreak = judging::TieBreak::ChairCastingVote;
    r.judging.chairId = "official-1";
    return r;
  }

  void historyUpToVotes() {
    const std::vector<std::string> ids = {"D1", "D2", "D3", "D4", "D5", "D6"};
    const std::map<std::string, std::uint32_t> bases = {{"D2", 8}, {"D3", 7}, {"D4", 9},
                                                        {"D5", 8}};
    openJudged(fullRules(), threeJurorsAndOfficials(), ids,
               {60000, 50000, 40000, 30000, 20000, 10000});
    ok("D6", cmd::Withdraw{}, "applicant-1", "project abandoned");
    okCampaign(cc::DeclareConflict{"juror-1", "D2", ConflictSource::Juror}, "a former partner");
    draw();
    ASSERT_EQ(state().assignments.size(), 5u);
    ASSERT_THAT(jurorsOf("D2"), Not(::testing::Contains("juror-1")));
    okCampaign(cc::RuleConflict{"juror-1", "D2", false, {}}, "partnership ended in 2010");

    // A drawn juror of D3 recused: replaced from the revealed seed.
    const std::string recused = jurorsOf("D3").front();
    okCampaign(cc::DeclareConflict{recused, "D3", ConflictSource::Administrator}, "an employee");
    okCampaign(cc::RuleConflict{recused, "D3", true, {}}, "direct interest");
    ASSERT_THAT(jurorsOf("D3"), Not(::testing::Contains(recused)));
    ASSERT_EQ(jurorsOf("D3").size(), 2u);

    const CampaignState drawn = state();
    for (const auto& [dossierId, jurors] : drawn.assignments) {
      for (const std::string& juror : jurors) {
        // D1 disagrees (2 and 9), as in the round test.
        score(dossierId, juror, sheetValue(dossierId, juror, bases, "D1"));
      }
    }
    okCampaign(cc::RecordConsensus{"D1", 0}, "agreed after a second reading");
    clock_.advance(std::chrono::hours(24));
    okCampaign(cc::CloseRound{}, "round closed");

    for (const std::string id : {"D1", "D2", "D3", "D4", "D5"}) {
      ok(id, cmd::CloseScoring{});
      if (dossierState(id).status != DossierStatus::Scored) continue;
      // Every vote ties; the chair's decides. D5, if scored, is turned down.
      const bool chairFor = id != std::string("D5");
      vote(id, "official-1", chairFor ? VoteChoice::Yes : VoteChoice::No);
      vote(id, "official-2", chairFor ? VoteChoice::No : VoteChoice::Yes);
      ok(id, cmd::CloseVote{});
    }
    ASSERT_GE(votedDossiers().size(), 2u) << "the selection needs candidates";
  }

  std::vector<std::string> votedDossiers() const {
    std::vector<std::string> out;
    const CampaignState s = state();
    for (const auto& [id, jurors] : s.assignments) {
      if (dossierState(id).status == DossierStatus::Voted) out.push_back(id);
    }
    return out;
  }

  void fullHistory() {
    historyUpToVotes();
    okCampaign(cc::RecordSelection{}, "selection of the 2020 committee");
    const CampaignState s = state();
    ASSERT_TRUE(s.selection.has_value());
    for (const auto& [id, selected] : *s.selection) {
      if (selected) ok(id, cmd::Award{dossierState(id).application.requestedCents});
    }
  }
};

TEST_F(JudgingReplayTest, EveryDecisionOfAFullJudgedHistoryIsWhatTheRulesDecide) {
  fullHistory();
  const auto types = typesAfter(0);
  for (const char* type : {"ConflictDeclared", "ConflictRuled", "AssignmentCommitted",
                           "AssignmentDrawn", "AssignmentChanged", "ConsensusRecorded",
                           "ScoringRoundFrozen", "ScoringRoundClosed", "VoteClosed",
                           "SelectionRecorded", "FundingGranted", "FundingCommitted",
                           "DossierWithdrawn"}) {
    EXPECT_THAT(types, ::testing::Contains(type)) << "the history lacks " << type;
  }
  const ReplayReport report = replay();
  expectNoDivergence(report);
  EXPECT_EQ(report.eventsChecked, log_->head());
  EXPECT_EQ(report.decisionsChecked, decisions_);
}

// The draw recorded is not the one the seed gives: a forger with store
// access appends, in place of the reveal, an AssignmentDrawn copied from the
// honest decision with one juror swapped. The chain verifies; replay flags it.
TEST_F(JudgingReplayTest, ADrawWithAnotherJurorThanTheSeedGivesIsFlagged) {
  openJudged(zScoreRules(), threeJurorsAndOfficials(), {"D1", "D2", "D3"});
  okCampaign(cc::ChangePhase{Phase::SubmissionsClosed});
  okCampaign(cc::CommitAssignment{judging::seedCommitment(kSeed)});

  // The honest decision, as the workflow service would gather it.
  const CampaignState before = state();
  auto honest = decideCampaign(
      before, cc::RevealAssignment{kSeed, {"D1", "D2", "D3"}, false, {{"1"}, {"1"}, {"1"}}},
      "seed revealed");
  ASSERT_TRUE(honest) << honest.error().message;
  ASSERT_EQ(honest->size(), 1u);
  std::string swappedIn, swappedOut;
  std::vector<DomainEvent> forged = *honest;
  forged[0].payload = editCampaignPayload(
      forged[0].type, forged[0].payload, [&](schema::CampaignEvent::Builder e) {
        auto d1 = e.getAssignmentDrawn().getDossiers()[0];
        ASSERT_EQ(toString(d1.getDossierId()), "D1");
        std::set<std::string> on;
        for (auto j : d1.getJurorIds()) on.insert(toString(j));
        for (const char* j : {"juror-1", "juror-2", "juror-3"}) {
          if (!on.count(j)) swappedIn = j;
        }
        swappedOut = toString(d1.getJurorIds()[0]);
        std::vector<std::string> jurors(on.begin(), on.end());
        std::replace(jurors.begin(), jurors.end(), swappedOut, swappedIn);
        std::sort(jurors.begin(), jurors.end());
        auto list = d1.initJurorIds(static_cast<unsigned>(jurors.size()));
        for (unsigned i = 0; i < list.size(); ++i) list.set(i, jurors[i]);
      });
  ASSERT_FALSE(swappedIn.empty());
  const store::Position at = forgeOnCampaign(forged);
  // The live state takes the forged draw: the forged juror may score D1.
  EXPECT_THAT(jurorsOf("D1"), ::testing::Contains(swappedIn));
  EXPECT_THAT(jurorsOf("D1"), Not(::testing::Contains(swappedOut)));
  score("D1", swappedIn, 7);

  const ReplayReport report = replay();
  ASSERT_EQ(report.divergences.size(), 1u);
  const Divergence& d = report.divergences[0];
  EXPECT_EQ(d.position, at);
  EXPECT_EQ(d.streamId, campaignStream(kJudged));
  EXPECT_EQ(d.decision, "reveal the draw");
  EXPECT_THAT(d.rulesSay, HasSubstr("the rules yield AssignmentDrawn"));
  EXPECT_THAT(d.recorded, HasSubstr("by forger"));
  EXPECT_EQ(report.eventsChecked, log_->head());
}

// A recorded draw appended again with another juror list: the campaign had
// drawn already, so the rules refuse a second draw outright.
TEST_F(JudgingReplayTest, ARecordedDrawAppendedAgainWithOtherJurorsIsFlagged) {
  fullHistory();
  store::RecordedEvent drawn;
  for (const auto& e : allEvents()) {
    if (e.eventType == "AssignmentDrawn") drawn = e;
  }
  ASSERT_EQ(drawn.eventType, "AssignmentDrawn");
  // The first dossier's pair of jurors replaced by another pair of the three.
  const std::string payload =
      editCampaignPayload(drawn.eventType, drawn.payload, [](schema::CampaignEvent::Builder e) {
        auto first = e.getAssignmentDrawn().getDossiers()[0];
        const bool wasOneAndTwo = toString(first.getJurorIds()[0]) == "juror-1" &&
                                  toString(first.getJurorIds()[1]) == "juror-2";
        auto list = first.initJurorIds(2);
        list.set(0, "juror-1");
        list.set(1, wasOneAndTwo ? "juror-3" : "juror-2");
      });
  ASSERT_NE(payload, drawn.payload);
  const store::Position at = forgeOnCampaign({{drawn.eventType, payload}});

  const ReplayReport report = replay();
  ASSERT_EQ(report.divergences.size(), 1u);
  EXPECT_EQ(report.divergences[0].position, at);
  // Refused before any seed is looked at: its dossiers are no longer being
  // judged (and the campaign has drawn already).
  EXPECT_THAT(report.divergences[0].rulesSay, HasSubstr("the rules refuse it"));
  EXPECT_THAT(report.divergences[0].recorded, HasSubstr("by forger"));
}

// A selection that funds another dossier than the rule picks: copied from
// the honest decision with two lines' outcomes swapped, appended in its
// place. The live workflow then funds the forged pick (it believes the
// log), which replay accepts as following from the recorded selection; the
// selection itself is flagged.
TEST_F(JudgingReplayTest, ASelectionMarkingAnotherDossierSelectedIsFlagged) {
  historyUpToVotes();
  const CampaignState before = state();
  cc::RecordSelection gathered;
  for (const std::string& id : votedDossiers()) {
    const DossierState d = dossierState(id);
    gathered.candidates.push_back(
        {id, d.meanMilli, d.application.requestedCents, d.submittedAtMicros});
  }
  auto honest = decideCampaign(before, gathered, "selection of the 2020 committee");
  ASSERT_TRUE(honest) << honest.error().message;
  ASSERT_EQ(honest->size(), 1u);

  // The best-ranked dossier loses its place to the best-ranked one left out
  // (or, when all fit, is simply dropped).
  std::string dropped, added;
  std::vector<DomainEvent> forged = *honest;
  forged[0].payload = editCampaignPayload(
      forged[0].type, forged[0].payload, [&](schema::CampaignEvent::Builder e) {
        auto lines = e.getSelectionRecorded().getLines();
        for (auto line : lines) {
          if (line.getSelected() && dropped.empty()) {
            dropped = toString(line.getDossierId());
            line.setSelected(false);
          } else if (!line.getSelected() && added.empty()) {
            added = toString(line.getDossierId());
            line.setSelected(true);
          }
        }
      });
  ASSERT_FALSE(dropped.empty());
  const store::Position at = forgeOnCampaign(forged);
  EXPECT_FALSE(state().selection->at(dropped));

  // What the live workflow now does under the forged selection.
  expectDossierRefused(dropped, cmd::Award{dossierState(dropped).application.requestedCents},
                       ErrorCode::RefusedByRule, "is not selected");
  if (!added.empty()) ok(added, cmd::Award{dossierState(added).application.requestedCents});

  const ReplayReport report = replay();
  ASSERT_EQ(report.divergences.size(), 1u);
  const Divergence& d = report.divergences[0];
  EXPECT_EQ(d.position, at);
  EXPECT_EQ(d.decision, "record the selection");
  EXPECT_THAT(d.rulesSay, HasSubstr("the rules yield SelectionRecorded"));
  EXPECT_THAT(d.recorded, HasSubstr("by forger"));
}

}  // namespace
}  // namespace parcours::testing
