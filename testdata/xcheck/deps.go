// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build xcheckdeps

// The test reads x/sys from source and never imports it; this file, built
// by no one, keeps it in go.mod through go mod tidy.

package xcheck

import (
	_ "golang.org/x/sys/plan9"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/sys/windows"
)
