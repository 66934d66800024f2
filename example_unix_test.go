// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/ipcgo/ipc"
)

// A server and a client in one program; in real use they are two processes
// that agree on the name.
func ExampleListen() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "echo.sock")

	ln, err := ipc.Listen(name)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()

	conn, err := ipc.Dial(name)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, "hello")
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(reply)
	// Output: hello
}

// A bare name is private to the user: on Unix it is a 0600 socket in
// $XDG_RUNTIME_DIR or a 0700 directory of the user's under the temp dir.
func ExampleListen_bareName() {
	ln, err := ipc.Listen("myapp")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	log.Printf("listening on %s", ln.Addr()) // e.g. /run/user/1000/myapp.sock
}

// A server that takes over the socket file a crashed predecessor left.
func ExampleListenConfig_Listen_reclaim() {
	lc := ipc.ListenConfig{Reclaim: true, Mode: 0o660}
	ln, err := lc.Listen(context.Background(), "/run/myapp/control.sock")
	if err != nil {
		log.Fatal(err) // errors.Is(err, os.ErrExist): another server is running
	}
	defer ln.Close()
}
