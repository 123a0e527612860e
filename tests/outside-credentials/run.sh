#!/usr/bin/env bash
# run.sh MCNODE MCCTL DEPS_DIR WORK_DIR: the outside_credentials test (CTest runs it; see
# CMakeLists.txt). An Open Badges 3.0 credential from an issuer outside the ecosystem, end to
# end against one running development node (mcnode --dev, embedded engines, free loopback
# ports):
#
# 1. issuer.py (openbadgeslib, pinned in tests/conformance/requirements.txt and installed by
#    tests/conformance/install.sh into DEPS_DIR) makes the outside issuer: its did:web DID
#    document, a status list it signs, and credentials; server.py serves them over HTTPS with
#    a test CA it made. openbadgeslib verifies the served credential first.
# 2. The node (--fetch-ca-file=the test CA, --fetch-allow-hosts=the test's hosts) verifies the
#    credential on the basis "issuer key from did:web:..., not an ecosystem member" (mcctl
#    verify); the learner submits it with a proof of control of its subject DID; an officer
#    sees the trust basis, the holder binding and the missing Annex I elements and decides
#    FULL; a stacking pathway counts it. A credential whose subject is someone else is refused
#    at submission, with the holder reason; one naming the learner by a salted hash of their
#    e-mail address binds through the identifier an officer records.
# 3. Bad input, each against the same node, each with its reason on the report, the node
#    verifying the good credential right after, nothing decided although a policy names the
#    issuers' domain: an unreachable issuer, a slow one (past --fetch-timeout-ms), a huge DID
#    document, a redirect to a loopback address the node does not allow (the target is never
#    asked), a malformed DID document, an expired TLS certificate; and an EDC (edc_seal.py:
#    the Commission's sample payload) sealed by a certificate that expired, beside the same
#    sealed by a valid one (--trusted-list-file=the test seal CA).
# 4. The issuer revokes the credential (its status list re-signed with the bit set): a new
#    verification says "revoked", a new submission is not authentic, stacking refuses it.
#
# Fails, never skips, when Python, an install or a binary is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
usage="usage: run.sh MCNODE MCCTL DEPS_DIR WORK_DIR"
mcnode=${1:?$usage}
mcctl=${2:?$usage}
deps=${3:?$usage}
work=${4:?$usage}
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"  # free_port, spec_json, decision_json, out_has, err_has
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS MC_DEV \
  MC_ROOT_PUBLIC_KEY

for binary in "$mcnode" "$mcctl"; do
  [[ -x $binary ]] || { echo "outside-credentials: FAIL: $binary is not built" >&2; exit 1; }
done
bash "$root/tests/conformance/install.sh" "$deps"
py=$deps/venv/bin/python
export PYTHONDONTWRITEBYTECODE=1

rm -rf "$work"
mkdir -p "$work"
pid= server_pid=
cleanup() {
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  exec 8>&- 2>/dev/null || true
  [[ -n $server_pid ]] && { wait "$server_pid" 2>/dev/null || true; }
}
trap cleanup EXIT
# fail (common.sh) prints $work/out, $work/err and the node's log ($work/node.log).

site=$work/site
certs=$work/certs
main_port=$(free_port) expired_port=$(free_port) closed_port=$(free_port)
redirect_port=$(free_port)
institution=uclouvain

# ---- 1. The outside issuer and its web site ----
"$py" "$here/server.py" certs "$certs"
"$py" "$here/issuer.py" setup "$site" "$main_port" "$expired_port" "$closed_port"
"$py" "$here/edc_seal.py" "$root/tests/europass/samples/Sample-MC-Annex1-signed.jsonld" "$certs" \
  "$work/edc"
manifest=$site/credentials/manifest.json
mget() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$manifest" "$1"; }
issuer_did=$(mget issuer)
learner_email=$(mget learner_email)
[[ $issuer_did == "did:web:localhost%3A$main_port" ]] || fail "issuer DID $issuer_did"

