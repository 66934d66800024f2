// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !race

package ipc_test

// raceEnabled is set when the tests run under the race detector, which
// changes what allocations cost.
const raceEnabled = false
