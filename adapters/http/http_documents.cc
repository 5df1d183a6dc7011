// A dossier's documents over HTTP (docs/documents.md):
//   POST   /v1/dossiers/{id}/documents?field=F&name=N   upload one file, the
//          raw bytes as the body (any Content-Type: the bytes say what they
//          are), attached to the draft's attachment field F: 201
//   GET    /v1/dossiers/{id}/documents                  the list
//   GET    /v1/dossiers/{id}/documents/{sha256}         the bytes: ETag the
//          hash, one range (Range: bytes=a-b) answered 206
//   DELETE /v1/dossiers/{id}/documents/{sha256}         detached from the draft
// An upload is checked before its first byte is read (role, draft, field,
// room), streamed a chunk at a time into the store (never whole in
// memory), refused past its limit (413) or when the bytes are not a type the
// field takes (415, naming the type found); cut off, it leaves nothing the
// collector does not delete.
#include <charconv>
#include <memory>
#include <nlohmann/json.hpp>

#include <kj/encoding.h>

#include "http_gateway.h"
#include "http_request.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::adapters {
namespace {

constexpr std::size_t uploadReadBytes = 64 * 1024;

nlohmann::json documentJson(const workflows::DocumentRef& d) {
  return {{"field", d.field},
          {"name", d.name},
          {"size", d.size},
          {"contentType", d.contentType},
          {"sha256", d.sha256}};
}

}  // namespace

// An upload in flight, shared by the promises that read it.
struct HttpGateway::Upload {
  std::unique_ptr<workflows::DocumentUpload> upload;
  workflows::AttachmentSlot slot;
  std::string name;
  std::uint64_t ifMatch = 0;
  kj::Array<kj::byte> buffer = kj::heapArray<kj::byte>(uploadReadBytes);
  std::optional<Error> error;
  std::optional<workflows::Draft> draft;
  workflows::DocumentRef document;
};

namespace {

// "bytes=a-b", "bytes=a-", "bytes=-n": one range of a `size`-byte file, as
// [first, last]; nullopt when unsatisfiable or not one range.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parseRange(std::string_view header,
                                                                  std::uint64_t size) {
  if (!header.starts_with("bytes=") || size == 0) return std::nullopt;
  header.remove_prefix(6);
  const auto dash = header.find('-');
  if (dash == std::string_view::npos || header.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  auto number = [](std::string_view text) -> std::optional<std::uint64_t> {
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return v;
  };
  const auto from = header.substr(0, dash), to = header.substr(dash + 1);
  if (from.empty()) {  // the last n bytes
    auto n = number(to);
    if (!n || *n == 0) return std::nullopt;
    return std::make_pair(size - std::min(*n, size), size - 1);
  }
  auto first = number(from);
  if (!first || *first >= size) return std::nullopt;
  if (to.empty()) return std::make_pair(*first, size - 1);
  auto last = number(to);
  if (!last || *last < *first) return std::nullopt;
  return std::make_pair(*first, std::min(*last, size - 1));
}

}  // namespace

kj::Promise<void> HttpGateway::dossierDocuments(Request& r, kj::StringPtr dossierId) {
  if (r.past) {
    return sendProblem(r, 400, "invalid_input",
                       "?at= and ?as_of= apply to the views, not to documents");
  }
  if (r.path.size() == 5) {
    const std::string sha256 = r.path[4];
    if (r.method == kj::HttpMethod::DELETE) return detachDocument(r, dossierId, sha256);
    return downloadDocument(r, dossierId, sha256);
  }
  if (r.method == kj::HttpMethod::POST) return uploadDocument(r, dossierId);
  auto list = parts_.api.documents(*r.who, dossierId.cStr());
  if (!list) return sendProblem(r, list.error());
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& d : *list) documents.push_back(documentJson(d));
  return sendBody(r, 200, "application/json",
                  kj::str(nlohmann::json{{"dossierId", dossierId.cStr()}, {"documents", documents}}
                              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              .c_str(),
                          "\n"));
}

