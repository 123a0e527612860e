#!/usr/bin/env bash
# run.sh EUROPASS_EXPORTER DEPS_DIR WORK_DIR: the europass_edc test (CTest runs it; see
# CMakeLists.txt and README.md).
#
# 1. tests/conformance/install.sh installs the pinned Python packages (pyshacl, rdflib, ...)
#    into DEPS_DIR, the venv every interop check shares (reused while the pins are unchanged).
# 2. EUROPASS_EXPORTER writes every variant of the ELM export (sealed by in-process nodes) and
#    of the builder's documents into WORK_DIR, with WORK_DIR/manifest.json.
# 3. shacl_check.py validates each against EDC-generic-full: zero violations. Its own checks:
#    the Commission's sealed sample has none; the unsigned sample and a document with the
#    display and the eIDAS identifier removed have some.
# 4. jades_check.py checks each seal with the OpenSSL command line.
#
# Fails, never skips, when Python, openssl or an install is unavailable. Runs offline.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
usage="usage: run.sh EUROPASS_EXPORTER DEPS_DIR WORK_DIR"
exporter=${1:?$usage}
deps=${2:?$usage}
work=${3:?$usage}

fail() {
  echo "europass: FAIL: $*" >&2
  exit 1
}

[[ -x $exporter ]] || fail "$exporter is not built"
command -v openssl >/dev/null || fail "openssl not found (Debian: apt-get install openssl)"
bash "$root/tests/conformance/install.sh" "$deps"
python=$deps/venv/bin/python

rm -rf "$work"
mkdir -p "$work"
"$exporter" "$work" || fail "europass_exporter failed"
manifest=$work/manifest.json
mapfile -t files < <("$python" -c '
import json, sys
m = json.load(open(sys.argv[1]))
for entry in m["sealed"] + m["documents"]:
    print(entry["file"])' "$manifest")
((${#files[@]} > 0)) || fail "the manifest lists no document"

# A document the shapes must refuse: the export without what EDC requires of it.
"$python" -c '
import json, sys
doc = json.load(open(sys.argv[1]))
del doc["displayParameter"]
del doc["issuer"]["eIDASIdentifier"]
json.dump(doc, open(sys.argv[2], "w"))' "$work/sample-joint-ects-graded.json" "$work/broken.json"

rc=0
export PYTHONDONTWRITEBYTECODE=1
echo "=== SHACL (pyshacl, EDC-generic-full): the Commission's sealed sample, then every export"
"$python" "$here/shacl_check.py" "$here/samples/Sample-MC-Annex1-signed.jsonld" \
  "${files[@]}" || rc=1
echo "=== SHACL: documents that must have violations"
"$python" "$here/shacl_check.py" --expect-violations \
  "$here/samples/Sample-MC-Annex1-unsigned.jsonld" "$work/broken.json" || rc=1
echo "=== JAdES (openssl): every sealed export"
"$python" "$here/jades_check.py" "$manifest" || rc=1

((rc == 0)) && echo "europass: PASS" || echo "europass: FAIL" >&2
exit $rc
