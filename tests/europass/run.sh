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
# 5. DSS, the EU's JAdES implementation (tests/jades-interop: its ValidateJades and the classpath
#    scripts/install-deps.sh resolves), validates two exports (a URL issuer's graded award, a
#    did:web issuer's course in hours) with the institution's seal CA as the only trust anchor,
#    offline: JAdES-BASELINE-B, intact, valid, chain trusted; INDETERMINATE only for want of
#    revocation data (a self-made CA publishes none), never TOTAL_FAILED.
#
# Fails, never skips, when Python, openssl, Java, the DSS classpath or an install is
# unavailable. Runs offline.
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
command -v java >/dev/null || fail "java is not installed (scripts/install-deps.sh installs it)"
dss=$root/tests/jades-interop/lib
[[ -f $dss/jades-interop.jar && -f $dss/.complete ]] ||
  fail "the DSS classpath $dss is missing: run scripts/install-deps.sh"
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

echo "=== JAdES (DSS): a URL issuer's and a did:web issuer's export"
for name in uantwerpen-graded kuleuven-hours; do
  institution=${name%%-*}
  report=$work/$name.dss
  java -cp "$dss/*" microcred.interop.ValidateJades "$work/$name.json" \
    "$work/$institution-seal-ca.pem" >"$report" || { echo "DSS could not validate $name" >&2; rc=1; continue; }
  ok=1
  for want in signatures=1 format=JAdES-BASELINE-B intact=true valid=true \
    signing_certificate_identified=true chain_trusted=true; do
    grep -qx "$want" "$report" || { echo "FAIL $name: DSS did not say $want" >&2; ok=0; }
  done
  case $(sed -n 's/^indication=//p' "$report") in
    TOTAL_PASSED) ;;
    INDETERMINATE)
      # Only for want of revocation data: every error DSS lists must be about revocation.
      while read -r error; do
        case $error in
          "" | "The certificate validation is not conclusive!" | \
            "No revocation data found for the certificate!") ;;
          *) echo "FAIL $name: DSS error not about revocation: $error" >&2; ok=0 ;;
        esac
      done < <(sed -n 's/^errors=//p' "$report" | tr '|' '\n' | sed 's/^ *//; s/ *$//')
      ;;
    *) echo "FAIL $name: DSS indication $(sed -n 's/^indication=//p' "$report")" >&2; ok=0 ;;
  esac
  if ((ok)); then
    echo "ok $name: DSS $(sed -n 's/^format=//p' "$report"), intact, valid, chain trusted," \
      "$(sed -n 's/^indication=//p' "$report") (revocation data only)"
  else
    cat "$report" >&2
    rc=1
  fi
done

((rc == 0)) && echo "europass: PASS" || echo "europass: FAIL" >&2
exit $rc
