#!/usr/bin/env bash
# Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0
#
# Runs the package's windows/amd64 tests under Wine (make test-windows).
#
#   .ci/wine.sh setup               install Wine and mingw if missing (apt, as
#                                   root), then make the Wine prefix, the
#                                   ProcessPrng shim, the std overlay and the
#                                   exec wrapper; cheap when all is done
#   .ci/wine.sh test [go test args] setup, start, go test for windows/amd64
#                                   under Wine, stop; exits with go test's code
#   .ci/wine.sh start | stop        keep a wineserver for the prefix running
#                                   across test runs, or end it
#   .ci/wine.sh exec X.exe [args]   run one windows/amd64 program the way the
#                                   tests run
#
# One test, verbose:  bash .ci/wine.sh test -count=1 -run '^TestName$' -v .
#
# State lives in $IPC_WINE_HOME (default ${XDG_CACHE_HOME:-~/.cache}/ipc-wine,
# or /var/tmp/ipc-wine-UID when there is no HOME):
# prefix/ (the Wine prefix, about 700 MB), tmp/ (the wineserver socket
# directory), bin/go_windows_amd64_exec (the wrapper), shim/, overlay/, logs.
# Delete the directory to start over. Runs from several checkouts may share
# it at the same time: the last one to finish stops the server.
#
# Environment: GO (default go) is the go command; IPC_WINE_TIMEOUT, if set,
# bounds each program's run under Wine in seconds (on top of go test's own
# -timeout). An ambient WINEPREFIX is ignored.
#
# Traps this works around (details in the comments below):
#  - Go >= 1.22 needs ProcessPrng from bcryptprimitives.dll; Wine 8 lacks it.
#  - Wine's services (services.exe, winedevice.exe, ...) start with the first
#    Wine process of a server and inherit its stdio. If that process is a test
#    binary under a lasting server, they hold go test's output pipe and go
#    test waits for them: a 0.1 s test took 54 s. So the server and its
#    services are started here, with stdio on a log file.
#  - Debian's Wine starts its server with -p0 (it exits as soon as the last
#    process does, so every run boots anew), and puts the server's socket
#    directory under $TMPDIR: every Wine call here gets the same TMPDIR.
#  - A new Wine 8 prefix claims to be Windows 7; Go supports Windows 10+.
#  - Go 1.26's os.RemoveAll fails on Wine 8 (STATUS_NOT_IMPLEMENTED from
#    FileDispositionInformationEx), which breaks every t.TempDir cleanup; a
#    patched copy of one std file is passed with go test -overlay.
#  - Go 1.26's t.TempDir honours GOTMPDIR, a Unix path; the wrapper unsets it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${IPC_WINE_HOME:-}" ]; then
	home=$IPC_WINE_HOME
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
	home=$XDG_CACHE_HOME/ipc-wine
elif [ -n "${HOME:-}" ]; then
	home=$HOME/.cache/ipc-wine
else
	home=/var/tmp/ipc-wine-$(id -u) # no HOME: a machine account, a bare CI
fi
prefix=$home/prefix
wtmp=$home/tmp
wrapper=$home/bin/go_windows_amd64_exec
marker=$home/persistent
GO=${GO:-go}
winver=win10
dlloverrides='winemenubuilder.exe,mscoree,mshtml=d'

say() { echo "wine.sh: $*" >&2; }
die() {
	say "$@"
	exit 1
}

# find_tools sets wine and wineserver to the Wine loader and server binaries.
# On Debian they are called directly: /usr/bin/wine and /usr/bin/wineserver
# come from the "wine" package (a recommendation of wine64, not a
# dependency), and the latter is the -p0 wrapper.
find_tools() {
	wine='' wineserver=''
	local c
	for c in /usr/lib/wine/wine64 "$(command -v wine64 || true)" "$(command -v wine || true)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			wine=$c
			break
		fi
	done
	for c in /usr/lib/wine/wineserver64 "$(command -v wineserver || true)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			wineserver=$c
			break
		fi
	done
}

have_tools() {
	find_tools
	[ -n "$wine" ] && [ -n "$wineserver" ] && command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1
}

ensure_packages() {
	have_tools && return
	local pkgs=(wine64 gcc-mingw-w64-x86-64-win32)
	command -v apt-get >/dev/null 2>&1 ||
		die "need Wine (wine64) and x86_64-w64-mingw32-gcc; install them"
	[ "$(id -u)" = 0 ] || die "need packages, run as root: apt-get install ${pkgs[*]}"
	say "installing ${pkgs[*]}"
	# Always update first: on a fresh machine the package lists may be empty.
	# Wait for a lock held by another apt (a boot-time upgrade) up to 10 min.
	apt-get -o DPkg::Lock::Timeout=600 update -q
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${pkgs[@]}" </dev/null
	have_tools || die "Wine or mingw still missing after apt-get install"
}

