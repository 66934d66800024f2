// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ipcgo/ipc"
)

// A service started by systemd-socket-activate, as systemd starts one from
// a socket unit: the first client starts it, and it finds its socket by
// name. The activated copy of this program finds EXAMPLE_ACTIVATED in its
// environment.

func init() {
	// In a real program this check comes first in main.
	if os.Getenv("EXAMPLE_ACTIVATED") != "" {
		os.Exit(activatedService())
	}
	if path := os.Getenv("EXAMPLE_PEER_DIAL"); path != "" {
		os.Exit(peerClient(path))
	}
}

// activatedService serves one client on the socket named "greeting".
func activatedService() int {
	ln, err := ipc.ActivationListener("greeting")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c, err := ln.Accept()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(c, "hello from a socket-activated service")
	c.Close()
	ln.Close() // leaves the socket file, which is systemd's
	return 0
}

func ExampleActivationListener() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "greeting.sock")

	// systemd-socket-activate listens on path and, when the first client
	// connects, runs the service with the socket, as systemd does for a
	// socket unit with FileDescriptorName=greeting.
	service, err := os.Executable() // this program, started again
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command("systemd-socket-activate",
		"-l", path, "--fdname=greeting", "-E", "EXAMPLE_ACTIVATED=1", service)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_TARGET=console")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	msgs := bufio.NewReader(stderr)
	if line, err := msgs.ReadString('\n'); !strings.HasPrefix(line, "Listening on") {
		cmd.Process.Kill()
		log.Fatal(line, err)
	}
	go io.Copy(io.Discard, msgs)

	c, err := ipc.Dial(path) // starts the service
	if err != nil {
		log.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	c.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(reply))
	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}
	// Output: hello from a socket-activated service
}

// peerClient connects to path and waits for the server to hang up.
func peerClient(path string) int {
	c, err := ipc.Dial(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	io.Copy(io.Discard, c)
	return 0
}

func ExampleConn_PeerProcess() {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ln, err := ipc.Listen(filepath.Join(dir, "s"))
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	exe, err := os.Executable() // the client: this program, started again
	if err != nil {
		log.Fatal(err)
	}
	client := exec.Command(exe)
	client.Env = append(os.Environ(), "EXAMPLE_PEER_DIAL="+ln.Addr().String())
	if err := client.Start(); err != nil {
		log.Fatal(err)
	}
	c, err := ln.AcceptConn()
	if err != nil {
		log.Fatal(err)
	}
	p, err := c.PeerProcess()
	if err != nil {
		log.Fatal(err) // errors.ErrUnsupported before Linux 6.5
	}
	defer p.Close()

	// Read about the peer by its PID, then check that it is still alive:
	// if it is, the PID cannot have passed to another process meanwhile.
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.Pid()))
	if err == nil && p.Alive() {
		fmt.Println("read about the client, and it was the client:", len(cmdline) > 0)
	}

	c.Close() // the client exits when the server hangs up
	if err := p.Wait(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("client alive:", p.Alive())
	client.Wait() // reaped: its PID may now go to another process
	err = p.Signal(os.Interrupt)
	fmt.Println("signal after it is gone:", errors.Is(err, os.ErrProcessDone))
	// Output:
	// read about the client, and it was the client: true
	// client alive: false
	// signal after it is gone: true
}
