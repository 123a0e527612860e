#!/usr/bin/env bash
# Fault: the Kafka broker stops for a while, twice, while credentials are being issued.
#
# Node A (uclouvain) and node B (unamur, admitted by the same ecosystem root, its own Redis) on
# one Kafka broker. Three client threads call IssueCredential at A one at a time with a 3 s deadline,
# sending a failed request again with its request id until it succeeds. Meanwhile the broker is stopped (SIGTERM) for 6 s and
# restarted, then killed (SIGKILL) for 6 s and restarted, on the same data and ports. Then:
#   - every call either succeeded with a credential or failed with a transient gRPC error
#     (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED); the outages were felt (some calls failed);
#     both nodes stayed up; calls succeed again after each restart;
#   - every request id, sent again, gets a credential; every call of one request id that
#     succeeded, during the load or after, got the same credential and JWS;
#   - every credential, acknowledged or completed by the retry, verifies VALID at A and at B;
#   - mc.issuance.v1 holds exactly one applied CredentialIssued per request id, at A and at B;
#     any further copy was dead-lettered as DUPLICATE_EVENT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/faults/lib/common.sh
source "$here/lib/common.sh"

outage=${MC_FAULT_OUTAGE_SECONDS:-6}
started=$SECONDS

start_services 2
start_node a uclouvain "$redis_a" --legal-name="Université catholique de Louvain"
# B is admitted by the same root as A, so each trusts the other's events.
start_node b unamur "$redis_b" --legal-name="Université de Namur"
echo "ok: services and nodes A and B up in $((SECONDS - started))s"

spec_json fault-outage "Fault tolerance in practice" fault-outage-spec >"$work/spec.json"
ctl a catalogue publish "$work/spec.json" >/dev/null || fail "publishing the specification"

# ok_calls: successful calls in the load output so far.
ok_calls() { awk -F'\t' '$2 == 0' "$work/load.tsv" 2>/dev/null | wc -l; }
# wait_for_success: after a restart, calls must succeed again within 30 s.
wait_for_success() {
  local before deadline=$((SECONDS + 30))
  before=$(ok_calls)
  until (($(ok_calls) >= before + 3)); do
    ((SECONDS < deadline)) || fail "no call succeeded within 30s after the broker came back"
    node_alive a || fail "node A died"
    sleep 0.2
  done
}

"$probe" load --node="127.0.0.1:${node_port[a]}" --token-file="$work/a/token" \
  --spec=uclouvain/fault-outage --prefix=outage --threads=3 --timeout-ms=3000 \
  --until-file="$work/stop-load" --max-seconds=$((90 + 3 * outage)) --out="$work/load.tsv" >"$work/load.out" 2>&1 &
load_pid=$!
sleep 3
(($(ok_calls) > 0)) || fail "no call succeeded before the outage"

for grace in 20 0; do
  how=$([[ $grace == 0 ]] && echo "killed (SIGKILL)" || echo "stopped (SIGTERM)")
  calls_before=$(wc -l <"$work/load.tsv")
  kafka_halt "$work/kafka" "$grace"
  sleep "$outage"
  node_alive a || fail "node A died while the broker was down"
  node_alive b || fail "node B died while the broker was down"
  kafka_resume "$work/kafka" || fail "the broker did not start again"
  wait_for_success
  echo "ok: broker $how for ${outage}s and restarted; $(($(wc -l <"$work/load.tsv") - calls_before)) calls meanwhile; calls succeed again"
done
sleep 2
touch "$work/stop-load"
wait "$load_pid" || fail "the load: $(cat "$work/load.out")"
failed=$(awk -F'\t' '$2 != 0' "$work/load.tsv" | wc -l)
((failed > 0)) || fail "no call failed: the outages were not felt"
echo "ok: $(wc -l <"$work/load.tsv") calls, each succeeded or failed cleanly: $(cat "$work/load.out")"

"$probe" settle --node="127.0.0.1:${node_port[a]}" --token-file="$work/a/token" \
  --spec=uclouvain/fault-outage --in="$work/load.tsv" --out="$work/credentials.tsv" \
  --max-seconds=60 || fail "retrying the requests with their request ids"
requests=$(wc -l <"$work/credentials.tsv")

"$probe" verify --node="127.0.0.1:${node_port[a]}" --in="$work/credentials.tsv" --wait-seconds=10 ||
  fail "not every credential verifies at A"
"$probe" verify --node="127.0.0.1:${node_port[b]}" --in="$work/credentials.tsv" --wait-seconds=60 ||
  fail "not every credential verifies at B"
for consumer in uclouvain-node unamur-node; do
  "$probe" events --kafka="$kafka" --institution=uclouvain --consumer-node="$consumer" \
    --expect="$requests" || fail "the events on mc.issuance.v1 are not exactly once at $consumer"
done
node_alive a || fail "node A died"
node_alive b || fail "node B died"
echo "Kafka outage during issuance: all checks passed in $((SECONDS - started))s"
