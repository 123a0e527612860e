# shellcheck shell=bash
# Helpers sourced by kafka.sh and redis.sh.

# free_port [EXCLUDE...]: print a loopback TCP port nobody listens on. Picked below the
# kernel's ephemeral range (32768+) so outgoing connections cannot be holding it.
# shellcheck disable=SC2120 # the exclusions are optional
free_port() {
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12000))
    [[ " $* " == *" $port "* ]] && continue
    if ! (: <>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# alive PID: true if PID runs and is not a zombie (an orphan's reaper may be slow or absent).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# running PIDFILE: true if the process recorded in PIDFILE is alive.
running() {
  [[ -s $1 ]] && alive "$(<"$1")"
}

# stop_group PIDFILE NAME [GRACE_SECONDS]: SIGTERM the process group led by the pid in
# PIDFILE (started with setsid), SIGKILL it after the grace period, wait until it is gone.
stop_group() {
  local pidfile=$1 name=$2 grace=${3:-20} pid i
  [[ -s $pidfile ]] || return 0
  pid=$(<"$pidfile")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    echo "$name (pid $pid) did not stop in ${grace}s; killing it" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
  wait "$pid" 2>/dev/null || true # reaps it if it is our child
  rm -f "$pidfile"
}
