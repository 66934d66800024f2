// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["bench-server"] = helperBenchServer
}

// helperBenchServer serves one connection on the path args[1] with the
// implementation args[0] ("ipc" or "net"): "pingpong" echoes each read,
// "sink" reads to EOF and answers with the byte count.
func helperBenchServer(args []string) int {
	impl, path, mode := args[0], args[1], args[2]
	var ln net.Listener
	var err error
	if impl == "ipc" {
		ln, err = ipc.Listen(path)
	} else {
		ln, err = net.Listen("unix", path)
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer ln.Close()
	fmt.Println("ready")
	c, err := ln.Accept()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	buf := make([]byte, 1<<20)
	switch mode {
	case "pingpong":
		for {
			n, err := c.Read(buf)
			if err != nil {
				return 0
			}
			if _, err := c.Write(buf[:n]); err != nil {
				return 0
			}
		}
	case "sink":
		var total uint64
		for {
			n, err := c.Read(buf)
			total += uint64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		binary.BigEndian.PutUint64(buf, total)
		c.Write(buf[:8])
	}
	return 0
}

// benchConn starts a bench server in a child and connects to it.
func benchConn(b *testing.B, impl, mode string) net.Conn {
	path := sockPath(b)
	ch, line := startChild(b, helperCommand(b, "bench-server", impl, path, mode))
	if line != "ready" {
		b.Fatal(line)
	}
	var c net.Conn
	var err error
	if impl == "ipc" {
		c, err = ipc.Dial(path)
	} else {
		c, err = net.Dial("unix", path)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		c.Close()
		ch.finish()
	})
	return c
}

// BenchmarkPingPong measures the round trip of a small message to a child
// process and back, for ipc.Conn and net.UnixConn.
func BenchmarkPingPong(b *testing.B) {
	for _, size := range []int{1, 64} {
		for _, impl := range []string{"ipc", "net"} {
			b.Run(fmt.Sprintf("%s/%dB", impl, size), func(b *testing.B) {
				c := benchConn(b, impl, "pingpong")
				buf := make([]byte, size)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := c.Write(buf); err != nil {
						b.Fatal(err)
					}
					if _, err := io.ReadFull(c, buf); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkStream measures the throughput of a stream of writes to a child
// process, for ipc.Conn and net.UnixConn.
func BenchmarkStream(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20} {
		for _, impl := range []string{"ipc", "net"} {
			b.Run(fmt.Sprintf("%s/%dKiB", impl, size>>10), func(b *testing.B) {
				c := benchConn(b, impl, "sink")
				buf := make([]byte, size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := c.Write(buf); err != nil {
						b.Fatal(err)
					}
				}
				c.(interface{ CloseWrite() error }).CloseWrite()
				var total [8]byte
				if _, err := io.ReadFull(c, total[:]); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if got := binary.BigEndian.Uint64(total[:]); got != uint64(b.N*size) {
					b.Fatalf("child received %d bytes; want %d", got, b.N*size)
				}
			})
		}
	}
}

// TestNoAllocs checks that steady-state Read and Write allocate nothing.
func TestNoAllocs(t *testing.T) {
	client, server, _ := pair(t, transports(t)[0])
	buf := make([]byte, 64)
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := client.Write(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(server, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Write+Read allocate %v times; want 0", allocs)
	}

	if runtime.GOOS != "linux" || runtime.GOARCH == "386" {
		return // syscall.Recvmsg allocates the sender's name there
	}
	// Message mode, on a dialed connection, whose peer has a name.
	ln, err := (&ipc.ListenConfig{Message: true}).Listen(context.Background(), sockPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := (&ipc.Dialer{Message: true}).DialContext(context.Background(), ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	allocs = testing.AllocsPerRun(1000, func() {
		if _, err := c.WriteMsg(buf); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ReadMsg(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteMsg(buf); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.ReadMsg(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("WriteMsg+ReadMsg allocate %v times; want 0", allocs)
	}
}
