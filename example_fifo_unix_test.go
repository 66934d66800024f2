// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/ipcgo/ipc"
)

// Both ends of a FIFO in one program; in real use a reader and a writer in
// two processes agree on the path.
func ExampleOpenFifo() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fifo")
	if err := ipc.Mkfifo(path, 0o600); err != nil { // exactly 0600, whatever the umask
		log.Fatal(err)
	}

	// The read side opens at once.
	r, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	// The write side waits for a reader, here for at most five seconds
	// (there is one already).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, err := ipc.OpenFifo(ctx, path, os.O_WRONLY)
	if err != nil {
		log.Fatal(err) // errors.Is(err, os.ErrDeadlineExceeded): no reader came
	}
	fmt.Fprintln(w, "hello through a FIFO")
	w.Close()

	msg, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(msg))
	// Output: hello through a FIFO
}
