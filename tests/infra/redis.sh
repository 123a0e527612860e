#!/usr/bin/env bash
# Throwaway redis-server on a free loopback port, for tests.
#   redis.sh start [DIR]   start it; prints its address host:port (also in DIR/addr)
#   redis.sh stop  [DIR]   stop it and wait until it has exited
# DIR holds the AOF data, redis.log and the pid; default $MC_INFRA_DIR/redis.
# Sourcing this file defines redis_start/redis_stop (used by with-services.sh).
set -euo pipefail

_redis_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/infra/common.sh
source "$_redis_here/common.sh"

redis_start() {
  local dir=$1 timeout=${MC_REDIS_START_TIMEOUT:-30} port pid started
  if running "$dir/pid"; then
    echo "redis already running from $dir (pid $(<"$dir/pid"))" >&2
    return 1
  fi
  mkdir -p "$dir"
  rm -rf "$dir/data" "$dir/redis.log" "$dir/addr"
  mkdir "$dir/data"
  port=$(free_port)
  started=$SECONDS
  setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$dir/data" --daemonize no \
    --appendonly yes --save '' --logfile "$dir/redis.log" >/dev/null 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/pid"
  until [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; do
    if ! alive "$pid" || ((SECONDS - started >= timeout)); then
      echo "redis did not come up within ${timeout}s; log tail ($dir):" >&2
      tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
      stop_group "$dir/pid" redis 5
      return 1
    fi
    sleep 0.1
  done
  echo "127.0.0.1:$port" >"$dir/addr"
  echo "redis up at 127.0.0.1:$port (pid $pid, dir $dir)" >&2
}

redis_stop() {
  stop_group "$1/pid" redis 10
  rm -rf "$1/addr" "$1/data"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  dir=${2:-${MC_INFRA_DIR:-${TMPDIR:-/tmp}/microcred-infra}/redis}
  case ${1:-} in
    start) redis_start "$dir" && cat "$dir/addr" ;;
    stop) redis_stop "$dir" ;;
    *)
      echo "usage: $0 start|stop [DIR]" >&2
      exit 2
      ;;
  esac
fi