# The server reads its standard input from a FIFO this script holds open: closing it (or this
# script dying) stops the server.
mkfifo "$work/server.stop"
"$py" "$here/server.py" serve "$site" "$certs" "$main_port" "$expired_port" "$redirect_port" 4 \
  <"$work/server.stop" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
exec 8>"$work/server.stop"
for _ in $(seq 1 100); do
  grep -q '^ready' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; fail "server.py exited"; }
  sleep 0.1
done
grep -q '^ready' "$work/server.out" || fail "server.py not ready in 10 s"
"$py" "$here/issuer.py" check "$site" "$certs/ca.pem" || fail "openbadgeslib does not verify its own credential"
echo "ok: the outside issuer $issuer_did, served over HTTPS with the test CA"

# ---- The node, trusting a token issuer whose learner token the learner uses ----
learner=L-OUT-0001
"$mcctl" --output=json key create --key-file="$work/tokens.key" >"$work/out" 2>"$work/err" ||
  fail "mcctl key create"
key_id=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_id"])' "$work/out")
public_key=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' "$work/out")
"$mcctl" token mint --key-file="$work/tokens.key" --issuer=e2e-idp --audience="$institution-node" \
  --institution="$institution" --subject="$learner" --roles=learner --ttl=1h \
  >"$work/learner.token" 2>"$work/err" || fail "mcctl token mint"
data=$work/data
port=$(free_port)
http_port=$(free_port)
"$mcnode" --dev --institution="$institution" --legal-name="Université catholique de Louvain" \
  --data-dir="$data" --listen="127.0.0.1:$port" --http="127.0.0.1:$http_port" \
  --public-url=https://uclouvain.example --policy=fwb \
  --token-keys="$key_id=e2e-idp=$public_key" --trusted-list-file="$certs/seal-ca.pem" \
  --fetch-ca-file="$certs/ca.pem" \
  --fetch-allow-hosts="localhost:$main_port,localhost:$expired_port,localhost:$closed_port" \
  --fetch-timeout-ms=1500 >"$work/node.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  if [[ -s $data/dev-token ]] &&
    "$mcctl" --node="127.0.0.1:$port" --timeout=2s catalogue search >/dev/null 2>&1; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
  sleep 0.2
done
[[ -s $data/dev-token ]] || fail "mcnode did not start"

# ctl EXPECTED_EXIT ARGS...: mcctl against the node as its development officer (as the learner
# with token_file=$work/learner.token); stdout in $work/out, stderr in $work/err.
ctl() {
  local expected=$1 rc=0
  shift
  "$mcctl" --node="127.0.0.1:$port" --token-file="${token_file:-$data/dev-token}" --timeout=30s "$@" \
    >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
}
# jcheck PYTHON_EXPRESSION MESSAGE: the expression, over the JSON document in $work/out as `d`,
# is true, or the test fails with MESSAGE.
jcheck() {
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
    "$work/out" "$1" || fail "$2 (expected: $1)"
}
# check_of NAME: the check NAME of the verification report in $work/out (JSON), as Python.
check_of() { echo "[c for c in d['checks'] if c['name'] == '$1'][0]"; }
creds=$site/credentials
good=$creds/good.jwt

# verify_good: the node verifies the good credential, on its did:web basis (the node still
# works after whatever came before).
verify_good() {
  ctl 0 --output=json verify "$good"
  jcheck "d['valid'] is True" "the good credential is not valid"
  jcheck "d['trust_basis']['kind'] == 'TRUST_KIND_DID_WEB'" "trust basis kind"
}

# ---- 2. Verified, on its basis ----
ctl 0 verify "$good"
head -1 "$work/out" | grep -qx VALID || fail "verify did not say VALID"
out_has "issuer key from $issuer_did, not an ecosystem member"
ctl 0 --output=json verify "$good"
jcheck "d['valid'] is True and d['format'] == 'CREDENTIAL_FORMAT_VC_JWT'" "format"
jcheck "d['trust_basis']['kind'] == 'TRUST_KIND_DID_WEB' and not d['trust_basis'].get('ecosystem_member')" \
  "trust basis"
