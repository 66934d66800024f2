// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !linux

package main

import "os"

// pollableStdio returns standard input and output as they are: only
// Linux splices through them.
func pollableStdio() (in, out *os.File, restore func()) {
	return os.Stdin, os.Stdout, nil
}
