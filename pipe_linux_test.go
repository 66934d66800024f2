// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// TestPipeBufferSizeLimit asks for more than pipe-max-size: an error, even
// for root, whom the kernel would let exceed it.
func TestPipeBufferSizeLimit(t *testing.T) {
	max := pipeMaxSize(t)
	pollerUp(t)
	fds := countFDs(t)
	_, _, err := (&ipc.PipeConfig{BufferSize: max + 1}).Pipe()
	var se *os.SyscallError
	if !errors.As(err, &se) || se.Syscall != "fcntl" || !errors.Is(err, syscall.EINVAL) ||
		!strings.Contains(err.Error(), "pipe-max-size") {
		t.Fatalf("BufferSize above pipe-max-size: %v; want an fcntl *os.SyscallError wrapping EINVAL that names pipe-max-size", err)
	}
	if got := countFDs(t); got != fds {
		t.Errorf("descriptors: %d before, %d after the failed Pipe", fds, got)
	}

	// Exactly the limit is fine, and granted in full.
	r, _ := newPipe(t, &ipc.PipeConfig{BufferSize: max})
	if n, err := ipc.PipeBufferSize(r); err != nil || n != max {
		t.Errorf("PipeBufferSize = %d, %v; want %d", n, err, max)
	}
	// A size is rounded up to whole pages.
	r, _ = newPipe(t, &ipc.PipeConfig{BufferSize: 1})
	if n, err := ipc.PipeBufferSize(r); err != nil || n != os.Getpagesize() {
		t.Errorf("PipeBufferSize = %d, %v; want one page, %d", n, err, os.Getpagesize())
	}

	// PipeBufferSize of something that is not a pipe.
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := ipc.PipeBufferSize(f); !errors.Is(err, syscall.EBADF) {
		t.Errorf("PipeBufferSize(%s): %v; want EBADF", os.DevNull, err)
	}
}
