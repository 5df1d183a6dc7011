// Folding a dossier's stream from the log. Private to parcours_workflows.
#pragma once

#include <string>

#include "parcours/store/event_log.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

// The dossier's state; status Absent when its stream does not exist.
Result<DossierState> foldDossier(const store::EventLog& log, const std::string& dossierId,
                                 store::StreamVersion upTo = UINT64_MAX);

}  // namespace parcours::workflows
