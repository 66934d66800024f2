// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"

	"github.com/ipcgo/ipc"
)

// A server and a client in one program; in real use they are two processes
// that agree on the name. On Windows "echo-example" is the pipe
// \\.\pipe\echo-example, open to the current user only.
func ExampleListen() {
	ln, err := ipc.Listen(uniqueName("echo-example"))
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

	conn, err := ipc.Dial(ln.Addr().String())
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

// Message mode keeps the boundaries of what is written, as a Unix
// SOCK_SEQPACKET socket does.
func ExampleConn_ReadMsg() {
	lc := ipc.ListenConfig{Message: true}
	ln, err := lc.Listen(context.Background(), uniqueName("msg-example"))
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		d := ipc.Dialer{Message: true}
		c, err := d.DialContext(context.Background(), ln.Addr().String())
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		c.WriteMsg([]byte("first"))
		c.WriteMsg(nil) // an empty message
		c.WriteMsg([]byte("third"))
	}()
	conn, err := ln.AcceptConn()
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	buf := make([]byte, 64)
	for {
		n, _, err := conn.ReadMsg(buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q\n", buf[:n])
	}
	// Output:
	// "first"
	// ""
	// "third"
}
