#include "parcours/adapters/remote_client.h"

#include <capnp/ez-rpc.h>

#include "api_convert.h"
#include "parcours/adapters/rpc/parcours.capnp.h"
#include "parcours/workflows/domain_events.h"
#include "server_parts.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

// Runs a call; a failure comes back as the Error the server meant (its
// description starts with the code name, after Cap'n Proto's "remote
// exception: " prefix).
template <typename Fn>
auto call(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const kj::Exception& e) {
    std::string text = e.getDescription().cStr();
    constexpr std::string_view remote = "remote exception: ";
    if (text.rfind(remote, 0) == 0) text.erase(0, remote.size());
    kj::Exception bare(e.getType(), e.getFile(), e.getLine(), kj::str(text.c_str()));
    return fromException(bare);
  }
}

template <typename T, typename List, typename Read>
Result<std::vector<T>> readList(List list, Read read) {
  std::vector<T> out;
  for (auto item : list) {
    auto one = read(item);
    if (!one) return one.error();
    out.push_back(std::move(one).value());
  }
  return out;
}

}  // namespace

struct RemoteClient::Connection {
  capnp::EzRpcClient client;
  P::Client api = nullptr;
  std::string subject;
  explicit Connection(const std::string& address) : client(address) {}
  kj::WaitScope& ws() { return client.getWaitScope(); }
};

class RemoteClient::Views final : public workflows::ViewQueries {
 public:
  explicit Views(Connection& c) : c_(c) {}

  Result<std::vector<workflows::CampaignSummary>> campaigns() const override {
    auto request = c_.api.campaignsRequest();
    return ask(request, [&](auto& r) {
      return readList<workflows::CampaignSummary>(r.getCampaigns(), readCampaign);
    });
  }
  Result<workflows::CampaignSummary> campaign(std::string_view id) const override {
    auto request = c_.api.campaignRequest();
    request.setCampaignId(std::string(id));
    return ask(request, [&](auto& r) { return readCampaign(r.getCampaign()); });
  }
  Result<workflows::StatusPage> status(const workflows::StatusQuery& q) const override {
    auto request = c_.api.statusRequest();
    auto query = request.initQuery();
    query.setCampaignId(q.campaignId);
    if (q.status) query.setStatus(std::string(workflows::statusName(*q.status)));
    query.setAfter(q.after);
    query.setLimit(static_cast<std::uint32_t>(q.limit));
    return ask(request, [&](auto& r) -> Result<workflows::StatusPage> {
      auto rows = readList<workflows::DossierRow>(r.getPage().getDossiers(), readDossier);
      if (!rows) return rows.error();
      return workflows::StatusPage{std::move(rows).value(), toString(r.getPage().getNextCursor())};
    });
  }
  Result<workflows::DossierRow> dossier(std::string_view id) const override {
    auto request = c_.api.dossierRequest();
    request.setDossierId(std::string(id));
    return ask(request, [&](auto& r) { return readDossier(r.getDossier()); });
  }
  Result<std::vector<workflows::TimelineEntry>> timeline(std::string_view id) const override {
    auto request = c_.api.timelineRequest();
    request.setDossierId(std::string(id));
    return ask(request, [&](auto& r) {
      return readList<workflows::TimelineEntry>(r.getEntries(), readTimelineEntry);
    });
  }
  Result<std::vector<workflows::AuditEntry>> dossierAudit(
      std::string_view id, const workflows::AuditQuery& q) const override {
    auto request = c_.api.dossierAuditRequest();
    request.setDossierId(std::string(id));
    return auditTrail(request, q);
  }
  Result<std::vector<workflows::AuditEntry>> campaignAudit(
      std::string_view id, const workflows::AuditQuery& q) const override {
    auto request = c_.api.campaignAuditRequest();
    request.setCampaignId(std::string(id));
    return auditTrail(request, q);
  }
  Result<workflows::CampaignStats> stats(std::string_view id) const override {
    auto request = c_.api.statsRequest();
    request.setCampaignId(std::string(id));
    return ask(request, [&](auto& r) -> Result<workflows::CampaignStats> {
      return readStats(r.getStats());
    });
  }
  Result<std::vector<workflows::LeaderboardEntry>> leaderboard(std::string_view id) const override {
    auto request = c_.api.leaderboardRequest();
    request.setCampaignId(std::string(id));
    return ask(request, [&](auto& r) {
      return readList<workflows::LeaderboardEntry>(r.getEntries(), readLeaderboardEntry);
    });
  }
  Result<workflows::Budget> budget(std::string_view id) const override {
    auto request = c_.api.budgetRequest();
    request.setCampaignId(std::string(id));
    return ask(request, [&](auto& r) { return readBudget(r.getBudget()); });
  }

 private:
  static std::string toString(capnp::Text::Reader t) { return workflows::toString(t); }