jcheck "d['trust_basis']['statement'] == 'issuer key from $issuer_did, not an ecosystem member'" \
  "trust basis statement"
jcheck "d['issuer'] == '$issuer_did' and not d.get('issuer_name')" \
  "report.issuer is the DID, and no registry name for an outside issuer"
for name in format issuer signature status validity; do
  jcheck "$(check_of $name)['passed']" "check $name did not pass"
done
echo "ok: verified: issuer key from $issuer_did, not an ecosystem member"

# ---- Holder binding at submission ----
target=(--programme=uclouvain/master --component=LDATA2010 --component-ects=5)
as_learner() { token_file=$work/learner.token ctl "$@"; }
proof() { "$py" "$here/issuer.py" holder-proof "$site" "$institution" "$1" >"$work/proof-$1.jws"; }

# Someone else's credential, with the learner's own proof: refused, the holder reason given.
proof outside-other
as_learner 1 recognition request "$creds/other-holder.jwt" "${target[@]}" \
  --request-id=outside-other --holder-proof="$work/proof-outside-other.jws"
err_has "FAILED_PRECONDITION"
err_has "credential_jws[0]: holder:"
reason=$(grep -o 'holder:.*' "$work/err" | head -1)
# The learner's credential without any proof: the subject DID is not the learner id.
as_learner 1 recognition request "$good" "${target[@]}" --request-id=outside-noproof
err_has "credential_jws[0]: holder:"
ctl 0 --output=json recognition list
jcheck "not d.get('requests')" "a refused submission stored a request"
echo "ok: a credential whose holder is someone else is refused: $reason"

# ---- Submitted by the learner (their token, their proof), decided FULL by an officer ----
proof outside-good
as_learner 0 --output=json recognition request "$good" "${target[@]}" \
  --request-id=outside-good --holder-proof="$work/proof-outside-good.jws"
request_id=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["request_id"])' "$work/out")
jcheck "d['state'] == 'REQUEST_STATE_RECEIVED'" "the request does not wait for an officer"
presented="d['credentials'][0]"
jcheck "$presented['authenticity'] == 'AUTHENTICITY_AUTHENTIC'" "not authentic"
jcheck "$presented['trust_basis']['statement'] == 'issuer key from $issuer_did, not an ecosystem member'" \
  "the request does not state the trust basis"
jcheck "$presented['holder_binding']['bound'] and $presented['holder_binding']['method'] == 'HOLDER_BINDING_METHOD_DID_PROOF'" \
  "holder binding not recorded as a DID proof"
jcheck "$presented['facts']['title'] == 'Research data stewardship'" "facts: title"
# What a micro-credential needs and an Open Badge does not state is listed, never defaulted.
facts="$presented['facts']"
jcheck "$facts['eqf_level'] == 6 and $facts['ects'] == 5" "facts: EQF level and ECTS"
jcheck "{'country', 'form_of_participation', 'quality_assurance'} <= set($facts['missing_elements'])" \
  "missing elements not listed"
jcheck "not {'title', 'level', 'workload', 'learner'} & set($facts['missing_elements'])" \
  "stated elements listed as missing"
ctl 0 recognition get "$request_id"
out_has "issuer key from $issuer_did, not an ecosystem member"
out_has "missing"
echo "ok: submitted with a DID proof; the officer sees the basis and the missing elements"

