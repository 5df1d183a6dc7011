// The form of a campaign definition file ("form": docs/forms.md): JSON to
// Form and back. Private to parcours_domain; rules_json.cc calls both.
#pragma once

#include "domain/json_input.h"
#include "parcours/workflows/form.h"

namespace parcours::workflows {

// Reads "form" from the definition's top level, if present. The shape only
// (types, sizes, unknown fields); validateForm checks what it means.
void readForm(json_input::Fields& top, Form& form);

// The form as a definition file writes it; readForm gives it back.
json_input::Json formJson(const Form& form);

}  // namespace parcours::workflows
