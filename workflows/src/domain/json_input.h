// Reading untrusted JSON field by field: campaign definition files and
// submission files. Private to parcours_domain.
//
// Both file formats are read the same way, so their errors read the same:
// every message starts with the field path ("criteria[2].weight: ..."),
// unknown fields are refused (a typo must not silently drop a rule),
// duplicate fields are refused (nlohmann would keep the last one silently)
// and sizes are bounded before anything is allocated per item.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/limits.h"

namespace parcours::workflows::json_input {

// ordered_json keeps the document's order, so the first unknown field
// reported is the first one in the file, not the first alphabetically.
using Json = nlohmann::ordered_json;

// The limits of one input document (parcours/workflows/limits.h).
using workflows::documentBytesMax;
using workflows::fieldsPerObjectMax;
using workflows::listItemsMax;
using workflows::nestingDepthMax;
using workflows::stringBytesMax;
using workflows::centsMax;

// `text` as a JSON string literal, escaped (control characters, invalid
// UTF-8) and cut to 80 bytes, for quoting values in messages.
inline std::string inQuotes(std::string_view text) {
  constexpr std::size_t shown = 80;
  const bool cut = text.size() > shown;
  std::string dumped =
      Json(std::string(text.substr(0, shown))).dump(-1, ' ', false, Json::error_handler_t::replace);
  if (cut) dumped.insert(dumped.size() - 1, "...");
  return dumped;
}

inline std::string fieldPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

inline std::string itemPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

// "at the top level" or "in criteria[2]": where a field sits.
inline std::string where(std::string_view objectPath) {
  return objectPath.empty() ? "at the top level" : "in " + std::string(objectPath);
}

inline Error fieldError(std::string_view path, const std::string& message) {
  return Error::invalidInput(std::string(path) + ": " + message);
}

inline bool isBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

inline Status checkStringSize(std::string_view path, std::string_view text,
                              std::size_t max = stringBytesMax) {
  if (text.size() <= max) return okStatus();
  return fieldError(path, std::to_string(text.size()) + " bytes, over the limit of " +
                              std::to_string(max) + " bytes");
}

inline Status checkListSize(std::string_view path, std::size_t items) {
  if (items <= listItemsMax) return okStatus();
  return fieldError(
      path, std::to_string(items) + " items, over the limit of " + std::to_string(listItemsMax));
}

inline Status checkRange(std::string_view path, std::int64_t value, std::int64_t min,
                         std::int64_t max) {
  if (value < min) {
    return fieldError(path,
                      "must be at least " + std::to_string(min) + ", got " + std::to_string(value));
  }
  if (value > max) {
    return fieldError(path,
                      "must be at most " + std::to_string(max) + ", got " + std::to_string(value));
  }
  return okStatus();
}

// Only the shape: something@somewhere, one line, no spaces. Whether the
// address works is for the instructor to find out.
inline bool looksLikeEmail(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find('@', at + 1) == std::string_view::npos &&
         std::none_of(email.begin(), email.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

// Applicant kinds are words of a closed spelling (not a closed list: each
// campaign names its own), so "Commune" or "communauté" is caught early.
inline Status checkApplicantKind(std::string_view path, std::string_view kind) {
  const bool wellFormed = !kind.empty() && kind.size() <= 64 &&
                          std::all_of(kind.begin(), kind.end(),
                                      [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
  if (wellFormed) return okStatus();
  return fieldError(path, inQuotes(kind) +
                              " is not an applicant kind: use 1 to 64 lower-case letters a-z "
                              "and \"_\", e.g. \"communaute_de_communes\"");
}

// Levenshtein distance, to suggest the field a typo meant.
inline std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Watches the parser's events to refuse duplicate fields, objects with
// too many fields and documents nested too deep, naming the path. It
// throws Stop to abort the parse at once: nlohmann's callbacks have no
// other way, and the exception never leaves parseDocument.
class ShapeGuard {
 public:
  struct Stop {};

  ShapeGuard(std::size_t depthMax, std::size_t fieldsMax)
      : depthMax_(depthMax), fieldsMax_(fieldsMax) {}

  bool see(Json::parse_event_t event, const Json& parsed) {
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        frames_.push_back({event == Event::object_start, childPath(), {}, {}, 0});
        if (frames_.size() > depthMax_) {
          stop(frames_.back().path + ": nested deeper than " + std::to_string(depthMax_) +
               " levels");
        }
        break;
      case Event::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) {
          stop("duplicate field " + inQuotes(top.key) + " " + where(top.path));
        }
        if (top.keys.size() > fieldsMax_) {
          stop("more than " + std::to_string(fieldsMax_) + " fields " + where(top.path));
        }
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        countItem();
        break;
      case Event::value:
        countItem();
        break;
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  struct Frame {
    bool object;
    std::string path;
    std::string key;             // objects: the field being read
    std::set<std::string> keys;  // objects: the fields seen
    std::size_t items;           // arrays: the items seen
  };

  std::string childPath() const {
    if (frames_.empty()) return "";
    const Frame& top = frames_.back();
    return top.object ? fieldPath(top.path, top.key) : itemPath(top.path, top.items);
  }

  void countItem() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().items;
  }

  [[noreturn]] void stop(std::string message) {
    error_ = std::move(message);
    throw Stop{};
  }

  std::size_t depthMax_;
  std::size_t fieldsMax_;
  std::vector<Frame> frames_;
  std::string error_;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 1,
// column 9: syntax error ...; last read: '...'" without its prefix, and,
// for files holding personal data, without the text it last read.
inline std::string parserMessage(const Json::exception& e, bool personal) {
  std::string message = e.what();
  if (auto end = message.find("] ");
      message.rfind("[json.exception.", 0) == 0 && end != std::string::npos) {
    message.erase(0, end + 2);
  }
  if (auto lastRead = message.find("; last read: '"); personal && lastRead != std::string::npos) {
    const auto expected = message.find("'; expected ", lastRead);
    message.erase(lastRead,
                  expected == std::string::npos ? std::string::npos : expected + 1 - lastRead);
  }
  return message;
}

inline std::string_view typeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "true or false";
    case Json::value_t::null:
      return "null";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "an unexpected value";
  }
}

// How deep and how wide one document may be: the general limits, or a
// form's (a definition holding one, a submission answering one).
struct DocumentShape {
  std::size_t depthMax = nestingDepthMax;
  std::size_t fieldsMax = fieldsPerObjectMax;
};
inline constexpr DocumentShape formDocument{workflows::formNestingDepthMax,
                                            workflows::formFieldsMax};

// Parses a whole file. `what` names it in messages ("campaign definition");
// `personal` keeps its text out of them (submission files hold contacts).
inline Result<Json> parseDocument(std::string_view text, std::string_view what, bool personal,
                                  DocumentShape shape = {}) {
  const std::string name(what);
  if (text.size() > documentBytesMax) {
    return Error::invalidInput("the " + name + " is " + std::to_string(text.size()) +
                               " bytes, over the limit of " + std::to_string(documentBytesMax) +
                               " bytes (1 MiB)");
  }
  ShapeGuard guard(shape.depthMax, shape.fieldsMax);
  Json document;
  try {
    document = Json::parse(text.begin(), text.end(),
                           [&guard](int, Json::parse_event_t event, Json& parsed) {
                             return guard.see(event, parsed);
                           });
  } catch (const ShapeGuard::Stop&) {
    return Error::invalidInput("the " + name + " is refused: " + guard.error());
  } catch (const Json::parse_error& e) {
    // "parse error at line 1, column 12: syntax error ..." becomes
    // "at byte 12 (line 1, column 12): syntax error ...".
    std::string detail = parserMessage(e, personal);
    std::string position = "at byte " + std::to_string(e.byte);
    constexpr std::string_view lead = "parse error at ";
    if (const auto colon = detail.find(": ");
        detail.rfind(lead, 0) == 0 && colon != std::string::npos) {
      position += " (" + detail.substr(lead.size(), colon - lead.size()) + ")";
      detail.erase(0, colon + 2);
    }
    return Error::invalidInput("the " + name + " is not valid JSON " + position + ": " + detail);
  } catch (const Json::exception& e) {
    return Error::invalidInput("the " + name + " is not valid JSON: " + parserMessage(e, personal));
  }
  if (!document.is_object()) {
    return Error::invalidInput("the " + name + " must be a JSON object, got " +
                               std::string(typeName(document)));
  }
  return document;
}

enum class Presence : std::uint8_t { Required, Optional };
// Shorthands the parsers read as words: fields.text("name", required).
inline constexpr Presence required = Presence::Required;
inline constexpr Presence optional = Presence::Optional;

// One JSON object read field by field. The first error is kept in the
// shared slot and every later read does nothing, so parsing code reads
// straight down and checks once (`failed()`, `status()`).
class Fields {
 public:
  // `object` null: an optional object that is absent; reads give defaults.
  Fields(const Json* object, std::string path, std::initializer_list<std::string_view> known,
         std::optional<Error>& error, bool personal)
      : object_(object),
        path_(std::move(path)),
        known_(known),
        error_(&error),
        personal_(personal) {
    if (failed() || object_ == nullptr) return;
    if (!object_->is_object()) {
      fail(path_, "must be an object, got " + describe(*object_));
      object_ = nullptr;
      return;
    }
    for (const auto& item : object_->items()) {
      if (std::find(known_.begin(), known_.end(), item.key()) == known_.end()) {
        fail(unknownField(item.key()));
        return;
      }
    }
  }

  bool present() const { return object_ != nullptr; }
  // Whether the object has `key` (for fields that exclude each other).
  bool has(std::string_view key) const {
    return object_ != nullptr && object_->contains(std::string(key));
  }
  bool failed() const { return error_->has_value(); }
  Status status() const { return failed() ? Status(**error_) : okStatus(); }
  const std::string& path() const { return path_; }

  // Records `status`'s error if none was recorded yet; false when it failed.
  bool check(const Status& status) {
    if (!status && !failed()) *error_ = status.error();
    return status.ok();
  }

  std::string string(std::string_view key, Presence presence,
                     std::size_t maxBytes = stringBytesMax) {
    const Json* value = find(key, presence);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      fail(fieldPath(path_, key), "must be a string, got " + describe(*value));
      return {};
    }
    std::string text = value->get<std::string>();
    if (!check(checkStringSize(fieldPath(path_, key), text, maxBytes))) return {};
    return text;
  }

  bool boolean(std::string_view key, Presence presence) {
    const Json* value = find(key, presence);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      fail(fieldPath(path_, key), "must be true or false, got " + describe(*value));
      return false;
    }
    return value->get<bool>();
  }

  // A whole number within [min, max]; 0 when absent and optional.
  std::int64_t integer(std::string_view key, Presence presence, std::int64_t min,
                       std::int64_t max) {
    const Json* value = find(key, presence);
    if (value == nullptr) return 0;
    const std::string path = fieldPath(path_, key);
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      fail(path, "must be at most " + std::to_string(max) + ", got " + describe(*value));
      return 0;
    }
    if (!value->is_number_integer()) {
      fail(path, "must be a whole number, got " + describe(*value));
      return 0;
    }
    const std::int64_t number = value->get<std::int64_t>();
    return check(checkRange(path, number, min, max)) ? number : 0;
  }

