#!/usr/bin/env bash
# The node's processes run the way the Kubernetes manifests run them (deploy/k8s, the university
# overlay rendered here), on the run's real Kafka and Redis:
#   - configured only by the rendered node-config ConfigMap and the container's env (Kafka,
#     Redis, listen addresses and paths pointed at this machine);
#   - as user and group 10001 (when run as root; Kubernetes' runAsUser/fsGroup), with the
#     data directory laid out as each pod gets it, from the Deployment's own keys volume: for
#     mc-issuance and mc-stacking a read-only directory holding exactly the key files their
#     Secret volume lists (internal-token.key among them; mode 0440, group 10001); for
#     mc-catalogue a writable directory with its key files mounted into it (not the internal
#     token key);
#   - with Kafka client properties read from a file (MC_KAFKA_CONFIG; plaintext here);
#   - mc-stacking reaching mc-issuance at MC_ISSUANCE_ADDRESS (the Service issuance:7443 of the
#     manifests, pointed at the local issuance process), each process with its MC_METRICS.
# Checked: every MC_* variable the manifests set is an option of the binary it is set for (the
# node ignores unknown variables, so a typo would pass silently); the three processes start and
# answer the gRPC health check and serve /metrics and /healthz on their metrics listener; the
# issuance process serves /healthz, not /metrics, on its public HTTP (the public Ingress's
# backend) and writes nothing into its data directory; it trusts a token signed with the
# mounted internal-token.key (as mc-stacking signs its conferrals) and refuses one signed with
# another key; the catalogue answers a search and keeps its store in its own directory; mc-stacking writes nothing into its data directory, and stops when its
# Secret lacks internal-token.key instead of making one; with an empty root public key the
# issuance process fails, naming --root-public-key and --dev, instead of starting a development
# ecosystem; the processes serve no gRPC reflection (grpcurl is given the proto files). Needs
# MC_BUILD_DIR, MC_KAFKA_BOOTSTRAP (tests/infra/with-services.sh), redis-server, and the deploy
# tools of scripts/install-deps.sh. Redis requires a password here, as the manifests configure
# it: the processes read it from MC_REDIS_PASSWORD_FILE.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcctl=$build/tools/mcctl/mcctl
kustomize=$root/.deps/bin/kustomize
python=$root/.deps/deploy-venv/bin/python
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
for tool in "$build/services/mcnode/mc-issuance" "$build/services/mcnode/mc-catalogue" \
  "$build/services/mcnode/mc-stacking" "$mcctl" "$kustomize" "$python"; do
  [[ -x $tool ]] || { echo "FAIL: $tool is missing (make build; scripts/install-deps.sh)" >&2; exit 1; }
done
command -v grpcurl >/dev/null || PATH=$root/.deps/bin:$PATH
# The manifests leave gRPC reflection off: grpcurl reads the proto files instead.
protos=(-import-path "$root/proto" -import-path /usr/share/grpc-proto
  -proto microcred/issuance/v1/issuance.proto -proto grpc/health/v1/health.proto)
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS

work=$(mktemp -d)
chmod 0755 "$work"
declare -A pids=()
cleanup() {
  for name in "${!pids[@]}"; do
    kill "${pids[$name]}" 2>/dev/null || true
    wait "${pids[$name]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The institution's Redis, with the password the redis-auth Secret would hold.
redis_port=$(free_port)
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/redis-password"
chmod 0644 "$work/redis-password"  # the processes run as another user (uid 10001) here
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --requirepass "$(cat "$work/redis-password")" >"$work/redis.out" 2>&1 &
pids[redis]=$!
fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.log; do
    [[ -s $f ]] && { echo "--- ${f##*/}:" >&2; tail -15 "$f" >&2; }
  done
  exit 1
}

# As the pods run: user and group 10001, no other group. Unprivileged runs keep their own user
# (the data directory's modes then do the same job).
as_pod=()
if ((EUID == 0)); then
  as_pod=(setpriv --reuid=10001 --regid=10001 --clear-groups)
  # The binaries where user 10001 can surely read them.
  mkdir -p "$work/bin"
  cp "$build/services/mcnode/mc-issuance" "$build/services/mcnode/mc-catalogue" \
    "$build/services/mcnode/mc-stacking" "$work/bin/"
  bin=$work/bin
