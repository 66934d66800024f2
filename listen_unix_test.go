// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["count-server"] = helperCountServer
	helpers["bind-no-listen"] = helperBindNoListen
}

// helperCountServer listens on args[0], prints the resolved name and
// counts the connections it accepts. A connection whose first byte is 'M'
// is the marker: the helper writes the number of connections accepted
// before it to that connection. It stops when its standard input closes.
func helperCountServer(args []string) int {
	ln, err := ipc.Listen(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(ln.Addr())
	go func() {
		waitStdin()
		ln.Close()
	}()
	n := 0
	for {
		c, err := ln.AcceptConn()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return 0
			}
			fmt.Fprintln(os.Stderr, "accept:", err)
			return 1
		}
		b := make([]byte, 1)
		if _, err := io.ReadFull(c, b); err == nil && b[0] == 'M' {
			fmt.Fprintf(c, "%d\n", n)
		} else {
			n++
		}
		c.Close()
	}
}

// helperBindNoListen binds a plain stream socket (no ipc) to args[0] and
// prints "bound". When a line arrives on its standard input it starts
// listening, prints "listening" and answers one connection with "live".
func helperBindNoListen(args []string) int {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		err = syscall.Bind(fd, &syscall.SockaddrUnix{Name: args[0]})
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("bound")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 0
	}
	if err := syscall.Listen(fd, 1); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("listening")
	nfd, _, err := syscall.Accept(fd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "accept:", err)
		return 1
	}
	syscall.Write(nfd, []byte("live"))
	syscall.Close(nfd)
	return 0
}

// TestFailedListenNotSeen starts a server in a child process that counts
// the connections it accepts, and fails to listen on the same name here in
// every way a second instance would: a path with and without Reclaim, a bare
// name (which always reclaims). The server must see none of it.
func TestFailedListenNotSeen(t *testing.T) {
	privateDir(t, 0o700)
	for _, name := range []string{sockPath(t), uniqueName("count")} {
		c, addr := startChild(t, helperCommand(t, "count-server", name))
		if strings.HasPrefix(addr, "error") {
			t.Fatal(addr)
		}
		for _, reclaim := range []bool{false, true} {
			_, err := (&ipc.ListenConfig{Reclaim: reclaim}).Listen(context.Background(), name)
			wantErr(t, err, "listen", os.ErrExist)
			wantErr(t, err, "listen", syscall.EADDRINUSE)
		}
		mark, err := ipc.Dial(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mark.Write([]byte("M")); err != nil {
			t.Fatal(err)
		}
		var n int
		if _, err := fmt.Fscan(mark, &n); err != nil {
			t.Fatal(err)
		}
		mark.Close()
		c.finish()
		if n != 0 {
			t.Errorf("%s: the live server accepted %d connections from the failed Listen calls; want none", name, n)
		}
	}
}

// TestReclaimBoundNotListening checks that Reclaim leaves alone a socket
// that another program (not using this package) has bound but not yet
// started listening on: it is live, not stale.
func TestReclaimBoundNotListening(t *testing.T) {
	path := sockPath(t)
	c, line := startChild(t, helperCommand(t, "bind-no-listen", path))
	if line != "bound" {
		t.Fatal(line)
	}
	_, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	wantErr(t, err, "listen", os.ErrExist)
	if _, err := io.WriteString(c.stdin, "listen\n"); err != nil {
		t.Fatal(err)
	}
	if line, err := c.out.ReadString('\n'); line != "listening\n" {
		t.Fatalf("child: %q, %v", line, err)
	}
	conn, err := ipc.Dial(path)
	if err != nil {
		t.Fatalf("the other server's socket is gone: %v", err)
	}
	got, _ := io.ReadAll(conn)
	conn.Close()
	if string(got) != "live" {
		t.Fatalf("got %q from the path; want the other server's %q", got, "live")
	}
	c.finish()
}