  // Any JSON number within [min, max].
  double number(std::string_view key, Presence presence, double min, double max) {
    const Json* value = find(key, presence);
    if (value == nullptr) return 0;
    const std::string path = fieldPath(path_, key);
    if (!value->is_number()) {
      fail(path, "must be a number, got " + describe(*value));
      return 0;
    }
    const double number = value->get<double>();
    if (number < min || number > max) {
      fail(path, "must be between " + Json(min).dump() + " and " + Json(max).dump() + ", got " +
                     describe(*value));
      return 0;
    }
    return number;
  }

  std::vector<std::string> strings(std::string_view key, Presence presence) {
    std::vector<std::string> out;
    const Json* list = findList(key, presence);
    if (list == nullptr) return out;
    const std::string path = fieldPath(path_, key);
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Json& item = (*list)[i];
      const std::string at = itemPath(path, i);
      if (!item.is_string()) {
        fail(at, "must be a string, got " + describe(item));
        return {};
      }
      out.push_back(item.get<std::string>());
      if (!check(checkStringSize(at, out.back()))) return {};
    }
    return out;
  }

  Fields object(std::string_view key, Presence presence,
                std::initializer_list<std::string_view> known) {
    return Fields(find(key, presence), fieldPath(path_, key), known, *error_, personal_);
  }

  // Personal data below this field: messages show types, never values.
  Fields personalObject(std::string_view key, Presence presence,
                        std::initializer_list<std::string_view> known) {
    return Fields(find(key, presence), fieldPath(path_, key), known, *error_, true);
  }

  std::vector<Fields> objects(std::string_view key, Presence presence,
                              std::initializer_list<std::string_view> known) {
    std::vector<Fields> out;
    const Json* list = findList(key, presence);
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size() && !failed(); ++i) {
      out.emplace_back(&(*list)[i], itemPath(fieldPath(path_, key), i), known, *error_, personal_);
    }
    return out;
  }

  bool fail(std::string_view path, const std::string& message) {
    return check(fieldError(path, message));
  }

 private:
  bool fail(Error error) { return check(std::move(error)); }

  const Json* find(std::string_view key, Presence presence) {
    if (failed() || object_ == nullptr) return nullptr;
    auto it = object_->find(std::string(key));
    if (it != object_->end()) return &*it;
    if (presence == Presence::Required) fail(fieldPath(path_, key), "required field is missing");
    return nullptr;
  }

  const Json* findList(std::string_view key, Presence presence) {
    const Json* list = find(key, presence);
    if (list == nullptr) return nullptr;
    const std::string path = fieldPath(path_, key);
    if (!list->is_array()) {
      fail(path, "must be a list, got " + describe(*list));
      return nullptr;
    }
    return check(checkListSize(path, list->size())) ? list : nullptr;
  }

  std::string describe(const Json& value) const {
    if (personal_) return std::string(typeName(value));  // personal data: never in a message
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > 80) text = text.substr(0, 80) + "...";
    return text;
  }

  Error unknownField(const std::string& key) const {
    std::string message = "unknown field " + inQuotes(key) + " " + where(path_);
    const std::size_t tolerance = key.size() < 4 ? 1 : 2;
    std::string_view closest;
    std::size_t best = tolerance + 1;
    for (std::string_view candidate : known_) {
      const std::size_t distance = editDistance(key, candidate);
      if (distance < best) best = distance, closest = candidate;
    }
    if (!closest.empty())
      return Error::invalidInput(message + " (did you mean " + inQuotes(closest) + "?)");
    message += " (known fields:";
    for (std::size_t i = 0; i < known_.size(); ++i) {
      message += (i == 0 ? " " : ", ") + std::string(known_[i]);
    }
    return Error::invalidInput(message + ")");
  }

  const Json* object_;
  std::string path_;
  std::vector<std::string_view> known_;
  std::optional<Error>* error_;
  bool personal_;
};

}  // namespace parcours::workflows::json_input
