#!/usr/bin/env bash
# run.sh: the browser tests of the node's public web pages. Starts an embedded development node
# (mcnode --dev) on free ports, seeds it with mcctl (a provider profile with its recognition
# policy, two specifications, three credentials for one learner, one of them revoked) and a
# tampered copy of a credential, then drives Debian's Chromium through the pages with
# playwright-core (pages.mjs). Full-page screenshots go to $MC_BUILD_DIR/browser-artifacts/.
#
# Needs the build (MC_BUILD_DIR, default build/), /usr/bin/chromium and Node.js 20 with npm;
# installs the playwright-core pinned in package-lock.json with `npm ci` under the build dir
# (reused while the lock is unchanged). Fails, never skips, when any of them is missing.
# run-e2e.sh runs it with every end-to-end script (make test).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/e2e/lib/common.sh
source "$root/tests/e2e/lib/common.sh"
build=$(cd "${MC_BUILD_DIR:-$root/build}" && pwd)
mcnode=$build/services/mcnode/mcnode
mcctl=$build/tools/mcctl/mcctl
chromium=${MC_CHROMIUM:-/usr/bin/chromium}
artifacts=$build/browser-artifacts
unset MC_NODE MC_TOKEN MC_TOKEN_FILE MC_OUTPUT MC_TIMEOUT MC_TLS MC_KAFKA MC_REDIS

fail() {
  echo "browser: FAIL: $*" >&2
  [[ -n ${work:-} && -f $work/node.log ]] && { echo "--- node log (tail):" >&2; tail -20 "$work/node.log" >&2; }
  exit 1
}

for binary in "$mcnode" "$mcctl"; do
  [[ -x $binary ]] || fail "$binary is not built"
done
[[ -x $chromium ]] || fail "$chromium not found: run scripts/install-deps.sh (Debian package chromium)"
command -v node >/dev/null || fail "node not found; install Node.js 20 or later"
command -v npm >/dev/null || fail "npm not found; install npm"
((${node_major:=$(node -p 'process.versions.node.split(".")[0]')} >= 20)) || fail "Node.js 20 or later is needed"

