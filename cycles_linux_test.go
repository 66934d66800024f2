// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["cycle-dialer"] = helperCycleDialer
}

// cycles is the number of rounds of each TestCycles case: 5,000 in the
// normal test run, IPC_SOAK_CYCLES (100,000 in make soak) when set.
func cycles(t *testing.T) int {
	if s := os.Getenv("IPC_SOAK_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 {
			t.Fatalf("IPC_SOAK_CYCLES=%q: want a number of at least 10", s)
		}
		return n
	}
	return 5000
}

// rssGrowthLimit is how much the resident set may grow from the end of
// the first tenth of a TestCycles case to its end: the heap's own
// fluctuation between collections, with room to spare. A leak of one
// descriptor or goroutine per cycle would show sooner in those counts,
// which must not grow at all.
const rssGrowthLimit = 8 << 20

// usage is what TestCycles watches.
type usage struct {
	fds, goroutines int
	rss             int64 // bytes
}

func measure(t *testing.T) usage {
	runtime.GC()
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Fatal(err)
	}
	f := bytes.Fields(statm)
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return usage{countFDs(t), runtime.NumGoroutine(), pages * int64(os.Getpagesize())}
}

// helperCycleDialer connects to args[0] args[1] times, each time writing a
// byte, waiting for the server's answer and closing. It prints "done".
func helperCycleDialer(args []string) int {
	n, _ := strconv.Atoi(args[1])
	b := make([]byte, 1)
	for i := range n {
		c, err := ipc.Dial(args[0])
		if err != nil {
			fmt.Printf("error: cycle %d: %v\n", i, err)
			return 1
		}
		if _, err := c.Write(b); err != nil {
			fmt.Printf("error: cycle %d: %v\n", i, err)
			return 1
		}
		if _, err := c.Read(b); err != nil {
			fmt.Printf("error: cycle %d: %v\n", i, err)
			return 1
		}
		c.Close()
	}
	fmt.Println("done")
	return 0
}

// TestCycles runs connect/close cycles (a child dials, the test accepts,
// each side writes one byte and closes) and Pipe/Close cycles (a byte
// through each pipe), and checks that from the end of the first tenth to
// the end the test process's descriptors and goroutines do not grow at
// all and its resident set grows by less than rssGrowthLimit. 5,000
// cycles in the normal run; make soak runs 100,000.
func TestCycles(t *testing.T) {
	n := cycles(t)
	check := func(t *testing.T, first, last usage) {
		t.Helper()
		t.Logf("%d cycles: descriptors %d -> %d, goroutines %d -> %d, RSS %.1f -> %.1f MiB",
			n, first.fds, last.fds, first.goroutines, last.goroutines,
			float64(first.rss)/(1<<20), float64(last.rss)/(1<<20))
		if last.fds != first.fds {
			t.Errorf("descriptors went from %d to %d", first.fds, last.fds)
		}
		if last.goroutines > first.goroutines {
			t.Errorf("goroutines grew from %d to %d", first.goroutines, last.goroutines)
		}
		if last.rss-first.rss > rssGrowthLimit {
			t.Errorf("RSS grew by %d bytes; the limit is %d", last.rss-first.rss, rssGrowthLimit)
		}
	}
	t.Run("connect", func(t *testing.T) {
		path := sockPath(t)
		ln := listen(t, path)
		c, _ := startChildNoLine(t, helperCommand(t, "cycle-dialer", path, strconv.Itoa(n)))
		b := make([]byte, 1)
		var first usage
		for i := range n {
			if i == n/10 {
				first = measure(t)
			}
			conn, err := ln.AcceptConn()
			if err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			if _, err := conn.Read(b); err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			if _, err := conn.Write(b); err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			conn.Close()
		}
		if line, _ := c.out.ReadString('\n'); line != "done\n" {
			t.Fatalf("dialer: %q", line)
		}
		last := measure(t) // while the child and its pipes are still there, as at first
		c.finish()
		check(t, first, last)
	})
	t.Run("pipe", func(t *testing.T) {
		b := make([]byte, 1)
		var first usage
		for i := range n {
			if i == n/10 {
				first = measure(t)
			}
			r, w, err := ipc.Pipe()
			if err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			if _, err := w.Write(b); err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			if _, err := r.Read(b); err != nil {
				t.Fatalf("cycle %d: %v", i, err)
			}
			r.Close()
			w.Close()
		}
		check(t, first, measure(t))
	})
}
