// The two calls as their texts say (issue 18): each test names the seed
// sentence, or the article of the Code général des collectivités
// territoriales (CGCT), whose rule it enforces, on the seed definition
// shipped in workflows/campaigns/ played through the workflow service on a
// real store. The draw and the scoring round are left out (every committee
// member scores): they are fair judging's, tested in
// judging_workflow_test.cc; the rules here are the seeds'.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parcours/workflows/judging_views.h"
#include "parcours/workflows/replay.h"
#include "workflow_fixture.h"

namespace parcours::workflows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using parcours::testing::parisTime;
namespace cmd = dossier_command;
namespace ccmd = campaign_command;

constexpr const char* kSud = "parcours-sud-2020";
constexpr const char* kSiren = "912345675";  // fictional, passes the Luhn check

CampaignDefinition sudSeed() {
  auto d = loadCampaignDefinition(std::string(PARCOURS_CAMPAIGNS_DIR) +
                                  "/parcours-sud-smart-territoires-2020.json");
  EXPECT_TRUE(d) << d.error().message;
  if (!d) return {};
  judging::JudgingRules& j = d->rules.judging;  // no draw, no round
  j.jurorsPerDossier = 0;
  j.expertiseRequired = false;
  j.normalisation = judging::NormalisationRule::None;
  j.minScoresPerJuror = 0;
  return *d;
}

Application sudApplication(std::vector<std::string> strands, std::int64_t cents) {
  Application a = parcours::testing::application("communaute_de_communes", cents);
  a.strands = std::move(strands);
  a.siren = kSiren;
  a.departement = "83";
  return a;
}

class SeedRules : public parcours::testing::WorkflowFixture {
 protected:
  void at(const std::string& parisLocal) { clock_.set(parisTime(parisLocal)); }

  // The Sud call opened, with three committee members and the officials
  // elected-1 (who chairs) to elected-`officials`; the vote decides the
  // money unless `grantedByDeliberation` is false (an award after it).
  void openSud(int officials = 5, bool grantedByDeliberation = true) {
    at("2020-04-01T09:00:00");
    CampaignDefinition d = sudSeed();
    d.rules.grantedByDeliberation = grantedByDeliberation;
    ASSERT_TRUE(campaign(kSud, ccmd::Open{d}));
    std::vector<JuryMember> jury{{"committee-1", "C1", JuryRole::Juror},
                                 {"committee-2", "C2", JuryRole::Juror}};
    for (int i = 1; i <= officials; ++i) {
      jury.push_back({"elected-" + std::to_string(i), "E" + std::to_string(i),
                      JuryRole::ElectedOfficial});
    }
    ASSERT_TRUE(campaign(kSud, ccmd::AppointJury{jury}));
  }

  void ok(const std::string& id, const DossierCommand& c, const std::string& actor = "admin") {
    auto r = dossier(id, c, "a reason", actor);
    ASSERT_TRUE(r) << id << ": " << commandName(c) << ": " << r.error().message;
  }

  // Refused with `code` and words in the message; nothing written.
  std::string refused(const std::string& id, const DossierCommand& c, ErrorCode code,
                      const std::string& words) {
    const auto head = log_->head();
    auto r = dossier(id, c, "a reason", "admin");
    EXPECT_FALSE(r) << id << ": " << commandName(c) << " was accepted";
    if (r) return {};
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(words));
    EXPECT_EQ(log_->head(), head) << "a refusal wrote something";
    return r.error().message;
  }

  // Submitted on 20 May, eligible, scored `merit` by both committee members.
  void scored(const std::string& id, const Application& a, std::uint32_t merit) {
    at("2020-05-20T10:00:00");
    submit(id, kSud, a);
    at("2020-06-10T09:00:00");
    ok(id, cmd::ConfirmEligibility{});
    for (const char* member : {"committee-1", "committee-2"}) {
      cmd::RecordScore score{member, {}};
      for (const Criterion& c : sudSeed().rules.criteria) score.scores.push_back({c.id, merit});
      ok(id, score, member);
    }
    ok(id, cmd::CloseScoring{});
  }

  void vote(const std::string& id, int official, VoteChoice choice) {
    ok(id, cmd::CastVote{"elected-" + std::to_string(official), choice},
       "elected-" + std::to_string(official));
  }

  DossierStatus statusOf(const std::string& id) {
    auto d = workflow_->loadDossier(id);
    return d ? d->status : DossierStatus::Absent;
  }

  std::int64_t grantedTo(const std::string& id) {
    auto d = workflow_->loadDossier(id);
    return d ? d->grantedCents : -1;
  }

  static cmd::CloseVote presentAll(int officials) {
    cmd::CloseVote close;
    for (int i = 1; i <= officials; ++i) close.present.push_back("elected-" + std::to_string(i));
    return close;
  }

  void expectNoDivergence() {
    auto report = replayEvents(allEvents());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_GT(report->decisionsChecked, 0u);
    for (const Divergence& d : report->divergences) {
      ADD_FAILURE() << d.position << " " << d.decision << ": " << d.rulesSay << " / " << d.recorded;
    }
  }
};

