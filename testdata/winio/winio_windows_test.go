// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package winio_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/Microsoft/go-winio"
	"github.com/ipcgo/ipc"
)

var seq int

func pipeName() string {
	seq++
	return fmt.Sprintf("ipc-winio-%d-%d", os.Getpid(), seq)
}

func isWine() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

func data(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*13 + i>>9)
	}
	return b
}

// TestWinioClientByteMode: a go-winio client against an ipc listener.
func TestWinioClientByteMode(t *testing.T) {
	name := pipeName()
	ln, err := ipc.Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	pidc := make(chan int, 1)
	go func() {
		c, err := ln.AcceptConn()
		if err != nil {
			pidc <- -1
			return
		}
		defer c.Close()
		if cred, err := c.PeerCred(); err == nil {
			pidc <- cred.PID
		} else {
			pidc <- -1
		}
		io.Copy(c, c)
	}()
	timeout := 5 * time.Second
	c, err := winio.DialPipe(`\\.\pipe\`+name, &timeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	want := data(1 << 20)
	go c.Write(want)
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("echo differs")
	}
	if pid := <-pidc; pid != os.Getpid() {
		t.Errorf("PeerCred pid = %d; want %d", pid, os.Getpid())
	}
}

// TestWinioClientMessageMode: go-winio presents a message pipe as a byte
// stream whose Writes are messages and whose CloseWrite sends an empty
// message; ipc's ReadMsg sees each of them.
func TestWinioClientMessageMode(t *testing.T) {
	name := pipeName()
	lc := ipc.ListenConfig{Message: true}
	ln, err := lc.Listen(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	timeout := 5 * time.Second
	c, err := winio.DialPipe(`\\.\pipe\`+name, &timeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, m := range []string{"one", "two", string(data(100 << 10))} {
		// A message larger than the pipe's buffer is written while it is
		// read.
		errc := make(chan error, 1)
		go func() {
			_, err := c.Write([]byte(m))
			errc <- err
		}()
		buf := make([]byte, 200<<10)
		n, trunc, err := s.ReadMsg(buf)
		if err != nil || trunc || string(buf[:n]) != m {
			t.Fatalf("ReadMsg = %d bytes, %v, %v; want %d bytes", n, trunc, err, len(m))
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if err := c.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if n, _, err := s.ReadMsg(make([]byte, 8)); n != 0 || err != nil {
		t.Fatalf("ReadMsg after go-winio's CloseWrite = %d, %v; want an empty message", n, err)
	}
	if _, err := s.WriteMsg([]byte("reply")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "reply" {
		t.Fatalf("go-winio Read = %q, %v", buf[:n], err)
	}
}

// TestIpcClientWinioListener: an ipc client against a go-winio listener.
func TestIpcClientWinioListener(t *testing.T) {
	if isWine() {
		t.Skip("Wine: go-winio's listener relies on an unconnectable first pipe instance that Wine does not emulate, so its Accept never returns")
	}
	for _, message := range []bool{false, true} {
		t.Run(fmt.Sprint("message=", message), func(t *testing.T) {
			name := pipeName()
			ln, err := winio.ListenPipe(`\\.\pipe\`+name, &winio.PipeConfig{MessageMode: message})
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				io.Copy(c, c)
			}()
			d := ipc.Dialer{Message: message, Timeout: 10 * time.Second}
			c, err := d.DialContext(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Write([]byte("ping")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4)
			if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
				t.Fatalf("read %q, %v", buf, err)
			}
		})
	}
}
