// "form": {"sections": [{"id", "title", "title_en", "fields": [...]}]}, each
// field {"id", "type", "label", "label_en", "help", "required", "personal",
// "max_length", "min", "max", "choices", "when", "fields", "min_items",
// "max_items"}: docs/forms.md. Which options a type takes is validateForm's
// to check, so both files and rules built in code meet the same rules.
#include "domain/form_json.h"

namespace parcours::workflows {
namespace {

using json_input::Fields;
using json_input::Json;
using json_input::optional;
using json_input::required;

constexpr std::size_t labelBytesMax = 1'000;
constexpr std::size_t helpBytesMax = 4'000;

void readCondition(Fields& field, FieldCondition& when) {
  Fields w = field.object("when", optional, {"field", "is"});
  if (!w.present()) return;
  when.field = w.string("field", required, 128);
  when.values = w.strings("is", required);
}

FormField readField(Fields& f, int depth) {
  FormField field;
  field.id = f.string("id", required, 64);
  const std::string type = f.string("type", required, 32);
  if (auto parsed = parseFieldType(type)) {
    field.type = *parsed;
  } else if (!f.failed()) {
    std::string known;
    for (std::string_view name : fieldTypeNames()) {
      known += (known.empty() ? "" : ", ") + std::string(name);
    }
    f.fail(json_input::fieldPath(f.path(), "type"),
           json_input::inQuotes(type) + " is not a field type (" + known +
               ")");
  }
  field.label = f.string("label", required, labelBytesMax);
  field.labelEn = f.string("label_en", optional, labelBytesMax);
  field.help = f.string("help", optional, helpBytesMax);
  field.required = f.has("required") && f.boolean("required", required);
  field.personal = f.has("personal") && f.boolean("personal", required);
  field.maxLength = static_cast<std::uint32_t>(f.integer("max_length", optional, 1, 100'000));
  if (f.has("min")) field.min = f.integer("min", required, -json_input::centsMax, json_input::centsMax);
  if (f.has("max")) field.max = f.integer("max", required, -json_input::centsMax, json_input::centsMax);
  for (Fields& c : f.objects("choices", optional, {"value", "label", "label_en"})) {
    FormChoice choice;
    choice.value = c.string("value", required, 64);
    choice.label = c.string("label", required, labelBytesMax);
    choice.labelEn = c.string("label_en", optional, labelBytesMax);
    field.choices.push_back(std::move(choice));
  }
  readCondition(f, field.when);
  if (f.has("fields") && depth > 0 && !f.failed()) {
    f.fail(json_input::fieldPath(f.path(), "fields"),
           "a group's item cannot hold another group (one level of repetition)");
  }
  for (Fields& child : f.objects("fields", optional,
                                 {"id", "type", "label", "label_en", "help", "required", "personal",
                                  "max_length", "min", "max", "choices", "when", "fields",
                                  "min_items", "max_items", "kind", "content_types", "max_bytes"})) {
    field.fields.push_back(readField(child, depth + 1));
  }
  field.minItems = static_cast<std::uint32_t>(f.integer("min_items", optional, 0, 1'000));
  field.maxItems = static_cast<std::uint32_t>(f.integer("max_items", optional, 1, 1'000));
  if (field.type == FieldType::Group && !f.has("max_items")) field.maxItems = 20;
  if (field.type == FieldType::Attachment && !f.has("max_items")) field.maxItems = 1;
  field.kind = f.string("kind", optional, 64);
  field.contentTypes = f.strings("content_types", optional);
  field.maxBytes = static_cast<std::uint64_t>(f.integer("max_bytes", optional, 1, documentBytesCeiling));
  return field;
}

Json choiceJson(const FormChoice& c) {
  Json out = {{"value", c.value}, {"label", c.label}};
  if (!c.labelEn.empty()) out["label_en"] = c.labelEn;
  return out;
}

Json fieldJson(const FormField& f) {
  Json out = {{"id", f.id}, {"type", std::string(fieldTypeName(f.type))}, {"label", f.label}};
  if (!f.labelEn.empty()) out["label_en"] = f.labelEn;
  if (!f.help.empty()) out["help"] = f.help;
  if (f.required) out["required"] = true;
  if (f.personal) out["personal"] = true;
  if (f.maxLength != 0) out["max_length"] = f.maxLength;
  if (f.min) out["min"] = *f.min;
  if (f.max) out["max"] = *f.max;
  if (!f.choices.empty()) {
    Json choices = Json::array();
    for (const FormChoice& c : f.choices) choices.push_back(choiceJson(c));
    out["choices"] = std::move(choices);
  }
  if (!f.when.field.empty()) out["when"] = {{"field", f.when.field}, {"is", f.when.values}};
  if (f.type == FieldType::Group) {
    Json fields = Json::array();
    for (const FormField& child : f.fields) fields.push_back(fieldJson(child));
    out["fields"] = std::move(fields);
    if (f.minItems != 0) out["min_items"] = f.minItems;
    out["max_items"] = f.maxItems;
  }
  if (f.type == FieldType::Attachment) {
    out["kind"] = f.kind;
    out["content_types"] = f.contentTypes;
    if (f.maxBytes != 0) out["max_bytes"] = f.maxBytes;
    if (f.maxItems != 1) out["max_items"] = f.maxItems;
  }
  return out;
}

}  // namespace

void readForm(Fields& top, Form& form) {
  Fields f = top.object("form", optional, {"sections"});
  if (!f.present()) return;
  for (Fields& s : f.objects("sections", required, {"id", "title", "title_en", "fields"})) {
    FormSection section;
    section.id = s.string("id", required, 64);
    section.title = s.string("title", required, labelBytesMax);
    section.titleEn = s.string("title_en", optional, labelBytesMax);
    for (Fields& field : s.objects("fields", required,
                                   {"id", "type", "label", "label_en", "help", "required",
                                    "personal", "max_length", "min", "max", "choices", "when",
                                    "fields", "min_items", "max_items", "kind", "content_types",
                                    "max_bytes"})) {
      section.fields.push_back(readField(field, 0));
    }
    form.sections.push_back(std::move(section));
  }
  if (!f.failed() && form.sections.empty()) {
    f.fail("form.sections", "is empty: a form has at least one section (or leave \"form\" out)");
  }
}

std::string formDefinitionJson(const Form& form) {
  return formJson(form).dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

Json formJson(const Form& form) {
  Json sections = Json::array();
  for (const FormSection& s : form.sections) {
    Json section = {{"id", s.id}, {"title", s.title}};
    if (!s.titleEn.empty()) section["title_en"] = s.titleEn;
    Json fields = Json::array();
    for (const FormField& f : s.fields) fields.push_back(fieldJson(f));
    section["fields"] = std::move(fields);
    sections.push_back(std::move(section));
  }
  return {{"sections", std::move(sections)}};
}

}  // namespace parcours::workflows
