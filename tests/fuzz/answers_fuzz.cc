// Answers to a form (docs/forms.md), as a submission carries them: any
// text, checked against both seeds' forms for applications asking each
// strand. A refusal is InvalidInput listing its problems at JSON Pointers
// under /answers, never a crash; accepted answers pass the check a recorded
// submission passes again (its decision, its replay) with the personal ones
// known only by their pointers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/form_answers.h"

namespace {

using namespace parcours;
using namespace parcours::workflows;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "answers_fuzz: %s\n", what);
  std::abort();
}

struct Case {
  Form form;
  Application application;
};

std::vector<Case> seedCases() {
  std::vector<Case> cases;
  for (const char* file : {"parcours-sud-smart-territoires-2020.json", "label-territoire-innovant-2020.json"}) {
    auto seed = loadCampaignDefinition(std::string(PARCOURS_CAMPAIGNS_DIR) + "/" + file);
    require(seed.ok(), "the seeds load");
    Application a;
    a.applicantKind = seed->rules.eligibleApplicantKinds.front();
    cases.push_back({seed->rules.form, a});
    for (const Strand& s : seed->rules.strands) {
      a.strands = {s.id};
      cases.push_back({seed->rules.form, a});
    }
  }
  return cases;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Case> cases = seedCases();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const Case& c : cases) {
    auto checked = checkAnswers(c.form, c.application, text);
    if (!checked) {
      const Error& e = checked.error();
      require(e.code == ErrorCode::InvalidInput, "a refusal is InvalidInput");
      require(!e.problems.empty(), "a refusal lists its problems");
      for (const FieldProblem& p : e.problems) {
        require(p.pointer.rfind("/answers", 0) == 0, "every problem is at a pointer under /answers");
        require(!p.message.empty(), "every problem says what is wrong");
      }
      continue;
    }
    require(checkRecordedAnswers(c.form, c.application, checked->publicJson,
                                 checked->personalPointers)
                .ok(),
            "accepted answers pass the recorded check");
  }
  return 0;
}
