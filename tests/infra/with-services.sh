#!/usr/bin/env bash
# with-services.sh CMD [ARG...]: runs CMD with two fresh single-node Kafka clusters and two
# Redis servers, exported as MC_KAFKA_BOOTSTRAP, MC_KAFKA_BOOTSTRAP_B (a second, independent
# cluster: its own cluster id, ports and data, for tests of a node in two ecosystems),
# MC_REDIS_ADDR and MC_REDIS_ADDR_B (host:port each). All are stopped whatever happens, and the
# exit status is CMD's. If CMD fails, the services' logs are kept and their folder is named.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/infra/kafka.sh
source "$here/kafka.sh"
# shellcheck source=tests/infra/redis.sh
source "$here/redis.sh"

if (($# == 0)); then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/microcred-services.XXXXXX")
child=
booting=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$? pid stoppers=()
  trap - EXIT INT TERM
  if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  # A broker still booting (interrupted start): its formatting or waiting first (the boot's
  # children, then the boot itself), so that nothing starts after the broker is stopped.
  for pid in "${booting[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # All at once: the brokers' shutdown is the slow one.
  kafka_stop "$work/kafka" &
  stoppers+=("$!")
  kafka_stop "$work/kafka-b" &
  stoppers+=("$!")
  redis_stop "$work/redis"
  redis_stop "$work/redis-b"
  wait "${stoppers[@]}"
  if ((rc == 0)); then
    rm -rf "$work"
  else
    echo "with-services: exit status $rc; service logs kept in $work" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

redis_start "$work/redis"
redis_start "$work/redis-b"  # a second node's own Redis, for multi-node tests
# Two clusters booted at once (the JVMs' start-up is most of the wait); the second's ports
# are picked avoiding the first's, which does not listen yet.
kafka_configure "$work/kafka"
# shellcheck disable=SC2046 # two port numbers
kafka_configure "$work/kafka-b" $(kafka_ports "$work/kafka")
kafka_boot "$work/kafka" &
booting+=("$!")
kafka_boot "$work/kafka-b" &
booting+=("$!")
boot_rc=0
for pid in "${booting[@]}"; do
  wait "$pid" || boot_rc=1
done
booting=()
((boot_rc == 0)) || exit 1
MC_REDIS_ADDR=$(<"$work/redis/addr")
MC_REDIS_ADDR_B=$(<"$work/redis-b/addr")
MC_KAFKA_BOOTSTRAP=$(<"$work/kafka/bootstrap")
MC_KAFKA_BOOTSTRAP_B=$(<"$work/kafka-b/bootstrap")
export MC_REDIS_ADDR MC_REDIS_ADDR_B MC_KAFKA_BOOTSTRAP MC_KAFKA_BOOTSTRAP_B

# In the background so that a signal to this script is handled at once; <&0 keeps stdin,
# which bash would otherwise replace by /dev/null for a background command.
"$@" <&0 &
child=$!
set +e
wait "$child"
rc=$?
set -e
child=
exit "$rc"
