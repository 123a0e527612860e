#!/usr/bin/env bash
# install.sh DEPS_DIR: installs what the conformance check runs, pinned, into DEPS_DIR (never
# into the source tree): a Python venv from requirements.txt (DEPS_DIR/venv) and the npm
# packages of package-lock.json (DEPS_DIR/npm, `npm ci`). Each is reused while its pins are
# unchanged (a stamp holds their hash); a lock keeps two runs from installing at once.
# run.sh calls it before every run; scripts/install-deps.sh calls it for build/ so that a
# machine set up by that script runs the check offline. Exits non-zero, saying why, when an
# install fails: the check fails, never skips.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deps=${1:?usage: install.sh DEPS_DIR}

fail() {
  echo "conformance: FAIL: $*" >&2
  exit 1
}

command -v python3 >/dev/null || fail "python3 not found; install Python 3.10 or later"
command -v node >/dev/null || fail "node not found; install Node.js 20 or later"
command -v npm >/dev/null || fail "npm not found; install npm (it comes with Node.js)"
((${node_major:=$(node -p 'process.versions.node.split(".")[0]')} >= 20)) ||
  fail "Node.js $(node --version) is too old; 20 or later is needed"

mkdir -p "$deps"
exec 9>"$deps/install.lock"
flock 9

venv=$deps/venv
want=$( (cat "$here/requirements.txt"; python3 --version) | sha256sum | cut -d' ' -f1)
if [[ $(cat "$venv/.installed" 2>/dev/null) != "$want" ]]; then
  echo "conformance: creating the Python venv in $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -r "$here/requirements.txt" || fail "pip install failed (is PyPI reachable?)"
  "$venv/bin/pip" check --disable-pip-version-check >/dev/null ||
    fail "requirements.txt misses a dependency: $("$venv/bin/pip" check 2>&1 | head -3)"
  echo "$want" >"$venv/.installed"
fi

npm_dir=$deps/npm
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ $(cat "$npm_dir/.installed" 2>/dev/null) != "$want" ]]; then
  echo "conformance: npm ci into $npm_dir"
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    fail "npm ci failed (is the npm registry reachable?)"
  echo "$want" >"$npm_dir/.installed"
fi
