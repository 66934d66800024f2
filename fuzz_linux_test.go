// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bytes"
	"testing"

	"github.com/ipcgo/ipc"
)

// FuzzMessageFraming sends arbitrary messages over a message-mode
// connection pair and reads each into a buffer of arbitrary size: every
// message arrives whole and alone, a message longer than the buffer comes
// back cut to the buffer's size with truncated set, and the next message
// is unaffected by the cut.
func FuzzMessageFraming(f *testing.F) {
	f.Add([]byte("hello"), []byte(""), uint16(5))
	f.Add([]byte(""), []byte("x"), uint16(0))
	f.Add(bytes.Repeat([]byte("a"), 5000), []byte("b"), uint16(100))
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		f.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	f.Fuzz(func(t *testing.T, m1, m2 []byte, size uint16) {
		if len(m1) > 64<<10 || len(m2) > 64<<10 {
			return // beyond what a message of this socket may carry
		}
		for _, m := range [][]byte{m1, m2} {
			if n, err := a.WriteMsg(m); err != nil || n != len(m) {
				t.Fatalf("WriteMsg(%d bytes) = %d, %v", len(m), n, err)
			}
		}
		buf := make([]byte, int(size)%(len(m1)+2))
		n, truncated, err := b.ReadMsg(buf)
		if err != nil {
			t.Fatalf("ReadMsg: %v", err)
		}
		want := min(len(m1), len(buf))
		if n != want || truncated != (len(m1) > len(buf)) || !bytes.Equal(buf[:n], m1[:want]) {
			t.Fatalf("ReadMsg of a %d-byte message into %d bytes = %d, truncated %v", len(m1), len(buf), n, truncated)
		}
		buf = make([]byte, len(m2)+1)
		n, truncated, err = b.ReadMsg(buf)
		if err != nil || truncated || !bytes.Equal(buf[:n], m2) {
			t.Fatalf("second message: %d bytes, truncated %v, %v; want the %d sent", n, truncated, err, len(m2))
		}
	})
}
