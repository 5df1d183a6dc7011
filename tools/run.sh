#!/usr/bin/env bash
# The main job on the embedded RocksDB default: set up, build, then run
# parcours's benchmark against raw RocksDB and print its table.
# (Once the dossier workflow lands, this runs a campaign end to end.)
#   bash tools/run.sh [bench options...]     e.g. bash tools/run.sh --runs 1
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh release
exec build/release/tools/parcours bench all "$@"
