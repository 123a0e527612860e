# shellcheck shell=bash
# Helpers the end-to-end scripts share; sourced, not run (run-e2e.sh runs tests/e2e/*.sh only).

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# spec_json LOCAL_ID TITLE [REQUEST_ID]: a PublishSpecificationRequest for uclouvain with every
# Annex I element; without REQUEST_ID the request carries none (mcctl derives one).
spec_json() {
  local request_id=${3:+"\"request_id\": \"$3\", "}
  cat <<JSON
{$request_id"local_id": "$1", "content": {
  "title": "$2", "awarding_bodies": ["uclouvain"], "country": "BE", "region": "BE-WAL",
  "learning_outcomes": [{"text": "Explain the principles of open science"}],
  "workload": {"ects": 2}, "eqf_level": 7, "qf_ehea_cycle": "QF_EHEA_CYCLE_SECOND",
  "assessment_type": "ASSESSMENT_TYPE_PROJECT", "form_of_participation": "FORM_OF_PARTICIPATION_ONLINE",
  "quality_assurance": {"type": "QUALITY_ASSURANCE_TYPE_EXTERNAL", "qa_body": "AEQES"},
  "languages": ["fr"], "credit_bearing": true}}
JSON
}

# one_node_work_dir: for a script that runs one node. Sets $work (a temporary directory) and
# $pid (empty; the script sets it to the node's process), and at exit stops that process and
# removes $work. fail MESSAGE then prints MESSAGE, the last command's output ($work/out,
# $work/err) and the node's log ($work/node.log), and exits 1.
one_node_work_dir() {
  work=$(mktemp -d)
  pid=
  trap one_node_cleanup EXIT
}
one_node_cleanup() {
  if [[ -n ${pid:-} ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
fail() {
  echo "FAIL: $*" >&2
  for f in "$work/out" "$work/err"; do
    [[ -s $f ]] && { echo "--- ${f##*/}:" >&2; tail -20 "$f" >&2; }
  done
  [[ -f $work/node.log ]] && { echo "--- node log (tail):" >&2; tail -20 "$work/node.log" >&2; }
  exit 1
}

# decision_json full|partial ORIGINAL_ECTS RECOGNISED_ECTS REASONS [REMEDY...]: a recognition
# decision on the five elements. full: all comparable; partial: the workload is a substantial
# difference, justified. Remedies default to REMEDY_INTERNAL_APPEAL.
decision_json() {
  local kind=$1 original=$2 recognised=$3 reasons=$4
  shift 4
  local remedies=("${@:-REMEDY_INTERNAL_APPEAL}") workload='"assessment": "ASSESSMENT_COMPARABLE"'
  local outcome=RECOGNITION_OUTCOME_FULL reason=REASON_CODE_ALL_ELEMENTS_COMPARABLE
  if [[ $kind == partial ]]; then
    outcome=RECOGNITION_OUTCOME_PARTIAL reason=REASON_CODE_WORKLOAD_INSUFFICIENT
    workload='"assessment": "ASSESSMENT_SUBSTANTIAL_DIFFERENCE",
   "justification": "The credential carries fewer ECTS than the component."'
  fi
  local remedy_list
  remedy_list=$(printf '"%s", ' "${remedies[@]}")
  cat <<JSON
{"outcome": "$outcome",
 "findings": [
  {"element": "COMPARISON_ELEMENT_LEVEL", "assessment": "ASSESSMENT_COMPARABLE"},
  {"element": "COMPARISON_ELEMENT_WORKLOAD", $workload},
  {"element": "COMPARISON_ELEMENT_QUALITY_ASSURANCE", "assessment": "ASSESSMENT_COMPARABLE"},
  {"element": "COMPARISON_ELEMENT_LEARNING_OUTCOMES", "assessment": "ASSESSMENT_COMPARABLE"},
  {"element": "COMPARISON_ELEMENT_PROFILE", "assessment": "ASSESSMENT_COMPARABLE"}],
 "reason_codes": ["$reason"], "reasons": "$reasons",
 "original_ects": $original, "recognised_ects": $recognised, "remedies": [${remedy_list%, }]}
JSON
}

# out_has TEXT / err_has TEXT: the last command's stdout ($work/out) or stderr ($work/err)
# holds TEXT, or the script fails saying so.
out_has() { grep -qF -- "$1" "$work/out" || fail "stdout lacks \"$1\""; }
err_has() { grep -qF -- "$1" "$work/err" || fail "stderr lacks \"$1\""; }

# ---- An ecosystem as production sets it up (docs/OPERATIONS.md, "The secretariat") ----
# A node on Kafka trusts only its ecosystem root's public key: development mode (--dev) is for
# one node on the embedded engines and is refused with --kafka. These make the root, admit the
# members and mint their staff tokens with mcctl (the script sets $mcctl), as a secretariat and
# an identity provider would.
#
# ecosystem_init DIR KAFKA ECOSYSTEM [PROFILE]: the root key (DIR/root.key), the ecosystem's
# definition with the rules PROFILE names (default fwb), and a token issuer's key
# (DIR/tokens.key). Sets $root_public_key, $token_keys (a node's --token-keys) and node_trust, the
# flags every node of the ecosystem takes (--ecosystem, --root-public-key, --token-keys).
ecosystem_init() {
  ecosystem_dir=$1 ecosystem_kafka=$2 ecosystem_id=$3
  local profile=${4:-fwb}
  mkdir -p "$ecosystem_dir"
  "$mcctl" registry init-root --root-key-file="$ecosystem_dir/root.key" \
    >"$ecosystem_dir/out" 2>&1 || fail "mcctl registry init-root: $(tail -3 "$ecosystem_dir/out")"
  root_public_key=$(awk '/^root public key:/ {print $4}' "$ecosystem_dir/out")
  [[ -n $root_public_key ]] || fail "mcctl registry init-root printed no root public key"
  # The ecosystem's rules, as its secretariat states them in its registry (FWB's by default).
  "$mcctl" registry define-ecosystem --kafka="$ecosystem_kafka" --ecosystem="$ecosystem_id" \
    --root-key-file="$ecosystem_dir/root.key" --profile="$profile" >"$ecosystem_dir/out" 2>&1 ||
    fail "mcctl registry define-ecosystem: $(tail -3 "$ecosystem_dir/out")"
  "$mcctl" --output=json key create --key-file="$ecosystem_dir/tokens.key" \
    >"$ecosystem_dir/out" 2>&1 || fail "mcctl key create (token issuer): $(tail -3 "$ecosystem_dir/out")"
  token_keys=$(python3 -c 'import json,sys; k=json.load(sys.stdin); print(k["key_id"] + "=e2e-idp=" + k["public_key"])' \
    <"$ecosystem_dir/out")
  node_trust=(--ecosystem="$ecosystem_id" --root-public-key="$root_public_key" --token-keys="$token_keys")
}

# ecosystem_admit INSTITUTION DATA_DIR [ADMIT_FLAGS...]: the institution's event key, made in
# DATA_DIR/event-signing.key where its node reads it; its admission by the root (ADMIT_FLAGS are
# further `mcctl registry admit` flags, e.g. --legal-name or --provider-type, and win over the
# defaults); and DATA_DIR/token, a one-hour staff token for the node INSTITUTION-node with every
# staff role.
ecosystem_admit() {
  local institution=$1 data=$2 node_key
  shift 2
  mkdir -p "$data"
  "$mcctl" key create --key-file="$data/event-signing.key" >"$ecosystem_dir/out" 2>&1 ||
    fail "mcctl key create for $institution: $(tail -3 "$ecosystem_dir/out")"
  node_key=$(awk '/^public key:/ {print $3}' "$ecosystem_dir/out")
  "$mcctl" registry admit "$institution" --kafka="$ecosystem_kafka" --ecosystem="$ecosystem_id" \
    --root-key-file="$ecosystem_dir/root.key" --public-key="$node_key" --legal-name="$institution" \
    --public-url="https://$institution.example" "$@" >"$ecosystem_dir/out" 2>&1 ||
    fail "mcctl registry admit $institution: $(tail -3 "$ecosystem_dir/out")"
  "$mcctl" token mint --key-file="$ecosystem_dir/tokens.key" --issuer=e2e-idp \
    --audience="$institution-node" --institution="$institution" --subject="staff@$institution" \
    --roles=registrar,catalogue_editor,recognition_officer,pathway_editor --ttl=1h \
    >"$data/token" 2>"$ecosystem_dir/out" || fail "mcctl token mint for $institution: $(tail -3 "$ecosystem_dir/out")"
}
