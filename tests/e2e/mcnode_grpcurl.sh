#!/usr/bin/env bash
# mcnode as an operator meets it, driven by grpcurl: the embedded development node (--dev: file
# log, in-memory store rebuilt at restart), then a node on the real Kafka and Redis of this run
# (MC_KAFKA_BOOTSTRAP, MC_REDIS_ADDR) in an ecosystem set up with mcctl, as production sets one
# up. Reflection is served only with --grpc-reflection: after the restart the node runs without
# it, refuses `grpcurl list`, and grpcurl is given the proto files instead.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=${MC_BUILD_DIR:-$root/build}
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
PATH=$root/.deps/bin:$PATH
command -v grpcurl >/dev/null || { echo "grpcurl is missing: run scripts/install-deps.sh" >&2; exit 1; }
: "${MC_KAFKA_BOOTSTRAP:?run through tests/infra/with-services.sh}"
: "${MC_REDIS_ADDR:?run through tests/infra/with-services.sh}"

work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -f $work/node.log ]] && tail -20 "$work/node.log" >&2
  exit 1
}

# grpcurl's flags when the node serves no reflection: the proto files it would describe.
# start_node sets $descriptors to them, or to nothing when the node serves reflection.
protos=(-import-path "$root/proto" -import-path /usr/share/grpc-proto
  -proto microcred/catalogue/v1/catalogue.proto -proto microcred/issuance/v1/issuance.proto
  -proto grpc/health/v1/health.proto)
descriptors=()

start_node() {  # start_node DATA_DIR [FLAGS...]
  local data=$1
  shift
  descriptors=("${protos[@]}")
  [[ " $* " == *" --grpc-reflection "* ]] && descriptors=()
  port=$(free_port)
  http_port=$(free_port)
  "$mcnode" --institution=uclouvain --legal-name="Université catholique de Louvain" \
    --data-dir="$data" --listen="127.0.0.1:$port" --http="127.0.0.1:$http_port" \
    "$@" >"$work/node.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if grpcurl -plaintext "${descriptors[@]}" "127.0.0.1:$port" grpc.health.v1.Health/Check \
      2>/dev/null | grep -q SERVING; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
    sleep 0.2
  done
  fail "mcnode did not become healthy"
}

stop_node() {
  kill "$pid"
  wait "$pid" || true
  pid=
}

call() {  # call METHOD JSON [grpcurl flags...]
  local method=$1 json=$2
  shift 2
  grpcurl -plaintext "${descriptors[@]}" "$@" -d "$json" "127.0.0.1:$port" \
    "microcred.catalogue.v1.CatalogueService/$method"
}


# check_node LABEL TOKEN_FILE: the calls every node must answer the same way, reflection first
# (the node runs with --grpc-reflection).
check_node() {
  local label=$1 token out
  token=$(<"$2")
  services=$(grpcurl -plaintext "127.0.0.1:$port" list)
  for s in grpc.health.v1.Health grpc.reflection.v1alpha.ServerReflection \
    microcred.catalogue.v1.CatalogueService; do
    grep -qx "$s" <<<"$services" || fail "$label: reflection does not list $s"
  done
  grpcurl -plaintext -d '{"service":"microcred.catalogue.v1.CatalogueService"}' \
    "127.0.0.1:$port" grpc.health.v1.Health/Check | grep -q SERVING || fail "$label: health"

  out=$(call PublishSpecification "$(spec_json "open-science-$label" "Open science in practice" "e2e-$label")" \
    -H "authorization: Bearer $token") || fail "$label: publish failed: $out"
  grep -q "\"specification_id\": \"uclouvain/open-science-$label\"" <<<"$out" || fail "$label: publish answer: $out"

  out=$(call SearchSpecifications '{"text":"open science"}') || fail "$label: search failed"
  grep -q "uclouvain/open-science-$label" <<<"$out" || fail "$label: search did not find it: $out"

  out=$(call PublishSpecification "$(spec_json bad "Master en science ouverte" "e2e-bad-$label")" \
    -H "authorization: Bearer $token" 2>&1) && fail "$label: protected title accepted"
  if ! grep -q "InvalidArgument" <<<"$out" || ! grep -q "content.title" <<<"$out"; then
    fail "$label: protected title answer: $out"
  fi

  out=$(call PublishSpecification "$(spec_json anon "Open data" "e2e-anon-$label")" 2>&1) &&
    fail "$label: publish without a token accepted"
  grep -q "Unauthenticated" <<<"$out" || fail "$label: no-token answer: $out"
  echo "ok: $label"
}

