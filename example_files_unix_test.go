// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/ipcgo/ipc"
)

// One process hands an open file to another over a connection. Here the
// file is the write end of a pipe, so the receiver writes into a pipe it
// did not create and could not have opened by name. The two ends of the
// connection come from ConnPair; in real use they are a Dial and an Accept
// in two processes.
func ExampleConn_SendFiles() {
	sender, receiver, err := ipc.ConnPair(false)
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	defer receiver.Close()
	r, w, err := ipc.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	// The sender. The file travels with the first byte of the data.
	if _, err := sender.SendFiles([]byte("a pipe for you"), w); err != nil {
		log.Fatal(err)
	}
	w.Close() // the receiver's copy stays open

	// The receiver: the data, and at most one file with it.
	buf := make([]byte, 64)
	n, files, _, err := receiver.RecvFiles(buf, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("received %q with %d file\n", buf[:n], len(files))
	pw := files[0] // the receiver owns it and must close it
	fmt.Fprintln(pw, "written by the receiver")
	pw.Close()

	// Back in the sender, the pipe ends when the last write end is closed.
	msg, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(msg))
	// Output:
	// received "a pipe for you" with 1 file
	// written by the receiver
}

// A server checks who its client is before it serves it: the kernel
// recorded the client's user and group when it connected, so the client
// cannot lie about them.
func ExampleConn_PeerCred() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ln, err := ipc.Listen(filepath.Join(dir, "app.sock"))
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	// The server.
	go func() {
		c, err := ln.AcceptConn()
		if err != nil {
			return // closed
		}
		defer c.Close()
		cred, err := c.PeerCred()
		if err != nil {
			log.Print(err)
			return
		}
		if cred.UID != os.Geteuid() && cred.UID != 0 {
			fmt.Fprintf(c, "user %d: refused\n", cred.UID)
			return
		}
		fmt.Fprintln(c, "welcome: you are this server's user, or root")
	}()

	// A client, in real use another process.
	c, err := ipc.Dial(ln.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	reply, err := io.ReadAll(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(reply))
	// Output:
	// welcome: you are this server's user, or root
}
