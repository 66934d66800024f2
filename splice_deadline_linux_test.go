// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

// TestSpliceDeadlineCount checks what becomes of the data in the internal
// pipe when a spliced WriteTo ends on the destination's deadline: the
// count returned is exactly what the destination got, a prefix of the
// stream; what the internal pipe still held is dropped with the pipe (as
// a plain copy drops its buffer, and as the standard library's splice
// does), and never comes out of a later copy that takes a pipe from the
// free list.
func TestSpliceDeadlineCount(t *testing.T) {
	before := ipc.SplicedBytes()
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data := pattern(512<<10, 1)
	go a.Write(data) // ends when b is closed, if not before
	w.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	n, err := b.WriteTo(w) // nobody reads r: the destination fills up
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("WriteTo into a full pipe: %d, %v; want the deadline", n, err)
	}
	if ipc.SplicedBytes() == before {
		t.Fatal("WriteTo did not splice")
	}
	w.Close()
	got, err := io.ReadAll(r)
	if err != nil || int64(len(got)) != n || !bytes.Equal(got, data[:len(got)]) {
		t.Fatalf("the destination got %d bytes (a prefix: %v), %v; WriteTo said %d",
			len(got), bytes.Equal(got, data[:min(len(got), len(data))]), err, n)
	}
	b.Close()

	// The next copies, of other connections, get only their own data.
	for i := range 3 {
		c, d, err := ipc.ConnPair(false)
		if err != nil {
			t.Fatal(err)
		}
		data2 := pattern(256<<10, byte(7+i))
		go func() {
			c.Write(data2)
			c.Close()
		}()
		r2, w2, err := ipc.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		got2 := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(r2)
			got2 <- b
		}()
		n2, err := d.WriteTo(w2)
		w2.Close()
		d.Close()
		out := <-got2
		r2.Close()
		if err != nil || n2 != int64(len(data2)) || !bytes.Equal(out, data2) {
			t.Fatalf("copy %d after: %d bytes written, %d read, equal %v, %v", i, n2, len(out), bytes.Equal(out, data2), err)
		}
	}
}
