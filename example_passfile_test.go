// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"

	"github.com/ipcgo/ipc"
)

// A program that starts a copy of itself and hands it the write end of a
// pipe. The copy finds the token in its environment, writes to the pipe and
// exits; the parent reads until io.EOF, which arrives when the child exits
// because ReleaseFiles closed the parent's copy of the write end.

func init() {
	// In a real program this check comes first in main.
	if token := os.Getenv("EXAMPLE_PIPE_TOKEN"); token != "" {
		os.Exit(pipeChild(token))
	}
}

// pipeChild is the child's side.
func pipeChild(token string) int {
	w, err := ipc.InheritedFile(token, "pipe")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(w, "hello from the child")
	return 0 // exiting closes w
}

func ExamplePassFile() {
	r, w, err := ipc.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	exe, err := os.Executable() // this program, started again as the child
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(exe)
	token, err := ipc.PassFile(cmd, w) // cmd now owns w
	if err != nil {
		log.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "EXAMPLE_PIPE_TOKEN="+token)
	cmd.Stderr = os.Stderr
	err = cmd.Start()
	ipc.ReleaseFiles(cmd) // whether or not Start succeeded
	if err != nil {
		log.Fatal(err)
	}

	msg, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(msg))
	// Output: hello from the child
}
