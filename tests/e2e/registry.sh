#!/usr/bin/env bash
# The secretariat's registry commands on the run's real Kafka: create a root key, admit two
# institutions, rotate a key, suspend and reinstate a member, and read the registry back as a
# node trusting that root sees it; then the usage errors. Needs MC_BUILD_DIR and
# MC_KAFKA_BOOTSTRAP (tests/infra/with-services.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcctl=$build/tools/mcctl/mcctl
[[ -x $mcctl ]] || { echo "FAIL: $mcctl is not built" >&2; exit 1; }
[[ -n ${MC_KAFKA_BOOTSTRAP:-} ]] || { echo "FAIL: MC_KAFKA_BOOTSTRAP is not set" >&2; exit 1; }
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$work/out" "$work/err"; do
    [[ -s $f ]] && { echo "--- ${f##*/}:" >&2; tail -20 "$f" >&2; }
  done
  exit 1
}
# reg EXPECTED_EXIT COMMAND ARGS...: an mcctl registry command of this run's ecosystem.
run=$(date +%s%N | tail -c 9)
ecosystem=e2e-eco-$run
reg() {
  local expected=$1 rc=0
  shift
  local command=$1
  shift
  "$mcctl" registry "$command" --kafka="$MC_KAFKA_BOOTSTRAP" --ecosystem="$ecosystem" \
    --root-key-file="$work/root.key" "$@" >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl registry $command $* exited $rc, expected $expected"
}
# A fresh Ed25519 public key, base64url, as mcnode logs its own.
public_key() {
  python3 -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))'
}

"$mcctl" registry init-root --root-key-file="$work/root.key" >"$work/out" 2>"$work/err" ||
  fail "init-root"
out_has "root public key:"
[[ -s $work/root.key ]] || fail "no root key file"
echo "ok: init-root"

uni=e2e-uni-$run
school=e2e-he-$run
key1=$(public_key)
reg 0 admit "$uni" --legal-name="Université E2E" --public-key="$key1" --groups=e2e-alliance
out_has "$uni admitted"
school_key=$(public_key)
reg 0 admit "$school" --legal-name="Haute École E2E" --public-key="$school_key" \
  --provider-type=HIGHER_EDUCATION --country=BE
echo "ok: admit"

old_key_id=$("$mcctl" registry list --kafka="$MC_KAFKA_BOOTSTRAP" --ecosystem="$ecosystem" \
  --root-key-file="$work/root.key" --output=json |
  python3 -c 'import json,sys
for line in sys.stdin:
  m = json.loads(line)
  if "admitted" in m and m["admitted"]["institution_id"] == sys.argv[1]:
    print(m["admitted"]["keys"][0]["key_id"])' "$uni")
[[ -n $old_key_id ]] || fail "registry list --output=json does not show $uni"
reg 0 rotate-key "$uni" --public-key="$(public_key)" --retire="$old_key_id"
out_has "retired"
reg 0 suspend "$school" --reason="quality assurance lapsed"
out_has "$school suspended"
reg 0 list
out_has "$school  Haute École E2E  (PROVIDER_TYPE_HIGHER_EDUCATION, BE)  SUSPENDED"
out_has "suspended: quality assurance lapsed"
out_has "$old_key_id retired"
out_has "2 member(s)"
echo "ok: rotate-key, suspend, list"

# Suspending a suspended member is written, and refused by every reader of the registry.
reg 0 suspend "$school" --reason="again"
reg 0 list
out_has "1 record(s) refused"
# A P-256 credential key: registered by a re-admission, shown, rotated.
"$mcctl" --output=json key create --algorithm=es256 --key-file="$work/p256-1.key" >"$work/out" ||
  fail "key create --algorithm=es256"
ec1=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])' <"$work/out")
ec1_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <"$work/out")
"$mcctl" key create --algorithm=es256 --key-file="$work/p256-2.key" >"$work/out" ||
  fail "key create --algorithm=es256"
