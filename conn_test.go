// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

// transport names a kind of local socket name the conformance tests run
// over.
type transport struct {
	name       string
	newName    func(t testing.TB) string
	message    bool // message-mode connections (Windows message pipes)
	lowLatency bool // both ends in low-latency mode
}

// listen starts a listener on a fresh name of the transport and closes it
// after the test.
func listen(t testing.TB, name string) *ipc.Listener {
	t.Helper()
	return listenMsg(t, name, false)
}

// listenMsg is listen with a choice of message mode.
func listenMsg(t testing.TB, name string, message bool) *ipc.Listener {
	t.Helper()
	lc := ipc.ListenConfig{Message: message}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// pair returns both ends of a fresh connection over the transport.
func pair(t testing.TB, tr transport) (client, server *ipc.Conn, ln *ipc.Listener) {
	t.Helper()
	name := tr.newName(t)
	lc := ipc.ListenConfig{Message: tr.message, LowLatency: tr.lowLatency}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	type result struct {
		c   *ipc.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := ln.AcceptConn()
		ch <- result{c, err}
	}()
	d := ipc.Dialer{Message: tr.message, LowLatency: tr.lowLatency}
	client, err = d.DialContext(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { client.Close(); r.c.Close() })
	return client, r.c, ln
}

// wantErr checks that err is a *net.OpError with the given Op that matches
// target with errors.Is.
func wantErr(t testing.TB, err error, op string, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error; want %s error matching %v", op, target)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("got %T (%v); want *net.OpError", err, err)
	}
	if op != "" && oe.Op != op {
		t.Errorf("Op = %q; want %q (%v)", oe.Op, op, err)
	}
	if oe.Net == "" || oe.Addr == nil {
		t.Errorf("Net = %q, Addr = %v; want both set (%v)", oe.Net, oe.Addr, err)
	}
	if !errors.Is(err, target) {
		t.Errorf("error %v does not match %v", err, target)
	}
}

func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		fn   func(t *testing.T, tr transport)
	}{
		{"BasicIO", testBasicIO},
		{"PingPong", testPingPong},
		{"CloseWrite", testCloseWrite},
		{"ConcurrentReadWriteClose", testConcurrentReadWriteClose},
		{"PastDeadline", testPastDeadline},
		{"FutureDeadline", testFutureDeadline},
		{"CloseUnblocksRead", testCloseUnblocksRead},
		{"CloseUnblocksAccept", testCloseUnblocksAccept},
		{"UseAfterClose", testUseAfterClose},
		{"Addrs", testAddrs},
	}
	trs := transports(t)
	// The first transport again with both ends in low-latency mode, which
	// must not change any behaviour.
	trs = append(trs, transport{name: trs[0].name + "-lowlatency", newName: trs[0].newName, lowLatency: true})
	for _, tr := range trs {
		t.Run(tr.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.fn(t, tr)
				})
			}
		})
	}
}

func testBasicIO(t *testing.T, tr transport) {
	client, server, _ := pair(t, tr)
	want := make([]byte, 1<<20)
	for i := range want {
		want[i] = byte(i*7 + i>>8)
	}
	// Both directions at once.
	errc := make(chan error, 2)
	for _, c := range []*ipc.Conn{client, server} {
		go func() {
			_, err := c.Write(want)
			errc <- err
		}()
	}
	got1, got2 := make([]byte, len(want)), make([]byte, len(want))
	var err1 error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, err1 = io.ReadFull(server, got1) }()
	_, err2 := io.ReadFull(client, got2)
	wg.Wait()
	for _, err := range []error{<-errc, <-errc, err1, err2} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got1, want) || !bytes.Equal(got2, want) {
		t.Fatal("data corrupted")
	}
	// Closing one end is the end of the data at the other.
	client.Close()
	if n, err := server.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("Read after the peer closed = %d, %v; want 0, io.EOF", n, err)
	}
}

