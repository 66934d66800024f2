// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["load-dialer"] = helperLoadDialer
	helpers["idle-server"] = helperIdleServer
}

// loadImpls are the implementations the load benchmarks compare: ipc's
// Listener and net.UnixListener.
var loadImpls = []string{"ipc", "net"}

// loadListen listens on path with implementation impl.
func loadListen(impl, path string) (net.Listener, error) {
	if impl == "ipc" {
		return ipc.Listen(path)
	}
	return net.Listen("unix", path)
}

// helperLoadDialer connects to the path args[0] with net.Dial, the same
// client for either listener. For every count n read from standard input,
// args[1] goroutines together make n connections, each dialled, read to
// EOF (the server closes it after Accept) and closed; then it prints
// "done". At most args[1] connections wait in the listener's queue, so
// net.Dial never meets a full one (where it fails with EAGAIN).
func helperLoadDialer(args []string) int {
	path := args[0]
	k, err := strconv.Atoi(args[1])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		n, err := strconv.Atoi(in.Text())
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		var wg sync.WaitGroup
		errs := make(chan error, k)
		for g := range k {
			share := n / k
			if g < n%k {
				share++
			}
			wg.Go(func() {
				var one [1]byte
				for range share {
					c, err := net.Dial("unix", path)
					if err != nil {
						errs <- err
						return
					}
					_, err = c.Read(one[:])
					c.Close()
					if err != io.EOF {
						errs <- fmt.Errorf("read after accept: %v; want EOF", err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println("done")
	}
	return 0
}

// loadChild starts the load-dialer helper and waits for its "ready".
func loadChild(b *testing.B, args ...string) *child {
	c, line := startChild(b, helperCommand(b, "load-dialer", args...))
	if line != "ready" {
		b.Fatalf("dialer: %s", line)
	}
	return c
}

// BenchmarkAccept measures the accept rate of one listener: 16 goroutines
// in a child process connect as fast as the listener lets them, each
// waiting for the server to close a connection before it makes the next,
// so that at most 16 are in the queue. One op is one connection accepted
// and closed; conns/s is the rate. ipc's Listener against
// net.UnixListener, with net.Dial as the client of both.
func BenchmarkAccept(b *testing.B) {
	const dialers = 16
	for _, impl := range loadImpls {
		b.Run(impl, func(b *testing.B) {
			path := sockPath(b)
			ln, err := loadListen(impl, path)
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			c := loadChild(b, path, strconv.Itoa(dialers))
			b.ReportAllocs()
			b.ResetTimer()
			fmt.Fprintln(c.stdin, b.N)
			for range b.N {
				conn, err := ln.Accept()
				if err != nil {
					b.Fatal(err)
				}
				conn.Close()
			}
			line, err := c.out.ReadString('\n')
			b.StopTimer()
			if line != "done\n" {
				b.Fatalf("dialer: %q, %v", line, err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conns/s")
			c.finish()
		})
	}
}

// BenchmarkIdleConns measures what an idle connection costs its server.
// A fresh child process listens, accepts 10,000 connections that the
// benchmark makes and holds open, and blocks a goroutine in Read on each,
// the way a server waits for requests. B/conn is the growth of the child's
// Go heap (heapB/conn) and goroutine stacks (stackB/conn), after a
// collection, per connection; goroutines/conn the growth of its goroutine
// count. A fresh process for every run keeps the stacks of earlier runs'
// goroutines, which the runtime keeps for reuse, out of the figures. One op
// is the whole run.
func BenchmarkIdleConns(b *testing.B) {
	const conns = 10000
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	// The runtime raises the soft limit to the hard one at start-up; each
	// process needs conns descriptors and a few more.
	if lim.Cur < conns+100 {
		b.Skipf("RLIMIT_NOFILE is %d (hard %d); %d connections need %d", lim.Cur, lim.Max, conns, conns+100)
	}
	for _, impl := range loadImpls {
		b.Run(impl, func(b *testing.B) {
			var r idleCost
			for range b.N {
				r = idleConnsRun(b, impl, conns)
			}
			b.ReportMetric(r.heap+r.stack, "B/conn")
			b.ReportMetric(r.heap, "heapB/conn")
			b.ReportMetric(r.stack, "stackB/conn")
			b.ReportMetric(r.goroutines, "goroutines/conn")
		})
	}
}

// idleCost is what one idle connection costs: bytes of heap and of
// goroutine stacks, and goroutines.
type idleCost struct{ heap, stack, goroutines float64 }

// idleConnsRun does one run of BenchmarkIdleConns.
func idleConnsRun(b *testing.B, impl string, n int) idleCost {
	path := sockPath(b)
	c, line := startChild(b, helperCommand(b, "idle-server", impl, path, strconv.Itoa(n)))
	if line != "ready" {
		b.Fatalf("server: %s", line)
	}
	conns := make([]net.Conn, 0, n+1)
	defer func() {
		for _, conn := range conns {
			conn.Close()
		}
	}()
	for range n + 1 { // the first one warms the server up
		// ipc's dialer for both servers: it waits while the server's
		// queue is full, where net.Dial fails with EAGAIN.
		conn, err := ipc.Dial(path)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, conn)
	}
	line, _ = c.out.ReadString('\n')
	var r idleCost
	if _, err := fmt.Sscan(line, &r.heap, &r.stack, &r.goroutines); err != nil {
		b.Fatalf("server: %q: %v", line, err)
	}
	for _, conn := range conns {
		conn.Close()
	}
	conns = nil
	c.finish()
	return r
}

// helperIdleServer listens on args[1] with implementation args[0],
// accepts one connection and then args[2] more, each with a goroutine
// blocked in Read, and prints the growth per connection, over the last
// args[2], of its heap, its goroutine stacks and its goroutine count. It
// exits once every connection has been closed by the peer and standard
// input is closed.
func helperIdleServer(args []string) int {
	impl, path := args[0], args[1]
	n, err := strconv.Atoi(args[2])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	ln, err := loadListen(impl, path)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer ln.Close()
	fmt.Println("ready")
	var wg sync.WaitGroup
	park := func(conn net.Conn) {
		wg.Go(func() {
			var buf [1]byte
			if _, err := conn.Read(buf[:]); err != io.EOF {
				fmt.Fprintln(os.Stderr, "idle connection: read", err)
				os.Exit(1)
			}
			conn.Close()
		})
	}
	conn, err := ln.Accept()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	park(conn)
	heap0, stack0 := heapAndStacks()
	g0 := runtime.NumGoroutine()
	for range n {
		conn, err := ln.Accept()
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		park(conn)
	}
	heap1, stack1 := heapAndStacks()
	g1 := runtime.NumGoroutine()
	per := func(a, b int64) float64 { return float64(b-a) / float64(n) }
	fmt.Println(per(heap0, heap1), per(stack0, stack1), per(int64(g0), int64(g1)))
	wg.Wait()
	waitStdin()
	return 0
}

// heapAndStacks collects garbage and returns the bytes of live heap objects
// and the bytes of goroutine stacks in use.
func heapAndStacks() (heap, stack int64) {
	runtime.GC()
	runtime.GC() // a second cycle frees what the first one's cleanups let go
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc), int64(m.StackInuse)
}

// TestIdleConnCost accepts 1,000 connections on an ipc Listener and on a
// net.UnixListener and compares the Go heap each accepted connection keeps
// alive: ipc's may be at most 5% larger than net's (a connection that
// costs its server more than the standard library's is a regression for
// servers holding many idle clients; BenchmarkIdleConns has the full
// figure, goroutine included). The clients are raw sockets, which cost
// the heap nothing.
func TestIdleConnCost(t *testing.T) {
	const n = 1000
	cost := map[string]float64{}
	for _, impl := range loadImpls {
		path := sockPath(t)
		ln, err := loadListen(impl, path)
		if err != nil {
			t.Fatal(err)
		}
		conns := make([]net.Conn, 0, n)
		clients := make([]int, 0, n)
		// One connection first, so that lazily made state is there
		// before the first measurement.
		accept := func() {
			fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			clients = append(clients, fd)
			if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
				t.Fatal(err)
			}
			c, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		accept()
		heap0, _ := heapAndStacks()
		for range n {
			accept()
		}
		heap1, _ := heapAndStacks()
		cost[impl] = float64(heap1-heap0) / n
		for _, c := range conns {
			c.Close()
		}
		for _, fd := range clients {
			syscall.Close(fd)
		}
		ln.Close()
	}
	t.Logf("heap per accepted connection: ipc %.0f B, net %.0f B", cost["ipc"], cost["net"])
	if raceEnabled {
		return // the race detector's instrumentation changes the sizes
	}
	if cost["ipc"] > 1.05*cost["net"] {
		t.Errorf("an accepted ipc connection keeps %.0f bytes of heap; net's %.0f", cost["ipc"], cost["net"])
	}
}
