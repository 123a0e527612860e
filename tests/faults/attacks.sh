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
#   5. Every dead-lettered record is appended again to its topic; nothing is applied twice.
#   6. R2 suspends A and re-admits A with B's key. Neither takes effect: A's credentials still
#      verify VALID at C, and A's next credential too.
#   8. A 400 MiB POST /verify and eight 60 MiB gRPC calls without a token: refused, and A's
#      peak memory stays under MC_ATTACK_MEMORY_LIMIT_MB (256).
#  10. Fifty slow-header connections: A's public HTTP keeps answering and closes them.
# Finally: both nodes alive; exactly one applied CredentialIssued per request at A and at C.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/faults/lib/common.sh
source "$here/lib/common.sh"

memory_limit_mb=${MC_ATTACK_MEMORY_LIMIT_MB:-256}
started=$SECONDS

start_services 2
# R2: a second ecosystem's root that both nodes trust; it admitted none of them.
"$mcctl" registry init-root --root-key-file="$work/r2.key" >"$work/r2.out" 2>&1 ||
  fail "mcctl registry init-root (R2): $(cat "$work/r2.out")"
r2_public_key=$(awk '/^root public key:/ {print $4}' "$work/r2.out")
trust_r2=--trusted-roots="other-alliance=$r2_public_key"
start_node a uclouvain "$redis_a" --legal-name="Université catholique de Louvain" "$trust_r2"
start_node c unamur "$redis_b" --legal-name="Université de Namur" "$trust_r2"
ecosystem_admit rogue "$work/rogue" --legal-name="Rogue Training Ltd"
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

# ---- 5. Refused events replayed -----------------------------------------------------------
"$probe" replay-refused --kafka="$kafka" --max=100 >"$work/replay.out" 2>&1 ||
  fail "replaying the refused records: $(cat "$work/replay.out")"
issue_and_verify after-replay 3 # the nodes have consumed past the replayed copies
[[ $(verdict c "$work/victim.jws") == "NOT VALID" ]] || fail "a replay undid A's revocation at C"
echo "ok: 5. $(cat "$work/replay.out") refused records replayed; nothing they carried was applied"

# ---- 6. Another ecosystem's root ----------------------------------------------------------
b_key=$("$mcctl" --output=json key create --key-file="$work/rogue-as-a.key" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])') || fail "key create"
"$mcctl" registry suspend uclouvain --kafka="$kafka" --ecosystem=other-alliance \
  --root-key-file="$work/r2.key" --reason="hostile take-over" >/dev/null 2>&1 || true
"$mcctl" registry admit uclouvain --kafka="$kafka" --ecosystem=other-alliance \
  --root-key-file="$work/r2.key" --public-key="$b_key" --legal-name="Université catholique de Louvain" \
  --public-url=https://uclouvain.example >/dev/null 2>&1 || true
sleep 2
tail -n +2 "$work/squat.tsv" >"$work/still-valid.tsv" # all but the revoked one
"$probe" verify --node="127.0.0.1:${node_port[c]}" --in="$work/still-valid.tsv" --wait-seconds=5 ||
  fail "root R2 changed A at C: A's credentials no longer verify"
issue_and_verify after-r2 3
echo "ok: 6. R2's suspension and re-admission of A took no effect at C"

# ---- 8. Memory exhaustion without a token -------------------------------------------------
python3 "$here/lib/edge_attacks.py" big-body 127.0.0.1 "${node_http[a]}" --path=/verify \
  --megabytes=400 >"$work/big-body.out" || fail "a 400 MiB POST /verify was read: $(cat "$work/big-body.out")"
"$probe" flood --node="127.0.0.1:${node_port[a]}" --calls=8 --megabytes=60 >"$work/flood.out" 2>&1 ||
  fail "the unauthenticated gRPC flood: $(cat "$work/flood.out")"
peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/${node_pid[a]}/status")
((peak_kb < memory_limit_mb * 1024)) ||
  fail "A's peak memory reached $((peak_kb / 1024)) MiB (limit ${memory_limit_mb} MiB)"
echo "ok: 8. $(cat "$work/big-body.out"); $(tail -1 "$work/flood.out"); A's peak memory $((peak_kb / 1024)) MiB"

# ---- 10. Slow clients ---------------------------------------------------------------------
python3 "$here/lib/edge_attacks.py" slow-clients 127.0.0.1 "${node_http[a]}" --connections=50 \
  --hold=45 >"$work/slow.out" || fail "slow clients: $(cat "$work/slow.out")"
echo "ok: 10. $(cat "$work/slow.out")"

# ---- Nothing lost, nothing applied twice, no crash ----------------------------------------
node_alive a || fail "node A died"
node_alive c || fail "node C died"
count=$(wc -l <"$work/credentials.tsv")
for consumer in uclouvain-node unamur-node; do
  "$probe" events --kafka="$kafka" --institution=uclouvain --consumer-node="$consumer" \
    --expect="$count" || fail "A's events on mc.issuance.v1 are not exactly once at $consumer"
done
echo "attacks: all checks passed in $((SECONDS - started))s"
