// The OpenAPI document (docs/openapi.json, served at /v1/openapi.json) says
// what the server does, both ways: every path and method it lists is one
// the server routes, every route the server has (its route table, which
// gates every request) is in it with the same methods, and every event type
// the server can emit is in its enums.
#include <gtest/gtest.h>

#include <capnp/schema.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http_routes.h"
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

// "GET, HEAD, POST" -> {"get", "post"}: OpenAPI lists no HEAD (it is GET's).
std::set<std::string> openApiMethods(std::string_view allow) {
  std::set<std::string> out;
  std::size_t at = 0;
  while (at < allow.size()) {
    const std::size_t end = std::min(allow.find(',', at), allow.size());
    std::string item(allow.substr(at, end - at));
    item.erase(0, item.find_first_not_of(' '));
    for (char& c : item) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (item != "head") out.insert(item);
    at = end + 1;
  }
  return out;
}

TEST(OpenApiTest, EveryRouteOfTheServerIsInTheDocumentWithTheSameMethods) {
  const json doc = openapi();
  std::set<std::string> routed;
  for (const adapters::HttpRoute& route : adapters::httpRoutes) {
    if (!route.inOpenApi) continue;
    const std::string pattern(route.pattern);
    routed.insert(pattern);
    ASSERT_TRUE(doc.at("paths").contains(pattern)) << pattern << " is routed but not in the document";
    std::set<std::string> listed;
    for (const auto& [method, operation] : doc.at("paths").at(pattern).items()) {
      if (method != "parameters") listed.insert(method);
    }
    EXPECT_EQ(listed, openApiMethods(route.allow)) << pattern;
  }
  for (const auto& [pattern, operations] : doc.at("paths").items()) {
    EXPECT_TRUE(routed.count(pattern)) << pattern << " is in the document but routes nowhere";
  }
}

// The table gates every request: a method a route does not list is a 405
// naming the route's methods, before any token is asked for.
TEST(OpenApiTest, EveryRouteRefusesAMethodItDoesNotListWith405AndItsAllowHeader) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  std::size_t checked = 0;
  for (const adapters::HttpRoute& route : adapters::httpRoutes) {
    std::string path(route.pattern);
    for (std::size_t open; (open = path.find('{')) != std::string::npos;) {
      path.replace(open, path.find('}', open) - open + 1, "x1");
    }
    for (const kj::HttpMethod method : {kj::HttpMethod::PATCH, kj::HttpMethod::DELETE,
                                        kj::HttpMethod::PUT, kj::HttpMethod::POST}) {
      if (adapters::routeAllows(route, method)) continue;
      auto reply = client.send(method, path, "", method == kj::HttpMethod::DELETE ? "" : "{}");
      ++checked;
      EXPECT_EQ(reply.status, 405u) << kj::str(method).cStr() << " " << path << ": " << reply.body;
      EXPECT_EQ(reply.allow, route.allow) << kj::str(method).cStr() << " " << path;
    }
  }
  EXPECT_GT(checked, 100u);
  // And a path in no route is a 404 that says so, token or not.
  for (const std::string path : {"/v1/nothing", "/v1/dossiers/x1/promote", "/public/v1/x", "/v1",
                                 "/public"}) {
    auto reply = client.get(path, "");
    EXPECT_EQ(reply.status, 404u) << path;
    EXPECT_NE(reply.body.find("no such endpoint"), std::string::npos) << path << ": " << reply.body;
  }
  EXPECT_EQ(server.stop(), 0);
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
