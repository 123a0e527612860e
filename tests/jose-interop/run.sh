#!/usr/bin/env bash
# run.sh JOSE_VECTORS WORK_DIR: the jose_interop test (CTest runs it; see CMakeLists.txt).
# run.sh --service SERVICE_VECTORS WORK_DIR: the jose_interop_service test.
#
# 1. Installs the jose version pinned in package-lock.json into WORK_DIR/npm with `npm ci`,
#    never into the source tree; the install is reused while package.json and the lock are
#    unchanged (a stamp holds their hash). Both tests share it; a lock keeps two runs from
#    installing at once.
# 2. JOSE_VECTORS writes tokens signed by libs/jose; verify.mjs checks them with jose.
# 3. verify.mjs signs tokens with jose; JOSE_VECTORS checks them with libs/jose.
# With --service, instead of 2 and 3: SERVICE_VECTORS writes what the issuance service issued
# (credentials, status lists, tampered copies) with the service's JWKS, and verify.mjs checks
# them with jose, as an outside verifier of the platform's credentials would.
#
# Fails, never skips, when Node.js, npm or the install is unavailable: Node.js 20 and npm are
# part of every development and CI machine of this project.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: run.sh [--service] VECTORS_PROGRAM WORK_DIR"
mode=library
if [[ ${1:-} == --service ]]; then
  mode=service
  shift
fi
vectors_bin=${1:?$usage}
work=${2:?$usage}

fail() {
  echo "jose-interop: FAIL: $*" >&2
  exit 1
}

command -v node >/dev/null || fail "node not found; install Node.js 20 or later"
command -v npm >/dev/null || fail "npm not found; install npm (it comes with Node.js)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || fail "Node.js $(node --version) is too old; 20 or later is needed"

install=$work/npm
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
mkdir -p "$work"
exec 9>"$work/npm.lock"
flock 9
if [[ $(cat "$install/.installed" 2>/dev/null) != "$want" || ! -d $install/node_modules/jose ]]; then
  echo "jose-interop: npm ci into $install"
  rm -rf "$install"
  mkdir -p "$install"
  cp "$here/package.json" "$here/package-lock.json" "$install/"
  (cd "$install" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    fail "npm ci failed (is the npm registry reachable?)"
  echo "$want" >"$install/.installed"
fi
# Next to its node_modules, which is where Node resolves `import 'jose'` from. Each mode has
# its own copy, so that one run never reads a copy the other is writing.
cp "$here/verify.mjs" "$install/verify-$mode.mjs"
flock -u 9

if [[ $mode == service ]]; then
  run=$work/run-service
  rm -rf "$run"
  mkdir -p "$run"
  "$vectors_bin" "$run/service-issued.json" || fail "service_vectors failed"
  echo "=== jose verifies what the issuance service issued"
  rc=0
  node "$install/verify-$mode.mjs" "$run/service-issued.json" || rc=1
  ((rc == 0)) && echo "jose-interop (service): PASS" || echo "jose-interop (service): FAIL" >&2
  exit $rc
fi

run=$work/run
rm -rf "$run"
mkdir -p "$run"
"$vectors_bin" write "$run/libs-jose-signed.json" || fail "jose_vectors write failed"

rc=0
echo "=== jose verifies what libs/jose signed"
node "$install/verify-$mode.mjs" "$run/libs-jose-signed.json" "$run/jose-signed.json" || rc=1
echo "=== libs/jose verifies what jose signed"
if [[ -s $run/jose-signed.json ]]; then
  "$vectors_bin" check "$run/jose-signed.json" || rc=1
else
  echo "jose-interop: jose wrote no vectors" >&2
  rc=1
fi
((rc == 0)) && echo "jose-interop: PASS" || echo "jose-interop: FAIL" >&2
exit $rc
