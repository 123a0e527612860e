#!/usr/bin/env bash
# Development mode is asked for by name, and never on what other nodes share. mcnode with
# neither --root-public-key nor --dev refuses to start, naming both flags, on the embedded
# engines and on the run's Kafka; --dev is refused with --kafka, with --redis and with
# --root-public-key. A refused node writes nothing: no file in its data directory, no record on
# the registry topic. Then --dev alone runs a one-node ecosystem on the embedded engines and
# answers with its development token. Needs MC_BUILD_DIR and MC_KAFKA_BOOTSTRAP
# (tests/infra/with-services.sh) and kcat.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
for binary in "$mcnode" "$mcctl"; do
  [[ -x $binary ]] || { echo "FAIL: $binary is not built" >&2; exit 1; }
done
kcat=$(command -v kcat || command -v kafkacat) || { echo "FAIL: kcat is not installed" >&2; exit 1; }
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS MC_DEV \
  MC_ROOT_PUBLIC_KEY

one_node_work_dir
run=$RANDOM$RANDOM
institution=devmode$run

# refused NAME TEXT... -- FLAGS...: mcnode with FLAGS (its own data dir, free ports) exits 1 at
# once, its output holds every TEXT, and its data directory stays empty. A node that starts
# instead is stopped after 20 s, and the check fails.
refused() {
  local name=$1 rc=0 texts=()
  shift
  while [[ $1 != -- ]]; do texts+=("$1"); shift; done
  shift
  local data=$work/$name
  timeout 20 "$mcnode" --institution="$institution" --data-dir="$data" \
    --listen="127.0.0.1:$(free_port)" --http="127.0.0.1:$(free_port)" --ecosystem="e2e-dev-$run" \
    "$@" >"$work/node.log" 2>&1 || rc=$?
  ((rc == 1)) || fail "$name: mcnode $* exited $rc, expected 1 (refused at start)"
  for text in "${texts[@]}"; do
    grep -qF -- "$text" "$work/node.log" || fail "$name: the refusal does not say \"$text\""
  done
  if [[ -e $data ]] && [[ -n $(ls -A "$data") ]]; then
    fail "$name: a refused node wrote into its data directory: $(ls -A "$data" | tr '\n' ' ')"
  fi
  echo "ok: $name refused"
}

refused no-root-embedded "--root-public-key (MC_ROOT_PUBLIC_KEY) is required" "--dev (MC_DEV)" --
refused no-root-kafka "--root-public-key (MC_ROOT_PUBLIC_KEY) is required" "--dev (MC_DEV)" -- \
  --kafka="$MC_KAFKA_BOOTSTRAP"
refused dev-kafka "--dev (MC_DEV) is refused with --kafka" -- --dev --kafka="$MC_KAFKA_BOOTSTRAP"
MC_DEV=true refused dev-env-kafka "--dev (MC_DEV) is refused with --kafka" -- \
  --kafka="$MC_KAFKA_BOOTSTRAP"
refused dev-redis "--dev (MC_DEV) is refused with --redis" -- --dev --redis=127.0.0.1:6379
refused dev-and-root "--dev (MC_DEV) and --root-public-key" -- --dev \
  --root-public-key=11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo
refused bad-dev-value "--dev: expected true or false" -- --dev=maybe
refused rs256-without-key "--credential-algorithm=rs256 needs --rsa-key-file" -- --dev \
  --credential-algorithm=rs256
refused bad-algorithm "--credential-algorithm: es256, eddsa or rs256" -- --dev \
  --credential-algorithm=hs256

# Nothing of this institution reached the registry topic (a development root would have admitted
# it there). The topic may not exist yet on a fresh broker: then nothing was written either.
rc=0
"$kcat" -C -b "$MC_KAFKA_BOOTSTRAP" -t mc.registry.v1 -o beginning -e -q >"$work/registry" \
  2>"$work/err" || rc=$?
if ((rc != 0)) && ! grep -qi "unknown topic\|unknown partition" "$work/err"; then
  fail "cannot read mc.registry.v1"
fi
if grep -qaF "$institution" "$work/registry"; then
  fail "a refused node admitted $institution on mc.registry.v1"
fi
echo "ok: nothing of $institution on mc.registry.v1 ($(wc -c <"$work/registry") bytes read)"

# --dev alone: a one-node ecosystem on the embedded engines, with its development token.
data=$work/dev
port=$(free_port)
"$mcnode" --dev --institution="$institution" --data-dir="$data" --listen="127.0.0.1:$port" \
  --http="127.0.0.1:$(free_port)" >"$work/node.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  [[ -s $data/dev-token ]] && "$mcctl" --node="127.0.0.1:$port" --token-file="$data/dev-token" \
    --timeout=2s catalogue search >"$work/out" 2>"$work/err" && break
  kill -0 "$pid" 2>/dev/null || fail "mcnode --dev exited during start"
  sleep 0.2
done
[[ -s $data/dev-token && -s $data/dev-root.key ]] || fail "mcnode --dev wrote no root key or token"
# New installs sign ES256: the development node made its P-256 key and registered it.
[[ -s $data/credential-p256.key ]] || fail "mcnode --dev made no P-256 credential key"
grep -q '"event":"credential_key".*"algorithm":"ES256"' "$work/node.log" ||
  fail "mcnode --dev did not log its P-256 credential key"
"$mcctl" --node="127.0.0.1:$port" --token-file="$data/dev-token" catalogue search \
  >"$work/out" 2>"$work/err" || fail "mcnode --dev does not answer its development token"
echo "ok: --dev alone runs a one-node development ecosystem on the embedded engines"
echo "PASS: development mode only by name, never on a shared log or store"
