// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["dgram-echo"] = helperDgramEcho
}

// helperDgramEcho binds args[0] and sends every datagram back to its
// sender, prefixed with "echo:", until its standard input closes.
func helperDgramEcho(args []string) int {
	p, err := ipc.ListenPacket(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(p.LocalAddr())
	go func() {
		waitStdin()
		p.Close()
	}()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := p.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return 0
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "ReadFrom:", err)
			return 1
		}
		if _, err := p.WriteTo(append([]byte("echo:"), buf[:n]...), from); err != nil {
			fmt.Fprintln(os.Stderr, "WriteTo:", err)
			return 1
		}
	}
}

func TestDatagramAcrossProcesses(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			ch, addr := startChild(t, helperCommand(t, "dgram-echo", tr.newName(t)))
			if strings.HasPrefix(addr, "error") {
				t.Fatal(addr)
			}
			// A bound socket of our own, so the child can answer on every OS.
			me, err := ipc.ListenPacket(tr.newName(t))
			if err != nil {
				t.Fatal(err)
			}
			defer me.Close()
			buf := make([]byte, 64<<10)
			for _, msg := range []string{"", "a", strings.Repeat("x", 60000)} {
				if _, err := me.WriteTo([]byte(msg), &ipc.Addr{Net: "unixgram", Name: addr}); err != nil {
					t.Fatal(err)
				}
				me.SetReadDeadline(time.Now().Add(10 * time.Second))
				n, from, err := me.ReadFrom(buf)
				if err != nil || string(buf[:n]) != "echo:"+msg {
					t.Fatalf("ReadFrom = %d, %v; want the %d-byte echo", n, err, len(msg)+5)
				}
				if from.String() != addr || from.Network() != "unixgram" {
					t.Errorf("sender %s %q; want unixgram %q", from.Network(), from, addr)
				}
			}
			if runtime.GOOS == "linux" {
				// An autobound, connected client gets answers too.
				c, err := ipc.DialPacket(addr)
				if err != nil {
					t.Fatal(err)
				}
				if c.RemoteAddr().String() != addr || !strings.HasPrefix(c.LocalAddr().String(), "@") {
					t.Errorf("addresses %q -> %q", c.LocalAddr(), c.RemoteAddr())
				}
				c.Write([]byte("dialed"))
				n, err := c.Read(buf)
				if err != nil || string(buf[:n]) != "echo:dialed" {
					t.Fatalf("Read = %q, %v", buf[:n], err)
				}
				c.Close()
			}
			ch.finish()
		})
	}
}

func TestDatagramLocal(t *testing.T) {
	path := sockPath(t)
	srv, err := ipc.ListenPacket(path)
	if err != nil {
		t.Fatal(err)
	}
	// The name is taken while srv lives.
	_, err = (&ipc.ListenConfig{Reclaim: true}).ListenPacket(context.Background(), path)
	wantErr(t, err, "listen", os.ErrExist)

	// Deadlines.
	srv.SetReadDeadline(time.Now().Add(-time.Second))
	_, _, err = srv.ReadFrom(make([]byte, 1))
	wantErr(t, err, "read", os.ErrDeadlineExceeded)
	srv.SetReadDeadline(time.Time{})

	cli, err := ipc.DialPacket(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	// Truncation is reported by ReadMsgFrom and the next datagram is intact.
	cli.Write(bytes.Repeat([]byte("z"), 100))
	cli.Write([]byte("next"))
	small := make([]byte, 10)
	n, trunc, _, err := srv.ReadMsgFrom(small)
	if err != nil || !trunc || n != 10 {
		t.Fatalf("ReadMsgFrom = %d, %v, %v; want 10, truncated", n, trunc, err)
	}
	n, trunc, _, err = srv.ReadMsgFrom(small)
	if err != nil || trunc || string(small[:n]) != "next" {
		t.Fatalf("ReadMsgFrom = %q, %v, %v; want next", small[:n], trunc, err)
	}

	// Files travel with datagrams.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.SendFiles([]byte("f"), w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	n, files, _, err := srv.RecvFiles(small, 1)
	if err != nil || len(files) != 1 || string(small[:n]) != "f" {
		t.Fatalf("RecvFiles = %q, %d, %v", small[:n], len(files), err)
	}
	files[0].Write([]byte("through the passed pipe"))
	files[0].Close()
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != "through the passed pipe" {
		t.Fatalf("pipe carried %q", got)
	}

	// Close unblocks a pending read and removes the socket file.
	errc := make(chan error)
	go func() {
		_, _, err := srv.ReadFrom(make([]byte, 1))
		errc <- err
	}()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, <-errc, "read", net.ErrClosed)
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file after Close: %v", err)
	}
	wantErr(t, srv.Close(), "close", net.ErrClosed)

	// Sending to nobody fails clearly.
	_, err = cli.Write([]byte("x"))
	if err == nil {
		t.Fatal("Write to a closed peer succeeded")
	}
	_, err = ipc.DialPacket(path)
	wantErr(t, err, "dial", os.ErrNotExist)
	_, err = cli.WriteTo([]byte("x"), nil)
	wantErr(t, err, "write", syscall.EINVAL)
}

func TestDatagramReclaim(t *testing.T) {
	// A stale datagram socket (bound, its owner gone) is taken over.
	path := sockPath(t)
	old, err := ipc.ListenPacket(path)
	if err != nil {
		t.Fatal(err)
	}
	// Simulate a crash: keep a link to the socket file across Close and put
	// it back, so the file stays with nobody bound to it.
	if err := os.Link(path, path+".keep"); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if err := os.Rename(path+".keep", path); err != nil {
		t.Fatal(err)
	}
	_, err = ipc.ListenPacket(path)
	wantErr(t, err, "listen", os.ErrExist)
	p, err := (&ipc.ListenConfig{Reclaim: true}).ListenPacket(context.Background(), path)
	if err != nil {
		t.Fatalf("reclaim of a stale datagram socket: %v", err)
	}
	p.Close()
}
