// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build generate

package ipc

//go:generate go run golang.org/x/sys/windows/mkwinsyscall@v0.50.0 -systemdll=false -output zsyscall_windows.go ipc_windows.go
