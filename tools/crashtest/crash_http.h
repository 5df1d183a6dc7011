// The HTTP side of a crash round: client threads submitting dossiers and
// confirming their eligibility on `parcours serve`, each command with an
// Idempotency-Key (the command id), every 2xx answer an acknowledgement.
#pragma once

#include <atomic>
#include <string>

#include "ack_collector.h"

namespace parcours::crashtest {

// Runs `threads` clients until `stop` is set or the server stops answering
// (it was killed). A 4xx or 5xx from a live server is a failure: its text
// is put in `failure` (the first one) and that client stops.
void runHttpClients(const std::string& address, const std::string& token, unsigned round,
                    unsigned threads, const std::atomic<bool>& stop, AckCollector& acks,
                    std::string& failure);

}  // namespace parcours::crashtest
