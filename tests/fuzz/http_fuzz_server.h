// The server parts the HTTP fuzz target's requests go through: what
// `parcours serve` builds (adapters/src/server.cc), minus the sockets, over
// the demo's store in a temporary directory, made once per process and
// removed at exit. Its event loop runs on the fuzzer's thread with a timer
// that only moves when drive() moves it.
//
// Bearer tokens, one per role (the seeds use them): t-admin (administrator),
// t-instructor, t-juror (subject juror-1, on both demo juries), t-auditor,
// t-integrator, t-applicant (subject applicant-1).
#pragma once

#include <kj/async.h>
#include <kj/compat/http.h>
#include <kj/timer.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>

#include "http_gateway.h"

namespace parcours::adapters {

// Wakes the loop when another thread (a command worker, the log's head
// listener) fulfils one of its promises.
class WakePort final : public kj::EventPort {
 public:
  bool wait() override;
  bool poll() override;
  void wake() const override;
  // Blocks until wake() was called; the next poll() then reports it.
  void awaitWake();

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable woken_;
  mutable bool wake_ = false;  // guarded by mutex_
};

class FuzzServer {
 public:
  // The one server of this process, made on first use.
  static FuzzServer& get();
  ~FuzzServer();

  HttpGateway& gateway() { return *gateway_; }
  const kj::HttpHeaderTable& headerTable() const { return *table_; }

  // Runs the loop until `done`, firing timers at once up to a minute of
  // virtual time; when nothing is left to run, waits for a worker if
  // `mayWait` (a write), else gives up (an endless event stream).
  void drive(kj::Promise<void>& promise, const bool& done, bool mayWait);

 private:
  FuzzServer();
  struct Parts;

  std::filesystem::path dir_;
  WakePort port_;
  kj::EventLoop loop_{port_};
  kj::WaitScope waitScope_{loop_};
  kj::TimerImpl timer_{kj::origin<kj::TimePoint>()};
  std::unique_ptr<Parts> parts_;
  kj::HttpHeaderTable::Builder tableBuilder_;
  std::unique_ptr<HttpGateway> gateway_;
  kj::Own<kj::HttpHeaderTable> table_;
};

}  // namespace parcours::adapters
