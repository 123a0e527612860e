# make demo   builds and runs the demo (no Kafka or Redis needed)
# make test   everything CI runs: the Kubernetes manifests validated offline, unit tests under
#             ASan+UBSan, then every test and the end-to-end scripts against a throwaway
#             Kafka broker and Redis server
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
# Steps run one after another, in the order given; each ninja/ctest is parallel itself.
.NOTPARALLEL:

JOBS ?= 2
# ccache hits across clones of the repository (CI builds a fresh clone on this machine).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
CTEST_TIMEOUT ?= 300
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# $(call configure,DIR,BUILD_TYPE,EXTRA_ARGS). ccache is looked up when the recipe runs,
# as `make deps` may have just installed it.
configure = cmake -S . -B $(1) -G Ninja -DCMAKE_BUILD_TYPE=$(2) $(3) \
  $$(command -v ccache >/dev/null && echo -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: deps build build-asan demo test test-deploy unit-asan test-with-services test-e2e bench format format-check clean

deps:
	scripts/install-deps.sh

# Line tables only (-g1): stack traces and perf keep file:line, and a clone with both
# builds takes about 5 GB instead of 8 (CI runs on this machine's disk).
DEBUG_INFO := -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O2 -g1 -DNDEBUG' -DCMAKE_CXX_FLAGS_DEBUG='-g1'

build:
	$(call configure,build,RelWithDebInfo,$(DEBUG_INFO))
	ninja -C build -j$(JOBS)

build-asan:
	$(call configure,build-asan,Debug,-DMC_SANITIZE=ON $(DEBUG_INFO))
	ninja -C build-asan -j$(JOBS)

demo: deps
	$(call configure,build,RelWithDebInfo,$(DEBUG_INFO))
	ninja -C build -j$(JOBS) mcnode mcdemo
	build/services/mcnode/mcdemo

test: deps test-deploy build build-asan unit-asan test-with-services

# The steps of `test`, for use after a build.
# The Kubernetes manifests: rendered and validated offline (needs no cluster).
test-deploy:
	tests/deploy/validate.sh

unit-asan:
	$(SANITIZER_ENV) ctest --test-dir build-asan -L unit --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT)

# One broker and Redis for both: the e2e scripts first, so ctest's summary closes the output.
test-with-services:
	tests/infra/with-services.sh bash -c 'rc=0; \
	  tests/infra/run-e2e.sh build || rc=1; \
	  ctest --test-dir build --output-on-failure -j$(JOBS) --timeout $(CTEST_TIMEOUT) || rc=1; \
	  exit $$rc'

test-e2e:
	tests/infra/with-services.sh tests/infra/run-e2e.sh build

# Benchmarks print figures (see BENCHMARKS.md); they never fail on time.
bench: deps build
	tests/infra/with-services.sh bash -c \
	  'build/bench/jose/jose_bench && build/bench/outside/outside_bench && \
	   build/bench/jades/jades_bench && \
	   build/bench/catalogue/catalogue_bench && \
	   build/bench/issuance/issuance_bench && \
	   build/bench/ecosystem/propagation_bench && build/bench/recognition/recognition_bench && \
	   build/bench/stacking/stacking_bench'

SOURCES = find . \( -path './build*' -o -path ./.git -o -path ./.deps -o -path ./tests/infra/kafka \
  -o -name node_modules \) -prune -o -type f \( -name '*.cc' -o -name '*.h' -o -name '*.cpp' \
  -o -name '*.hpp' \) -print0

format:
	$(SOURCES) | xargs -0 -r clang-format -i

format-check:
	$(SOURCES) | xargs -0 -r clang-format --dry-run -Werror

clean:
	rm -rf build build-asan
