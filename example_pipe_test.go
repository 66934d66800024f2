// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/ipcgo/ipc"
)

func ExamplePipe() {
	r, w, err := ipc.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	go func() {
		fmt.Fprint(w, "hello")
		w.Close() // the reader sees io.EOF once the data is read
	}()
	msg, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(msg))

	// Reads honour deadlines, on Windows too.
	r2, w2, err := ipc.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer r2.Close()
	defer w2.Close()
	r2.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err = r2.Read(make([]byte, 1))
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded))
	// Output:
	// hello
	// true
}
