// Test support for workflows: campaign rules built in code, applications,
// and a real log in a temp directory driven through the Workflow service
// with a manual clock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/workflows/workflow.h"
#include "temp_dir.h"

namespace parcours::testing {

// An instant written in Paris time ("2020-06-19T23:59:59"); fails the test
// when it does not parse.
engine::Timestamp parisTime(const std::string& local);

// The ids most tests give the two campaigns below.
inline constexpr const char* kLabel = "label-2020";
inline constexpr const char* kFunding = "funding-2020";

// A label campaign: auditions held, two criteria (innovation weight 2,
// users weight 1, scale 0-10), threshold 6.0, jury votes, quorum 50%,
// simple majority, label "Test Label", no budget, deadline
// 2020-06-19T23:59:59 Paris time, kinds commune and communaute_de_communes.
workflows::CampaignRules labelRules();
// A funding call: no auditions, one criterion (quality, 0-10), threshold
// 5.0, elected officials vote, envelope €1,000.00, per-dossier cap €600.00,
// strands "1" and "2", deadline 2020-06-03T23:59:59 Paris time.
workflows::CampaignRules fundingRules();

// A complete application of `kind` asking for `requestedCents`.
workflows::Application application(const std::string& kind = "commune",
                                   std::int64_t requestedCents = 50000);

class WorkflowFixture : public ::testing::Test {
 protected:
  WorkflowFixture();

  // Runs a command as `actor` with `reason`; the clock stands at `at`.
  Result<store::AppendResult> campaign(const std::string& id, const workflows::CampaignCommand& c,
                                       const std::string& reason = "test");
  Result<store::AppendResult> dossier(const std::string& id, const workflows::DossierCommand& c,
                                      const std::string& reason = "test",
                                      const std::string& actor = "instructor-1");

  // Opens `id` with `rules` and appoints `members`; asserts success.
  void openCampaign(const std::string& id, const workflows::CampaignRules& rules,
                    const std::vector<workflows::JuryMember>& members);
  // Submits `dossierId` to `campaignId` now; asserts success. An application
  // without answers gets the sample answers of the campaign's form
  // (sampleAnswers): the seeds' forms ask them, and most tests are about
  // something else.
  void submit(const std::string& dossierId, const std::string& campaignId,
              const workflows::Application& a = application());

  // Every event in the log, in order.
  std::vector<store::RecordedEvent> allEvents() const;

  TempDir dir_;
  std::unique_ptr<store::EventLog> log_;
  engine::ManualClock clock_;
  std::unique_ptr<workflows::Workflow> workflow_;
};

// Three jurors (juror-1..3) and, for the funding call, three elected officials.
std::vector<workflows::JuryMember> threeJurors();
std::vector<workflows::JuryMember> jurorsAndOfficials();

}  // namespace parcours::testing
