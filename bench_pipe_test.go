// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["pipe-bench"] = helperPipeBench
}

// helperPipeBench serves the benchmarks through the inherited pipe ends
// args[1] (in) and args[2] (out): "pingpong" echoes each read, "sink" reads
// to EOF and answers with the byte count.
func helperPipeBench(args []string) int {
	in, err := ipc.InheritedFile(args[1], "in")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	out, err := ipc.InheritedFile(args[2], "out")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	buf := make([]byte, 1<<20)
	switch args[0] {
	case "pingpong":
		for {
			n, err := in.Read(buf)
			if err != nil {
				return 0
			}
			if _, err := out.Write(buf[:n]); err != nil {
				return 0
			}
		}
	case "sink":
		n, err := io.CopyBuffer(io.Discard, in, buf)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		binary.BigEndian.PutUint64(buf, uint64(n))
		out.Write(buf[:8])
	}
	return 0
}

// benchPipes starts a pipe-bench child in mode and returns the parent's
// ends: w to write to the child, r to read from it. impl chooses the pipes:
// "ipc" (ipc.Pipe), "ipc-1MiB" (ipc.Pipe with a 1 MiB buffer towards the
// child) or "os" (os.Pipe). The child side is the same for all.
func benchPipes(b *testing.B, impl, mode string) (r, w *os.File) {
	newPipe := func(size int) (*os.File, *os.File) {
		var r, w *os.File
		var err error
		if impl == "os" {
			r, w, err = os.Pipe()
		} else {
			r, w, err = (&ipc.PipeConfig{BufferSize: size}).Pipe()
		}
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			r.Close()
			w.Close()
		})
		return r, w
	}
	size := 0
	if impl == "ipc-1MiB" {
		size = 1 << 20
	}
	childIn, w := newPipe(size)
	r, childOut := newPipe(0)
	cmd := helperCommand(b, "pipe-bench", mode)
	for _, f := range []*os.File{childIn, childOut} {
		tok, err := ipc.PassFile(cmd, f)
		if err != nil {
			b.Fatal(err)
		}
		cmd.Args = append(cmd.Args, tok)
	}
	ch, line := startChild(b, cmd)
	ipc.ReleaseFiles(cmd)
	if line != "ready" {
		b.Fatal(line)
	}
	b.Cleanup(func() {
		w.Close()
		ch.finish()
	})
	return r, w
}

// BenchmarkPipePingPong measures the round trip of a 64-byte message to a
// child process and back through two pipes, for ipc.Pipe and os.Pipe.
func BenchmarkPipePingPong(b *testing.B) {
	for _, impl := range []string{"ipc", "os"} {
		b.Run(impl+"/64B", func(b *testing.B) {
			r, w := benchPipes(b, impl, "pingpong")
			buf := make([]byte, 64)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := w.Write(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(r, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipeStream measures the throughput of 64 KiB and 1 MiB writes to
// a child process, for ipc.Pipe with the default and a 1 MiB buffer, and
// os.Pipe.
func BenchmarkPipeStream(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20} {
		for _, impl := range []string{"ipc", "ipc-1MiB", "os"} {
			b.Run(fmt.Sprintf("%s/%dKiB", impl, size>>10), func(b *testing.B) {
				r, w := benchPipes(b, impl, "sink")
				buf := make([]byte, size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := w.Write(buf); err != nil {
						b.Fatal(err)
					}
				}
				w.Close()
				var total [8]byte
				if _, err := io.ReadFull(r, total[:]); err != nil {
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
