// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import "time"

// SetBusyWait sets how long a dial without a deadline waits for a listener
// whose queue is full, until restore is called.
func SetBusyWait(d time.Duration) (restore func()) {
	old := busyWait
	busyWait = d
	return func() { busyWait = old }
}
