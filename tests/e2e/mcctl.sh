#!/usr/bin/env bash
# mcctl as staff and operators meet it, against an embedded development node (mcnode --dev) on
# free ports: publish and find a specification, issue and verify one credential, issue a cohort
# CSV with two bad rows (twice: the second run issues nothing new), export in three formats,
# evaluate and confer a stacking pathway, revoke and verify again, then the exit codes of usage
# errors (2), refusals (1) and an unreachable node (3).
# Needs only the build (MC_BUILD_DIR); the Kafka and Redis of the run are not used.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
for binary in "$mcnode" "$mcctl"; do
  [[ -x $binary ]] || { echo "FAIL: $binary is not built" >&2; exit 1; }
done
# Only this script's settings reach mcctl and mcnode.
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS

one_node_work_dir


# ctl EXPECTED_EXIT ARGS...: runs mcctl against the node; stdout in $work/out, stderr in $work/err.
ctl() {
  local expected=$1 rc=0
  shift
  "$mcctl" --node="127.0.0.1:$port" --token-file="$data/dev-token" "$@" >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
}
# bare EXPECTED_EXIT ARGS...: mcctl with nothing set for it.
bare() {
  local expected=$1 rc=0
  shift
  "$mcctl" "$@" >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
}

start_node() {
  port=$(free_port)
  local http
  http=$(free_port)
  data=$work/data
  "$mcnode" --dev --institution=uclouvain --legal-name="Université catholique de Louvain" \
    --data-dir="$data" --listen="127.0.0.1:$port" --http="127.0.0.1:$http" \
    --public-url=https://uclouvain.example --policy=fwb >"$work/node.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if [[ -s $data/dev-token ]] &&
      "$mcctl" --node="127.0.0.1:$port" --timeout=2s catalogue search >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
    sleep 0.2
  done
  fail "mcnode did not answer"
}


# 50 learners; row 18 (L0017) has a malformed e-mail, row 34 (L0033) no given name. Family
# names hold a comma, so they are quoted (RFC 4180).
cohort_csv() {
  echo "learner_id,given_name,family_name,email,grade,grading_scheme"
  local i email given
  for i in $(seq 1 50); do
    email="l$i@example.org" given="Given$i"
    ((i == 17)) && email="not-an-email"
    ((i == 33)) && given=""
    printf 'L%04d,%s,"Family, %d",%s,%d/20,Belgian 0-20 scale\r\n' "$i" "$given" "$i" "$email" $((10 + i % 10))
  done
}

