#!/usr/bin/env bash
# Installs what parcours needs from Debian, then configures and builds it.
# Idempotent: installs only what is missing; safe to run again.
#   bash tools/setup.sh [release|sanitize|tsan|browser]...   (default: release)
# "browser" is no build: it installs Chromium, Node.js and npm, and the
# browser test's one npm package (playwright-core), for tests/browser/run.sh,
# and the official NATS JavaScript client for the integrator's consumer test
# (tests/nats/js).
# "sanitize" also installs clang and its sanitizer and libFuzzer runtimes
# (libclang-rt-14-dev): that build is clang's, with ASan + UBSan and the
# libFuzzer targets (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config     # the build
  librocksdb-dev                       # the event log
  libcapnp-dev capnproto               # schemas (capnp compile) and kj
  libboost-dev                         # Boost.MSM, the state machines
  libspdlog-dev                        # logging
  libcli11-dev                         # argument parsing
  libhowardhinnant-date-dev            # time zones (deadlines in Paris time)
  nlohmann-json3-dev                   # JSON: campaign files, --json, JSON logs
  libgtest-dev libgmock-dev            # tests
  libbenchmark-dev                     # micro-benchmarks
  libssl-dev                           # SHA-256 of tokens, constant-time compare, CSPRNG
  python3-minimal                      # a test re-runs a recorded juror draw with tools/judging/draw_v1.py
  libnats-dev                          # NATS JetStream: the publisher and read replicas (C client)
  libphonenumber-dev                   # forms: phone numbers checked and written in E.164 (Google's library)
  libmagic-dev                         # documents: the content type named from the bytes (file(1)'s library)
  nats-server                          # the tests' JetStream servers, on loopback, started by the tests
)

# Installs, with apt-get, those of the given Debian packages not installed.
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"

install_browser_tools() {
  # By command, not by package: Node.js and npm may come from elsewhere.
  local want=()
  command -v chromium >/dev/null || want+=(chromium)
  command -v node >/dev/null || want+=(nodejs)
  command -v npm >/dev/null || want+=(npm)
  ((${#want[@]} == 0)) || install_missing "${want[@]}"
  if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
    echo "setup: npm ci in tests/browser (playwright-core)" >&2
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
  fi
  if [[ ! -d tests/nats/js/node_modules/@nats-io/jetstream ]]; then
    echo "setup: npm ci in tests/nats/js (the official NATS JavaScript client)" >&2
    npm ci --prefix tests/nats/js --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

presets=("$@")
((${#presets[@]})) || presets=(release)
for preset in "${presets[@]}"; do
  if [[ $preset == browser ]]; then
    install_browser_tools
    continue
  fi
  if [[ $preset == sanitize ]]; then install_missing clang libclang-rt-14-dev; fi
  echo "setup: building the $preset preset" >&2
  cmake --preset "$preset" -G Ninja >/dev/null
  cmake --build --preset "$preset"
done