// ------------------------------------------------------------ strands

// Seed 000: "4 volets, avec un objectif et un mode d'intervention associé à
// chacun"; strand 3 alone is "en investissement".
TEST_F(SeedRules, EachStrandDeclaresItsModeOfIntervention) {
  const CampaignRules rules = sudSeed().rules;
  std::vector<StrandMode> modes;
  for (const Strand& s : rules.strands) modes.push_back(s.mode);
  EXPECT_THAT(modes, ElementsAre(StrandMode::Animation, StrandMode::EngineeringSupport,
                                 StrandMode::Investment, StrandMode::Label));
  EXPECT_TRUE(rules.asksForMoney({"1", "3"}));
  EXPECT_FALSE(rules.asksForMoney({"1", "2", "4"}));
}

// Seed 000: "une enveloppe globale de 500 000 € en investissement": an
// application for strands 1, 2 or 4 asks for no money and is complete
// without an amount; one for strand 3 must say how much.
TEST_F(SeedRules, AnAmountIsRequiredOnlyOfAnApplicationForTheInvestmentStrand) {
  openSud();
  for (const char* strand : {"1", "2", "4"}) {
    const std::string id = std::string("only-") + strand;
    at("2020-05-20T10:00:00");
    submit(id, kSud, sudApplication({strand}, 0));
    ok(id, cmd::ConfirmEligibility{});
    EXPECT_EQ(statusOf(id), DossierStatus::Eligible) << id;
  }
  submit("strand-3", kSud, sudApplication({"3"}, 0));
  refused("strand-3", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "the application is incomplete: requested_amount is required");
  // Money asked without strand 3 is the applicant's mistake to correct.
  const std::string message = refused("money-1", cmd::Submit{kSud, sudApplication({"1", "2"}, 5'000'000)},
                                      ErrorCode::InvalidInput, "asks for €50,000.00");
  EXPECT_THAT(message, HasSubstr("only strand 3 (investment) is"));
}

// Seed 000 sets the envelope and no per-dossier cap: a large request for
// strand 3 is eligible (the committee and the officials weigh it).
TEST_F(SeedRules, NoPerDossierCapTheSeedDoesNotMake) {
  openSud();
  at("2020-05-20T10:00:00");
  submit("large", kSud, sudApplication({"3"}, 40'000'000));
  ok("large", cmd::ConfirmEligibility{});
  EXPECT_EQ(statusOf("large"), DossierStatus::Eligible);
}

// ------------------------------------------------------------ the applicant

// Seed 000: "Cet appel à manifestation d'intérêt s'adresse aux
// intercommunalités de la Région": the seat is in 04, 05, 06, 13, 83 or 84.
TEST_F(SeedRules, TheApplicantIsSeatedInTheRegion) {
  openSud();
  EXPECT_THAT(sudSeed().rules.eligibleDepartements,
              ElementsAre("04", "05", "06", "13", "83", "84"));
  at("2020-05-20T10:00:00");
  Application lyon = sudApplication({"1"}, 0);
  lyon.departement = "69";
  submit("lyon", kSud, lyon);
  refused("lyon", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "the applicant's seat is in département 69: campaign \"parcours-sud-2020\" accepts "
          "applicants seated in 04, 05, 06, 13, 83, 84");
  Application unnamed = sudApplication({"1"}, 0);
  unnamed.siren.clear();
  submit("unnamed", kSud, unnamed);
  refused("unnamed", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "applicant.siren is required");
}