# wine_env sets the environment of every Wine call, in a subshell.
wine_env() {
	export WINEPREFIX=$prefix TMPDIR=$wtmp WINESERVER=$wineserver
	export WINEDEBUG=-all WINEDLLOVERRIDES=$dlloverrides
	unset DISPLAY WAYLAND_DISPLAY GOTMPDIR
}

# w runs a command in the Wine environment.
w() { (wine_env && exec "$@"); }

# detached runs a command in the Wine environment with stdin on /dev/null,
# stdout and stderr appended to $home/wine.log and every other descriptor
# closed, so that whatever it leaves running (the server, services) holds
# neither our output nor our lock files.
detached() {
	(
		wine_env
		local fd
		for fd in "/proc/$BASHPID/fd"/*; do
			fd=${fd##*/}
			if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
		done
		exec "$@" </dev/null >>"$home/wine.log" 2>&1
	)
}

server_running() { w "$wineserver" -k0 >/dev/null 2>&1; }

stop_server() {
	if server_running; then
		w "$wineserver" -k >/dev/null 2>&1 || true
		w "$wineserver" -w >/dev/null 2>&1 || true
	fi
}

# start_server starts a wineserver that stays until stop_server, and boots
# the services from a process whose stdio goes to the log.
start_server() {
	stop_server
	detached "$wineserver" -p || die "wineserver did not start (see $home/wine.log)"
	detached "$wine" cmd /c exit || die "Wine did not boot (see $home/wine.log)"
}

# ensure_prefix creates or updates the prefix when Wine or the Windows
# version changed. A fresh prefix takes 10-30 s.
ensure_prefix() {
	local stamp
	stamp="$("$wine" --version) $winver"
	if [ -f "$prefix/system.reg" ] && [ "$(cat "$prefix/.ipc-wine-stamp" 2>/dev/null)" = "$stamp" ]; then
		return
	fi
	say "preparing the Wine prefix $prefix ($stamp)"
	stop_server
	detached "$wine" wineboot -u || die "wineboot failed (see $home/wine.log)"
	detached "$wine" winecfg -v "$winver" || die "winecfg failed (see $home/wine.log)"
	w "$wineserver" -w # the registry is written when the server exits
	echo "$stamp" >"$prefix/.ipc-wine-stamp"
}

# ensure_shim installs the ProcessPrng DLL into system32 unless Wine has a
# bcryptprimitives.dll of its own there (Wine >= 9).
ensure_shim() {
	local dll=$prefix/drive_c/windows/system32/bcryptprimitives.dll
	local built=$home/shim/bcryptprimitives.dll src=$here/processprng.c
	if [ -f "$dll" ] && grep -qa -e 'Wine builtin DLL' -e 'Wine placeholder DLL' "$dll"; then
		return
	fi
	if [ ! -f "$built" ] || [ "$src" -nt "$built" ]; then
		mkdir -p "$home/shim"
		x86_64-w64-mingw32-gcc -O2 -s -shared -nostdlib -Wl,--entry,DllEntry \
			-o "$built.tmp" "$src" -ladvapi32
		mv "$built.tmp" "$built"
	fi
	cmp -s "$built" "$dll" || cp "$built" "$dll"
}

# put writes stdin to file $1 if that changes it, atomically.
put() {
	cat >"$1.tmp.$$"
	if cmp -s "$1.tmp.$$" "$1"; then rm -f "$1.tmp.$$"; else mv "$1.tmp.$$" "$1"; fi
}

# ensure_overlay sets overlay_flag to the go test -overlay flag that makes
# os.RemoveAll work under Wine 8, or to nothing. The patch adds Wine's
# STATUS_NOT_IMPLEMENTED (0xC0000002) to the statuses after which Go's
# deleteat falls back to the old way of deleting; it is made afresh from the
# installed Go, one directory per GOROOT.
ensure_overlay() {
	overlay_flag=()
	local goroot src dir
	goroot=$("$GO" env GOROOT)
	src=$goroot/src/internal/syscall/windows/at_windows.go
	if [ ! -f "$src" ] || grep -q -e 'STATUS_NOT_IMPLEMENTED' -e '0xC0000002' "$src"; then
		return # no such code, or Go already handles Wine's status
	fi
	if ! grep -q '^[[:space:]]*case STATUS_INVALID_INFO_CLASS,' "$src"; then
		say "note: $src has changed; no overlay, so t.TempDir cleanup may fail under Wine"
		return
	fi
	dir=$home/overlay/$(printf '%s' "$goroot" | cksum | cut -d' ' -f1)
	mkdir -p "$dir"
	sed 's/^\([[:space:]]*\)case STATUS_INVALID_INFO_CLASS,/\1case NTStatus(0xC0000002), \/\/ STATUS_NOT_IMPLEMENTED, from Wine 8 (.ci\/wine.sh)\n\1\tSTATUS_INVALID_INFO_CLASS,/' \
		"$src" | put "$dir/at_windows.go"
	printf '{"Replace":{"%s":"%s"}}\n' "$(json_str "$src")" "$(json_str "$dir/at_windows.go")" |
		put "$dir/overlay.json"
	overlay_flag=(-overlay "$dir/overlay.json")
}

