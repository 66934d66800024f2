// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["hold-fds"] = helperHoldFDs
}

// helperHoldFDs prints "ready" and waits for its standard input to close,
// so that the test can list its descriptors.
func helperHoldFDs(args []string) int {
	fmt.Println("ready")
	waitStdin()
	return 0
}

// fdTargets maps each open descriptor of process pid to what it refers to
// ("socket:[123]", "pipe:[456]", a path, "anon_inode:[pidfd]").
func fdTargets(t *testing.T, pid string) map[int]string {
	t.Helper()
	dir := "/proc/" + pid + "/fd"
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[int]string{}
	for _, e := range ents {
		fd, _ := strconv.Atoi(e.Name())
		if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil {
			m[fd] = target
		}
	}
	return m
}

// TestInheritanceAudit opens every kind of descriptor the package makes —
// listeners on a path and an abstract name, dialled and accepted
// connections in stream and message mode, a connection pair, a datagram
// socket, pipe ends, FIFO ends, a pidfd from PeerProcess, descriptors
// received with RecvFiles and copies from Listener.File and Conn.File —
// and starts two children with os/exec: one given nothing, one given one
// pipe end with PassFile. Listing /proc/<child>/fd, the first holds none
// of the package's descriptors and the second exactly the one passed, as
// its descriptor 3.
func TestInheritanceAudit(t *testing.T) {
	before := fdTargets(t, strconv.Itoa(os.Getpid()))
	var files []*os.File // closed at the end
	t.Cleanup(func() {
		for _, f := range files {
			f.Close()
		}
	})
	closer := func(c interface{ Close() error }) { t.Cleanup(func() { c.Close() }) }
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	path := sockPath(t)
	ln := listen(t, path)
	abs := listen(t, "@"+uniqueName("audit"))
	msgLn := listenMsg(t, filepath.Join(filepath.Dir(path), "m"), true)
	d, err := ipc.Dial(path)
	check(err)
	closer(d)
	a, err := ln.AcceptConn()
	check(err)
	closer(a)
	md, err := (&ipc.Dialer{Message: true}).DialContext(context.Background(), msgLn.Addr().String())
	check(err)
	closer(md)
	ma, err := msgLn.AcceptConn()
	check(err)
	closer(ma)
	p1, p2, err := ipc.ConnPair(false)
	check(err)
	closer(p1)
	closer(p2)
	pc, err := ipc.ListenPacket(filepath.Join(filepath.Dir(path), "d"))
	check(err)
	closer(pc)
	r, w, err := ipc.Pipe()
	check(err)
	files = append(files, r, w)
	fifo := filepath.Join(filepath.Dir(path), "f")
	check(ipc.Mkfifo(fifo, 0o600))
	fr, err := ipc.OpenFifo(context.Background(), fifo, os.O_RDONLY)
	check(err)
	fw, err := ipc.OpenFifo(context.Background(), fifo, os.O_WRONLY)
	check(err)
	files = append(files, fr, fw)
	proc, err := d.PeerProcess()
	check(err)
	closer(proc)
	lf, err := ln.File()
	check(err)
	cf, err := d.File()
	check(err)
	files = append(files, lf, cf)
	// A descriptor received over a connection.
	sr, sw, err := ipc.Pipe()
	check(err)
	if _, err := p1.SendFiles([]byte("x"), sr); err != nil {
		t.Fatal(err)
	}
	sr.Close()
	_, got, _, err := p2.RecvFiles(make([]byte, 1), 1)
	check(err)
	files = append(files, sw)
	files = append(files, got...)
	_ = abs // open, which is all it is here for

	passR, passW, err := ipc.Pipe()
	check(err)
	defer passR.Close()
	// 10 sockets, 3 pipes (each pair's ends and copies share one
	// identity), the FIFO and the pidfd.
	const kinds = 15

	// What the package holds: the sockets, pipes, FIFOs and pidfds opened
	// since the start of the test (the Go runtime opens other files now
	// and then, and the test process may have inherited some).
	self := fdTargets(t, strconv.Itoa(os.Getpid()))
	ours := map[string]bool{}
	for fd, target := range self {
		if before[fd] != target && (target == fifo || strings.HasPrefix(target, "socket:") ||
			strings.HasPrefix(target, "pipe:") || strings.HasPrefix(target, "anon_inode:")) {
			ours[target] = true
		}
	}

	if len(ours) != kinds {
		t.Fatalf("the test opened %d distinct descriptors; want %d: %v", len(ours), kinds, ours)
	}
	for _, pass := range []bool{false, true} {
		cmd := helperCommand(t, "hold-fds")
		want := map[int]string{}
		if pass {
			token, err := ipc.PassFile(cmd, passW)
			check(err)
			want[3] = self[fdOf(t, passW)]
			if token != "3" {
				t.Errorf("token %q; want 3", token)
			}
		}
		c, line := startChild(t, cmd)
		if pass {
			ipc.ReleaseFiles(cmd)
		}
		if line != "ready" {
			t.Fatal(line)
		}
		held := map[int]string{}
		for fd, target := range fdTargets(t, strconv.Itoa(c.cmd.Process.Pid)) {
			if fd > 2 && ours[target] {
				held[fd] = target
			}
		}
		c.finish()
		if fmt.Sprint(sorted(held)) != fmt.Sprint(sorted(want)) {
			t.Errorf("passed %v: the child holds %v of the package's descriptors; want %v", pass, held, want)
		}
		t.Logf("passed %v: %d descriptors of the parent's %d open in the child", pass, len(held), len(ours))
	}
}

func fdOf(t *testing.T, f *os.File) int {
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	rc.Control(func(fd uintptr) { n = int(fd) })
	return n
}

func sorted(m map[int]string) []string {
	var s []string
	for fd, target := range m {
		s = append(s, strconv.Itoa(fd)+"="+target)
	}
	sort.Strings(s)
	return s
}