else
  bin=$build/services/mcnode
fi

# ---- the manifests, rendered: each process's variables as NAME=VALUE lines, and its data
# directory: mc-X.files lists the key files the keys Secret puts into it, mc-X.datadir says
# whether the directory is that Secret (read-only) or a writable volume they are mounted into ----
cat >"$work/render.py" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
config = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("node-config"))
for d in docs:
    if d["kind"] != "Deployment":
        continue
    container = d["spec"]["template"]["spec"]["containers"][0]
    binary = container["command"][0].rsplit("/", 1)[-1]
    env = dict(config["data"])
    for var in container.get("env", []):
        source = var.get("valueFrom", {}).get("secretKeyRef")
        env[var["name"]] = f"<secret {source['name']}/{source['key']}>" if source else var.get("value", "")
    with open(f"{sys.argv[2]}/{binary}.env", "w") as f:
        for name, value in sorted(env.items()):
            f.write(f"{name}={value}\n")
    data_dir = env["MC_DATA_DIR"].rstrip("/")
    volumes = {v["name"]: v for v in d["spec"]["template"]["spec"].get("volumes", [])}
    files, kind = [], "writable"
    for mount in container.get("volumeMounts", []):
        secret = volumes[mount["name"]].get("secret")
        if not secret:
            continue
        items = [i["path"] for i in secret.get("items", [])]
        if mount["mountPath"].rstrip("/") == data_dir and "subPath" not in mount:
            kind = "secret"
            files += items
        elif mount["mountPath"].startswith(data_dir + "/") and mount.get("subPath") in items:
            files.append(mount["mountPath"][len(data_dir) + 1:])
    with open(f"{sys.argv[2]}/{binary}.files", "w") as f:
        f.writelines(f"{name}\n" for name in files)
    with open(f"{sys.argv[2]}/{binary}.datadir", "w") as f:
        f.write(kind + "\n")
EOF
# render OVERLAY DIR: the overlay rendered into DIR (mc-X.env, mc-X.files, mc-X.datadir), every
# MC_* variable of its four Deployments checked to be an option of its binary.
render() {
  local overlay=$1 dir=$2 service
  mkdir -p "$dir"
  "$kustomize" build "$root/deploy/k8s/overlays/$overlay" >"$dir/rendered.yaml"
  "$python" "$work/render.py" "$dir/rendered.yaml" "$dir"
  for service in catalogue issuance recognition stacking; do
    [[ -s $dir/mc-$service.env ]] || fail "the rendered $overlay overlay has no mc-$service Deployment"
    "$build/services/mcnode/mc-$service" --help >"$work/help"
    while IFS='=' read -r name _; do
      grep -qF "($name)" "$work/help" ||
        fail "$overlay: mc-$service is given $name, which is none of its options"
    done <"$dir/mc-$service.env"
  done
  echo "ok: every MC_* variable of the $overlay overlay's four Deployments is an option of its binary"
}
render university "$work"
# The node in two ecosystems: every process is given the ecosystems file and none of the
# single-ecosystem settings it excludes (the node would refuse to start).
render university-alliance "$work/alliance"
for service in catalogue issuance recognition stacking; do
  grep -q '^MC_ECOSYSTEMS_FILE=.' "$work/alliance/mc-$service.env" ||
    fail "university-alliance: mc-$service is not given MC_ECOSYSTEMS_FILE"
  for single in MC_ECOSYSTEM MC_ROOT_PUBLIC_KEY MC_KAFKA MC_KAFKA_CONFIG MC_TRUSTED_ROOTS; do
    ! grep -q "^$single=" "$work/alliance/mc-$service.env" ||
      fail "university-alliance: mc-$service is given $single beside MC_ECOSYSTEMS_FILE"
  done
done
echo "ok: the university-alliance overlay gives every process its ecosystems file only"

