#!/usr/bin/env bash
# run-e2e.sh [BUILD_DIR]: runs every tests/e2e/*.sh (normally inside with-services.sh), the
# browser tests of the web pages (tests/browser/run.sh), then every fault script
# tests/faults/*.sh (each starts its own Kafka and Redis), with MC_BUILD_DIR set to the absolute
# build directory; each gets MC_E2E_TIMEOUT seconds (600).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MC_BUILD_DIR=$(cd "${1:-build}" && pwd)
export MC_BUILD_DIR

shopt -s nullglob
scripts=("$root"/tests/e2e/*.sh "$root"/tests/browser/run.sh "$root"/tests/faults/*.sh)
if ((${#scripts[@]} == 0)); then
  echo "e2e: no scripts in tests/e2e, tests/browser or tests/faults"
  exit 0
fi

passed=0 failed=0
for script in "${scripts[@]}"; do
  name=${script#"$root"/}
  echo "=== e2e $name"
  if timeout "${MC_E2E_TIMEOUT:-600}" bash "$script"; then
    echo "=== PASS $name"
    passed=$((passed + 1))
  else
    echo "=== FAIL $name (exit $?)"
    failed=$((failed + 1))
  fi
done
echo "e2e: $passed passed, $failed failed"
((failed == 0))
