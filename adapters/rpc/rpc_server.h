// The Cap'n Proto RPC API (adapters/rpc/parcours.capnp): a Gateway whose
// login() trades a bearer token for a Parcours capability bound to that
// caller. Every method runs the same Api operation as its HTTP route.
#pragma once

#include <capnp/capability.h>

#include "../src/server_parts.h"
#include "parcours/adapters/rpc/parcours.capnp.h"

namespace parcours::adapters {

// The bootstrap capability handed to every RPC connection.
kj::Own<rpc::Gateway::Server> newRpcGateway(ServerParts& parts);

}  // namespace parcours::adapters
