#include "nats_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "eventually.h"

namespace parcours::testing {
namespace {

bool acceptsConnections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

NatsServer::NatsServer(std::filesystem::path dir, int port, std::string config)
    : dir_(std::move(dir)), port_(port), config_(std::move(config)) {
  std::filesystem::create_directories(dir_);
}

NatsServer::~NatsServer() { kill(); }

void NatsServer::start() {
  const std::string log = (dir_ / "nats.log").string();
  const std::string store = (dir_ / "jetstream").string();
  const std::string configFile = (dir_ / "nats.conf").string();
  if (!config_.empty()) std::ofstream(configFile) << config_;
  const std::string port = std::to_string(port_);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::FILE* err = std::freopen(log.c_str(), "a", stderr);
    std::FILE* out = std::freopen(log.c_str(), "a", stdout);
    (void)err;
    (void)out;
    if (config_.empty()) {
      ::execl(NATS_SERVER_BIN, NATS_SERVER_BIN, "-js", "-a", "127.0.0.1", "-p", port.c_str(),
              "-sd", store.c_str(), static_cast<char*>(nullptr));
    } else {
      ::execl(NATS_SERVER_BIN, NATS_SERVER_BIN, "-c", configFile.c_str(),
              static_cast<char*>(nullptr));
    }
    std::_Exit(127);
  }
  ASSERT_TRUE(eventually("nats-server to accept connections on port " + port,
                         [&] { return acceptsConnections(port_); },
                         [&] { return "nothing listening; see " + log; }));
}

void NatsServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void NatsServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

NatsCluster::NatsCluster(const std::filesystem::path& dir) {
  int clientPorts[3], routePorts[3];
  for (int i = 0; i < 3; ++i) {
    clientPorts[i] = freeLoopbackPort();
    routePorts[i] = freeLoopbackPort();
  }
  for (int i = 0; i < 3; ++i) {
    std::string routes;
    for (int j = 0; j < 3; ++j) {
      if (j != i) routes += "    nats-route://127.0.0.1:" + std::to_string(routePorts[j]) + "\n";
    }
    const auto nodeDir = dir / ("n" + std::to_string(i));
    const std::string config =
        "server_name: n" + std::to_string(i) + "\nlisten: 127.0.0.1:" +
        std::to_string(clientPorts[i]) + "\njetstream {\n  store_dir: \"" +
        (nodeDir / "jetstream").string() + "\"\n}\ncluster {\n  name: parcours-test\n  listen: 127.0.0.1:" +
        std::to_string(routePorts[i]) + "\n  routes: [\n" + routes + "  ]\n}\n";
    nodes_.push_back(std::make_unique<NatsServer>(nodeDir, clientPorts[i], config));
  }
}

void NatsCluster::start() {
  for (auto& node : nodes_) node->start();
}

std::string NatsCluster::urls() const {
  std::string out;
  for (const auto& node : nodes_) out += (out.empty() ? "" : ",") + node->url();
  return out;
}

}  // namespace parcours::testing
