#!/usr/bin/env bash
# Attacks (issue 12): a member acting in bad faith and an anonymous caller, against two running
# nodes on loopback, bounded in count and time.
#
# The ecosystem: root R1 admits uclouvain (node A, the victim), unamur (node C, an honest
# observer) and "rogue" (member B: an event key and an admission, no node). A second
# ecosystem's root R2 is trusted by both nodes (--trusted-roots). Then:
#   4. B publishes, under its own valid signature, events carrying the ids of A's next issuing
#      and revoking commands; A issues and revokes with those request ids. Every call answered
#      OK was applied at A and at C: the credentials verify VALID at both, the revocation is
#      seen at both.
#   6. R2 suspends A and re-admits A with B's key. C refuses both (WRONG_ECOSYSTEM: R2's records
#      state its own ecosystem, not this log's; NOT_OWNER before ecosystems were stated): A's credentials
#      still verify VALID at C, and A's next credentials too.
#   5. R1 reinstates A, who is not suspended (refused), then suspends A; every refused registry
#      record is appended again. C refuses each copy as a DUPLICATE_EVENT and A stays
#      suspended until R1 reinstates it.
#   8. Without a token, twice over: eight concurrent 60 MB calls on A's main gRPC port and on
#      its bulk port (RESOURCE_EXHAUSTED), eight 15 MB cohorts on the bulk port (within its
#      limit: refused for want of a token), a 400 MB POST /verify (413 after its headers).
#  10. Sixty slow-header connections: A's public HTTP keeps answering and closes them all.
# A's peak memory (VmHWM) stays under MC_ATTACK_MEMORY_LIMIT_MB (400; over 4 GB before).
# Finally: both nodes alive; exactly one applied CredentialIssued per request at A and at C.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/faults/lib/common.sh
source "$here/lib/common.sh"

memory_limit_mb=${MC_ATTACK_MEMORY_LIMIT_MB:-400}
started=$SECONDS

start_services 2
# R2: a second ecosystem's root that both nodes trust; it admitted none of them.
"$mcctl" registry init-root --root-key-file="$work/r2.key" >"$work/r2.out" 2>&1 ||
  fail "mcctl registry init-root (R2): $(cat "$work/r2.out")"
r2_public_key=$(awk '/^root public key:/ {print $4}' "$work/r2.out")
trust_r2=--trusted-roots="other-alliance=$r2_public_key"
bulk_port=$(free_port)
start_node a uclouvain "$redis_a" --legal-name="Université catholique de Louvain" "$trust_r2" \
  --bulk-listen="127.0.0.1:$bulk_port"
start_node c unamur "$redis_b" --legal-name="Université de Namur" "$trust_r2"
ecosystem_admit rogue "$work/rogue" --legal-name="Rogue Academy" --provider-type=HIGHER_EDUCATION
echo "ok: Kafka, two Redis, nodes A and C, member B admitted, root R2 trusted ($((SECONDS - started))s)"

spec_json attacks "Resisting attacks" attacks-spec >"$work/spec.json"
ctl a catalogue publish "$work/spec.json" >/dev/null || fail "publishing the specification"

# requests FILE PREFIX N: a `load` output of N requests not yet answered, for `settle` to send.
requests() {
  local i
  for ((i = 0; i < $3; i++)); do printf '%s-%d\t14\t\t\t0\n' "$2" "$i"; done >"$1"
}
# issue_and_verify PREFIX N: A issues N credentials with request ids PREFIX-0..N-1; each must
# verify VALID at A and at C. Appends them to $work/credentials.tsv.
issue_and_verify() {
  requests "$work/$1.requests" "$1" "$2"
  "$probe" settle --node="127.0.0.1:${node_port[a]}" --token-file="$work/a/token" \
    --spec=uclouvain/attacks --in="$work/$1.requests" --out="$work/$1.tsv" --max-seconds=60 ||
    fail "A did not answer the requests $1-*"
  "$probe" verify --node="127.0.0.1:${node_port[a]}" --in="$work/$1.tsv" --wait-seconds=20 ||
    fail "a credential of $1-* that A answered does not verify at A"
  "$probe" verify --node="127.0.0.1:${node_port[c]}" --in="$work/$1.tsv" --wait-seconds=60 ||
    fail "a credential of $1-* that A answered does not verify at C"
  cat "$work/$1.tsv" >>"$work/credentials.tsv"
}
# verdict NODE CREDENTIAL_JWS_FILE: VALID or NOT VALID, as the node says.
verdict() {
  ctl "$1" verify "$2" 2>/dev/null | head -1 || true
}

