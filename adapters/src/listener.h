// Accepting connections on one listening socket for as long as the server
// runs, within a bound.
//
// kj's own accept loops (HttpServer::listenHttp(receiver),
// TwoPartyServer::listen) end for good on the first accept() error: with
// the file descriptors exhausted ("Too many open files") a server stopped
// accepting forever, even after the sockets closed (issue 17, defect 2).
// Here an accept error is logged and the loop resumes after a backoff
// (10 ms doubling to 1 s); and past `connectionsMax` open connections a new
// one is refused at once (`refuse`: HTTP answers 503 with Retry-After) so
// the server keeps descriptors for the connections it serves.
#pragma once

#include <kj/async-io.h>
#include <kj/function.h>
#include <kj/timer.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace parcours::adapters {

class Listener final : private kj::TaskSet::ErrorHandler {
 public:
  using Serve = kj::Function<kj::Promise<void>(kj::Own<kj::AsyncIoStream>)>;

  // `serve` owns a connection until it is done with it; `refuse` says why
  // it is not served (may be empty: the connection is closed).
  Listener(std::string name, kj::ConnectionReceiver& receiver, kj::Timer& timer,
           std::size_t connectionsMax, Serve serve, Serve refuse,
           std::shared_ptr<spdlog::logger> logger);
  ~Listener() noexcept(false);

  // Accepts until cancelled (drop the promise). Connections being served
  // go on after that, until they end or the Listener is destroyed.
  kj::Promise<void> run();

  std::size_t openConnections() const { return open_; }
  std::uint64_t refusedConnections() const { return refused_; }
  std::uint64_t acceptErrors() const { return acceptErrors_; }

 private:
  kj::Promise<void> acceptNext(std::uint32_t backoffMillis);
  // Logs the error and accepts again after a backoff (10 ms doubling to 1 s).
  kj::Promise<void> afterAcceptError(kj::Exception&& e, std::uint32_t backoffMillis);
  void taskFailed(kj::Exception&& exception) override;

  std::string name_;
  kj::ConnectionReceiver& receiver_;
  kj::Timer& timer_;
  std::size_t connectionsMax_;
  Serve serve_;
  Serve refuse_;
  std::shared_ptr<spdlog::logger> logger_;
  std::size_t open_ = 0;
  std::uint64_t refused_ = 0;
  std::uint64_t acceptErrors_ = 0;
  kj::TaskSet connections_;
};

}  // namespace parcours::adapters
