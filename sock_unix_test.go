// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["dial-err"] = helperDialErr
	helpers["list-sockets"] = helperListSockets
}

// helperDialErr dials args[0] and prints how the dial went.
func helperDialErr(args []string) int {
	c, err := ipc.Dial(args[0])
	if err == nil {
		c.Close()
		fmt.Println("connected")
		return 0
	}
	var oe *net.OpError
	fmt.Printf("op=%v permission=%v err=%v\n", errors.As(err, &oe) && oe.Op == "dial",
		errors.Is(err, os.ErrPermission), err)
	return 0
}

// helperListSockets prints every socket descriptor the process has.
func helperListSockets(args []string) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	var socks []string
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(l, "socket:") {
			socks = append(socks, e.Name()+"->"+l)
		}
	}
	fmt.Printf("sockets: %v\n", socks)
	return 0
}

// TestNoInheritance checks that a child started while listeners and
// connections are open inherits none of their sockets.
func TestNoInheritance(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lists descriptors through /proc/self/fd")
	}
	for _, tr := range transports(t) {
		pair(t, tr)
	}
	out, err := helperCommand(t, "list-sockets").Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "sockets: []\n" {
		t.Fatalf("child has inherited sockets: %s", out)
	}
}

// pathLimit is the longest socket path the platform takes.
func pathLimit() int {
	if runtime.GOOS == "linux" || runtime.GOOS == "android" {
		return 107
	}
	return 103
}

func TestNameErrors(t *testing.T) {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	atLimit := dir + "/" + strings.Repeat("a", pathLimit()-len(dir)-1)
	cases := []struct {
		name string
		want error
	}{
		{"", syscall.EINVAL},
		{"a\x00b", syscall.EINVAL},
		{"/tmp/a\x00b", syscall.EINVAL},
		{"@", syscall.EINVAL},
		{atLimit + "a", syscall.ENAMETOOLONG},
		{strings.Repeat("n", 200), syscall.ENAMETOOLONG},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct {
			name string
			want error
		}{"@" + strings.Repeat("x", 108), syscall.ENAMETOOLONG})
	}
	for _, c := range cases {
		_, err := ipc.Listen(c.name)
		wantErr(t, err, "listen", c.want)
		_, err = ipc.Dial(c.name)
		wantErr(t, err, "dial", c.want)
	}

	// At the limit the name works.
	if len(atLimit) != pathLimit() {
		t.Fatalf("test bug: len %d", len(atLimit))
	}
	ln, err := ipc.Listen(atLimit)
	if err != nil {
		t.Fatalf("Listen at the limit: %v", err)
	}
	c, err := ipc.Dial(atLimit)
	if err != nil {
		t.Fatalf("Dial at the limit: %v", err)
	}
	c.Close()
	ln.Close()
	if runtime.GOOS == "linux" {
		u := uniqueName("")
		name := "@" + u + strings.Repeat("x", 107-len(u))
		ln, err := ipc.Listen(name)
		if err != nil {
			t.Fatalf("Listen abstract at the limit: %v", err)
		}
		if ln.Addr().String() != name {
			t.Errorf("Addr = %q; want %q", ln.Addr(), name)
		}
		c, err := ipc.Dial(name)
		if err != nil {
			t.Fatalf("Dial abstract at the limit: %v", err)
		}
		c.Close()
		ln.Close()
	}
}

func TestDialNoServer(t *testing.T) {
	_, err := ipc.Dial(sockPath(t))
	wantErr(t, err, "dial", os.ErrNotExist)
	var se *os.SyscallError
	if !errors.As(err, &se) || se.Syscall != "connect" {
		t.Errorf("error %v does not name connect", err)
	}
	_, err = ipc.Dial("/nonexistent-ipc-dir/s")
	wantErr(t, err, "dial", os.ErrNotExist)
	if runtime.GOOS == "linux" {
		_, err = ipc.Dial("@" + uniqueName("nobody"))
		wantErr(t, err, "dial", syscall.ECONNREFUSED)
	}
}

