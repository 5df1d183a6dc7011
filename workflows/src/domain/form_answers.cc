// Answers against a form (docs/forms.md, "Answers"). One walker serves both
// checks: the applicant's answers as given (every value checked and
// normalised, personal ones split off) and the answers as a submission
// recorded them (the clear ones checked again, the personal ones known only
// by their pointers). Problems are collected, never the first one only: an
// applicant corrects a form once.
#include "parcours/workflows/form_answers.h"

#include <date/date.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <functional>
#include <set>

#include "domain/json_input.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {
namespace {

using json_input::inQuotes;
using Canonical = nlohmann::json;  // sorted keys: the recorded answers are canonical
using Given = json_input::Json;

constexpr std::size_t problemsMax = 100;  // a form's answers report at most this many

// Given: a submission's answers. Recorded: a recorded submission's, checked
// again (personal ones by pointer only). Draft: a draft's save, where
// nothing is required yet and answers to hidden fields are kept.
enum class Mode { Given, Recorded, Draft };

bool hasControl(std::string_view text, bool multiline) {
  return std::any_of(text.begin(), text.end(), [multiline](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

bool isDigits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool luhn(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

// "+33612345678" for any way a French (or international) number is written;
// empty when it is not a valid number.
std::string phoneInE164(const std::string& text) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(text, "FR", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return {};
  if (!util.IsValidNumber(number)) return {};
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

bool validDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!isDigits(text.substr(0, 4), 4) || !isDigits(text.substr(5, 2), 2) ||
      !isDigits(text.substr(8, 2), 2)) {
    return false;
  }
  const date::year_month_day day{date::year{std::stoi(text.substr(0, 4))},
                                 date::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                 date::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return day.ok();
}

// A key as a JSON Pointer's reference token (RFC 6901): "~" and "/" escaped.
// Form ids never hold them; an unknown key may.
std::string pointerToken(const std::string& key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

// E.164 as recorded: "+", then 8 to 15 digits, the first not 0. A replay
// checks this shape only: whether a number is valid is libphonenumber's
// numbering plans at submission, which change between its releases.
bool looksLikeE164(const std::string& text) {
  return text.size() >= 9 && text.size() <= 16 && text[0] == '+' && text[1] != '0' &&
         std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string joinedValues(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

class AnswerWalker {
 public:
  AnswerWalker(const Form& form, const Application& application, Mode mode,
               const std::set<std::string>& recordedPersonal)
      : form_(form), application_(application), mode_(mode), recordedPersonal_(recordedPersonal) {}

  void walk(const Given& answers) {
    if (!answers.is_object()) {
      problem("/answers", "must be an object of answers keyed by field id");
      return;
    }
    answers_ = &answers;
    for (const auto& item : answers.items()) {
      if (form_.field(item.key()) == nullptr) {
        problem("/answers/" + pointerToken(item.key()),
                "the form has no field " + inQuotes(item.key()) + " outside a group");
      }
    }
    for (const FormSection& section : form_.sections) {
      for (const FormField& field : section.fields) {
        const Given* value = find(answers, field.id);
        visit(field, value, "/" + field.id, publicOut_[field.id]);
        if (publicOut_[field.id].is_null()) publicOut_.erase(field.id);
      }
    }
    checkDocumentFields();
    for (const std::string& pointer : recordedPersonal_) {
      if (sealedSeen_.count(pointer) == 0) {
        problem("/answers" + pointer, "a sealed answer recorded for no personal field of the form");
      }
    }
  }

  // Whether `when` holds for these answers (sampleAnswers' question).
  bool shownWith(const FieldCondition& when, const Given& answers) {
    answers_ = &answers;
    return holds(when);
  }

  std::vector<FieldProblem>& problems() { return problems_; }
  const Canonical& publicOut() const { return publicOut_; }
  const Canonical& personalOut() const { return personalOut_; }

 private:
  static const Given* find(const Given& object, const std::string& key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void problem(std::string pointer, std::string message) {
    if (problems_.size() < problemsMax) problems_.push_back({std::move(pointer), std::move(message)});
  }

  // Whether a condition holds: read from the clear answers (a condition
  // never names a personal field) and the application's own fields.
  bool holds(const FieldCondition& when) const {
    if (when.field.empty()) return true;
    const auto& values = when.values;
    auto among = [&values](const std::string& v) {
      return std::find(values.begin(), values.end(), v) != values.end();
    };
    if (when.field == conditionOnStrands) {
      return std::any_of(application_.strands.begin(), application_.strands.end(), among);
    }
    if (when.field == conditionOnApplicantKind) return among(application_.applicantKind);
    const FormField* named = form_.field(when.field);
    if (named == nullptr || answers_ == nullptr || !holds(named->when)) return false;
    const Given* answer = find(*answers_, when.field);
    if (answer == nullptr) return false;
    if (answer->is_boolean()) return among(answer->get<bool>() ? "yes" : "no");
    if (answer->is_string()) return among(answer->get<std::string>());
    if (answer->is_array()) {
      return std::any_of(answer->begin(), answer->end(),
                         [&](const Given& v) { return v.is_string() && among(v.get<std::string>()); });
    }
    return false;
  }

  static std::string whenText(const FieldCondition& when) {
    return when.field + " is " + joinedValues(when.values);
  }

  // One field's answer (`value` null when absent) at `pointer` (below
  // "/answers"); its clear form goes to `out`, a personal one to the
  // personal answers.
  void visit(const FormField& field, const Given* value, const std::string& pointer, Canonical& out) {
    const std::string at = "/answers" + pointer;
    const bool shown = holds(field.when);
    if (field.type == FieldType::Attachment) {
      visitAttachment(field, value, at, shown);
      return;
    }
    const bool sealedAway = mode_ == Mode::Recorded && field.personal;
    if (sealedAway && value != nullptr) {
      problem(at, "a personal answer is recorded in clear: it must be sealed");
      return;
    }
    if (sealedAway) sealedSeen_.insert(pointer);
    const bool given = sealedAway ? recordedPersonal_.count(pointer) != 0 : !isEmpty(value);
    if (!shown && mode_ != Mode::Draft) {
      if (given) problem(at, "is not asked: the form shows it only when " + whenText(field.when));
      return;
    }
    if (!given) {
      if (field.required && mode_ != Mode::Draft) problem(at, "is required");
      return;
    }
    if (sealedAway) return;
    Canonical checked = check(field, *value, pointer, at);
    if (checked.is_null()) return;
    if (field.personal) {
      personalOut_[pointer] = std::move(checked);
    } else {
      out = std::move(checked);
    }
  }

  // An attachment field is answered by the application's documents, never
  // in the answers.
  void visitAttachment(const FormField& field, const Given* value, const std::string& at,
                       bool shown) {
    if (value != nullptr) {
      problem(at, "is answered by uploading documents, not in the answers");
      return;
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < application_.documents.size(); ++i) {
      const DocumentRef& d = application_.documents[i];
      if (d.field != field.id) continue;
      ++count;
      const std::string where = "/documents/" + std::to_string(i);
      if (std::find(field.contentTypes.begin(), field.contentTypes.end(), d.contentType) ==
          field.contentTypes.end()) {
        problem(where, d.contentType + " is not a type " + inQuotes(field.id) + " takes (" +
                           joinedValues(field.contentTypes) + ")");
      }
      if (field.maxBytes != 0 && d.size > field.maxBytes) {
        problem(where, std::to_string(d.size) + " bytes, over the limit of " +
                           std::to_string(field.maxBytes) + " for " + inQuotes(field.id));
      }
    }
    if (!shown && mode_ != Mode::Draft) {
      if (count > 0) problem(at, "is not asked: the form shows it only when " + whenText(field.when));
      return;
    }
    if (count == 0 && field.required && mode_ != Mode::Draft) problem(at, "is required");
    if (count > field.maxItems) {
      problem(at, std::to_string(count) + " documents: the form takes at most " +
                      std::to_string(field.maxItems));
    }
  }

  // Documents attached to no attachment field of the form.
  void checkDocumentFields() {
    for (std::size_t i = 0; i < application_.documents.size(); ++i) {
      const FormField* f = form_.field(application_.documents[i].field);
      if (f == nullptr || f->type != FieldType::Attachment) {
        problem("/documents/" + std::to_string(i),
                "the form has no attachment field " + inQuotes(application_.documents[i].field));
      }
    }
  }

  static bool isEmpty(const Given* value) {
    if (value == nullptr) return true;
    if (value->is_string()) return json_input::isBlank(value->get<std::string>());
    if (value->is_array()) return value->empty();
    return false;
  }

  // The value, checked and normalised; null (after a problem) when wrong.
  Canonical check(const FormField& f, const Given& v, const std::string& pointer, const std::string& at) {
    const auto wrong = [&](const std::string& message) {
      problem(at, message);
      return Canonical();
    };
    // Personal values never appear in a message: only their type.
    const auto shown = [&](const Given& value) {
      return f.personal ? std::string(json_input::typeName(value))
                        : value.dump(-1, ' ', false, Given::error_handler_t::replace).substr(0, 80);
    };
    switch (f.type) {
      case FieldType::ShortText:
      case FieldType::LongText: {
        if (!v.is_string()) return wrong("must be a string, got " + shown(v));
        const std::string text = v.get<std::string>();
        if (text.size() > maxLengthOf(f)) {
          return wrong(std::to_string(text.size()) + " bytes, over the limit of " +
                       std::to_string(maxLengthOf(f)));
        }
        if (hasControl(text, f.type == FieldType::LongText)) {
          return wrong(f.type == FieldType::ShortText
                           ? "holds a control character (a short text is one line)"
                           : "holds a control character other than a line break or a tab");
        }
        return text;
      }
      case FieldType::Integer:
      case FieldType::Amount: {
        const std::int64_t lowest = f.min.value_or(f.type == FieldType::Amount ? 0 : INT64_MIN);
        const std::int64_t highest = f.max.value_or(json_input::centsMax);
        if (!v.is_number_integer()) return wrong("must be a whole number, got " + shown(v));
        if (v.is_number_unsigned() &&
            v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
          return wrong("must be at most " + std::to_string(highest));
        }
        const std::int64_t n = v.get<std::int64_t>();
        if (n < lowest) return wrong("must be at least " + std::to_string(lowest));
        if (n > highest) return wrong("must be at most " + std::to_string(highest));
        return n;
      }
      case FieldType::Date: {
        if (!v.is_string() || !validDate(v.get<std::string>())) {
          return wrong("must be a date written YYYY-MM-DD, got " + shown(v));
        }
        return v.get<std::string>();
      }
      case FieldType::Email: {
        if (!v.is_string() || !json_input::looksLikeEmail(v.get<std::string>())) {
          return wrong("is not an e-mail address (expected name@domain, one line)");
        }
        return v.get<std::string>();
      }
      case FieldType::Phone: {
        if (mode_ == Mode::Recorded) {
          if (v.is_string() && looksLikeE164(v.get<std::string>())) return v.get<std::string>();
          return wrong("is not a phone number in E.164, as a submission records it");
        }
        if (!v.is_string() || v.get<std::string>().size() > 64) {
          return wrong("is not a phone number (a string of at most 64 characters)");
        }
        std::string e164 = phoneInE164(v.get<std::string>());
        if (e164.empty()) {
          return wrong("is not a valid phone number (French, or international with +)");
        }
        return e164;
      }
      case FieldType::Siren:
      case FieldType::Siret: {
        const std::size_t n = f.type == FieldType::Siren ? 9 : 14;
        const char* name = f.type == FieldType::Siren ? "SIREN" : "SIRET";
        if (!v.is_string() || !isDigits(v.get<std::string>(), n)) {
          return wrong(std::string("is not a ") + name + ": " + std::to_string(n) +
                       " digits, without spaces");
        }
        const std::string digits = v.get<std::string>();
        if (!luhn(digits) || digits == std::string(n, '0')) {
          return wrong(std::string("is not a ") + name +
                       ": its check digit (Luhn) is wrong, a digit is mistyped");
        }
        return digits;
      }
      case FieldType::Choice: {
        if (!v.is_string() || !offered(f, v.get<std::string>())) {
          return wrong(shown(v) + " is not one of " + choiceValues(f));
        }
        return v.get<std::string>();
      }
      case FieldType::Choices: {
        if (!v.is_array()) return wrong("must be a list of choices, got " + shown(v));
        std::set<std::string> seen;
        Canonical out = Canonical::array();
        for (std::size_t i = 0; i < v.size(); ++i) {
          const Given& item = v[i];
          const std::string itemAt = at + "/" + std::to_string(i);
          if (!item.is_string() || !offered(f, item.get<std::string>())) {
            problem(itemAt, shown(item) + " is not one of " + choiceValues(f));
            return Canonical();
          }
          if (!seen.insert(item.get<std::string>()).second) {
            problem(itemAt, shown(item) + " is chosen twice");
            return Canonical();
          }
          out.push_back(item.get<std::string>());
        }
        return out;
      }
      case FieldType::YesNo: {
        if (!v.is_boolean()) return wrong("must be true or false, got " + shown(v));
        return v.get<bool>();
      }
      case FieldType::Group:
        return checkGroup(f, v, pointer, at);
      case FieldType::Attachment:
        break;  // visitAttachment's: never here
    }
    return wrong("has a type this parcours does not know");
  }

  Canonical checkGroup(const FormField& f, const Given& v, const std::string& pointer,
                  const std::string& at) {
    if (!v.is_array()) {
      problem(at, "must be a list of items, got " + std::string(json_input::typeName(v)));
      return Canonical();
    }
    const std::size_t least =
        mode_ == Mode::Draft ? 0 : std::max<std::size_t>(f.minItems, f.required ? 1 : 0);
    if (v.size() < least || v.size() > f.maxItems) {
      problem(at, std::to_string(v.size()) + " items: the form asks " + std::to_string(least) +
                      " to " + std::to_string(f.maxItems));
      return Canonical();
    }
    Canonical items = Canonical::array();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Given& item = v[i];
      const std::string itemPointer = pointer + "/" + std::to_string(i);
      if (!item.is_object()) {
        problem("/answers" + itemPointer, "must be an object, got " +
                                              std::string(json_input::typeName(item)));
        items.push_back(Canonical::object());
        continue;
      }
      for (const auto& entry : item.items()) {
        const bool known = std::any_of(f.fields.begin(), f.fields.end(),
                                       [&](const FormField& c) { return c.id == entry.key(); });
        if (!known) {
          problem("/answers" + itemPointer + "/" + pointerToken(entry.key()),
                  "the group " + inQuotes(f.id) + " has no field " + inQuotes(entry.key()));
        }
      }
      Canonical out = Canonical::object();
      for (const FormField& child : f.fields) {
        Canonical& slot = out[child.id];
        visit(child, find(item, child.id), itemPointer + "/" + child.id, slot);
        if (slot.is_null()) out.erase(child.id);
      }
      items.push_back(std::move(out));
    }
    return items;
  }

  static bool offered(const FormField& f, const std::string& value) {
    return std::any_of(f.choices.begin(), f.choices.end(),
                       [&](const FormChoice& c) { return c.value == value; });
  }

  static std::string choiceValues(const FormField& f) {
    std::vector<std::string> values;
    for (const FormChoice& c : f.choices) values.push_back(c.value);
    return joinedValues(values);
  }

  const Form& form_;
  const Application& application_;
  Mode mode_;
  const std::set<std::string>& recordedPersonal_;
  std::set<std::string> sealedSeen_;  // recorded mode: the personal fields' pointers visited
  const Given* answers_ = nullptr;
  std::vector<FieldProblem> problems_;
  Canonical publicOut_ = Canonical::object();
  Canonical personalOut_ = Canonical::object();
};

Error answerProblems(std::vector<FieldProblem> problems) {
  std::string message = "the form's answers have " + std::to_string(problems.size()) +
                        (problems.size() == 1 ? " problem: " : " problems: ");
  for (std::size_t i = 0; i < problems.size(); ++i) {
    message += (i == 0 ? "" : "; ") + problems[i].pointer + ": " + problems[i].message;
  }
  Error error = Error::invalidInput(std::move(message));
  error.problems = std::move(problems);
  return error;
}

Result<Given> parseAnswers(std::string_view text) {
  auto document = json_input::parseDocument(text, "answers", true, json_input::formDocument);
  if (!document) {
    Error e = std::move(document).takeError();
    e.problems = {{"/answers", e.message}};
    return e;
  }
  return document;
}

Status noAnswersWithoutForm(std::string_view text, const Application& application) {
  if (!application.documents.empty()) {
    return answerProblems({{"/documents", "the campaign has no form: it takes no documents"}});
  }
  if (text.empty() || text == "{}") return okStatus();
  return answerProblems({{"/answers", "the campaign has no form: it takes no answers"}});
}

}  // namespace

Result<CheckedAnswers> checkAnswers(const Form& form, const Application& application,
                                    std::string_view answersJson) {
  if (form.empty()) {
    if (auto s = noAnswersWithoutForm(answersJson, application); !s) return s.error();
    return CheckedAnswers{};
  }
  auto answers = parseAnswers(answersJson.empty() ? std::string_view("{}") : answersJson);
  if (!answers) return std::move(answers).takeError();
  const std::set<std::string> none;
  AnswerWalker walker(form, application, Mode::Given, none);
  walker.walk(*answers);
  if (!walker.problems().empty()) return answerProblems(std::move(walker.problems()));
  CheckedAnswers checked;
  checked.publicJson = walker.publicOut().dump();
  if (!walker.personalOut().empty()) {
    checked.personalJson = walker.personalOut().dump();
    for (const auto& item : walker.personalOut().items()) checked.personalPointers.push_back(item.key());
  }
  return checked;
}

Status checkDraftAnswers(const Form& form, const Application& application,
                         std::string_view answersJson) {
  if (form.empty()) return noAnswersWithoutForm(answersJson, application);
  auto answers = parseAnswers(answersJson.empty() ? std::string_view("{}") : answersJson);
  if (!answers) return std::move(answers).takeError();
  const std::set<std::string> none;
  AnswerWalker walker(form, application, Mode::Draft, none);
  walker.walk(*answers);
  if (!walker.problems().empty()) return answerProblems(std::move(walker.problems()));
  return okStatus();
}

Status checkRecordedAnswers(const Form& form, const Application& application,
                            std::string_view publicJson,
                            const std::vector<std::string>& personalPointers) {
  if (form.empty()) {
    if (!personalPointers.empty()) {
      return answerProblems({{"/answers", "the campaign has no form: it takes no answers"}});
    }
    return noAnswersWithoutForm(publicJson, application);
  }
  auto answers = parseAnswers(publicJson.empty() ? std::string_view("{}") : publicJson);
  if (!answers) return std::move(answers).takeError();
  const std::set<std::string> personal(personalPointers.begin(), personalPointers.end());
  if (personal.size() != personalPointers.size() ||
      !std::is_sorted(personalPointers.begin(), personalPointers.end())) {
    return answerProblems({{"/answers", "the personal answers' pointers are recorded out of order "
                                        "or twice: a submission records them sorted, once"}});
  }
  AnswerWalker walker(form, application, Mode::Recorded, personal);
  walker.walk(*answers);
  if (!walker.problems().empty()) return answerProblems(std::move(walker.problems()));
  // What the submission writes, to the byte: a replay accepts nothing else.
  if (!publicJson.empty() && walker.publicOut().dump() != publicJson) {
    return answerProblems({{"/answers", "the clear answers are not recorded as a submission "
                                        "writes them (canonical JSON, normalised values)"}});
  }
  return okStatus();
}

namespace {

// `shown`: whether a group's field, by its condition, is asked.
Canonical sampleValue(const FormField& f, const std::function<bool(const FieldCondition&)>& shown) {
  switch (f.type) {
    case FieldType::ShortText:
    case FieldType::LongText: {
      // The label, one line, cut to the field's length on a character's
      // boundary (never inside a UTF-8 sequence).
      std::string text = f.label;
      for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
      }
      std::size_t cut = std::min<std::size_t>({text.size(), maxLengthOf(f), 60});
      while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
      }
      text.resize(cut);
      return json_input::isBlank(text) ? std::string("x") : text;
    }
    case FieldType::Integer:
    case FieldType::Amount: {
      const std::int64_t lowest = f.min.value_or(f.type == FieldType::Amount ? 0 : INT64_MIN);
      const std::int64_t highest = f.max.value_or(INT64_MAX);
      return std::clamp<std::int64_t>(1, lowest, std::max(lowest, highest));
    }
    case FieldType::Date:
      return "2020-09-01";
    case FieldType::Email:
      return "contact@example.org";
    case FieldType::Phone:
      return "01 23 45 67 89";
    case FieldType::Siren:
      return "200067437";  // fictional here; its Luhn sum is right
    case FieldType::Siret:
      return "73282932000074";
    case FieldType::Choice:
      return f.choices.front().value;
    case FieldType::Choices:
      return Canonical::array({f.choices.front().value});
    case FieldType::YesNo:
      return true;
    case FieldType::Group: {
      Canonical item = Canonical::object();
      for (const FormField& child : f.fields) {
        if (shown(child.when)) item[child.id] = sampleValue(child, shown);
      }
      const std::size_t items = std::max<std::size_t>(f.minItems, 1);
      return Canonical(std::vector<Canonical>(std::min<std::size_t>(items, f.maxItems), item));
    }
    case FieldType::Attachment:
      break;  // documents are uploaded, not answered
  }
  return Canonical();
}

}  // namespace

std::string sampleAnswers(const Form& form, const Application& application) {
  // Conditions may name a field of a later section: answer the fields whose
  // condition holds until nothing changes (a chain of n conditions takes at
  // most n passes).
  Given answers = Given::object();
  const std::set<std::string> none;
  for (bool changed = true; changed;) {
    changed = false;
    AnswerWalker conditions(form, application, Mode::Given, none);
    for (const FormSection& section : form.sections) {
      for (const FormField& field : section.fields) {
        // A group again on each pass: its fields' conditions may read a
        // field answered since.
        if (field.type == FieldType::Attachment) continue;  // documents, not answers
        if (!conditions.shownWith(field.when, answers)) continue;
        if (answers.contains(field.id) && field.type != FieldType::Group) continue;
        auto shown = [&](const FieldCondition& when) { return conditions.shownWith(when, answers); };
        Given value = Given::parse(sampleValue(field, shown).dump());
        if (answers.contains(field.id) && answers[field.id] == value) continue;
        answers[field.id] = std::move(value);
        changed = true;
      }
    }
  }
  return answers.dump();
}

std::string answersSealContext(std::string_view dossierId) {
  return std::string(dossierId) + "/answers";
}

}  // namespace parcours::workflows
