// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// wantText checks that err's text has every one of words.
func wantText(t *testing.T, err error, words ...string) {
	t.Helper()
	if err == nil {
		return // wantErr has said so
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

// TestInUseErrors checks what Listen says when the path is taken: a stale
// socket (with the way out), something that is not a socket, a live
// listener. All of them match os.ErrExist and EADDRINUSE, as before.
func TestInUseErrors(t *testing.T) {
	privateDir(t, 0o700)
	ctx := context.Background()

	stale := sockPath(t)
	staleSocket(t, stale)
	_, err := ipc.Listen(stale)
	wantErr(t, err, "listen", os.ErrExist)
	wantErr(t, err, "listen", syscall.EADDRINUSE)
	wantText(t, err, "stale socket (no listener)", "set ListenConfig.Reclaim to take it over")
	_, err = (&ipc.ListenConfig{}).ListenPacket(ctx, stale)
	wantErr(t, err, "listen", os.ErrExist)
	wantText(t, err, "stale socket (no listener)", "ListenConfig.Reclaim")

	file := sockPath(t)
	os.WriteFile(file, nil, 0o600)
	dir := sockPath(t)
	os.Mkdir(dir, 0o700)
	link := sockPath(t)
	os.Symlink(stale, link)
	for path, kind := range map[string]string{file: "a regular file", dir: "a directory", link: "a symbolic link"} {
		for _, reclaim := range []bool{false, true} {
			_, err := (&ipc.ListenConfig{Reclaim: reclaim}).Listen(ctx, path)
			wantErr(t, err, "listen", os.ErrExist)
			wantErr(t, err, "listen", syscall.EADDRINUSE)
			wantText(t, err, "the path is "+kind+", not a socket")
		}
	}
	// A bare name (which always reclaims) whose file is not a socket.
	name := uniqueName("notsock")
	path, err := ipc.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, nil, 0o600)
	_, err = ipc.Listen(name)
	wantErr(t, err, "listen", os.ErrExist)
	wantText(t, err, "a regular file, not a socket")

	live := sockPath(t)
	listen(t, live)
	for _, reclaim := range []bool{false, true} {
		_, err := (&ipc.ListenConfig{Reclaim: reclaim}).Listen(ctx, live)
		wantErr(t, err, "listen", os.ErrExist)
		wantErr(t, err, "listen", syscall.EADDRINUSE)
		if strings.Contains(err.Error(), "stale") || strings.Contains(err.Error(), "not a socket") {
			t.Errorf("a live listener's path: %q", err)
		}
	}
}

// TestBadNameText checks how bad names read in errors: a NUL byte quoted,
// a long name printed once, and the errors.Is sentinels as before.
func TestBadNameText(t *testing.T) {
	calls := map[string]func(name string) error{
		"listen":  func(name string) error { _, err := ipc.Listen(name); return err },
		"dial":    func(name string) error { _, err := ipc.Dial(name); return err },
		"resolve": func(name string) error { _, err := ipc.Resolve(name); return err },
		"listenpacket": func(name string) error {
			_, err := ipc.ListenPacket(name)
			return err
		},
		"dialpacket": func(name string) error { _, err := ipc.DialPacket(name); return err },
	}
	for call, fn := range calls {
		op := map[string]string{"listenpacket": "listen", "dialpacket": "dial"}[call]
		if op == "" {
			op = call
		}
		for _, name := range []string{"a\x00b", "/tmp/a\x00b", "@a\x00b", "x\x00"} {
			err := fn(name)
			wantErr(t, err, op, syscall.EINVAL)
			if err == nil {
				continue
			}
			if strings.IndexByte(err.Error(), 0) >= 0 {
				t.Errorf("%s(%q): the error prints a raw NUL byte: %q", call, name, err)
			}
			wantText(t, err, strconv.Quote(name), "NUL")
		}

		long := "/tmp/" + strings.Repeat("l", 200)
		err := fn(long)
		wantErr(t, err, op, syscall.ENAMETOOLONG)
		if err != nil && strings.Count(err.Error(), long) != 1 {
			t.Errorf("%s: the long name is not printed exactly once: %q", call, err)
		}
		wantText(t, err, "205 bytes", strconv.Itoa(ipc.MaxPathLen))

		// A bare name too long once it is in the private directory.
		bare := strings.Repeat("b", ipc.MaxPathLen-5)
		err = fn(bare)
		wantErr(t, err, op, syscall.ENAMETOOLONG)
		if err != nil && strings.Count(err.Error(), bare) != 1 {
			t.Errorf("%s: the long bare name is not printed exactly once: %q", call, err)
		}
		wantText(t, err, os.Getenv("XDG_RUNTIME_DIR"))
	}
}

// TestRuntimeDirRules checks the documented handling of XDG_RUNTIME_DIR:
// a relative value is ignored, as the XDG Base Directory specification
// says, and a missing directory is created with mode 0700.
func TestRuntimeDirRules(t *testing.T) {
	tmp := privateDir(t, 0o700)
	t.Setenv("TMPDIR", tmp)
	fallback := filepath.Join(tmp, "ipc-"+strconv.Itoa(os.Geteuid()), "app.sock")
	for _, rel := range []string{"run/user", ".", "relative"} {
		t.Setenv("XDG_RUNTIME_DIR", rel)
		got, err := ipc.Resolve("app")
		if err != nil || got != fallback {
			t.Errorf("XDG_RUNTIME_DIR=%q: Resolve = %q, %v; want %q", rel, got, err, fallback)
		}
	}

	missing := filepath.Join(tmp, "runtime")
	t.Setenv("XDG_RUNTIME_DIR", missing)
	ln, err := ipc.Listen("app")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	fi, err := os.Lstat(missing)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("missing XDG_RUNTIME_DIR: %v, %v; want it created as a 0700 directory", fi, err)
	}
}

// TestUnnamedAddr checks that an unnamed socket's address reads as package
// net shows it ("@" on Linux, "" elsewhere): the accepted connection's
// RemoteAddr, the dialed one's LocalAddr and both ends of a pair.
func TestUnnamedAddr(t *testing.T) {
	path := sockPath(t)
	nl, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := nl.Accept()
	if err != nil {
		t.Fatal(err)
	}
	want := ns.RemoteAddr().String()
	if got := nc.LocalAddr().String(); got != want {
		t.Fatalf("net itself: accepted RemoteAddr %q, dialed LocalAddr %q", want, got)
	}
	nc.Close()
	ns.Close()
	nl.Close()
	if runtime.GOOS == "linux" && want != "@" {
		t.Fatalf("net shows %q for an unnamed peer on Linux; the test expects @", want)
	}

	client, server, _ := pair(t, transport{newName: sockPath})
	if got := server.RemoteAddr().String(); got != want {
		t.Errorf("accepted RemoteAddr = %q; net shows %q", got, want)
	}
	if got := client.LocalAddr().String(); got != want {
		t.Errorf("dialed LocalAddr = %q; net shows %q", got, want)
	}
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	for _, addr := range []net.Addr{a.LocalAddr(), a.RemoteAddr(), b.LocalAddr(), b.RemoteAddr()} {
		if addr.String() != want {
			t.Errorf("ConnPair address %q; net shows %q", addr, want)
		}
	}
	f, err := a.File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fc, err := ipc.FileConn(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	if fc.LocalAddr().String() != want || fc.RemoteAddr().String() != want {
		t.Errorf("FileConn addresses %q, %q; net shows %q", fc.LocalAddr(), fc.RemoteAddr(), want)
	}
	_ = errors.Is
}
