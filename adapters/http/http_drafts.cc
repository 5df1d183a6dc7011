// A dossier's draft over HTTP (docs/http-api.md, "Drafts"):
//   GET    /v1/dossiers/{id}/draft          the draft, ETag its version
//   PUT    /v1/dossiers/{id}/draft          save: {"campaignId", "application"};
//                                           If-Match: "<version>" over an
//                                           existing draft (412 if stale)
//   DELETE /v1/dossiers/{id}/draft          discard (If-Match optional)
//   POST   /v1/dossiers/{id}/draft/submit   submit it (If-Match optional)
// The role is checked before the body is read; saves, discards and
// submissions sync the disk, so they run on a worker.
#include <capnp/serialize.h>

#include <charconv>
#include <memory>
#include <nlohmann/json.hpp>

#include "http_gateway.h"
#include "http_request.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

std::string etagOf(std::uint64_t version) { return "\"" + std::to_string(version) + "\""; }

// The draft as JSON, its answers an object (the RPC struct carries their
// text, as a submission's).
std::string draftJson(const capnp::JsonCodec& json, rpc::Draft::Reader draft) {
  auto body = nlohmann::json::parse(json.encode(draft).cStr());
  auto& application = body["application"];
  const std::string answers = application.value("answers", std::string());
  application["answers"] = answers.empty() ? nlohmann::json::object() : nlohmann::json::parse(answers);
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// A draft operation's messages, shared with the worker that runs it.
struct DraftJob {
  Principal who;
  capnp::MallocMessageBuilder params;
  capnp::MallocMessageBuilder results;
  std::optional<Error> error;
};

}  // namespace

Result<std::uint64_t> HttpGateway::readIfMatch(const Request& r) const {
  KJ_IF_MAYBE (value, r.headers.get(ifMatch_)) {
    std::string_view text(value->cStr(), value->size());
    std::uint64_t version = 0;
    if (text.size() >= 3 && text.front() == '"' && text.back() == '"') {
      const char* begin = text.data() + 1;
      const char* end = text.data() + text.size() - 1;
      auto [ptr, ec] = std::from_chars(begin, end, version);
      if (ec == std::errc() && ptr == end && version > 0) return version;
    }
    return Error::invalidInput("If-Match: \"" + std::string(text.substr(0, 80)) +
                               "\" is not a draft's ETag (a version in quotes, e.g. \"3\")");
  }
  return std::uint64_t{0};
}

