// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"io"
	"testing"

	"github.com/ipcgo/ipc"
)

// BenchmarkRoundTripWindows measures a one-byte round trip between two ends
// of a pipe in one process: "runtime-port", both ends through os.File on
// the runtime's completion port (ConnPair), against "package-port", a
// Listener's accepted end, which waits on the package's port, and
// "message", both ends on the package's port.
func BenchmarkRoundTripWindows(b *testing.B) {
	run := func(b *testing.B, x, y *ipc.Conn) {
		done := make(chan error, 1)
		go func() {
			buf := make([]byte, 1)
			for {
				if _, err := io.ReadFull(y, buf); err != nil {
					done <- nil
					return
				}
				if _, err := y.Write(buf); err != nil {
					done <- err
					return
				}
			}
		}()
		buf := []byte{1}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := x.Write(buf); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(x, buf); err != nil {
				b.Fatal(err)
			}
		}
		x.Close()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.Run("runtime-port", func(b *testing.B) {
		x, y, err := ipc.ConnPair(false)
		if err != nil {
			b.Fatal(err)
		}
		defer y.Close()
		run(b, x, y)
	})
	for _, tr := range transports(b)[1:] {
		name := "package-port"
		if tr.message {
			name = "message"
		}
		b.Run(name, func(b *testing.B) {
			client, server, _ := pair(b, tr)
			run(b, client, server)
		})
	}
}
