#!/usr/bin/env bash
# run.sh JOSE_VECTORS WORK_DIR: the jose_interop test (CTest runs it; see CMakeLists.txt).
#
# 1. Installs the jose version pinned in package-lock.json into WORK_DIR/npm with `npm ci`,
#    never into the source tree; the install is reused while package.json and the lock are
#    unchanged (a stamp holds their hash).
# 2. JOSE_VECTORS writes tokens signed by libs/jose; verify.mjs checks them with jose.
# 3. verify.mjs signs tokens with jose; JOSE_VECTORS checks them with libs/jose.
#
# Fails, never skips, when Node.js, npm or the install is unavailable: Node.js 20 and npm are
# part of every development and CI machine of this project.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vectors_bin=${1:?usage: run.sh JOSE_VECTORS WORK_DIR}
work=${2:?usage: run.sh JOSE_VECTORS WORK_DIR}

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
if [[ $(cat "$install/.installed" 2>/dev/null) != "$want" || ! -d $install/node_modules/jose ]]; then
  echo "jose-interop: npm ci into $install"
  rm -rf "$install"
  mkdir -p "$install"
  cp "$here/package.json" "$here/package-lock.json" "$install/"
  (cd "$install" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    fail "npm ci failed (is the npm registry reachable?)"
  echo "$want" >"$install/.installed"
fi
# Next to its node_modules, which is where Node resolves `import 'jose'` from.
cp "$here/verify.mjs" "$install/verify.mjs"

run=$work/run
rm -rf "$run"
mkdir -p "$run"
"$vectors_bin" write "$run/libs-jose-signed.json" || fail "jose_vectors write failed"

rc=0
echo "=== jose verifies what libs/jose signed"
node "$install/verify.mjs" "$run/libs-jose-signed.json" "$run/jose-signed.json" || rc=1
echo "=== libs/jose verifies what jose signed"
if [[ -s $run/jose-signed.json ]]; then
  "$vectors_bin" check "$run/jose-signed.json" || rc=1
else
  echo "jose-interop: jose wrote no vectors" >&2
  rc=1
fi
((rc == 0)) && echo "jose-interop: PASS" || echo "jose-interop: FAIL" >&2
exit $rc
