// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ipcgo/ipc"
)

// sockPath returns a short socket path in a fresh directory removed after
// the test (t.TempDir can be too long for sun_path).
func sockPath(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s")
}

func transports(t testing.TB) []transport {
	trs := []transport{
		{name: "path", newName: sockPath},
		{name: "bare", newName: func(testing.TB) string { return uniqueName("ipc-test") }},
	}
	if runtime.GOOS == "linux" || runtime.GOOS == "android" {
		trs = append(trs, transport{name: "abstract", newName: func(testing.TB) string { return "@" + uniqueName("ipc-test") }})
	}
	return trs
}

// ownCred is what PeerCred reports for a peer of this user, less the PID.
func ownCred() ipc.Cred {
	return ipc.Cred{UID: os.Geteuid(), GID: os.Getegid()}
}
