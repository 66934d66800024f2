# Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0
#
# make ci    - everything CI runs (needs qemu-user-static; .ci/run installs it)
# make demo  - two processes talking over a local socket
# make test-windows - the windows/amd64 tests under Wine (.ci/wine.sh
#              installs Wine with apt if it is missing)

GO ?= go
BENCHCOUNT ?= 5
# BENCH selects benchmarks (a go test -bench pattern).
BENCH ?= .
# TIMEOUT bounds each test binary, so a hung test cannot stall CI for go
# test's default ten minutes.
TIMEOUT ?= 5m

# Emulated CPUs for test-arch, as GOARCH:qemu-suffix.
QEMU_ARCHES = arm64:aarch64 arm:arm s390x:s390x riscv64:riscv64 ppc64le:ppc64le

.PHONY: all ci test race test-windows vet-all test-arch bench demo fmt-check deps-check generate check-generate

all: ci

ci: fmt-check deps-check check-generate vet-all xcheck test race test-windows test-arch

test:
	$(GO) test -count=1 -shuffle=on -timeout=$(TIMEOUT) ./...

race:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout=$(TIMEOUT) ./...

# test-windows runs the tests for windows/amd64 under Wine. The first run
# installs Wine and mingw (as root, with apt) and makes a Wine prefix in
# ~/.cache/ipc-wine, about 30 s; later runs add about a second to go test.
# One test: bash .ci/wine.sh test -count=1 -run '^TestName$$' -v .
test-windows:
	GO=$(GO) bash .ci/wine.sh test -count=1 -timeout=$(TIMEOUT) ./...
	cd testdata/winio && GO=$(GO) bash ../../.ci/wine.sh test -count=1 -timeout=$(TIMEOUT) ./...

# vet_one checks one GOOS/GOARCH target ($$1), printing nothing on success
# and a FAIL line with the tool's output on failure. android and ios get
# go build of the non-main packages instead of go vet: with CGO_ENABLED=0
# both vet and linking a command fail there ("requires external (cgo)
# linking").
define vet_one
t=$$1; export GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0; \
case $$GOOS in \
android|ios) cmd=build; pkgs=$$($(GO) list -f "{{if ne .Name \"main\"}}{{.ImportPath}}{{end}}" ./... 2>/dev/null) ;; \
*) cmd=vet; pkgs=./... ;; \
esac; \
if out=$$($(GO) $$cmd $$pkgs 2>&1); then exit 0; fi; \
printf "FAIL %s (go %s)\n%s\n" "$$t" "$$cmd" "$$(printf "%s\n" "$$out" | sed "s/^/    /")"; \
exit 1
endef

# VET_JOBS targets are checked at once; each is CPU-bound.
VET_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

vet-all:
	@targets=$$($(GO) tool dist list) || exit 1; \
	n=$$(echo "$$targets" | wc -l); \
	echo "vet-all: $$n targets, $(VET_JOBS) at a time"; \
	log=$$(mktemp); \
	echo "$$targets" | xargs -P $(VET_JOBS) -n 1 sh -c '$(vet_one)' sh | tee "$$log"; \
	f=$$(grep -c '^FAIL' "$$log"); rm -f "$$log"; \
	echo "vet-all: $$n targets, $$f failed"; \
	test "$$f" -eq 0

# arch_one runs the tests for one GOARCH:qemu-suffix pair ($$1) under
# qemu-user, then prints the output under a header saying ok or FAIL.
define arch_one
p=$$1; a=$${p%%:*}; q=qemu-$${p#*:}-static; log=$$(mktemp); \
if GOARCH=$$a GOARM=7 CGO_ENABLED=0 IPC_TEST_EXEC=$$q \
	$(GO) test -count=1 -timeout=$(TIMEOUT) -exec $$q ./... >"$$log" 2>&1; \
then r=ok; else r=FAIL; fi; \
printf "== linux/%s (%s): %s\n" "$$a" "$$q" "$$r"; sed "s/^/    /" "$$log"; rm -f "$$log"; \
test "$$r" = ok
endef

# ARCH_JOBS emulated architectures are tested at once; much of each run
# waits on child processes, so two share a 2-CPU machine well.
ARCH_JOBS ?= $(VET_JOBS)

test-arch:
	@fail=""; \
	echo "== linux/386 (native)"; \
	GOARCH=386 CGO_ENABLED=0 $(GO) test -count=1 -timeout=$(TIMEOUT) ./... || fail="$$fail 386"; \
	echo "$(QEMU_ARCHES)" | tr ' ' '\n' | xargs -P $(ARCH_JOBS) -n 1 sh -c '$(arch_one)' sh || fail="$$fail qemu"; \
	if [ -n "$$fail" ]; then echo "test-arch: FAIL:$$fail (see the FAIL headers above)"; exit 1; fi; \
	echo "test-arch: all passed"

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
	cd testdata/xcheck && GO=$(GO) $(GO) test -count=1 -timeout=$(TIMEOUT) .

deps-check:
	@if grep -En '^[[:space:]]*require([[:space:]]|\(|$$)' go.mod; then \
		echo "go.mod must not require anything"; exit 1; fi

# bench-ipccat measures cmd/ipccat against socat in the same run (relay
# throughput each way and round trips; BENCHMARKS.md). Needs socat.
.PHONY: bench-ipccat
bench-ipccat:
	cd cmd/ipccat && $(GO) test -run='^$$' -bench=Relay -benchtime=1s -count=$(BENCHCOUNT) -timeout=60m .
