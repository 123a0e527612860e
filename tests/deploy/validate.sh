#!/usr/bin/env bash
# validate.sh: renders every Kubernetes kustomization in deploy/k8s and checks the result offline
# (run by `make test`, through `make test-deploy`):
#   1. the base, every overlay, the two ecosystems' Kafkas and the secretariat's kustomizations
#      render with the pinned kustomize;
#   2. tests/deploy/validate_manifests.py checks every rendered resource strictly: built-in kinds
#      against the Kubernetes schemas bundled with kubernetes-validate, Strimzi kinds against the
#      CRD schemas of the Strimzi release pinned in deploy/k8s/kafka/crds, plus the project's
#      rules (non-root, read-only root, probes, topics, ACLs; the node's processes: stacking
#      reaches the issuance Service, only issuance and stacking see internal-token.key, every
#      process serves Prometheus metrics on a port the monitoring namespace may reach, none
#      serves gRPC reflection or runs in development mode; every member's KafkaUser has quotas;
#      every ecosystem a node joins, by MC_ECOSYSTEMS_FILE or MC_KAFKA, has its Kafka
#      configuration and certificates mounted and its brokers reachable, and a KafkaUser of
#      the institution in its cluster, whose listener admits the node's namespace);
#   3. negative self-checks: broken manifests made here must be rejected, each for its reason,
#      so a validator that passes everything fails this script.
# The tools come from scripts/install-deps.sh (.deps/); a missing tool is a failure, not a skip.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
k8s=$root/deploy/k8s
kustomize=$root/.deps/bin/kustomize
python=$root/.deps/deploy-venv/bin/python
validator=$root/tests/deploy/validate_manifests.py
crds=$k8s/kafka/crds
header=$root/libs/events/topics.h
# The oldest Kubernetes the manifests support (native gRPC probes, PDB unhealthyPodEvictionPolicy)
# and the newest whose schemas kubernetes-validate bundles.
versions=(--k8s-version 1.30 --k8s-version 1.37)

for tool in "$kustomize" "$python"; do
  if [[ ! -x $tool ]]; then
    echo "FAIL: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# ---- 1. render ----
