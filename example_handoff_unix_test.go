// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/ipcgo/ipc"
)

// A server that hands its listening socket to its successor, a new copy of
// the program, and stops, without refusing a single client. The successor
// finds the token in its environment.

func init() {
	// In a real program this check comes first in main.
	if token := os.Getenv("EXAMPLE_LISTENER_TOKEN"); token != "" {
		os.Exit(successor(token))
	}
}

// successor is the new version of the server. This one serves a single
// client and stops.
func successor(token string) int {
	f, err := ipc.InheritedFile(token, "listener")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := ipc.FileListener(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln.SetUnlinkOnClose(true) // the last server removes the socket file
	defer ln.Close()
	c, err := ln.Accept()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(c, "served by the successor")
	c.Close()
	return 0
}

func ExampleFileListener() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.sock")

	ln, err := ipc.Listen(path)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintln(c, "served by the old server")
		c.Close()
	}()
	ask := func() { // a client
		c, err := ipc.Dial(path)
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		reply, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(reply)
	}
	ask()

	// The handoff.
	f, err := ln.File()
	if err != nil {
		log.Fatal(err)
	}
	exe, err := os.Executable() // the successor: this program, started again
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(exe)
	token, err := ipc.PassFile(cmd, f) // cmd now owns f
	if err != nil {
		log.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "EXAMPLE_LISTENER_TOKEN="+token)
	cmd.Stderr = os.Stderr
	err = cmd.Start()
	ipc.ReleaseFiles(cmd)
	if err != nil {
		log.Fatal(err)
	}
	// Once Start has returned the successor holds the socket, so this
	// server can stop at once: clients that come before the successor
	// accepts wait in the socket's queue. Close leaves the socket file in
	// place, since File handed out a copy.
	ln.Close()
	ask()

	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(path)
	fmt.Println("socket file removed by the successor:", errors.Is(err, os.ErrNotExist))
	// Output:
	// served by the old server
	// served by the successor
	// socket file removed by the successor: true
}
