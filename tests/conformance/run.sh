#!/usr/bin/env bash
# run.sh CONFORMANCE_ISSUER DEPS_DIR WORK_DIR: the ob3_conformance test (CTest runs it; see
# CMakeLists.txt and README.md).
#
# 1. install.sh installs the pinned Python and npm packages into DEPS_DIR (reused while the
#    pins are unchanged).
# 2. CONFORMANCE_ISSUER issues every kind of credential through in-process nodes, writes
#    WORK_DIR/manifest.json, prints "ready" and serves the nodes' public HTTP on loopback ports
#    until its standard input is closed.
# 3. verify.py (jsonschema, openbadgeslib, joserfc) and verify.mjs (jose, did:web resolver)
#    check every credential, fetching keys, DID documents and status lists from the nodes.
#
# Fails, never skips, when Python, Node.js, npm or an install is unavailable.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: run.sh CONFORMANCE_ISSUER DEPS_DIR WORK_DIR"
issuer_bin=${1:?$usage}
deps=${2:?$usage}
work=${3:?$usage}

fail() {
  echo "conformance: FAIL: $*" >&2
  exit 1
}

[[ -x $issuer_bin ]] || fail "$issuer_bin is not built"
bash "$here/install.sh" "$deps"

rm -rf "$work"
mkdir -p "$work"
manifest=$work/manifest.json
# Next to its node_modules, where Node resolves the imports from.
cp "$here/verify.mjs" "$deps/npm/verify.mjs"
verify_mjs=$deps/npm/verify.mjs

# The issuer reads its standard input from a FIFO this script holds open: closing it (or this
# script dying) stops the issuer.
mkfifo "$work/stop"
"$issuer_bin" "$manifest" <"$work/stop" >"$work/issuer.out" 2>"$work/issuer.err" &
issuer_pid=$!
exec 8>"$work/stop"
stop_issuer() {
  exec 8>&- 2>/dev/null || true
  wait "$issuer_pid" 2>/dev/null || true
}
trap stop_issuer EXIT

for _ in $(seq 1 600); do
  grep -q '^ready' "$work/issuer.out" 2>/dev/null && break
  kill -0 "$issuer_pid" 2>/dev/null || { cat "$work/issuer.err" >&2; fail "conformance_issuer exited"; }
  sleep 0.1
done
grep -q '^ready' "$work/issuer.out" || { cat "$work/issuer.err" >&2; fail "conformance_issuer not ready in 60 s"; }
cat "$work/issuer.out"

rc=0
echo "=== Python: the 1EdTech JSON Schema, openbadgeslib, joserfc"
PYTHONDONTWRITEBYTECODE=1 "$deps/venv/bin/python" "$here/verify.py" "$manifest" \
  "$here/schema/ob_v3p0_achievementcredential_schema.json" || rc=1
echo "=== Node.js: jose, did-resolver + web-did-resolver"
node "$verify_mjs" "$manifest" || rc=1

# The issuer stops cleanly (under ASan: no leak, no error on the way out).
trap - EXIT
exec 8>&-
issuer_rc=0
wait "$issuer_pid" || issuer_rc=$?
if ((issuer_rc != 0)); then
  cat "$work/issuer.err" >&2
  echo "conformance: conformance_issuer exited with $issuer_rc" >&2
  rc=1
fi
((rc == 0)) && echo "conformance: PASS" || echo "conformance: FAIL" >&2
exit $rc