# A stacking pathway of the receiving institution: before the decision it does not count.
spec_json outside-stack "Research data, stacked" >"$work/stack-spec.json"
ctl 0 catalogue publish "$work/stack-spec.json"
cat >"$work/pathway.json" <<'JSON'
{"title": "Research data, stacked",
 "target": {"kind": "TARGET_KIND_LARGER_MICRO_CREDENTIAL", "title": "Research data, stacked",
            "specificationId": "uclouvain/outside-stack"},
 "rules": {"requirementId": "root", "minEcts": 5,
           "group": {"combinator": "COMBINATOR_ALL_OF", "children": [
             {"requirementId": "outside", "minEcts": 5, "minCredentials": 1}]}}}
JSON
ctl 0 pathway publish "$work/pathway.json" --local-id=outside
ctl 0 stack evaluate uclouvain/outside "$good"
out_has "not satisfied"
out_has "recognition"

decision_json full 5 5 "All five elements comparable; the issuer's basis is its did:web domain." \
  >"$work/decision.json"
ctl 0 recognition decide "$request_id" --decision="$work/decision.json"
out_has "decision: full, 5 of 5 ECTS"
ctl 0 stack evaluate uclouvain/outside "$good"
out_has "SATISFIED"
echo "ok: decided FULL by the officer, counted by the pathway uclouvain/outside"

# ---- A policy naming the outside issuer's domain; a credential naming its learner by hash ----
# The policy names the issuer, yet decides nothing here: an Open Badge does not state the form
# of participation or quality assurance (Annex I), so an officer asks for them. It stays
# published for the bad input below: nothing of that may be decided either.
cat >"$work/policy.json" <<JSON
{"policy_id": "uclouvain/outside-localhost", "title": "Data stewardship from localhost",
 "rationale": "Micro-credentials of the issuers on localhost count towards our programmes.",
 "rank": 1, "purposes": ["RECOGNITION_PURPOSE_CREDIT_TRANSFER"],
 "outside_issuer_domains": ["localhost"]}
JSON
ctl 0 recognition policy publish "$work/policy.json"
# A credential naming the learner by a salted hash of their e-mail address.
ctl 1 recognition request "$creds/hashed.jwt" --learner="$learner" "${target[@]}" \
  --request-id=outside-hashed-nobody
err_has "credential_jws[0]: holder:"
ctl 0 --output=json recognition request "$creds/hashed.jwt" --learner="$learner" "${target[@]}" \
  --request-id=outside-hashed --learner-identifier="$learner_email"
jcheck "d['credentials'][0]['holder_binding']['method'] == 'HOLDER_BINDING_METHOD_HASHED_IDENTIFIER'" \
  "hashed identifier binding"
jcheck "d['state'] == 'REQUEST_STATE_RECEIVED' and d['credentials'][0]['authenticity'] == 'AUTHENTICITY_AUTHENTIC'" \
  "the hashed-identifier credential does not wait for an officer"
echo "ok: a salted hash of the learner's e-mail address binds the credential (an officer recorded it)"