kj::Promise<void> HttpGateway::dossierDraft(Request& r, kj::StringPtr dossierId) {
  const bool submit = r.path.size() == 5 && r.path[4] == "submit";
  if (r.path.size() > 5 || (r.path.size() == 5 && !submit)) {
    return sendProblem(r, 404, "not_found", kj::str("no such endpoint: ", r.pathText()));
  }
  if (r.past) {
    return sendProblem(r, 400, "invalid_input",
                       "?at= and ?as_of= apply to the views, not to a draft (drafts are not in "
                       "the log)");
  }
  if (auto may = parts_.api.mayDraft(*r.who); !may) return sendProblem(r, may.error());
  auto ifMatch = readIfMatch(r);
  if (!ifMatch) return sendProblem(r, ifMatch.error());

  if (r.method == kj::HttpMethod::GET) {
    capnp::MallocMessageBuilder params;
    params.initRoot<P::DraftParams>().setDossierId(dossierId);
    capnp::MallocMessageBuilder results;
    auto out = results.initRoot<P::DraftResults>();
    if (auto s = parts_.api.draft(*r.who, params.getRoot<P::DraftParams>().asReader(), out); !s) {
      return sendProblem(r, s.error());
    }
    r.etag = etagOf(out.getDraft().getVersion());
    return sendBody(r, 200, "application/json", kj::str(draftJson(json_, out.getDraft()).c_str()));
  }

  auto job = std::make_shared<DraftJob>();
  job->who = *r.who;
  Api& api = parts_.api;
  auto respond = [this, &r, job](kj::Function<kj::Promise<void>()> send) {
    return [this, &r, job, send = kj::mv(send)]() mutable -> kj::Promise<void> {
      if (job->error) return sendProblem(r, *job->error);
      return send();
    };
  };
  auto unavailable = [this, &r](kj::Exception&& e) -> kj::Promise<void> {
    return sendProblem(r, 503, "unavailable", kjMessage(e).c_str());
  };

  if (submit) {
    auto params = job->params.initRoot<P::DraftSubmitParams>();
    params.setDossierId(dossierId);
    params.setIfMatch(*ifMatch);
    KJ_IF_MAYBE (key, r.headers.get(idempotencyKey_)) {
      params.setCommandId(*key);
    }
    return parts_.pool
        .run([job, &api] {
          auto in = job->params.getRoot<P::DraftSubmitParams>().asReader();
          auto out = job->results.initRoot<P::DraftSubmitResults>();
          if (auto s = api.draftSubmit(job->who, in, out); !s) job->error = s.error();
        })
        .then(respond([this, &r, job]() {
                r.viewsAt = parts_.views.checkpoint();
                return sendJson(r, job->results.getRoot<P::DraftSubmitResults>().getResult().asReader());
              }),
              kj::mv(unavailable));
  }
  if (r.method == kj::HttpMethod::DELETE) {
    auto params = job->params.initRoot<P::DraftDiscardParams>();
    params.setDossierId(dossierId);
    params.setIfMatch(*ifMatch);
    return parts_.pool
        .run([job, &api] {
          auto in = job->params.getRoot<P::DraftDiscardParams>().asReader();
          if (auto s = api.draftDiscard(job->who, in); !s) job->error = s.error();
        })
        .then(respond([this, &r]() { return sendBody(r, 204, "application/json", kj::str()); }),
              kj::mv(unavailable));
  }
  // PUT: the save.
  KJ_IF_MAYBE (length, r.body.tryGetLength()) {
    if (*length > httpBodyBytesMax) {
      return sendProblem(r, 413, "too_large", kj::str("the body is over ", httpBodyBytesMax, " bytes"));
    }
  }
  const std::uint64_t version = *ifMatch;
  return r.body.readAllText(httpBodyBytesMax)
      .then(
          [this, &r, job, &api, dossierId, version, respond = kj::mv(respond),
           unavailable = kj::mv(unavailable)](kj::String text) mutable -> kj::Promise<void> {
            capnp::MallocMessageBuilder submission;
            if (auto s = readSubmission(text, submission); !s) return sendProblem(r, s.error());
            auto params = job->params.initRoot<P::DraftSaveParams>();
            params.setDossierId(dossierId);
            params.setIfMatch(version);
            params.setSubmission(submission.getRoot<rpc::Submission>().asReader());
            return parts_.pool
                .run([job, &api] {
                  auto in = job->params.getRoot<P::DraftSaveParams>().asReader();
                  auto out = job->results.initRoot<P::DraftSaveResults>();
                  if (auto s = api.draftSave(job->who, in, out); !s) job->error = s.error();
                })
                .then(respond([this, &r, job]() {
                        auto draft = job->results.getRoot<P::DraftSaveResults>().getDraft();
                        r.etag = etagOf(draft.getVersion());
                        return sendBody(r, draft.getVersion() == 1 ? 201 : 200, "application/json",
                                        kj::str(draftJson(json_, draft).c_str()));
                      }),
                      kj::mv(unavailable));
          },
          [this, &r](kj::Exception&& e) -> kj::Promise<void> {
            return sendProblem(r, 413, "too_large",
                               kj::str("the body could not be read within ", httpBodyBytesMax,
                                       " bytes: ", kjMessage(e).c_str()));
          });
}

}  // namespace parcours::adapters
