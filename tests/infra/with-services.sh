#!/usr/bin/env bash
# with-services.sh CMD [ARG...]: runs CMD with a fresh Kafka broker and Redis server,
# exported as MC_KAFKA_BOOTSTRAP, MC_REDIS_ADDR and MC_REDIS_ADDR_B (host:port each). All are stopped
# whatever happens, and the exit status is CMD's. If CMD fails, the services' logs are
# kept and their folder is named.
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
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  # Both at once: the broker's shutdown is the slow one.
  kafka_stop "$work/kafka" &
  redis_stop "$work/redis"
  redis_stop "$work/redis-b"
  wait "$!"
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
kafka_start "$work/kafka"
MC_REDIS_ADDR=$(<"$work/redis/addr")
MC_REDIS_ADDR_B=$(<"$work/redis-b/addr")
MC_KAFKA_BOOTSTRAP=$(<"$work/kafka/bootstrap")
export MC_REDIS_ADDR MC_REDIS_ADDR_B MC_KAFKA_BOOTSTRAP

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
