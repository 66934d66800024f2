// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Package grpc shows gRPC over ipc's local sockets: a server and a client in
// a runnable example. It is a module of its own so that the ipc module itself
// never depends on gRPC.
package grpc
