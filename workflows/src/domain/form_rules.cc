// What a form means (docs/forms.md): ids, options per type, conditions that
// name a field that exists, with values it can hold, and never a cycle.
// validateRules calls validateForm for rules from files and from code alike.
#include <algorithm>
#include <map>
#include <set>

#include "domain/json_input.h"
#include "parcours/workflows/campaign_rules.h"

namespace parcours::workflows {
namespace {

using json_input::fieldError;
using json_input::inQuotes;

using workflows::formFieldsMax;
constexpr std::uint32_t shortTextDefault = 200;
constexpr std::uint32_t shortTextMax = 1'000;
constexpr std::uint32_t longTextDefault = 10'000;
constexpr std::uint32_t longTextMax = 100'000;

constexpr std::string_view typeNames[] = {"short_text", "long_text", "integer", "amount",
                                          "date",       "email",     "phone",   "siren",
                                          "siret",      "choice",    "choices", "yes_no",
                                          "group",      "attachment"};

// Field, section and choice ids: they are keys of the answers and parts of
// JSON Pointers, so no "/" or "~", and lower case to read the same
// everywhere.
Status checkFormId(const std::string& path, std::string_view id) {
  const bool wellFormed =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (wellFormed) return okStatus();
  return fieldError(path, inQuotes(id) + " is not an id: 1 to 64 of a-z, 0-9 and \"_\"");
}

Status checkChoiceValue(const std::string& path, std::string_view value) {
  const bool wellFormed =
      !value.empty() && value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  if (wellFormed) return okStatus();
  return fieldError(path, inQuotes(value) + " is not a choice value: 1 to 64 of a-z, 0-9, \"_\" "
                                            "and \"-\"");
}

Status checkLabel(const std::string& path, std::string_view label, bool required) {
  if (required && json_input::isBlank(label)) return fieldError(path, "must not be empty");
  if (label.find('\0') != std::string_view::npos) return fieldError(path, "holds a NUL byte");
  return okStatus();
}

bool takesChoices(FieldType t) { return t == FieldType::Choice || t == FieldType::Choices; }
bool takesLength(FieldType t) { return t == FieldType::ShortText || t == FieldType::LongText; }
bool takesBounds(FieldType t) { return t == FieldType::Integer || t == FieldType::Amount; }

class FormChecker {
 public:
  explicit FormChecker(const CampaignRules& rules) : rules_(rules) {}

  Status check(const Form& form) {
    std::set<std::string> sections;
    for (std::size_t s = 0; s < form.sections.size(); ++s) {
      const FormSection& section = form.sections[s];
      const std::string path = json_input::itemPath("form.sections", s);
      if (auto st = checkFormId(path + ".id", section.id); !st) return st;
      if (!sections.insert(section.id).second) {
        return fieldError(path + ".id", inQuotes(section.id) + " names two sections");
      }
      if (auto st = checkLabel(path + ".title", section.title, true); !st) return st;
      if (auto st = checkLabel(path + ".title_en", section.titleEn, false); !st) return st;
      if (section.fields.empty()) return fieldError(path + ".fields", "is empty");
      for (std::size_t f = 0; f < section.fields.size(); ++f) {
        const std::string at = json_input::itemPath(path + ".fields", f);
        if (auto st = checkField(at, section.fields[f], topIds_, false); !st) return st;
      }
    }
    // Conditions once every top-level field is known: one may name a field
    // of a later section (a form is answered in any order).
    for (const Conditioned& c : conditioned_) {
      if (auto st = checkCondition(c.path, *c.field, c.inGroup); !st) return st;
    }
    return checkNoCycle();
  }

