#include "rpc_server.h"

#include <capnp/serialize.h>

#include <memory>

#include "../src/api_convert.h"
#include "../webhooks/webhook_service.h"

namespace parcours::adapters {
namespace {

using P = rpc::Parcours;

void throwIfFailed(const Status& s) {
  if (!s) kj::throwFatalException(toException(s.error()));
}

// One subscription: pushes matching events to the sink in order, waiting
// for the sink's stream flow control between pushes. Dropping the
// Subscription capability cancels the loop.
class SubscriptionImpl final : public rpc::Subscription::Server {
 public:
  SubscriptionImpl(ServerParts& parts, EventFilter filter, store::Position from,
                   rpc::EventSink::Client sink)
      : parts_(parts),
        filter_(kj::mv(filter)),
        next_(from),
        sink_(kj::mv(sink)),
        attachment_(parts.feed) {
    parts_.metrics.subscriberOpened();
    loop_ = pump()
                .exclusiveJoin(parts_.shuttingDown.addBranch())
                .catch_([](kj::Exception&&) {})  // the sink went away
                .eagerlyEvaluate(nullptr);
  }
  ~SubscriptionImpl() { parts_.metrics.subscriberClosed(); }

 private:
  kj::Promise<void> pump() {
    return parts_.feed.next(next_, filter_, 256).then([this](FeedBatch batch) -> kj::Promise<void> {
      next_ = batch.next;
      kj::Promise<void> sent = kj::READY_NOW;
      if (!batch.events.empty()) {
        auto request = sink_.pushRequest();
        auto list = request.initEvents(static_cast<unsigned>(batch.events.size()));
        for (unsigned i = 0; i < batch.events.size(); ++i) {
          capnp::FlatArrayMessageReader reader(batch.events[i]->message);
          list.setWithCaveats(i, reader.getRoot<rpc::Event>());
        }
        parts_.metrics.eventsDelivered(batch.events.size());
        sent = request.send();
      }
      return sent.then([this, batch = kj::mv(batch)]() mutable -> kj::Promise<void> {
        if (!caughtUpSent_ && next_ > batch.head) {
          caughtUpSent_ = true;
          auto request = sink_.caughtUpRequest();
          request.setPosition(batch.head);
          return request.send().ignoreResult().then([this] { return pump(); });
        }
        return pump();
      });
    });
  }

  ServerParts& parts_;
  EventFilter filter_;
  store::Position next_;
  rpc::EventSink::Client sink_;
  bool caughtUpSent_ = false;
  EventFeed::Attachment attachment_;
  kj::Promise<void> loop_ = nullptr;
};

class ParcoursImpl final : public P::Server {
 public:
  ParcoursImpl(ServerParts& parts, Principal who) : parts_(parts), who_(kj::mv(who)) {}

  kj::Promise<void> campaignCommand(CampaignCommandContext context) override {
    return runWrite<P::CampaignCommandParams, P::CampaignCommandResults>(
        context, [](Api& api, const Principal& who, auto in, auto out) {
          return api.campaignCommand(who, in, out);
        });
  }
  kj::Promise<void> timerCommand(TimerCommandContext context) override {
    return runWrite<P::TimerCommandParams, P::TimerCommandResults>(
        context, [](Api& api, const Principal& who, auto in, auto out) {
          return api.timerCommand(who, in, out);
        });
  }
  kj::Promise<void> dossierCommand(DossierCommandContext context) override {
    return runWrite<P::DossierCommandParams, P::DossierCommandResults>(
        context, [](Api& api, const Principal& who, auto in, auto out) {
          return api.dossierCommand(who, in, out);
        });
  }

