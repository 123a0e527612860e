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
