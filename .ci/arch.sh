#!/usr/bin/env bash
# Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0
#
# Runs the package's tests for other Linux CPU architectures (make test-arch).
#
#   .ci/arch.sh test GOARCH...    for each GOARCH, choose how to run its
#                                 binaries here, then go test ./... with it
#   .ci/arch.sh probe GOARCH...   only choose, and print the choice
#
# How a GOARCH is run is decided on this machine, by running a probe program
# (.ci/archprobe: threads, preemption signals, a signal to itself, a child
# process) built for it:
#   1. directly, if the kernel runs it (386 on an x86-64 kernel with IA32
#      emulation; any GOARCH that binfmt_misc hands to an emulator);
#   2. otherwise under each qemu user emulator found for it, in order:
#      qemu-CPU-static then qemu-CPU, on $IPC_QEMU_PATH (default $PATH);
#   3. otherwise the GOARCH fails, with what each attempt printed.
# Under an emulator the tests run with -short, which shrinks their data
# volumes (an emulated CPU is many times slower), never their cases.
# The output names the choice for every GOARCH ("linux/386: qemu-i386-static
# (native: exec format error)"). Nothing is skipped.
#
# Environment:
#   GO              the go command (default go)
#   TIMEOUT         go test -timeout (default 5m)
#   ARCH_JOBS       GOARCHes tested at once (default: the number of CPUs)
#   IPC_QEMU_PATH   where to look for emulators (default $PATH)
#   IPC_ARCH_NO_NATIVE
#                   GOARCHes whose direct run is made to fail the way a
#                   kernel without that ABI fails it: the probe is run from
#                   a copy whose ELF machine field is invalid, so execve
#                   returns ENOEXEC ("exec format error"). For testing this
#                   script (make test-arch-probe).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
GO=${GO:-go}
TIMEOUT=${TIMEOUT:-5m}
IPC_QEMU_PATH=${IPC_QEMU_PATH:-$PATH}
IPC_ARCH_NO_NATIVE=${IPC_ARCH_NO_NATIVE:-}

say() { echo "arch.sh: $*" >&2; }

# qemu_cpu prints qemu's name for a GOARCH.
qemu_cpu() {
	case $1 in
	386) echo i386 ;;
	amd64) echo x86_64 ;;
	arm64) echo aarch64 ;;
	arm) echo arm ;;
	loong64) echo loongarch64 ;;
	mips) echo mips ;;
	mipsle) echo mipsel ;;
	mips64) echo mips64 ;;
	mips64le) echo mips64el ;;
	ppc64) echo ppc64 ;;
	ppc64le) echo ppc64le ;;
	riscv64) echo riscv64 ;;
	s390x) echo s390x ;;
	*) return 1 ;;
	esac
}

# goenv prints the environment for building a GOARCH.
goenv() {
	echo "GOOS=linux GOARCH=$1 CGO_ENABLED=0"
	case $1 in arm) echo "GOARM=7" ;; esac
}

# break_elf makes file $1 unrunnable by any kernel: e_machine (bytes 18-19
# of the ELF header) becomes 0xffff, which no kernel accepts, so execve
# fails with ENOEXEC.
break_elf() {
	printf '\377\377' | dd of="$1" bs=1 seek=18 count=2 conv=notrunc status=none
}

# try runs the probe with the runner given as arguments (none: directly).
# It prints what the run printed, and succeeds if the probe said ok.
try() {
	local probe=$1 want=$2 out
	shift 2
	if out=$(ARCHPROBE_EXEC="${1:-}" "$@" "$probe" 2>&1) && [ "$out" = "$want" ]; then
		return 0
	fi
	printf '%s\n' "$out" | head -n 3 | cut -c1-200
	return 1
}

# brief prints the gist of a failed run's output: its first line, without
# the prefixes bash adds ("arch.sh: line 9: /tmp/x: ...") and in lower case
# where it is the kernel's message.
brief() {
	local l
	l=$(printf '%s\n' "$1" | head -n 1)
	case $l in
	*"Exec format error"* | *"exec format error"*) echo "exec format error" ;;
	"") echo "no output" ;;
	*) printf '%s\n' "$l" | cut -c1-160 ;;
	esac
}

# choose sets runner (empty for native, else the emulator's path) and
# why (what was tried before it) for GOARCH $1, building the probe in $2.
choose() {
	local a=$1 dir=$2 probe cpu q c out want
	probe=$dir/archprobe-$a
	want="archprobe linux/$a ok"
	why=''
	runner=''
	if ! out=$(env $(goenv "$a") "$GO" build -o "$probe" "$root/.ci/archprobe" 2>&1); then
		why="cannot build the probe: $out"
		return 1
	fi
	local direct=$probe
	if [[ " $IPC_ARCH_NO_NATIVE " == *" $a "* ]]; then
		direct=$dir/archprobe-$a-broken
		cp "$probe" "$direct"
		break_elf "$direct"
	fi
	if out=$(try "$direct" "$want"); then
		why="the kernel runs it"
		return 0
	fi
	why="native: $(brief "$out")"
	cpu=$(qemu_cpu "$a") || {
		why="$why; no qemu name known for $a"
		return 1
	}
	local found=''
	for c in "qemu-$cpu-static" "qemu-$cpu"; do
		q=$(PATH=$IPC_QEMU_PATH command -v "$c" 2>/dev/null) || continue
		found=1
		if out=$(try "$probe" "$want" "$q"); then
			runner=$q
			return 0
		fi
		why="$why; $c: $(brief "$out")"
	done
	[ -n "$found" ] || why="$why; no qemu-$cpu-static or qemu-$cpu on IPC_QEMU_PATH (Debian: apt-get install qemu-user-static)"
	return 1
}

# one probes GOARCH $1 and, unless probe-only, runs its tests; it prints one
# block of output, headed by the choice and ok or FAIL.
one() {
	local a=$1 mode=$2 dir log r how
	dir=$(mktemp -d)
	log=$dir/log
	if ! choose "$a" "$dir"; then
		printf '== linux/%s: FAIL: cannot run here (%s)\n' "$a" "$why"
		rm -rf "$dir"
		return 1
	fi
	how=${runner:-native}
	if [ "$mode" = probe ]; then
		printf '== linux/%s: %s (%s)\n' "$a" "$how" "$why"
		rm -rf "$dir"
		return 0
	fi
	r=ok
	(
		cd "$root"
		export $(goenv "$a")
		if [ -n "$runner" ]; then
			IPC_TEST_EXEC=$runner "$GO" test -short -count=1 -timeout="$TIMEOUT" -exec "$runner" ./...
		else
			"$GO" test -count=1 -timeout="$TIMEOUT" ./...
		fi
	) >"$log" 2>&1 || r=FAIL
	printf '== linux/%s: %s (%s): %s\n' "$a" "$how" "$why" "$r"
	sed 's/^/    /' "$log"
	rm -rf "$dir"
	[ "$r" = ok ]
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
test | probe) ;;
one)
	one "$1" "$2" >"$3" 2>&1
	exit
	;;
*)
	sed -n '4,8s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
[ $# -gt 0 ] || {
	say "no GOARCH given"
	exit 2
}
jobs=${ARCH_JOBS:-$(nproc 2>/dev/null || echo 2)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ "$cmd" = probe ] || say "testing linux/{$(IFS=,; echo "$*")}, $jobs at a time"
rc=0
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash "$0" one {} "$cmd" "$out/{}" || rc=$?
for a in "$@"; do cat "$out/$a"; done
if [ "$rc" -ne 0 ]; then
	say "FAIL: see the FAIL lines above"
	exit 1
fi
say "all passed: $*"