 private:
  Status checkField(const std::string& path, const FormField& f, std::set<std::string>& ids,
                    bool inGroup) {
    if (++fieldCount_ > formFieldsMax) {
      return fieldError(path, "the form has more than " + std::to_string(formFieldsMax) + " fields");
    }
    if (auto st = checkFormId(path + ".id", f.id); !st) return st;
    if (!ids.insert(f.id).second) {
      return fieldError(path + ".id", inQuotes(f.id) + " names two fields" +
                                          (inGroup ? " of the group" : " of the form"));
    }
    if (auto st = checkLabel(path + ".label", f.label, true); !st) return st;
    if (auto st = checkLabel(path + ".label_en", f.labelEn, false); !st) return st;
    if (auto st = checkLabel(path + ".help", f.help, false); !st) return st;
    const std::string type(fieldTypeName(f.type));
    if (f.maxLength != 0) {
      if (!takesLength(f.type)) return notFor(path + ".max_length", type);
      const std::uint32_t max = f.type == FieldType::ShortText ? shortTextMax : longTextMax;
      if (auto st = json_input::checkRange(path + ".max_length", f.maxLength, 1, max); !st) {
        return st;
      }
    }
    if ((f.min || f.max) && !takesBounds(f.type)) {
      return notFor(path + (f.min ? ".min" : ".max"), type);
    }
    if (f.min && f.max && *f.min > *f.max) {
      return fieldError(path + ".min", std::to_string(*f.min) + " is above max " +
                                           std::to_string(*f.max));
    }
    if (f.type == FieldType::Amount && f.min && *f.min < 0) {
      return fieldError(path + ".min", "an amount is never negative");
    }
    if (f.type == FieldType::Amount && f.max && *f.max < 0) {
      return fieldError(path + ".max", "an amount is never negative");
    }
    if (takesChoices(f.type)) {
      if (auto st = checkChoices(path, f); !st) return st;
    } else if (!f.choices.empty()) {
      return notFor(path + ".choices", type);
    }
    if (f.type == FieldType::Group) {
      if (f.personal) return fieldError(path + ".personal", "a group is not personal; its fields may be");
      if (f.fields.empty()) return fieldError(path + ".fields", "a group needs fields");
      if (f.maxItems == 0) return fieldError(path + ".max_items", "must be at least 1");
      if (f.minItems > f.maxItems) {
        return fieldError(path + ".min_items", std::to_string(f.minItems) +
                                                   " is above max_items " +
                                                   std::to_string(f.maxItems));
      }
      std::set<std::string> childIds;
      for (std::size_t i = 0; i < f.fields.size(); ++i) {
        const std::string at = json_input::itemPath(path + ".fields", i);
        if (f.fields[i].type == FieldType::Group) {
          return fieldError(at + ".type", "a group's item cannot hold another group");
        }
        if (auto st = checkField(at, f.fields[i], childIds, true); !st) return st;
      }
    } else if (f.type == FieldType::Attachment) {
      if (auto st = checkAttachment(path, f, inGroup); !st) return st;
    } else if (!f.fields.empty() || f.minItems != 0 || f.maxItems != 0) {
      return notFor(path + (f.fields.empty() ? ".max_items" : ".fields"), type);
    }
    if (f.type != FieldType::Attachment &&
        (!f.kind.empty() || !f.contentTypes.empty() || f.maxBytes != 0)) {
      return notFor(path + (!f.kind.empty() ? ".kind" : !f.contentTypes.empty() ? ".content_types"
                                                                                 : ".max_bytes"),
                    type);
    }
    if (!f.when.field.empty()) {
      conditioned_.push_back({path, &f, inGroup});
    } else if (!f.when.values.empty()) {
      return fieldError(path + ".when.field", "must not be empty");
    }
    if (!inGroup) fieldsById_[f.id] = &f;
    return okStatus();
  }

  Status checkChoices(const std::string& path, const FormField& f) {
    if (f.choices.size() < 2) {
      return fieldError(path + ".choices", "a choice needs at least 2 choices, got " +
                                               std::to_string(f.choices.size()));
    }
    std::set<std::string> values;
    for (std::size_t i = 0; i < f.choices.size(); ++i) {
      const std::string at = json_input::itemPath(path + ".choices", i);
      if (auto st = checkChoiceValue(at + ".value", f.choices[i].value); !st) return st;
      if (!values.insert(f.choices[i].value).second) {
        return fieldError(at + ".value", inQuotes(f.choices[i].value) + " is listed twice");
      }
      if (auto st = checkLabel(at + ".label", f.choices[i].label, true); !st) return st;
      if (auto st = checkLabel(at + ".label_en", f.choices[i].labelEn, false); !st) return st;
    }
    return okStatus();
  }

  // Documents are sealed with the dossier's key whatever the field says, and
  // stand beside the answers: one level, no repetition inside a group.
  static Status checkAttachment(const std::string& path, const FormField& f, bool inGroup) {
    if (inGroup) return fieldError(path + ".type", "a group's item cannot hold an attachment");
    if (f.personal) {
      return fieldError(path + ".personal",
                        "does not apply to an attachment: documents are always sealed");
    }
    if (!f.fields.empty() || f.minItems != 0) {
      return notFor(path + (f.fields.empty() ? ".min_items" : ".fields"), "attachment");
    }
    if (f.maxItems == 0) return fieldError(path + ".max_items", "must be at least 1");
    if (auto st = checkFormId(path + ".kind", f.kind); !st) return st;
    if (f.contentTypes.empty()) {
      return fieldError(path + ".content_types",
                        "names no content type (e.g. \"application/pdf\")");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < f.contentTypes.size(); ++i) {
      const std::string& t = f.contentTypes[i];
      const std::string at = json_input::itemPath(path + ".content_types", i);
      const auto slash = t.find('/');
      const bool wellFormed =
          slash != std::string::npos && slash > 0 && slash + 1 < t.size() && t.size() <= contentTypeBytesMax &&
          std::all_of(t.begin(), t.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
                   c == '.' || c == '+';
          });
      if (!wellFormed) {
        return fieldError(at, inQuotes(t) + " is not a content type (type/subtype, lower case)");
      }
      if (!seen.insert(t).second) return fieldError(at, inQuotes(t) + " is listed twice");
    }
    if (f.maxBytes > documentBytesCeiling) {
      return fieldError(path + ".max_bytes", std::to_string(f.maxBytes) + " is over " +
                                                 std::to_string(documentBytesCeiling) +
                                                 " bytes, the most a file may be");
    }
    return okStatus();
  }