# ---- 4. Event-id squatting ----------------------------------------------------------------
squatted=$(printf 'squat-%d,' $(seq 0 9))revoke-squatted
"$probe" squat --kafka="$kafka" --key-file="$work/rogue/event-signing.key" --institution=rogue \
  --victim=uclouvain --request-ids="${squatted%,}" >"$work/squat.out" 2>&1 ||
  fail "the squat: $(cat "$work/squat.out")"
sleep 2 # both nodes have read B's events before A's
issue_and_verify squat 10
victim=$(head -1 "$work/squat.tsv")
printf '%s' "${victim#*$'\t'}" >"$work/victim.jws"
ctl a revoke "${victim%%$'\t'*}" --reason="Squatted revocation" --request-id=revoke-squatted \
  >/dev/null || fail "A's revocation was refused"
for node in a c; do
  for ((i = 0; i < 100; i++)); do
    [[ $(verdict "$node" "$work/victim.jws") == "NOT VALID" ]] && break
    sleep 0.3
  done
  [[ $(verdict "$node" "$work/victim.jws") == "NOT VALID" ]] ||
    fail "A's revocation under a squatted event id was told done but is not seen at $node"
done
echo "ok: 4. B squatted 11 of A's event ids; A's 10 credentials and its revocation applied at A and C"

# ---- 6. Another ecosystem's root ----------------------------------------------------------
b_key=$("$mcctl" --output=json key create --key-file="$work/rogue-as-a.key" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])') || fail "key create"
r2() {
  "$mcctl" registry "$@" --kafka="$kafka" --ecosystem=other-alliance --root-key-file="$work/r2.key" \
    >"$work/r2.out" 2>&1 || fail "mcctl registry $1 (R2): $(cat "$work/r2.out")"
}
r2 suspend uclouvain --reason="hostile take-over"
r2 admit uclouvain --public-key="$b_key" --legal-name="Université catholique de Louvain" \
  --public-url=https://uclouvain.example
"$probe" letters --kafka="$kafka" --consumer-node=unamur-node --service=issuance \
  --topic=mc.registry.v1 --reason=WRONG_ECOSYSTEM --at-least=2 >"$work/letters.out" 2>&1 ||
  fail "C did not refuse R2's changes to A as WRONG_ECOSYSTEM: $(cat "$work/letters.out")"
tail -n +2 "$work/squat.tsv" >"$work/still-valid.tsv" # all but the revoked one
"$probe" verify --node="127.0.0.1:${node_port[c]}" --in="$work/still-valid.tsv" --wait-seconds=5 ||
  fail "root R2 changed A at C: A's credentials no longer verify"
issue_and_verify after-r2 3
echo "ok: 6. R2's suspension and re-admission of A: refused at C (WRONG_ECOSYSTEM); A's credentials verify"

# ---- 5. A refused event replayed after the state changed ----------------------------------
# R1 reinstates A, who is not suspended: refused everywhere. Then R1 suspends A, and every
# refused record is appended again: the old reinstatement must not lift the new suspension.
r1() {
  "$mcctl" registry "$@" --kafka="$kafka" --ecosystem="$ecosystem_id" \
    --root-key-file="$ecosystem_dir/root.key" >"$work/r1.out" 2>&1 ||
    fail "mcctl registry $1 (R1): $(cat "$work/r1.out")"
}
# suspended_at_c: C's verification of one of A's credentials names A's suspension.
head -1 "$work/still-valid.tsv" | cut -f2 | tr -d '\n' >"$work/sample.jws"
suspended_at_c() { ctl c --output=json verify "$work/sample.jws" 2>/dev/null | grep -q "uclouvain is suspended"; }
r1 reinstate uclouvain --reason="nothing to lift"
"$probe" letters --kafka="$kafka" --consumer-node=unamur-node --service=issuance \
  --topic=mc.registry.v1 --reason=INVALID_PAYLOAD --at-least=1 >"$work/letters.out" 2>&1 ||
  fail "C did not refuse a reinstatement of a member not suspended: $(cat "$work/letters.out")"