kj::Promise<void> HttpGateway::uploadDocument(Request& r, kj::StringPtr dossierId) {
  const auto field = r.param("field");
  const auto name = r.param("name");
  if (!field || !name) {
    return sendProblem(r, 400, "invalid_input",
                       "give the attachment field and the file's name: ?field=F&name=N");
  }
  auto ifMatch = readIfMatch(r);
  if (!ifMatch) return sendProblem(r, ifMatch.error());
  // Everything that can refuse the upload, before its first byte is read.
  auto slot = parts_.api.mayUpload(*r.who, dossierId.cStr(), *field,
                                   *ifMatch == 0 ? std::nullopt : std::optional(*ifMatch));
  if (!slot) return sendProblem(r, slot.error());
  KJ_IF_MAYBE (length, r.body.tryGetLength()) {
    if (*length > slot->maxBytes) {
      return sendProblem(r, 413, "too_large",
                         kj::str("the file is ", *length, " bytes, over the limit of ",
                                 slot->maxBytes, " for this dossier's \"", field->c_str(), "\""));
    }
  }
  auto begun = parts_.api.drafts()->documents().begin(dossierId.cStr(), slot->maxBytes);
  if (!begun) return sendProblem(r, begun.error());
  auto state = std::make_shared<Upload>();
  state->upload = std::move(begun).value();
  state->slot = std::move(slot).value();
  state->name = *name;
  state->ifMatch = *ifMatch;
  return receiveUpload(r, state).then([this, &r, state, id = std::string(dossierId.cStr())](
                                          bool complete) -> kj::Promise<void> {
    if (!complete) return kj::READY_NOW;  // already answered
    const std::string type = workflows::detectContentType(state->upload->head());
    const auto& allowed = state->slot.contentTypes;
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      std::string list;
      for (const auto& t : allowed) list += (list.empty() ? "" : ", ") + t;
      return sendProblem(r, 415, "unsupported_media_type",
                         kj::str("the file is ", type.c_str(), ", which \"",
                                 state->slot.field.c_str(), "\" does not take (", list.c_str(),
                                 ")"));
    }
    Principal who = *r.who;
    workflows::Drafts& drafts = *parts_.api.drafts();
    return parts_.pool
        .run([state, &drafts, who, id, type] {
          auto stored = state->upload->finish(type);
          if (!stored) {
            state->error = stored.error();
            return;
          }
          auto draft = drafts.attach(id, state->slot.field, state->name, *stored,
                                     state->ifMatch == 0 ? std::nullopt
                                                         : std::optional(state->ifMatch),
                                     {who.subject, who.has(Role::Administrator)});
          if (!draft) {
            state->error = draft.error();
            return;
          }
          state->document = draft->application.documents.back();
          state->draft = std::move(draft).value();
        })
        .then(
            [this, &r, state]() -> kj::Promise<void> {
              if (state->error) return sendProblem(r, *state->error);
              r.etag = "\"" + std::to_string(state->draft->version) + "\"";
              nlohmann::json body = documentJson(state->document);
              body["draftVersion"] = std::to_string(state->draft->version);
              return sendBody(r, 201, "application/json",
                              kj::str(body.dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
                                          .c_str(),
                                      "\n"));
            },
            [this, &r](kj::Exception&& e) -> kj::Promise<void> {
              return sendProblem(r, 503, "unavailable", kjMessage(e).c_str());
            });
  });
}

// Reads the body into the upload until its end (true), or answers the
// request itself (false): 413 past the limit, 415 as soon as the first bytes
// say a type the field does not take.
kj::Promise<bool> HttpGateway::receiveUpload(Request& r, std::shared_ptr<Upload> state) {
  return r.body.tryRead(state->buffer.begin(), 1, state->buffer.size())
      .then([this, &r, state](std::size_t n) -> kj::Promise<bool> {
        if (n == 0) return true;
        const bool headWasShort = state->upload->head().size() < workflows::documentHeadBytes;
        auto written = state->upload->write(
            std::string_view(reinterpret_cast<const char*>(state->buffer.begin()), n));
        if (!written) {
          const bool over = state->upload->size() + n > state->slot.maxBytes;
          return sendProblem(r, over ? 413 : 500, over ? "too_large" : "internal",
                             written.error().message.c_str())
              .then([] { return false; });
        }
        if (headWasShort && state->upload->head().size() >= workflows::documentHeadBytes) {
          const std::string type = workflows::detectContentType(state->upload->head());
          const auto& allowed = state->slot.contentTypes;
          if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
            return sendProblem(r, 415, "unsupported_media_type",
                               kj::str("the file is ", type.c_str(), ", which \"",
                                       state->slot.field.c_str(), "\" does not take"))
                .then([] { return false; });
          }
        }
        return receiveUpload(r, state);
      });
}

kj::Promise<void> HttpGateway::detachDocument(Request& r, kj::StringPtr dossierId,
                                              const std::string& sha256) {
  if (auto may = parts_.api.mayDraft(*r.who); !may) return sendProblem(r, may.error());
  auto ifMatch = readIfMatch(r);
  if (!ifMatch) return sendProblem(r, ifMatch.error());
  Principal who = *r.who;
  auto result = std::make_shared<Result<workflows::Draft>>(Error::bug("not run"));
  workflows::Drafts& drafts = *parts_.api.drafts();
  return parts_.pool
      .run([result, &drafts, who, id = std::string(dossierId.cStr()), sha256,
            version = *ifMatch] {
        *result = drafts.detach(id, sha256, version == 0 ? std::nullopt : std::optional(version),
                                {who.subject, who.has(Role::Administrator)});
      })
      .then(
          [this, &r, result]() -> kj::Promise<void> {
            if (!*result) return sendProblem(r, result->error());
            r.etag = "\"" + std::to_string((*result)->version) + "\"";
            return sendBody(r, 200, "application/json",
                            kj::str("{\"draftVersion\":\"", (*result)->version, "\"}\n"));
          },
          [this, &r](kj::Exception&& e) -> kj::Promise<void> {
            return sendProblem(r, 503, "unavailable", kjMessage(e).c_str());
          });
}

