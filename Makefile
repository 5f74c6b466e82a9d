# traingate — the two commands a fresh Debian 12 machine needs:
#   make run    build and run the service on ./data (SQLite) with the compiled-in default policy
#   make test   build and run the whole test suite
# (make run-postgres: the service on a PostgreSQL cluster in ./data-postgres, docs/postgres.md)
# Both install missing system packages first (scripts/install-deps).

SWIFT ?= swift

.PHONY: run run-postgres test test-bench schema-fuzz check-deploy check-runtime reader-stress sqlite-probe crash-test test-blas-kernels build release deps policy-test bench format lint clean

run: deps
	$(SWIFT) run traingate serve

run-postgres: deps
	SWIFT=$(SWIFT) scripts/run-postgres

# The Swift suites (those of the PostgreSQL store on a throw-away cluster, scripts/with-postgres),
# the crash test, three instances on one PostgreSQL store under SIGKILL (scripts/instances-test),
# and the external-trainer example against a live server.
test: deps
	$(SWIFT) build --build-tests
	scripts/with-postgres $(SWIFT) test --skip-build
	scripts/crash-test --kills 5 --binary .build/debug/traingate
	scripts/instances-test --kills 4 --binary .build/debug/traingate
	python3 examples/test_pytorch_dataset.py

# deploy/: the Dockerfile (hadolint, and its package list against the binary's libraries), the
# systemd unit (systemd-analyze verify), the Kubernetes manifests (kubernetes-validate, checkov),
# the Prometheus alert rules (promtool check rules, and their unit tests).
check-deploy: deps
	scripts/check-deploy

# Runs the release binary in a debootstrapped Debian 12 with only the Dockerfile's runtime
# packages (root, about 8 minutes: not in CI; docs/operations.md, "Install").
check-runtime: deps
	scripts/check-runtime

# Readers (audit verify, export, backup) in loops next to a live server that rewinds its WAL
# every few commits under batch load (issue 18, item 5); minutes, so not part of CI.
reader-stress: deps
	swift build --product traingate
	scripts/reader-stress --seconds 180

# SQLite's WAL-reset bug in the linked library, and the checkpoint rule that avoids it
# (docs/operations.md, "Readers next to a live server"); needs a C compiler.
sqlite-probe: deps
	scripts/sqlite-wal-reset-probe 1000

# schemathesis over openapi.yaml against a live server with an admin key (docs/security.md).
schema-fuzz: deps
	$(SWIFT) build --product traingate
	scripts/schema-fuzz

# The bench package (bench/Package.swift: benchmark tools, the bench server with its baseline
# routes, the intake fuzzer), built against this one by path, and its tests. CI runs it too, so
# that bench/ keeps building when the app changes.
test-bench: deps
	$(SWIFT) build --package-path bench --build-tests
	$(SWIFT) test --package-path bench --skip-build

# The Tensors and Trainer suites once per OpenBLAS kernel this CPU runs (docs/training.md).
test-blas-kernels: deps
	scripts/test-blas-kernels

crash-test: deps
	$(SWIFT) build -c release --product traingate
	scripts/crash-test --kills 30

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

policy-test: build
	$(SWIFT) run traingate policy test config/policies/default.tests.yaml

# swift-format from the toolchain, configured by .swift-format; CI runs `make lint`.
FORMATTED = Sources Tests bench/Sources bench/Tests bench/JSONParse

format:
	$(SWIFT) format format --in-place --recursive $(FORMATTED)

lint:
	$(SWIFT) format lint --strict --recursive $(FORMATTED)

bench:
	TRAINGATE_BENCH_DEPS=1 scripts/install-deps
	bench/admissions

deps:
	@scripts/install-deps

clean:
	rm -rf .build bench/.build
