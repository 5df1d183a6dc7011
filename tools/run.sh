#!/usr/bin/env bash
# The main job on the embedded RocksDB default: set up, build, then play both
# 2020 campaigns end to end (`parcours demo`) and print what an administrator
# reads: status tables, laureates, budgets, one dossier's audit trail.
#   bash tools/run.sh [demo options...]     e.g. bash tools/run.sh --dossiers 100
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release
exec build/release/tools/parcours demo "$@"
