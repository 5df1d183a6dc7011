// Writes over HTTP: the URL names the command, the body holds its fields
// and an optional "reason". The body is decoded by Cap'n Proto's JSON codec
// into the very struct an RPC caller sends (rpc::DossierCommand,
// rpc::CampaignCommand), then run on a worker by the Api.
#include <capnp/compat/json.capnp.h>
#include <capnp/dynamic.h>

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <type_traits>
#include <nlohmann/json.hpp>

#include "http_gateway.h"
#include "http_request.h"
#include "../src/json_bounds.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

}  // namespace

// How a body maps onto the command's union member.
struct HttpGateway::Action {
  const char* path;    // the URL's last segment
  const char* member;  // the union member of the command struct
  // nullptr: the body's other fields are the member's struct; "": the body
  // has no other field (a Void member); else the one field holding its value.
  const char* key;
  bool reasonRequired;
};

namespace {

using Action = HttpGateway::Action;

constexpr std::array<Action, 13> dossierActions = {{
    {"submit", "submit", nullptr, false},
    {"eligible", "confirmEligibility", "", false},
    {"ineligible", "declareIneligible", "", true},
    {"not-selected", "notSelect", "", true},
    {"audition", "scheduleAuditionIn", nullptr, false},
    {"audition-held", "recordAuditionHeld", "", false},
    {"no-show", "recordNoShow", "", false},
    {"score", "recordScore", nullptr, false},
    {"close-scoring", "closeScoring", "", false},
    {"vote", "castVote", nullptr, false},
    {"close-vote", "closeVoteWith", nullptr, false},
    {"award", "award", "amountCents", false},
    {"withdraw", "withdraw", "", false},
}};

constexpr std::array<Action, 7> campaignActions = {{
    {"open", "open", "definition", false},
    {"rules", "amendRules", "definition", false},
    {"jury", "appointJury", "members", false},
    {"conflicts", "declareConflict", nullptr, false},
    {"phase", "changePhase", "phase", false},
    {"budget", "setBudget", "envelopeCents", false},
    {"milestones", "recordMilestone", nullptr, false},
}};

// A person's move or cancel of a timer: the reason is required for both.
constexpr std::array<Action, 2> timerActions = {{
    {"reschedule", "reschedule", "to", true},
    {"cancel", "cancel", "", true},
}};

template <std::size_t N>
const Action* findAction(const std::array<Action, N>& actions, kj::StringPtr path) {
  for (const Action& a : actions) {
    if (path == a.path) return &a;
  }
  return nullptr;
}

// Each field name once per object, at any depth: the codecs would quietly
// keep one of two "reason"s, and what the sender meant is unknowable.
Status checkFieldsUnique(capnp::JsonValue::Reader value, const std::string& path) {
  if (value.isArray()) {
    unsigned i = 0;
    for (auto item : value.getArray()) {
      if (auto s = checkFieldsUnique(item, path + "[" + std::to_string(i++) + "]"); !s) return s;
    }
  }
  if (!value.isObject()) return okStatus();
  std::set<std::string_view> names;
  for (auto field : value.getObject()) {
    const std::string_view name(field.getName().cStr(), field.getName().size());
    if (!names.insert(name).second) {
      return Error::invalidInput("duplicate field \"" + std::string(name) + "\" " +
                                 (path.empty() ? "at the top level" : "in " + path));
    }
    const std::string child = path.empty() ? std::string(name) : path + "." + std::string(name);
    if (auto s = checkFieldsUnique(field.getValue(), child); !s) return s;
  }
  return okStatus();
}

// A submission's form answers are free JSON (docs/forms.md): an object in
// the HTTP body, its text in Events.Application.answers, where RPC callers
// put it. `field` is the body's "application"; its answers object, if any,
// becomes a string in `out`'s copy of it. The text is nlohmann's reading of
// `body` (the JSON the request sent, bounded and checked already): Cap'n
// Proto's JsonValue holds numbers as doubles, which would turn 5.0 into 5
// and 10^15 into 1e+15.
capnp::JsonValue::Reader answersAsText(std::string_view body, capnp::JsonValue::Field::Reader field,
                                       capnp::MallocMessageBuilder& out) {
  if (field.getName() != "application" || !field.getValue().isObject()) return field.getValue();
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return field.getValue();
  const auto application = parsed.find("application");
  if (application == parsed.end() || !application->is_object()) return field.getValue();
  const auto answers = application->find("answers");
  if (answers == application->end() || !answers->is_object()) return field.getValue();
  const std::string text = answers->dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  out.setRoot(field.getValue());
  for (auto inner : out.getRoot<capnp::JsonValue>().getObject()) {
    if (inner.getName() == "answers") inner.initValue().setString(text);
  }
  return out.getRoot<capnp::JsonValue>().asReader();
}

// Fills `command` (a DossierCommand or CampaignCommand) from the body.
Status fillCommand(const capnp::JsonCodec& json, kj::StringPtr text, const Action& action,
                   capnp::DynamicStruct::Builder command) {
  // Plain ASCII without escapes (what programs usually send) is valid UTF-8
  // and needs no rewriting: Cap'n Proto's reader takes it as it is. Other
  // bodies are read by nlohmann first: it refuses invalid UTF-8 and turns
  // \u escapes into UTF-8, which Cap'n Proto 0.9's JSON reader mangles for
  // anything beyond ASCII; its errors also say where the JSON breaks.
  std::string_view raw(text.cStr(), text.size());
  // Before any parser: nlohmann's recursion is unbounded, and a NUL would
  // cut a Text short.
  if (auto s = checkJsonBounds(raw, jsonDepthMax); !s) return s;
  std::string normalized;
  const bool plain = std::none_of(raw.begin(), raw.end(), [](char c) {
    return c == '\\' || static_cast<unsigned char>(c) >= 0x80;
  });
  capnp::MallocMessageBuilder scratch;
  auto body = scratch.initRoot<capnp::JsonValue>();
  if (!plain || raw.empty()) {
    try {
      normalized =
          nlohmann::json::parse(raw).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    } catch (const nlohmann::json::exception& e) {
      return Error::invalidInput(std::string("the body is not valid JSON: ") + e.what());
    }
  }
  try {
    // Duplicates are looked for in the body as sent: nlohmann's
    // normalizing above keeps only the last of them.
    json.decodeRaw(kj::ArrayPtr<const char>(raw.data(), raw.size()), body);
    if (auto s = checkFieldsUnique(body.asReader(), ""); !s) return s;
    if (!plain) {
      raw = normalized;
      json.decodeRaw(kj::ArrayPtr<const char>(raw.data(), raw.size()), body);
    }
  } catch (const kj::Exception& e) {
    return Error::invalidInput("the body is not valid JSON: " + kjMessage(e));
  }
  if (!body.isObject()) return Error::invalidInput("the body must be a JSON object");
  std::vector<capnp::JsonValue::Field::Reader> others;
  bool reasonGiven = false;
  for (auto field : body.asReader().getObject()) {
    if (field.getName() == "reason") {
      if (!field.getValue().isString()) return Error::invalidInput("reason: expected a string");
      command.set("reason", capnp::Text::Reader(field.getValue().getString()));
      reasonGiven = field.getValue().getString().size() > 0;
    } else {
      others.push_back(field);
    }
  }
  if (action.reasonRequired && !reasonGiven) {
    return Error::invalidInput(std::string("reason: required for ") + action.path + ", say why");
  }
  const auto member = command.getSchema().getFieldByName(action.member);
  try {
    if (action.key == nullptr) {
      // Field by field, so an error names the field it is about ("slot:
      // Expected text value"), not only the command.
      auto target = command.init(member).as<capnp::DynamicStruct>();
      for (const auto& field : others) {
        // Cap'n Proto's codec skips names it does not know (schema
        // evolution): a typo ("roundID") would be dropped silently.
        if (target.getSchema().findFieldByName(field.getName()) == nullptr) {
          return Error::invalidInput(std::string(field.getName().cStr()) + ": unknown field");
        }
        capnp::MallocMessageBuilder rewritten;
        capnp::MallocMessageBuilder one;
        auto only = one.initRoot<capnp::JsonValue>().initObject(1)[0];
        only.setName(field.getName());
        only.setValue(answersAsText(raw, field, rewritten));
        try {
          json.decode(one.getRoot<capnp::JsonValue>().asReader(), target);
        } catch (const kj::Exception& e) {
          return Error::invalidInput(std::string(field.getName().cStr()) + ": " + kjMessage(e));
        }
      }
      return okStatus();
    }
    if (std::string_view(action.key).empty()) {
      if (!others.empty()) {
        return Error::invalidInput(std::string(others.front().getName().cStr()) +
                                   ": unknown field (this command takes only \"reason\")");
      }
      command.set(member, capnp::VOID);
      return okStatus();
    }
    std::optional<capnp::JsonValue::Reader> value;
    for (auto field : others) {
      if (field.getName() != action.key) {
        return Error::invalidInput(std::string(field.getName().cStr()) + ": unknown field");
      }
      value = field.getValue();
    }
    if (!value) return Error::invalidInput(std::string(action.key) + ": missing");
    if (std::string_view(action.key) == "definition") {
      if (!value->isObject()) {
        return Error::invalidInput("definition: expected a campaign definition object");
      }
      const kj::String text = json.encodeRaw(*value);
      command.init(member).as<capnp::DynamicStruct>().set("json", capnp::Text::Reader(text));
      return okStatus();
    }
    auto orphan =
        json.decode(*value, member.getType(), capnp::Orphanage::getForMessageContaining(command));
    command.adopt(member, kj::mv(orphan));
    return okStatus();
  } catch (const kj::Exception& e) {
    return Error::invalidInput(std::string(action.key ? action.key : action.member) + ": " +
                               kjMessage(e));
  }
}

// A write's messages, shared with the worker that runs it: the request may
// be cancelled (the client hung up) while the command is still running.
struct WriteJob {
  Principal who;
  capnp::MallocMessageBuilder params;
  capnp::MallocMessageBuilder results;
  std::optional<Error> error;
};

}  // namespace