# ---- the ecosystem: a root key, and the pod's files ----
run=$RANDOM$RANDOM
ecosystem=e2e-k8s-$run
"$mcctl" registry init-root --root-key-file="$work/root.key" >"$work/root.out"
root_public=$(awk '/^root public key:/ {print $4}' "$work/root.out")
[[ -n $root_public ]] || fail "no root public key from mcctl registry init-root"
# The node-keys Secret, made as docs/OPERATIONS.md says.
umask 077
mkdir "$work/keys"
"$mcctl" key create --key-file="$work/keys/event-signing.key" >/dev/null
"$mcctl" key create --key-file="$work/keys/internal-token.key" >/dev/null
for key in learner-pseudonym learner-vault; do
  head -c 32 /dev/urandom >"$work/keys/$key.key"
done
umask 022
printf '# as deploy/k8s/base/kafka.properties, without TLS\nsecurity.protocol=plaintext\n' \
  >"$work/kafka.properties"
# data_dir SERVICE DIR [FILE...]: DIR laid out as the pod of mc-SERVICE gets its data directory,
# with the key files its manifest mounts (or the FILEs given).
data_dir() {
  local service=$1 dir=$2 file
  shift 2
  local -a files=("$@")
  ((${#files[@]})) || mapfile -t files <"$work/mc-$service.files"
  mkdir "$dir"
  for file in "${files[@]}"; do
    [[ -f $work/keys/$file ]] || fail "mc-$service mounts $file, which node-keys does not hold"
    cp "$work/keys/$file" "$dir/$file"
    chmod 0440 "$dir/$file"
    if ((EUID == 0)); then chgrp 10001 "$dir/$file"; fi
  done
  if [[ $(<"$work/mc-$service.datadir") == secret ]]; then
    chmod 0550 "$dir"  # the Secret volume: read-only
    if ((EUID == 0)); then chgrp 10001 "$dir"; fi
  else
    chmod 0750 "$dir"  # the emptyDir
    if ((EUID == 0)); then chown 10001:10001 "$dir"; fi
  fi
  listing "$dir" >"$dir.before"
}
listing() {  # DIR itself and everything in it: mode, owner, size, time, name
  find "$1" -maxdepth 1 -printf '%M %u %g %s %T@ %p\n' | sort -k6
}
unchanged() {  # unchanged DIR: nothing was written into DIR since data_dir made it
  listing "$1" >"$1.after"
  diff "$1.before" "$1.after" >/dev/null || fail "$1 changed: $(diff "$1.before" "$1.after")"
}
for service in catalogue issuance stacking; do
  data_dir "$service" "$work/$service-data"
done
# Least privilege, as the manifests mount it: the internal token key only where it is used.
[[ -f $work/issuance-data/internal-token.key && -f $work/stacking-data/internal-token.key ]] ||
  fail "mc-issuance and mc-stacking do not both get internal-token.key"
[[ ! -e $work/catalogue-data/internal-token.key ]] || fail "mc-catalogue gets internal-token.key"

# start SERVICE [NAME=VALUE...]: mc-SERVICE with its rendered variables, then the overrides.
declare -A ports=()
start() {
  local service=$1 name value
  shift
  local -a env=()
  while IFS='=' read -r name value; do
    case $name in
      MC_KAFKA) value=$MC_KAFKA_BOOTSTRAP ;;
      MC_KAFKA_CONFIG) value=$work/kafka.properties ;;
      MC_REDIS) [[ -n $value ]] && value=127.0.0.1:$redis_port ;;
      MC_REDIS_PASSWORD_FILE) value=$work/redis-password ;;
      MC_REDIS_PREFIX) value=k8s$run-$value ;;
      MC_ECOSYSTEM) value=$ecosystem ;;
      MC_DATA_DIR) value=$work/$service-data ;;
      MC_LISTEN) ports[$service]=$(free_port); value=127.0.0.1:${ports[$service]} ;;
      MC_HTTP) ports[$service-http]=$(free_port); value=127.0.0.1:${ports[$service-http]} ;;
      MC_BULK_LISTEN) ports[$service-bulk]=$(free_port); value=127.0.0.1:${ports[$service-bulk]} ;;
      MC_METRICS) ports[$service-metrics]=$(free_port); value=127.0.0.1:${ports[$service-metrics]} ;;
      MC_ISSUANCE_ADDRESS)
        [[ $value == issuance:7443 ]] || fail "mc-$service: MC_ISSUANCE_ADDRESS is $value"
        value=127.0.0.1:${ports[issuance]} ;;
      MC_ROOT_PUBLIC_KEY) value=$root_public ;;
      MC_TOKEN_KEYS) value= ;;
    esac
    env+=("$name=$value")
  done <"$work/mc-$service.env"
  env -i PATH=/usr/bin:/bin "${env[@]}" "$@" "${as_pod[@]}" "$bin/mc-$service" \
    >"$work/$service.log" 2>&1 &
  pids[$service]=$!
}
wait_serving() {  # wait_serving SERVICE
  for _ in $(seq 1 150); do
    grep -q '"event":"node_serving"' "$work/$1.log" 2>/dev/null && return 0
    kill -0 "${pids[$1]}" 2>/dev/null || fail "mc-$1 exited during start"
    sleep 0.2
  done
  fail "mc-$1 did not start"
}
healthy() {  # healthy SERVICE
  grpcurl -plaintext "${protos[@]}" "127.0.0.1:${ports[$1]}" grpc.health.v1.Health/Check |
    grep -q SERVING || fail "mc-$1 does not answer SERVING on grpc.health.v1.Health"
  if grpcurl -plaintext "127.0.0.1:${ports[$1]}" list >"$work/list.out" 2>&1; then
    fail "mc-$1 serves gRPC reflection: $(cat "$work/list.out")"
  fi
}
metrics() {  # metrics SERVICE: its metrics listener answers /healthz and /metrics
  [[ -n ${ports[$1-metrics]:-} ]] || fail "mc-$1 has no MC_METRICS in the manifests"
  [[ $(curl -fsS "http://127.0.0.1:${ports[$1-metrics]}/healthz") == ok* ]] ||
    fail "mc-$1 does not serve /healthz on its metrics port"
  curl -fsS "http://127.0.0.1:${ports[$1-metrics]}/metrics" >"$work/$1.metrics" ||
    fail "mc-$1 does not serve /metrics on its metrics port"
  grep -q '^mc_grpc_requests_total{method="/grpc.health.v1.Health/Check",code="OK"}' \
    "$work/$1.metrics" || fail "mc-$1's /metrics does not count its gRPC calls"
  grep -q '^mc_consumer_lag{' "$work/$1.metrics" || fail "mc-$1's /metrics has no consumer lag"
}

