#!/usr/bin/env bash
# Installs what building and testing need, and only what is missing: the Debian packages,
# then the Kafka broker classpath (tests/infra/kafka/lib), then the tools in .deps/ (grpcurl, and
# kustomize and a Python environment for validating the Kubernetes manifests). Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  cmake ninja-build g++ pkg-config ccache clang-format clang-14
  libxml2-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto libabsl-dev
  librdkafka-dev libhiredis-dev libsodium-dev nlohmann-json3-dev libgtest-dev googletest
  libcpp-httplib-dev zlib1g-dev libssl-dev libsimdjson-dev libcurl4-openssl-dev
  redis-server redis-tools kcat openjdk-17-jre-headless maven curl python3-venv
  openjdk-17-jdk-headless
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Node.js and npm run the independent JOSE check (tests/jose-interop). Machines here come with
# them; Debian's own packages are the fallback.
if ! command -v npm >/dev/null; then
  echo "install-deps: installing nodejs npm"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q nodejs npm
fi

# ---- Browser tests of the web pages (tests/browser) ----------------------------------------
# Debian's Chromium, driven by playwright-core (no browser download: Playwright's own builds
# are not used), installed from the lock into the build tree by tests/browser/run.sh; warmed
# here into build/browser-npm so that a machine set up by this script runs them offline.
if ! dpkg -s chromium 2>/dev/null | grep -q '^Status: install ok installed'; then
  echo "install-deps: installing chromium"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium
fi
browser_npm=$root/build/browser-npm
browser_want=$(cat "$root/tests/browser/package.json" "$root/tests/browser/package-lock.json" |
  sha256sum | cut -d' ' -f1)
if [[ $(cat "$browser_npm/.installed" 2>/dev/null) != "$browser_want" ]]; then
  echo "install-deps: npm ci for the browser tests"
  rm -rf "$browser_npm"
  mkdir -p "$browser_npm"
  cp "$root/tests/browser/package.json" "$root/tests/browser/package-lock.json" "$browser_npm/"
  (cd "$browser_npm" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
    --ignore-scripts --loglevel=error)
  echo "$browser_want" >"$browser_npm/.installed"
fi
# ---- end of the browser tests' block ---------------------------------------------------------

# The Open Badges 3.0 conformance check (tests/conformance): a Python venv and npm packages,
# pinned, installed by its install.sh into <build dir>/conformance-deps (where the check's CTest
# looks; `make test` runs it in both builds), so that a machine set up by this script runs it
# offline.
for build_dir in build build-asan; do
  "$root/tests/conformance/install.sh" "$root/$build_dir/conformance-deps"
done

# Kafka broker classpath, resolved from Maven Central by tests/infra/kafka/pom.xml. The
# stamp records the pom's hash, so editing the pom (e.g. the version) re-resolves.
kafka=$root/tests/infra/kafka
want=$(sha256sum "$kafka/pom.xml" | cut -d' ' -f1)
if [[ $(cat "$kafka/lib/.complete" 2>/dev/null) != "$want" ]]; then
  echo "install-deps: resolving the Kafka broker classpath"
  rm -rf "${kafka:?}/lib"
  log=$(mktemp)
  if ! mvn -B -ntp -f "$kafka/pom.xml" package >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  rm -rf "$kafka/target"
  echo "$want" >"$kafka/lib/.complete"
fi

# The independent JAdES validator (tests/jades-interop): the EU's DSS library from Maven
# Central, compiled with ValidateJades into tests/jades-interop/lib by its pom.xml. The stamp
# records the hash of the pom and the sources, so editing either re-resolves.
jades=$root/tests/jades-interop
want=$(cat "$jades/pom.xml" "$jades"/src/main/java/microcred/interop/*.java | sha256sum | cut -d' ' -f1)
if [[ $(cat "$jades/lib/.complete" 2>/dev/null) != "$want" ]]; then
  echo "install-deps: resolving the DSS classpath (tests/jades-interop)"
  rm -rf "${jades:?}/lib"
  log=$(mktemp)
  if ! mvn -B -ntp -f "$jades/pom.xml" package >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  rm -rf "$jades/target"
  echo "$want" >"$jades/lib/.complete"
fi

# grpcurl, for the end-to-end tests that call the nodes as an operator would. Not in Debian 12:
# built from the Go module proxy into .deps/bin (gitignored).
grpcurl_version=v1.9.1
if [[ ! -x $root/.deps/bin/grpcurl ]]; then
  echo "install-deps: building grpcurl $grpcurl_version"
  command -v go >/dev/null || { echo "install-deps: Go is needed to build grpcurl" >&2; exit 1; }
  GOBIN=$root/.deps/bin go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$grpcurl_version"
fi

# kustomize, to render deploy/k8s (tests/deploy/validate.sh). Debian 12's kubernetes-client is
# kubectl 1.20, whose built-in kustomize (v2) cannot read today's kustomization fields; this is
# the kustomize that current kubectl releases embed, built from the Go module proxy. The version
# is in the file name, so changing it here builds the new one.
kustomize_version=v5.7.1
if [[ ! -x $root/.deps/bin/kustomize-$kustomize_version ]]; then
  echo "install-deps: building kustomize $kustomize_version"
  command -v go >/dev/null || { echo "install-deps: Go is needed to build kustomize" >&2; exit 1; }
  gobin=$(mktemp -d)
  log=$(mktemp)
  if ! GOBIN=$gobin go install "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version" >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$log" "$gobin"
    exit 1
  fi
  rm -f "$log"
  mkdir -p "$root/.deps/bin"
  mv "$gobin/kustomize" "$root/.deps/bin/kustomize-$kustomize_version"
  rmdir "$gobin"
fi
ln -sfn "kustomize-$kustomize_version" "$root/.deps/bin/kustomize"

# The Python packages that validate the rendered manifests (kubernetes-validate with its bundled
# Kubernetes schemas, jsonschema for the Strimzi CRD schemas), pinned in
# tests/deploy/requirements.txt, in a virtual environment; the stamp records the file's hash.
venv=$root/.deps/deploy-venv
want=$(sha256sum "$root/tests/deploy/requirements.txt" | cut -d' ' -f1)
if [[ $(cat "$venv/.complete" 2>/dev/null) != "$want" ]]; then
  echo "install-deps: installing the manifest validators (tests/deploy/requirements.txt)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  log=$(mktemp)
  if ! "$venv/bin/pip" install --disable-pip-version-check -q -r "$root/tests/deploy/requirements.txt" \
    >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  echo "$want" >"$venv/.complete"
fi