kj::Promise<void> HttpGateway::downloadDocument(Request& r, kj::StringPtr dossierId,
                                                const std::string& sha256) {
  auto list = parts_.api.documents(*r.who, dossierId.cStr());
  if (!list) return sendProblem(r, list.error());
  const auto ref = std::find_if(list->begin(), list->end(),
                                [&](const workflows::DocumentRef& d) { return d.sha256 == sha256; });
  if (ref == list->end()) {
    return sendProblem(r, 404, "not_found",
                       kj::str("dossier ", dossierId, " has no document ", sha256.substr(0, 64).c_str()));
  }
  auto& store = parts_.api.drafts()->documents();
  auto found = store.find(dossierId.cStr(), sha256);
  if (!found) return sendProblem(r, found.error());
  if (!found->has_value()) {
    return sendProblem(r, 404, "not_found",
                       kj::str("the bytes of document ", sha256.c_str(), " are not in the store"));
  }
  const workflows::StoredDocument document = **found;
  // Readable (its key not erased): checked before the status line goes out.
  if (auto readable = store.read(document, 0, 0, [](std::string_view) { return okStatus(); });
      !readable) {
    return sendProblem(r, readable.error());
  }
  const std::string etag = "\"" + sha256 + "\"";
  kj::HttpHeaders headers(table_);
  headers.set(cacheControl_, "private, no-cache");
  headers.set(etag_, kj::str(etag.c_str()));
  headers.set(acceptRanges_, "bytes");
  KJ_IF_MAYBE (none, r.headers.get(ifNoneMatch_)) {
    if (*none == etag) {
      parts_.metrics.httpResponse(304);
      r.response.send(304, "Not Modified", headers, uint64_t(0));
      return kj::READY_NOW;
    }
  }
  std::uint64_t first = 0, last = document.size == 0 ? 0 : document.size - 1;
  unsigned status = 200;
  KJ_IF_MAYBE (range, r.headers.get(range_)) {
    auto parsed = parseRange(std::string_view(range->cStr(), range->size()), document.size);
    if (!parsed) {
      return sendProblem(r, 416, "range_not_satisfiable",
                         kj::str("the document is ", document.size, " bytes; ask one range of "
                                 "them (bytes=first-last)"));
    }
    first = parsed->first;
    last = parsed->second;
    status = 206;
    headers.set(contentRange_, kj::str("bytes ", first, "-", last, "/", document.size));
  }
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, kj::str(document.contentType.c_str()));
  headers.set(contentDisposition_,
              kj::str("attachment; filename*=UTF-8''", kj::encodeUriComponent(kj::StringPtr(ref->name.c_str()))));
  const std::uint64_t length = document.size == 0 ? 0 : last - first + 1;
  parts_.metrics.httpResponse(static_cast<int>(status));
  auto stream = r.response.send(status, status == 206 ? "Partial Content" : "OK", headers, length);
  if (r.headOnly || length == 0) return kj::READY_NOW;
  return sendDocumentBytes(*stream, document, first, first + length).attach(kj::mv(stream));
}

// One chunk at a time: read, opened, written, then the next; at most one
// chunk of the file in memory per download.
kj::Promise<void> HttpGateway::sendDocumentBytes(kj::AsyncOutputStream& out,
                                                 workflows::StoredDocument document,
                                                 std::uint64_t from, std::uint64_t end) {
  if (from >= end) return kj::READY_NOW;
  const std::uint64_t chunkEnd =
      std::min(end, (from / workflows::documentChunkBytes + 1) * workflows::documentChunkBytes);
  auto bytes = std::make_shared<std::string>();
  Status read = parts_.api.drafts()->documents().read(
      document, from, chunkEnd - from, [&](std::string_view piece) {
        bytes->append(piece);
        return okStatus();
      });
  if (!read) {
    // The status line is gone: the connection is cut, which a client sees
    // as a short body (and the log says why).
    parts_.logger->error("document {} of dossier {}: {}", document.sha256, document.dossierId,
                         read.error().message);
    return KJ_EXCEPTION(FAILED, read.error().message);
  }
  return out.write(bytes->data(), bytes->size())
      .then([this, &out, document = std::move(document), chunkEnd, end, bytes]() mutable {
        return sendDocumentBytes(out, std::move(document), chunkEnd, end);
      });
}

}  // namespace parcours::adapters