render() {  # render DIR OUT
  if "$kustomize" build "$1" >"$2" 2>"$work/render.err"; then
    pass "rendered ${1#"$root"/} ($(grep -c '^kind:' "$2") resources)"
  else
    fail "kustomize build ${1#"$root"/}: $(cat "$work/render.err")"
  fi
}
render "$k8s/base" "$work/base.yaml"
render "$k8s/kafka" "$work/kafka.yaml"
render "$k8s/kafka-alliance" "$work/kafka-alliance.yaml"
render "$k8s/secretariat" "$work/secretariat.yaml"
overlays=()
for dir in "$k8s"/overlays/*/; do
  name=$(basename "$dir")
  render "$dir" "$work/overlay-$name.yaml"
  overlays+=(--overlay "$work/overlay-$name.yaml")
done
((${#overlays[@]} >= 3)) || fail "expected three overlays or more in deploy/k8s/overlays"

# ---- 2. validate what was rendered ----
if ((failed == 0)); then
  if "$python" "$validator" --crds "$crds" "${versions[@]}" --topics-header "$header" \
    --kafka "$work/kafka.yaml" --kafka "$work/kafka-alliance.yaml" "${overlays[@]}" \
    "$work/base.yaml" "$work/secretariat.yaml" \
    >"$work/out" 2>&1; then
    pass "$(tail -1 "$work/out")"
  else
    cat "$work/out"
    fail "the rendered manifests do not validate"
  fi
fi

# ---- 3. negative self-checks: each broken input must be rejected, for the reason given ----
# rejects NAME EXPECTED_MESSAGE VALIDATOR_ARGS...: the validator must fail and say EXPECTED.
rejects() {
  local name=$1 expected=$2 rc=0
  shift 2
  "$python" "$validator" --crds "$crds" "${versions[@]}" "$@" >"$work/neg.out" 2>&1 || rc=$?
  if ((rc == 0)); then
    fail "negative check '$name': the validator accepted it"
  elif ! grep -qF -- "$expected" "$work/neg.out"; then
    fail "negative check '$name': rejected, but not for '$expected':"
    cat "$work/neg.out"
  else
    pass "negative check '$name' rejected"
  fi
}
# mutate IN OUT PYTHON: OUT is IN's resources after the Python statements (on `docs`, a list of
# dicts) have run.
mutate() {
  "$python" - "$1" "$2" "$3" <<'EOF'
import sys, yaml
src, dst, code = sys.argv[1:]
docs = [d for d in yaml.safe_load_all(open(src)) if d]
def find(kind, name=None):
    return next(d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name))
exec(code)
yaml.safe_dump_all(docs, open(dst, "w"), sort_keys=False)
EOF
}

if [[ -s $work/kafka.yaml && -s $work/overlay-university.yaml ]]; then
  u=$work/overlay-university.yaml
  mutate "$u" "$work/n1.yaml" \
    'find("Deployment", "mc-issuance")["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"'
  rejects "unknown field in a Deployment (strict schema)" "imagePullPolicyy" "$work/n1.yaml"

  mutate "$u" "$work/n-ingress.yaml" \
    'find("Ingress", "grpc")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"] = "64m"'
  rejects "an ingress passes bodies larger than the node takes" "exceeds the node's limit" "$work/n-ingress.yaml"

  mutate "$u" "$work/n2.yaml" \
    'find("StatefulSet", "redis")["spec"]["replicas"] = "one"'
  rejects "wrong type in a StatefulSet" "spec.replicas" "$work/n2.yaml"

  mutate "$u" "$work/n3.yaml" \
    'del find("Deployment", "mc-catalogue")["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFilesystem"]'
  rejects "writable root filesystem" "readOnlyRootFilesystem is not true" "$work/n3.yaml"

  mutate "$u" "$work/n4.yaml" \
    'del find("Deployment", "mc-recognition")["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]'
  rejects "no liveness probe" "livenessProbe is not a gRPC health probe" "$work/n4.yaml"

  mutate "$u" "$work/n5.yaml" \
    'find("Deployment", "mc-stacking")["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.org/microcred/node:set-by-overlay"'
  rejects "placeholder left in an overlay" "placeholder" --overlay "$work/n5.yaml"

  mutate "$u" "$work/n6.yaml" 'docs.append({"apiVersion": "example.org/v1", "kind": "Gadget", "metadata": {"name": "x"}})'
  rejects "unknown kind" "Couldn't find schema for kind Gadget" "$work/n6.yaml"

  # The node's own rules: stacking reaches issuance, the internal key is shared by exactly
  # issuance and stacking, every process serves metrics.
  stacking='find("Deployment", "mc-stacking")["spec"]["template"]["spec"]["containers"][0]'
  mutate "$u" "$work/n14.yaml" \
    "c = $stacking; c['env'] = [e for e in c['env'] if e['name'] != 'MC_ISSUANCE_ADDRESS']"
  rejects "stacking without MC_ISSUANCE_ADDRESS" "no MC_ISSUANCE_ADDRESS" "$work/n14.yaml"

  mutate "$u" "$work/n15.yaml" \
    "next(e for e in ${stacking}['env'] if e['name'] == 'MC_ISSUANCE_ADDRESS')['value'] = 'catalogue:7443'"
  rejects "stacking pointed at another Service" "MC_ISSUANCE_ADDRESS 'catalogue:7443' is not the mc-issuance Service" \
    "$work/n15.yaml"

  mutate "$u" "$work/n16.yaml" \
    'next(v for v in find("Deployment", "mc-catalogue")["spec"]["template"]["spec"]["volumes"] if v["name"] == "keys")["secret"]["items"].append({"key": "internal-token.key", "path": "internal-token.key"}); find("Deployment", "mc-catalogue")["spec"]["template"]["spec"]["containers"][0]["volumeMounts"].append({"name": "keys", "mountPath": "/var/lib/microcred/internal-token.key", "subPath": "internal-token.key", "readOnly": True})'
  rejects "the catalogue mounts the internal token key" "Deployment/mc-catalogue: mounts internal-token.key" \
    "$work/n16.yaml"

  mutate "$u" "$work/n17.yaml" \
    'next(v for v in find("Deployment", "mc-issuance")["spec"]["template"]["spec"]["volumes"] if v["name"] == "keys")["secret"]["items"].pop()'
  rejects "issuance without the internal token key" "Deployment/mc-issuance: does not mount internal-token.key" \
    "$work/n17.yaml"

  mutate "$u" "$work/n19.yaml" \
    'c = find("StatefulSet", "redis")["spec"]["template"]["spec"]["containers"][0]; c["args"] = c["args"][:3]'
  rejects "a Redis without a password" "StatefulSet/redis: Redis does not require the password" \
    "$work/n19.yaml"

  mutate "$u" "$work/n20.yaml" \
    'c = find("Deployment", "mc-recognition")["spec"]["template"]["spec"]["containers"][0]; c["volumeMounts"] = [m for m in c["volumeMounts"] if m["name"] != "redis-auth"]'
  rejects "a process without the Redis password" "Deployment/mc-recognition: MC_REDIS_PASSWORD_FILE" \
    "$work/n20.yaml"

  mutate "$u" "$work/n18.yaml" \
    'c = find("Deployment", "mc-recognition")["spec"]["template"]["spec"]["containers"][0]; c["ports"] = [p for p in c["ports"] if p["name"] != "metrics"]'
  rejects "a process without its metrics port" "Deployment/mc-recognition: no containerPort named 'metrics'" \
    "$work/n18.yaml"

  mutate "$u" "$work/n19.yaml" 'docs.remove(find("NetworkPolicy", "stacking-to-issuance"))'
  rejects "no route from stacking to issuance" "no NetworkPolicy lets mc-stacking reach mc-issuance" \
    "$work/n19.yaml"

  mutate "$u" "$work/n21.yaml" \
    'next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("node-config"))["data"]["MC_GRPC_REFLECTION"] = "true"'
  rejects "a node serving gRPC reflection" "MC_GRPC_REFLECTION is 'true'" "$work/n21.yaml"

  mutate "$u" "$work/n22.yaml" \
    'find("Deployment", "mc-catalogue")["spec"]["template"]["spec"]["containers"][0]["env"].append({"name": "MC_DEV", "value": "yes"})'
  rejects "a node in development mode" "MC_DEV is 'yes'" "$work/n22.yaml"

  k=$work/kafka.yaml
  mutate "$k" "$work/n7.yaml" 'find("KafkaTopic", "mc-issuance-v1")["spec"]["partitions"] = "sixty-four"'
  rejects "wrong type in a KafkaTopic (Strimzi schema)" "'sixty-four' is not of type 'integer'" \
    --topics-header "$header" --kafka "$work/n7.yaml"

  mutate "$k" "$work/n8.yaml" 'find("KafkaUser", "univ-alma")["spec"]["authorisation"] = {"type": "simple"}'
  rejects "unknown field in a KafkaUser (strict Strimzi schema)" "'authorisation' was unexpected" \
    --topics-header "$header" --kafka "$work/n8.yaml"

  mutate "$k" "$work/n9.yaml" 'find("Kafka")["spec"]["kafka"]["listeners"][0]["type"] = "public"'
  rejects "bad enum value in the Kafka (Strimzi schema)" "'public' is not one of" \
    --topics-header "$header" --kafka "$work/n9.yaml"

  mutate "$k" "$work/n10.yaml" \
    'find("KafkaUser", "he-ardenne")["spec"]["authorization"]["acls"].append({"resource": {"type": "topic", "name": "mc.", "patternType": "prefix"}, "operations": ["Write"]})'
  rejects "a member may write the registry topic" "KafkaUser he-ardenne may write mc.registry.v1" \
    --topics-header "$header" --kafka "$work/n10.yaml"

  mutate "$k" "$work/n11.yaml" 'docs.remove(find("KafkaTopic", "mc-deadletter-v1"))'
  rejects "a topic of libs/events/topics.h has no KafkaTopic" "no KafkaTopic for mc.deadletter.v1" \
    --topics-header "$header" --kafka "$work/n11.yaml"

  mutate "$k" "$work/n12.yaml" 'find("KafkaTopic", "mc-registry-v1")["spec"]["config"]["retention.ms"] = 604800000'
  rejects "the registry topic expires" "mc.registry.v1 must be kept forever" \
    --topics-header "$header" --kafka "$work/n12.yaml"

  mutate "$k" "$work/n23.yaml" 'del find("KafkaUser", "he-ardenne")["spec"]["quotas"]["requestPercentage"]'
  rejects "a member without a request quota" "KafkaUser he-ardenne has no quota requestPercentage" \
    --topics-header "$header" --kafka "$work/n23.yaml"

  mutate "$k" "$work/n13.yaml" 'docs.remove(find("KafkaUser", "skillforge"))'
  rejects "an overlay's institution has no KafkaUser" "no KafkaUser for the institution 'skillforge'" \
    --topics-header "$header" --kafka "$work/n13.yaml" "${overlays[@]}"
else
  fail "negative checks need the rendered university overlay and Kafka"
fi

# A node in two ecosystems: every ecosystem of its file has its Kafka configuration, its
# certificates and a way to its brokers; its institution has a user in each cluster.
ua=$work/overlay-university-alliance.yaml
ka=$work/kafka-alliance.yaml
if [[ -s $ua && -s $ka ]]; then
  two=(--topics-header "$header" --kafka "$work/kafka.yaml" --kafka "$ka")
  deployment='find("Deployment", "mc-recognition")["spec"]["template"]["spec"]'
  # The same rules hold for a node of one ecosystem (MC_KAFKA, MC_KAFKA_CONFIG).
  mutate "$work/overlay-university.yaml" "$work/e0.yaml" \
    'c = find("Deployment", "mc-catalogue")["spec"]["template"]["spec"]["containers"][0]; c["volumeMounts"] = [m for m in c["volumeMounts"] if m["name"] != "kafka-tls"]'
  rejects "a one-ecosystem node without its Kafka certificates" \
    "ecosystem example-alliance: ssl.ca.location /etc/microcred/kafka-tls/ca.crt" \
    --topics-header "$header" --kafka "$work/kafka.yaml" --overlay "$work/e0.yaml"

  mutate "$ua" "$work/e1.yaml" \
    "s = $deployment; s['containers'][0]['volumeMounts'] = [m for m in s['containers'][0]['volumeMounts'] if m['name'] != 'kafka-tls-campus-europa']"
  rejects "an ecosystem's certificates not mounted" \
    "ecosystem campus-europa: ssl.ca.location /etc/microcred/kafka-tls-campus-europa/ca.crt" \
    "${two[@]}" --overlay "$work/e1.yaml"

  mutate "$ua" "$work/e2.yaml" 'docs.remove(find("NetworkPolicy", "node-to-kafka-campus-europa"))'
  rejects "no egress to an ecosystem's brokers" \
    "ecosystem campus-europa: no NetworkPolicy lets it reach the brokers of microcred-kafka-bootstrap.kafka-campus-europa.svc:9093" \
    "${two[@]}" --overlay "$work/e2.yaml"

  mutate "$ua" "$work/e3.yaml" \
    'del next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("kafka-client-config"))["data"]["campus-europa-kafka.properties"]'
  rejects "an ecosystem's Kafka configuration not mounted" \
    "ecosystem campus-europa: its Kafka configuration /etc/microcred/kafka-config/campus-europa-kafka.properties is not a mounted ConfigMap file" \
    "${two[@]}" --overlay "$work/e3.yaml"

  mutate "$ua" "$work/e4.yaml" \
    'next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("node-config"))["data"]["MC_KAFKA"] = "microcred-kafka-bootstrap.kafka.svc:9093"'
  rejects "the ecosystems file beside the single-ecosystem settings" \
    "MC_ECOSYSTEMS_FILE excludes MC_KAFKA" "${two[@]}" --overlay "$work/e4.yaml"

  mutate "$ua" "$work/e5.yaml" \
    'import json; cm = find("ConfigMap", "node-ecosystems"); f = json.loads(cm["data"]["ecosystems.json"]); f["ecosystems"][1]["kafka_conf"] = f["ecosystems"][1].pop("kafka_config"); cm["data"]["ecosystems.json"] = json.dumps(f)'
  rejects "a misspelt key in the ecosystems file" "ecosystems[1]: unknown key 'kafka_conf'" \
    "${two[@]}" --overlay "$work/e5.yaml"

  mutate "$ua" "$work/e6.yaml" \
    'del find("Namespace", "mc-univ-alma")["metadata"]["labels"]["microcred/campus-europa-kafka-client"]'
  rejects "a namespace the second cluster's listener does not admit" \
    "does not admit the namespace mc-univ-alma of e6.yaml" "${two[@]}" --overlay "$work/e6.yaml"

  mutate "$ka" "$work/e7.yaml" 'docs.remove(find("KafkaUser", "univ-alma"))'
  rejects "the institution has no KafkaUser in its second ecosystem" \
    "no KafkaUser for the institution 'univ-alma' of overlay-university-alliance.yaml" \
    --topics-header "$header" --kafka "$work/kafka.yaml" --kafka "$work/e7.yaml" --overlay "$ua"

  mutate "$ua" "$work/e8.yaml" \
    'import json; cm = find("ConfigMap", "node-ecosystems"); f = json.loads(cm["data"]["ecosystems.json"]); f["ecosystems"][1]["kafka"] = "microcred-kafka-bootstrap.kafka-elsewhere.svc:9093"; cm["data"]["ecosystems.json"] = json.dumps(f)'
  rejects "an ecosystem on a Kafka no manifest defines" \
    "reaches the Kafka microcred in kafka-elsewhere, which no --kafka file defines" \
    "${two[@]}" --overlay "$work/e8.yaml"
else
  fail "negative checks need the rendered university-alliance overlay and the alliance's Kafka"
fi

# A kustomization that does not render must fail here, not pass unnoticed.
mkdir -p "$work/broken"
cat >"$work/broken/kustomization.yaml" <<EOF
resources:
  - $k8s/overlays/partner
patches:
  - target:
      kind: Deployment
      name: mc-nonexistent
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 2
  - path: missing-patch.yaml
EOF
if "$kustomize" build "$work/broken" >/dev/null 2>&1; then
  fail "negative check 'broken kustomization': kustomize rendered it"
else
  pass "negative check 'broken kustomization' rejected"
fi

echo "deploy: $passed passed, $failed failed"
((failed == 0))
