// Every path and method the HTTP gateway answers, in one table. The
// gateway matches each request against it before anything else is done:
// a path not in it is a 404, a method a route does not list a 405 with its
// Allow header; only then is the request authenticated and dispatched. So
// nothing is reachable that is not here, and the tests compare this table
// with docs/openapi.json both ways (tests/server/openapi_test.cc).
#pragma once

#include <kj/compat/http.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::adapters {

struct HttpRoute {
  // "/v1/dossiers/{dossierId}/submit": a "{name}" segment matches any one
  // segment; every other segment matches itself.
  std::string_view pattern;
  // The methods, as the Allow header lists them ("GET, HEAD, POST"): HEAD
  // wherever GET is (RFC 9110); the SSE stream has no HEAD (it never ends).
  std::string_view allow;
  // Part of the API (in docs/openapi.json), or the dashboard's own files.
  bool inOpenApi = true;
};

inline constexpr std::string_view getHead = "GET, HEAD";

inline constexpr auto httpRoutes = std::to_array<HttpRoute>({
    // Operations and the dashboard (no token).
    {"/", getHead},
    {"/healthz", getHead},
    {"/readyz", getHead},
    {"/metrics", getHead},
    {"/status", getHead},
    {"/{dashboardFile}", getHead, false},
    // Public pages (no token).
    {"/public/v1/campaigns/{campaignId}/laureates", getHead},
    {"/public/v1/campaigns/{campaignId}/laureates.html", getHead},
    // The API.
    {"/v1/openapi.json", getHead},
    {"/v1/campaigns", getHead},
    {"/v1/campaigns/{campaignId}", "GET, HEAD, POST"},
    {"/v1/campaigns/{campaignId}/rules", "GET, HEAD, PUT"},
    {"/v1/campaigns/{campaignId}/jury", "PUT"},
    {"/v1/campaigns/{campaignId}/conflicts", "POST"},
    {"/v1/campaigns/{campaignId}/phase", "POST"},
    {"/v1/campaigns/{campaignId}/budget", "GET, HEAD, POST"},
    {"/v1/campaigns/{campaignId}/milestones", "POST"},
    {"/v1/campaigns/{campaignId}/stats", getHead},
    {"/v1/campaigns/{campaignId}/leaderboard", getHead},
    {"/v1/campaigns/{campaignId}/audit", getHead},
    {"/v1/timers", getHead},
    {"/v1/timers/{timerId}/reschedule", "POST"},
    {"/v1/timers/{timerId}/cancel", "POST"},
    {"/v1/dossiers", getHead},
    {"/v1/dossiers/{dossierId}", getHead},
    {"/v1/dossiers/{dossierId}/timeline", getHead},
    {"/v1/dossiers/{dossierId}/answers", getHead},
    {"/v1/dossiers/{dossierId}/draft", "GET, HEAD, PUT, DELETE"},
    {"/v1/dossiers/{dossierId}/draft/submit", "POST"},
    {"/v1/dossiers/{dossierId}/documents", "GET, HEAD, POST"},
    {"/v1/dossiers/{dossierId}/documents/{sha256}", "GET, HEAD, DELETE"},
    {"/v1/dossiers/{dossierId}/audit", getHead},
    {"/v1/dossiers/{dossierId}/submit", "POST"},
    {"/v1/dossiers/{dossierId}/eligible", "POST"},
    {"/v1/dossiers/{dossierId}/ineligible", "POST"},
    {"/v1/dossiers/{dossierId}/not-selected", "POST"},
    {"/v1/dossiers/{dossierId}/audition", "POST"},
    {"/v1/dossiers/{dossierId}/audition-held", "POST"},
    {"/v1/dossiers/{dossierId}/no-show", "POST"},
    {"/v1/dossiers/{dossierId}/score", "POST"},
    {"/v1/dossiers/{dossierId}/close-scoring", "POST"},
    {"/v1/dossiers/{dossierId}/vote", "POST"},
    {"/v1/dossiers/{dossierId}/close-vote", "POST"},
    {"/v1/dossiers/{dossierId}/award", "POST"},
    {"/v1/dossiers/{dossierId}/withdraw", "POST"},
    {"/v1/events", getHead},
    {"/v1/events/stream", "GET"},
    {"/v1/webhooks", "GET, HEAD, POST"},
    {"/v1/webhooks/{webhookId}", "GET, HEAD, DELETE"},
    {"/v1/webhooks/{webhookId}/dead-letters", getHead},
    {"/v1/webhooks/{webhookId}/dead-letters/replay", "POST"},
    {"/v1/webhooks/{webhookId}/events", getHead},
});

// The route `path` (its decoded segments) takes: the one with the most
// literal segments among those that match, or nullptr.
const HttpRoute* findHttpRoute(const std::vector<std::string>& path);

// Whether the route answers `method` (HEAD wherever its Allow lists it).
bool routeAllows(const HttpRoute& route, kj::HttpMethod method);

}  // namespace parcours::adapters
