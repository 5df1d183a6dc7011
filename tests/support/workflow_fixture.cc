#include "workflow_fixture.h"

#include "parcours/workflows/form_answers.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::testing {

using namespace workflows;

engine::Timestamp parisTime(const std::string& local) {
  auto micros = parseLocalTime(local, "Europe/Paris");
  EXPECT_TRUE(micros) << (micros ? "" : micros.error().message);
  return engine::fromMicros(micros ? *micros : 0);
}

CampaignRules labelRules() {
  CampaignRules r;
  r.name = "Test Label 2020";
  r.organiser = "Test Association";
  r.timeZone = "Europe/Paris";
  r.deadlineLocal = "2020-06-19T23:59:59";
  r.deadlineMicros = engine::toMicros(parisTime(r.deadlineLocal));
  r.eligibleApplicantKinds = {"commune", "communaute_de_communes"};
  r.requiredFields = {"applicant.name", "applicant.kind", "title", "contact.email"};
  r.auditionsHeld = true;
  r.criteria = {{"innovation", "Innovation", 0, 10, 2}, {"users", "Users", 0, 10, 1}};
  r.thresholdMilli = 6000;
  r.votingBody = VotingBody::Jury;
  r.quorumPercent = 50;
  r.majority = Majority::Simple;
  r.labelName = "Test Label";
  return r;
}

CampaignRules fundingRules() {
  CampaignRules r;
  r.name = "Test Funding Call 2020";
  r.organiser = "Test Region";
  r.timeZone = "Europe/Paris";
  r.deadlineLocal = "2020-06-03T23:59:59";
  r.deadlineMicros = engine::toMicros(parisTime(r.deadlineLocal));
  r.eligibleApplicantKinds = {"communaute_de_communes", "metropole"};
  r.requiredFields = {"applicant.name", "title", "requested_amount"};
  r.strands = {{"1", "Awareness"}, {"2", "Engineering"}};
  r.auditionsHeld = false;
  r.criteria = {{"quality", "Quality", 0, 10, 1}};
  r.thresholdMilli = 5000;
  r.votingBody = VotingBody::ElectedOfficials;
  r.quorumPercent = 50;
  r.majority = Majority::Simple;
  r.budgetEnvelopeCents = 100000;
  r.perDossierCapCents = 60000;
  return r;
}

Application application(const std::string& kind, std::int64_t requestedCents) {
  Application a;
  a.applicantName = "Fictional " + kind;
  a.applicantKind = kind;
  a.title = "A fictional project";
  a.summary = "Nothing real.";
  a.requestedCents = requestedCents;
  a.contact = {"Camille Exemple", "camille@example.org", "+33 1 00 00 00 00"};
  return a;
}

std::vector<JuryMember> threeJurors() {
  return {{"juror-1", "Juror One", JuryRole::Juror},
          {"juror-2", "Juror Two", JuryRole::Juror},
          {"juror-3", "Juror Three", JuryRole::Juror}};
}

std::vector<JuryMember> jurorsAndOfficials() {
  return {{"juror-1", "Juror One", JuryRole::Juror},
          {"juror-2", "Juror Two", JuryRole::Juror},
          {"official-1", "Official One", JuryRole::ElectedOfficial},
          {"official-2", "Official Two", JuryRole::ElectedOfficial},
          {"official-3", "Official Three", JuryRole::ElectedOfficial}};
}

WorkflowFixture::WorkflowFixture()
    : log_(openLog(dir_.path())), clock_(parisTime("2020-05-15T10:00:00")) {
  workflow_ = std::make_unique<Workflow>(*log_, clock_);
}

Result<store::AppendResult> WorkflowFixture::campaign(const std::string& id,
                                                      const CampaignCommand& c,
                                                      const std::string& reason) {
  return workflow_->campaign(id, c, {{"", "admin-1", "", ""}, reason});
}

Result<store::AppendResult> WorkflowFixture::dossier(const std::string& id, const DossierCommand& c,
                                                     const std::string& reason,
                                                     const std::string& actor) {
  return workflow_->dossier(id, c, {{"", actor, "", ""}, reason});
}

void WorkflowFixture::openCampaign(const std::string& id, const CampaignRules& rules,
                                   const std::vector<JuryMember>& members) {
  auto opened = campaign(id, campaign_command::Open{{id, rules}});
  ASSERT_TRUE(opened) << opened.error().message;
  auto appointed = campaign(id, campaign_command::AppointJury{members});
  ASSERT_TRUE(appointed) << appointed.error().message;
}

void WorkflowFixture::submit(const std::string& dossierId, const std::string& campaignId,
                             const Application& given) {
  Application a = given;
  if (a.answers.empty()) {
    auto campaign = workflow_->loadCampaign(campaignId);
    ASSERT_TRUE(campaign) << campaign.error().message;
    a.answers = sampleAnswers(campaign->rules().form, a);
  }
  auto submitted = dossier(dossierId, dossier_command::Submit{campaignId, a, {}}, "", "applicant-1");
  ASSERT_TRUE(submitted) << submitted.error().message;
}

std::vector<store::RecordedEvent> WorkflowFixture::allEvents() const {
  std::vector<store::RecordedEvent> all;
  constexpr std::size_t pageEvents = 10'000;  // under the log's per-read limit
  while (true) {
    auto page = log_->readAll(all.size() + 1, pageEvents);
    EXPECT_TRUE(page) << (page ? "" : page.error().message);
    if (!page || page->empty()) return all;
    for (auto& event : *page) all.push_back(std::move(event));
  }
}

}  // namespace parcours::testing
