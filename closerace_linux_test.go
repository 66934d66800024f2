// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

// closeRaceRounds is how often TestCloseRaces races each call with Close.
const closeRaceRounds = 1000

// hangLimit is how long TestCloseRaces waits for a call to return after
// Close before it reports a hang.
const hangLimit = 10 * time.Second

// fillRaw writes to c's socket with raw non-blocking system calls until
// the kernel refuses more, so that c's next Write (or WriteMsg) blocks.
func fillRaw(t *testing.T, c *ipc.Conn) {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	rc.Control(func(fd uintptr) {
		for {
			if _, err := syscall.Write(int(fd), buf); err != nil {
				return
			}
		}
	})
}

// TestCloseRaces races each blocking call with the Close (or context
// cancellation) that must end it, closeRaceRounds times each, Close
// sometimes before the call starts and sometimes while it waits. Every
// call must return, with an error matching net.ErrClosed (or
// context.Canceled where a context ends it). Run under -race by make race.
func TestCloseRaces(t *testing.T) {
	pollerUp(t)
	type race struct {
		name string
		// setup makes what call needs and returns the call and what
		// ends it.
		setup func(t *testing.T) (call func() error, end func(), want error)
	}
	// later holds what a round made, closed at the end of the round.
	var later []func()
	cleanup := func(f func()) { later = append(later, f) }
	pair := func(t *testing.T, message bool) (*ipc.Conn, *ipc.Conn) {
		a, b, err := ipc.ConnPair(message)
		if err != nil {
			t.Fatal(err)
		}
		cleanup(func() { a.Close(); b.Close() })
		return a, b
	}
	dir := filepath.Dir(sockPath(t))
	n := 0
	races := []race{
		{"Read", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, false)
			return func() error { _, err := a.Read(make([]byte, 1)); return err }, func() { a.Close() }, net.ErrClosed
		}},
		{"Write", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, false)
			fillRaw(t, a)
			return func() error { _, err := a.Write(make([]byte, 1<<16)); return err }, func() { a.Close() }, net.ErrClosed
		}},
		{"ReadMsg", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, true)
			return func() error { _, _, err := a.ReadMsg(make([]byte, 1)); return err }, func() { a.Close() }, net.ErrClosed
		}},
		{"WriteMsg", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, true)
			fillRaw(t, a)
			return func() error { _, err := a.WriteMsg(make([]byte, 4096)); return err }, func() { a.Close() }, net.ErrClosed
		}},
		{"RecvFiles", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, false)
			return func() error {
				_, files, _, err := a.RecvFiles(make([]byte, 1), 4)
				for _, f := range files {
					f.Close()
				}
				return err
			}, func() { a.Close() }, net.ErrClosed
		}},
		{"WriteTo", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, false)
			r, w, err := ipc.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cleanup(func() { r.Close(); w.Close() })
			return func() error { _, err := a.WriteTo(w); return err }, func() { a.Close() }, net.ErrClosed
		}},
		{"ReadFrom", func(t *testing.T) (func() error, func(), error) {
			a, _ := pair(t, false)
			r, w, err := ipc.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cleanup(func() { r.Close(); w.Close() })
			// Close ends a ReadFrom that waits for its source once the
			// source has data or ends (Conn.ReadFrom's documentation, as
			// for a copy loop): close the source too.
			return func() error {
				_, err := a.ReadFrom(r)
				if err == nil {
					err = net.ErrClosed // the source's end came first
				}
				return err
			}, func() { a.Close(); w.Close() }, net.ErrClosed
		}},
		{"Accept", func(t *testing.T) (func() error, func(), error) {
			n++
			ln, err := ipc.Listen(filepath.Join(dir, "l"+strconv.Itoa(n)))
			if err != nil {
				t.Fatal(err)
			}
			cleanup(func() { ln.Close() })
			return func() error { _, err := ln.Accept(); return err }, func() { ln.Close() }, net.ErrClosed
		}},
		{"PacketConn.ReadFrom", func(t *testing.T) (func() error, func(), error) {
			n++
			p, err := ipc.ListenPacket(filepath.Join(dir, "p"+strconv.Itoa(n)))
			if err != nil {
				t.Fatal(err)
			}
			cleanup(func() { p.Close() })
			return func() error { _, _, err := p.ReadFrom(make([]byte, 1)); return err }, func() { p.Close() }, net.ErrClosed
		}},
		{"OpenFifo", func(t *testing.T) (func() error, func(), error) {
			n++
			path := filepath.Join(dir, "f"+strconv.Itoa(n))
			if err := ipc.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
			cleanup(func() { os.Remove(path) })
			ctx, cancel := context.WithCancel(context.Background())
			return func() error {
				f, err := ipc.OpenFifo(ctx, path, os.O_WRONLY)
				if err == nil {
					f.Close()
				}
				return err
			}, cancel, context.Canceled
		}},
		{"Dial", func(t *testing.T) (func() error, func(), error) {
			ctx, cancel := context.WithCancel(context.Background())
			return func() error {
				c, err := (&ipc.Dialer{}).DialContext(ctx, busyPath(t))
				if err == nil {
					c.Close()
				}
				return err
			}, cancel, context.Canceled
		}},
		{"SignalWaiter.Wait", func(t *testing.T) (func() error, func(), error) {
			w, err := ipc.NewSignalWaiter(syscall.SIGUSR2)
			if err != nil {
				t.Fatal(err)
			}
			cleanup(w.Stop)
			return func() error { _, err := w.Wait(context.Background()); return err }, w.Stop, net.ErrClosed
		}},
	}
	busyPath(t) // before the descriptor counts: it stays for all rounds
	for _, r := range races {
		t.Run(r.name, func(t *testing.T) {
			var fds int
			for i := range closeRaceRounds {
				call, end, want := r.setup(t)
				done := make(chan error, 1)
				go func() { done <- call() }()
				ended := make(chan struct{})
				if i%2 == 0 {
					end()
					close(ended)
				} else {
					go func() { end(); close(ended) }()
				}
				select {
				case err := <-done:
					if !errors.Is(err, want) {
						t.Fatalf("round %d: %v; want an error matching %v", i, err, want)
					}
				case <-time.After(hangLimit):
					t.Fatalf("round %d: still blocked %v after the close", i, hangLimit)
				}
				<-ended
				for _, f := range later {
					f()
				}
				later = later[:0]
				if i == 0 {
					// After one round: the splice copies keep an internal
					// pipe for the next one.
					fds = countFDs(t)
				}
			}
			if got := countFDs(t); got != fds {
				t.Errorf("descriptors: %d before, %d after", fds, got)
			}
		})
	}
}

var busy struct {
	path  string
	conns []int
}

// busyPath returns the path of a listener, made on first use, whose queue
// is full and never drains, so that a Dial to it waits.
func busyPath(t *testing.T) string {
	if busy.path != "" {
		return busy.path
	}
	path := sockPath(t)
	ln, err := (&ipc.ListenConfig{Backlog: 1}).Listen(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ln.Close()
		for _, fd := range busy.conns {
			syscall.Close(fd)
		}
		busy.path, busy.conns = "", nil
	})
	for {
		fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		busy.conns = append(busy.conns, fd)
		if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}); err == syscall.EAGAIN {
			break
		}
	}
	busy.path = path
	return path
}
