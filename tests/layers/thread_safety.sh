#!/usr/bin/env bash
# thread_safety.sh BUILD_DIR: the compiler's check of the locks our code declares.
#
# The code is built with g++, which ignores Abseil's thread annotations (ABSL_GUARDED_BY,
# ABSL_EXCLUSIVE_LOCKS_REQUIRED, ...). Clang checks them: every source file that declares or
# takes an absl::Mutex is compiled here with clang++ -fsyntax-only -Wthread-safety, warnings as
# errors, with the flags of BUILD_DIR/compile_commands.json. A helper called without the lock
# it requires, or a guarded member read without its lock, fails the test.
#
# thread_safety.sh --self-test BUILD_DIR: also checks that a planted mistake is caught.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
self_test=false
if [[ ${1:-} == --self-test ]]; then
  self_test=true
  shift
fi
build=$(cd "${1:?usage: thread_safety.sh [--self-test] BUILD_DIR}" && pwd)
clang=$(command -v clang++-14 || command -v clang++ || true)
if [[ -z $clang ]]; then
  echo "thread_safety: clang++ is not installed (make deps installs clang-14)" >&2
  exit 1
fi
flags=(-fsyntax-only -std=c++20 -Wthread-safety -Werror=thread-safety "-I$root"
  "-I$build/proto/gen" -DSIMDJSON_THREADS_ENABLED=1 -isystem /usr/include/hiredis
  -isystem /usr/include/libxml2)

check() {  # check FILE: 0 when clang finds nothing
  "$clang" "${flags[@]}" -x c++ "$1"
}

if $self_test; then
  planted=$(mktemp --suffix=.cc)
  trap 'rm -f "$planted"' EXIT
  cat >"$planted" <<'EOF'
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
class Counter {
 public:
  void Add() { ++count_; }  // no lock held
 private:
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};
EOF
  if check "$planted" 2>/dev/null; then
    echo "thread_safety self-test: a guarded member written without its lock was not caught"
    exit 1
  fi
  echo "thread_safety self-test: a guarded member written without its lock is caught"
fi

# The sources that take or declare a lock, and those whose own header declares one.
mapfile -t files < <(cd "$root" && {
  grep -rlE 'absl::Mutex|ABSL_GUARDED_BY|ABSL_EXCLUSIVE_LOCKS_REQUIRED' --include='*.cc' \
    libs services tools
  grep -rlE 'absl::Mutex|ABSL_GUARDED_BY' --include='*.h' libs services tools |
    sed 's/\.h$/.cc/' | while read -r cc; do [[ -f $cc ]] && echo "$cc"; done
} | sort -u)
if ((${#files[@]} == 0)); then
  echo "thread_safety: no file declares a lock: nothing checked (is this the right tree?)" >&2
  exit 1
fi
failed=0
for file in "${files[@]}"; do
  if ! check "$root/$file"; then
    echo "thread_safety: $file"
    failed=$((failed + 1))
  fi
done
echo "thread_safety: ${#files[@]} files checked with $(basename "$clang") -Wthread-safety, $failed failed"
((failed == 0))
