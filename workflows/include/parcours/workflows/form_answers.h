// An applicant's answers to a campaign's form (docs/forms.md, "Answers"):
// checked against the form, every problem at once, each named by its JSON
// Pointer; normalised (a phone in E.164); split into what the log keeps in
// clear and the personal answers, which are sealed with the dossier's key.
//
// C++17 on purpose: the Boost.MSM translation unit includes it (the
// submission's guard re-checks the recorded answers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/form.h"

namespace parcours::workflows {

struct Application;

// Answers as a submission records them.
struct CheckedAnswers {
  // Canonical JSON (sorted keys, no spaces) of the answers that are not
  // personal, shaped as given: {"objectifs": "...", "communes": [{...}]}.
  // "" when the campaign has no form and none were given.
  std::string publicJson;
  // Canonical JSON of the personal answers, keyed by their pointer:
  // {"/referent_telephone": "+33612345678"}. Plaintext: the workflow
  // service seals it before the decision. "" when there are none.
  std::string personalJson;
  // The pointers of the personal answers given ("/referent_telephone",
  // "/partenaires/0/contact"), sorted: a later check of required fields
  // needs only these, never the plaintext or the key.
  std::vector<std::string> personalPointers;
};

// Checks `answersJson` (a JSON object, the answers an applicant gave) against
// `form`, with `application` for conditions on its strands or kind.
// InvalidInput listing every problem (Error::problems, pointers under
// "/answers") when any; the checked answers otherwise. A campaign without a
// form takes no answers ("" or "{}").
Result<CheckedAnswers> checkAnswers(const Form& form, const Application& application,
                                    std::string_view answersJson);

// The check a draft's save makes (drafts.h): every answer given has the
// type and shape checkAnswers wants, but nothing is required yet, a group
// may have fewer items than its minimum, and answers to fields the form
// does not show now are kept, unchecked by their condition (the applicant
// may change back the answer that hides them); the submission checks all.
Status checkDraftAnswers(const Form& form, const Application& application,
                         std::string_view answersJson);

// The check a recorded submission passes again (its decision and replay): the
// clear answers' values, and every required answer present, the personal
// ones by their pointers. No plaintext personal answer may be in `publicJson`.
Status checkRecordedAnswers(const Form& form, const Application& application,
                            std::string_view publicJson,
                            const std::vector<std::string>& personalPointers);

// A complete set of answers `checkAnswers` accepts for an application of
// `application`'s strands and kind, as a JSON object's text: every field
// shown, each with a plain value of its type (the first choice, yes, the
// lower bound, one item per group, fictional contact details). What `parcours
// form sample` prints for an applicant to start from, and what the demo
// and the tests submit.
std::string sampleAnswers(const Form& form, const Application& application);

// The associated data a dossier's personal answers are sealed under:
// "<dossierId>/answers".
std::string answersSealContext(std::string_view dossierId);

}  // namespace parcours::workflows