out_has "--credential-key=es256:"
ec2=$(awk '/^public key:/ {print $3}' "$work/out")
reg 0 admit "$school" --legal-name="Haute École E2E" --public-key="$school_key" \
  --credential-key="es256:$ec1"
reg 0 rotate-key "$school" --credential-key="es256:$ec2" --retire="$ec1_id"
reg 0 list
out_has "key $ec1_id (P-256) retired"
grep -q "key ec:[0-9a-f]* (P-256)\$" "$work/out" || fail "the new P-256 key is not listed"
reg 2 admit "$school" --legal-name=X --public-key="$school_key" --credential-key="es256:$key1"
err_has "--credential-key"
reg 2 rotate-key "$school" --public-key="$school_key" --credential-key="es256:$ec2"
err_has "exactly one"
echo "ok: a P-256 credential key admitted, listed and rotated"

reg 0 reinstate "$school" --reason="accreditation renewed"
reg 0 list
out_has "$school  Haute École E2E  (PROVIDER_TYPE_HIGHER_EDUCATION, BE)  member"
out_has "reinstated: accreditation renewed"
echo "ok: reinstate"

# The ecosystem's definition: a built-in profile, then the secretariat's own rules from a file;
# a file that does not validate is refused naming the JSON key, and nothing is written.
reg 0 list
out_has "ecosystem $ecosystem: not defined; the Recommendation alone applies"
reg 0 define-ecosystem --profile=fwb --display-name="E2E ecosystem"
out_has "$ecosystem defined, rules \"fwb\""
cat >"$work/alliance.json" <<'JSON'
{"name": "e2e-alliance", "description": "HE and VET issue; HE awards ECTS.",
 "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION", "PROVIDER_TYPE_VET"],
 "ects_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION"],
 "protected_titles": ["Diplom"], "min_certificate_ects": 5}
JSON
reg 0 define-ecosystem --profile-file="$work/alliance.json" --display-name="E2E ecosystem" \
  --log-bootstrap=kafka-1.e2e.example:9093,kafka-2.e2e.example:9093 --log-security=SSL
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["protected_titles"]=["Diplom",""]
json.dump(d, open(sys.argv[2], "w"))' "$work/alliance.json" "$work/bad.json"
reg 2 define-ecosystem --profile-file="$work/bad.json"
err_has "policy profile: protected_titles[1]: is required"
reg 2 define-ecosystem --profile=fwb --profile-file="$work/alliance.json"
err_has "exactly one"
reg 0 list
out_has "ecosystem $ecosystem  E2E ecosystem  (log: kafka-1.e2e.example:9093,kafka-2.e2e.example:9093, SSL)"
out_has "rules \"fwb\" from mc.catalogue.v1/0@"
out_has "rules \"e2e-alliance\" from mc.catalogue.v1/0@"
out_has "(latest)"
out_has "issuers: HIGHER_EDUCATION, VET; ECTS: HIGHER_EDUCATION; 1 protected title(s); certificate minimum 5 ECTS"
(($(grep -c ' rules "' "$work/out") == 2)) || fail "expected two versions of the rules"
reg 0 list --output=json
python3 -c 'import json,sys
first = json.loads(open(sys.argv[1]).readline())["ecosystem"]
assert [v["rules"]["name"] for v in first["versions"]] == ["fwb", "e2e-alliance"], first' \
  "$work/out" || fail "registry list --output=json does not show the definition first"
echo "ok: define-ecosystem, its history listed; a bad profile file refused, nothing written"

reg 2 suspend "$uni"
err_has "--reason is required"
reg 2 admit "$uni" --legal-name=X --public-key=not-a-key
err_has "--public-key"
rc=0
"$mcctl" registry list --kafka="$MC_KAFKA_BOOTSTRAP" --ecosystem="$ecosystem" \
  --root-key-file="$work/missing.key" >"$work/out" 2>"$work/err" || rc=$?
((rc == 2)) || fail "a missing root key file exited $rc, expected 2"
echo "ok: usage errors"
echo "PASS: registry"
