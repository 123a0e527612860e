#!/usr/bin/env bash
# One node of two ecosystems, each on its own Kafka cluster (the run's two: MC_KAFKA_BOOTSTRAP
# and MC_KAFKA_BOOTSTRAP_B), given with --ecosystems-file: a home ecosystem ("fwb") and an
# alliance, each with its root made by `mcctl registry init-root` and its members admitted by
# `mcctl registry admit` (which writes to Kafka: hence Kafka, not two file logs). The institution
# signs with another key in the alliance (event_key_file). Before the alliance admits it, the
# node refuses to start, naming the alliance; once admitted, it starts, names both ecosystems
# and their logs, serves (a specification published, found), and reports its lag per ecosystem.
# Also: --dev is refused with --ecosystems-file. Needs MC_BUILD_DIR, MC_KAFKA_BOOTSTRAP and
# MC_KAFKA_BOOTSTRAP_B (tests/infra/with-services.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
: "${MC_KAFKA_BOOTSTRAP_B:?run through tests/infra/with-services.sh (a second Kafka cluster)}"
for binary in "$mcnode" "$mcctl"; do
  [[ -x $binary ]] || { echo "FAIL: $binary is not built" >&2; exit 1; }
done
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_KAFKA_CONFIG \
  MC_REDIS MC_ECOSYSTEM MC_ROOT_PUBLIC_KEY MC_TRUSTED_ROOTS MC_DEV MC_ECOSYSTEMS_FILE
one_node_work_dir

run=$RANDOM$RANDOM
uni=e2e-uni-$run
data=$work/data

# The home ecosystem on the first cluster: its root admits the university (its event key in
# $data/event-signing.key, its staff token in $data/token).
ecosystem_init "$work/fwb" "$MC_KAFKA_BOOTSTRAP" "e2e-fwb-$run"
fwb=$ecosystem_id fwb_root=$root_public_key fwb_tokens=$token_keys
ecosystem_admit "$uni" "$data" --legal-name="Université E2E"
# The alliance on the second cluster: its root admits a partner, not the university yet.
ecosystem_init "$work/alliance" "$MC_KAFKA_BOOTSTRAP_B" "e2e-alliance-$run" eu
alliance=$ecosystem_id alliance_root=$root_public_key
ecosystem_admit "e2e-vet-$run" "$work/partner" --legal-name="VET Partner E2E" --provider-type=VET \
  --country=ES
# The university's key in the alliance, in its own file.
"$mcctl" key create --key-file="$data/alliance-event.key" >"$work/out" 2>"$work/err" ||
  fail "mcctl key create (alliance key)"
alliance_key=$(awk '/^public key:/ {print $3}' "$work/out")
[[ -n $alliance_key ]] || fail "mcctl key create printed no public key"

cat >"$work/ecosystems.json" <<JSON
{"ecosystems": [
  {"id": "$fwb", "root_public_key": "$fwb_root", "kafka": "$MC_KAFKA_BOOTSTRAP"},
  {"id": "$alliance", "root_public_key": "$alliance_root", "kafka": "$MC_KAFKA_BOOTSTRAP_B",
   "event_key_file": "$data/alliance-event.key"}
]}
JSON
node_flags=(--institution="$uni" --legal-name="Université E2E" --data-dir="$data"
  --ecosystems-file="$work/ecosystems.json" --token-keys="$fwb_tokens"
  --public-url="https://$uni.example")

# --dev is a one-ecosystem mode.
rc=0
timeout 30 "$mcnode" "${node_flags[@]}" --dev --listen="127.0.0.1:$(free_port)" \
  --http="127.0.0.1:$(free_port)" >"$work/out" 2>"$work/err" || rc=$?
((rc == 1)) || fail "--dev with --ecosystems-file exited $rc, expected 1"
grep -qF -- "--dev (MC_DEV) is refused with --ecosystems-file" "$work/out" "$work/err" ||
  fail "--dev with --ecosystems-file: no clear refusal"
echo "ok: --dev is refused with --ecosystems-file"

# Not admitted in the alliance: refused once its registry is read, naming it.
rc=0
timeout 120 "$mcnode" "${node_flags[@]}" --listen="127.0.0.1:$(free_port)" \
  --http="127.0.0.1:$(free_port)" >"$work/node.log" 2>&1 || rc=$?
((rc == 1)) || fail "a node not admitted in $alliance exited $rc, expected 1"
grep -qF "not a member of ecosystem $alliance: ask its secretariat to admit $uni" "$work/node.log" ||
  fail "the refusal does not name the ecosystem"
echo "ok: a node not admitted in one of its ecosystems is refused, naming it"

# Admitted in the alliance with its alliance key: it starts and serves.
"$mcctl" registry admit "$uni" --kafka="$MC_KAFKA_BOOTSTRAP_B" --ecosystem="$alliance" \
  --root-key-file="$work/alliance/root.key" --public-key="$alliance_key" \
  --legal-name="Université E2E" --public-url="https://$uni.example" >"$work/out" 2>"$work/err" ||
  fail "mcctl registry admit $uni in $alliance"
port=$(free_port)
metrics_port=$(free_port)
"$mcnode" "${node_flags[@]}" --listen="127.0.0.1:$port" --http="127.0.0.1:$(free_port)" \
  --metrics="127.0.0.1:$metrics_port" >"$work/node.log" 2>&1 &
pid=$!
ctl() {  # ctl EXPECTED_EXIT MCCTL ARGS...: the node's staff with their token
  local expected=$1 rc=0
  shift
  "$mcctl" --node="127.0.0.1:$port" --token-file="$data/token" --timeout=10s "$@" \
    >"$work/out" 2>"$work/err" || rc=$?
  ((rc == expected)) || fail "mcctl $* exited $rc, expected $expected"
}
for _ in $(seq 1 150); do
  "$mcctl" --node="127.0.0.1:$port" --timeout=2s catalogue search >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
  sleep 0.2
done
for ecosystem in "$fwb:kafka:$MC_KAFKA_BOOTSTRAP" "$alliance:kafka:$MC_KAFKA_BOOTSTRAP_B"; do
  id=${ecosystem%%:*} log=${ecosystem#*:}
  grep -q "\"event\":\"ecosystem_joined\".*\"ecosystem\":\"$id\".*\"log\":\"$log\"" \
    "$work/node.log" || fail "the start-up log does not name $id and its log $log"
done
echo "ok: the node names both ecosystems and their logs"

spec_json e2e-open-science "Open science in practice" | sed "s/uclouvain/$uni/g" >"$work/spec.json"
ctl 0 catalogue publish "$work/spec.json"
out_has "published $uni/e2e-open-science version 1"
ctl 0 catalogue search --provider="$uni"
out_has "$uni/e2e-open-science"
echo "ok: the node serves (a specification published in its home ecosystem, found)"

curl -fsS "http://127.0.0.1:$metrics_port/metrics" >"$work/out" || fail "no /metrics"
for id in "$fwb" "$alliance"; do
  grep -q "^mc_consumer_lag{projection=\"catalogue\",ecosystem=\"$id\",topic=\"mc.registry.v1\"}" \
    "$work/out" || fail "no lag reported for $id"
done
echo "ok: the lag is reported per ecosystem"
echo "PASS: a node of two ecosystems, each on its own Kafka cluster"