template <typename Params, typename Results>
kj::Promise<void> HttpGateway::runWrite(
    Request& r, const Action& action, const char* idField, kj::StringPtr id,
    Status (Api::*call)(const Principal&, typename Params::Reader, typename Results::Builder)) {
  // The role first: a caller who may not run this command at all is
  // refused before its body is read or parsed.
  {
    using Command = std::conditional_t<
        std::is_same_v<Params, P::DossierCommandParams>, rpc::DossierCommand,
        std::conditional_t<std::is_same_v<Params, P::TimerCommandParams>, rpc::TimerCommand,
                           rpc::CampaignCommand>>;
    const auto which = static_cast<typename Command::Which>(capnp::Schema::from<Command>()
                                                                .getFieldByName(action.member)
                                                                .getProto()
                                                                .getDiscriminantValue());
    Status may = okStatus();
    if constexpr (std::is_same_v<Command, rpc::DossierCommand>) {
      may = parts_.api.mayAttemptDossierCommand(*r.who, which, id.cStr());
    } else if constexpr (std::is_same_v<Command, rpc::TimerCommand>) {
      (void)which;  // both moves and cancels are the administrators'
      may = parts_.api.mayAttemptTimerCommand(*r.who, id.cStr());
    } else {
      may = parts_.api.mayAttemptCampaignCommand(*r.who, which, id.cStr());
    }
    if (!may) return sendProblem(r, may.error());
  }
  KJ_IF_MAYBE (length, r.body.tryGetLength()) {
    if (*length > httpBodyBytesMax) {
      return sendProblem(r, 413, "too_large", kj::str("the body is over ", httpBodyBytesMax, " bytes"));
    }
  }
  return r.body.readAllText(httpBodyBytesMax)
      .then(
          [this, &r, idField, id, &action, call](kj::String text) -> kj::Promise<void> {
            auto job = std::make_shared<WriteJob>();
            job->who = *r.who;
            auto params = job->params.initRoot<Params>();
            capnp::toDynamic(params).set(idField, capnp::Text::Reader(id));
            KJ_IF_MAYBE (key, r.headers.get(idempotencyKey_)) {
              params.setCommandId(*key);
            }
            capnp::DynamicStruct::Builder command = params.initCommand();
            if (auto s = fillCommand(json_, text, action, command); !s) {
              return sendProblem(r, s.error());
            }
            Api& api = parts_.api;
            return parts_.pool
                .run([job, &api, call] {
                  auto in = job->params.getRoot<Params>().asReader();
                  auto out = job->results.initRoot<Results>();
                  if (auto s = (api.*call)(job->who, in, out); !s) job->error = s.error();
                })
                .then(
                    [this, &r, job]() -> kj::Promise<void> {
                      if (job->error) return sendProblem(r, *job->error);
                      // The answer reflects the views once they show this
                      // write (the Api waited for them): not the position
                      // read before it.
                      r.viewsAt = parts_.views.checkpoint();
                      return sendJson(r, job->results.getRoot<Results>().getResult().asReader());
                    },
                    [this, &r](kj::Exception&& e) -> kj::Promise<void> {
                      return sendProblem(r, 503, "unavailable", kjMessage(e).c_str());
                    });
          },
          [this, &r](kj::Exception&& e) -> kj::Promise<void> {
            return sendProblem(r, 413, "too_large",
                               kj::str("the body could not be read within ", httpBodyBytesMax,
                                       " bytes: ", kjMessage(e).c_str()));
          });
}