r1 suspend uclouvain --reason="audit"
for ((i = 0; i < 100; i++)); do suspended_at_c && break; sleep 0.3; done
suspended_at_c || fail "C does not see A's suspension"
"$probe" replay-refused --kafka="$kafka" --topic=mc.registry.v1 >"$work/replay.out" 2>&1 ||
  fail "replaying the refused records: $(cat "$work/replay.out")"
replayed=$(awk '/^appended/ {print $2}' "$work/replay.out")
((replayed >= 3)) || fail "expected at least 3 refused registry records to replay: $(cat "$work/replay.out")"
# R2's two records state another ecosystem: refused again as WRONG_ECOSYSTEM (a refusal that
# marks nothing, as they may belong to another log); every other copy is a duplicate.
"$probe" letters --kafka="$kafka" --consumer-node=unamur-node --service=issuance \
  --topic=mc.registry.v1 --reason=DUPLICATE_EVENT --at-least="$((replayed - 2))" \
  >"$work/letters.out" 2>&1 ||
  fail "C did not refuse every replayed copy as a duplicate: $(cat "$work/letters.out")"
"$probe" letters --kafka="$kafka" --consumer-node=unamur-node --service=issuance \
  --topic=mc.registry.v1 --reason=WRONG_ECOSYSTEM --at-least=4 >"$work/letters.out" 2>&1 ||
  fail "C did not refuse R2's replayed records again: $(cat "$work/letters.out")"
suspended_at_c || fail "a replayed refused reinstatement lifted A's suspension at C"
r1 reinstate uclouvain --reason="audit closed"
for ((i = 0; i < 100; i++)); do suspended_at_c || break; sleep 0.3; done
! suspended_at_c || fail "C does not see A's reinstatement"
issue_and_verify after-replay 3
echo "ok: 5. $replayed refused registry records replayed: all duplicates at C; A stayed suspended until reinstated"

# ---- 8. Memory exhaustion without a token (twice over) ------------------------------------
issue_flood() {  # issue_flood PORT BYTES [METHOD]: eight concurrent calls without a token
  "$probe" flood --node="127.0.0.1:$1" --calls=8 --bytes="$2" ${3:+--method="$3"} >"$work/flood.out" 2>&1 ||
    fail "flood of $2 bytes on port $1: $(tail -3 "$work/flood.out")"
}
bulk_method=/microcred.issuance.v1.IssuanceService/IssueCredentials
for round in 1 2; do
  issue_flood "${node_port[a]}" 60000000
  grep -q "code 8 " "$work/flood.out" || fail "round $round: no RESOURCE_EXHAUSTED on the main port"
  issue_flood "$bulk_port" 60000000 "$bulk_method"
  issue_flood "$bulk_port" 15000000 "$bulk_method" # within the bulk limit: refused for want of a token
  "$probe" bigpost --http="127.0.0.1:${node_http[a]}" --bytes=400000000 >"$work/post.out" 2>&1 ||
    fail "round $round, POST /verify: $(cat "$work/post.out")"
  grep -Eq "answered (413|none)" "$work/post.out" || fail "POST /verify: $(cat "$work/post.out")"
  node_alive a || fail "node A died in round $round"
done
echo "ok: 8. 8 x 60 MB gRPC calls on each port, 8 x 15 MB cohorts and a 400 MB POST /verify, twice: all refused"

# ---- 10. Slow clients ---------------------------------------------------------------------
"$probe" slow --http="127.0.0.1:${node_http[a]}" --connections=60 --max-seconds=40 >"$work/slow.out" 2>&1 ||
  fail "slow clients: $(cat "$work/slow.out")"
echo "ok: 10. $(tail -1 "$work/slow.out")"

peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/${node_pid[a]}/status")
((peak_kb < memory_limit_mb * 1024)) ||
  fail "A's peak memory reached $((peak_kb / 1024)) MiB (limit ${memory_limit_mb} MiB)"
echo "ok: A's peak memory $((peak_kb / 1024)) MiB (limit ${memory_limit_mb} MiB; over 4 GB before the limits)"

# ---- Nothing lost, nothing applied twice, no crash ----------------------------------------
node_alive a || fail "node A died"
node_alive c || fail "node C died"
count=$(wc -l <"$work/credentials.tsv")
for consumer in uclouvain-node unamur-node; do
  "$probe" events --kafka="$kafka" --institution=uclouvain --consumer-node="$consumer" \
    --expect="$count" || fail "A's events on mc.issuance.v1 are not exactly once at $consumer"
done
echo "attacks: all checks passed in $((SECONDS - started))s"