json_str() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }

# shq quotes $1 for sh.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# ensure_wrapper writes the program that go test -exec runs. It also works
# alone, or as go_windows_amd64_exec on PATH (go run and go test use that by
# themselves when cross-compiling). Checking for a server costs it 4 ms.
ensure_wrapper() {
	mkdir -p "$home/bin"
	put "$wrapper" <<EOF
#!/bin/sh
# Generated by .ci/wine.sh: runs a windows/amd64 program under Wine.
WINEPREFIX=$(shq "$prefix")
TMPDIR=$(shq "$wtmp")
WINESERVER=$(shq "$wineserver")
WINEDEBUG=-all
WINEDLLOVERRIDES=$(shq "$dlloverrides")
export WINEPREFIX TMPDIR WINESERVER WINEDEBUG WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY GOTMPDIR
# No server (none started, or it died): start one that lingers 30 s and boot
# Wine's services with their stdio away from ours. A server that Wine starts
# by itself would give them the stdio of the program below, go test's pipe.
if ! "\$WINESERVER" -k0 >/dev/null 2>&1; then
	"\$WINESERVER" -p30 </dev/null >/dev/null 2>&1 || true # 2: another won
	$(shq "$wine") cmd /c exit </dev/null >/dev/null 2>&1 || true
fi
if [ -n "\${IPC_WINE_TIMEOUT:-}" ]; then
	exec timeout -k 10 "\$IPC_WINE_TIMEOUT" $(shq "$wine") "\$@"
fi
exec $(shq "$wine") "\$@"
EOF
	chmod +x "$wrapper"
}

setup() {
	mkdir -p "$home" "$wtmp"
	ensure_packages
	ensure_prefix
	ensure_shim
	ensure_overlay
	ensure_wrapper
}

# Locks, for runs that share $home: fd 9 on setup.lock, held exclusively
# while setting up or starting and stopping the server; fd 8 on use.lock,
# held shared by every run that uses the server.
lock_setup() {
	mkdir -p "$home"
	exec 9>"$home/setup.lock"
	if ! flock -n 9; then
		say "waiting for another wine.sh using $home"
		flock 9
	fi
}
unlock_setup() { exec 9>&-; }

joined=
# join sets up and makes sure a server is running, then holds use.lock
# shared until the script exits.
join() {
	mkdir -p "$home"
	lock_setup
	setup
	exec 8>"$home/use.lock"
	if flock -xn 8; then # no other run uses the server
		if ! [ -f "$marker" ] || ! server_running; then
			start_server
		fi
	elif ! server_running; then
		start_server
	fi
	flock -s 8
	joined=1
	trap leave EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	unlock_setup
}

# leave stops the server if no other run uses it and start did not ask to
# keep it.
leave() {
	[ -n "$joined" ] || return 0
	joined=
	lock_setup
	if flock -xn 8 && ! [ -f "$marker" ]; then
		stop_server
	fi
	exec 8>&-
	unlock_setup
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
setup)
	lock_setup
	setup
	;;
test)
	join
	rc=0
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
		"$GO" test -exec "$wrapper" "${overlay_flag[@]}" "$@" 8>&- || rc=$?
	exit "$rc"
	;;
exec)
	[ $# -gt 0 ] || die "usage: wine.sh exec program.exe [args...]"
	join
	rc=0
	"$wrapper" "$@" 8>&- || rc=$?
	exit "$rc"
	;;
start)
	lock_setup
	setup
	exec 8>"$home/use.lock"
	if ! server_running || { [ ! -f "$marker" ] && flock -xn 8; }; then
		start_server
	fi
	touch "$marker"
	say "wineserver running for $prefix; wine.sh stop ends it"
	;;
stop)
	lock_setup
	rm -f "$marker"
	find_tools
	exec 8>"$home/use.lock"
	if [ -z "$wineserver" ]; then
		:
	elif flock -xn 8; then
		stop_server
	else
		say "another run uses the server; it stops the server when it ends"
	fi
	;;
*)
	sed -n '4,18s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
