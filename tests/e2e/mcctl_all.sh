#!/usr/bin/env bash
# Every mcctl command against one embedded development node (mcnode --dev: no Kafka, no Redis),
# as staff, officers and operators use them: the catalogue (publish, revise, withdraw, the
# provider profile), credentials (issue, list, suspend, reinstate, revoke, export, verify, a
# learner's erasure), recognition (a request through information asked and provided, review,
# decision, appeal and the appeal's decision; a withdrawal; policies; VAE) and pathways and
# stacking. Tokens other than the node's development token (an appeal officer's) come from
# `mcctl key create` and `mcctl token mint`.
#
# Then, for every command `mcctl --help` lists: `<command> --help` prints its usage; every
# command that talks to a node was run here with success, and with --output=json printed one
# JSON document. Exit codes: 2 for usage errors, 1 for refusals, 3 for a node that is not there.
# tests/e2e/mcctl.sh goes deeper into issuing (cohorts), exporting and stacking;
# tests/e2e/registry.sh covers the registry commands (they need Kafka).
# Needs only the build (MC_BUILD_DIR).
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

# The commands `mcctl --help` lists, one a line: the "Commands:" section, each name followed by
# two spaces or more and its summary.
"$mcctl" --help >"$work/help" || fail "mcctl --help"
sed -n '/^Commands:/,/^$/p' "$work/help" | sed -n 's/^  \([a-z][a-z -]*[a-z]\)  .*/\1/p' \
  >"$work/commands"
(($(wc -l <"$work/commands") >= 40)) || fail "mcctl --help lists $(wc -l <"$work/commands") commands"
# Those that do not talk to a node: local key files and tokens, and the registry (Kafka).
local_command() { [[ $1 == "key create" || $1 == "token mint" || $1 == registry\ * ]]; }

