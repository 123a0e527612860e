#!/usr/bin/env bash
# Fault: an anonymous caller tries to exhaust a node's memory and threads (issue 12, items 8
# and 10). One embedded mcnode (no Kafka or Redis needed: the edges are what is under test)
# with the bulk-issuance port. Without a token, twice over:
#   - eight concurrent 60 MB calls to VerifyCredential (which needs no token) on the main port,
#     and eight to IssueCredentials on the bulk port: each refused RESOURCE_EXHAUSTED;
#   - eight 15 MB cohorts to the bulk port (within its limit): refused for want of a token;
#   - a 400 MB POST /verify: refused 413 after its headers;
#   - 60 slow-header connections: a normal GET /healthz is still answered, and the node closes
#     every slow connection although they keep sending.
# Then the node is alive, still answers, and its peak RSS (VmHWM) stayed under 400 MB (it went
# past 4 GB before the limits).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/faults/lib/common.sh
source "$here/lib/common.sh"

max_peak_mb=${MC_FAULT_MAX_PEAK_MB:-400}
node_data[a]=$work/a
node_log[a]=$work/a.log
grpc=$(free_port)
bulk=$(free_port)
http=$(free_port)
"$mcnode" --dev --institution=uclouvain --data-dir="${node_data[a]}" --listen="127.0.0.1:$grpc" \
  --bulk-listen="127.0.0.1:$bulk" --http="127.0.0.1:$http" >>"${node_log[a]}" 2>&1 &
node_pid[a]=$!
for ((i = 0; i < 300; i++)); do
  curl -fs "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break
  node_alive a || fail "the node exited during start"
  sleep 0.2
done
curl -fs "http://127.0.0.1:$http/healthz" >/dev/null || fail "the node did not serve within 60s"

peak_mb() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/${node_pid[a]}/status"; }
echo "ok: node up, peak RSS $(peak_mb) MB"

for round in 1 2; do
  "$probe" flood --node="127.0.0.1:$grpc" --calls=8 --bytes=60000000 >"$work/flood.out" 2>&1 ||
    fail "round $round, main port: $(tail -3 "$work/flood.out")"
  grep -q "code 8 " "$work/flood.out" || fail "round $round: no RESOURCE_EXHAUSTED on the main port"
  "$probe" flood --node="127.0.0.1:$bulk" --calls=8 --bytes=60000000 \
    --method=/microcred.issuance.v1.IssuanceService/IssueCredentials >"$work/flood.out" 2>&1 ||
    fail "round $round, bulk port: $(tail -3 "$work/flood.out")"
  "$probe" flood --node="127.0.0.1:$bulk" --calls=8 --bytes=15000000 \
    --method=/microcred.issuance.v1.IssuanceService/IssueCredentials >"$work/flood.out" 2>&1 ||
    fail "round $round, bulk cohorts: $(tail -3 "$work/flood.out")"
  "$probe" bigpost --http="127.0.0.1:$http" --bytes=400000000 >"$work/post.out" 2>&1 ||
    fail "round $round, POST /verify: $(cat "$work/post.out")"
  grep -Eq "answered (413|none)" "$work/post.out" || fail "POST /verify: $(cat "$work/post.out")"
  node_alive a || fail "the node died in round $round"
  echo "ok: round $round refused (peak RSS $(peak_mb) MB)"
done

"$probe" slow --http="127.0.0.1:$http" --connections=60 --max-seconds=40 >"$work/slow.out" 2>&1 ||
  fail "slow clients: $(cat "$work/slow.out")"
tail -1 "$work/slow.out"

node_alive a || fail "the node died"
curl -fs "http://127.0.0.1:$http/healthz" >/dev/null || fail "the node no longer answers"
peak=$(peak_mb)
((peak < max_peak_mb)) || fail "peak RSS $peak MB, above $max_peak_mb MB"
echo "ok: the node is alive and answers; peak RSS $peak MB (under $max_peak_mb MB)"
