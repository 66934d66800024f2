// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"runtime"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// TestDotNames checks that "." and ".." are refused as bare names (and as
// "@" names where "@" means a bare name), by Listen, Dial and Resolve
// alike, rather than becoming sockets named "..sock" and "...sock".
func TestDotNames(t *testing.T) {
	names := []string{".", ".."}
	if runtime.GOOS != "linux" && runtime.GOOS != "android" {
		names = append(names, "@.", "@..")
	}
	for _, name := range names {
		_, err := ipc.Listen(name)
		wantErr(t, err, "listen", syscall.EINVAL)
		_, err = ipc.Dial(name)
		wantErr(t, err, "dial", syscall.EINVAL)
		_, err = ipc.Resolve(name)
		wantErr(t, err, "resolve", syscall.EINVAL)
	}
}
