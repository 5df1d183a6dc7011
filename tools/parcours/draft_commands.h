// The draft verbs of `parcours dossier` (draft_commands.cc).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "commands.h"
#include "write_command.h"

namespace parcours::cli {

// `dossier draft|save|discard`, on the dossier group.
void addDraftVerbs(CLI::App& dossierGroup, CommandRun& run);

// `dossier submit DOSSIER`: submits its draft (`version`, 0 for none: the
// draft's version read, refused if it was saved since).
int runDraftSubmit(const Context& context, const std::string& dossierId, std::uint64_t version,
                   const WriteOptions& write);

}  // namespace parcours::cli