func TestListenErrors(t *testing.T) {
	_, err := ipc.Listen("/nonexistent-ipc-dir/s")
	wantErr(t, err, "listen", os.ErrNotExist)

	ctx := context.Background()
	_, err = (&ipc.ListenConfig{Mode: os.ModeSetuid | 0o600}).Listen(ctx, sockPath(t))
	wantErr(t, err, "listen", syscall.EINVAL)
	_, err = (&ipc.ListenConfig{Backlog: -1}).Listen(ctx, sockPath(t))
	wantErr(t, err, "listen", syscall.EINVAL)
	if runtime.GOOS == "linux" {
		_, err = (&ipc.ListenConfig{Mode: 0o600}).Listen(ctx, "@"+uniqueName("mode"))
		wantErr(t, err, "listen", syscall.EINVAL)
	}

	// A live listener's path is taken.
	path := sockPath(t)
	listen(t, path)
	_, err = ipc.Listen(path)
	wantErr(t, err, "listen", os.ErrExist)
	wantErr(t, err, "listen", syscall.EADDRINUSE)
	if runtime.GOOS == "linux" {
		name := "@" + uniqueName("taken")
		listen(t, name)
		_, err = ipc.Listen(name)
		wantErr(t, err, "listen", os.ErrExist)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = (&ipc.ListenConfig{}).Listen(cctx, sockPath(t))
	wantErr(t, err, "listen", context.Canceled)
	_, err = (&ipc.Dialer{}).DialContext(cctx, path)
	wantErr(t, err, "dial", context.Canceled)
}

func TestMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o666, 0o640, 0o600} {
		path := sockPath(t)
		ln, err := (&ipc.ListenConfig{Mode: mode}).Listen(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != mode {
			t.Errorf("socket mode %v; want socket with %v", fi.Mode(), mode)
		}
		ln.Close()
	}
}

// privateDir points XDG_RUNTIME_DIR at a fresh directory with the given mode.
func privateDir(t *testing.T, mode os.FileMode) string {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	return dir
}

func TestBareName(t *testing.T) {
	dir := privateDir(t, 0o700)
	ln, err := ipc.Listen("app")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	want := filepath.Join(dir, "app.sock")
	if ln.Addr().String() != want {
		t.Errorf("Addr = %q; want %q", ln.Addr(), want)
	}
	fi, err := os.Lstat(want)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; want 0600", fi.Mode())
	}
	c, err := ipc.Dial("app")
	if err != nil {
		t.Fatal(err)
	}
	if c.RemoteAddr().String() != want {
		t.Errorf("RemoteAddr = %q; want %q", c.RemoteAddr(), want)
	}
	c.Close()
	if runtime.GOOS != "linux" && runtime.GOOS != "android" {
		// "@app" is the bare name "app" here.
		c, err := ipc.Dial("@app")
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}

	// Without XDG_RUNTIME_DIR the directory is ipc-<uid> in the temp dir.
	tmp := privateDir(t, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", tmp)
	ln2, err := ipc.Listen("app")
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	priv := filepath.Join(tmp, "ipc-"+strconv.Itoa(os.Geteuid()))
	if ln2.Addr().String() != filepath.Join(priv, "app.sock") {
		t.Errorf("Addr = %q; want it in %s", ln2.Addr(), priv)
	}
	fi, err = os.Lstat(priv)
	if err != nil || fi.Mode().Perm() != 0o700 || !fi.IsDir() {
		t.Errorf("private dir %v, %v; want a 0700 directory", fi, err)
	}
}