  // Drafts: saves, discards and submissions sync the disk, on a worker.
  kj::Promise<void> draftSave(DraftSaveContext context) override {
    return runWrite<P::DraftSaveParams, P::DraftSaveResults>(
        context, [](Api& api, const Principal& who, auto in, auto out) {
          return api.draftSave(who, in, out);
        });
  }
  kj::Promise<void> draft(DraftContext context) override {
    throwIfFailed(parts_.api.draft(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> draftDiscard(DraftDiscardContext context) override {
    return runWrite<P::DraftDiscardParams, P::DraftDiscardResults>(
        context, [](Api& api, const Principal& who, auto in, auto) {
          return api.draftDiscard(who, in);
        });
  }
  kj::Promise<void> draftSubmit(DraftSubmitContext context) override {
    return runWrite<P::DraftSubmitParams, P::DraftSubmitResults>(
        context, [](Api& api, const Principal& who, auto in, auto out) {
          return api.draftSubmit(who, in, out);
        });
  }

  kj::Promise<void> campaigns(CampaignsContext context) override {
    throwIfFailed(parts_.api.campaigns(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> campaign(CampaignContext context) override {
    throwIfFailed(parts_.api.campaign(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> status(StatusContext context) override {
    throwIfFailed(parts_.api.status(who_, context.getParams(), "", context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> dossier(DossierContext context) override {
    throwIfFailed(parts_.api.dossier(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> timeline(TimelineContext context) override {
    throwIfFailed(parts_.api.timeline(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> answers(AnswersContext context) override {
    throwIfFailed(parts_.api.answers(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> dossierAudit(DossierAuditContext context) override {
    throwIfFailed(parts_.api.dossierAudit(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> campaignAudit(CampaignAuditContext context) override {
    throwIfFailed(parts_.api.campaignAudit(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> stats(StatsContext context) override {
    throwIfFailed(parts_.api.stats(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> leaderboard(LeaderboardContext context) override {
    throwIfFailed(parts_.api.leaderboard(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> timers(TimersContext context) override {
    throwIfFailed(parts_.api.timers(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> budget(BudgetContext context) override {
    throwIfFailed(parts_.api.budget(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> rules(RulesContext context) override {
    throwIfFailed(parts_.api.rules(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }
  kj::Promise<void> events(EventsContext context) override {
    throwIfFailed(parts_.api.events(who_, context.getParams(), context.getResults()));
    return kj::READY_NOW;
  }

  kj::Promise<void> backup(BackupContext context) override {
    if (!who_.has(Role::Administrator)) {
      throwIfFailed(Error::unauthorized(who_.subject + " may not back up the server (administrators only)"));
    }
    const std::string to = context.getParams().getTo().cStr();
    if (to.empty() || to.front() != '/') {
      throwIfFailed(Error::invalidInput("backup: the destination must be an absolute path on the "
                                        "server's machine, not \"" + to + "\""));
    }
    // Seconds of copying: on a worker, never on the event loop.
    struct Job {
      Result<std::string> manifest = Error::bug("not run");
    };
    auto job = std::make_shared<Job>();
    ServerParts& parts = parts_;
    return parts_.pool
        .run([job, &parts, to] {
          job->manifest = backupServerData(parts, to);
        })
        .then([job, context]() mutable {
          if (!job->manifest) throwIfFailed(job->manifest.error());
          context.getResults().setManifest(*job->manifest);
        });
  }

  kj::Promise<void> webhooks(WebhooksContext context) override {
    if (parts_.webhooks == nullptr) {
      throwIfFailed(Error::ioError("webhooks are not running on this server"));
    }
    auto in = context.getParams();
    auto answer = parts_.webhooks->call(who_, std::string(in.getOperation().cStr()),
                                        std::string(in.getWebhookId().cStr()),
                                        std::string(in.getBody().cStr()));
    if (!answer) throwIfFailed(answer.error());
    context.getResults().setBody(*answer);
    return kj::READY_NOW;
  }

  kj::Promise<void> subscribe(SubscribeContext context) override {
    throwIfFailed(parts_.api.mayReadEvents(who_));
    auto params = context.getParams();
    auto filter = EventFilter::read(params.getFilter());
    if (!filter) throwIfFailed(filter.error());
    context.getResults().setSubscription(kj::heap<SubscriptionImpl>(
        parts_, kj::mv(filter).value(), std::max<store::Position>(params.getFrom(), 1),
        params.getSink()));
    return kj::READY_NOW;
  }

 private:
  // A write runs on a worker with its own copy of the request: the call
  // may be cancelled while the command still runs.
  template <typename Params, typename Results, typename Fn>
  kj::Promise<void> runWrite(capnp::CallContext<Params, Results> context, Fn&& call) {
    struct Job {
      Principal who;
      capnp::MallocMessageBuilder params;
      capnp::MallocMessageBuilder results;
      std::optional<Error> error;
    };
    auto job = std::make_shared<Job>();
    job->who = who_;
    job->params.setRoot(context.getParams());
    context.releaseParams();
    Api& api = parts_.api;
    return parts_.pool
        .run([job, &api, call] {
          auto in = job->params.template getRoot<Params>().asReader();
          auto out = job->results.template initRoot<Results>();
          if (auto s = call(api, job->who, in, out); !s) job->error = s.error();
        })
        .then([job, context]() mutable {
          if (job->error) throwIfFailed(*job->error);
          context.setResults(job->results.template getRoot<Results>().asReader());
        });
  }

  ServerParts& parts_;
  Principal who_;
};

class GatewayImpl final : public rpc::Gateway::Server {
 public:
  explicit GatewayImpl(ServerParts& parts) : parts_(parts) {}

  kj::Promise<void> login(LoginContext context) override {
    auto token = context.getParams().getToken();
    auto who = parts_.tokens.authenticate(std::string_view(token.cStr(), token.size()));
    if (!who) {
      kj::throwFatalException(
          KJ_EXCEPTION(FAILED, "unauthenticated: the bearer token is not known"));
    }
    auto results = context.getResults();
    results.setSubject(who->subject);
    auto roles = results.initRoles(static_cast<unsigned>(who->roles.size()));
    for (unsigned i = 0; i < who->roles.size(); ++i) {
      roles.set(i, std::string(roleName(who->roles[i])));
    }
    results.setApi(kj::heap<ParcoursImpl>(parts_, *who));
    return kj::READY_NOW;
  }

 private:
  ServerParts& parts_;
};

}  // namespace

kj::Own<rpc::Gateway::Server> newRpcGateway(ServerParts& parts) {
  return kj::heap<GatewayImpl>(parts);
}

}  // namespace parcours::adapters
