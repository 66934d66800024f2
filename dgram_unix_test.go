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
	"path/filepath"
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

func init() { helpers["dgram-relative"] = helperDgramRelative }

// helperDgramRelative binds a datagram socket to the relative path
// client.sock with package net, as a program in another language would,
// sends "hi" to args[0], says sent, and prints the reply it gets.
func helperDgramRelative(args []string) int {
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Net: "unixgram", Name: "client.sock"})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	if _, err := c.WriteToUnix([]byte("hi"), &net.UnixAddr{Net: "unixgram", Name: args[0]}); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("sent")
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Printf("got %s\n", buf[:n])
	waitStdin()
	return 0
}

// namedAddr is a net.Addr of another type than *ipc.Addr, whose String is
// a local socket name.
type namedAddr string

func (a namedAddr) Network() string { return "unixgram" }
func (a namedAddr) String() string  { return string(a) }

// TestDatagramReplyToRelativeName answers a sender in another process that
// bound a relative path without a slash: the *ipc.Addr from ReadFrom must
// reach that very socket, not the bare name's socket in the private
// directory. The kernel resolves the relative path against the working
// directory, so both processes run in the same one.
func TestDatagramReplyToRelativeName(t *testing.T) {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	t.Chdir(dir)
	p, err := ipc.ListenPacket(filepath.Join(dir, "srv.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cmd := helperCommand(t, "dgram-relative", p.LocalAddr().String())
	cmd.Dir = dir
	c, line := startChild(t, cmd)
	if line != "sent" {
		t.Fatal(line)
	}
	buf := make([]byte, 64)
	n, from, err := p.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("ReadFrom = %q, %v", buf[:n], err)
	}
	if from.String() != "client.sock" {
		t.Fatalf("sender's address %q; want client.sock", from)
	}
	if _, err := p.WriteTo([]byte("echo"), from); err != nil {
		t.Fatalf("WriteTo(%q): %v", from, err)
	}
	if got, err := c.out.ReadString('\n'); err != nil || got != "got echo\n" {
		t.Fatalf("child: %q, %v; want got echo", got, err)
	}
	c.finish()

	// A *net.UnixAddr is an OS name too.
	me, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Net: "unixgram", Name: "me.sock"})
	if err != nil {
		t.Fatal(err)
	}
	defer me.Close()
	if _, err := p.WriteTo([]byte("unix"), &net.UnixAddr{Net: "unixgram", Name: "me.sock"}); err != nil {
		t.Fatal(err)
	}
	if n, err := me.Read(buf); err != nil || string(buf[:n]) != "unix" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}

	// Any other net.Addr is a local socket name, resolved as Listen does.
	name := uniqueName("dgram-bare")
	bare, err := ipc.ListenPacket(name)
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if _, err := p.WriteTo([]byte("bare"), namedAddr(name)); err != nil {
		t.Fatal(err)
	}
	if n, _, err := bare.ReadFrom(buf); err != nil || string(buf[:n]) != "bare" {
		t.Fatalf("ReadFrom = %q, %v", buf[:n], err)
	}

	// An unnamed sender cannot be answered.
	for _, a := range []net.Addr{&ipc.Addr{Net: "unixgram"}, &net.UnixAddr{Net: "unixgram"}} {
		_, err := p.WriteTo([]byte("x"), a)
		wantErr(t, err, "write", syscall.EINVAL)
	}
}
