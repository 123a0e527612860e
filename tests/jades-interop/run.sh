#!/usr/bin/env bash
# run.sh JADES_SEAL_VECTORS WORK_DIR: the jades_interop test (CTest runs it; see CMakeLists.txt
# and README.md).
#
# 1. JADES_SEAL_VECTORS seals the Commission's ELM v3 sample payload (unsigned) with libs/jades
#    under a fresh test CA: WORK_DIR/es256.json, rs256.json, anchor.pem.
# 2. DSS (ValidateJades, classpath in ./lib from scripts/install-deps.sh) validates each with
#    that CA as the only trust anchor, offline. Asserted: one signature, format
#    JAdES-BASELINE-B, the signature intact and valid, the signing certificate identified, the
#    chain trusted, and an indication of TOTAL_PASSED or INDETERMINATE for want of revocation
#    data only (the test CA publishes no CRL or OCSP, and DSS is not allowed to fetch any: every
#    error DSS lists must be about revocation) - never TOTAL_FAILED.
# 3. A copy with one payload byte changed: DSS must find the signature not intact.
# 4. Cross-check: DSS on the Commission's own sealed sample, with the CA that issued its seal
#    certificate as anchor: intact, valid, chain trusted, JAdES-BASELINE-LTA.
#
# Fails, never skips, when Java or the DSS classpath is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
usage="usage: run.sh JADES_SEAL_VECTORS WORK_DIR"
vectors=${1:?$usage}
work=${2:?$usage}

fail() {
  echo "jades_interop: FAIL: $*" >&2
  exit 1
}

[[ -x $vectors ]] || fail "$vectors is not built"
command -v java >/dev/null || fail "java is not installed (scripts/install-deps.sh installs it)"
[[ -f $here/lib/jades-interop.jar && -f $here/lib/.complete ]] ||
  fail "the DSS classpath $here/lib is missing: run scripts/install-deps.sh"

rm -rf "$work"
mkdir -p "$work"
"$vectors" "$root/tests/europass/samples/Sample-MC-Annex1-unsigned.jsonld" "$work"

# validate DOCUMENT ANCHOR: DSS's findings as key=value lines, into $work/<name>.dss.
validate() {
  local out=$work/$(basename "$1" .json).$(basename "$2" .pem).dss
  java -cp "$here/lib/*" microcred.interop.ValidateJades "$1" "$2" >"$out" ||
    fail "DSS could not validate $1: $(cat "$out")"
  echo "$out"
}

# expect FILE KEY VALUE...: the report's KEY is one of VALUE...
expect() {
  local file=$1 key=$2
  shift 2
  local got
  got=$(sed -n "s/^$key=//p" "$file")
  for want in "$@"; do
    [[ $got == "$want" ]] && return 0
  done
  fail "$(basename "$file"): $key=$got, expected ${*// / or }; DSS said:
$(cat "$file")"
}

for name in es256 rs256; do
  report=$(validate "$work/$name.json" "$work/anchor.pem")
  expect "$report" signatures 1
  expect "$report" format JAdES-BASELINE-B
  expect "$report" intact true
  expect "$report" valid true
  expect "$report" signing_certificate_identified true
  expect "$report" chain_trusted true
  expect "$report" indication TOTAL_PASSED INDETERMINATE
  if grep -q '^indication=INDETERMINATE' "$report"; then
    # Only for want of revocation data about the test CA's certificates: DSS reports the seal's
    # certificate without it as TRY_LATER, an intermediate CA's as a chain failure, and every
    # error it lists must be about revocation.
    expect "$report" subindication TRY_LATER CERTIFICATE_CHAIN_GENERAL_FAILURE
    sed -n 's/^errors=//p' "$report" | tr '|' '\n' | sed 's/^ *//; s/ *$//' | while read -r error; do
      case $error in
        "The certificate validation is not conclusive!" | \
          "No revocation data found for the certificate!") ;;
        *) fail "$(basename "$report"): DSS error not about revocation: $error" ;;
      esac
    done
  fi
  echo "jades_interop: $name: DSS: $(grep -E '^(format|indication|subindication|intact|valid|chain_trusted)=' "$report" | tr '\n' ' ')"

  # One byte of the payload changed: DSS must see it.
  sed 's/urn:credential:3ef0ac26/urn:credential:4ef0ac26/' "$work/$name.json" >"$work/$name-changed.json"
  cmp -s "$work/$name.json" "$work/$name-changed.json" && fail "the payload change did not apply"
  report=$(validate "$work/$name-changed.json" "$work/anchor.pem")
  expect "$report" intact false
  expect "$report" indication TOTAL_FAILED
done

report=$(validate "$root/tests/europass/samples/Sample-MC-Annex1-signed.jsonld" \
  "$root/tests/europass/trust/anf-eseal-ca.pem")
expect "$report" signatures 1
expect "$report" format JAdES-BASELINE-LTA
expect "$report" intact true
expect "$report" valid true
expect "$report" chain_trusted true
grep -q '^signing_certificate=.*CN=TEST SEAL' "$report" || fail "sample: signing certificate: $(cat "$report")"
echo "jades_interop: Commission sample: DSS: $(grep -E '^(format|indication|subindication|intact|valid|chain_trusted)=' "$report" | tr '\n' ' ')"
echo "jades_interop: PASS"
