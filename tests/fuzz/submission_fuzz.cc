// Submission files, as `parcours dossier submit CAMPAIGN DOSSIER FILE`
// reads them: any text. A refusal is InvalidInput, never a crash; an
// accepted application passes the same shape checks when it arrives
// another way (validateApplication, the API's path) and survives its schema
// form (DossierSubmitted) and the sealed contact's encoding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier.h"

namespace {

using namespace parcours;
using namespace parcours::workflows;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "submission_fuzz: %s\n", what);
  std::abort();
}

// A campaign that requires every application field.
CampaignRules requiringEverything() {
  CampaignRules rules;
  rules.requiredFields = applicationFieldNames();
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto application = parseApplication(text);
  if (!application) {
    require(application.error().code == ErrorCode::InvalidInput, "a refusal is InvalidInput");
    require(!application.error().message.empty(), "a refusal says why");
    return 0;
  }
  const Application& a = *application;
  require(validateApplication(a).ok(), "an accepted file passes validateApplication");
  static const CampaignRules rules = requiringEverything();
  (void)missingFields(a, rules);
  (void)filledContactFields(a.contact);

  capnp::MallocMessageBuilder message;
  writeApplication(a, message.initRoot<schema::Application>());
  const std::string bytes = flattenMessage(message);
  auto reread = readPayload<schema::Application>(
      bytes, "application",
      [](schema::Application::Reader in) -> Result<Application> { return readApplication(in); });
  require(reread.ok() && reread->applicantName == a.applicantName &&
              reread->applicantKind == a.applicantKind && reread->title == a.title &&
              reread->summary == a.summary && reread->strands == a.strands &&
              reread->requestedCents == a.requestedCents,
          "an application survives its schema form");
  auto contact = decodeContact(encodeContact(a.contact));
  require(contact.ok() && contact->name == a.contact.name && contact->email == a.contact.email &&
              contact->phone == a.contact.phone,
          "a contact survives its sealed encoding");
  return 0;
}