# ---- 3. Bad input: each refused with its reason, the node still verifying, nothing decided ----
# bad NAME PATTERN: the credential of the bad issuer NAME does not verify, its issuer check
# says PATTERN (an extended regular expression, case-insensitive); submitted, it is kept not
# authentic and not decided (the policy above would decide it if it verified); the node then
# verifies the good credential.
bad() {
  local name=$1 pattern=$2
  ctl 1 --output=json verify "$creds/$name.jwt"
  jcheck "d['valid'] is False and not $(check_of issuer)['passed']" "$name: the issuer check passed"
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print([c for c in d["checks"] if c["name"] == "issuer"][0]["detail"])' \
    "$work/out" >"$work/detail"
  grep -qiE -- "$pattern" "$work/detail" ||
    fail "$name: the reason \"$(cat "$work/detail")\" does not match /$pattern/"
  echo "ok: $name: $(cat "$work/detail")"
  proof "outside-$name"
  ctl 0 --output=json recognition request "$creds/$name.jwt" --learner="$learner" "${target[@]}" \
    --request-id="outside-$name" --holder-proof="$work/proof-outside-$name.jws"
  jcheck "d['credentials'][0]['authenticity'] != 'AUTHENTICITY_AUTHENTIC'" "$name: stored as authentic"
  jcheck "d['state'] != 'REQUEST_STATE_DECIDED' and not d.get('decision')" "$name: decided"
  verify_good
}
bad unreachable "localhost:$closed_port.*(connect|refused|unreachable)|(connect|refused|unreachable).*localhost:$closed_port"
bad slow "time(d)? ?out"
bad huge "larger than|too large|exceed"
bad redirect "127\.0\.0\.1.*(loopback|private|not allowed|refused|denied)|(loopback|private|not allowed|refused|denied).*127\.0\.0\.1"
bad malformed "json|malformed|parse"
bad expired-tls "certificate.*expired|expired.*certificate"
# A European Digital Credential: the Commission's sample payload sealed again by a test seal
# whose certificate expired yesterday is refused on its certificate; the same payload sealed by
# a valid certificate of the same anchor passes the seal and certificate checks.
ctl 0 --output=json verify "$work/edc/edc-valid.json"
jcheck "d['format'] == 'CREDENTIAL_FORMAT_EDC_JADES'" "EDC: format"
jcheck "$(check_of seal)['passed'] and $(check_of certificate)['passed']" "EDC: the valid seal"
jcheck "d['trust_basis']['kind'] == 'TRUST_KIND_TRUSTED_LIST_SEAL'" "EDC: trust basis"
ctl 1 --output=json verify "$work/edc/edc-expired.json"
jcheck "d['valid'] is False and not $(check_of certificate)['passed']" \
  "EDC: the expired seal certificate passed"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print([c for c in d["checks"] if c["name"] == "certificate"][0]["detail"])' \
  "$work/out" >"$work/detail"
grep -qi "expired\|not valid" "$work/detail" ||
  fail "EDC: the certificate reason \"$(cat "$work/detail")\" does not say expired"
echo "ok: EDC sealed by an expired certificate: $(cat "$work/detail")"
verify_good

if grep -q '^redirect-target ' "$site/requests.log"; then
  fail "the node followed the redirect to 127.0.0.1:$redirect_port"
fi
ctl 0 --output=json recognition list --state=decided
jcheck "len(d.get('requests', [])) == 1" "decided requests other than the officer's"
echo "ok: bad input refused with its reason; the node kept answering; nothing else decided"

# ---- 4. Revoked at its issuer ----
"$py" "$here/issuer.py" revoke "$site"
ctl 1 verify "$good"
head -1 "$work/out" | grep -qx "NOT VALID" || fail "verify did not say NOT VALID after revocation"
out_has "revoked"
ctl 1 --output=json verify "$good"
jcheck "d['status'] == 'CREDENTIAL_STATUS_REVOKED' and not $(check_of status)['passed']" "status"
jcheck "$(check_of status)['detail'].startswith('revoked')" "the status check does not say revoked"
proof outside-revoked
ctl 0 --output=json recognition request "$good" --learner="$learner" "${target[@]}" \
  --request-id=outside-revoked --holder-proof="$work/proof-outside-revoked.jws"
jcheck "d['credentials'][0]['authenticity'] != 'AUTHENTICITY_AUTHENTIC'" "revoked: stored as authentic"
jcheck "d['credentials'][0]['failed_check'] == 'status' and d['credentials'][0]['failed_detail'].startswith('revoked')" \
  "revoked: the reason does not say revoked"
jcheck "d['state'] != 'REQUEST_STATE_DECIDED'" "revoked: decided by the policy"
# Stacking verifies what it is shown: a revoked credential is refused, with its reason.
ctl 1 stack evaluate uclouvain/outside "$good"
err_has "not authentic: status: revoked"
echo "ok: revoked at its issuer: verification says revoked, a new submission is not authentic, stacking refuses it"

echo "outside-credentials: PASS"
