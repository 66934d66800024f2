// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/ipcgo/ipc"
)

// A reader that waits for its writer, here a shell started afterwards:
// "cat > fifo" or "echo ... > fifo" in another terminal works the same.
// Without WaitForWriter the first Read could report io.EOF before the
// shell has opened the FIFO.
func ExampleOpenFifo_waitForWriter() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fifo")
	if err := ipc.Mkfifo(path, 0o600); err != nil {
		log.Fatal(err)
	}

	// The writer's open waits for a reader; start it first.
	cmd := exec.Command("sh", "-c", `echo "hello from the shell" > "$1"`, "sh", path)
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer cmd.Wait()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := ipc.OpenFifo(ctx, path, os.O_RDONLY|ipc.WaitForWriter)
	if err != nil {
		log.Fatal(err) // errors.Is(err, os.ErrDeadlineExceeded): no writer came
	}
	defer r.Close()
	msg, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(msg))
	// Output: hello from the shell
}
