// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Command ipc-demo shows two processes talking over a local socket.
//
// Run without arguments, it listens on a name unique to the run, starts a
// copy of itself as the client, answers each line the client sends and
// exits once the client has finished:
//
//	go run ./cmd/ipc-demo
//
// With -client NAME it is the client: it dials NAME, sends a few lines and
// prints the replies.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ipcgo/ipc"
)

// timeout bounds every wait, so a broken peer cannot hang the demo.
const timeout = 10 * time.Second

var messages = []string{"hello", "how are you?", "bye"}

func main() {
	client := flag.String("client", "", "run as the client and dial `name`")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: ipc-demo [-client name]\n\n"+
			"Without -client, ipc-demo listens on a local socket, starts itself\n"+
			"as the client in a second process and answers what it says.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}

	var err error
	if *client != "" {
		err = runClient(*client)
	} else {
		err = runServer()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ipc-demo (pid %d): %v\n", os.Getpid(), err)
		os.Exit(1)
	}
}

// runServer listens, starts the client process, serves its connection and
// waits for it to exit.
func runServer() error {
	say := prefix("server")
	name := fmt.Sprintf("ipc-demo-%d", os.Getpid())
	ln, err := ipc.Listen(name)
	if err != nil {
		return err
	}
	defer ln.Close()
	say("listening on %q (resolved to %s)", name, ln.Addr())

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "-client", name)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	say("started client pid %d", cmd.Process.Pid)

	served := make(chan error, 1)
	go func() { served <- serve(ln, say) }()

	waitErr := cmd.Wait()
	// Closing the listener unblocks Accept if the client died before it
	// connected.
	closeErr := ln.Close()
	serveErr := <-served
	switch {
	case waitErr != nil:
		return fmt.Errorf("client: %w", waitErr)
	case serveErr != nil:
		return serveErr
	case closeErr != nil:
		return closeErr
	}
	say("client exited with status 0; listener closed")
	return nil
}

// serve accepts one connection and answers each line with its upper-case
// form until the client hangs up.
func serve(ln *ipc.Listener, say func(string, ...any)) error {
	if err := ln.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	conn, err := ln.AcceptConn()
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	switch cred, err := conn.PeerCred(); {
	case err == nil && cred.PID < 0: // the OS records no PID (DragonFly BSD)
		say("accepted a connection from uid %d, gid %d", cred.UID, cred.GID)
	case err == nil:
		say("accepted a connection from pid %d (uid %d, gid %d)", cred.PID, cred.UID, cred.GID)
	case errors.Is(err, errors.ErrUnsupported):
		say("accepted a connection (peer credentials not available on this OS)")
	default:
		return err
	}

	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			say("client hung up")
			return nil
		}
		if err != nil {
			return err
		}
		line = strings.TrimSuffix(line, "\n")
		reply := strings.ToUpper(line)
		say("got %q, replying %q", line, reply)
		if _, err := io.WriteString(conn, reply+"\n"); err != nil {
			return err
		}
	}
}

// runClient dials name, sends each message and prints the reply.
func runClient(name string) error {
	say := prefix("client")
	d := ipc.Dialer{Timeout: timeout}
	conn, err := d.DialContext(context.Background(), name)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	say("connected to %s", conn.RemoteAddr())

	r := bufio.NewReader(conn)
	for _, msg := range messages {
		if _, err := io.WriteString(conn, msg+"\n"); err != nil {
			return err
		}
		reply, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		say("sent %q, got %q", msg, strings.TrimSuffix(reply, "\n"))
	}
	return conn.Close()
}

// prefix returns a printer that starts each line with the role and the
// process ID, so the two processes' output can be told apart.
func prefix(role string) func(format string, args ...any) {
	p := fmt.Sprintf("%s pid %d: ", role, os.Getpid())
	return func(format string, args ...any) {
		fmt.Printf(p+format+"\n", args...)
	}
}
