#include "domain/form_codec.h"

namespace parcours::workflows {
namespace {

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

// FieldType and FormFieldType are declared in the same order; a value a
// newer parcours might write reads as a short text.
FieldType typeOf(schema::FormFieldType t) {
  const auto ordinal = static_cast<unsigned>(t);
  return ordinal <= static_cast<unsigned>(FieldType::Attachment) ? static_cast<FieldType>(ordinal)
                                                            : FieldType::ShortText;
}

void writeField(const FormField& f, schema::FormField::Builder out) {
  out.setId(f.id);
  out.setLabel(f.label);
  if (!f.labelEn.empty()) out.setLabelEn(f.labelEn);
  if (!f.help.empty()) out.setHelp(f.help);
  out.setType(static_cast<schema::FormFieldType>(f.type));
  out.setRequired(f.required);
  out.setPersonal(f.personal);
  out.setMaxLength(f.maxLength);
  if (f.min) {
    out.setHasMin(true);
    out.setMin(*f.min);
  }
  if (f.max) {
    out.setHasMax(true);
    out.setMax(*f.max);
  }
  if (!f.choices.empty()) {
    auto choices = out.initChoices(static_cast<unsigned>(f.choices.size()));
    for (unsigned i = 0; i < choices.size(); ++i) {
      choices[i].setValue(f.choices[i].value);
      choices[i].setLabel(f.choices[i].label);
      if (!f.choices[i].labelEn.empty()) choices[i].setLabelEn(f.choices[i].labelEn);
    }
  }
  if (!f.when.field.empty()) {
    auto when = out.initWhen();
    when.setField(f.when.field);
    auto values = when.initValues(static_cast<unsigned>(f.when.values.size()));
    for (unsigned i = 0; i < values.size(); ++i) values.set(i, f.when.values[i]);
  }
  if (!f.fields.empty()) {
    auto fields = out.initFields(static_cast<unsigned>(f.fields.size()));
    for (unsigned i = 0; i < fields.size(); ++i) writeField(f.fields[i], fields[i]);
  }
  out.setMinItems(f.minItems);
  out.setMaxItems(f.maxItems);
  if (!f.kind.empty()) out.setKind(f.kind);
  if (!f.contentTypes.empty()) {
    auto types = out.initContentTypes(static_cast<unsigned>(f.contentTypes.size()));
    for (unsigned i = 0; i < types.size(); ++i) types.set(i, f.contentTypes[i]);
  }
  out.setMaxBytes(f.maxBytes);
}

FormField readField(schema::FormField::Reader in) {
  FormField f;
  f.id = text(in.getId());
  f.label = text(in.getLabel());
  f.labelEn = text(in.getLabelEn());
  f.help = text(in.getHelp());
  f.type = typeOf(in.getType());
  f.required = in.getRequired();
  f.personal = in.getPersonal();
  f.maxLength = in.getMaxLength();
  if (in.getHasMin()) f.min = in.getMin();
  if (in.getHasMax()) f.max = in.getMax();
  for (auto c : in.getChoices()) {
    f.choices.push_back({text(c.getValue()), text(c.getLabel()), text(c.getLabelEn())});
  }
  if (in.hasWhen()) {
    f.when.field = text(in.getWhen().getField());
    for (auto v : in.getWhen().getValues()) f.when.values.push_back(text(v));
  }
  for (auto child : in.getFields()) f.fields.push_back(readField(child));
  f.minItems = in.getMinItems();
  f.maxItems = in.getMaxItems();
  f.kind = text(in.getKind());
  for (auto t : in.getContentTypes()) f.contentTypes.push_back(text(t));
  f.maxBytes = in.getMaxBytes();
  return f;
}

}  // namespace

void writeFormMessage(const Form& form, schema::Form::Builder out) {
  auto sections = out.initSections(static_cast<unsigned>(form.sections.size()));
  for (unsigned s = 0; s < sections.size(); ++s) {
    const FormSection& section = form.sections[s];
    sections[s].setId(section.id);
    sections[s].setTitle(section.title);
    if (!section.titleEn.empty()) sections[s].setTitleEn(section.titleEn);
    auto fields = sections[s].initFields(static_cast<unsigned>(section.fields.size()));
    for (unsigned i = 0; i < fields.size(); ++i) writeField(section.fields[i], fields[i]);
  }
}

Form readFormMessage(schema::Form::Reader in) {
  Form form;
  for (auto s : in.getSections()) {
    FormSection section{text(s.getId()), text(s.getTitle()), text(s.getTitleEn()), {}};
    for (auto f : s.getFields()) section.fields.push_back(readField(f));
    form.sections.push_back(std::move(section));
  }
  return form;
}

}  // namespace parcours::workflows
