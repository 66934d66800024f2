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
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["hold-conns"] = helperHoldConns
	helpers["drop-listeners"] = helperDropListeners
}

// helperHoldConns dials args[1] message connections to args[0], prints
// "ok", and on the line "go" on its standard input writes one message "x"
// on each; then it waits for its standard input to close.
func helperHoldConns(args []string) int {
	n, _ := strconv.Atoi(args[1])
	d := ipc.Dialer{Message: true, Timeout: time.Minute}
	conns := make([]*ipc.Conn, n)
	for i := range conns {
		c, err := d.DialContext(context.Background(), args[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, "dial", i, err)
			return 1
		}
		defer c.Close()
		conns[i] = c
	}
	fmt.Println("ok")
	in := bufio.NewReader(os.Stdin)
	if line, err := in.ReadString('\n'); err != nil || line != "go\n" {
		return 1
	}
	for _, c := range conns {
		if _, err := c.WriteMsg([]byte("x")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	waitStdin()
	return 0
}

// TestIdleThreads checks that waiting message-mode reads and waiting
// Accepts hold no OS thread each: n connections from another process with
// a ReadMsg waiting on each, and 100 listeners with an Accept waiting on
// each, add at most a few threads to the process. IPC_IDLE_CONNS sets n
// (default 500).
func TestIdleThreads(t *testing.T) {
	n := 500
	if s := os.Getenv("IPC_IDLE_CONNS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	threads := pprof.Lookup("threadcreate")
	name := uniqueName("ipc-idle")
	ln := listenMsg(t, name, true)
	base := threads.Count()

	accepted := make(chan error, 1)
	conns := make([]*ipc.Conn, n)
	go func() {
		for i := range conns {
			c, err := ln.AcceptConn()
			if err != nil {
				accepted <- err
				return
			}
			conns[i] = c
		}
		accepted <- nil
	}()
	child, _ := startChild(t, helperCommand(t, "hold-conns", name, strconv.Itoa(n)))
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		defer c.Close()
	}
	type result struct {
		msg string
		err error
	}
	results := make(chan result, n)
	for _, c := range conns {
		go func() {
			buf := make([]byte, 8)
			k, _, err := c.ReadMsg(buf)
			results <- result{string(buf[:k]), err}
		}()
	}
	accepts := make(chan error, 100)
	var lns []*ipc.Listener
	for range 100 {
		l := listen(t, uniqueName("ipc-idle-acc"))
		lns = append(lns, l)
		go func() {
			_, err := l.Accept()
			accepts <- err
		}()
	}
	// Every read stays pending until the child writes.
	fmt.Fprintln(child.stdin, "go")
	for range n {
		if r := <-results; r.err != nil || r.msg != "x" {
			t.Fatalf("ReadMsg = %q, %v", r.msg, r.err)
		}
	}
	added := threads.Count() - base
	t.Logf("%d idle message reads and 100 waiting Accepts: %d threads created (%d in all)", n, added, threads.Count())
	if added > 20 {
		t.Errorf("%d threads created for %d waiting reads and 100 waiting Accepts; want at most 20", added, n)
	}
	for _, l := range lns {
		l.Close()
	}
	for range lns {
		if err := <-accepts; !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v", err)
		}
	}
	child.finish()
}

// helperDropListeners runs with GODEBUG=clobberfree=1, which makes the
// collector overwrite the memory it frees. It creates listeners with
// pending instances and drops them without Close while a client keeps
// connecting to them, collects garbage and allocates over and over, and
// checks that the names disappear (the listeners' cleanup closed their
// instances) and that its handle count comes back. It prints "ok" if so.
func helperDropListeners(args []string) int {
	names := make([]string, 20)
	for i := range names {
		names[i] = fmt.Sprintf("ipc-drop-%d-%d", os.Getpid(), i)
	}
	// Warm up: the first listener starts the package's port goroutine.
	ln, err := ipc.Listen(names[0] + "-warm")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln.Close()
	before := handleCountNow()
	func() {
		for _, name := range names {
			if _, err := ipc.Listen(name); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}()
	var sink [][]byte
	for round := 0; ; round++ {
		gone := 0
		for _, name := range names {
			c, err := ipc.Dial(name)
			switch {
			case err == nil:
				c.Close() // the dropped listener's instance connected
			case errors.Is(err, os.ErrNotExist):
				gone++
			default:
				fmt.Fprintln(os.Stderr, "dial:", err)
				return 1
			}
		}
		if gone == len(names) {
			break
		}
		if round == 10000 {
			fmt.Fprintf(os.Stderr, "%d of %d names still there after %d collections\n", len(names)-gone, len(names), round)
			return 1
		}
		runtime.GC()
		sink = append(sink[:0], make([]byte, 4096), make([]byte, 64), make([]byte, 200))
	}
	// The cleanups close the instances; the connections' files close
	// in their finalizers.
	for i := 0; handleCountNow() > before; i++ {
		if i == 10000 {
			fmt.Fprintf(os.Stderr, "handles: %d before, %d after\n", before, handleCountNow())
			return 1
		}
		runtime.GC()
	}
	_ = sink
	fmt.Println("ok")
	return 0
}

func handleCountNow() int {
	var n uint32
	cur, _ := syscall.GetCurrentProcess()
	procGetProcessHandleCount.Call(uintptr(cur), uintptr(unsafe.Pointer(&n)))
	return int(n)
}

// TestDroppedListener checks that a Listener dropped without Close, whose
// instances have connects pending in the kernel, leaves the process sound
// under GODEBUG=clobberfree=1, and that its cleanup releases the name and
// the handles.
func TestDroppedListener(t *testing.T) {
	cmd := helperCommand(t, "drop-listeners")
	cmd.Env = append(cmd.Env, "GODEBUG=clobberfree=1")
	out, err := cmd.Output()
	if err != nil || string(out) != "ok\n" {
		t.Fatalf("helper: %v, output %q", err, out)
	}
}

// TestDroppedMessageConn checks that message-mode connections dropped
// without Close give back their handles (their files' finalizers close
// them; nothing else is left).
func TestDroppedMessageConn(t *testing.T) {
	var handles []syscall.Handle
	func() {
		for range 10 {
			a, b, err := ipc.ConnPair(true)
			if err != nil {
				t.Fatal(err)
			}
			handles = append(handles, connHandle(t, a), connHandle(t, b))
		}
	}()
	open := func() int {
		n := 0
		for _, h := range handles {
			if _, err := syscall.GetFileType(h); err == nil {
				n++
			}
		}
		return n
	}
	if n := open(); n != len(handles) {
		t.Fatalf("%d of %d handles open before dropping", n, len(handles))
	}
	for i := 0; open() > 0; i++ {
		if i == 10000 {
			t.Fatalf("%d of %d handles still open after dropping the connections", open(), len(handles))
		}
		runtime.GC()
	}
}

// TestAcceptRefill checks that an instance that could not be replaced is
// created later, and that the listener keeps its name while it has no
// instance waiting: a dial then finds the pipe busy, not gone.
func TestAcceptRefill(t *testing.T) {
	done := make(chan struct{}, 1)
	restore := ipc.FailInstances(0, func() { done <- struct{}{} })
	defer restore()
	name := uniqueName("ipc-refill")
	lc := ipc.ListenConfig{Instances: 1}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if w, m, r := ipc.ListenerInstances(ln); w != 1 || m != 0 || !r {
		t.Fatalf("instances: %d waiting, %d missing, reserve %v; want 1, 0, true", w, m, r)
	}
	ipc.FailInstances(1<<30, func() { done <- struct{}{} })
	c, err := ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	s.Close()
	// No instance waits, and none can be made; the listener still holds
	// the name: a dial finds the pipe busy, not gone.
	if w, m, _ := ipc.ListenerInstances(ln); w != 0 || m != 1 {
		t.Fatalf("instances: %d waiting, %d missing; want 0, 1", w, m)
	}
	d := ipc.Dialer{Timeout: 50 * time.Millisecond}
	_, err = d.DialContext(context.Background(), name)
	wantErr(t, err, "dial", os.ErrDeadlineExceeded)
	ipc.FailInstances(0, func() { done <- struct{}{} })
	<-done // refilled after backing off
	if w, m, _ := ipc.ListenerInstances(ln); w != 1 || m != 0 {
		t.Fatalf("after refill: %d waiting, %d missing; want 1, 0", w, m)
	}
	go serveEcho(ln)
	c, err = ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestNameTakenOrRefused checks that ERROR_ACCESS_DENIED from the first
// instance means "name taken" only if an instance of the name exists.
func TestNameTakenOrRefused(t *testing.T) {
	name := uniqueName("ipc-taken2")
	listen(t, name)
	err := ipc.NameTakenErr(`\\.\pipe\`+name, syscall.ERROR_ACCESS_DENIED)
	if !errors.Is(err, os.ErrExist) {
		t.Errorf("existing name: %v; want os.ErrExist", err)
	}
	err = ipc.NameTakenErr(`\\.\pipe\`+uniqueName("ipc-free"), syscall.ERROR_ACCESS_DENIED)
	if !errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrExist) {
		t.Errorf("free name: %v; want os.ErrPermission", err)
	}
}

// TestDialStreamToMessage checks that a byte-mode client cannot dial a
// message-mode listener, whose empty messages it would take for the end of
// the stream.
func TestDialStreamToMessage(t *testing.T) {
	name := uniqueName("ipc-mode")
	ln := listenMsg(t, name, true)
	_, err := ipc.Dial(name)
	wantErr(t, err, "dial", syscall.EPROTOTYPE)
	// The listener is unharmed.
	go serveEcho(ln)
	c, err := (&ipc.Dialer{Message: true}).DialContext(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestOwnIOAllocs checks that steady-state reads and writes allocate
// nothing on the connections that do their own I/O: message mode, and
// accepted byte-mode connections.
func TestOwnIOAllocs(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			client, server, _ := pair(t, tr)
			msg := []byte("ping")
			buf := make([]byte, 64)
			for _, dir := range [][2]*ipc.Conn{{client, server}, {server, client}} {
				w, r := dir[0], dir[1]
				avg := testing.AllocsPerRun(200, func() {
					if _, err := w.Write(msg); err != nil {
						t.Fatal(err)
					}
					if _, err := io.ReadFull(r, buf[:len(msg)]); err != nil {
						t.Fatal(err)
					}
				})
				if avg != 0 {
					t.Errorf("%.1f allocations per write and read; want 0", avg)
				}
			}
			// With a deadline set, too.
			server.SetReadDeadline(time.Now().Add(time.Hour))
			avg := testing.AllocsPerRun(200, func() {
				client.Write(msg)
				io.ReadFull(server, buf[:len(msg)])
			})
			if avg != 0 {
				t.Errorf("with a deadline: %.1f allocations per write and read; want 0", avg)
			}
		})
	}
}

// TestMessageOverOneGiB checks that a message longer than 1 GiB, the
// largest single read or write internal/poll makes, arrives as one message
// (one WriteFile call), not as two. It takes about a minute under Wine.
func TestMessageOverOneGiB(t *testing.T) {
	const size = 1<<30 + 4096
	client, server := msgPair(t)
	msg := make([]byte, size)
	msg[0], msg[size-1] = 1, 2
	werr := make(chan error, 1)
	go func() {
		n, err := client.WriteMsg(msg)
		if err == nil && n != size {
			err = fmt.Errorf("WriteMsg wrote %d bytes", n)
		}
		werr <- err
	}()
	buf := make([]byte, size+1)
	n, trunc, err := server.ReadMsg(buf)
	if err != nil || n != size || trunc || buf[0] != 1 || buf[size-1] != 2 {
		t.Fatalf("ReadMsg = %d, %v, %v; want one message of %d bytes", n, trunc, err, size)
	}
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
}
