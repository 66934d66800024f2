// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !windows

package main

func isWindowsBrokenPipe(err error) bool { return false }
