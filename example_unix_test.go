// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

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

// A bare name is private to the user: on Unix it is a 0600 socket file in
// $XDG_RUNTIME_DIR or in a 0700 directory of the user's under the temp dir.
// Resolve tells, without listening, where that is, for tools that want a
// path (curl --unix-socket, socat).
func ExampleListen_bareName() {
	ln, err := ipc.Listen("myapp")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()           // removes the socket file
	path := ln.Addr().String() // e.g. /run/user/1000/myapp.sock
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(path), fi.Mode())

	resolved, err := ipc.Resolve("myapp")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resolved == path)

	conn, err := ipc.Dial("myapp") // a client of the same user
	if err != nil {
		log.Fatal(err)
	}
	conn.Close()
	// Output:
	// myapp.sock Srw-------
	// true
}

// A server that takes over the socket file a crashed predecessor left. The
// stale file is made here by a listener told to leave its file behind; a
// server killed with SIGKILL leaves one the same way.
func ExampleListenConfig_Listen_reclaim() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "control.sock") // in real use, say /run/myapp/control.sock

	old, err := ipc.Listen(path)
	if err != nil {
		log.Fatal(err)
	}
	old.SetUnlinkOnClose(false)
	old.Close() // the "crash": the socket file stays, with no listener

	_, err = ipc.Listen(path)
	fmt.Println("without Reclaim:", errors.Is(err, os.ErrExist))
	fmt.Println(strings.TrimPrefix(err.Error(), "listen unix "+path+": "))

	lc := ipc.ListenConfig{Reclaim: true, Mode: 0o660}
	ln, err := lc.Listen(context.Background(), path)
	if err != nil {
		log.Fatal(err) // errors.Is(err, os.ErrExist): another server is running
	}
	defer ln.Close()
	fmt.Println("with Reclaim: listening on", filepath.Base(ln.Addr().String()))

	// A live listener is never taken over, Reclaim or not.
	_, err = lc.Listen(context.Background(), path)
	fmt.Println("while it runs:", errors.Is(err, os.ErrExist))
	// Output:
	// without Reclaim: true
	// bind: address already in use: stale socket (no listener); set ListenConfig.Reclaim to take it over
	// with Reclaim: listening on control.sock
	// while it runs: true
}
