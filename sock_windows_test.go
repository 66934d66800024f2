// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["write-and-exit"] = helperWriteAndExit
}

var (
	modadvapi32 = syscall.NewLazyDLL("advapi32.dll")
	modkernel32 = syscall.NewLazyDLL("kernel32.dll")

	procGetSecurityInfo       = modadvapi32.NewProc("GetSecurityInfo")
	procConvertSDToString     = modadvapi32.NewProc("ConvertSecurityDescriptorToStringSecurityDescriptorW")
	procOpenThreadToken       = modadvapi32.NewProc("OpenThreadToken")
	procGetProcessHandleCount = modkernel32.NewProc("GetProcessHandleCount")
	procGetCurrentThread      = modkernel32.NewProc("GetCurrentThread")
)

// connHandle returns the pipe handle under c.
func connHandle(t testing.TB, c *ipc.Conn) syscall.Handle {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var h syscall.Handle
	if err := rc.Control(func(fd uintptr) { h = syscall.Handle(fd) }); err != nil {
		t.Fatal(err)
	}
	return h
}

// pipeDACL reads the DACL of the pipe behind h back as SDDL.
func pipeDACL(t testing.TB, h syscall.Handle) string {
	t.Helper()
	const seKernelObject, daclInfo = 6, 4
	var sd uintptr
	r, _, _ := procGetSecurityInfo.Call(uintptr(h), seKernelObject, daclInfo, 0, 0, 0, 0, uintptr(unsafe.Pointer(&sd)))
	if r != 0 {
		t.Fatalf("GetSecurityInfo: %v", syscall.Errno(r))
	}
	defer syscall.LocalFree(syscall.Handle(sd))
	var s *uint16
	r, _, err := procConvertSDToString.Call(sd, 1, daclInfo, uintptr(unsafe.Pointer(&s)), 0)
	if r == 0 {
		t.Fatalf("ConvertSecurityDescriptorToStringSecurityDescriptor: %v", err)
	}
	defer syscall.LocalFree(syscall.Handle(unsafe.Pointer(s)))
	return syscall.UTF16ToString(unsafe.Slice(s, 1<<16))
}

func handleCount(t testing.TB) int {
	var n uint32
	cur, _ := syscall.GetCurrentProcess()
	if r, _, err := procGetProcessHandleCount.Call(uintptr(cur), uintptr(unsafe.Pointer(&n))); r == 0 {
		t.Fatalf("GetProcessHandleCount: %v", err)
	}
	return int(n)
}

