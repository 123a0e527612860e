#!/usr/bin/env bash
# One institution's node run as separate service processes on the run's real Kafka and one
# Redis (each process under its own key prefix): mc-catalogue, mc-issuance and mc-recognition,
# each serving only its service. A specification published at the catalogue process is issued
# against at the issuance process, the credential verifies there, the recognition process
# verifies it in a request; the issuance process is killed (-9) and restarted and answers as
# before. Then the learner is erased at the issuance process: neither process's key for them
# stays in any file of Redis (its append-only file is on). The ecosystem is set up with mcctl (a
# root, the institution's admission, a staff token), as production sets one up. Needs
# MC_BUILD_DIR, MC_KAFKA_BOOTSTRAP and MC_REDIS_ADDR (tests/infra/with-services.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
bin=$build/services/mcnode
mcctl=$build/tools/mcctl/mcctl
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
: "${MC_REDIS_ADDR:?run through tests/infra/with-services.sh}"
for binary in "$bin/mc-catalogue" "$bin/mc-issuance" "$bin/mc-recognition" "$mcctl"; do
  [[ -x $binary ]] || { echo "FAIL: $binary is not built" >&2; exit 1; }
done
command -v grpcurl >/dev/null || PATH=$root/.deps/bin:$PATH
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS

work=$(mktemp -d)
declare -A pids=()
cleanup() {
  for service in "${!pids[@]}"; do
    kill "${pids[$service]}" 2>/dev/null || true
    wait "${pids[$service]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/out "$work"/err "$work"/*.log; do
    [[ -s $f ]] && { echo "--- ${f##*/}:" >&2; tail -15 "$f" >&2; }
  done
  exit 1
}

run=$RANDOM$RANDOM
institution=procs$run
data=$work/data
declare -A ports=()
ecosystem_init "$work/secretariat" "$MC_KAFKA_BOOTSTRAP" "e2e-procs-$run"
ecosystem_admit "$institution" "$data" --legal-name="Université des processus"

# start SERVICE: the mc-SERVICE process of this node, until it answers.
start() {
  local service=$1
  ports[$service]=${ports[$service]:-$(free_port)}
  "$bin/mc-$service" --institution="$institution" --legal-name="Université des processus" \
    --data-dir="$data" --listen="127.0.0.1:${ports[$service]}" --http="127.0.0.1:$(free_port)" \
    --kafka="$MC_KAFKA_BOOTSTRAP" --redis="$MC_REDIS_ADDR" --redis-prefix="$institution-$service:" \
    "${node_trust[@]}" --public-url="https://$institution.example" --grpc-reflection \
    >>"$work/$service.log" 2>&1 &
  pids[$service]=$!
  for _ in $(seq 1 150); do
    if grep -q '"event":"node_serving"' "$work/$service.log" 2>/dev/null; then return 0; fi
    kill -0 "${pids[$service]}" 2>/dev/null || fail "mc-$service exited during start"
    sleep 0.2
  done
  fail "mc-$service did not start"
}
ctl() {  # ctl SERVICE EXPECTED_EXIT ARGS...
  local service=$1 expected=$2 rc=0
  shift 2
  "$mcctl" --node="127.0.0.1:${ports[$service]}" --token-file="$data/token" "$@" \
    >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* at mc-$service exited $rc, expected $expected"
}
services_of() {  # the gRPC services a process serves (they run with --grpc-reflection)
  grpcurl -plaintext "127.0.0.1:${ports[$1]}" list | grep '^microcred\.' | sort | tr '\n' ' '
}

# The processes share the data directory: the institution's event key is there.
start catalogue
start issuance
start recognition
[[ $(services_of catalogue) == "microcred.catalogue.v1.CatalogueService " ]] ||
  fail "mc-catalogue serves: $(services_of catalogue)"
[[ $(services_of issuance) == "microcred.issuance.v1.IssuanceService " ]] ||
  fail "mc-issuance serves: $(services_of issuance)"
[[ $(services_of recognition) == "microcred.recognition.v1.RecognitionService " ]] ||
  fail "mc-recognition serves: $(services_of recognition)"
echo "ok: three processes, one service each"

