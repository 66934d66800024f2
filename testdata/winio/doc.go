// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Package winio holds interoperability tests between ipc and go-winio, the
// most used Go named-pipe package. It is a module of its own so that the ipc
// module itself never depends on go-winio.
package winio