  // Sends `request` and converts its answer; a failed call is its Error.
  template <typename Request, typename Convert>
  auto ask(Request& request, Convert&& convert) const -> decltype(convert(
      std::declval<decltype(request.send().wait(std::declval<kj::WaitScope&>()))&>())) {
    auto r = call([&] { return request.send().wait(c_.ws()); });
    if (!r) return r.error();
    return convert(*r);
  }

  // Either audit trail: the page asked for, and the entries back.
  template <typename Request>
  Result<std::vector<workflows::AuditEntry>> auditTrail(Request& request,
                                                        const workflows::AuditQuery& q) const {
    request.setAfter(q.after);
    request.setLimit(static_cast<std::uint32_t>(q.limit));
    return ask(request, [&](auto& r) {
      return readList<workflows::AuditEntry>(r.getEntries(), readAuditEntry);
    });
  }

  Connection& c_;
};

Result<std::unique_ptr<RemoteClient>> RemoteClient::connect(const std::string& address,
                                                            const std::string& token) {
  std::string hostPort = address;
  constexpr std::string_view scheme = "capnp://";
  if (hostPort.rfind(scheme, 0) == 0) hostPort.erase(0, scheme.size());
  if (hostPort.empty()) return Error::invalidInput("--server: give the server's RPC address");
  if (token.empty()) return Error::invalidInput("--token: required with --server");
  std::unique_ptr<Connection> connection;
  try {
    connection = std::make_unique<Connection>(hostPort);
  } catch (const kj::Exception& e) {
    return Error::ioError("--server " + address + ": " + e.getDescription().cStr());
  }
  auto login = connection->client.getMain<rpc::Gateway>().loginRequest();
  login.setToken(token);
  auto session = call([&] { return login.send().wait(connection->ws()); });
  if (!session) {
    if (session.error().message.rfind("unauthenticated", 0) == 0 ||
        session.error().code == ErrorCode::Internal) {
      return Error::unauthorized("--server " + address +
                                 " refused the token: " + session.error().message);
    }
    return session.error();
  }
  connection->api = session->getApi();
  connection->subject = workflows::toString(session->getSubject());
  return std::unique_ptr<RemoteClient>(new RemoteClient(std::move(connection)));
}

RemoteClient::RemoteClient(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)), views_(std::make_unique<Views>(*connection_)) {}

RemoteClient::~RemoteClient() = default;

const workflows::ViewQueries& RemoteClient::views() const {
  return *views_;
}

const std::string& RemoteClient::subject() const {
  return connection_->subject;
}

Result<RemoteOutcome> RemoteClient::dossier(const std::string& dossierId,
                                            const workflows::DossierCommand& command,
                                            const workflows::CommandContext& context) {
  auto request = connection_->api.dossierCommandRequest();
  request.setDossierId(dossierId);
  request.setCommandId(context.metadata.commandId);
  writeDossierCommand(command, request.initCommand());
  request.getCommand().setReason(context.reason);
  auto r = call([&] { return request.send().wait(connection_->ws()); });
  if (!r) return r.error();
  auto result = r->getResult();
  return RemoteOutcome{readAppend(result), workflows::toString(result.getStatus()),
                       result.getStreamVersion()};
}

Result<std::string> RemoteClient::webhooks(const std::string& operation,
                                           const std::string& webhookId,
                                           const std::string& body) {
  auto request = connection_->api.webhooksRequest();
  request.setOperation(operation);
  request.setWebhookId(webhookId);
  request.setBody(body);
  auto r = call([&] { return request.send().wait(connection_->ws()); });
  if (!r) return r.error();
  return workflows::toString(r->getBody());
}

Result<std::pair<std::uint32_t, workflows::CampaignRules>> RemoteClient::rules(
    const std::string& campaignId) {
  auto request = connection_->api.rulesRequest();
  request.setCampaignId(campaignId);
  auto r = call([&] { return request.send().wait(connection_->ws()); });
  if (!r) return r.error();
  return std::pair{r->getRulesVersion(), workflows::readRules(r->getRules())};
}

Result<std::string> RemoteClient::backup(const std::string& to) {
  auto request = connection_->api.backupRequest();
  request.setTo(to);
  auto r = call([&] { return request.send().wait(connection_->ws()); });
  if (!r) return r.error();
  return workflows::toString(r->getManifest());
}

Result<RemoteOutcome> RemoteClient::campaign(const std::string& campaignId,
                                             const workflows::CampaignCommand& command,
                                             const std::string& definitionJson,
                                             const workflows::CommandContext& context) {
  auto request = connection_->api.campaignCommandRequest();
  request.setCampaignId(campaignId);
  request.setCommandId(context.metadata.commandId);
  writeCampaignCommand(command, definitionJson, request.initCommand());
  request.getCommand().setReason(context.reason);
  auto r = call([&] { return request.send().wait(connection_->ws()); });
  if (!r) return r.error();
  auto result = r->getResult();
  return RemoteOutcome{readAppend(result), workflows::toString(result.getStatus()),
                       result.getStreamVersion()};
}

}  // namespace parcours::adapters
