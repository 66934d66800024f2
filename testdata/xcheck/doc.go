// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Package xcheck cross-checks the numbers and structure layouts written by
// hand in package ipc against golang.org/x/sys, for every target in
// go tool dist list, by type-checking both from source with the target's
// build constraints and sizes. Nothing here runs on the target: it is how
// the code for macOS, the BSDs, illumos, AIX and Windows is checked on a
// Linux machine. It is a module of its own so that the ipc module itself
// never depends on x/sys; see xcheck_test.go.
package xcheck
