// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"os"
	"testing"

	"github.com/ipcgo/ipc"
)

// TestRecvmsgSocketcall runs messages, credentials and file passing the
// way they go on kernels without a direct recvmsg system call (s390x
// before Linux 4.3, where only socketcall(2) reaches it).
func TestRecvmsgSocketcall(t *testing.T) {
	defer ipc.NoDirectRecvmsg()()
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	buf := make([]byte, 16)
	for _, msg := range []string{"hello", "", "0123456789abcdef0123"} {
		if _, err := a.WriteMsg([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		n, trunc, err := b.ReadMsg(buf)
		want := msg[:min(len(msg), len(buf))]
		if err != nil || string(buf[:n]) != want || trunc != (len(msg) > len(buf)) {
			t.Fatalf("ReadMsg of %q = %q, %v, %v", msg, buf[:n], trunc, err)
		}
	}
	// An empty buffer: the message is discarded, reported as truncated.
	a.WriteMsg([]byte("lost"))
	if n, trunc, err := b.ReadMsg(nil); n != 0 || !trunc || err != nil {
		t.Fatalf("ReadMsg(nil) = %d, %v, %v; want 0, true, nil", n, trunc, err)
	}
	a.WriteMsg([]byte("cred"))
	n, cred, _, err := b.RecvCred(buf)
	if err != nil || string(buf[:n]) != "cred" || cred == nil || cred.PID != os.Getpid() {
		t.Fatalf("RecvCred = %q, %+v, %v", buf[:n], cred, err)
	}
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := a.SendFiles([]byte("files"), f, f); err != nil {
		t.Fatal(err)
	}
	n, files, _, err := b.RecvFiles(buf, 2)
	if err != nil || string(buf[:n]) != "files" || len(files) != 2 {
		t.Fatalf("RecvFiles = %q, %d files, %v", buf[:n], len(files), err)
	}
	for _, g := range files {
		g.Close()
	}
}
