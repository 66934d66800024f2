# Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0
#
# make demo  - two processes talking over a local socket
# make check - the quick check before a commit: gofmt, vet for this machine
#              and windows/amd64, go test -short (under two minutes warm)
# make ci    - everything CI runs; .ci/run installs what it needs (Wine,
#              qemu-user-static, ...) and then runs it
# make test-windows - the windows/amd64 tests under Wine (.ci/wine.sh
#              installs Wine with apt if it is missing)
# make test-arch    - the tests for other CPUs, each run natively if this
#              kernel can, else under qemu (.ci/arch.sh says which)

GO ?= go
BENCHCOUNT ?= 5
# BENCH selects benchmarks (a go test -bench pattern).
BENCH ?= .
# TIMEOUT bounds each test binary, so a hung test cannot stall CI for go
# test's default ten minutes.
TIMEOUT ?= 5m

# CPUs other than this machine's for test-arch (GOARCH values).
ARCHES ?= 386 arm64 arm s390x riscv64 ppc64le

.PHONY: all ci ci-pre ci-par check test race test-windows vet-all test-arch test-arch-probe bench demo fmt-check deps-check generate check-generate staticcheck

all: ci

# ci runs the quick source checks first (generate rewrites a source file),
# then everything else CI_JOBS at a time: much of it waits on child
# processes, Wine or qemu rather than on a CPU. Each target's output is
# printed in one piece when it ends (-O), and a failure does not stop the
# others (-k); make ci fails if any failed.
CI_JOBS ?= 3

ci: ci-pre
	@$(MAKE) --no-print-directory -k -O -j$(CI_JOBS) ci-par

ci-pre: fmt-check deps-check check-generate

ci-par: test-arch test-windows race vet-all test staticcheck xcheck test-arch-probe test-grpc fuzz-ci

