// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/ipcgo/ipc"
)

// A Linux abstract name ("@name") has no file and so no permissions: any
// process in the network namespace, of any user, may connect to it, and
// may also take the name before the real server does. A client that cares
// checks who serves the name before it trusts the connection. (On Windows,
// Dialer.ServerSID makes the same check in Dial.)
func ExampleDial_checkServer() {
	name := fmt.Sprintf("@example-check-%d", os.Getpid())

	// The server, in real use another process.
	ln, err := ipc.Listen(name)
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.WriteString(c, "hello from the server\n")
		c.Close()
	}()

	// The client.
	conn, err := ipc.Dial(name)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	cred, err := conn.PeerCred()
	if err != nil {
		log.Fatal(err)
	}
	if cred.UID != os.Geteuid() {
		log.Fatalf("%s is served by user %d, not by this user: refusing it", name, cred.UID)
	}
	reply, err := io.ReadAll(conn)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(reply))
	// Output: hello from the server
}
