// Worker threads for commands. A command blocks until its events are on
// disk; run on the event loop it would stall every connection, and run one
// at a time it would pay one fsync each. On workers, many commands wait
// together and the log's group commit makes one fsync serve them all.
#pragma once

#include <kj/async.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace parcours::adapters {

class CommandPool {
 public:
  explicit CommandPool(std::size_t threads);
  ~CommandPool();  // drain()
  CommandPool(const CommandPool&) = delete;
  CommandPool& operator=(const CommandPool&) = delete;

  // Runs `job` on a worker; the promise resolves on the calling event loop's
  // thread once it returned. `job` must not throw, and must own (or share)
  // everything it touches: a cancelled promise does not stop a job.
  kj::Promise<void> run(std::function<void()> job);

  // Runs every job already queued, then stops the workers. Later run()s
  // reject with an exception.
  void drain();

 private:
  struct Job {
    std::function<void()> work;
    kj::Own<kj::CrossThreadPromiseFulfiller<void>> done;
    // Stored (release) by the worker once `work` returned, loaded (acquire)
    // on the loop before any caller's continuation: the happens-before that
    // hands the job's results over, in a form ThreadSanitizer sees. kj's
    // cross-thread fulfiller synchronizes too, but through futexes in
    // libkj-async, which TSan cannot see, so without this every result a
    // job wrote looked racy to it (a backup's manifest did, and halted the
    // server under the tsan preset).
    std::shared_ptr<std::atomic<bool>> finished;
  };
  void workerLoop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace parcours::adapters