func testPingPong(t *testing.T, tr transport) {
	client, server, _ := pair(t, tr)
	go func() {
		buf := make([]byte, 8)
		for {
			n, err := server.Read(buf)
			if err != nil {
				return
			}
			buf[0]++
			if _, err := server.Write(buf[:n]); err != nil {
				return
			}
		}
	}()
	buf := []byte{0}
	for i := 0; i < 1000; i++ {
		want := buf[0] + 1
		if _, err := client.Write(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(client, buf); err != nil {
			t.Fatal(err)
		}
		if buf[0] != want {
			t.Fatalf("round %d: got %d; want %d", i, buf[0], want)
		}
	}
}

func testCloseWrite(t *testing.T, tr transport) {
	client, server, _ := pair(t, tr)
	if runtime.GOOS == "windows" {
		// Named pipes have no half close.
		wantErr(t, client.CloseWrite(), "close", errors.ErrUnsupported)
		wantErr(t, server.CloseRead(), "close", errors.ErrUnsupported)
		return
	}
	if _, err := client.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	if err := client.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(server)
	if err != nil || string(got) != "request" {
		t.Fatalf("server read %q, %v; want %q, nil", got, err, "request")
	}
	// The other direction still works after the half close.
	if _, err := server.Write([]byte("response")); err != nil {
		t.Fatal(err)
	}
	server.CloseWrite()
	got, err = io.ReadAll(client)
	if err != nil || string(got) != "response" {
		t.Fatalf("client read %q, %v; want %q, nil", got, err, "response")
	}
	// Writing after CloseWrite fails with EPIPE and no signal.
	_, err = client.Write([]byte("x"))
	wantErr(t, err, "write", syscall.EPIPE)
}

func testConcurrentReadWriteClose(t *testing.T, tr transport) {
	client, server, _ := pair(t, tr)
	go io.Copy(io.Discard, server)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			buf := make([]byte, 1024)
			for {
				if _, err := client.Write(buf); err != nil {
					if !errors.Is(err, net.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
						t.Errorf("Write: %v; want net.ErrClosed", err)
					}
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			<-start
			buf := make([]byte, 1024)
			_, err := client.Read(buf)
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("Read: %v; want net.ErrClosed", err)
			}
		}()
	}
	close(start)
	// Let the writers push data through before closing; a write that
	// completes proves they are running.
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

func testPastDeadline(t *testing.T, tr transport) {
	client, _, ln := pair(t, tr)
	past := time.Now().Add(-time.Second)

	client.SetReadDeadline(past)
	_, err := client.Read(make([]byte, 1))
	wantErr(t, err, "read", os.ErrDeadlineExceeded)
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Errorf("Read error %v: Timeout() is not true", err)
	}

	client.SetWriteDeadline(past)
	_, err = client.Write([]byte("x"))
	wantErr(t, err, "write", os.ErrDeadlineExceeded)

	ln.SetDeadline(past)
	_, err = ln.Accept()
	wantErr(t, err, "accept", os.ErrDeadlineExceeded)

	// Clearing the deadlines makes the calls work again.
	client.SetDeadline(time.Time{})
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatalf("Write after clearing the deadline: %v", err)
	}
}

func testFutureDeadline(t *testing.T, tr transport) {
	client, _, ln := pair(t, tr)
	const d = 50 * time.Millisecond

	start := time.Now()
	client.SetReadDeadline(start.Add(d))
	_, err := client.Read(make([]byte, 1))
	wantErr(t, err, "read", os.ErrDeadlineExceeded)
	if el := time.Since(start); el < d {
		t.Errorf("Read returned after %v; want at least %v", el, d)
	}

	// Fill the socket buffer until a write must wait for the deadline.
	start = time.Now()
	client.SetWriteDeadline(start.Add(d))
	buf := make([]byte, 64<<10)
	for {
		if _, err = client.Write(buf); err != nil {
			break
		}
	}
	wantErr(t, err, "write", os.ErrDeadlineExceeded)
	if el := time.Since(start); el < d {
		t.Errorf("Write returned after %v; want at least %v", el, d)
	}

	start = time.Now()
	ln.SetDeadline(start.Add(d))
	_, err = ln.Accept()
	wantErr(t, err, "accept", os.ErrDeadlineExceeded)
	if el := time.Since(start); el < d {
		t.Errorf("Accept returned after %v; want at least %v", el, d)
	}
}

func testCloseUnblocksRead(t *testing.T, tr transport) {
	client, _, _ := pair(t, tr)
	errc := make(chan error)
	go func() {
		_, err := client.Read(make([]byte, 1))
		errc <- err
	}()
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, <-errc, "read", net.ErrClosed)
}

func testCloseUnblocksAccept(t *testing.T, tr transport) {
	ln := listen(t, tr.newName(t))
	errc := make(chan error)
	go func() {
		_, err := ln.Accept()
		errc <- err
	}()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, <-errc, "accept", net.ErrClosed)
}

func testUseAfterClose(t *testing.T, tr transport) {
	client, _, ln := pair(t, tr)
	client.Close()
	_, err := client.Read(make([]byte, 1))
	wantErr(t, err, "read", net.ErrClosed)
	_, err = client.Write([]byte("x"))
	wantErr(t, err, "write", net.ErrClosed)
	wantErr(t, client.Close(), "close", net.ErrClosed)
	wantErr(t, client.CloseWrite(), "close", net.ErrClosed)
	wantErr(t, client.CloseRead(), "close", net.ErrClosed)
	wantErr(t, client.SetDeadline(time.Now()), "set", net.ErrClosed)
	ln.Close()
	wantErr(t, ln.Close(), "close", net.ErrClosed)
	_, err = ln.Accept()
	wantErr(t, err, "accept", net.ErrClosed)
}

func testAddrs(t *testing.T, tr transport) {
	client, server, ln := pair(t, tr)
	name := ln.Addr().String()
	wantNet := "unix"
	if runtime.GOOS == "windows" {
		wantNet = "pipe"
	}
	if ln.Addr().Network() != wantNet {
		t.Errorf("Listener.Addr().Network() = %q; want %s", ln.Addr().Network(), wantNet)
	}
	if got := client.RemoteAddr().String(); got != name {
		t.Errorf("client RemoteAddr = %q; want %q", got, name)
	}
	if got := server.LocalAddr().String(); got != name {
		t.Errorf("server LocalAddr = %q; want %q", got, name)
	}
	unnamed := "" // as package net shows an unnamed socket
	if runtime.GOOS == "linux" || runtime.GOOS == "android" {
		unnamed = "@"
	}
	if got := client.LocalAddr().String(); got != unnamed {
		t.Errorf("client LocalAddr = %q; want unnamed, %q", got, unnamed)
	}
}
