#!/usr/bin/env bash
# The node's processes run the way the Kubernetes manifests run them (deploy/k8s, the university
# overlay rendered here), on the run's real Kafka and Redis:
#   - configured only by the rendered node-config ConfigMap and the container's env (Kafka,
#     Redis, listen addresses and paths pointed at this machine);
#   - as user and group 10001 (when run as root; Kubernetes' runAsUser/fsGroup), with the
#     data directory laid out as the pods get it: for mc-issuance a read-only directory holding
#     the three key files as the keys Secret mounts them (mode 0440, group 10001); for
#     mc-catalogue a writable directory with the key files mounted into it;
#   - with Kafka client properties read from a file (MC_KAFKA_CONFIG; plaintext here).
# Checked: every MC_* variable the manifests set is an option of the binary it is set for (the
# node ignores unknown variables, so a typo would pass silently); both processes start and
# answer the gRPC health check; the issuance process serves /healthz and writes nothing into
# its data directory; the catalogue answers a search and keeps its store in its own directory;
# with an empty root public key the issuance process fails instead of starting a development
# ecosystem. Needs MC_BUILD_DIR, MC_KAFKA_BOOTSTRAP and MC_REDIS_ADDR (tests/infra/with-services.sh)
# and the deploy tools of scripts/install-deps.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcctl=$build/tools/mcctl/mcctl
kustomize=$root/.deps/bin/kustomize
python=$root/.deps/deploy-venv/bin/python
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
: "${MC_REDIS_ADDR:?run through tests/infra/with-services.sh}"
for tool in "$build/services/mcnode/mc-issuance" "$build/services/mcnode/mc-catalogue" "$mcctl" \
  "$kustomize" "$python"; do
  [[ -x $tool ]] || { echo "FAIL: $tool is missing (make build; scripts/install-deps.sh)" >&2; exit 1; }
done
command -v grpcurl >/dev/null || PATH=$root/.deps/bin:$PATH
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
  cp "$build/services/mcnode/mc-issuance" "$build/services/mcnode/mc-catalogue" "$work/bin/"
  bin=$work/bin
else
  bin=$build/services/mcnode
fi

# ---- the manifests, rendered: each process's variables as NAME=VALUE lines ----
"$kustomize" build "$root/deploy/k8s/overlays/university" >"$work/rendered.yaml"
"$python" - "$work/rendered.yaml" "$work" <<'EOF'
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
EOF
for service in catalogue issuance recognition stacking; do
  [[ -s $work/mc-$service.env ]] || fail "the rendered overlay has no mc-$service Deployment"
  "$build/services/mcnode/mc-$service" --help >"$work/help"
  while IFS='=' read -r name _; do
    grep -qF "($name)" "$work/help" || fail "mc-$service is given $name, which is none of its options"
  done <"$work/mc-$service.env"
done
echo "ok: every MC_* variable of the four Deployments is an option of its binary"

# ---- the ecosystem: a root key, and the pod's files ----
run=$RANDOM$RANDOM
ecosystem=e2e-k8s-$run
"$mcctl" registry init-root --root-key-file="$work/root.key" >"$work/root.out"
root_public=$(awk '/^root public key:/ {print $4}' "$work/root.out")
[[ -n $root_public ]] || fail "no root public key from mcctl registry init-root"
umask 077
mkdir "$work/keys"
for key in event-signing learner-pseudonym learner-vault; do
  head -c 32 /dev/urandom >"$work/keys/$key.key"
done
umask 022
printf '# as deploy/k8s/base/kafka.properties, without TLS\nsecurity.protocol=plaintext\n' \
  >"$work/kafka.properties"
# The catalogue's emptyDir, with the key files mounted into it.
mkdir "$work/catalogue-data"
cp "$work/keys"/*.key "$work/catalogue-data/"
chmod 0440 "$work/keys"/*.key "$work/catalogue-data"/*.key
chmod 0550 "$work/keys"
chmod 0750 "$work/catalogue-data"
if ((EUID == 0)); then
  chgrp 10001 "$work/keys" "$work/keys"/*.key "$work/catalogue-data"/*.key
  chown 10001:10001 "$work/catalogue-data"
fi
ls -la "$work/keys" >"$work/keys.before"

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
      MC_REDIS) [[ -n $value ]] && value=$MC_REDIS_ADDR ;;
      MC_REDIS_PREFIX) value=k8s$run-$value ;;
      MC_ECOSYSTEM) value=$ecosystem ;;
      MC_DATA_DIR) value=$work/$([[ $service == catalogue ]] && echo catalogue-data || echo keys) ;;
      MC_LISTEN) ports[$service]=$(free_port); value=127.0.0.1:${ports[$service]} ;;
      MC_HTTP) ports[$service-http]=$(free_port); value=127.0.0.1:${ports[$service-http]} ;;
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
  grpcurl -plaintext "127.0.0.1:${ports[$1]}" grpc.health.v1.Health/Check | grep -q SERVING ||
    fail "mc-$1 does not answer SERVING on grpc.health.v1.Health"
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
echo "ok: mc-issuance serves from a read-only data directory of 0440 key files, as user 10001"

start catalogue
wait_serving catalogue
healthy catalogue
"$mcctl" --node="127.0.0.1:${ports[catalogue]}" catalogue search data >"$work/search.log" 2>&1 ||
  fail "mcctl catalogue search at mc-catalogue"
[[ -d $work/catalogue-data/state ]] || fail "mc-catalogue kept no store in its data directory"
echo "ok: mc-catalogue serves with its store in its own directory"

kill "${pids[issuance]}"
wait "${pids[issuance]}" 2>/dev/null || true
unset 'pids[issuance]'
ls -la "$work/keys" >"$work/keys.after"
diff "$work/keys.before" "$work/keys.after" >/dev/null ||
  fail "mc-issuance changed its data directory: $(diff "$work/keys.before" "$work/keys.after")"
echo "ok: mc-issuance wrote nothing into its data directory"

# No development ecosystem when the root public key is missing: the node cannot write its
# development root key into the read-only directory, and stops.
mv "$work/issuance.log" "$work/issuance-first.log"
start issuance MC_ROOT_PUBLIC_KEY=
rc=0
wait "${pids[issuance]}" || rc=$?
unset 'pids[issuance]'
((rc != 0)) || fail "mc-issuance started without a root public key"
grep -q 'dev-root.key' "$work/issuance.log" || fail "mc-issuance failed, but not on dev-root.key"
ls -la "$work/keys" >"$work/keys.after"
diff "$work/keys.before" "$work/keys.after" >/dev/null || fail "the failed start wrote into the data directory"
echo "ok: without a root public key mc-issuance stops instead of starting a development ecosystem"
echo "PASS: the Kubernetes pod layout"
