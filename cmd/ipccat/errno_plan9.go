// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

// Plan 9 has no local sockets, so none of these errors occur there.

func isRefused(err error) bool { return false }
func isBroken(err error) bool  { return false }
