// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !plan9

package main

import (
	"errors"
	"syscall"
)

// isRefused reports a connection refused: no server holds the name.
func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// isBroken reports a write that failed because the reader went away.
func isBroken(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