start issuance
wait_serving issuance
healthy issuance
[[ $(curl -fsS "http://127.0.0.1:${ports[issuance-http]}/healthz") == ok* ]] ||
  fail "mc-issuance does not serve /healthz"
public_key=$(grep -o '"event":"node_key".*' "$work/issuance.log" | grep -o '"public_key":"[^"]*"' | cut -d'"' -f4)
"$mcctl" registry admit univ-alma --legal-name="Université Alma" --public-key="$public_key" \
  --kafka="$MC_KAFKA_BOOTSTRAP" --ecosystem="$ecosystem" --root-key-file="$work/root.key" \
  >"$work/admit.log" 2>&1 || fail "admitting univ-alma"
metrics issuance
# The public HTTP is the public Ingress's backend: the metrics must not be there.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[issuance-http]}/metrics")
[[ $code == 404 ]] || fail "mc-issuance's public HTTP answers /metrics with $code, not 404"
echo "ok: mc-issuance serves from a read-only data directory of 0440 key files, as user 10001"

# What mc-stacking sends with a conferral: a token signed with the internal key, for this node.
node_id=$(sed -n 's/^MC_NODE_ID=//p' "$work/mc-issuance.env")
internal_call() {  # internal_call KEY_FILE: ListLearnerCredentials as the stacking process calls
  local token
  token=$("$mcctl" token mint --key-file="$1" --issuer=node-internal --audience="$node_id" \
    --institution=univ-alma --subject=e2e-officer --roles=registrar --ttl=5m) ||
    fail "mcctl token mint with $1"
  grpcurl -plaintext "${protos[@]}" -H "authorization: Bearer $token" \
    -d '{"learner_id": "e2e-nobody"}' \
    "127.0.0.1:${ports[issuance]}" microcred.issuance.v1.IssuanceService/ListLearnerCredentials \
    >"$work/internal.out" 2>&1
}
internal_call "$work/keys/internal-token.key" ||
  fail "mc-issuance refuses a token signed with internal-token.key: $(cat "$work/internal.out")"
