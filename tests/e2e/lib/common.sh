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
