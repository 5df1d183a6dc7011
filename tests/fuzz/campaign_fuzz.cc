// Campaign definition files, as `parcours campaign open FILE` and the HTTP
// API's open and amend read them: any text. A refusal is InvalidInput (or
// IoError when the time zone database cannot be read), never a crash; an
// accepted definition passes validateRules and survives the round trip
// through its schema form (what CampaignOpened records).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/domain_events.h"

namespace {

using namespace parcours;
using namespace parcours::workflows;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "campaign_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto definition = parseCampaignDefinition(text);
  if (!definition) {
    require(definition.error().code == ErrorCode::InvalidInput ||
                definition.error().code == ErrorCode::IoError,
            "a refused definition is InvalidInput");
    require(!definition.error().message.empty(), "a refusal says why");
    return 0;
  }
  const CampaignRules& rules = definition->rules;
  require(validateRules(rules).ok(), "an accepted definition passes validateRules");
  capnp::MallocMessageBuilder message;
  writeRules(rules, message.initRoot<schema::CampaignRules>());
  const std::string bytes = flattenMessage(message);
  auto reread = readPayload<schema::CampaignRules>(
      bytes, "rules",
      [](schema::CampaignRules::Reader in) -> Result<CampaignRules> { return readRules(in); });
  require(reread.ok() && *reread == rules, "rules survive their schema form");
  (void)formatEuros(rules.budgetEnvelopeCents);
  (void)formatEuros(rules.perDossierCapCents);
  return 0;
}
