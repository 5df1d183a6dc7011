#include "bench_campaign.h"

namespace parcours::bench {
namespace cmd = workflows::dossier_command;

workflows::CampaignRules benchRules() {
  workflows::CampaignRules r;
  r.name = "Bench call";
  r.organiser = "parcours bench";
  r.timeZone = "UTC";
  r.deadlineLocal = "2020-06-30T23:59:59";
  r.deadlineMicros = 1593561599000000;
  r.eligibleApplicantKinds = {"commune"};
  r.requiredFields = {"applicant.name", "title"};
  r.criteria = {{"quality", "Quality", 0, 10, 1}};
  r.thresholdMilli = 5000;
  return r;
}

workflows::Application benchApplication() {
  workflows::Application a;
  a.applicantName = "Bench commune";
  a.applicantKind = "commune";
  a.title = "A benchmark dossier";
  a.summary = std::string(200, 's');
  a.requestedCents = 100000;
  a.contact = {"Bench Contact", "bench@example.org", "+33 1 00 00 00 00"};
  return a;
}

Status openBenchCampaign(workflows::Workflow& workflow, const std::string& campaignId,
                         const workflows::CampaignRules& rules) {
  const workflows::CommandContext admin{{"", "bench-admin", "", ""}, "bench"};
  if (auto r = workflow.campaign(
          campaignId, workflows::campaign_command::Open{{campaignId, rules}}, admin);
      !r) {
    return r.error();
  }
  if (auto r = workflow.campaign(campaignId,
                                 workflows::campaign_command::AppointJury{
                                     {{"juror-1", "Juror One", workflows::JuryRole::Juror},
                                      {"juror-2", "Juror Two", workflows::JuryRole::Juror}}},
                                 admin);
      !r) {
    return r.error();
  }
  return okStatus();
}

std::vector<workflows::DossierCommand> benchDossierScript(const std::string& campaignId) {
  return {cmd::Submit{campaignId, benchApplication()}, cmd::ConfirmEligibility{},
          cmd::RecordScore{"juror-1", {{"quality", 7}}},
          cmd::RecordScore{"juror-2", {{"quality", 6}}}, cmd::CloseScoring{}};
}

}  // namespace parcours::bench
