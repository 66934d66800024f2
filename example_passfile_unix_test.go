// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"

	"github.com/ipcgo/ipc"
)

// A child that is not a Go program gets the file as a descriptor: the
// token is its number (3 for the first file passed). PassFile makes a pipe
// end blocking for the child, so plain shell redirection works.
func ExamplePassFile_shell() {
	r, w, err := ipc.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	cmd := exec.Command("sh", "-c", `echo "hello from sh on descriptor $PIPE_FD" >&"$PIPE_FD"`)
	token, err := ipc.PassFile(cmd, w) // cmd now owns w
	if err != nil {
		log.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "PIPE_FD="+token)
	cmd.Stderr = os.Stderr
	err = cmd.Start()
	ipc.ReleaseFiles(cmd) // whether or not Start succeeded
	if err != nil {
		log.Fatal(err)
	}

	msg, err := io.ReadAll(r) // io.EOF once sh has exited
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(msg))
	// Output: hello from sh on descriptor 3
}
