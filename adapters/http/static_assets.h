// Files the server serves as they were at build time: the dashboard
// (adapters/http/dashboard/) and the OpenAPI document (docs/openapi.json),
// embedded so `parcours serve` needs nothing beside its binary.
#pragma once

#include <optional>
#include <string_view>

namespace parcours::adapters::assets {

struct Asset {
  const char* contentType;
  const char* body;
};

// "index.html", "app.js", "style.css"; nothing for another name.
std::optional<Asset> dashboardFile(std::string_view name);
const char* openapiJson();

}  // namespace parcours::adapters::assets