# playwright-core from the lock, never into the source tree; no browser download (Debian's).
install=$build/browser-npm
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
mkdir -p "$install"
exec 9>"$install.lock"
flock 9
if [[ $(cat "$install/.installed" 2>/dev/null) != "$want" || ! -d $install/node_modules/playwright-core ]]; then
  echo "browser: npm ci into $install"
  find "$install" -mindepth 1 -delete
  cp "$here/package.json" "$here/package-lock.json" "$install/"
  (cd "$install" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    fail "npm ci failed (is the npm registry reachable? scripts/install-deps.sh installs it too)"
  echo "$want" >"$install/.installed"
fi
cp "$here/pages.mjs" "$here/token.mjs" "$install/"
flock -u 9

one_node_work_dir

# The institution's identity provider: the node trusts its key for learner tokens.
token_keys=$(node "$install/token.mjs" keygen "$work")
port=$(free_port)
http_port=$(free_port)
data=$work/data
"$mcnode" --dev --institution=uclouvain --legal-name="Université catholique de Louvain" \
  --data-dir="$data" --listen="127.0.0.1:$port" --http="127.0.0.1:$http_port" \
  --public-url=https://uclouvain.example --policy=fwb --token-keys="$token_keys" \
  >"$work/node.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  if [[ -s $data/dev-token ]] && "$mcctl" --node="127.0.0.1:$port" --timeout=2s catalogue search >/dev/null 2>&1 &&
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || fail "mcnode exited during start"
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null || fail "mcnode did not answer"

ctl() { "$mcctl" --node="127.0.0.1:$port" --token-file="$data/dev-token" "$@" >"$work/out" 2>"$work/err" || {
  cat "$work/err" >&2
  fail "mcctl $1 $2 failed"
}; }

# Seed: the provider profile, two specifications, three credentials of one learner.
cat >"$work/profile.json" <<'JSON'
{"institution_id": "uclouvain", "legal_name": "Université catholique de Louvain",
  "country": "BE", "region": "BE-WBR", "provider_type": "PROVIDER_TYPE_HIGHER_EDUCATION",
  "qa_declaration": "Institutional review by AEQES (Agence pour l'évaluation de la qualité de l'enseignement supérieur).",
  "deqar_id": "DEQARINST0107", "website": "https://uclouvain.be",
  "recognition_policy": {"text": "UCLouvain recognises micro-credentials of EU providers with external quality assurance at EQF level 6 or higher, for up to 10 ECTS per programme. Other micro-credentials are assessed by the recognition officer within four months.",
    "links": ["https://uclouvain.be/fr/etudier/reconnaissance.html"]}}
JSON
ctl catalogue profile publish "$work/profile.json"
spec_json open-science "Open science in practice" >"$work/spec1.json"
ctl catalogue publish "$work/spec1.json"
cat >"$work/spec2.json" <<'JSON'
{"local_id": "data-literacy", "content": {
  "title": "Data literacy for researchers", "awarding_bodies": ["uclouvain"], "country": "BE",
  "region": "BE-WAL",
  "description": "Find, clean, analyse and present research data responsibly.",
  "learning_outcomes": [{"text": "Clean and document a research data set"},
    {"text": "Choose a suitable statistical summary and chart for a question",
     "esco_skill_uri": "http://data.europa.eu/esco/skill/3f8b6e35-6c5a-4a1e-9d8b-1b7c0b1f8c2d"}],
  "workload": {"ects": 4}, "eqf_level": 6, "qf_ehea_cycle": "QF_EHEA_CYCLE_FIRST",
  "assessment_type": "ASSESSMENT_TYPE_PORTFOLIO",
  "assessment_description": "A portfolio of three analyses, reviewed by two teachers.",
  "form_of_participation": "FORM_OF_PARTICIPATION_BLENDED",
  "quality_assurance": {"type": "QUALITY_ASSURANCE_TYPE_EXTERNAL", "qa_body": "AEQES",
    "description": "Programme reviewed in the AEQES cycle 2024."},
  "prerequisites": "A first course in statistics.",
  "supervision": "SUPERVISION_ONSITE_WITH_ID_CHECK", "stackability": "STACKABILITY_STACKABLE",
  "further_information": "Counts towards the certificate in research data management.",
  "languages": ["fr", "en"], "isced_f_code": "0542", "credit_bearing": true}}
JSON
ctl catalogue publish "$work/spec2.json"

today=$(date -u +%F)
issue() {  # issue SPEC GRADE OUT
  ctl issue --spec="$1" --issued-on="$today" --place="Louvain-la-Neuve, BE" \
    --supervision=onsite-id-check --learner-id=S0001 --given-name=Marie --family-name=Dupont \
    --email=marie.dupont@example.org --grade="$2" --grading-scheme="Belgian 0-20 scale" --out="$3"
  awk '/^credential_id:/ {print $2}' "$work/out"
}
issue uclouvain/open-science 16/20 "$work/valid.jws" >/dev/null
issue uclouvain/data-literacy 15/20 "$work/second.jws" >/dev/null
revoked_id=$(issue uclouvain/open-science 11/20 "$work/revoked.jws")
[[ $revoked_id == urn:uuid:* ]] || fail "no credential id for the credential to revoke"
ctl revoke "$revoked_id" --reason="Assessment irregularity established by the exam board"

# A tampered copy: one character of the payload changed.
python3 - "$work/valid.jws" "$work/tampered.jws" <<'PY'
import sys
header, payload, signature = open(sys.argv[1]).read().strip().split(".")
i = len(payload) // 2
payload = payload[:i] + ("B" if payload[i] != "B" else "C") + payload[i + 1:]
open(sys.argv[2], "w").write(".".join([header, payload, signature]))
PY
learner_token=$(node "$install/token.mjs" mint "$work" S0001 uclouvain uclouvain-node)

rm -rf "$artifacts"
mkdir -p "$artifacts"
echo "browser: node at http://127.0.0.1:$http_port; screenshots in $artifacts"
MC_WEB_URL="http://127.0.0.1:$http_port" MC_ARTIFACTS="$artifacts" MC_CHROMIUM="$chromium" \
  MC_VALID_JWS="$work/valid.jws" MC_REVOKED_JWS="$work/revoked.jws" \
  MC_TAMPERED_JWS="$work/tampered.jws" MC_LEARNER_TOKEN="$learner_token" \
  MC_PROFILE_DIR="$work/chromium-profile" \
  node "$install/pages.mjs" || fail "the browser test failed (screenshots so far in $artifacts)"
echo "browser: PASS ($(find "$artifacts" -name '*.png' | wc -l) screenshots in $artifacts)"
