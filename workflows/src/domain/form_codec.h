// The form (parcours/workflows/form.h) as the rules' Cap'n Proto struct
// carries it (events.capnp, CampaignRules.form). Private to parcours_domain.
#pragma once

#include "parcours/workflows/form.h"
#include "parcours/workflows/schema/events.capnp.h"

namespace parcours::workflows {

void writeFormMessage(const Form& form, schema::Form::Builder out);
Form readFormMessage(schema::Form::Reader in);

}  // namespace parcours::workflows
