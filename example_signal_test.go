// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !windows

// The code of this example runs unchanged on Windows (the same steps are
// TestSignalInterruptChild there), but Wine, where the Windows tests run,
// cannot deliver the interrupt, and an example cannot skip itself.

package ipc_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"

	"github.com/ipcgo/ipc"
)

// A parent asks its child to stop gracefully. The child is this program
// started again, which finds EXAMPLE_WORKER in its environment; it could
// be any program that stops on os.Interrupt.

func init() {
	// In a real program this check comes first in main.
	if os.Getenv("EXAMPLE_WORKER") != "" {
		os.Exit(worker())
	}
}

// worker is the child: it works until it is asked to stop, then cleans up
// and exits 0.
func worker() int {
	// Register for the interrupt before telling the parent we are ready,
	// so that an interrupt sent after "ready" cannot be missed.
	w, err := ipc.NewSignalWaiter(os.Interrupt)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer w.Stop()
	fmt.Println("ready")

	sig, err := w.Wait(context.Background())
	if err != nil {
		log.Print(err)
		return 1
	}
	fmt.Println("worker: got", sig, "- saving state and exiting")
	return 0
}

func ExampleSignal() {
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "EXAMPLE_WORKER=1")
	cmd.Stderr = os.Stderr
	ipc.NewProcessGroup(cmd) // needed on Windows to deliver os.Interrupt
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	r := bufio.NewReader(out)
	if _, err := r.ReadString('\n'); err != nil { // "ready"
		log.Fatal(err)
	}

	// Ask it to stop: SIGINT on Unix, CTRL_BREAK_EVENT on Windows.
	if err := ipc.Signal(cmd.Process, os.Interrupt); err != nil {
		log.Print(err)
		cmd.Process.Kill() // no other way
	}
	last, _ := r.ReadString('\n')
	fmt.Print(last)
	fmt.Println("exit:", cmd.Wait())
	// Output:
	// worker: got interrupt - saving state and exiting
	// exit: <nil>
}
