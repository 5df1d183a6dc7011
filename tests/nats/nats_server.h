// Test support: a real `nats-server -js` (Debian's) on loopback, or three of
// them clustered, started and stopped by the test itself.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace parcours::testing {

// A free TCP port on 127.0.0.1 (bound then released: good enough in tests).
int freeLoopbackPort();

class NatsServer {
 public:
  // `config`: a nats-server configuration file's text; empty: a single
  // JetStream server storing under `dir`.
  NatsServer(std::filesystem::path dir, int port, std::string config = {});
  ~NatsServer();  // SIGKILL if still running

  // Starts it and waits until it takes connections.
  void start();
  // SIGTERM and wait (a clean stop; JetStream flushes).
  void stop();
  // SIGKILL and wait.
  void kill();
  bool running() const { return pid_ > 0; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  std::filesystem::path dir_;
  int port_;
  std::string config_;
  pid_t pid_ = -1;
};

// Three JetStream servers in one cluster on loopback.
class NatsCluster {
 public:
  explicit NatsCluster(const std::filesystem::path& dir);
  void start();
  NatsServer& node(int i) { return *nodes_.at(i); }
  // All three URLs, comma-separated, for --nats.
  std::string urls() const;

 private:
  std::vector<std::unique_ptr<NatsServer>> nodes_;
};

}  // namespace parcours::testing
