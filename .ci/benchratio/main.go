// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Command benchratio reads `go test -bench` output on standard input, passes
// it through, and then prints, for every benchmark of this repository that
// has a standard-library counterpart measured in the same run, the median of
// each and their ratio.
//
// A benchmark's implementation is the last element of its name; its
// counterpart has the same name with that element replaced:
//
//	ipc, ipc-lowlatency -> net
//	ipc-seqpacket, ipc-seqpacket-lowlatency -> net-unixpacket
//	ipc-pipe*           -> os-pipe
//
// and for benchmarks that name the implementation first
// (BenchmarkPipeStream/ipc-1MiB/64KiB), ipc* -> os.
//
// For benchmarks that report MB/s the ratio is of throughput (ipc / std:
// above 1 is faster); for those that report B/conn (BenchmarkIdleConns) it
// is of memory per connection (below 1 is smaller); for the others it is of
// time per operation (ipc / std: below 1 is faster).
//
// Usage: go test -run '^$' -bench . -count 5 | go run ./.ci/benchratio
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var counterpart = map[string]string{
	"ipc":            "net",
	"ipc-lowlatency": "net",
	"ipc-seqpacket":  "net-unixpacket",

	"ipc-seqpacket-lowlatency": "net-unixpacket",
}

type samples struct {
	ns, mbs, allocs, perConn []float64
}

// line matches "BenchmarkName-2   1000   123 ns/op   45.6 MB/s ...".
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	results := map[string]*samples{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		text := sc.Text()
		fmt.Println(text)
		m := line.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		name := m[1]
		s := results[name]
		if s == nil {
			s = &samples{}
			results[name] = s
			order = append(order, name)
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "MB/s":
				s.mbs = append(s.mbs, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			case "B/conn":
				s.perConn = append(s.perConn, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	fmt.Println()
	fmt.Println("| benchmark | ipc | std | ipc/std | ipc allocs/op | n |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, name := range order {
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			continue
		}
		impl := name[i+1:]
		std, ok := counterpart[impl]
		if !ok && strings.HasPrefix(impl, "ipc-pipe") {
			std, ok = "os-pipe", true
		}
		if !ok && impl == "ipc" {
			std, ok = "net", true
		}
		other := name[:i+1] + std
		if !ok {
			// bench_pipe_test.go names the implementation first:
			// BenchmarkPipeStream/ipc-1MiB/64KiB against .../os/64KiB.
			f := strings.Split(name, "/")
			if len(f) < 3 || !strings.HasPrefix(f[1], "ipc") {
				continue
			}
			impl, std = f[1], "os"
			f[1] = std
			other = strings.Join(f, "/")
		}
		a, b := results[name], results[other]
		if b == nil {
			continue
		}
		n := min(len(a.ns), len(b.ns))
		var ratio float64
		var av, bv string
		switch {
		case len(a.perConn) > 0 && len(b.perConn) > 0:
			ma, mb := median(a.perConn), median(b.perConn)
			ratio = ma / mb
			av, bv = fmt.Sprintf("%.0f B/conn", ma), fmt.Sprintf("%.0f B/conn", mb)
		case len(a.mbs) > 0 && len(b.mbs) > 0:
			ma, mb := median(a.mbs), median(b.mbs)
			ratio = ma / mb
			av, bv = fmt.Sprintf("%.0f MB/s", ma), fmt.Sprintf("%.0f MB/s", mb)
		default:
			ma, mb := median(a.ns), median(b.ns)
			ratio = ma / mb
			av, bv = fmtNs(ma), fmtNs(mb)
		}
		fmt.Printf("| %s vs %s | %s | %s | %.2f× | %g | %d |\n",
			strings.TrimPrefix(name, "Benchmark"), std, av, bv, ratio, median(a.allocs), n)
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func fmtNs(ns float64) string {
	if ns >= 1000 {
		return fmt.Sprintf("%.2f µs", ns/1000)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