// A SIREN is 9 digits with a Luhn check digit: a malformed one is refused
// before anything is written, with what is wrong.
TEST(SeedRulesInput, AMalformedSirenOrDepartementIsRefusedWithWhatIsWrong) {
  EXPECT_TRUE(checkSiren("siren", kSiren));
  auto mistyped = checkSiren("applicant.siren", "912345676");
  ASSERT_FALSE(mistyped);
  EXPECT_THAT(mistyped.error().message, HasSubstr("its check digit (Luhn) is wrong"));
  EXPECT_THAT(checkSiren("applicant.siren", "91234567").error().message,
              HasSubstr("9 digits, without spaces"));
  EXPECT_THAT(checkSiren("applicant.siren", "912 345 675").error().message,
              HasSubstr("9 digits"));
  EXPECT_TRUE(checkDepartement("d", "2A"));
  EXPECT_TRUE(checkDepartement("d", "974"));
  for (const char* bad : {"20", "00", "96", "977", "6", "A1", ""}) {
    EXPECT_FALSE(checkDepartement("d", bad)) << bad;
  }
  auto parsed = parseApplication(R"({"applicant": {"siren": "912345676"}})");
  ASSERT_FALSE(parsed);
  EXPECT_THAT(parsed.error().message, HasSubstr("applicant.siren: \"912345676\""));
}

// ------------------------------------------------------------ the money

// Seed 000: "après la réunion d'un comité de sélection interne, … après
// soumission au vote des élus régionaux": the committee proposes, the
// officials vote last and decide who is funded and how much.
TEST_F(SeedRules, TheElectedOfficialsDecideLastAndDecideTheMoney) {
  openSud(3);
  scored("a", sudApplication({"3"}, 30'000'000), 9);
  scored("b", sudApplication({"3", "4"}, 20'000'000), 8);
  scored("c", sudApplication({"3"}, 25'000'000), 7);  // does not fit beside a and b
  scored("d", sudApplication({"1", "2"}, 0), 6);      // asks for no money
  refused("a", cmd::CastVote{"elected-1", VoteChoice::Yes}, ErrorCode::RefusedByRule,
          "the committee's proposal of campaign \"parcours-sud-2020\" is not recorded");
  at("2020-06-25T09:00:00");
  ASSERT_TRUE(campaign(kSud, ccmd::RecordSelection{}, "the committee's proposal"));
  // Outside the proposal: no vote; the dossier ends, not_selected.
  refused("c", cmd::CastVote{"elected-1", VoteChoice::Yes}, ErrorCode::RefusedByRule,
          "is not in the committee's proposal");
  refused("a", cmd::NotSelect{}, ErrorCode::RefusedByRule, "is in the committee's proposal");
  ok("c", cmd::NotSelect{});
  EXPECT_EQ(statusOf("c"), DossierStatus::NotSelected);

  at("2020-07-09T10:00:00");
  for (const char* id : {"a", "b", "d"}) {
    for (int i = 1; i <= 3; ++i) vote(id, i, VoteChoice::Yes);
  }
  cmd::CloseVote close = presentAll(3);
  ok("a", close);
  EXPECT_EQ(grantedTo("a"), 30'000'000);  // the proposal's amount, from the vote
  cmd::CloseVote lowered = presentAll(3);
  lowered.amountCents = 15'000'000;  // the officials grant less than proposed
  ok("b", lowered);
  ok("d", close);
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled);
  EXPECT_EQ(statusOf("b"), DossierStatus::Labelled);
  EXPECT_EQ(grantedTo("b"), 15'000'000);
  EXPECT_EQ(statusOf("d"), DossierStatus::Labelled);  // supported in kind: €0.00
  EXPECT_EQ(grantedTo("d"), 0);
  auto b = workflow_->loadDossier("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->labelName, "Projet exemplaire Smart Territoires");  // it asked strand 4
  auto campaignNow = workflow_->loadCampaign(kSud);
  ASSERT_TRUE(campaignNow);
  EXPECT_EQ(campaignNow->grantedCents, 45'000'000);
  expectNoDivergence();
}

