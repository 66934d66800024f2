// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build linux || windows

package main

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// expect reads stderr lines until one contains want and returns it.
func (p *proc) expect(want string) string {
	p.t.Helper()
	timer := time.NewTimer(20 * time.Second) // a guard against a hang, not a synchronisation
	defer timer.Stop()
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("%v: stderr ended without %q; it said:\n%s", p.cmd.Args, want, p.stderr.String())
			}
			p.stderr.WriteString(line + "\n")
			if strings.Contains(line, want) {
				return line
			}
		case <-timer.C:
			p.t.Fatalf("%v: no %q on stderr after 20s; it said:\n%s", p.cmd.Args, want, p.stderr.String())
		}
	}
}

// listening waits for ipccat -v to say it listens and returns the address.
func (p *proc) listening() string {
	p.t.Helper()
	line := p.expect("ipccat: listening on ")
	return strings.TrimPrefix(line[strings.Index(line, "ipccat: "):], "ipccat: listening on ")
}

var nameSeq atomic.Int64

// uniqueName returns a name unique to this test process.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), nameSeq.Add(1))
}
