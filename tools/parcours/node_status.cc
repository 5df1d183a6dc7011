// `parcours status --node`: where a node stands — its log's head, its views, and
// what NATS makes of it (a primary's publishing lag, a replica's position
// and gaps). From a running server (--url, its GET /status), or from a
// store no server holds (--data): what its tables recorded.
#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <iostream>

#include "node_status.h"
#include "output.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

Result<nlohmann::json> fetchStatus(const std::string& url) {
  try {
    auto io = kj::setupAsyncIo();
    kj::HttpHeaderTable table;
    auto client = kj::newHttpClient(io.provider->getTimer(), table, io.provider->getNetwork(), nullptr);
    const std::string target = (url.ends_with("/") ? url.substr(0, url.size() - 1) : url) + "/status";
    kj::HttpHeaders headers(table);
    auto request = client->request(kj::HttpMethod::GET, target.c_str(), headers);
    auto response = request.response.wait(io.waitScope);
    auto body = response.body->readAllText().wait(io.waitScope);
    if (response.statusCode != 200) {
      return Error::ioError(target + " answered " + std::to_string(response.statusCode));
    }
    auto parsed = nlohmann::json::parse(body.cStr(), nullptr, false);
    if (parsed.is_discarded()) return Error::ioError(target + " did not answer JSON");
    return parsed;
  } catch (const kj::Exception& e) {
    return Error::ioError("cannot reach " + url + ": " + e.getDescription().cStr());
  }
}

// What a store no server holds says of itself.
Result<nlohmann::json> storeStatus(const Context& context) {
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return log.error();
  nlohmann::json status{{"role", "store"}, {"head", (*log)->head()}, {"readOnly", (*log)->readOnly()}};
  for (const auto& name : (*log)->listTables()) {
    if (name != "nats-publisher" && name != "nats-replica") continue;
    auto table = (*log)->openTable(name);
    if (!table) return table.error();
    auto rows = (*table)->scan("", "", 100);
    if (!rows) return rows.error();
    for (const auto& [key, value] : *rows) status[name][key] = value;
  }
  return status;
}

void printStatusTable(const nlohmann::json& s) {
  Table table({"what", "value"});
  table.alignRight(1);
  auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  table.addRow({"role", text(s.value("role", nlohmann::json("-")))});
  table.addRow({"log head", text(s.value("head", nlohmann::json(0)))});
  if (s.contains("views")) table.addRow({"views at", text(s["views"])});
  if (s.contains("nats")) {
    const auto& n = s["nats"];
    table.addRow({"nats", text(n.value("url", nlohmann::json(""))) + " stream " +
                              text(n.value("stream", nlohmann::json("")))});
    for (const char* part : {"publisher", "replica"}) {
      if (!n.contains(part)) continue;
      for (const auto& [key, value] : n[part].items()) {
        table.addRow({std::string(part) + " " + key, text(value)});
      }
    }
  }
  for (const char* tableName : {"nats-publisher", "nats-replica"}) {
    if (!s.contains(tableName)) continue;
    for (const auto& [key, value] : s[tableName].items()) {
      table.addRow({std::string(tableName) + " " + key, text(value)});
    }
  }
  table.print(std::cout);
}

}  // namespace

int runNodeStatus(const Context& context, const std::string& url, bool json) {
  auto status = url.empty() ? storeStatus(context) : fetchStatus(url);
  if (!status) return reportError(status.error());
  if (json) {
    printJson(*status);
  } else {
    printStatusTable(*status);
  }
  return 0;
}

}  // namespace parcours::cli
