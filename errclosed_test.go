// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/ipcgo/ipc"
)

// wantArgClosed checks that err reports a closed argument: it matches
// os.ErrClosed, names the file, and does not match net.ErrClosed, which
// is only for the connection's own closing.
func wantArgClosed(t *testing.T, what string, err error, name string) {
	t.Helper()
	if !errors.Is(err, os.ErrClosed) || errors.Is(err, net.ErrClosed) {
		t.Errorf("%s: %v; want an error matching os.ErrClosed and not net.ErrClosed", what, err)
	}
	if err != nil && !strings.Contains(err.Error(), name) {
		t.Errorf("%s: %v; want it to name %s", what, err, name)
	}
}

// checkHealthy checks that a and b still carry data both ways.
func checkHealthy(t *testing.T, a, b *ipc.Conn) {
	t.Helper()
	for _, p := range [][2]*ipc.Conn{{a, b}, {b, a}} {
		if _, err := p[0].Write([]byte("ping")); err != nil {
			t.Fatalf("the connection is unusable: Write: %v", err)
		}
		buf := make([]byte, 4)
		if _, err := io.ReadFull(p[1], buf); err != nil || string(buf) != "ping" {
			t.Fatalf("the connection is unusable: Read = %q, %v", buf, err)
		}
	}
}

// TestClosedArgumentNotErrClosed closes the files handed to a connection's
// methods, before and during the calls: the errors name those files and
// match os.ErrClosed, never net.ErrClosed, and the connection goes on
// working. Closing the connection itself still gives net.ErrClosed.
func TestClosedArgumentNotErrClosed(t *testing.T) {
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()

	if runtime.GOOS != "windows" {
		r, w, err := ipc.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		r.Close()
		_, err = a.SendFiles([]byte("x"), r)
		wantArgClosed(t, "SendFiles of a closed file", err, r.Name())
		_, err = ipc.FileConn(r)
		wantArgClosed(t, "FileConn of a closed file", err, r.Name())
		checkHealthy(t, a, b)
	}

	// ReadFrom a pipe closed before the call and while the call waits.
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r.Close()
	_, err = a.ReadFrom(r)
	wantArgClosed(t, "ReadFrom a closed pipe", err, r.Name())
	r, w2, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	errc := make(chan error, 1)
	go func() {
		_, err := a.ReadFrom(r)
		errc <- err
	}()
	waitParked(t, "IO wait", "ipc.(*Conn).ReadFrom")
	r.Close()
	wantArgClosed(t, "ReadFrom a pipe closed while it waits", <-errc, r.Name())
	checkHealthy(t, a, b)

	// WriteTo a pipe closed before the call and while the call waits
	// for room in it.
	r, w, err = ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	w.Close()
	b.Write([]byte("x"))
	_, err = a.WriteTo(w)
	wantArgClosed(t, "WriteTo a closed pipe", err, w.Name())
	r, w, err = ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		_, err := a.WriteTo(w)
		errc <- err
	}()
	// More than any pipe holds, so that WriteTo waits for room. The
	// writer stays blocked until b is closed.
	go b.Write(make([]byte, 8<<20))
	waitParked(t, "IO wait", "ipc.(*Conn).WriteTo")
	w.Close()
	wantArgClosed(t, "WriteTo a pipe closed while it waits", <-errc, w.Name())

	// The connection's own closing during ReadFrom is net.ErrClosed.
	c, d, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r, w, err = ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	go func() {
		_, err := c.ReadFrom(r)
		errc <- err
	}()
	waitParked(t, "IO wait", "ipc.(*Conn).ReadFrom")
	c.Close()
	w.Write([]byte("wake")) // a ReadFrom that waits for r notices once r has data
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("ReadFrom after the connection's own Close: %v; want net.ErrClosed", err)
	}
}