spec_json open-science-procs "Open science across processes" >"$work/spec.json"
sed -i "s/uclouvain/$institution/g" "$work/spec.json"
ctl catalogue 0 catalogue publish "$work/spec.json"
out_has "published $institution/open-science-procs version 1"
today=$(date -u +%F)
issue=(issue --spec="$institution/open-science-procs" --issued-on="$today" --place="Namur, BE"
  --supervision=onsite-id-check --learner-id=P0001 --given-name=Zoé --family-name=Procès
  --email=zoe@example.org --out="$work/one.jws")
# The issuance process learns the specification from the log, a moment after it is published.
for _ in $(seq 1 50); do
  rc=0
  "$mcctl" --node="127.0.0.1:${ports[issuance]}" --token-file="$data/token" "${issue[@]}" \
    >"$work/out" 2>"$work/err" || rc=$?
  ((rc == 0)) && break
  sleep 0.2
done
((rc == 0)) || fail "issuing at mc-issuance"
credential=$(awk '/^credential_id:/ {print $2}' "$work/out")
ctl issuance 0 verify "$work/one.jws"
out_has "VALID"
echo "ok: published at mc-catalogue, issued and verified at mc-issuance"

for _ in $(seq 1 50); do
  rc=0
  "$mcctl" --node="127.0.0.1:${ports[recognition]}" --token-file="$data/token" \
    recognition request "$work/one.jws" --learner=P0001 --programme="$institution/master" \
    --component=OPEN0001 --component-ects=2 >"$work/out" 2>"$work/err" || rc=$?
  ((rc == 0)) && grep -qF "authentic" "$work/out" && ! grep -qF "not authentic" "$work/out" && break
  sleep 0.2
done
if ! grep -qF "authentic" "$work/out" || grep -qF "not authentic" "$work/out"; then
  fail "mc-recognition did not find the credential authentic"
fi
echo "ok: mc-recognition verified the credential in a request"

kill -9 "${pids[issuance]}"
wait "${pids[issuance]}" 2>/dev/null || true
unset 'pids[issuance]'
mv "$work/issuance.log" "$work/issuance-before-kill.log"
start issuance
ctl issuance 0 "${issue[@]}"  # the same request again: the same credential
out_has "$credential"
out_has "nothing new was issued"
ctl issuance 0 verify "$work/one.jws"
out_has "VALID"
echo "ok: mc-issuance killed (-9) and restarted: the same answers"

# The learner's erasure: both processes held a wrapped key for them in the shared Redis.
redis() { redis-cli -h "${MC_REDIS_ADDR%:*}" -p "${MC_REDIS_ADDR##*:}" "$@"; }
issuance_key=$(redis --scan --pattern "$institution-issuance:privacy/key/*")
recognition_key=$(redis --scan --pattern "$institution-recognition:privacy/key/recognition:*")
[[ -n $issuance_key && -n $recognition_key ]] || fail "no learner keys in Redis"
keys=("$issuance_key" "$recognition_key")
for i in 0 1; do
  redis --raw GET "${keys[i]}" | head -c -1 >"$work/key$i.bytes"  # --raw adds a newline
done
redis_files=$(redis CONFIG GET dir | tail -1)
# files_holding FILE: the files of Redis's directory that hold FILE's bytes.
files_holding() {
  python3 - "$1" "$redis_files" <<'PY'
import os, sys
needle = open(sys.argv[1], "rb").read()
for top, _, names in os.walk(sys.argv[2]):
    for name in names:
        path = os.path.join(top, name)
        if needle in open(path, "rb").read():
            print(path)
PY
}
[[ -n $(files_holding "$work/key0.bytes") ]] || fail "the key is not in Redis's files"
ctl issuance 0 learner erase P0001 --yes
out_has "erased learner P0001"
# The recognition process erases (and scrubs) when it applies the event, a moment later.
for _ in $(seq 1 100); do
  [[ $(redis EXISTS "$recognition_key" "$institution-recognition:issuance/erasure/scrub-owed") == 0 ]] &&
    break
  sleep 0.1
done
for i in 0 1; do
  [[ $(redis EXISTS "${keys[i]}") == 0 ]] || fail "${keys[i]} is still in Redis"
  held=$(files_holding "$work/key$i.bytes")
  [[ -z $held ]] || fail "the erased key ${keys[i]} is still in Redis's files: $held"
done
echo "ok: erased at mc-issuance; no file of Redis holds either process's key for the learner"
echo "PASS: separate processes"