"$mcctl" key create --key-file="$work/other.key" >/dev/null
internal_call "$work/other.key" && fail "mc-issuance accepts a token signed with another key"
grep -q Unauthenticated "$work/internal.out" ||
  fail "a token signed with another key: not refused as Unauthenticated: $(cat "$work/internal.out")"
echo "ok: mc-issuance trusts the mounted internal-token.key, and no other key, for its node"

start catalogue
wait_serving catalogue
healthy catalogue
"$mcctl" --node="127.0.0.1:${ports[catalogue]}" catalogue search data >"$work/search.log" 2>&1 ||
  fail "mcctl catalogue search at mc-catalogue"
[[ -d $work/catalogue-data/state ]] || fail "mc-catalogue kept no store in its data directory"
metrics catalogue
echo "ok: mc-catalogue serves with its store in its own directory"

start stacking
wait_serving stacking
healthy stacking
metrics stacking
grep -q '"event":"node_failed"' "$work/stacking.log" && fail "mc-stacking logged node_failed"
echo "ok: mc-stacking serves from its read-only Secret with the internal key, issuing through $(
  sed -n 's/^MC_ISSUANCE_ADDRESS=//p' "$work/mc-stacking.env")"
kill "${pids[stacking]}"
wait "${pids[stacking]}" 2>/dev/null || true
unset 'pids[stacking]'
unchanged "$work/stacking-data"
echo "ok: mc-stacking wrote nothing into its data directory"

# A node-keys Secret without internal-token.key (or a Deployment that does not mount it): the
# process cannot make one in the read-only directory, and stops rather than use a key of its own.
mv "$work/stacking.log" "$work/stacking-first.log"
data_dir stacking "$work/stacking-nokey-data" event-signing.key learner-pseudonym.key learner-vault.key
start stacking MC_DATA_DIR="$work/stacking-nokey-data"
rc=0
wait "${pids[stacking]}" || rc=$?
unset 'pids[stacking]'
((rc != 0)) || fail "mc-stacking started without internal-token.key"
grep -q 'internal-token' "$work/stacking.log" || fail "mc-stacking failed, but not on internal-token.key"
unchanged "$work/stacking-nokey-data"
echo "ok: without internal-token.key in its Secret mc-stacking stops instead of making one"

kill "${pids[issuance]}"
wait "${pids[issuance]}" 2>/dev/null || true
unset 'pids[issuance]'
unchanged "$work/issuance-data"
echo "ok: mc-issuance wrote nothing into its data directory"

# No development ecosystem when the root public key is missing: the node stops at once, naming
# the flags, and writes nothing.
mv "$work/issuance.log" "$work/issuance-first.log"
start issuance MC_ROOT_PUBLIC_KEY=
rc=0
wait "${pids[issuance]}" || rc=$?
unset 'pids[issuance]'
((rc != 0)) || fail "mc-issuance started without a root public key"
grep -qF -- '--root-public-key (MC_ROOT_PUBLIC_KEY) is required' "$work/issuance.log" ||
  fail "mc-issuance failed, but does not say that --root-public-key is required"
unchanged "$work/issuance-data"
echo "ok: without a root public key mc-issuance stops instead of starting a development ecosystem"

# A wrong Redis password: the process stops at start and says why.
mv "$work/issuance.log" "$work/issuance-second.log"
echo "not-the-password" >"$work/wrong-password"
chmod 0644 "$work/wrong-password"
start issuance MC_REDIS_PASSWORD_FILE="$work/wrong-password"
rc=0
wait "${pids[issuance]}" || rc=$?
unset 'pids[issuance]'
((rc != 0)) || fail "mc-issuance started with a wrong Redis password"
grep -q 'WRONGPASS' "$work/issuance.log" || fail "mc-issuance failed, but not on the Redis password"
echo "ok: with a wrong Redis password mc-issuance stops and says so"
echo "PASS: the Kubernetes pod layout"
