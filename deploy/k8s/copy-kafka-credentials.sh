#!/usr/bin/env bash
# copy-kafka-credentials.sh USER NAMESPACE [KAFKA_NAMESPACE] [CLUSTER] [SECRET]
# Copies the client certificate of the Strimzi KafkaUser USER (Secret USER in KAFKA_NAMESPACE,
# default kafka) and the cluster CA certificate (Secret CLUSTER-cluster-ca-cert, CLUSTER default
# microcred) into the Secret SECRET (default kafka-client) of NAMESPACE, as user.crt, user.key
# and ca.crt: what the node's pods (and the secretariat's console) mount. A node in a second
# ecosystem has one such Secret per cluster, e.g. for the alliance's:
#   copy-kafka-credentials.sh univ-alma mc-univ-alma kafka-campus-europa microcred \
#     kafka-client-campus-europa
# Run it again when Strimzi renews the certificate or the CA, then restart the pods (docs/OPERATIONS.md).
set -euo pipefail

usage="usage: $0 USER NAMESPACE [KAFKA_NAMESPACE] [CLUSTER] [SECRET]"
user=${1:?$usage}
namespace=${2:?$usage}
kafka_namespace=${3:-kafka}
cluster=${4:-microcred}
secret=${5:-kafka-client}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
umask 077
field() {  # field SECRET KEY FILE
  kubectl -n "$kafka_namespace" get secret "$1" -o "jsonpath={.data.${2//./\\.}}" | base64 -d >"$dir/$3"
  [[ -s $dir/$3 ]] || { echo "$0: secret $kafka_namespace/$1 has no $2" >&2; exit 1; }
}
field "$user" user.crt user.crt
field "$user" user.key user.key
field "$cluster-cluster-ca-cert" ca.crt ca.crt
kubectl -n "$namespace" create secret generic "$secret" \
  --from-file=user.crt="$dir/user.crt" --from-file=user.key="$dir/user.key" \
  --from-file=ca.crt="$dir/ca.crt" --dry-run=client -o yaml | kubectl apply -f -
echo "$secret in $namespace now holds the certificate of KafkaUser $user of $kafka_namespace/$cluster"
