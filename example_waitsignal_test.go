// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/ipcgo/ipc"
)

// A server runs until it is asked to stop, by Ctrl-C (os.Interrupt) or by a
// service manager (SIGTERM; on Windows, a console close or a shutdown), or
// until its context ends: here nobody asks, and a timeout ends the wait.
// (ExampleSignal shows the signal arriving, from a parent process.)
func ExampleWaitSignal() {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	sig, err := ipc.WaitSignal(ctx, os.Interrupt, syscall.SIGTERM)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Println("no signal before the deadline")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("stopping on", sig)
	}
	// Output: no signal before the deadline
}
