// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package ipc_test

import (
	"errors"
	"net"
	"os"
)

// pinProcess: the benchmarks pin processes on Linux only.
func pinProcess(cpu int) (restore func(), err error) { return nil, errors.ErrUnsupported }

// relayPeerIO feeds and drains the relay with plain copies.
func relayPeerIO(c net.Conn, pipe *os.File, dir string, total int64) (int64, error) {
	return plainRelayPeerIO(c, pipe, dir, total)
}

// setPipeSize: not used here (relayPipeSizes has only the default).
func setPipeSize(f *os.File, n int) error { return errors.ErrUnsupported }
