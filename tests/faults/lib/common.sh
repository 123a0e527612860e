# shellcheck shell=bash
# Helpers the fault scripts share; sourced, not run (run-e2e.sh runs tests/faults/*.sh only).
#
# A fault script owns its services: its own Kafka broker and Redis servers on free loopback
# ports, in its work directory, so it can stop the broker or kill a node without disturbing the
# other tests of the run, and count exactly the events it caused. A service that cannot start
# fails the script (never skips it). Everything it started is stopped by the EXIT trap; on
# failure the logs are printed and the work directory is kept.

faults_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=tests/infra/kafka.sh
source "$faults_root/tests/infra/kafka.sh"
# shellcheck source=tests/infra/redis.sh
source "$faults_root/tests/infra/redis.sh"
# shellcheck source=tests/e2e/lib/common.sh
source "$faults_root/tests/e2e/lib/common.sh" # spec_json

build=${MC_BUILD_DIR:-$faults_root/build}
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
probe=$build/tests/faults/mc_fault_probe
for binary in "$mcnode" "$mcctl" "$probe"; do
  [[ -x $binary ]] || {
    echo "FAIL: $binary is not built" >&2
    exit 1
  }
done
# Only the script's own settings reach mcctl and mcnode.
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS

work=$(mktemp -d "${TMPDIR:-/tmp}/microcred-fault.XXXXXX")
declare -A node_pid=() node_port=() node_http=() node_data=() node_log=()
kafka='' redis_a='' redis_b=''

# shellcheck disable=SC2317 # run by the EXIT trap
faults_cleanup() {
  local rc=$? name
  trap - EXIT INT TERM
  for name in "${!node_pid[@]}"; do
    kill -KILL "${node_pid[$name]}" 2>/dev/null || true
    wait "${node_pid[$name]}" 2>/dev/null || true
  done
  kafka_stop "$work/kafka" 2>/dev/null &
  redis_stop "$work/redis-a" 2>/dev/null || true
  redis_stop "$work/redis-b" 2>/dev/null || true
  wait "$!" || true
  if ((rc == 0)); then
    rm -rf "$work"
  else
    echo "logs kept in $work" >&2
  fi
  exit "$rc"
}
trap faults_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  local name
  echo "FAIL: $*" >&2
  for name in "${!node_log[@]}"; do
    echo "--- node $name log (tail):" >&2
    tail -n 15 "${node_log[$name]}" >&2 2>/dev/null || true
  done
  exit 1
}

# start_services REDIS_COUNT: one or two Redis servers (A, B) and a Kafka broker; sets
# $redis_a, $redis_b and $kafka (host:port each), which the scripts use. Then the ecosystem's
# root and token issuer, made with mcctl as production makes them (tests/e2e/lib/common.sh):
# start_node admits each institution on its first start.
# shellcheck disable=SC2034
start_services() {
  redis_start "$work/redis-a" || fail "redis A did not start"
  redis_a=$(<"$work/redis-a/addr")
  if (($1 > 1)); then
    redis_start "$work/redis-b" || fail "redis B did not start"
    redis_b=$(<"$work/redis-b/addr")
  fi
  kafka_start "$work/kafka" || fail "kafka did not start"
  kafka=$(<"$work/kafka/bootstrap")
  ecosystem_init "$work/secretariat" "$kafka" "faults-$RANDOM$RANDOM"
}

# start_node NAME INSTITUTION REDIS [MCNODE FLAGS...]: starts mcnode on $kafka and REDIS with
# its data in $work/NAME (kept across restarts) and waits until it serves. The first start
# admits INSTITUTION to the ecosystem, with its event key and staff token in $work/NAME.
start_node() {
  local name=$1 institution=$2 redis=$3 i
  shift 3
  node_data[$name]=$work/$name
  node_log[$name]=$work/$name.log
  [[ -n ${node_port[$name]:-} ]] || node_port[$name]=$(free_port)
  [[ -n ${node_http[$name]:-} ]] || node_http[$name]=$(free_port)
  [[ -s ${node_data[$name]}/token ]] || ecosystem_admit "$institution" "${node_data[$name]}"
  "$mcnode" --institution="$institution" --data-dir="${node_data[$name]}" \
    --listen="127.0.0.1:${node_port[$name]}" --http="127.0.0.1:${node_http[$name]}" \
    --kafka="$kafka" --redis="$redis" "${node_trust[@]}" --public-url="https://$institution.example" \
    "$@" >>"${node_log[$name]}" 2>&1 &
  node_pid[$name]=$!
  for ((i = 0; i < 300; i++)); do
    if "$mcctl" --node="127.0.0.1:${node_port[$name]}" --timeout=2s catalogue search \
        >/dev/null 2>&1; then
      return 0
    fi
    alive "${node_pid[$name]}" || fail "node $name exited during start"
    sleep 0.2
  done
  fail "node $name did not serve within 60s"
}

# kill9_node NAME: SIGKILL, no chance to flush or answer.
kill9_node() {
  kill -KILL "${node_pid[$1]}" 2>/dev/null || true
  wait "${node_pid[$1]}" 2>/dev/null || true
  unset "node_pid[$1]"
}

node_alive() { [[ -n ${node_pid[$1]:-} ]] && alive "${node_pid[$1]}"; }

# ctl NAME ARGS...: mcctl against node NAME with its staff token.
ctl() {
  local name=$1
  shift
  "$mcctl" --node="127.0.0.1:${node_port[$name]}" --token-file="${node_data[$name]}/token" "$@"
}

# count_keys REDIS PATTERN: how many keys of a Redis server match PATTERN.
count_keys() {
  local keys
  keys=$(redis-cli -h "${1%:*}" -p "${1##*:}" --scan --pattern "$2") || fail "redis-cli --scan on $1"
  grep -c . <<<"$keys" || true
}