declare -A ran=() json_ok=()
# command_of ARGS...: the command named by mcctl's arguments (global flags first are skipped).
command_of() {
  local words=() arg
  for arg in "$@"; do
    [[ $arg == --* && ${#words[@]} -eq 0 ]] && continue
    [[ $arg == --* ]] && break
    words+=("$arg")
  done
  local n
  for ((n = ${#words[@]}; n > 0; n--)); do
    if grep -qxF -- "${words[*]:0:n}" "$work/commands"; then
      echo "${words[*]:0:n}"
      return
    fi
  done
}

# ctl EXPECTED_EXIT ARGS...: mcctl against the node with $token_file (the development token
# unless set for the call); stdout in $work/out, stderr in $work/err. A success is recorded for
# the coverage check, and one with --output=json must print a single JSON document.
ctl() {
  local expected=$1 rc=0 name
  shift
  "$mcctl" --node="127.0.0.1:$port" --token-file="${token_file:-$data/dev-token}" "$@" \
    >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
  ((rc == 0)) || return 0
  name=$(command_of "$@")
  [[ -n $name ]] || fail "mcctl $*: not a command of mcctl --help"
  ran[$name]=1
  if [[ " $* " == *" --output=json "* ]]; then
    python3 -c 'import json,sys; json.load(sys.stdin)' <"$work/out" ||
      fail "mcctl $*: --output=json did not print one JSON document"
    json_ok[$name]=1
  fi
}
# bare EXPECTED_EXIT ARGS...: mcctl with nothing set for it.
bare() {
  local expected=$1 rc=0
  shift
  "$mcctl" "$@" >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
}
# json_get EXPRESSION: a value of the JSON document in $work/out, e.g. json_get '["state"]'.
json_get() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)" <"$work/out"; }

# ---- 1. --help on every command ----
while IFS= read -r name; do
  # shellcheck disable=SC2086  # the command's words
  "$mcctl" $name --help >"$work/out" 2>"$work/err" || fail "mcctl $name --help exited $?"
  out_has "Usage: mcctl [global flags] $name"
  # shellcheck disable=SC2086
  "$mcctl" --help $name >"$work/out" 2>"$work/err" || fail "mcctl --help $name exited $?"
  out_has "Usage: mcctl [global flags] $name"
done <"$work/commands"
bare 0 recognition policy --help
out_has "recognition policy publish"
bare 0 catalogue profile --help
out_has "catalogue profile get"
echo "ok: --help on $(wc -l <"$work/commands") commands"

# ---- 2. Local: a token issuer's key and tokens, trusted by the node started next ----
bare 0 --output=json key create --key-file="$work/tokens.key"
[[ $(stat -c %a "$work/tokens.key") == 600 ]] || fail "key create: the key file is not mode 0600"
key_id=$(json_get '["key_id"]')
public_key=$(json_get '["public_key"]')
[[ $(json_get '["created"]') == True ]] || fail "key create did not say created"
bare 0 key create --key-file="$work/tokens.key"
out_has "kept the existing key $work/tokens.key"
out_has "key id: $key_id"
mint() {  # mint ROLES SUBJECT > token
  "$mcctl" token mint --key-file="$work/tokens.key" --issuer=e2e-idp --audience=uclouvain-node \
    --institution=uclouvain --subject="$2" --roles="$1" --ttl=1h
}
mint appeal_officer appeals@uclouvain >"$work/appeal.token" || fail "token mint"
[[ $(tr -cd . <"$work/appeal.token" | wc -c) == 2 ]] || fail "token mint: not a 3-part JWT"
bare 0 --output=json token mint --key-file="$work/tokens.key" --issuer=e2e-idp \
  --audience=uclouvain-node --institution=uclouvain --subject=L1 --roles=learner --ttl=10m
json_get '["token"]' >"$work/learner.token"
[[ -n $(json_get '["expires_at"]') ]] || fail "token mint: no expires_at"
bare 2 token mint --key-file="$work/tokens.key" --issuer=e2e-idp --audience=uclouvain-node \
  --institution=uclouvain --subject=x --roles=emperor
err_has "unknown role"
echo "ok: key create, token mint"

# ---- 3. The node, trusting the key above ----
umask 022  # the node's files must be its owner's only all the same (checked in 10)
port=$(free_port)
http=$(free_port)
data=$work/data
"$mcnode" --dev --institution=uclouvain --legal-name="Université catholique de Louvain" \
  --data-dir="$data" --listen="127.0.0.1:$port" --http="127.0.0.1:$http" \
  --public-url=https://uclouvain.example --policy=fwb \
  --token-keys="$key_id=e2e-idp=$public_key" >"$work/node.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if [[ -s $data/dev-token ]] &&
    "$mcctl" --node="127.0.0.1:$port" --timeout=2s catalogue search >/dev/null 2>&1; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
  sleep 0.2
done
[[ -s $data/dev-token ]] || fail "mcnode did not answer"
today=$(date -u +%F)

# ---- 4. Catalogue ----
spec_json all-one "Reproducible research" >"$work/one.json"
spec_json all-two "Research data management" >"$work/two.json"
spec_json all-old "Open peer review" >"$work/old.json"
spec_json all-stack "Open research, stacked" >"$work/stack.json"
for f in one two stack; do ctl 0 catalogue publish "$work/$f.json"; done
ctl 0 --output=json catalogue publish "$work/old.json"
[[ $(json_get '["version"]') == 1 ]] || fail "catalogue publish: not version 1"
ctl 0 catalogue get uclouvain/all-one
out_has "Reproducible research"
ctl 0 --output=json catalogue get uclouvain/all-one
ctl 0 catalogue search research
out_has "uclouvain/all-two"
ctl 0 --output=json catalogue search --provider=uclouvain
out_has '"specification_id":"uclouvain/all-old"'

# Revise: the edited publish file, then a retry (the same version), then a stale one (refused).
spec_json all-old "Open peer review in practice" >"$work/old2.json"
ctl 0 catalogue revise uclouvain/all-old "$work/old2.json" --expected-version=1
out_has "revised uclouvain/all-old version 2"
ctl 0 --output=json catalogue revise uclouvain/all-old "$work/old2.json" --expected-version=1
[[ $(json_get '["version"]') == 2 ]] || fail "the retried revision is not version 2"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["content"]))' \
  "$work/old.json" | sed 's/Open peer review/Open peer review, again/' >"$work/old3.json"
ctl 1 catalogue revise uclouvain/all-old "$work/old3.json" --expected-version=1
err_has "hint:"
ctl 0 catalogue get uclouvain/all-old --version=1
out_has "Open peer review"
ctl 0 catalogue withdraw uclouvain/all-old --reason="Replaced by the open science course"
out_has "withdrew uclouvain/all-old version 2"
ctl 0 --output=json catalogue withdraw uclouvain/all-old --reason="Replaced by the open science course"
[[ $(json_get '["status"]') == SPECIFICATION_STATUS_WITHDRAWN ]] || fail "not withdrawn"
[[ $(json_get '["withdrawal_reason"]') == "Replaced by the open science course" ]] ||
  fail "withdrawal reason"

cat >"$work/profile.json" <<'JSON'
{"institution_id": "uclouvain", "legal_name": "Université catholique de Louvain",
 "country": "BE", "provider_type": "PROVIDER_TYPE_HIGHER_EDUCATION",
 "qa_declaration": "Evaluated by AEQES.", "website": "https://uclouvain.be",
 "recognition_policy": {"text": "We recognise unless a substantial difference is shown.",
                        "links": ["https://uclouvain.be/recognition"]}}
JSON
ctl 0 catalogue profile publish "$work/profile.json"
out_has "published the profile of uclouvain  Université catholique de Louvain"
ctl 0 --output=json catalogue profile publish "$work/profile.json"
ctl 0 catalogue profile get uclouvain
out_has "recognition policy: We recognise unless a substantial difference is shown."
out_has "  key: "
ctl 0 --output=json catalogue profile get uclouvain
[[ $(json_get '["website"]') == https://uclouvain.be ]] || fail "profile website"
echo "ok: catalogue publish, get, search, revise, withdraw, profile publish, profile get"

# ---- 5. Credentials ----
issue() {  # issue SPEC LEARNER_ID GIVEN FAMILY OUT.jws [--output=json]
  ctl 0 ${6:+"$6"} issue --spec="uclouvain/$1" --issued-on="$today" --place="Louvain-la-Neuve, BE" \
    --supervision=onsite-id-check --learner-id="$2" --given-name="$3" --family-name="$4" \
    --out="$work/$5"
}
issue all-one L1 Marie Dupont l1-one.jws
cred_one=$(awk '/^credential_id:/ {print $2}' "$work/out")
[[ $cred_one == urn:uuid:* ]] || fail "no credential id printed"
issue all-two L1 Marie Dupont l1-two.jws --output=json
cred_two=$(json_get '["credential_id"]')
issue all-one L2 Jean Martin l2-one.jws
issue all-one L9 Anna Erased l9-one.jws
cred_erased=$(awk '/^credential_id:/ {print $2}' "$work/out")
ctl 0 credentials list --learner=L1
out_has "2 credential(s) of learner L1"
out_has "$cred_two"
ctl 0 --output=json credentials list --learner=L1
(($(json_get '["credentials"].__len__()') == 2)) || fail "credentials list: not 2 in JSON"
token_file=$work/learner.token ctl 0 credentials list --learner=L1  # the learner themself
out_has "$cred_one"
ctl 0 verify "$work/l1-one.jws"
out_has "VALID"
out_has "ES256 signature verifies"  # a development node registers a P-256 key: ES256 by default
ctl 0 issue --spec=uclouvain/all-two --issued-on="$today" --place="Louvain-la-Neuve, BE" \
  --supervision=onsite-id-check --learner-id=L3 --given-name=Paul --family-name=Leroy \
  --algorithm=eddsa --profile=vc-jose-cose --out="$work/l3-eddsa.jws"
ctl 0 verify "$work/l3-eddsa.jws"
out_has "EdDSA signature verifies"
out_has "vc-jose-cose (W3C VC-JOSE-COSE)"  # the profile the issue command named
ctl 2 issue --spec=uclouvain/all-two --issued-on="$today" --place="Louvain-la-Neuve, BE" \
  --supervision=onsite-id-check --learner-id=L5 --given-name=Lea --family-name=Lenoir \
  --profile=jwt
err_has "--profile: expected open-badges-jwt or vc-jose-cose"
ctl 1 issue --spec=uclouvain/all-two --issued-on="$today" --place="Louvain-la-Neuve, BE" \
  --supervision=onsite-id-check --learner-id=L4 --given-name=Rita --family-name=Roux \
  --algorithm=rs256
err_has "signature_algorithm"
ctl 0 --output=json verify "$work/l1-one.jws"
[[ $(json_get '["valid"]') == True ]] || fail "verify JSON not valid"
ctl 0 export "$cred_one" --format=openbadge
out_has OpenBadgeCredential
ctl 0 --output=json export "$cred_one" --format=jws
ctl 0 suspend "$cred_one" --reason="Under investigation"
out_has "suspended $cred_one"
ctl 0 --output=json suspend "$cred_one" --reason="Under investigation"
ctl 0 reinstate "$cred_one" --reason="Investigation closed"
out_has "reinstated $cred_one"
ctl 0 --output=json reinstate "$cred_one" --reason="Investigation closed"
echo "ok: issue, credentials list, verify, export, suspend, reinstate"

# ---- 6. Recognition: one request through every step ----
decision_json partial 2 1 "Recognised in part: the workload is lower than the component's." \
  >"$work/decision.json"
decision_json full 2 2 "On appeal: the syllabus shows the full workload." REMEDY_OMBUDSMAN \
  REMEDY_COURT >"$work/appeal-decision.json"
target=(--learner=L1 --programme=uclouvain/master --component=LDATA2010 --component-ects=2)
ctl 0 recognition request "$work/l1-one.jws" "${target[@]}"
out_has "received"
request=$(head -1 "$work/out" | cut -d' ' -f1)
ctl 0 --output=json recognition request "$work/l1-one.jws" "${target[@]}"  # a retry
[[ $(json_get '["request_id"]') == "$request" ]] || fail "the retried request got another id"
ctl 0 recognition get "$request"
out_has "$request  received"
out_has "SUBMIT"
ctl 0 --output=json recognition ask-info "$request" --what="The syllabus of the course, please."
[[ $(json_get '["state"]') == REQUEST_STATE_INCOMPLETE ]] || fail "ask-info: not incomplete"
ctl 0 recognition ask-info "$request" --what="The syllabus of the course, please."  # a retry
out_has "incomplete"
ctl 0 recognition get "$request"
out_has "information asked: The syllabus of the course, please. (awaited)"
ctl 0 recognition provide-info "$request" --note="Syllabus attached to my file."
out_has "$request  received"
# The same question again once the learner answered: a new round, not a retry.
ctl 0 recognition ask-info "$request" --what="The syllabus of the course, please."
out_has "incomplete"
ctl 0 --output=json recognition provide-info "$request" --note="Attached again."
[[ $(json_get '["state"]') == REQUEST_STATE_RECEIVED ]] || fail "provide-info: not received"
ctl 0 --output=json recognition get "$request"
ctl 0 recognition review "$request"
out_has "under review"
ctl 0 --output=json recognition review "$request"  # a retry: answered with the request as it is
ctl 0 recognition list --state=under-review
out_has "1 request(s)"
ctl 0 --output=json recognition list
# Information asked during review, provided: `decide` takes the request into review again.
ctl 0 recognition ask-info "$request" --what="The assessment criteria."
ctl 0 recognition provide-info "$request" --note="Criteria attached."
out_has "$request  received"
ctl 0 recognition decide "$request" --decision="$work/decision.json"
out_has "decision: partial, 1 of 2 ECTS"
ctl 0 --output=json recognition decide "$request" --decision="$work/decision.json"
ctl 0 recognition appeal "$request" --grounds="The workload was 2 ECTS in the syllabus."
out_has "appealed"
ctl 0 --output=json recognition appeal "$request" --grounds="The workload was 2 ECTS in the syllabus."
ctl 1 recognition decide-appeal "$request" --decision="$work/appeal-decision.json"
err_has "PERMISSION_DENIED"
token_file=$work/appeal.token ctl 0 recognition decide-appeal "$request" \
  --decision="$work/appeal-decision.json"
out_has "on appeal: full, 2 of 2 ECTS, by appeals@uclouvain"
token_file=$work/appeal.token ctl 0 --output=json recognition decide-appeal "$request" \
  --decision="$work/appeal-decision.json"
[[ $(json_get '["state"]') == REQUEST_STATE_APPEAL_DECIDED ]] || fail "appeal not decided"

# A second request: information asked, a further credential provided by the learner, then
# withdrawn by the learner.
as_learner() { token_file=$work/learner.token ctl "$@"; }
as_learner 0 recognition request "$work/l1-two.jws" --programme=uclouvain/master --purpose=admission
second=$(head -1 "$work/out" | cut -d' ' -f1)
ctl 0 recognition ask-info "$second" --what="Your other credential, please."
# Another learner's credential is not hers (holder binding): refused, with the reason.
as_learner 1 recognition provide-info "$second" --note="Here it is." --jws="$work/l2-one.jws"
err_has "additional_credential_jws[0]: holder: the credential is not the learner's"
as_learner 0 recognition provide-info "$second" --note="Here it is." --jws="$work/l1-one.jws"
out_has "$second  received"
out_has "holder: bound (the subject's salted SHA-256 identifier (sisSourcedId) is the hash of the learner_id)"
[[ $(grep -c "^  credential " "$work/out") == 2 ]] || fail "provide-info --jws: not 2 credentials"
as_learner 0 recognition withdraw "$second" --reason="Enrolled elsewhere."
out_has "withdrawn"
as_learner 0 --output=json recognition withdraw "$second" --reason="Enrolled elsewhere."
[[ $(json_get '["withdrawal_reason"]') == "Enrolled elsewhere." ]] || fail "withdrawal reason"
echo "ok: recognition request, get, ask-info, provide-info, review, list, decide, appeal," \
  "decide-appeal, withdraw"

# ---- 7. VAE ----
cat >"$work/vae.json" <<'JSON'
{"activities": [
  {"from": {"year": 2015, "month": 9}, "to": {"year": 2021, "month": 8},
   "kind": "ACTIVITY_KIND_PROFESSIONAL", "description": "Data steward at a research hospital"}],
 "higher_education_credits": 30, "portfolio_summary": "Six years of research data management."}
JSON
cat >"$work/vae-short.json" <<'JSON'
{"activities": [{"from": {"year": 2022, "month": 1}, "to": {"year": 2022, "month": 12},
                 "kind": "ACTIVITY_KIND_PERSONAL", "description": "Volunteer archivist"}]}
JSON
ctl 0 recognition vae-eligibility "$work/vae.json"
out_has "ELIGIBLE: 72 of 60 months"
ctl 0 --output=json recognition vae-eligibility "$work/vae.json"
[[ $(json_get '["met"]') == True ]] || fail "vae-eligibility JSON: not met"
ctl 1 recognition vae-eligibility "$work/vae-short.json"
out_has "NOT ELIGIBLE: 12 of 60 months"
ctl 0 recognition vae "$work/vae.json" --learner=L2 --programme=uclouvain/master
out_has "received"
vae_request=$(head -1 "$work/out" | cut -d' ' -f1)
ctl 0 --output=json recognition vae "$work/vae.json" --learner=L2 --programme=uclouvain/master
[[ $(json_get '["type"]') == REQUEST_TYPE_VAE ]] || fail "vae: not a VAE request"
ctl 0 recognition get "$vae_request"
out_has "VAE eligibility: met (72 of 60 months)"
echo "ok: recognition vae-eligibility, vae"

# ---- 8. Policies (published last: they would decide the requests above automatically) ----
cat >"$work/policy.json" <<'JSON'
{"policy_id": "uclouvain/own-research", "title": "Our own research courses",
 "rationale": "Our own micro-credentials in research count towards our programmes.",
 "rank": 1, "purposes": ["RECOGNITION_PURPOSE_CREDIT_TRANSFER"], "issuers": ["uclouvain"],
 "specification_ids": ["uclouvain/all-two"]}
JSON
ctl 0 recognition policy publish "$work/policy.json"
out_has "published uclouvain/own-research  v1  rank 1  active  Our own research courses"
ctl 0 --output=json recognition policy publish "$work/policy.json"  # a retry: still v1
[[ $(json_get '["version"]') == 1 ]] || fail "the retried policy is not v1"
sed 's/"rank": 1/"rank": 1, "max_age_months": 60/' "$work/policy.json" >"$work/policy2.json"
ctl 1 recognition policy publish "$work/policy2.json"  # a revision without its version
ctl 0 recognition policy publish "$work/policy2.json" --expected-version=1
out_has "uclouvain/own-research  v2"
ctl 0 recognition policy list
out_has "uclouvain/own-research  v2  rank 1  active"
out_has "1 policy"
ctl 0 --output=json recognition policy list --institution=uclouvain
[[ $(json_get '["policies"][0]["max_age_months"]') == 60 ]] || fail "policy list JSON"
echo "ok: recognition policy publish, list"

# ---- 9. Pathways and stacking ----
cat >"$work/pathway.json" <<'JSON'
{"title": "Open research, stacked",
 "target": {"kind": "TARGET_KIND_LARGER_MICRO_CREDENTIAL", "title": "Open research, stacked",
            "specificationId": "uclouvain/all-stack"},
 "rules": {"requirementId": "root", "minEcts": 4,
           "group": {"combinator": "COMBINATOR_ALL_OF", "children": [
             {"requirementId": "own", "minEcts": 4, "minCredentials": 2,
              "filter": {"issuerInstitutionIds": ["uclouvain"]}}]}}}
JSON
ctl 0 pathway publish "$work/pathway.json" --local-id=open-research
out_has "uclouvain/open-research  v1"
ctl 0 --output=json pathway publish "$work/pathway.json" --local-id=open-research
ctl 0 pathway get uclouvain/open-research
out_has "target: larger micro credential, Open research, stacked (uclouvain/all-stack)"
ctl 0 --output=json pathway get uclouvain/open-research --version=1
[[ $(json_get '["rules"]["min_ects"] == 4') == True ]] || fail "pathway get JSON rules"
ctl 1 pathway get uclouvain/no-such-pathway
err_has "NOT_FOUND"
ctl 0 pathway list
out_has "uclouvain/open-research  v1"
ctl 0 --output=json pathway list --owner=uclouvain
ctl 0 stack evaluate uclouvain/open-research "$work/l1-one.jws"
out_has "not satisfied"
ctl 0 --output=json stack evaluate uclouvain/open-research "$work/l1-one.jws" "$work/l1-two.jws"
[[ $(json_get '["result"]["satisfied"]') == True ]] || fail "stack evaluate JSON"
ctl 0 stack what-if uclouvain/open-research "$work/l1-one.jws" --add=uclouvain/all-two
out_has "SATISFIED"
ctl 0 --output=json stack what-if uclouvain/open-research "$work/l1-one.jws" --add=uclouvain/all-two
confer=(uclouvain/open-research "$work/l1-one.jws" "$work/l1-two.jws" --learner=L1
  --given-name=Marie --family-name=Dupont --place="Louvain-la-Neuve, BE" --supervision=onsite-id-check)
ctl 0 stack confer "${confer[@]}"
out_has "on 2 credentials"
ctl 0 --output=json stack confer "${confer[@]}"  # a retry: the same conferral
echo "ok: pathway publish, get, list; stack evaluate, what-if, confer"

# ---- 10. Revocation and a learner's erasure (irreversible: last) ----
ctl 0 revoke "$cred_two" --reason="Issued in error"
out_has "revoked $cred_two"
ctl 0 --output=json revoke "$cred_two" --reason="Issued in error"
ctl 2 learner erase L9
err_has "cannot be undone"
err_has "--yes"
ctl 0 learner erase L9 --yes
out_has "erased learner L9: 1 credential(s) affected"
ctl 0 --output=json learner erase L9 --yes  # a retry
[[ $(json_get '["credentials_affected"]') == 1 ]] || fail "learner erase JSON"
ctl 1 export "$cred_erased" --format=jws  # the credential kept for the learner is gone
echo "ok: revoke, learner erase"
# Everything the node created in its data directory is its owner's only (0600 / 0700).
open_to_others=$(find "$data" -perm /077 -printf '%m %p\n')
[[ -z $open_to_others ]] || fail "readable by others in the data directory: $open_to_others"
echo "ok: the data directory is the node's only"

# ---- 11. Exit codes ----
# Usage errors: 2, with what to do.
ctl 2 catalogue revise uclouvain/all-one "$work/one.json"
err_has "--expected-version is required"
ctl 2 catalogue revise uclouvain/all-one "$work/profile.json" --expected-version=1
err_has "not a SpecificationContent in JSON"
ctl 2 catalogue withdraw uclouvain/all-one
err_has "--reason is required"
ctl 2 credentials list
err_has "--learner is required"
ctl 2 recognition ask-info "$request"
err_has "--what is required"
ctl 2 recognition decide-appeal "$request"
ctl 2 recognition policy publish "$work/vae.json"
err_has "not a RecognitionPolicy in JSON"
ctl 2 recognition vae "$work/vae.json"
err_has "a target is required"
ctl 2 recognition vae-eligibility "$work/missing.json"
ctl 2 catalogue profile publish "$work/decision.json"
ctl 2 pathway get
bare 2 recognition policy
err_has "recognition policy list"
bare 2 recognition policy frobnicate
bare 2 catalogue profile get a b
# Refusals: 1, with the node's reason and a hint.
ctl 1 recognition get uclouvain/no-such-request
err_has "hint:"
ctl 1 recognition review "$request"  # the id of decide's review: answered, not done again
err_has "pass a new --request-id"
ctl 1 recognition review "$request" --request-id=late-review  # decided on appeal
err_has "FAILED_PRECONDITION"
ctl 1 recognition withdraw "$request" --request-id=too-late
sed 's/"uclouvain"/"ulb"/' "$work/profile.json" >"$work/other-profile.json"
ctl 1 catalogue profile publish "$work/other-profile.json"
err_has "PERMISSION_DENIED"
token_file=$work/learner.token ctl 1 learner erase L1 --yes
err_has "PERMISSION_DENIED"
# A node that is not there: 3.
nobody=$(free_port)
bare 3 --node="127.0.0.1:$nobody" --timeout=2s recognition policy list
err_has "cannot reach the node"
bare 3 --node="127.0.0.1:$nobody" --timeout=2s pathway get uclouvain/open-research
bare 3 --node="127.0.0.1:$nobody" --timeout=2s catalogue profile get uclouvain
bare 3 --node="127.0.0.1:$nobody" --timeout=2s credentials list --learner=L1
echo "ok: exit codes 2, 1, 3"

# ---- 12. Nothing escaped: every node command ran, and printed JSON with --output=json ----
missing=
while IFS= read -r name; do
  local_command "$name" && continue
  [[ -n ${ran[$name]:-} ]] || missing+=" [$name: not run]"
  [[ -n ${json_ok[$name]:-} ]] || missing+=" [$name: no --output=json run]"
done <"$work/commands"
[[ -z $missing ]] || fail "commands not covered:$missing"
echo "ok: ${#ran[@]} node commands run, each also with --output=json"

echo "mcctl_all e2e: all checks passed"