// "a deliberation whose total would pass the envelope is refused at its
// close, with the sum and the envelope in the message, and writes nothing".
TEST_F(SeedRules, ADeliberationOverTheEnvelopeIsRefusedAtItsClose) {
  openSud(3);
  scored("a", sudApplication({"3"}, 40'000'000), 9);
  scored("b", sudApplication({"3"}, 40'000'000), 8);
  at("2020-06-25T09:00:00");
  ASSERT_TRUE(campaign(kSud, ccmd::RecordSelection{}, "the committee's proposal"));
  ok("b", cmd::NotSelect{});  // €800,000 asked: the proposal funds a alone
  at("2020-07-09T10:00:00");
  for (int i = 1; i <= 3; ++i) vote("a", i, VoteChoice::Yes);
  cmd::CloseVote tooMuch = presentAll(3);
  tooMuch.amountCents = 50'000'001;
  refused("a", tooMuch, ErrorCode::RefusedByRule, "more than the €400,000.00");
  // The envelope lowered below the proposal by an amendment of the budget.
  ASSERT_TRUE(campaign(kSud, ccmd::SetBudgetEnvelope{35'000'000}, "budget cut"));
  refused("a", presentAll(3), ErrorCode::RefusedByRule,
          "would bring the total granted to €400,000.00 (€0.00 already granted + €400,000.00), "
          "over the envelope of €350,000.00: nothing is written");
  cmd::CloseVote within = presentAll(3);
  within.amountCents = 35'000'000;
  ok("a", within);
  EXPECT_EQ(grantedTo("a"), 35'000'000);
}

// "every dossier ends in a terminal state": a deliberation not carried
// rejects the dossier; nothing stays voted for want of money.
TEST_F(SeedRules, EveryDossierEndsInATerminalState) {
  openSud(3);
  scored("a", sudApplication({"3"}, 10'000'000), 9);
  at("2020-06-25T09:00:00");
  ASSERT_TRUE(campaign(kSud, ccmd::RecordSelection{}, "the committee's proposal"));
  at("2020-07-09T10:00:00");
  for (int i = 1; i <= 3; ++i) vote("a", i, VoteChoice::No);
  ok("a", presentAll(3));
  EXPECT_EQ(statusOf("a"), DossierStatus::Rejected);
  EXPECT_TRUE(isTerminal(statusOf("a")));
  EXPECT_EQ(grantedTo("a"), 0);
}

// ------------------------------------------------------------ the council's vote

