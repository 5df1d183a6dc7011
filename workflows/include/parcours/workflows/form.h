// A campaign's application form (docs/forms.md): sections of typed fields,
// some shown only when another answer says so, some holding personal data.
//
// The form is part of the campaign's rules (CampaignRules::form), so it is
// versioned with them: an amendment records a new form, and a dossier is
// decided, replayed and shown under the rules version it was submitted
// under. An empty form (no sections) is a campaign without one: its
// dossiers are the fixed application fields only.
//
// C++17 on purpose: campaign_rules.h includes it, and the Boost.MSM
// translation unit includes that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::workflows {

enum class FieldType : std::uint8_t {
  ShortText,  // one line, max_length bytes (default 200)
  LongText,   // paragraphs, max_length bytes (default 10,000)
  Integer,    // a whole number within [min, max]
  Amount,     // money in cents within [min, max]
  Date,       // a civil date, "2020-06-03"
  Email,      // name@domain, one line
  Phone,      // any way people write it; recorded in E.164 ("+33782881679")
  Siren,      // 9 digits, Luhn
  Siret,      // 14 digits, Luhn (the SIREN and an establishment number)
  Choice,     // one of `choices`
  Choices,    // any of `choices`, each once
  YesNo,      // true or false
  Group,      // repeated: a list of items, each answering `fields`
  // Documents of a kind ("délibération", "budget prévisionnel"): answered by
  // uploading files (docs/documents.md), not in the answers.
  Attachment,
};
// "short_text", "long_text", "integer", "amount", "date", "email", "phone",
// "siren", "siret", "choice", "choices", "yes_no", "group", "attachment".
std::string_view fieldTypeName(FieldType type);
std::optional<FieldType> parseFieldType(std::string_view name);
// Every type name, in declaration order, for messages and `form show`.
const std::vector<std::string_view>& fieldTypeNames();

struct FormChoice {
  std::string value;  // what an answer holds: [a-z0-9_-], 1 to 64
  std::string label;  // French, as the call writes it
  std::string labelEn;
  bool operator==(const FormChoice& o) const {
    return value == o.value && label == o.label && labelEn == o.labelEn;
  }
};

// "Shown and required only when `field` is one of `values`": the answer of
// a choice or yes/no field ("yes", "no"), any of a multiple choice, or, for
// the application's own "strands" and "applicant.kind", the strand ids or
// the kind asked. An empty `field` is no condition.
struct FieldCondition {
  std::string field;
  std::vector<std::string> values;
  bool operator==(const FieldCondition& o) const {
    return field == o.field && values == o.values;
  }
};

struct FormField {
  std::string id;  // [a-z0-9_], 1 to 64: the answer's key
  std::string label;
  std::string labelEn;
  std::string help;  // shown under the field; empty: none
  FieldType type = FieldType::ShortText;
  bool required = false;
  // Personal data: sealed with the dossier's key, like the contact, erased
  // with it, never in a view that is not the dossier's own.
  bool personal = false;
  std::uint32_t maxLength = 0;  // texts: bytes; 0 for other types
  std::optional<std::int64_t> min;  // integer, amount (cents)
  std::optional<std::int64_t> max;
  std::vector<FormChoice> choices;  // choice, choices
  FieldCondition when;
  std::vector<FormField> fields;  // group: what each item answers (no group in a group)
  std::uint32_t minItems = 0;     // group
  std::uint32_t maxItems = 0;     // group: at least 1; attachment: files, at least 1
  // attachment: what the documents are ("deliberation"), their content
  // types as the bytes say (libmagic: "application/pdf"), at least one,
  // and the largest file in bytes (0: the server's limit).
  std::string kind;
  std::vector<std::string> contentTypes;
  std::uint64_t maxBytes = 0;
  bool operator==(const FormField& o) const;
};

struct FormSection {
  std::string id;  // [a-z0-9_], 1 to 64
  std::string title;
  std::string titleEn;
  std::vector<FormField> fields;
  bool operator==(const FormSection& o) const {
    return id == o.id && title == o.title && titleEn == o.titleEn && fields == o.fields;
  }
};

struct Form {
  std::vector<FormSection> sections;  // empty: the campaign has no form
  bool empty() const { return sections.empty(); }
  // The top-level field (in any section) with this id; null when none.
  const FormField* field(std::string_view id) const;
  bool operator==(const Form& o) const { return sections == o.sections; }
};

// A text field's limit in bytes: its max_length, or the type's default
// (200 for a short text, 10,000 for a long one).
std::uint32_t maxLengthOf(const FormField& field);

// The form as a definition file writes it ("form": {...}), pretty-printed
// with two spaces: `parcours form show --json`.
std::string formDefinitionJson(const Form& form);

// The application's own fields a condition may name besides the form's.
inline constexpr std::string_view conditionOnStrands = "strands";
inline constexpr std::string_view conditionOnApplicantKind = "applicant.kind";

}  // namespace parcours::workflows