Status HttpGateway::readSubmission(kj::StringPtr body, capnp::MallocMessageBuilder& into) const {
  const Action* submit = findAction(dossierActions, "submit");
  capnp::MallocMessageBuilder scratch;
  auto command = scratch.initRoot<rpc::DossierCommand>();
  if (auto s = fillCommand(json_, body, *submit, capnp::toDynamic(command)); !s) return s;
  if (command.getReason().size() > 0) {
    return Error::invalidInput("reason: unknown field (a draft's body is {campaignId, application})");
  }
  into.setRoot(command.asReader().getSubmit());
  return okStatus();
}

kj::Promise<void> HttpGateway::campaignWrite(Request& r, kj::StringPtr campaignId,
                                             kj::StringPtr path) {
  const Action* action = findAction(campaignActions, path);
  if (action == nullptr) {
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  }
  return runWrite<P::CampaignCommandParams, P::CampaignCommandResults>(
      r, *action, "campaignId", campaignId, &Api::campaignCommand);
}

kj::Promise<void> HttpGateway::dossierWrite(Request& r, kj::StringPtr dossierId,
                                            kj::StringPtr path) {
  const Action* action = findAction(dossierActions, path);
  if (action == nullptr) {
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  }
  return runWrite<P::DossierCommandParams, P::DossierCommandResults>(
      r, *action, "dossierId", dossierId, &Api::dossierCommand);
}

kj::Promise<void> HttpGateway::timerWrite(Request& r, kj::StringPtr timerId, kj::StringPtr path) {
  const Action* action = findAction(timerActions, path);
  if (action == nullptr) {
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  }
  return runWrite<P::TimerCommandParams, P::TimerCommandResults>(r, *action, "timerId", timerId,
                                                                 &Api::timerCommand);
}

}  // namespace parcours::adapters