// CGCT L4132-13: "Le conseil régional ne peut délibérer que si la majorité
// absolue de ses membres en exercice est présente": with 4 members in
// office, 2 present is exactly half, not a majority. "Si, au jour fixé par
// la convocation, le conseil régional ne se réunit pas en nombre suffisant
// pour délibérer, la réunion se tient de plein droit trois jours plus tard
// et les délibérations sont alors valables quel que soit le nombre des
// présents."
TEST_F(SeedRules, WithoutQuorumTheMeetingIsHeldAgainOfRightThreeDaysLater) {
  openSud(4);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  vote("a", 1, VoteChoice::Yes);
  vote("a", 2, VoteChoice::Yes);
  cmd::CloseVote half;
  half.present = {"elected-1", "elected-2"};
  ok("a", half);  // adjourned, not decided
  EXPECT_EQ(statusOf("a"), DossierStatus::Scored);
  auto adjourned = workflow_->loadDossier("a");
  ASSERT_TRUE(adjourned);
  EXPECT_TRUE(adjourned->votes.empty()) << "the votes of a meeting without quorum are void";
  EXPECT_EQ(adjourned->reconveneFromMicros,
            engine::toMicros(parisTime("2020-07-12T10:00:00")));
  // The meeting held again is a timer of the dossier (docs/timers.md),
  // scheduled by the adjournment in the same append.
  const TimerRecord* reconvene = adjourned->pendingTimer(TimerAction::ReconveneVote);
  ASSERT_NE(reconvene, nullptr);
  EXPECT_EQ(reconvene->dueMicros, adjourned->reconveneFromMicros);
  const std::string reconveneId = reconvene->timerId;
  at("2020-07-11T10:00:00");
  refused("a", cmd::CastVote{"elected-1", VoteChoice::Yes}, ErrorCode::RefusedByRule,
          "the meeting is held again, of right, from 2020-07-12T10:00:00+02:00");
  EXPECT_EQ(*workflow_->fireTimer(reconveneId), engine::FireResult::Skipped) << "never early";
  at("2020-07-12T10:00:00");
  EXPECT_EQ(*workflow_->fireTimer(reconveneId), engine::FireResult::Fired);
  EXPECT_EQ(workflow_->loadDossier("a")->timer(reconveneId)->status, TimerStatus::Fired);
  vote("a", 1, VoteChoice::Yes);
  cmd::CloseVote one;
  one.present = {"elected-1"};
  ok("a", one);  // valid whatever the attendance
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled);
  auto minutes = voteMinutes(*log_, "a", judging::Language::French);
  ASSERT_TRUE(minutes) << minutes.error().message;
  EXPECT_THAT(*minutes, HasSubstr("la réunion se tient de plein droit après une séance sans "
                                  "quorum"));
  EXPECT_THAT(*minutes, HasSubstr("majorité absolue des membres en exercice"));
  expectNoDivergence();
  // As a log written before dossier timers holds it: the adjournment
  // without its timer, and the timer's firing and end absent too.
  std::vector<store::RecordedEvent> older;
  for (const auto& e : allEvents()) {
    if (!e.eventType.starts_with("DossierTimer")) older.push_back(e);
  }
  auto replayed = replayEvents(older);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->divergences.empty())
      << replayed->divergences.front().decision << ": " << replayed->divergences.front().rulesSay;
}

// Strictly more than half: with 4 in office, 3 present is the quorum.
TEST_F(SeedRules, TheQuorumIsStrictlyMoreThanHalfOfTheMembersInOffice) {
  openSud(4);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  for (int i = 1; i <= 3; ++i) vote("a", i, VoteChoice::Yes);
  cmd::CloseVote three;
  three.present = {"elected-1", "elected-2", "elected-3"};
  ok("a", three);
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled);
}

// CGCT L4132-15: "Un conseiller régional empêché d'assister à une séance peut
// donner à un collègue de son choix pouvoir écrit de voter en son nom. Un
// même conseiller régional ne peut être porteur que d'un seul pouvoir."
// Proxies vote; they do not make the quorum.
TEST_F(SeedRules, AProxyVotesButDoesNotMakeTheQuorum) {
  openSud(5);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  vote("a", 1, VoteChoice::Yes);
  vote("a", 2, VoteChoice::No);
  vote("a", 3, VoteChoice::No);
  vote("a", 4, VoteChoice::Yes);  // by elected-1, who holds the proxy
  cmd::CloseVote close;
  close.present = {"elected-1", "elected-2", "elected-3"};
  // Bad proxies: each a specific error, nothing written.
  close.proxies = {{"elected-4", "elected-4"}};
  refused("a", close, ErrorCode::InvalidInput, "cannot give a proxy to themself");
  close.proxies = {{"elected-4", "elected-1"}, {"elected-5", "elected-1"}};
  refused("a", close, ErrorCode::InvalidInput,
          "\"elected-1\" already holds a proxy: a member holds at most one");
  close.proxies = {{"elected-4", "elected-1"}, {"elected-4", "elected-2"}};
  refused("a", close, ErrorCode::InvalidInput, "already gave a proxy");
  close.proxies = {{"elected-2", "elected-1"}};
  refused("a", close, ErrorCode::InvalidInput, "is present: a member present votes in person");
  close.proxies = {};
  refused("a", close, ErrorCode::InvalidInput,
          "\"elected-4\" voted but is neither present nor represented by a proxy");
  close.proxies = {{"elected-4", "elected-1"}};
  // 3 present of 5 in office: the quorum (3) is reached in person. 2 yes, 2
  // no: a tie, decided by the President's casting vote (elected-1: yes).
  ok("a", close);
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled);
  auto minutes = voteMinutes(*log_, "a", judging::Language::French);
  ASSERT_TRUE(minutes) << minutes.error().message;
  EXPECT_THAT(*minutes, HasSubstr("### Pouvoirs (1)"));
  EXPECT_THAT(*minutes, HasSubstr("E4 (`elected-4`) a donné pouvoir à E1 (`elected-1`)"));
  EXPECT_THAT(*minutes, HasSubstr("Quorum atteint : 3 présents, 3 requis (plus de la moitié des "
                                  "5 membres en exercice)"));
  EXPECT_THAT(*minutes, HasSubstr("voix prépondérante du président"));
  expectNoDivergence();
}

