// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["reclaim-race"] = helperReclaimRace
	helpers["squat"] = helperSquat
}

// helperReclaimRace prints "ready", waits for a line on standard input and
// then listens on args[0] with Reclaim. It prints "won" and serves one
// connection (writing "w") until standard input closes, or prints "lost"
// and whether the error matched os.ErrExist, and exits at once.
func helperReclaimRace(args []string) int {
	fmt.Println("ready")
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	ln, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), args[0])
	if err != nil {
		fmt.Printf("lost exist=%v %v\n", errors.Is(err, os.ErrExist), err)
		return 0
	}
	fmt.Println("won")
	c, err := ln.Accept()
	if err == nil {
		c.Write([]byte("w"))
		c.Close()
	}
	io.Copy(io.Discard, in)
	ln.Close()
	return 0
}

// TestReclaimHundredProcesses starts 100 processes (25 with -short) that
// all listen with Reclaim on one path where a dead server left its socket
// file, released at the same moment: exactly one wins, every other fails with an error
// matching os.ErrExist, and once all the losers have exited the winner's
// socket is still there and reachable: no loser unlinked a live socket.
func TestReclaimHundredProcesses(t *testing.T) {
	n := volume(100, 25)
	path := sockPath(t)
	staleSocket(t, path)
	children := make([]*child, n)
	for i := range children {
		c, line := startChild(t, helperCommand(t, "reclaim-race", path))
		if line != "ready" {
			t.Fatal(line)
		}
		children[i] = c
	}
	for _, c := range children {
		fmt.Fprintln(c.stdin, "go")
	}
	var winner *child
	for i, c := range children {
		line, err := c.out.ReadString('\n')
		switch {
		case line == "won\n":
			if winner != nil {
				t.Fatalf("child %d won too", i)
			}
			winner = c
		case strings.HasPrefix(line, "lost exist=true"):
			c.finish()
		default:
			t.Fatalf("child %d: %q, %v; want won, or lost with an error matching os.ErrExist", i, line, err)
		}
	}
	if winner == nil {
		t.Fatal("no child won")
	}
	conn, err := ipc.Dial(path)
	if err != nil {
		t.Fatalf("the winner is unreachable once the losers have gone: %v", err)
	}
	defer conn.Close()
	b := make([]byte, 1)
	if _, err := io.ReadFull(conn, b); err != nil || b[0] != 'w' {
		t.Fatalf("from the winner: %q, %v", b, err)
	}
	winner.finish()
}

// helperSquat listens on args[0] and prints "listening", or prints the
// error and whether it matched os.ErrPermission; then it accepts
// connections until standard input closes.
func helperSquat(args []string) int {
	ln, err := ipc.Listen(args[0])
	if err != nil {
		fmt.Printf("error permission=%v %v\n", errors.Is(err, os.ErrPermission), err)
		return 0
	}
	fmt.Println("listening")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	waitStdin()
	ln.Close()
	return 0
}

// TestSquatting plays a second local user (nobody) who takes a service's
// name before the service starts. An abstract name is anyone's to take:
// the service's Listen then fails with an error matching os.ErrExist (it
// never shares or steals the name), and a client that checks PeerCred sees
// the squatter's user ID and can refuse it. A bare name's socket lives in
// the service user's private directory, where the squatter cannot create
// anything: its Listen fails with os.ErrPermission and leaves no file.
func TestSquatting(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the test switches to user nobody and must run as root")
	}
	t.Run("abstract", func(t *testing.T) {
		name := "@" + uniqueName("squat")
		c, line := startChild(t, nobodyCommand(t, "squat", name))
		if line != "listening" {
			t.Fatal(line)
		}
		_, err := ipc.Listen(name)
		wantErr(t, err, "listen", os.ErrExist)
		conn, err := ipc.Dial(name)
		if err != nil {
			t.Fatal(err)
		}
		cred, err := conn.PeerCred()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if cred.UID != 65534 || cred.UID == os.Geteuid() {
			t.Errorf("PeerCred of the squatter: UID %d; want 65534, not this process's %d", cred.UID, os.Geteuid())
		}
		c.finish()
	})
	t.Run("bare", func(t *testing.T) {
		privateDir(t, 0o700)
		ln, err := ipc.Listen("squat")
		if err != nil {
			t.Fatal(err)
		}
		path := ln.Addr().String()
		ln.Close()
		c, line := startChild(t, nobodyCommand(t, "squat", path))
		if !strings.HasPrefix(line, "error permission=true") {
			t.Fatalf("nobody listening on the service's bare-name path: %s; want a permission error", line)
		}
		c.finish()
		if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after the squatter's attempt: %v; want no file", err)
		}
		// The service starts as usual.
		ln, err = ipc.Listen("squat")
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
	})
}

// TestSocketSwappedAfterBind replaces the socket file, right after bind
// and before the mode is set, with a symbolic link to another file, as a
// user with write access to the directory could: Listen must never change
// that file's mode, must fail with an error saying the file was replaced
// (no client could reach the socket), and must leave the link alone, as
// it is not the listener's to remove.
func TestSocketSwappedAfterBind(t *testing.T) {
	for _, mode := range []os.FileMode{0o666, 0} {
		t.Run(mode.String(), func(t *testing.T) { testSocketSwapped(t, mode) })
	}
}

func testSocketSwapped(t *testing.T, mode os.FileMode) {
	dir := filepath.Dir(sockPath(t))
	path := filepath.Join(dir, "s")
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	defer syscall.Umask(syscall.Umask(0o077)) // a mode then needs a chmod after bind
	restore := ipc.SetBoundHook(func(p string) {
		if p != path {
			return
		}
		os.Remove(p)
		if err := os.Symlink(victim, p); err != nil {
			t.Error(err)
		}
	})
	defer restore()
	ln, err := (&ipc.ListenConfig{Mode: mode}).Listen(context.Background(), path)
	if err == nil {
		ln.Close()
		t.Error("Listen succeeded with its socket file replaced; no client can reach it")
	} else {
		var oe *net.OpError
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), "replaced") {
			t.Errorf("Listen with the socket swapped for a link: %v; want a *net.OpError saying the file was replaced", err)
		}
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link at the socket's path: %v, %v; want it left alone, as it is not the listener's", fi, err)
	}
	fi, err := os.Stat(victim)
	if err != nil {
		t.Fatalf("the link's target: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the link's target has mode %v; want it untouched at 0600", fi.Mode().Perm())
	}
}
