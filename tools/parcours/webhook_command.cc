// `parcours webhook add|list|show|remove|dead-letters|replay`: the webhook
// subscriptions (docs/webhooks.md). With --server, through the running
// server's RPC API (which holds the store and delivers); with --data, on the
// store directly while no server runs (the next `parcours serve` delivers).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "output.h"
#include "parcours/adapters/remote_client.h"
#include "parcours/adapters/webhooks.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

using nlohmann::json;

struct WebhookCliOptions {
  std::string id;
  std::string url;
  std::vector<std::string> types;
  std::string campaign;
  std::string stream;
  std::string secret;
  std::string description;
  std::string after;
  bool fromStart = false;
  std::uint64_t pageAfter = 0;
  std::size_t limit = 100;
  bool json = false;
};

// The API's camelCase field names in snake_case, as every --json of the CLI.
json snakeCased(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) out.push_back(snakeCased(item));
    return out;
  }
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [key, item] : value.items()) {
    std::string snake;
    for (char c : key) {
      if (c >= 'A' && c <= 'Z') {
        snake += '_';
        snake += static_cast<char>(c - 'A' + 'a');
      } else {
        snake += c;
      }
    }
    out[snake] = snakeCased(item);
  }
  return out;
}

Result<json> runWebhookOperation(const Context& context, const std::string& operation,
                                 const std::string& id, const std::string& body) {
  Result<std::string> answer = Error::bug("no answer");
  if (!context.server.empty()) {
    auto client = adapters::RemoteClient::connect(context.server, context.token);
    if (!client) return client.error();
    answer = (*client)->webhooks(operation, id, body);
  } else {
    auto log = openStore(context, StoreUse::Existing);
    if (!log) return log.error();
    answer = adapters::webhookOperationOnStore(**log, operation, id, body);
  }
  if (!answer) return answer.error();
  return json::parse(*answer);
}

std::string filterText(const json& filter) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
  if (!filter.at("types").empty()) {
    std::string types;
    for (const auto& t : filter.at("types")) types += (types.empty() ? "" : ",") + t.get<std::string>();
    add("type=" + types);
  }
  if (!filter.at("campaign").get<std::string>().empty())
    add("campaign=" + filter.at("campaign").get<std::string>());
  if (!filter.at("stream").get<std::string>().empty())
    add("stream=" + filter.at("stream").get<std::string>() + "*");
  return text.empty() ? "every event" : text;
}

int runWebhook(const Context& context, const std::string& operation,
               const WebhookCliOptions& o) {
  std::string body;
  if (operation == "create") {
    json in{{"url", o.url},
            {"filter", {{"types", o.types}, {"campaign", o.campaign}, {"stream", o.stream}}}};
    if (!o.secret.empty()) in["secret"] = o.secret;
    if (!o.description.empty()) in["description"] = o.description;
    if (o.fromStart) in["after"] = 0;
    if (!o.after.empty()) in["after"] = o.after;
    body = in.dump();
  }
  if (operation == "dead-letters") body = json{{"after", o.pageAfter}, {"limit", o.limit}}.dump();
  auto answer = runWebhookOperation(context, operation, o.id, body);
  if (!answer) return reportError(answer.error());
  const json& a = *answer;
  if (o.json) {
    printJson(snakeCased(a));
    return 0;
  }
  if (operation == "create") {
    std::cout << "webhook " << a.at("id").get<std::string>() << " -> " << a.at("url").get<std::string>()
              << " (" << filterText(a.at("filter")) << ", after position "
              << a.at("cursor").get<std::string>() << ")\nsecret "
              << a.at("secret").get<std::string>() << "\n";
    std::cerr << "the secret is shown once: give it to the receiver now (docs/webhooks.md)\n";
  } else if (operation == "list") {
    Table table({"webhook", "url", "filter", "cursor", "description"});
    table.alignRight(3);
    for (const auto& w : a.at("webhooks")) {
      table.addRow({w.at("id"), ellipsize(w.at("url"), 50), filterText(w.at("filter")),
                    w.at("cursor"), ellipsize(w.at("description"), 40)});
    }
    table.print(std::cout);
    std::cerr << plural(a.at("webhooks").size(), "webhook") << ", log head "
              << a.at("head").get<std::string>() << "\n";
  } else if (operation == "show") {
    Table table({"field", "value"});
    table.addRow({"webhook", a.at("id")});
    table.addRow({"url", a.at("url")});
    table.addRow({"filter", filterText(a.at("filter"))});
    table.addRow({"description", a.at("description")});
    table.addRow({"created", a.at("createdAt")});
    table.addRow({"cursor", a.at("cursor").get<std::string>() + " (head " +
                                a.at("head").get<std::string>() + ", " +
                                std::to_string(a.at("lagEvents").get<std::uint64_t>()) +
                                " behind)"});
    table.addRow({"dead letters", std::to_string(a.at("deadLetters").get<std::uint64_t>()) +
                                      " (+" + std::to_string(a.at("parked").get<std::uint64_t>()) +
                                      " parked behind them)"});
    if (a.value("replayPending", false)) table.addRow({"replay", "asked, not begun"});
    if (a.contains("delivery")) {
      const auto& d = a.at("delivery");
      table.addRow({"since start", std::to_string(d.at("delivered").get<std::uint64_t>()) +
                                       " delivered, " +
                                       std::to_string(d.at("failures").get<std::uint64_t>()) +
                                       " failed attempts, " +
                                       std::to_string(d.at("retries").get<std::uint64_t>()) +
                                       " retries"});
    }
    table.print(std::cout);
  } else if (operation == "remove") {
    std::cout << "webhook " << a.at("id").get<std::string>()
              << " removed, with its cursor and dead letters\n";
  } else if (operation == "dead-letters") {
    Table table({"position", "stream", "event", "attempts", "parked behind", "last error"});
    table.alignRight(0).alignRight(3);
    for (const auto& d : a.at("deadLetters")) {
      const std::string behind = d.at("parkedBehind");
      table.addRow({d.at("position"), d.at("streamId"), d.at("type"),
                    std::to_string(d.at("attempts").get<std::uint64_t>()),
                    behind == "0" ? "-" : behind, ellipsize(d.at("lastError"), 60)});
    }
    table.print(std::cout);
    if (!a.at("next").is_null()) {
      std::cerr << "more: --after " << a.at("deadLetters").back().at("position").get<std::string>()
                << "\n";
    }
  } else if (operation == "replay") {
    std::cout << "webhook " << a.at("id").get<std::string>() << ": replaying "
              << plural(a.at("replaying").get<std::uint64_t>(), "dead letter") << " in order"
              << (a.at("serverRunning").get<bool>() ? "" : " (when `parcours serve` next runs)")
              << "\n";
  }
  return 0;
}

}  // namespace

void addWebhookCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand(
      "webhook", "Webhook subscriptions: signed, retried deliveries of the events to a URL");
  group->require_subcommand(1);
  group->footer(
      "\nWith --server ADDR --token T (an administrator's), through the running server;\n"
      "with --data DIR, on the store while no server runs. docs/webhooks.md.\n" +
      helpFooter("parcours --server 127.0.0.1:8081 --token $ADMIN webhook add "
                 "http://crm.local/hooks --type DossierSubmitted"));
  auto o = std::make_shared<WebhookCliOptions>();
  auto verb = [&](const char* name, const char* operation, const char* help,
                  const std::string& example, const std::string& json) {
    CLI::App* c = group->add_subcommand(name, help);
    c->footer("\n--json: " + json + "\n" + helpFooter(example));
    c->add_flag("--json", o->json, "Print one JSON object");
    c->callback([o, operation, &run] {
      run = [o, operation](const Context& context) { return runWebhook(context, operation, *o); };
    });
    return c;
  };
  CLI::App* add = verb("add", "create", "Subscribe a URL to the events (prints its secret once)",
                       "parcours --server 127.0.0.1:8081 --token $ADMIN webhook add "
                       "http://127.0.0.1:9000/hook --campaign label-2020 --type DossierSubmitted",
                       "{id, url, filter: {types, campaign, stream}, description, created_at, "
                       "cursor, secret}");
  add->add_option("url", o->url, "The receiver's http:// URL")->required();
  add->add_option("--type", o->types, "Only this event type (repeat for several)");
  add->add_option("--campaign", o->campaign, "Only this campaign's events");
  add->add_option("--stream", o->stream, "Only streams starting with this (dossier-d-1)");
  add->add_option("--secret", o->secret, "whsec_<base64> (default: a new random one)");
  add->add_option("--description", o->description, "What it is for, for people");
  auto* fromStart = add->add_flag("--from-start", o->fromStart,
                                  "Deliver the whole log first (default: new events only)");
  add->add_option("--after", o->after, "Deliver the events after this position")
      ->excludes(fromStart);
  verb("list", "list", "The webhook subscriptions",
       "parcours --server 127.0.0.1:8081 --token $ADMIN webhook list",
       "{webhooks: [{id, url, filter, description, created_at, cursor}], head}");
  verb("show", "show", "One subscription: its cursor, lag and dead letters",
       "parcours --server 127.0.0.1:8081 --token $ADMIN webhook show wh_0123456789abcdef",
       "{id, url, filter, description, created_at, cursor, head, lag_events, dead_letters, "
       "parked, replay_pending, delivery: {delivered, failures, retries, dead_lettered, parked}}")
      ->add_option("id", o->id, "The webhook's id")
      ->required();
  verb("remove", "remove", "Delete a subscription, its cursor and dead letters",
       "parcours --server 127.0.0.1:8081 --token $ADMIN webhook remove wh_0123456789abcdef",
       "{id, removed}")
      ->add_option("id", o->id, "The webhook's id")
      ->required();
  CLI::App* dead =
      verb("dead-letters", "dead-letters", "The events given up on, and those parked behind them",
           "parcours --server 127.0.0.1:8081 --token $ADMIN webhook dead-letters wh_0123456789abcdef",
           "{id, dead_letters: [{position, stream_id, type, attempts, last_error, dead_at, "
           "parked_behind}], next}");
  dead->add_option("id", o->id, "The webhook's id")->required();
  dead->add_option("--after", o->pageAfter, "From after this position (the page's cursor)");
  dead->add_option("--limit", o->limit, "At most this many")->check(CLI::Range(1, 1000));
  verb("replay", "replay", "Deliver the dead letters again, in order",
       "parcours --server 127.0.0.1:8081 --token $ADMIN webhook replay wh_0123456789abcdef",
       "{id, replaying, server_running}")
      ->add_option("id", o->id, "The webhook's id")
      ->required();
}

}  // namespace parcours::cli