// Two present with a proxy each would make four votes, but only two members
// present: no quorum, whatever the proxies.
TEST_F(SeedRules, ProxiesNeverCountTowardTheQuorum) {
  openSud(5);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  for (int i = 1; i <= 4; ++i) vote("a", i, VoteChoice::Yes);
  cmd::CloseVote close;
  close.present = {"elected-1", "elected-2"};
  close.proxies = {{"elected-3", "elected-1"}, {"elected-4", "elected-2"}};
  ok("a", close);
  EXPECT_EQ(statusOf("a"), DossierStatus::Scored);  // adjourned
  auto adjourned = workflow_->loadDossier("a");
  ASSERT_TRUE(adjourned);
  EXPECT_TRUE(adjourned->adjournedAtMicros.has_value());
}

// CGCT L4132-14 (as "Règles de vote" summarises it): decisions by the
// majority of the votes cast ("suffrages exprimés"); abstentions do not
// count.
TEST_F(SeedRules, DecisionsByTheMajorityOfVotesCastAbstentionsAside) {
  openSud(5);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  vote("a", 1, VoteChoice::Yes);
  vote("a", 2, VoteChoice::Abstain);
  vote("a", 3, VoteChoice::Abstain);
  vote("a", 4, VoteChoice::Abstain);
  ok("a", presentAll(4));
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled) << "1 yes, 0 no, 3 abstentions: carried";
}


// A conflict awaiting a ruling holds the vote's close, adjournment included:
// nobody closes around a juror's pending recusal.
TEST_F(SeedRules, APendingConflictHoldsTheAdjournmentToo) {
  openSud(4);
  scored("a", sudApplication({"1"}, 0), 8);
  ASSERT_TRUE(campaign(kSud, ccmd::DeclareConflict{"elected-3", "a", ConflictSource::Juror}));
  at("2020-07-09T10:00:00");
  cmd::CloseVote few;
  few.present = {"elected-1"};
  refused("a", few, ErrorCode::RefusedByRule, "awaits a ruling");
}

// Where an award follows the vote, the close takes no amount: refused, not
// dropped.
TEST_F(SeedRules, AnAmountAtACloseThatDecidesNoMoneyIsRefused) {
  openSud(3, false);
  scored("a", sudApplication({"3"}, 10'000'000), 8);
  at("2020-07-09T10:00:00");
  for (int i = 1; i <= 3; ++i) vote("a", i, VoteChoice::Yes);
  cmd::CloseVote close = presentAll(3);
  close.amountCents = 1000;
  refused("a", close, ErrorCode::InvalidInput, "the vote's close takes no amount");
  ok("a", presentAll(3));
  EXPECT_EQ(statusOf("a"), DossierStatus::Voted);
}


// ------------------------------------------------------------ the label's auditions

constexpr const char* kLabelSeed = "label-territoire-innovant-2020";

