#!/usr/bin/env bash
# Fault: a node is killed (SIGKILL) in the middle of a 10,000-learner bulk issuance, twice.
#
# One mcnode on its own Kafka broker and Redis; mcctl issues a 10,000-row cohort CSV in batches
# of 500, two in flight (mcctl cannot take a 1,000-row answer: docs/DESIGN.md, "Faults"). When
# mcctl has reported 3,000 rows, as soon as a batch is stored but not yet applied, the node is
# killed with SIGKILL, restarted on the same data, and the same file is issued again (same
# request ids); that run is killed the same way after 7,000 rows; a third run completes. Then:
#   - the last run answers every row with a credential, 10,000 distinct credential ids, and
#     every row answered by a killed run has the same credential and JWS in the last run;
#   - the node's Redis holds exactly 10,000 issued records and 10,000 known credentials;
#   - mc.issuance.v1 holds exactly 10,000 distinct CredentialIssued events of the institution,
#     each applied once by the node; any further copy was dead-lettered as DUPLICATE_EVENT;
#   - each of the 10,000 JWS verifies VALID at the node.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/faults/lib/common.sh
source "$here/lib/common.sh"

rows=${MC_FAULT_ROWS:-10000}
read -ra kill_points <<<"${MC_FAULT_KILL_AT:-3000 7000}"
started=$SECONDS

start_services 1
start_node a uclouvain "$redis_a" --legal-name="Université catholique de Louvain"
echo "ok: services and node up in $((SECONDS - started))s"

spec_json fault-bulk "Fault tolerance in practice" fault-bulk-spec >"$work/spec.json"
ctl a catalogue publish "$work/spec.json" >/dev/null || fail "publishing the specification"

python3 - "$rows" >"$work/cohort.csv" <<'PY'
import sys
print("learner_id,given_name,family_name,email,grade,grading_scheme")
for i in range(1, int(sys.argv[1]) + 1):
    print(f"F{i:05d},Given{i},Family{i},f{i}@example.org,{10 + i % 10}/20,Belgian 0-20 scale")
PY
issue_flags=(--spec=uclouvain/fault-bulk --issued-on="$(date -u +%F)" --place="Louvain-la-Neuve, BE"
  --supervision=onsite-id-check --batch-size=500 --timeout=120s)

# issue_run N: mcctl issues the cohort; its JSON in $work/runN.json, progress in $work/runN.err.
issue_run() {
  ctl a --output=json issue "${issue_flags[@]}" --cohort="$work/cohort.csv" \
    >"$work/run$1.json" 2>"$work/run$1.err"
}

# issued_so_far N: the last "issued K/ROWS" progress line of run N (0 before the first).
issued_so_far() {
  local line
  line=$(grep -o '^issued [0-9]*' "$work/run$1.err" | tail -n 1) || true
  line=${line#issued }
  echo "${line:-0}"
}

# unapplied: issued records the node has stored whose CredentialIssued it has not applied yet.
unapplied() {
  redis-cli -h "${redis_a%:*}" -p "${redis_a##*:}" EVAL "return
    #redis.call('KEYS', 'uclouvain-node:issuance/issued/*') -
    #redis.call('KEYS', 'uclouvain-node:issuance/known/*')" 0
}

run=0
for point in "${kill_points[@]}"; do
  run=$((run + 1))
  issue_run "$run" &
  ctl_pid=$!
  deadline=$((SECONDS + 90))
  until (($(issued_so_far "$run") >= point)); do
    alive "$ctl_pid" || fail "run $run: mcctl ended before $point rows: $(tail -n 3 "$work/run$run.err")"
    ((SECONDS < deadline)) || fail "run $run: $point rows not reached in 90s"
    sleep 0.02
  done
  # Then, within 5 s, at a moment when a batch's records are stored but its events not yet
  # applied: the window a crash must not turn into a lost or doubled credential.
  deadline=$((SECONDS + 5))
  while (($(unapplied) == 0 && SECONDS < deadline)); do :; done
  kill9_node a
  issued=$(count_keys "$redis_a" 'uclouvain-node:issuance/issued/*')
  known=$(count_keys "$redis_a" 'uclouvain-node:issuance/known/*')
  rc=0
  wait "$ctl_pid" || rc=$?
  ((rc != 0)) || fail "run $run: mcctl succeeded although the node was killed"
  echo "ok: run $run: node killed (SIGKILL) after mcctl reported $(issued_so_far "$run") rows;" \
    "at that moment $issued records were persisted and $known applied; mcctl exited $rc"
  start_node a uclouvain "$redis_a" --legal-name="Université catholique de Louvain"
done

run=$((run + 1))
issue_run "$run" || fail "the last run (same file, same request ids) failed: $(tail -n 3 "$work/run$run.err")"
echo "ok: run $run completed: $(grep summary "$work/run$run.err")"

# Every row of the last run names a credential; the killed runs' answers are the same.
python3 - "$rows" "$work" "$run" <<'PY' || fail "the answers of the runs do not agree"
import json, sys
rows, work, last = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def results(n):
    text = open(f"{work}/run{n}.json").read().strip()
    return json.loads(text).get("results", []) if text else []
final = {r["row"]: r for r in results(last)}
problems = []
if len(final) != rows:
    problems.append(f"the last run answered {len(final)} rows, expected {rows}")
bad = [r for r in final.values() if r.get("code", 0) != 0 or not r.get("credential", {}).get("credential_id", "").startswith("urn:uuid:") or not r["credential"].get("jws")]
if bad:
    problems.append(f"{len(bad)} rows have no credential, e.g. {bad[0]}")
ids = {r.get("credential", {}).get("credential_id") for r in final.values()}
if len(ids) != rows:
    problems.append(f"{len(ids)} distinct credential ids for {rows} rows")
for n in range(1, last):
    earlier = [r for r in results(n) if r.get("code", 0) == 0]
    for r in earlier:
        f = final.get(r["row"], {}).get("credential", {})
        if f.get("credential_id") != r["credential"]["credential_id"] or f.get("jws") != r["credential"]["jws"]:
            problems.append(f"row {r['row']}: run {n} answered {r['credential']['credential_id']}, the last run {f.get('credential_id')} (or another JWS)")
            break
    print(f"ok: the {len(earlier)} rows answered by killed run {n} have the same credential and JWS in the last run")
with open(f"{work}/credentials.tsv", "w") as out:
    for r in final.values():
        c = r.get("credential", {})
        out.write(f"{c.get('credential_id')}\t{c.get('jws')}\n")
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "ok: every one of the $rows rows names a credential; $rows distinct credential ids"

issued=$(count_keys "$redis_a" 'uclouvain-node:issuance/issued/*')
known=$(count_keys "$redis_a" 'uclouvain-node:issuance/known/*')
((issued == rows)) || fail "the node's Redis holds $issued issued records, expected $rows"
((known == rows)) || fail "the node's Redis knows $known credentials, expected $rows"
echo "ok: Redis holds $issued issued records and $known known credentials"

"$probe" events --kafka="$kafka" --institution=uclouvain --consumer-node=uclouvain-node \
  --expect="$rows" || fail "the events on mc.issuance.v1 are not exactly once"
"$probe" verify --node="127.0.0.1:${node_port[a]}" --in="$work/credentials.tsv" --wait-seconds=10 ||
  fail "not every credential verifies"
node_alive a || fail "node a died"
echo "kill -9 during bulk issuance: all checks passed in $((SECONDS - started))s"
