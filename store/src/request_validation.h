// Checks an append request against the limits and naming rules before it
// reaches the writer, so a bad request costs its caller alone.
#pragma once

#include <string_view>

#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace parcours::store {

// Stream ids: 1..limits::streamIdBytesMax of [A-Za-z0-9_.:-]. The set keeps
// ids safe in keys (no 0x00), URLs, file names and message subjects.
Status validateStreamId(std::string_view streamId);

Status validateAppendRequest(const AppendRequest& request);

}  // namespace parcours::store