class LabelSeedRules : public SeedRules {
 protected:
  void openLabel() {
    auto d = loadCampaignDefinition(std::string(PARCOURS_CAMPAIGNS_DIR) +
                                    "/label-territoire-innovant-2020.json");
    ASSERT_TRUE(d) << d.error().message;
    judging::JudgingRules& j = d->rules.judging;  // no draw, no round
    j.jurorsPerDossier = 0;
    j.normalisation = judging::NormalisationRule::None;
    j.minScoresPerJuror = 0;
    j.maxSpreadMilli = 0;
    at("2020-05-04T09:00:00");
    ASSERT_TRUE(campaign(kLabelSeed, ccmd::Open{*d}));
    ASSERT_TRUE(campaign(kLabelSeed, ccmd::AppointJury{{{"juror-1", "J1", JuryRole::Juror},
                                                        {"juror-2", "J2", JuryRole::Juror}}}));
    at("2020-05-10T10:00:00");
    submit("l1", kLabelSeed, parcours::testing::application("commune", 0));
    ok("l1", cmd::ConfirmEligibility{});
  }
  static std::int64_t paris(const std::string& local) {
    return engine::toMicros(parisTime(local));
  }
};

// Seed 002: "les candidats seront invités à pitcher lors d'une session en
// visio-conférence le 23 juin", "Horaires : 14h à 17h", "les auditions
// Hauts-de-France": a slot of the round's length inside its window, with its
// link; a dossier belongs to one round.
TEST_F(LabelSeedRules, AnAuditionSlotFitsTheRoundsWindowAndCarriesItsLink) {
  openLabel();
  const std::string link = "https://visio.example.org/l1";
  refused("l1", cmd::ScheduleAudition{paris("2020-06-23T13:59:00"), "", link},
          ErrorCode::RefusedByRule, "is outside the window of round \"hauts-de-france\"");
  // 16:55 + 6 minutes overflows 17:00.
  refused("l1", cmd::ScheduleAudition{paris("2020-06-23T16:55:00"), "", link},
          ErrorCode::RefusedByRule, "to 2020-06-23T17:01:00+02:00 (6 minutes) is outside");
  refused("l1", cmd::ScheduleAudition{paris("2020-06-23T14:00:00"), "occitanie", link},
          ErrorCode::InvalidInput, "\"occitanie\" is not a round");
  refused("l1", cmd::ScheduleAudition{paris("2020-06-23T14:00:00"), "", ""},
          ErrorCode::InvalidInput, "held by video conference: give the slot's link");
  ok("l1", cmd::ScheduleAudition{paris("2020-06-23T16:54:00"), "", link});
  auto d = workflow_->loadDossier("l1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->auditionRoundId, "hauts-de-france");
  EXPECT_EQ(d->auditionLink, link);
  expectNoDivergence();
}

// Seed 002: "Les auditions seront diffusées le jour de l'IntercoTOUR, le
// mardi 30 juin": a recorded milestone, once the round was heard.
TEST_F(LabelSeedRules, TheAuditionsAreBroadcastOnceHeld) {
  openLabel();
  const ccmd::RecordMilestone broadcast{ccmd::Milestone::AuditionsBroadcast, "", "web TV", ""};
  at("2020-06-23T16:00:00");
  auto early = campaign(kLabelSeed, broadcast);
  ASSERT_FALSE(early);
  EXPECT_THAT(early.error().message, HasSubstr("last until 2020-06-23T17:00:00+02:00"));
  at("2020-06-30T18:00:00");
  ASSERT_TRUE(campaign(kLabelSeed, broadcast));
  auto state = workflow_->loadCampaign(kLabelSeed);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->broadcasts.count("hauts-de-france"), 1u);
  auto again = campaign(kLabelSeed, broadcast);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  auto unknown = campaign(kLabelSeed, ccmd::RecordMilestone{ccmd::Milestone::AuditionsBroadcast,
                                                            "occitanie", "web TV", ""});
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("\"occitanie\" is not a round"));
}

