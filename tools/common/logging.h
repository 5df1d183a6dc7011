// Builds the process's logger once, in main, and passes it down (no global
// registry). Logs go to stderr: one line per event, key=value for people or
// JSON for machines. Never log tokens or personal data.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "parcours/store/result.h"

namespace parcours::cli {

enum class LogFormat { Text, Json };

// level: trace, debug, info, warn, error, critical, off.
Result<std::shared_ptr<spdlog::logger>> makeLogger(LogFormat format, const std::string& level);

}  // namespace parcours::cli
