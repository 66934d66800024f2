// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["cred-client"] = helperCredClient
}

// helperCredClient connects to args[1] as a stream, message or datagram
// client (args[0]), sends "hello" and waits for its standard input to close.
func helperCredClient(args []string) int {
	var err error
	switch args[0] {
	case "stream", "message":
		var c *ipc.Conn
		c, err = (&ipc.Dialer{Message: args[0] == "message"}).DialContext(context.Background(), args[1])
		if err == nil {
			defer c.Close()
			_, err = c.Write([]byte("hello"))
		}
	case "datagram":
		var p *ipc.PacketConn
		p, err = ipc.DialPacket(args[1])
		if err == nil {
			defer p.Close()
			_, err = p.Write([]byte("hello"))
		}
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("sent")
	waitStdin()
	return 0
}

// TestCredentials checks PeerCred and the per-message credentials against a
// child, running as this user and, when the test runs as root, as nobody.
func TestCredentials(t *testing.T) {
	linux := runtime.GOOS == "linux" || runtime.GOOS == "android"
	users := []struct {
		name string
		cmd  func(t *testing.T, args ...string) *exec.Cmd
		uid  int
		gid  int
	}{
		{"self", func(t *testing.T, args ...string) *exec.Cmd { return helperCommand(t, "cred-client", args...) }, os.Geteuid(), os.Getegid()},
		{"nobody", func(t *testing.T, args ...string) *exec.Cmd { return nobodyCommand(t, "cred-client", args...) }, 65534, 65534},
	}
	for _, u := range users {
		for _, kind := range []string{"stream", "message", "datagram"} {
			t.Run(u.name+"/"+kind, func(t *testing.T) {
				if kind == "message" && !seqpacketOK() {
					t.Skip("no SOCK_SEQPACKET for AF_UNIX on " + runtime.GOOS)
				}
				if kind == "datagram" && !linux {
					t.Skip("an unbound datagram client has no name to be answered at; credentials are Linux-only")
				}
				path := sockPath(t)
				os.Chmod(filepath.Dir(path), 0o755)
				lc := &ipc.ListenConfig{Mode: 0o666, Message: kind == "message"}
				var ln *ipc.Listener
				var pc *ipc.PacketConn
				var err error
				if kind == "datagram" {
					pc, err = lc.ListenPacket(context.Background(), path)
				} else {
					ln, err = lc.Listen(context.Background(), path)
				}
				if err != nil {
					t.Fatal(err)
				}
				if pc != nil {
					defer pc.Close()
				} else {
					defer ln.Close()
				}
				ch, line := startChild(t, u.cmd(t, kind, path))
				if line != "sent" {
					t.Fatal(line)
				}
				pid := ch.cmd.Process.Pid
				buf := make([]byte, 16)
				var n int
				var cred *ipc.Cred
				if kind == "datagram" {
					n, cred, _, err = pc.RecvCredFrom(buf)
				} else {
					conn, aerr := ln.AcceptConn()
					if aerr != nil {
						t.Fatal(aerr)
					}
					defer conn.Close()
					pcred, perr := conn.PeerCred()
					if perr != nil {
						t.Fatal(perr)
					}
					if pcred.UID != u.uid || pcred.GID != u.gid || (pcred.PID != pid && pcred.PID != -1) {
						t.Errorf("PeerCred = %+v; want pid %d uid %d gid %d", pcred, pid, u.uid, u.gid)
					}
					n, cred, _, err = conn.RecvCred(buf)
				}
				if !linux {
					wantErr(t, err, "read", errors.ErrUnsupported)
					ch.finish()
					return
				}
				if err != nil || string(buf[:n]) != "hello" {
					t.Fatalf("RecvCred = %q, %v", buf[:n], err)
				}
				if cred == nil || cred.PID != pid || cred.UID != u.uid || cred.GID != u.gid {
					t.Errorf("RecvCred credentials %+v; want pid %d uid %d gid %d", cred, pid, u.uid, u.gid)
				}
				ch.finish()
			})
		}
	}
}