func TestUnsafePrivateDir(t *testing.T) {
	check := func(what string) {
		t.Helper()
		_, err := ipc.Listen("app")
		wantErr(t, err, "listen", os.ErrPermission)
		_, err = ipc.Dial("app")
		wantErr(t, err, "dial", os.ErrPermission)
		if t.Failed() {
			t.Fatalf("with %s", what)
		}
	}

	dir := privateDir(t, 0o777)
	os.Chmod(dir, 0o777) // undo the umask
	check("a world-writable directory")
	os.Chmod(dir, 0o720)
	check("a group-writable directory")

	good := privateDir(t, 0o700)
	link := filepath.Join(privateDir(t, 0o700), "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", link)
	check("a symbolic link")

	file := filepath.Join(good, "file")
	os.WriteFile(file, nil, 0o600)
	t.Setenv("XDG_RUNTIME_DIR", file)
	check("a regular file")

	if os.Geteuid() == 0 {
		dir := privateDir(t, 0o700)
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		check("a directory owned by another user")
	}

	// With the mode fixed it works, so the checks above are not vacuous.
	privateDir(t, 0o700)
	ln, err := ipc.Listen("app")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}

// nobodyCommand returns a command running helper name as user and group
// 65534 (nobody). The test must run as root. The child gets a copy of the
// test binary it can execute.
func nobodyCommand(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the child as another user")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bindir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(bindir) })
	os.Chmod(bindir, 0o755)
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	copyExe := filepath.Join(bindir, "ipc.test")
	if err := os.WriteFile(copyExe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := helperCommandExe(copyExe, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return cmd
}

// TestPermissionDenied dials a 0600 socket as another user.
func TestPermissionDenied(t *testing.T) {
	path := sockPath(t)
	os.Chmod(filepath.Dir(path), 0o755)
	for _, c := range []struct {
		mode os.FileMode
		want string
	}{
		{0o600, "op=true permission=true"},
		{0o666, "connected"}, // the control: the same child may connect to an open socket
	} {
		cmd := nobodyCommand(t, "dial-err", path)
		ln, err := (&ipc.ListenConfig{Mode: c.mode}).Listen(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.Output()
		ln.Close()
		if err != nil {
			t.Fatalf("child: %v (%s)", err, out)
		}
		if !strings.HasPrefix(string(out), c.want) {
			t.Errorf("mode %v: child said %q; want %q", c.mode, out, c.want)
		}
	}
}

// killedServer starts a child listening on name and kills it with SIGKILL,
// leaving its socket file behind. It returns the resolved name.
func killedServer(t *testing.T, name string) string {
	c, addr := startChild(t, helperCommand(t, "echo-server", name))
	if strings.HasPrefix(addr, "error") {
		t.Fatal(addr)
	}
	c.cmd.Process.Kill()
	c.cmd.Wait()
	fi, err := os.Lstat(addr)
	if err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("killed server left %v, %v; want its socket file", fi, err)
	}
	return addr
}

func TestReclaimStale(t *testing.T) {
	path := killedServer(t, sockPath(t))
	_, err := ipc.Listen(path)
	wantErr(t, err, "listen", os.ErrExist)

	ln, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	if err != nil {
		t.Fatalf("Reclaim of a stale socket: %v", err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Write([]byte("new"))
			c.Close()
		}
	}()
	c, err := ipc.Dial(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(c)
	c.Close()
	if string(got) != "new" {
		t.Fatalf("got %q from the reclaimed name; want %q", got, "new")
	}
}

func TestReclaimBareName(t *testing.T) {
	privateDir(t, 0o700)
	name := uniqueName("stale")
	killedServer(t, name)
	ln, err := ipc.Listen(name) // bare names always reclaim
	if err != nil {
		t.Fatalf("Listen on a bare name with a stale socket: %v", err)
	}
	ln.Close()
}

func TestReclaimNeverDisplacesLive(t *testing.T) {
	path := sockPath(t)
	c, addr := startChild(t, helperCommand(t, "echo-server", path))
	if addr != path {
		t.Fatal(addr)
	}
	_, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	wantErr(t, err, "listen", os.ErrExist)
	// The live server still serves at the path.
	conn, err := ipc.Dial(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := echoExchange(conn, 1000, 1); err != nil {
		t.Fatalf("live server after a reclaim attempt: %v", err)
	}
	conn.Close()
	c.finish()
}

func TestReclaimNeverRemovesOtherFiles(t *testing.T) {
	path := sockPath(t)
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	wantErr(t, err, "listen", os.ErrExist)
	if data, err := os.ReadFile(path); err != nil || string(data) != "precious" {
		t.Fatalf("regular file now %q, %v", data, err)
	}

	// A symbolic link to a stale socket is not followed or removed either.
	stale := killedServer(t, sockPath(t))
	link := sockPath(t)
	if err := os.Symlink(stale, link); err != nil {
		t.Fatal(err)
	}
	_, err = (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), link)
	wantErr(t, err, "listen", os.ErrExist)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("symlink now %v, %v", fi, err)
	}

	dir := sockPath(t)
	os.Mkdir(dir, 0o700)
	_, err = (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), dir)
	wantErr(t, err, "listen", os.ErrExist)
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("directory now %v, %v", fi, err)
	}
}