// Seed 002: "Les lauréats sont invités au Forum national annuel des
// Interconnectés en février 2021 afin de présenter leur projet et recevoir
// leur Label": the label is awarded at the ceremony, not before; the
// laureates are published once the campaign has deliberated.
TEST_F(LabelSeedRules, TheLabelIsAwardedAtTheCeremonyNotBefore) {
  openLabel();
  ok("l1", cmd::ScheduleAudition{paris("2020-06-23T14:00:00"), "", "https://visio.example.org/l1"});
  at("2020-06-23T14:05:00");
  ok("l1", cmd::RecordAuditionHeld{});
  for (const char* juror : {"juror-1", "juror-2"}) {
    cmd::RecordScore score{juror, {}};
    for (const char* c : {"innovation", "users", "reproducibility", "mutualisation",
                          "efficiency_sobriety"}) {
      score.scores.push_back({c, 9});
    }
    ok("l1", score, juror);
  }
  ok("l1", cmd::CloseScoring{});
  const ccmd::RecordMilestone publish{ccmd::Milestone::LaureatesPublished, "", "", ""};
  auto tooSoon = campaign(kLabelSeed, publish);
  ASSERT_FALSE(tooSoon);
  EXPECT_THAT(tooSoon.error().message, HasSubstr("published once it has deliberated"));
  ASSERT_TRUE(campaign(kLabelSeed, ccmd::ChangePhase{Phase::SubmissionsClosed}));
  ASSERT_TRUE(campaign(kLabelSeed, ccmd::ChangePhase{Phase::Deliberation}));
  at("2020-06-30T16:00:00");
  ok("l1", cmd::CastVote{"juror-1", VoteChoice::Yes}, "juror-1");
  ok("l1", cmd::CastVote{"juror-2", VoteChoice::Yes}, "juror-2");
  ok("l1", cmd::CloseVote{});
  ASSERT_TRUE(campaign(kLabelSeed, publish));
  refused("l1", cmd::Award{0}, ErrorCode::RefusedByRule,
          "is awarded at its ceremony (Forum national annuel des Interconnectés, février 2021), "
          "not before");
  at("2021-02-04T10:00:00");
  ASSERT_TRUE(campaign(kLabelSeed, ccmd::RecordMilestone{ccmd::Milestone::CeremonyHeld, "",
                                                         "Forum national", ""}));
  ok("l1", cmd::Award{0});
  EXPECT_EQ(statusOf("l1"), DossierStatus::Labelled);
  expectNoDivergence();
}


// CGCT L4132-15 ("pouvoir écrit de voter en son nom"): the member holding the
// proxy casts the absent member's vote; the vote records who cast it, the
// close need not repeat it, and a holder casts one such vote.
TEST_F(SeedRules, TheHolderCastsTheAbsentMembersVote) {
  openSud(5);
  scored("a", sudApplication({"1"}, 0), 8);
  at("2020-07-09T10:00:00");
  vote("a", 1, VoteChoice::Yes);
  vote("a", 2, VoteChoice::Yes);
  vote("a", 3, VoteChoice::No);
  refused("a", cmd::CastVote{"elected-4", VoteChoice::Yes, "elected-4"}, ErrorCode::InvalidInput,
          "cannot hold their own proxy");
  ok("a", cmd::CastVote{"elected-4", VoteChoice::No, "elected-1"}, "elected-1");
  refused("a", cmd::CastVote{"elected-5", VoteChoice::Yes, "elected-1"}, ErrorCode::RefusedByRule,
          "a member holds at most one");
  cmd::CloseVote contradicting;
  contradicting.present = {"elected-1", "elected-2", "elected-3"};
  contradicting.proxies = {{"elected-4", "elected-2"}};
  refused("a", contradicting, ErrorCode::InvalidInput,
          "\"elected-4\" gave a proxy to \"elected-2\", but \"elected-1\" cast the vote by proxy");
  cmd::CloseVote close;
  close.present = {"elected-1", "elected-2", "elected-3"};
  ok("a", close);  // 2 yes, 2 no: the President's casting vote (yes) carries
  EXPECT_EQ(statusOf("a"), DossierStatus::Labelled);
  auto minutes = voteMinutes(*log_, "a", judging::Language::English);
  ASSERT_TRUE(minutes) << minutes.error().message;
  EXPECT_THAT(*minutes, HasSubstr("E4 (`elected-4`) gave a proxy to E1 (`elected-1`)"));
  expectNoDivergence();
}

}  // namespace
}  // namespace parcours::workflows