  static Status notFor(const std::string& path, const std::string& type) {
    return fieldError(path, "does not apply to a field of type " + inQuotes(type));
  }

  // The values a condition may test: the named field's.
  Status checkCondition(const std::string& path, const FormField& f, bool inGroup) {
    const std::string at = path + ".when";
    const FieldCondition& when = f.when;
    if (when.values.empty()) return fieldError(at + ".is", "names no value");
    std::vector<std::string> allowed;
    if (when.field == conditionOnStrands) {
      for (const Strand& s : rules_.strands) allowed.push_back(s.id);
      if (allowed.empty()) {
        return fieldError(at + ".field", "\"strands\": the campaign has no strands");
      }
    } else if (when.field == conditionOnApplicantKind) {
      allowed = rules_.eligibleApplicantKinds;
    } else {
      auto it = fieldsById_.find(when.field);
      if (it == fieldsById_.end()) {
        return fieldError(at + ".field", inQuotes(when.field) +
                                             " names no field of the form outside a group (nor "
                                             "\"strands\" or \"applicant.kind\")");
      }
      const FormField& named = *it->second;
      if (&named == &f) return fieldError(at + ".field", "a field cannot depend on itself");
      if (named.personal) {
        return fieldError(at + ".field", inQuotes(when.field) +
                                             " is personal: a condition cannot read it (it is "
                                             "sealed, and replay decides without the key)");
      }
      if (named.type == FieldType::YesNo) {
        allowed = {"yes", "no"};
      } else if (takesChoices(named.type)) {
        for (const FormChoice& c : named.choices) allowed.push_back(c.value);
      } else {
        return fieldError(at + ".field", inQuotes(when.field) + " is a " +
                                             std::string(fieldTypeName(named.type)) +
                                             " field: a condition names a choice, a yes/no, "
                                             "\"strands\" or \"applicant.kind\"");
      }
      // A group's field cannot be named by a condition: it closes no cycle.
      if (!inGroup) dependsOn_[f.id] = named.id;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < when.values.size(); ++i) {
      const std::string& v = when.values[i];
      const std::string vat = json_input::itemPath(at + ".is", i);
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return fieldError(vat, inQuotes(v) + " is not a value of " + inQuotes(when.field) + " (" +
                                   list + ")");
      }
      if (!seen.insert(v).second) return fieldError(vat, inQuotes(v) + " is listed twice");
    }
    return okStatus();
  }

  // Each top-level field depends on at most one other: following the chain
  // from any field either ends or comes back. Group items' fields depend
  // only on top-level ones, so they close no cycle.
  Status checkNoCycle() const {
    for (const auto& [start, next] : dependsOn_) {
      std::string chain = start;
      std::string at = next;
      for (std::size_t steps = 0; steps <= dependsOn_.size(); ++steps) {
        chain += " -> " + at;
        if (at == start) {
          return fieldError("form", "the conditions form a cycle: " + chain +
                                        " (no field of it could ever be shown)");
        }
        auto it = dependsOn_.find(at);
        if (it == dependsOn_.end()) break;
        at = it->second;
      }
    }
    return okStatus();
  }

  const CampaignRules& rules_;
  std::size_t fieldCount_ = 0;
  std::set<std::string> topIds_;
  std::map<std::string, const FormField*, std::less<>> fieldsById_;
  struct Conditioned {
    std::string path;
    const FormField* field;
    bool inGroup;
  };
  std::vector<Conditioned> conditioned_;
  std::map<std::string, std::string> dependsOn_;  // field id -> the field its condition reads
};

}  // namespace

std::string_view fieldTypeName(FieldType type) {
  return typeNames[static_cast<std::size_t>(type)];
}

std::optional<FieldType> parseFieldType(std::string_view name) {
  for (std::size_t i = 0; i < std::size(typeNames); ++i) {
    if (typeNames[i] == name) return static_cast<FieldType>(i);
  }
  return std::nullopt;
}

const std::vector<std::string_view>& fieldTypeNames() {
  static const std::vector<std::string_view> names(std::begin(typeNames), std::end(typeNames));
  return names;
}

bool FormField::operator==(const FormField& o) const {
  return id == o.id && label == o.label && labelEn == o.labelEn && help == o.help &&
         type == o.type && required == o.required && personal == o.personal &&
         maxLength == o.maxLength && min == o.min && max == o.max && choices == o.choices &&
         when == o.when && fields == o.fields && minItems == o.minItems && maxItems == o.maxItems &&
         kind == o.kind && contentTypes == o.contentTypes && maxBytes == o.maxBytes;
}

const FormField* Form::field(std::string_view id) const {
  for (const FormSection& s : sections) {
    for (const FormField& f : s.fields) {
      if (f.id == id) return &f;
    }
  }
  return nullptr;
}

std::uint32_t maxLengthOf(const FormField& field) {
  if (field.maxLength != 0) return field.maxLength;
  return field.type == FieldType::LongText ? longTextDefault : shortTextDefault;
}

Status validateForm(const CampaignRules& rules) {
  if (rules.form.empty()) return okStatus();
  return FormChecker(rules).check(rules.form);
}

}  // namespace parcours::workflows