// TestCloseRemovesOnlyItsOwnFile checks that Close removes the socket file
// and leaves a successor's file alone.
func TestCloseRemovesOnlyItsOwnFile(t *testing.T) {
	path := sockPath(t)
	ln, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after Close: %v; want the socket file gone", err)
	}

	old, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path) // someone removes it and a successor takes the name
	successor, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer successor.Close()
	old.Close()
	c, err := ipc.Dial(path)
	if err != nil {
		t.Fatalf("successor's socket is gone after the old listener closed: %v", err)
	}
	c.Close()
}

// TestDialBacklogFull dials a listener whose queue is full: the dial waits,
// honours its timeout, and succeeds once the listener accepts.
func TestDialBacklogFull(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("relies on Linux's EAGAIN for a full backlog")
	}
	path := sockPath(t)
	ln, err := (&ipc.ListenConfig{Backlog: 1}).Listen(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// Fill the queue until a dial with a short timeout fails.
	d := ipc.Dialer{Timeout: 50 * time.Millisecond}
	var queued []*ipc.Conn
	defer func() {
		for _, c := range queued {
			c.Close()
		}
	}()
	for {
		c, err := d.DialContext(context.Background(), path)
		if err != nil {
			wantErr(t, err, "dial", os.ErrDeadlineExceeded)
			wantErr(t, err, "dial", context.DeadlineExceeded)
			break
		}
		queued = append(queued, c)
		if len(queued) > 100 {
			t.Fatal("the backlog never filled")
		}
	}
	// A cancelled dial stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := (&ipc.Dialer{}).DialContext(ctx, path)
		errc <- err
	}()
	cancel()
	wantErr(t, <-errc, "dial", context.Canceled)

	// A waiting dial gets through once the listener accepts.
	done := make(chan error)
	go func() {
		c, err := ipc.Dial(path)
		if err == nil {
			c.Close()
		}
		done <- err
	}()
	for range queued {
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	if err := <-done; err != nil {
		t.Fatalf("dial after the queue drained: %v", err)
	}
}

// countFDs returns the number of open descriptors.
func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/dev/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestNoLeaks checks that 10,000 dial/accept/close cycles leave no
// descriptor or goroutine behind.
func TestNoLeaks(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			ln := listen(t, tr.newName(t))
			name := ln.Addr().String()
			cycle := func() {
				c, err := ipc.Dial(name)
				if err != nil {
					t.Fatal(err)
				}
				s, err := ln.AcceptConn()
				if err != nil {
					t.Fatal(err)
				}
				c.Write([]byte("x"))
				s.Read(make([]byte, 1))
				c.Close()
				s.Close()
			}
			cycle() // warm up lazily created runtime state
			fds, gs := countFDs(t), runtime.NumGoroutine()
			for i := 0; i < 10000; i++ {
				cycle()
			}
			if got := countFDs(t); got != fds {
				t.Errorf("descriptors: %d before, %d after", fds, got)
			}
			if got := runtime.NumGoroutine(); got > gs {
				t.Errorf("goroutines: %d before, %d after", gs, got)
			}
		})
	}
}

// Check that a socket file survives nothing it should not: Listen on a
// name whose file was removed by hand still closes cleanly.
func TestCloseAfterFileRemoved(t *testing.T) {
	path := sockPath(t)
	ln, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}