issue() {  # issue REQUEST_ID: issues a credential for the embedded specification
  grpcurl -plaintext "${descriptors[@]}" -H "authorization: Bearer $(<"$data/dev-token")" -d @ \
    "127.0.0.1:$port" microcred.issuance.v1.IssuanceService/IssueCredential <<JSON
{"request_id": "$1", "specification_id": "uclouvain/open-science-embedded",
 "learner": {"learner_id": "L-1", "given_name": "Amélie", "family_name": "Dubois"},
 "issued_on": {"year": $(date -u +%Y), "month": $((10#$(date -u +%m))), "day": $((10#$(date -u +%d)))},
 "place_of_issuing": "Louvain-la-Neuve", "mode_of_acquisition": "MODE_OF_ACQUISITION_COMPLETED_COURSE",
 "supervision_applied": "SUPERVISION_ONSITE_WITH_ID_CHECK"}
JSON
}

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# 1. Embedded node, then a restart that rebuilds the in-memory store from the file log and
#    keeps the node's secrets: the learner's sealed data still opens, credentials still verify.
data=$work/embedded
start_node "$data" --dev --policy=fwb --grpc-reflection
check_node embedded "$data/dev-token"
credential=$(issue e2e-issue-1) || fail "embedded: issue failed: $credential"
credential_id=$(json_field credential_id <<<"$credential")
stop_node
start_node "$data" --dev --policy=fwb
out=$(grpcurl -plaintext "127.0.0.1:$port" list 2>&1) && fail "embedded: reflection served without --grpc-reflection: $out"
echo "ok: no reflection without --grpc-reflection"
call GetSpecification '{"specification_id":"uclouvain/open-science-embedded"}' |
  grep -q "Open science in practice" || fail "embedded: specification lost across restart"
exported=$(grpcurl -plaintext "${descriptors[@]}" -H "authorization: Bearer $(<"$data/dev-token")" \
  -d "{\"credential_id\":\"$credential_id\",\"format\":\"EXPORT_FORMAT_JWS\"}" \
  "127.0.0.1:$port" microcred.issuance.v1.IssuanceService/ExportCredential) ||
  fail "embedded: export after restart failed: $exported"
jws=$(json_field content <<<"$exported")
[[ $jws == $(json_field jws <<<"$credential") ]] || fail "embedded: exported JWS differs"
report=$(grpcurl -plaintext "${descriptors[@]}" -d "{\"jws\":\"$jws\"}" "127.0.0.1:$port" \
  microcred.issuance.v1.IssuanceService/VerifyCredential)
[[ $(json_field valid <<<"$report") == True ]] || fail "embedded: not valid after restart: $report"
[[ $(curl -s "http://127.0.0.1:$http_port/healthz") == ok ]] || fail "embedded: /healthz"
echo "ok: embedded restart (catalogue, sealed learner data and verification survive)"
stop_node

# 2. A node on the real Kafka and Redis: the ecosystem's root admits it, it trusts that root.
data=$work/distributed
ecosystem_init "$work/secretariat" "$MC_KAFKA_BOOTSTRAP" "e2e-$RANDOM$RANDOM"
ecosystem_admit uclouvain "$data" --legal-name="Université catholique de Louvain"
start_node "$data" --kafka="$MC_KAFKA_BOOTSTRAP" --redis="$MC_REDIS_ADDR" "${node_trust[@]}" \
  --public-url=https://uclouvain.example --redis-prefix="e2e-$RANDOM:" --grpc-reflection
check_node kafka "$data/token"
echo "mcnode grpcurl e2e: all checks passed"
