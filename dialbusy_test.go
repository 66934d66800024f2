// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build linux || windows

package ipc_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["no-accept"] = helperNoAccept
}

// helperNoAccept listens on args[0] with a backlog of 1 (one pipe instance
// on Windows), prints the resolved name and never accepts, until its
// standard input closes.
func helperNoAccept(args []string) int {
	ln, err := (&ipc.ListenConfig{Backlog: 1, Instances: 1}).Listen(context.Background(), args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(ln.Addr())
	waitStdin()
	ln.Close()
	return 0
}

// TestDialBusyBounded dials a server (in a child process) that never
// accepts, once its queue is full: a dial without a deadline gives up after
// the package's bound with an error that says so, and a dial with a
// deadline waits until the deadline.
func TestDialBusyBounded(t *testing.T) {
	c, addr := startChild(t, helperCommand(t, "no-accept", uniqueName("busy")))
	if strings.HasPrefix(addr, "error") {
		t.Fatal(addr)
	}
	// Fill the queue until a dial with a short timeout fails.
	d := ipc.Dialer{Timeout: 50 * time.Millisecond}
	var queued []*ipc.Conn
	defer func() {
		for _, c := range queued {
			c.Close()
		}
	}()
	for {
		conn, err := d.DialContext(context.Background(), addr)
		if err != nil {
			wantErr(t, err, "dial", os.ErrDeadlineExceeded)
			break
		}
		queued = append(queued, conn)
		if len(queued) > 100 {
			t.Fatal("the queue never filled")
		}
	}

	defer ipc.SetBusyWait(100 * time.Millisecond)()
	errc := make(chan error, 1)
	go func() {
		conn, err := ipc.Dial(addr)
		if err == nil {
			conn.Close()
		}
		errc <- err
	}()
	var err error
	select {
	case err = <-errc:
	case <-time.After(30 * time.Second):
		t.Fatal("Dial without a deadline still waits for a server that never accepts")
	}
	busy := syscall.EAGAIN
	if runtime.GOOS == "windows" {
		busy = syscall.Errno(231) // ERROR_PIPE_BUSY
	}
	wantErr(t, err, "dial", busy)
	if !strings.Contains(err.Error(), "Dialer.Timeout") {
		t.Errorf("error %q does not say how to wait longer", err)
	}

	// With a deadline of its own, a dial waits for it, not for the bound.
	_, err = (&ipc.Dialer{Timeout: 300 * time.Millisecond}).DialContext(context.Background(), addr)
	wantErr(t, err, "dial", os.ErrDeadlineExceeded)
	c.finish()
}
