// The OpenAPI document (docs/openapi.json, served at /v1/openapi.json) says
// what the server does: every path and method it lists is one the server
// routes, and every event type the server can emit is in its enums.
#include <gtest/gtest.h>

#include <capnp/schema.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "parcours/workflows/domain_events.h"
#include "server_process.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

json openapi() {
  std::ifstream in(PARCOURS_OPENAPI);
  return json::parse(in);
}

// Every event type of the domain schema: a union member each.
template <typename Union>
std::set<std::string> typesOf() {
  std::set<std::string> out;
  for (auto field : capnp::Schema::from<Union>().getUnionFields()) {
    const auto which = static_cast<typename Union::Which>(field.getProto().getDiscriminantValue());
    out.insert(std::string(workflows::eventTypeName(which)));
  }
  return out;
}

TEST(OpenApiTest, EveryEventTypeTheServerEmitsIsInEveryEnumOfTypes) {
  std::set<std::string> emitted = typesOf<workflows::schema::DossierEvent>();
  for (const auto& t : typesOf<workflows::schema::CampaignEvent>()) emitted.insert(t);
  ASSERT_GT(emitted.size(), 20u);
  const json doc = openapi();
  const std::vector<json> enums = {
      doc.at("components").at("parameters").at("eventType").at("schema").at("items").at("enum"),
      doc.at("components").at("schemas").at("Event").at("properties").at("type").at("enum"),
      doc.at("components").at("schemas").at("WebhookFilter").at("properties").at("types").at("items").at("enum")};
  for (const json& e : enums) {
    const std::set<std::string> listed(e.begin(), e.end());
    for (const auto& t : emitted) EXPECT_TRUE(listed.count(t)) << t << " is not in the OpenAPI enum";
    for (const auto& t : listed) EXPECT_TRUE(emitted.count(t)) << t << " is no event type";
  }
}

TEST(OpenApiTest, EveryPathAndMethodItListsIsOneTheServerRoutes) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "oa");
  ASSERT_EQ(client.post("/v1/dossiers/oa-1/submit", admin, submissionBody("oa")).status, 200u);
  const json doc = openapi();
  std::size_t checked = 0;
  for (const auto& [pattern, operations] : doc.at("paths").items()) {
    std::string path = pattern;
    for (const auto& [name, value] : std::map<std::string, std::string>{
             {"{campaignId}", "oa"}, {"{dossierId}", "oa-1"}, {"{webhookId}", "wh_unknown"}}) {
      if (auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
    }
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") continue;
      if (pattern == "/v1/events/stream") continue;  // a stream never ends: the SSE tests cover it
      const kj::HttpMethod m = method == "get"    ? kj::HttpMethod::GET
                               : method == "post" ? kj::HttpMethod::POST
                               : method == "put"  ? kj::HttpMethod::PUT
                                                  : kj::HttpMethod::DELETE;
      auto reply = client.send(m, path, admin, m == kj::HttpMethod::GET ? "" : "{}");
      ++checked;
      EXPECT_NE(reply.status, 405u) << method << " " << pattern << ": " << reply.body;
      if (reply.status == 404) {
        // An unknown id is a 404 too; an unknown route says so.
        EXPECT_EQ(reply.body.find("no such"), std::string::npos)
            << method << " " << pattern << " is not routed: " << reply.body;
      }
    }
  }
  EXPECT_GT(checked, 40u);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