func TestWindowsNames(t *testing.T) {
	name := uniqueName("ipc-names")
	ln := listen(t, name)
	want := `\\.\pipe\` + name
	if got := ln.Addr().String(); got != want {
		t.Errorf("Addr = %q; want %q", got, want)
	}
	// The bare name, the @ form and the full path are the same pipe.
	for _, n := range []string{name, "@" + name, want} {
		c, err := ipc.Dial(n)
		if err != nil {
			t.Fatalf("Dial(%q): %v", n, err)
		}
		c.Close()
	}
	cases := []struct {
		name string
		err  error
	}{
		{"", syscall.EINVAL},
		{"@", syscall.EINVAL},
		{"a\x00b", syscall.EINVAL},
		{"dir/name", syscall.EINVAL},
		{`C:\dir\name`, syscall.EINVAL},
		{`\\.\pipe\`, syscall.EINVAL},
		{strings.Repeat("n", 250), syscall.ENAMETOOLONG},
	}
	for _, c := range cases {
		_, err := ipc.Listen(c.name)
		wantErr(t, err, "listen", c.err)
		_, err = ipc.Dial(c.name)
		wantErr(t, err, "dial", c.err)
	}
	lc := ipc.ListenConfig{Mode: 0o600}
	_, err := lc.Listen(context.Background(), uniqueName("ipc-mode"))
	wantErr(t, err, "listen", errors.ErrUnsupported)
	lc = ipc.ListenConfig{Instances: 64}
	_, err = lc.Listen(context.Background(), uniqueName("ipc-inst"))
	wantErr(t, err, "listen", syscall.EINVAL)
}

// serveEcho accepts on ln and echoes every connection until ln is closed.
func serveEcho(ln *ipc.Listener) {
	for {
		c, err := ln.AcceptConn()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

// TestAcceptBurst connects 64 clients at once to a listener with the
// default four waiting instances: the rest wait for a free instance instead
// of failing with ERROR_PIPE_BUSY.
func TestAcceptBurst(t *testing.T) {
	name := uniqueName("ipc-burst")
	ln := listen(t, name)
	go serveEcho(ln)
	if err := runClients(name, 64, 64<<10); err != nil {
		t.Fatal(err)
	}
}

// TestClientLeavesBeforeAccept checks that a client that connected and went
// away before Accept does not break the next Accept.
func TestClientLeavesBeforeAccept(t *testing.T) {
	name := uniqueName("ipc-leave")
	lc := ipc.ListenConfig{Instances: 1}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	gone, err := ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	gone.Close()
	errc := make(chan error, 1)
	go func() {
		c, err := ipc.Dial(name)
		if err == nil {
			_, err = c.Write([]byte("hello"))
			defer c.Close()
			io.Copy(io.Discard, c)
		}
		errc <- err
	}()
	// The first Accept may return the departed client (which reads as
	// EOF at once); the live one must come no later than the second.
	for i := 0; ; i++ {
		c, err := ln.AcceptConn()
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 5)
		_, err = io.ReadFull(c, buf)
		c.Close()
		if err == nil && string(buf) == "hello" {
			break
		}
		if err != io.EOF || i > 0 {
			t.Fatalf("accept %d: read %q, %v", i, buf, err)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestCloseDuringAccept closes a listener while Accept waits and clients
// keep dialing, 200 times: Accept must return net.ErrClosed every time and
// Close must never hang or leak.
func TestCloseDuringAccept(t *testing.T) {
	before := handleCount(t)
	for i := 0; i < 200; i++ {
		name := uniqueName("ipc-close")
		ln, err := ipc.Listen(name)
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if c, err := ipc.Dial(name); err == nil {
					c.Close()
				}
			}
		}()
		accepted := make(chan error, 1)
		go func() {
			defer wg.Done()
			for {
				c, err := ln.AcceptConn()
				if err != nil {
					accepted <- err
					return
				}
				c.Close()
			}
		}()
		if err := ln.Close(); err != nil {
			t.Fatal(err)
		}
		wantErr(t, <-accepted, "accept", net.ErrClosed)
		close(stop)
		wg.Wait()
	}
	// Handles the runtime caches (threads, events) may grow a little; a
	// leak of a pipe or event per listener would add at least 200.
	if after := handleCount(t); after > before+50 {
		t.Errorf("handle count grew from %d to %d over 200 listeners", before, after)
	}
}

func TestDialNoServer(t *testing.T) {
	_, err := ipc.Dial(uniqueName("ipc-none"))
	wantErr(t, err, "dial", os.ErrNotExist)
}

// TestDialBusy fills the only instance of a listener: a second client waits
// until Accept frees one, or until its context ends.
func TestDialBusy(t *testing.T) {
	name := uniqueName("ipc-busy")
	lc := ipc.ListenConfig{Instances: 1}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	first, err := ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	d := ipc.Dialer{Timeout: 100 * time.Millisecond}
	_, err = d.DialContext(context.Background(), name)
	wantErr(t, err, "dial", os.ErrDeadlineExceeded)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not match context.DeadlineExceeded", err)
	}

	dialed := make(chan error, 1)
	go func() {
		c, err := ipc.Dial(name)
		if err == nil {
			c.Close()
		}
		dialed <- err
	}()
	for i := 0; i < 2; i++ {
		c, err := ln.AcceptConn()
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	if err := <-dialed; err != nil {
		t.Fatal(err)
	}
}

// msgPair returns both ends of a message-mode connection.
func msgPair(t testing.TB) (client, server *ipc.Conn) {
	client, server, _ = pair(t, transport{newName: func(testing.TB) string { return uniqueName("ipc-msg") }, message: true})
	return client, server
}

func TestMessageBoundaries(t *testing.T) {
	client, server := msgPair(t)
	sizes := []int{0, 1, 64 << 10, 0, 1 << 20, 3}
	msgs := make([][]byte, len(sizes))
	for i, n := range sizes {
		msgs[i] = bytes.Repeat([]byte{byte('a' + i)}, n)
	}
	errc := make(chan error, 1)
	go func() {
		for _, m := range msgs {
			if n, err := client.WriteMsg(m); err != nil || n != len(m) {
				errc <- fmt.Errorf("WriteMsg(%d bytes) = %d, %v", len(m), n, err)
				return
			}
		}
		errc <- client.Close()
	}()
	buf := make([]byte, 2<<20)
	for i, m := range msgs {
		n, trunc, err := server.ReadMsg(buf)
		if err != nil || trunc || !bytes.Equal(buf[:n], m) {
			t.Fatalf("message %d: ReadMsg = %d, %v, %v; want %d bytes", i, n, trunc, err, len(m))
		}
	}
	if n, _, err := server.ReadMsg(buf); n != 0 || err != io.EOF {
		t.Fatalf("ReadMsg at the end = %d, %v; want 0, io.EOF", n, err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestMessageTruncation(t *testing.T) {
	client, server := msgPair(t)
	for _, m := range []string{"hello world", "next"} {
		if _, err := client.WriteMsg([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 5)
	n, trunc, err := server.ReadMsg(buf)
	if err != nil || !trunc || string(buf[:n]) != "hello" {
		t.Fatalf("ReadMsg = %q, %v, %v; want hello, truncated", buf[:n], trunc, err)
	}
	// The rest of the message is not lost: it is the next read.
	buf = make([]byte, 64)
	n, trunc, err = server.ReadMsg(buf)
	if err != nil || trunc || string(buf[:n]) != " world" {
		t.Fatalf("ReadMsg = %q, %v, %v; want \" world\"", buf[:n], trunc, err)
	}
	if n, trunc, err = server.ReadMsg(buf); err != nil || trunc || string(buf[:n]) != "next" {
		t.Fatalf("ReadMsg = %q, %v, %v; want \"next\"", buf[:n], trunc, err)
	}
	// Plain Read returns a message in parts, without an error.
	if _, err := client.WriteMsg([]byte("abcdef")); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"abcd", "ef"} {
		n, err := server.Read(buf[:4+60*i])
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("Read = %q, %v; want %q, nil", buf[:n], err, want)
		}
	}
}

// TestReadEmptyMessage checks that plain Read reports an empty message as
// zero bytes, not as the end of the connection.
func TestReadEmptyMessage(t *testing.T) {
	client, server := msgPair(t)
	client.WriteMsg(nil)
	client.WriteMsg([]byte("x"))
	buf := make([]byte, 8)
	if n, err := server.Read(buf); n != 0 || err != nil {
		t.Fatalf("Read of an empty message = %d, %v; want 0, nil", n, err)
	}
	if n, err := server.Read(buf); n != 1 || err != nil {
		t.Fatalf("Read = %d, %v; want 1, nil", n, err)
	}
	client.Close()
	if n, err := server.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("Read at the end = %d, %v; want 0, io.EOF", n, err)
	}
}

func TestWriteMsgOnStream(t *testing.T) {
	client, _, _ := pair(t, transports(t)[0])
	_, err := client.WriteMsg([]byte("x"))
	wantErr(t, err, "write", syscall.EINVAL)
	_, _, err = client.ReadMsg(make([]byte, 1))
	wantErr(t, err, "read", syscall.EINVAL)
}

func TestDialMessageToStream(t *testing.T) {
	name := uniqueName("ipc-mismatch")
	listen(t, name)
	d := ipc.Dialer{Message: true}
	_, err := d.DialContext(context.Background(), name)
	wantErr(t, err, "dial", syscall.EPROTOTYPE)
}

// helperWriteAndExit connects to args[0], writes 4 MiB and exits at once.
func helperWriteAndExit(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := c.Write(pattern(4 << 20)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0 // no Close: exiting closes the handle
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 31 >> 3)
	}
	return b
}

// TestCloseNoLoss checks that closing (or exiting) right after a write
// loses nothing: the peer reads every byte, then EOF.
func TestCloseNoLoss(t *testing.T) {
	want := pattern(4 << 20)
	t.Run("close", func(t *testing.T) {
		client, server, _ := pair(t, transports(t)[0])
		go func() {
			server.Write(want)
			server.Close()
		}()
		got, err := io.ReadAll(client)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read %d bytes, %v; want %d bytes, nil", len(got), err, len(want))
		}
	})
	t.Run("exit", func(t *testing.T) {
		name := uniqueName("ipc-exit")
		ln := listen(t, name)
		cmd := helperCommand(t, "write-and-exit", name)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		c, err := ln.AcceptConn()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		got, err := io.ReadAll(c)
		if werr := cmd.Wait(); werr != nil {
			t.Fatal(werr)
		}
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read %d bytes, %v; want %d bytes, nil", len(got), err, len(want))
		}
	})
}

func TestSecurityDescriptor(t *testing.T) {
	sid := ownSID()
	check := func(t *testing.T, lc ipc.ListenConfig, name, want string) {
		ln, err := lc.Listen(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		c, err := ipc.Dial(name)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if got := pipeDACL(t, connHandle(t, c)); got != want {
			t.Errorf("DACL read back = %q; want %q", got, want)
		}
	}
	t.Run("owner-only", func(t *testing.T) {
		check(t, ipc.ListenConfig{}, uniqueName("ipc-sd"), "D:P(A;;FA;;;"+sid+")(A;;FA;;;SY)")
	})
	t.Run("custom", func(t *testing.T) {
		sddl := "D:P(A;;FA;;;" + sid + ")(A;;FR;;;BU)"
		check(t, ipc.ListenConfig{SecurityDescriptor: sddl}, uniqueName("ipc-sd"), sddl)
	})
	t.Run("invalid", func(t *testing.T) {
		name := uniqueName("ipc-sd")
		lc := ipc.ListenConfig{SecurityDescriptor: "D:(nonsense"}
		_, err := lc.Listen(context.Background(), name)
		wantErr(t, err, "listen", syscall.EINVAL)
		// Nothing was created.
		_, err = ipc.Dial(name)
		wantErr(t, err, "dial", os.ErrNotExist)
	})
}

// TestSecurityDescriptorDenies checks that a DACL without the current user
// keeps the user out.
func TestSecurityDescriptorDenies(t *testing.T) {
	skipOnWine(t, "Wine does not enforce DACLs on pipes")
	name := uniqueName("ipc-deny")
	lc := ipc.ListenConfig{SecurityDescriptor: "D:P(A;;GA;;;SY)"}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = ipc.Dial(name)
	wantErr(t, err, "dial", os.ErrPermission)
}

// TestNameTaken checks that a second listener on a name fails instead of
// sharing the pipe (FILE_FLAG_FIRST_PIPE_INSTANCE).
func TestNameTaken(t *testing.T) {
	skipOnWine(t, "Wine does not enforce FILE_FLAG_FIRST_PIPE_INSTANCE")
	name := uniqueName("ipc-taken")
	listen(t, name)
	_, err := ipc.Listen(name)
	wantErr(t, err, "listen", os.ErrExist)
}

func TestServerSID(t *testing.T) {
	name := uniqueName("ipc-sid")
	ln := listen(t, name)
	go serveEcho(ln)
	d := ipc.Dialer{ServerSID: ownSID()}
	c, err := d.DialContext(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	d.ServerSID = "S-1-5-18"
	_, err = d.DialContext(context.Background(), name)
	wantErr(t, err, "dial", os.ErrPermission)
}

func TestImpersonate(t *testing.T) {
	client, server, _ := pair(t, transports(t)[0])
	// Impersonation needs the client to have written something first on
	// some Windows versions.
	client.Write([]byte("x"))
	server.Read(make([]byte, 1))
	var sid string
	err := server.Impersonate(func() error {
		const tokenQuery = 8
		thread, _, _ := procGetCurrentThread.Call()
		var tok syscall.Token
		r, _, err := procOpenThreadToken.Call(thread, tokenQuery, 1, uintptr(unsafe.Pointer(&tok)))
		if r == 0 {
			return fmt.Errorf("OpenThreadToken: %v", err)
		}
		defer tok.Close()
		u, err := tok.GetTokenUser()
		if err != nil {
			return err
		}
		sid, err = u.User.Sid.String()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := ownSID(); sid != want {
		t.Errorf("impersonated SID = %q; want %q", sid, want)
	}
	// Errors from fn come back unchanged; the client end cannot impersonate.
	boom := errors.New("boom")
	if err := server.Impersonate(func() error { return boom }); err != boom {
		t.Errorf("Impersonate returned %v; want fn's error", err)
	}
	wantErr(t, client.Impersonate(func() error { return nil }), "impersonate", syscall.EINVAL)
}

// TestWriteAfterPeerClosed checks that writing to a pipe whose other end is
// closed fails with an error that matches syscall.EPIPE, as on Unix.
func TestWriteAfterPeerClosed(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			client, server, _ := pair(t, tr)
			server.Close()
			_, err := client.Write([]byte("x"))
			wantErr(t, err, "write", syscall.EPIPE)
			if tr.message {
				_, err = client.WriteMsg(nil)
				wantErr(t, err, "write", syscall.EPIPE)
			}
		})
	}
}

// impersonationLevel returns the impersonation level of the token the
// server's thread wears while impersonating the client.
func impersonationLevel(t *testing.T, server *ipc.Conn) uint32 {
	t.Helper()
	var level uint32
	err := server.Impersonate(func() error {
		const tokenQuery, tokenImpersonationLevel = 8, 9
		thread, _, _ := procGetCurrentThread.Call()
		var tok syscall.Token
		r, _, err := procOpenThreadToken.Call(thread, tokenQuery, 1, uintptr(unsafe.Pointer(&tok)))
		if r == 0 {
			return fmt.Errorf("OpenThreadToken: %v", err)
		}
		defer tok.Close()
		var n uint32
		return syscall.GetTokenInformation(tok, tokenImpersonationLevel, (*byte)(unsafe.Pointer(&level)), 4, &n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return level
}

// TestImpersonationLevel checks that clients let servers identify them
// only, unless the Dialer allows impersonation.
func TestImpersonationLevel(t *testing.T) {
	skipOnWine(t, "wineserver's FSCTL_PIPE_IMPERSONATE gives the server a copy of its own token at SecurityImpersonation, whatever the client asked for")
	const securityIdentification, securityImpersonation = 1, 2
	for _, allow := range []bool{false, true} {
		name := uniqueName("ipc-level")
		ln := listen(t, name)
		d := ipc.Dialer{AllowImpersonation: allow}
		client, err := d.DialContext(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		server, err := ln.AcceptConn()
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		want := uint32(securityIdentification)
		if allow {
			want = securityImpersonation
		}
		if got := impersonationLevel(t, server); got != want {
			t.Errorf("AllowImpersonation=%v: level %d; want %d", allow, got, want)
		}
	}
}

func TestConnPair(t *testing.T) {
	for _, message := range []bool{false, true} {
		a, b, err := ipc.ConnPair(message)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range [][2]*ipc.Conn{{a, b}, {b, a}} {
			if _, err := pr[0].Write([]byte("ping")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 8)
			n, err := pr[1].Read(buf)
			if err != nil || string(buf[:n]) != "ping" {
				t.Fatalf("message=%v: Read = %q, %v", message, buf[:n], err)
			}
		}
		if message {
			b.WriteMsg(nil)
			if n, trunc, err := a.ReadMsg(make([]byte, 8)); n != 0 || trunc || err != nil {
				t.Fatalf("empty message: %d, %v, %v", n, trunc, err)
			}
		}
		cred, err := a.PeerCred()
		if err != nil || cred.PID != os.Getpid() {
			t.Fatalf("PeerCred = %+v, %v; want pid %d", cred, err, os.Getpid())
		}
		a.Close()
		if _, err := b.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("Read after the other end closed: %v; want io.EOF", err)
		}
		b.Close()
	}
}

// TestBufferSizeWindows checks that ListenConfig.BufferSize sizes the pipe
// and BufferSizes reports it at both ends, that a client's BufferSize is
// accepted and changes nothing, and that a negative one is refused.
func TestBufferSizeWindows(t *testing.T) {
	const size = 32 << 10
	name := uniqueName("ipc-bufsize")
	ln, err := (&ipc.ListenConfig{BufferSize: size}).Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := (&ipc.Dialer{BufferSize: 4096, LowLatency: true}).DialContext(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	for _, c := range []*ipc.Conn{server, client} {
		snd, rcv, err := c.BufferSizes()
		if err != nil {
			t.Fatal(err)
		}
		if snd != size || rcv != size {
			t.Errorf("BufferSizes = %d, %d; want %d, %d", snd, rcv, size, size)
		}
	}
	_, err = (&ipc.Dialer{BufferSize: -1}).DialContext(context.Background(), name)
	wantErr(t, err, "dial", syscall.EINVAL)
}