json_field() {  # json_field FILE KEY: a top-level string field of a JSON document
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

start_node
today=$(date -u +%F)
issue_flags=(--spec=uclouvain/open-science-e2e --issued-on="$today" --place="Louvain-la-Neuve, BE"
  --supervision=onsite-id-check)

# 1. Catalogue: publish (twice: the derived request id makes it idempotent), search, get.
spec_json open-science-e2e "Open science in practice" >"$work/spec.json"
ctl 0 catalogue publish "$work/spec.json"
out_has "published uclouvain/open-science-e2e version 1"
ctl 0 catalogue publish "$work/spec.json"
out_has "published uclouvain/open-science-e2e version 1"
ctl 0 catalogue search open science --eqf=7
out_has "uclouvain/open-science-e2e"
ctl 0 --output=json catalogue search --provider=uclouvain
out_has '"specification_id":"uclouvain/open-science-e2e"'
ctl 0 catalogue get uclouvain/open-science-e2e
out_has "Open science in practice"
out_has "ecosystem:          dev-ecosystem"
# The ecosystem as a filter and a facet (a --dev node has one: its home).
ctl 0 catalogue search --ecosystem=dev-ecosystem
out_has "uclouvain/open-science-e2e"
out_has "by ecosystem: dev-ecosystem 1"
ctl 0 catalogue search --ecosystem=elsewhere,other
out_has "0 specifications"
ctl 1 catalogue publish --ecosystem=elsewhere "$work/spec.json"
err_has "INVALID_ARGUMENT: ecosystem_id"
ctl 2 catalogue search --ecosystem="not an id"
echo "ok: catalogue publish, search, get, by ecosystem"

# 2. One credential, verified.
ctl 0 issue "${issue_flags[@]}" --learner-id=S0001 --given-name=Marie --family-name=Dupont \
  --email=marie.dupont@example.org --grade=16/20 --grading-scheme="Belgian 0-20 scale" \
  --out="$work/one.jws"
credential=$(awk '/^credential_id:/ {print $2}' "$work/out")
[[ $credential == urn:uuid:* ]] || fail "no credential id printed"
[[ -s $work/one.jws ]] || fail "no JWS written"
ctl 0 verify "$work/one.jws"
head -1 "$work/out" | grep -qx VALID || fail "verify did not say VALID"
out_has "passed  signature"
out_has "secured as:         open-badges-jwt (Open Badges 3.0 VC-JWT)"
ctl 0 verify - <"$work/one.jws"
ctl 0 --output=json verify "$work/one.jws"
out_has '"securing_profile":"SECURING_PROFILE_OPEN_BADGES_JWT"'
echo "ok: issue one, verify VALID"

# 3. A cohort of 50 with 2 bad rows, in batches of 20.
cohort_csv >"$work/cohort.csv"
ctl 1 issue "${issue_flags[@]}" --cohort="$work/cohort.csv" --batch-size=20 \
  --out-dir="$work/jws" --refused-out="$work/refused.csv"
out_has "summary: 48 new, 0 already issued, 2 refused (50 rows)"
out_has "row 18 (learner L0017): INVALID_ARGUMENT: learner.email"
out_has "row 34 (learner L0033): INVALID_ARGUMENT: learner.given_name"
err_has "issued 48/50, 2 refused"
(($(find "$work/jws" -name '*.jws' | wc -l) == 48)) || fail "--out-dir does not hold 48 JWS"
(($(wc -l <"$work/refused.csv") == 3)) || fail "--refused-out does not hold the header and 2 rows"
grep -q '^L0017,' "$work/refused.csv" || fail "--refused-out lacks row 18"
echo "ok: cohort 48 issued, 2 refused"

# The same file again: nothing new is issued.
ctl 1 issue "${issue_flags[@]}" --cohort="$work/cohort.csv"
out_has "summary: 0 new, 48 already issued, 2 refused (50 rows)"
ctl 0 verify "$work/jws/L0050.jws"
echo "ok: cohort re-run issues nothing new"

# 4. Export in the three formats.
ctl 0 export "$credential" --format=jws --out="$work/export.jws"
cmp -s <(tr -d '\n' <"$work/export.jws") <(tr -d '\n' <"$work/one.jws") ||
  fail "exported JWS differs from the issued one"
ctl 0 export "$credential" --format=openbadge --out="$work/export.ob.json"
grep -q OpenBadgeCredential "$work/export.ob.json" || fail "openbadge export"
[[ $(json_field "$work/export.ob.json" id) == "$credential" ]] || fail "openbadge export id"
# ELM: a European Digital Credential sealed with JAdES by the node's (self-made, --dev) e-seal,
# checked with the OpenSSL command line against the seal CA the node wrote to its data dir.
ctl 0 export "$credential" --format=elm --out="$work/export.elm.jsonld"
out_has "exported application/jose+json to"
python3 -c '
import json, sys
sealed = json.load(open(sys.argv[1]))
credential = json.loads(sealed["payload"])
assert "EuropeanDigitalCredential" in credential["type"], credential["type"]
assert credential["id"] == sys.argv[2], credential["id"]' "$work/export.elm.jsonld" "$credential" ||
  fail "elm export is not a sealed EDC of the credential"
printf '{"sealed": [{"name": "mcctl export --format=elm", "file": "%s", "ca": "%s"}]}\n' \
  "$work/export.elm.jsonld" "$data/seal-ca.pem" >"$work/elm-manifest.json"
python3 "$root/tests/europass/jades_check.py" "$work/elm-manifest.json" || fail "elm export seal"
ctl 0 --output=json export "$credential" --format=elm
out_has '"media_type"'
out_has 'application/jose+json'
echo "ok: export jws, openbadge, elm (sealed)"

# 4b. Recognition at the same node: no policy, so the request waits; the officer decides a
# partial recognition (with its justified substantial difference), then an appeal is lodged.
ctl 0 recognition request "$work/jws/L0050.jws" --learner=L0050 --programme=uclouvain/master \
  --component=LDATA2010 --component-ects=5
out_has "received"
out_has "authentic"
request_id=$(head -1 "$work/out" | cut -d' ' -f1)
ctl 0 recognition request "$work/jws/L0050.jws" --learner=L0050 --programme=uclouvain/master \
  --component=LDATA2010 --component-ects=5  # a retry: the same request
grep -qF "$request_id" "$work/out" || fail "the retried request got another id"
ctl 0 recognition list --state=received
out_has "1 request(s)"
decision_json partial 5 3 "Recognised in part: the workload is lower than the component's." \
  >"$work/decision.json"
ctl 0 recognition decide "$request_id" --decision="$work/decision.json"
out_has "decided"
out_has "decision: partial, 3 of 5 ECTS"
ctl 0 recognition appeal "$request_id" --grounds="The workload was 5 ECTS in the syllabus."
out_has "appealed"
echo "ok: recognition request, list, decide, appeal"

# 4c. Stacking: a pathway of two of the institution's credentials into a larger one; one
# credential does not satisfy it (and is not conferred), two do.
spec_json open-science-stack "Open science, stacked" >"$work/stack-spec.json"
ctl 0 catalogue publish "$work/stack-spec.json"
cat >"$work/pathway.json" <<'JSON'
{"title": "Open science, stacked",
 "target": {"kind": "TARGET_KIND_LARGER_MICRO_CREDENTIAL", "title": "Open science, stacked",
            "specificationId": "uclouvain/open-science-stack"},
 "rules": {"requirementId": "root", "minEcts": 4,
           "group": {"combinator": "COMBINATOR_ALL_OF", "children": [
             {"requirementId": "own", "minEcts": 4, "minCredentials": 2,
              "filter": {"issuerInstitutionIds": ["uclouvain"]}}]}}}
JSON
ctl 0 pathway publish "$work/pathway.json" --local-id=open-science
out_has "uclouvain/open-science  v1"
ctl 0 pathway publish "$work/pathway.json" --local-id=open-science  # a retry: the same version
out_has "uclouvain/open-science  v1"
ctl 0 pathway list
out_has "uclouvain/open-science  v1"
ctl 0 stack evaluate uclouvain/open-science "$work/jws/L0049.jws" --suggest
out_has "not satisfied"
stack_flags=(--learner=L0049 --given-name=Given49 --family-name=Family49 --place="Louvain-la-Neuve, BE"
  --supervision=onsite-id-check)
ctl 1 stack confer uclouvain/open-science "$work/jws/L0049.jws" "${stack_flags[@]}"
err_has "not satisfied"
ctl 0 stack what-if uclouvain/open-science "$work/jws/L0049.jws" --add=uclouvain/open-science-e2e
out_has "SATISFIED"
ctl 0 stack evaluate uclouvain/open-science "$work/jws/L0049.jws" "$work/jws/L0048.jws"
out_has "SATISFIED"
ctl 0 stack confer uclouvain/open-science "$work/jws/L0049.jws" "$work/jws/L0048.jws" "${stack_flags[@]}"
out_has "conferred urn:uuid:"
out_has "on 2 credentials"
echo "ok: pathway publish, list; stack evaluate, what-if, confer"

# 5. Revoke, then the credential no longer verifies.
ctl 0 revoke "$credential" --reason="Assessment fraud established"
out_has "revoked $credential"
ctl 0 revoke "$credential" --reason="Assessment fraud established"  # a retry: same answer
ctl 1 verify "$work/one.jws"
head -1 "$work/out" | grep -qx "NOT VALID" || fail "verify did not say NOT VALID"
out_has "FAILED  status"
ctl 1 --output=json verify "$work/one.jws"
out_has '"valid":false'
echo "ok: revoke, verify NOT VALID"

# 6. Refusals of the node: exit 1 with the code, the message and a hint.
spec_json bad "Master en science ouverte" >"$work/bad.json"
ctl 1 catalogue publish "$work/bad.json"
err_has "INVALID_ARGUMENT: content.title"
err_has "hint:"
rc=0
"$mcctl" --node="127.0.0.1:$port" issue "${issue_flags[@]}" --learner-id=S9 --given-name=A \
  --family-name=B >"$work/out" 2>"$work/err" || rc=$?
((rc == 1)) || fail "issue without a token exited $rc"
err_has "UNAUTHENTICATED"
ctl 1 catalogue get uclouvain/nothing-here
err_has "NOT_FOUND"
echo "ok: refusals exit 1"

# 7. Usage errors exit 2.
bare 2
bare 2 frobnicate
err_has "unknown command"
bare 2 catalogue get
bare 2 catalogue get a b
bare 2 issue --issued-on="$today" --place=x --supervision=supervised --learner-id=1 \
  --given-name=a --family-name=b
err_has "--spec is required"
bare 2 issue "${issue_flags[@]/--issued-on=$today/--issued-on=2026-02-30}" --learner-id=1 \
  --given-name=a --family-name=b
err_has "--issued-on"
bare 2 issue "${issue_flags[@]}" --supervision=sometimes --learner-id=1 --given-name=a --family-name=b
bare 2 issue "${issue_flags[@]}" --cohort="$work/cohort.csv" --learner-id=1
bare 2 issue "${issue_flags[@]}" --cohort="$work/missing.csv"
printf 'learner_id,given_name\nx,y\n' >"$work/no-family.csv"
bare 2 issue "${issue_flags[@]}" --cohort="$work/no-family.csv"
err_has "family_name is required"
bare 2 --output=yaml catalogue search
bare 2 catalogue search --colour=blue
bare 2 export urn:uuid:x --format=pdf
bare 2 revoke urn:uuid:x
bare 2 verify "$work/missing.jws"
bare 2 catalogue publish "$work/cohort.csv"
bare 0 --help
bare 0 issue --help
out_has "grading_scheme"
echo "ok: usage errors exit 2"

# 8. A node that is not there: exit 3.
nobody=$(free_port)
bare 3 --node="127.0.0.1:$nobody" catalogue search
err_has "cannot reach the node"
bare 3 --node="127.0.0.1:$nobody" --timeout=2s verify "$work/one.jws"
MC_NODE="127.0.0.1:$nobody" bare 3 catalogue get uclouvain/open-science-e2e
echo "ok: unreachable node exits 3"

echo "mcctl e2e: all checks passed"
