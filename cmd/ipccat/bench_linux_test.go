// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/ipcgo/ipc"
)

// BenchmarkRelay measures ipccat against socat doing the same job in the
// same run: a relay between its stdin and stdout (pipes from this process)
// and a local socket served by this process.
//
//   - in: stdin to the socket, 64 KiB writes; MB/s is throughput.
//   - out: the socket to stdout, 64 KiB writes.
//   - rtt: one byte to stdin, echoed by the server, read from stdout.
//
// Each relay process starts before the timer and is not counted.
func BenchmarkRelay(b *testing.B) {
	socat := need(b, "socat", "socat")
	tools := []struct {
		name string
		cmd  func(b *testing.B, path string) *exec.Cmd
	}{
		{"ipccat", func(b *testing.B, path string) *exec.Cmd { return ipccat(b, path) }},
		{"socat", func(b *testing.B, path string) *exec.Cmd {
			return exec.Command(socat, "-", "UNIX-CONNECT:"+path)
		}},
	}
	for _, job := range []string{"in", "out", "rtt"} {
		for _, tool := range tools {
			b.Run(job+"/"+tool.name, func(b *testing.B) { benchRelay(b, job, tool.cmd) })
		}
	}
}

func benchRelay(b *testing.B, job string, command func(*testing.B, string) *exec.Cmd) {
	path := resolve(b, uniqueName("bench"))
	ln, err := ipc.Listen(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	inR, inW, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd := command(b, path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	inR.Close()
	outW.Close()
	defer func() {
		inW.Close()
		outR.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	c, err := ln.AcceptConn()
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	const chunk = 64 << 10
	buf := make([]byte, chunk)
	switch job {
	case "in":
		b.SetBytes(chunk)
		done := make(chan int64)
		go func() {
			n, _ := io.Copy(io.Discard, c)
			done <- n
		}()
		b.ResetTimer()
		for range b.N {
			if _, err := inW.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		inW.Close()
		if n := <-done; n != int64(b.N)*chunk {
			b.Fatalf("the server got %d bytes, want %d", n, int64(b.N)*chunk)
		}
		b.StopTimer()
	case "out":
		b.SetBytes(chunk)
		done := make(chan int64)
		go func() {
			n, _ := io.Copy(io.Discard, outR)
			done <- n
		}()
		b.ResetTimer()
		for range b.N {
			if _, err := c.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		c.Close()
		if n := <-done; n != int64(b.N)*chunk {
			b.Fatalf("stdout had %d bytes, want %d", n, int64(b.N)*chunk)
		}
		b.StopTimer()
	case "rtt":
		go io.Copy(c, c)
		one := buf[:1]
		b.ResetTimer()
		for range b.N {
			if _, err := inW.Write(one); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(outR, one); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
	}
}
