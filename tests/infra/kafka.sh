#!/usr/bin/env bash
# Single-node KRaft Kafka broker on free loopback ports, for tests.
#   kafka.sh start [DIR]   start it; prints the bootstrap address (also in DIR/bootstrap)
#   kafka.sh stop  [DIR]   stop it and wait until it has exited
#   kafka.sh halt  [DIR]   stop the broker but keep its data and ports (for fault tests)
#   kafka.sh resume [DIR]  start a halted broker again on the same data and ports
# DIR holds config, data, logs (server.log) and the pid; default $MC_INFRA_DIR/kafka.
# The classpath comes from tests/infra/kafka/lib (scripts/install-deps.sh fills it).
# Sourcing this file defines kafka_start/kafka_stop, kafka_configure/kafka_boot (used by
# with-services.sh, which boots two brokers at once) and kafka_halt/kafka_resume (used by
# tests/faults).
set -euo pipefail

_kafka_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/infra/common.sh
source "$_kafka_here/common.sh"

kafka_start() {
  kafka_configure "$@" && kafka_boot "$1"
}

# kafka_configure DIR [AVOID_PORT...]: picks the broker's two ports (free, and none of
# AVOID_PORT) and writes its configuration in DIR (DIR/port, DIR/controller-port). Separate
# from kafka_boot so that two brokers can boot at once: configure both one after the other
# (the second avoiding the first's ports), then boot them in parallel.
kafka_configure() {
  local dir=$1 port cport
  shift
  if running "$dir/pid"; then
    echo "kafka already running from $dir (pid $(<"$dir/pid"))" >&2
    return 1
  fi
  mkdir -p "$dir"
  rm -rf "$dir/data" "$dir/server.log" "$dir/kafka.out" "$dir/bootstrap" "$dir/port" \
    "$dir/controller-port"
  port=$(free_port "$@")
  cport=$(free_port "$port" "$@")
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
PROPS
  echo "$cport" >"$dir/controller-port"
  echo "$port" >"$dir/port"
}

# kafka_ports DIR: the two ports of the broker configured in DIR (for another's AVOID_PORT).
kafka_ports() {
  echo "$(<"$1/port") $(<"$1/controller-port")"
}

# kafka_boot DIR: formats the data dir of the broker configured in DIR with a cluster id of
# its own, starts it and waits until it answers.
kafka_boot() {
  local dir=$1 lib=$_kafka_here/kafka/lib kcat started cluster_id java_opts
  if [[ ! -f $lib/.complete ]]; then
    echo "kafka classpath missing in $lib: run scripts/install-deps.sh" >&2
    return 1
  fi
  kcat=$(command -v kcat || command -v kafkacat) || {
    echo "kcat not installed: run scripts/install-deps.sh" >&2
    return 1
  }
  java_opts=(-Djava.awt.headless=true "-Dlog4j.configuration=file:$_kafka_here/kafka/log4j.properties"
    "-Dkafka.logs.dir=$dir" -cp "$lib/*")
  started=$SECONDS
  cluster_id=$(_kafka_cluster_id)
  echo "$cluster_id" >"$dir/cluster-id"
  if ! java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$dir/server.properties" >"$dir/format.log" 2>&1; then
    cat "$dir/format.log" >&2
    return 1
  fi
  _kafka_launch "$dir" "$kcat" "$started" "${java_opts[@]}"
}

# _kafka_cluster_id: a fresh cluster id as `kafka-storage random-uuid` makes one (16 random
# bytes, base64url without padding, never starting with '-'), without starting a JVM for it.
_kafka_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    [[ $id != -* ]] && break
  done
  echo "$id"
}

# _kafka_launch DIR KCAT STARTED JAVA_OPTS...: runs the broker configured in DIR and waits
# until it answers on the port recorded in DIR/port.
_kafka_launch() {
  local dir=$1 kcat=$2 started=$3 timeout=${MC_KAFKA_START_TIMEOUT:-90} port pid
  shift 3
  port=$(<"$dir/port")
  # setsid: the broker leads its own process group, so stop can signal all of it and a
  # Ctrl-C aimed at the test command does not reach it.
  setsid java -Xms512m -Xmx512m "$@" kafka.Kafka "$dir/server.properties" \
    >>"$dir/kafka.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/pid"

  until "$kcat" -b "127.0.0.1:$port" -L -m 2 >/dev/null 2>&1; do
    if ! alive "$pid" || ((SECONDS - started >= timeout)); then
      echo "kafka did not come up within ${timeout}s; log tail ($dir):" >&2
      tail -n 40 "$dir/server.log" "$dir/kafka.out" >&2 2>/dev/null || true
      stop_group "$dir/pid" kafka 5
      return 1
    fi
    sleep 0.5
  done
  echo "127.0.0.1:$port" >"$dir/bootstrap"
  echo "kafka up at 127.0.0.1:$port in $((SECONDS - started))s (pid $pid, dir $dir)" >&2
}

# kafka_halt DIR [GRACE_SECONDS]: stops the broker (SIGTERM, then SIGKILL after the grace
# period; 0 kills it at once) and keeps its configuration, data and address for kafka_resume.
kafka_halt() {
  local dir=$1 grace=${2:-20} pid
  [[ -s $dir/pid ]] || {
    echo "kafka: no broker runs from $dir" >&2
    return 1
  }
  if ((grace == 0)); then
    pid=$(<"$dir/pid")
    disown "$pid" 2>/dev/null || true # if it is our job: no "Killed" notice from bash
    kill -KILL -- "-$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
    rm -f "$dir/pid"
  else
    stop_group "$dir/pid" kafka "$grace"
  fi
}

# kafka_resume DIR: starts a halted broker again, on the same data, ports and cluster id.
kafka_resume() {
  local dir=$1 lib=$_kafka_here/kafka/lib kcat
  if running "$dir/pid"; then
    echo "kafka already running from $dir (pid $(<"$dir/pid"))" >&2
    return 1
  fi
  [[ -s $dir/port && -d $dir/data ]] || {
    echo "kafka: nothing to resume in $dir (start it first)" >&2
    return 1
  }
  kcat=$(command -v kcat || command -v kafkacat) || {
    echo "kcat not installed: run scripts/install-deps.sh" >&2
    return 1
  }
  _kafka_launch "$dir" "$kcat" "$SECONDS" -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$_kafka_here/kafka/log4j.properties" "-Dkafka.logs.dir=$dir" \
    -cp "$lib/*"
}

kafka_stop() {
  stop_group "$1/pid" kafka 20
  rm -rf "$1/bootstrap" "$1/data" "$1/port" "$1/controller-port"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  dir=${2:-${MC_INFRA_DIR:-${TMPDIR:-/tmp}/microcred-infra}/kafka}
  case ${1:-} in
    start) kafka_start "$dir" && cat "$dir/bootstrap" ;;
    stop) kafka_stop "$dir" ;;
    halt) kafka_halt "$dir" ;;
    resume) kafka_resume "$dir" ;;
    *)
      echo "usage: $0 start|stop|halt|resume [DIR]" >&2
      exit 2
      ;;
  esac
fi
