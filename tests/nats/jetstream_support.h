// Test support for the NATS suites: reading a whole JetStream stream back,
// checking it holds the log exactly once in order, and waiting on a
// server's /status.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server_process.h"

namespace parcours::testing {

struct StreamMessage {
  std::uint64_t seq = 0;
  std::uint64_t position = 0;
  std::string msgId;
  std::string hash;      // hex
  std::string prevHash;  // hex
  std::string subject;
};

// Every message the stream holds now, by sequence.
std::vector<StreamMessage> readWholeStream(const std::string& url,
                                           const std::string& stream = "PARCOURS");

// Positions 1..head, each once, in sequence order, each chaining onto the
// one before, Nats-Msg-Id = position.
void expectTheLogOnceInOrder(const std::vector<StreamMessage>& messages, std::uint64_t head);

// GET /status of a server (no token needed).
nlohmann::json nodeStatus(const std::string& httpAddress);

// Polls until `done(status)` or 60 s; fails the test on timeout.
void waitForStatus(const std::string& httpAddress, const std::string& what,
                   const std::function<bool(const nlohmann::json&)>& done);

// Opens a campaign `id` and submits `dossiers` dossiers to it over HTTP.
void writeSomeEvents(ServerProcess& server, const std::string& campaignId, int dossiers);

// `parcours demo` into the server's store (before it starts): ~600 events.
void fillWithDemo(ServerProcess& server);

// The log's head as the server reports it.
std::uint64_t headOf(const std::string& httpAddress);

}  // namespace parcours::testing
