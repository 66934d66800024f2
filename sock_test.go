// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["echo-server"] = helperEchoServer
	helpers["echo-clients"] = helperEchoClients
	helpers["peer-dial"] = helperPeerDial
}

// helperEchoServer listens on args[0] with Reclaim set to args[1] == "reclaim",
// prints the resolved name and echoes every connection until its standard
// input closes.
func helperEchoServer(args []string) int {
	lc := ipc.ListenConfig{Reclaim: len(args) > 1 && args[1] == "reclaim"}
	ln, err := lc.Listen(context.Background(), args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(ln.Addr())
	var wg sync.WaitGroup
	go func() {
		waitStdin()
		ln.Close()
	}()
	for {
		c, err := ln.AcceptConn()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				break
			}
			fmt.Fprintln(os.Stderr, "accept:", err)
			return 1
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			if _, err := io.Copy(c, c); err != nil {
				fmt.Fprintln(os.Stderr, "echo:", err)
			}
		}()
	}
	wg.Wait()
	return 0
}

// echoExchange sends size pseudo-random bytes over c while reading the echo
// back, and checks that every byte came back in order.
func echoExchange(c *ipc.Conn, size int, seed uint64) error {
	data := make([]byte, size)
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	rand.NewChaCha8(key).Read(data)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		errc <- err
	}()
	got := make([]byte, size)
	_, err := io.ReadFull(c, got)
	if werr := <-errc; werr != nil {
		return werr
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("echo of %d bytes came back different", size)
	}
	return nil
}

// runClients dials name n times at once and runs an echo exchange of size
// bytes on each connection.
func runClients(name string, n, size int) error {
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			c, err := ipc.Dial(name)
			if err != nil {
				errc <- err
				return
			}
			defer c.Close()
			errc <- echoExchange(c, size, uint64(i))
		}()
	}
	var first error
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// helperEchoClients runs args[1] clients of args[2] bytes each against the
// echo server at args[0].
func helperEchoClients(args []string) int {
	n, _ := strconv.Atoi(args[1])
	size, _ := strconv.Atoi(args[2])
	fmt.Println("started")
	if err := runClients(args[0], n, size); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// helperPeerDial dials args[0], sends its pid and waits for EOF.
func helperPeerDial(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	fmt.Println("dialed")
	fmt.Fprintf(c, "%d\n", os.Getpid())
	io.Copy(io.Discard, c)
	return 0
}

// TestServerInChild runs the server in a child process and 64 clients in
// this one, each exchanging 1 MiB (64 KiB with -short).
func TestServerInChild(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			c, addr := startChild(t, helperCommand(t, "echo-server", tr.newName(t)))
			if strings.HasPrefix(addr, "error") {
				t.Fatal(addr)
			}
			if err := runClients(addr, 64, volume(1<<20, 64<<10)); err != nil {
				t.Fatal(err)
			}
			c.finish()
		})
	}
}

// TestClientsInChild runs the server in this process and 64 clients in a
// child, each exchanging 1 MiB (64 KiB with -short).
func TestClientsInChild(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			ln := listen(t, tr.newName(t))
			go func() {
				for {
					c, err := ln.AcceptConn()
					if err != nil {
						return
					}
					go func() {
						defer c.Close()
						io.Copy(c, c)
					}()
				}
			}()
			cmd := helperCommand(t, "echo-clients", ln.Addr().String(), "64", strconv.Itoa(volume(1<<20, 64<<10)))
			out, err := cmd.Output()
			if err != nil || string(out) != "started\n" {
				t.Fatalf("clients: %v, output %q", err, out)
			}
		})
	}
}

func TestPeerCred(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			ln := listen(t, tr.newName(t))
			c, line := startChild(t, helperCommand(t, "peer-dial", ln.Addr().String()))
			if line != "dialed" {
				t.Fatal(line)
			}
			conn, err := ln.AcceptConn()
			if err != nil {
				t.Fatal(err)
			}
			cred, err := conn.PeerCred()
			if err != nil {
				t.Fatal(err)
			}
			var pid int
			if _, err := fmt.Fscan(conn, &pid); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			c.finish()
			wantPID := c.cmd.Process.Pid
			if runtime.GOOS == "dragonfly" || runtime.GOOS == "freebsd" && cred.PID == -1 {
				wantPID = -1 // no PID from LOCAL_PEERCRED (FreeBSD before 13)
			}
			want := ownCred()
			want.PID = wantPID
			// Groups and SecurityLabel: TestPeerIdentity.
			if cred.PID != want.PID || cred.UID != want.UID || cred.GID != want.GID || cred.SID != want.SID ||
				pid != c.cmd.Process.Pid {
				t.Errorf("PeerCred = %+v; want %+v (child said pid %d)", *cred, want, pid)
			}
		})
	}
}

// TestResolve checks that Resolve names what Listen creates, for every kind
// of name, creates nothing, and rejects what Listen rejects.
func TestResolve(t *testing.T) {
	names := []string{uniqueName("resolve"), "@" + uniqueName("resolve")}
	if runtime.GOOS == "windows" {
		names = append(names, `\\.\pipe\`+uniqueName("resolve"), `//./pipe/`+uniqueName("resolve"))
	} else {
		dir, err := os.MkdirTemp("", "")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		names = append(names, dir+"/"+uniqueName("r")+".sock")
	}
	for _, name := range names {
		got, err := ipc.Resolve(name)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", name, err)
		}
		if runtime.GOOS != "windows" && !strings.HasPrefix(got, "@") {
			if _, err := os.Lstat(got); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("Resolve(%q) = %q: before Listen, Lstat gives %v, want not exist", name, got, err)
			}
		}
		ln, err := ipc.Listen(name)
		if err != nil {
			t.Fatal(err)
		}
		if want := ln.Addr().String(); got != want {
			t.Errorf("Resolve(%q) = %q, Listen's Addr is %q", name, got, want)
		}
		ln.Close()
	}
	for name, want := range map[string]error{"": syscall.EINVAL, "a\x00b": syscall.EINVAL, strings.Repeat("x", 300): syscall.ENAMETOOLONG} {
		_, rerr := ipc.Resolve(name)
		_, lerr := ipc.Listen(name)
		var op *net.OpError
		if !errors.As(rerr, &op) || op.Op != "resolve" || !errors.Is(rerr, want) || !errors.Is(lerr, want) {
			t.Errorf("Resolve(%q) = %v and Listen gives %v, want both to wrap %v, Resolve's in an *OpError", name, rerr, lerr, want)
		}
	}
}
