// Directories only their owner may enter: every one parcours makes for data
// (backups, restores, key stores). Whatever the process's umask, a directory
// made here is 0700, so the files inside are private whatever their modes.
#pragma once

#include <string>

#include "parcours/store/result.h"

namespace parcours::store {

// Makes `path` (its parent must exist) with mode 0700; nothing when it
// exists already. IoError naming the path and errno's words otherwise.
Status makePrivateDirectory(const std::string& path);

// Whether `path` lets anyone but its owner in (group or other bits set).
bool othersMayEnter(const std::string& path);

}  // namespace parcours::store
