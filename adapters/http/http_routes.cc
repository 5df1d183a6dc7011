#include "http_routes.h"

namespace parcours::adapters {
namespace {

// The literal segments of `pattern` that match `path`, or -1 when it does
// not match.
int literalMatches(std::string_view pattern, const std::vector<std::string>& path) {
  int literals = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (at >= pattern.size()) return i == path.size() ? literals : -1;
    if (i == path.size()) return -1;
    const std::size_t begin = at + 1;  // past the '/'
    const std::size_t end = std::min(pattern.find('/', begin), pattern.size());
    const std::string_view segment = pattern.substr(begin, end - begin);
    at = end;
    if (segment.starts_with('{')) continue;
    if (segment != path[i]) return -1;
    ++literals;
  }
  return -1;
}

}  // namespace

const HttpRoute* findHttpRoute(const std::vector<std::string>& path) {
  // "/" is the one pattern with no segment (kj drops empty segments and a
  // trailing slash, so "/v1/campaigns/" is "/v1/campaigns").
  static_assert(httpRoutes[0].pattern == "/", "the root is the table's first route");
  if (path.empty()) return &httpRoutes[0];
  // The API's own prefixes are no dashboard file: "/v1" alone is no route.
  if (path.size() == 1 && (path[0] == "v1" || path[0] == "public")) return nullptr;
  const HttpRoute* best = nullptr;
  int bestLiterals = -1;
  for (const HttpRoute& route : httpRoutes) {
    if (route.pattern == "/") continue;
    const int literals = literalMatches(route.pattern, path);
    if (literals > bestLiterals) {
      best = &route;
      bestLiterals = literals;
    }
  }
  return best;
}

bool routeAllows(const HttpRoute& route, kj::HttpMethod method) {
  const std::string_view name = [&] {
    switch (method) {
      case kj::HttpMethod::GET: return std::string_view("GET");
      case kj::HttpMethod::HEAD: return std::string_view("HEAD");
      case kj::HttpMethod::POST: return std::string_view("POST");
      case kj::HttpMethod::PUT: return std::string_view("PUT");
      case kj::HttpMethod::DELETE: return std::string_view("DELETE");
      default: return std::string_view();
    }
  }();
  if (name.empty()) return false;
  // A comma-separated list: compare whole names ("PUT" is not in "OUTPUT").
  std::size_t at = 0;
  while (at < route.allow.size()) {
    const std::size_t end = std::min(route.allow.find(',', at), route.allow.size());
    std::string_view item = route.allow.substr(at, end - at);
    while (item.starts_with(' ')) item.remove_prefix(1);
    if (item == name) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace parcours::adapters