check: fmt-check
	$(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	$(GO) test -short -count=1 -timeout=$(TIMEOUT) ./...

test:
	$(GO) test -count=1 -shuffle=on -timeout=$(TIMEOUT) ./...

# RACE_TIMEOUT bounds the race binary, which runs several times slower than
# the plain one, beside the rest of make ci.
RACE_TIMEOUT ?= 15m

# race runs with -short: the race detector looks for unsynchronised
# access, which the smaller data volumes of -short exercise as well, at a
# fraction of the time (it slows the code down several times).
race:
	CGO_ENABLED=1 $(GO) test -race -short -count=1 -timeout=$(RACE_TIMEOUT) ./...

# test-windows runs the tests for windows/amd64 under Wine. The first run
# installs Wine and mingw (as root, with apt) and makes a Wine prefix in
# ~/.cache/ipc-wine, about 30 s; later runs add about a second to go test.
# One test: bash .ci/wine.sh test -count=1 -run '^TestName$$' -v .
test-windows:
	GO=$(GO) bash .ci/wine.sh test -count=1 -timeout=$(TIMEOUT) ./...
	cd testdata/winio && GO=$(GO) bash ../../.ci/wine.sh test -count=1 -timeout=$(TIMEOUT) ./...

# vet-all checks every target in go tool dist list with go vet's
# analyzers, in two ways:
#  - go vet itself for the targets staticcheck checks, whose standard
#    library make ci compiles anyway (for staticcheck, test, test-windows);
#    on linux/amd64 with cgo as the tests build it, elsewhere without;
#  - for all targets, those included, testdata/xcheck's TestVet: the same
#    analyzers on every package of the module, tests included, type-checked
#    from source with each target's build constraints and sizes. go vet
#    would first compile the imported part of the standard library for each
#    target, 20-30 CPU-seconds a target on an empty build cache (over a
#    quarter of an hour of CI for 47 targets); from source it is about one
#    second a target. TestVetFinds shows it reporting mistakes placed in
#    one target's files, for that target only.
VET_TARGETS = $(STATICCHECK_TARGETS)

# HOST_TARGET is this machine's GOOS/GOARCH: the one target built with cgo
# (as the tests build it), so that vet, staticcheck and the tests share it.
HOST_TARGET := $(shell $(GO) env GOHOSTOS)/$(shell $(GO) env GOHOSTARCH)

# vet_one runs go vet for one GOOS/GOARCH target ($$1), printing nothing on
# success and a FAIL line with the tool's output on failure.
define vet_one
t=$$1; export GOOS=$${t%/*} GOARCH=$${t#*/}; \
[ "$$t" = "$(HOST_TARGET)" ] || export CGO_ENABLED=0; \
if out=$$($(GO) vet ./... 2>&1); then exit 0; fi; \
printf "FAIL %s (go vet)\n%s\n" "$$t" "$$(printf "%s\n" "$$out" | sed "s/^/    /")"; \
exit 1
endef

# VET_JOBS targets are checked at once; each is CPU-bound.
VET_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

vet-all:
	@n=$$(echo $(VET_TARGETS) | wc -w); \
	echo "vet-all: go vet for $$n targets, $(VET_JOBS) at a time"; \
	log=$$(mktemp); \
	printf "%s\n" $(VET_TARGETS) | xargs -P $(VET_JOBS) -n 1 sh -c '$(vet_one)' sh | tee "$$log"; \
	f=$$(grep -c '^FAIL' "$$log"); rm -f "$$log"; \
	echo "vet-all: go vet: $$n targets, $$f failed"; \
	all=$$($(GO) tool dist list | wc -l); \
	echo "vet-all: the vet analyzers from source for all $$all targets (testdata/xcheck TestVet)"; \
	(cd testdata/xcheck && GO=$(GO) $(GO) test -count=1 -timeout=$(TIMEOUT) -run '^TestVet' .) || f=$$((f+1)); \
	test "$$f" -eq 0

# ARCH_TIMEOUT bounds each emulated test binary: an emulated CPU sharing
# the machine with the rest of make ci runs many times slower than native.
# ARCH_JOBS architectures are tested at once; much of each run waits on
# child processes, so two share a 2-CPU machine well.
ARCH_JOBS ?= $(VET_JOBS)

# test-arch runs the tests for each of ARCHES: natively where this kernel
# runs that GOARCH, otherwise under qemu user emulation; the output names
# the choice for each, and an architecture that can run neither way fails.
ARCH_TIMEOUT ?= 15m

test-arch:
	@GO=$(GO) TIMEOUT=$(ARCH_TIMEOUT) ARCH_JOBS=$(ARCH_JOBS) bash .ci/arch.sh test $(ARCHES)

# test-arch-probe checks test-arch's choice on a machine that cannot run
# 386 binaries: the native run is made to fail with ENOEXEC (an ELF header
# no kernel accepts), and the choice must be qemu; with no emulator either,
# it must be a failure that says so.
test-arch-probe:
	@out=$$(IPC_ARCH_NO_NATIVE=386 GO=$(GO) bash .ci/arch.sh probe 386 2>&1); echo "$$out"; \
	echo "$$out" | grep -q '^== linux/386: [^ ]*qemu-i386[^ ]* (native: exec format error)$$' || \
		{ echo "test-arch-probe: FAIL: qemu was not chosen for 386"; exit 1; }; \
	if out=$$(IPC_ARCH_NO_NATIVE=386 IPC_QEMU_PATH=/nonexistent GO=$(GO) bash .ci/arch.sh probe 386 2>&1); then \
		echo "$$out"; echo "test-arch-probe: FAIL: 386 without native or qemu passed"; exit 1; fi; \
	echo "$$out"; \
	echo "$$out" | grep -q '^== linux/386: FAIL: cannot run here (native: exec format error; no qemu-i386-static or qemu-i386' || \
		{ echo "test-arch-probe: FAIL: no clear failure without an emulator"; exit 1; }; \
	echo "test-arch-probe: ok"

# bench runs the benchmarks BENCHCOUNT times and prints, after go test's
# output, the median of each case and its ratio to the standard library's
# counterpart measured in the same run (.ci/benchratio). The benchmarks pin
# processes to CPUs themselves (1cpu, 2cpu cases; Linux).
bench:
	@rc=$$(mktemp); \
	{ $(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -count=$(BENCHCOUNT) -timeout=60m .; echo $$? > "$$rc"; } | \
		$(GO) run ./.ci/benchratio; \
	st=$$(cat "$$rc"); rm -f "$$rc"; exit $$st

demo:
	$(GO) run ./cmd/ipc-demo

fmt-check:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# generate rewrites zsyscall_windows.go from the //sys lines in
# ipc_windows.go; check-generate fails if the committed file is stale.
generate:
	$(GO) generate -tags generate .

check-generate: generate
	@git diff --exit-code -- zsyscall_windows.go || \
		{ echo "zsyscall_windows.go is stale: run make generate and commit it"; exit 1; }

# xcheck compares every number and struct layout written by hand in the
# package with golang.org/x/sys, for every target in go tool dist list, by
# type-checking both from source (testdata/xcheck, a module of its own, so
# the package's go.mod stays without a require line). How to add what it
# reports as missing: the comment at the top of testdata/xcheck/xcheck_test.go.
.PHONY: xcheck
xcheck:
	cd testdata/xcheck && GO=$(GO) $(GO) test -count=1 -timeout=$(TIMEOUT) -run '^TestCrossCheck$$' .

deps-check:
	@if grep -En '^[[:space:]]*require([[:space:]]|\(|$$)' go.mod; then \
		echo "go.mod must not require anything"; exit 1; fi

# staticcheck runs the pinned staticcheck (installed with go install into
# GOPATH/bin, never a dependency of the module) for the four targets whose
# code differs most; for this machine's own target with cgo as the tests
# build it, so that the two share the build cache.
STATICCHECK_VERSION = v0.8.2
STATICCHECK_TARGETS = linux/amd64 windows/amd64 darwin/arm64 freebsd/amd64

staticcheck:
	@$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@sc=$$($(GO) env GOPATH | cut -d: -f1)/bin/staticcheck; fail=0; \
	for t in $(STATICCHECK_TARGETS); do \
		cgo=; [ "$$t" = "$(HOST_TARGET)" ] || cgo=CGO_ENABLED=0; \
		if out=$$(env GOOS=$${t%/*} GOARCH=$${t#*/} $$cgo $$sc ./... 2>&1); then \
			echo "staticcheck $$t: ok"; \
		else echo "staticcheck $$t: FAIL"; echo "$$out" | sed 's/^/    /'; fail=1; fi; \
	done; exit $$fail

# test-grpc runs the gRPC example, a server and a client over a local
# socket. It lives in
# testdata/grpc, a module of its own, so that the package's go.mod stays
# without a require line.
.PHONY: test-grpc
test-grpc:
	cd testdata/grpc && $(GO) test -count=1 -timeout=$(TIMEOUT) ./...

# test-grpc-windows runs the same under Wine. It is not in make ci: building
# gRPC for windows/amd64 costs about two CPU-minutes on a cold cache, and
# what it would add over test-windows is gRPC's own code, not ours.
.PHONY: test-grpc-windows
test-grpc-windows:
	cd testdata/grpc && GO=$(GO) bash ../../.ci/wine.sh test -count=1 -timeout=$(TIMEOUT) ./...

# soak runs the long reliability runs (RELIABILITY.md): SOAK_CYCLES
# connect/close and Pipe/Close cycles (TestCycles, 100,000 each by
# default; the normal tests run 5,000), checking that descriptors,
# goroutines and the resident set stay flat. About 15 s on a 2-CPU machine.
SOAK_CYCLES ?= 100000

.PHONY: soak
soak:
	IPC_SOAK_CYCLES=$(SOAK_CYCLES) $(GO) test -count=1 -run '^TestCycles$$' -v -timeout=30m .

# fuzz-ci runs every fuzz target of the package (the list comes from
# go test -list) for FUZZTIME each. An input that fails is written by go
# test to testdata/fuzz/<target>/ and fails the run: commit it with the
# fix, so that the normal tests replay it from then on.
FUZZTIME ?= 10s

.PHONY: fuzz-ci
fuzz-ci:
	@targets=$$($(GO) test -list '^Fuzz' . | grep '^Fuzz') || exit 1; \
	for f in $$targets; do \
		echo "== $$f ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime=$(FUZZTIME) . || exit 1; \
	done; \
	echo "fuzz-ci: $$(echo $$targets | wc -w) targets, $(FUZZTIME) each, no failure"

# bench-ipccat measures cmd/ipccat against socat in the same run (relay
# throughput each way and round trips; BENCHMARKS.md). Needs socat.
.PHONY: bench-ipccat
bench-ipccat:
	cd cmd/ipccat && $(GO) test -run='^$$' -bench=Relay -benchtime=1s -count=$(BENCHCOUNT) -timeout=60m .
