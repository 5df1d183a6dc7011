#include "listener.h"

#include <spdlog/logger.h>

#include <algorithm>

#include "server_limits.h"

namespace parcours::adapters {

Listener::Listener(std::string name, kj::ConnectionReceiver& receiver, kj::Timer& timer,
                   std::size_t connectionsMax, Serve serve, Serve refuse,
                   std::shared_ptr<spdlog::logger> logger)
    : name_(std::move(name)),
      receiver_(receiver),
      timer_(timer),
      connectionsMax_(connectionsMax),
      serve_(kj::mv(serve)),
      refuse_(kj::mv(refuse)),
      logger_(std::move(logger)),
      connections_(*this) {}

Listener::~Listener() noexcept(false) = default;

kj::Promise<void> Listener::run() { return acceptNext(0); }

kj::Promise<void> Listener::acceptNext(std::uint32_t backoffMillis) {
  // kj's accept() throws EMFILE synchronously, before any promise exists:
  // caught here, it takes the same road as an error the promise reports
  // (not kj::evalNow, whose broken-promise node UBSan's vptr check cannot
  // follow into Debian's libkj).
  kj::Promise<kj::Own<kj::AsyncIoStream>> accepting = nullptr;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { accepting = receiver_.accept(); })) {
    return afterAcceptError(kj::mv(*e), backoffMillis);
  }
  return accepting.then(
      [this](kj::Own<kj::AsyncIoStream> connection) -> kj::Promise<void> {
        if (open_ >= connectionsMax_) {
          ++refused_;
          if (refused_ == 1 || refused_ % 1000 == 0) {
            logger_->warn("{}: {} connections open, the limit: refusing new ones ({} so far)",
                          name_, open_, refused_);
          }
          connections_.add(refuse_(kj::mv(connection)));
        } else {
          ++open_;
          connections_.add(serve_(kj::mv(connection)).attach(kj::defer([this] { --open_; })));
        }
        return acceptNext(0);
      },
      [this, backoffMillis](kj::Exception&& e) -> kj::Promise<void> {
        return afterAcceptError(kj::mv(e), backoffMillis);
      });
}

kj::Promise<void> Listener::afterAcceptError(kj::Exception&& e, std::uint32_t backoffMillis) {
  ++acceptErrors_;
  const std::uint32_t wait = backoffMillis == 0
                                 ? acceptBackoffMillisFirst
                                 : std::min(backoffMillis * 2, acceptBackoffMillisMax);
  logger_->warn("{}: accept failed ({} open connections), retrying in {} ms: {}", name_, open_,
                wait, e.getDescription().cStr());
  return timer_.afterDelay(wait * kj::MILLISECONDS).then([this, wait] { return acceptNext(wait); });
}

void Listener::taskFailed(kj::Exception&& exception) {
  // One connection's failure (a peer that vanished) is that connection's.
  if (exception.getType() == kj::Exception::Type::DISCONNECTED) return;
  logger_->debug("{}: connection ended: {}", name_, exception.getDescription().cStr());
}

}  // namespace parcours::adapters
