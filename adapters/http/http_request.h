// One HTTP request as the gateway's handlers see it: method, path segments,
// query parameters (strictly parsed), the caller once authenticated.
#pragma once

#include "parcours/workflows/past_views.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http_gateway.h"

namespace parcours::adapters {

struct HttpGateway::Request {
  Request(kj::HttpMethod m, const kj::HttpHeaders& h, kj::AsyncInputStream& b, Response& r)
      : method(m), headers(h), body(b), response(r) {}

  kj::HttpMethod method;  // HEAD arrives as GET, with headOnly set
  bool headOnly = false;
  std::optional<std::string> allow;  // a 405's Allow header
  const kj::HttpHeaders& headers;
  kj::AsyncInputStream& body;
  Response& response;
  kj::Url url;
  std::vector<std::string> path;  // decoded segments: {"v1", "dossiers", "d-1"}
  std::optional<Principal> who;
  // ?at= / ?as_of=: the views as they stood then, and the Api reading them.
  std::unique_ptr<workflows::PastViews> past;
  std::optional<Api> pastApi;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // The views' position when the request was read (after ?minPosition='s
  // wait), sent as Parcours-Position: the answer reflects at least it.
  std::optional<std::uint64_t> viewsAt;
  // Sent as ETag with a success (a draft's version, quoted).
  std::optional<std::string> etag;

  kj::String pathText() const {
    std::string text;
    for (const auto& s : path) text += "/" + s;
    return kj::str(text.empty() ? "/" : text.c_str());
  }

  // The last value of a query parameter (`?type=` may repeat: see values()).
  std::optional<std::string> param(std::string_view name) const {
    std::optional<std::string> found;
    for (const auto& q : url.query) {
      if (name == q.name.cStr()) found = std::string(q.value.cStr());
    }
    return found;
  }

  // Every value of a repeated or comma-separated parameter.
  std::vector<std::string> values(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& q : url.query) {
      if (name != q.name.cStr()) continue;
      std::string_view rest(q.value.cStr());
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        if (comma != 0) out.emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    return out;
  }

  // A decimal parameter in [0, max]; `fallback` when absent.
  Result<std::uint64_t> numberParam(std::string_view name, std::uint64_t fallback,
                                    std::uint64_t max) const {
    auto text = param(name);
    if (!text) return fallback;
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || ptr != end || value > max) {
      return Error::invalidInput(std::string(name) + ": \"" + *text +
                                 "\" is not a whole number from 0 to " + std::to_string(max));
    }
    return value;
  }

  // ?type= (repeated or comma-separated), ?campaign=, ?stream= (a prefix).
  void fillFilter(rpc::EventFilter::Builder filter) const {
    const auto types = values("type");
    auto list = filter.initTypes(static_cast<unsigned>(types.size()));
    for (unsigned i = 0; i < types.size(); ++i) list.set(i, types[i]);
    filter.setCampaignId(param("campaign").value_or(""));
    filter.setStreamPrefix(param("stream").value_or(""));
  }
};

}  // namespace parcours::adapters
