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
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["bench-server"] = helperBenchServer
	helpers["relay-peer"] = helperRelayPeer
	helpers["pipe-echo-poller"] = helperPipeEchoPoller
}

// Implementations the benchmarks compare, each named by the last element
// of the benchmark's name; make bench divides each ipc result by that of
// its standard-library counterpart (.ci/benchratio).
//
//	ipc             ipc.Conn, default mode
//	ipc-lowlatency  ipc.Conn, both ends in low-latency mode
//	net             net.UnixConn
//	ipc-seqpacket   ipc.Conn in message mode (SOCK_SEQPACKET)
//	ipc-seqpacket-lowlatency  the same in low-latency mode (BenchmarkMsgPingPong)
//	net-unixpacket  net.UnixConn on a "unixpacket" (SOCK_SEQPACKET) socket
var (
	streamImpls = []string{"ipc", "ipc-lowlatency", "net"}
	msgImpls    = []string{"ipc-seqpacket", "net-unixpacket"}
)

// ipcOptions reads an ipc implementation's name: "-seqpacket" means
// message mode, "-lowlatency" low-latency mode. ok is false for net's.
func ipcOptions(impl string) (msg, lowLatency, ok bool) {
	if !strings.HasPrefix(impl, "ipc") {
		return false, false, false
	}
	return strings.Contains(impl, "-seqpacket"), strings.HasSuffix(impl, "-lowlatency"), true
}

// netName is the network net uses for impl.
func netName(impl string) string {
	if impl == "net-unixpacket" {
		return "unixpacket"
	}
	return "unix"
}

// benchListen listens on path with the implementation impl.
func benchListen(impl, path string) (net.Listener, error) {
	if msg, ll, ok := ipcOptions(impl); ok {
		return (&ipc.ListenConfig{Message: msg, LowLatency: ll}).Listen(context.Background(), path)
	}
	return net.Listen(netName(impl), path)
}

// benchDial connects to path with the implementation impl.
func benchDial(impl, path string) (net.Conn, error) {
	if msg, ll, ok := ipcOptions(impl); ok {
		return (&ipc.Dialer{Message: msg, LowLatency: ll}).DialContext(context.Background(), path)
	}
	return net.Dial(netName(impl), path)
}

// helperBenchServer serves one connection on the path args[1] with the
// implementation args[0], pinned to CPU args[3] (-1: not pinned):
// "pingpong" echoes each read, "sink" reads to EOF and answers with the
// byte count.
func helperBenchServer(args []string) int {
	impl, path, mode := args[0], args[1], args[2]
	if err := pinArg(args[3]); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	ln, err := benchListen(impl, path)
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
			if err == io.EOF || n == 0 && err == nil && strings.HasSuffix(impl, "packet") {
				break // a message-mode stream ends with an empty message
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

// cpuModes are the CPU placements of the two processes: "any" leaves it to
// the scheduler; on Linux, "1cpu" pins both to CPU 0 and "2cpu" the
// benchmark to CPU 0 and the child to CPU 1 (see bench_linux_test.go).
var cpuModes = []string{"any"}

// relayPipeSizes are the pipe sizes BenchmarkRelay tries: 0 is the
// system's default; Linux adds 1 MiB (see bench_linux_test.go).
var relayPipeSizes = []int{0}

// childCPU returns the CPU the child is pinned to in mode, -1 for none.
func childCPU(mode string) string {
	switch mode {
	case "1cpu":
		return "0"
	case "2cpu":
		return "1"
	}
	return "-1"
}

// pinArg pins this process to the CPU named by arg, unless it is -1.
func pinArg(arg string) error {
	cpu, err := strconv.Atoi(arg)
	if err != nil || cpu < 0 {
		return err
	}
	_, err = pinProcess(cpu)
	return err
}

// pinBench pins the benchmark's process for mode until the benchmark ends.
func pinBench(b *testing.B, mode string) {
	if mode == "any" {
		return
	}
	restore, err := pinProcess(0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(restore)
}

// benchConn starts a bench server in a child and connects to it.
func benchConn(b *testing.B, impl, mode, cpu string) net.Conn {
	path := sockPath(b)
	ch, line := startChild(b, helperCommand(b, "bench-server", impl, path, mode, childCPU(cpu)))
	if line != "ready" {
		b.Fatal(line)
	}
	c, err := benchDial(impl, path)
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
// process and back.
func BenchmarkPingPong(b *testing.B) {
	for _, cpu := range cpuModes {
		for _, size := range []int{1, 64} {
			for _, impl := range append(streamImpls, msgImpls...) {
				b.Run(fmt.Sprintf("%s/%dB/%s", cpu, size, impl), func(b *testing.B) {
					pinBench(b, cpu)
					c := benchConn(b, impl, "pingpong", cpu)
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
}

// BenchmarkMsgPingPong measures the round trip of a message to a child
// process and back on a SOCK_SEQPACKET connection, sent with WriteMsg and
// received with ReadMsg (ipc) or WriteMsgUnix and ReadMsgUnix (net), the
// calls that message-mode programs use.
func BenchmarkMsgPingPong(b *testing.B) {
	for _, cpu := range cpuModes {
		for _, size := range []int{1, 64} {
			for _, impl := range []string{"ipc-seqpacket", "ipc-seqpacket-lowlatency", "net-unixpacket"} {
				b.Run(fmt.Sprintf("%s/%dB/%s", cpu, size, impl), func(b *testing.B) {
					pinBench(b, cpu)
					c := benchConn(b, impl, "pingpong", cpu)
					buf := make([]byte, size)
					var send func() error
					var recv func() (int, error)
					if uc, ok := c.(*net.UnixConn); ok {
						send = func() error { _, _, err := uc.WriteMsgUnix(buf, nil, nil); return err }
						recv = func() (int, error) { n, _, _, _, err := uc.ReadMsgUnix(buf, nil); return n, err }
					} else {
						ic := c.(*ipc.Conn)
						send = func() error { _, err := ic.WriteMsg(buf); return err }
						recv = func() (int, error) { n, _, err := ic.ReadMsg(buf); return n, err }
					}
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if err := send(); err != nil {
							b.Fatal(err)
						}
						if n, err := recv(); err != nil || n != size {
							b.Fatalf("received %d bytes, %v; want %d", n, err, size)
						}
					}
				})
			}
		}
	}
}

// BenchmarkStream measures the throughput of a stream of writes to a child
// process. Message mode takes part with 64 KiB messages only: a 1 MiB
// message is more than a socket buffer holds.
func BenchmarkStream(b *testing.B) {
	for _, cpu := range cpuModes {
		for _, size := range []int{64 << 10, 1 << 20} {
			impls := streamImpls
			if size <= 64<<10 {
				impls = append(impls, msgImpls...)
			}
			for _, impl := range impls {
				b.Run(fmt.Sprintf("%s/%dKiB/%s", cpu, size>>10, impl), func(b *testing.B) {
					pinBench(b, cpu)
					c := benchConn(b, impl, "sink", cpu)
					buf := make([]byte, size)
					b.SetBytes(int64(size))
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, err := c.Write(buf); err != nil {
							b.Fatal(err)
						}
					}
					var err error
					switch impl {
					case "ipc-seqpacket":
						_, err = c.Write(nil) // an empty message ends the stream
					case "net-unixpacket":
						// net's Write of nothing returns EAGAIN when the
						// socket is full; WriteMsgUnix waits.
						_, _, err = c.(*net.UnixConn).WriteMsgUnix(nil, nil, nil)
					default:
						err = c.(interface{ CloseWrite() error }).CloseWrite()
					}
					if err != nil {
						b.Fatal(err)
					}
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
}

// helperRelayPeer is the other side of BenchmarkRelay: it listens on
// args[1] with args[0] ("ipc" or "net"), accepts one connection and, for
// "pipe-to-socket", writes args[3] bytes into the pipe it inherited as
// descriptor 3 while it counts what arrives on the socket, or, for
// "socket-to-pipe", writes them into the socket while it counts what
// arrives on the pipe (relayPeerIO). It prints the count it received.
// args[4] is the CPU to pin to.
func helperRelayPeer(args []string) int {
	impl, path, dir := args[0], args[1], args[2]
	total, _ := strconv.ParseInt(args[3], 10, 64)
	if err := pinArg(args[4]); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	pipe := os.NewFile(3, "pipe")
	ln, err := benchListen(impl, path)
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
	n, err := relayPeerIO(c, pipe, dir, total)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(n)
	return 0
}

// BenchmarkRelay measures io.Copy in this process between a pipe and a
// socket whose other ends are in a child: "pipe-to-socket" copies from a
// pipe the child writes into a socket it reads, "socket-to-pipe" the other
// way. ipc relays with an ipc.Conn (ipc-lowlatency: in low-latency mode),
// net with a net.UnixConn; all use
// os.Pipe, with the default size and, where the system can resize pipes,
// with a 1 MiB buffer ("-1024KiBpipe"): with 64 KiB the relay is bound by
// how often the processes must wake each other, not by copying.
func BenchmarkRelay(b *testing.B) {
	const chunk = 1 << 20
	for _, cpu := range cpuModes {
		for _, pipeSize := range relayPipeSizes {
			for _, dir := range []string{"pipe-to-socket", "socket-to-pipe"} {
				for _, impl := range []string{"ipc", "ipc-lowlatency", "net"} {
					name := fmt.Sprintf("%s/%s/%s", cpu, dir, impl)
					if pipeSize > 0 {
						name = fmt.Sprintf("%s/%s-%dKiBpipe/%s", cpu, dir, pipeSize>>10, impl)
					}
					b.Run(name, func(b *testing.B) {
						pinBench(b, cpu)
						pr, pw, err := os.Pipe()
						if err != nil {
							b.Fatal(err)
						}
						if pipeSize > 0 {
							if err := setPipeSize(pw, pipeSize); err != nil {
								b.Fatal(err)
							}
						}
						mine, theirs := pr, pw
						if dir == "socket-to-pipe" {
							mine, theirs = pw, pr
						}
						defer mine.Close()
						path := sockPath(b)
						total := int64(b.N) * chunk
						cmd := helperCommand(b, "relay-peer", impl, path, dir, strconv.FormatInt(total, 10), childCPU(cpu))
						cmd.ExtraFiles = []*os.File{theirs}
						ch, line := startChild(b, cmd)
						theirs.Close()
						if line != "ready" {
							b.Fatal(line)
						}
						c, err := benchDial(impl, path)
						if err != nil {
							b.Fatal(err)
						}
						defer c.Close()
						b.SetBytes(chunk)
						b.ReportAllocs()
						b.ResetTimer()
						var n int64
						if dir == "pipe-to-socket" {
							n, err = io.Copy(c, mine)
							c.(interface{ CloseWrite() error }).CloseWrite()
						} else {
							n, err = io.Copy(mine, c)
							mine.Close()
						}
						if err != nil {
							b.Fatal(err)
						}
						got, rerr := ch.out.ReadString('\n')
						b.StopTimer()
						if n != total || rerr != nil || strings.TrimSpace(got) != strconv.FormatInt(total, 10) {
							b.Fatalf("relayed %d bytes, child received %q (%v); want %d", n, got, rerr, total)
						}
						ch.finish()
					})
				}
			}
		}
	}
}

// helperPipeEchoPoller echoes what it reads from the pipe it inherited as
// descriptor 3 into the one it inherited as 4, reading through an
// ipc.LowLatencyReader if args[0] says so, pinned to CPU args[1]. Both
// ends go on the poller in non-blocking mode, as os.Pipe's do.
func helperPipeEchoPoller(args []string) int {
	if err := pinArg(args[1]); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	for _, fd := range []int{3, 4} {
		if err := syscall.SetNonblock(fd, true); err != nil {
			fmt.Println("error:", err)
			return 1
		}
	}
	in, out := os.NewFile(3, "in"), os.NewFile(4, "out")
	var r io.Reader = in
	if args[0] == "ipc-pipe-lowlatency" {
		llr, err := ipc.NewLowLatencyReader(in)
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		r = llr
	}
	fmt.Println("ready")
	buf := make([]byte, 1<<16)
	for {
		n, err := r.Read(buf)
		if err != nil {
			return 0
		}
		if _, err := out.Write(buf[:n]); err != nil {
			return 0
		}
	}
}

// BenchmarkPipeRoundTrip measures the round trip of a small message to a
// child process and back over two pipes, at both ends: os-pipe uses
// os.Pipe, ipc-pipe ipc.Pipe, ipc-pipe-lowlatency ipc.Pipe read through an
// ipc.LowLatencyReader. The child is a Go program with both its ends on
// the poller, as a Go program using os.Pipe has them (BenchmarkPipePingPong
// in bench_pipe_test.go has a child with blocking ends instead).
func BenchmarkPipeRoundTrip(b *testing.B) {
	newPipe := func(impl string) (*os.File, *os.File, error) {
		if impl == "os-pipe" {
			return os.Pipe()
		}
		return ipc.Pipe()
	}
	for _, cpu := range cpuModes {
		for _, size := range []int{1, 64} {
			for _, impl := range []string{"ipc-pipe", "ipc-pipe-lowlatency", "os-pipe"} {
				b.Run(fmt.Sprintf("%s/%dB/%s", cpu, size, impl), func(b *testing.B) {
					pinBench(b, cpu)
					toR, toW, err := newPipe(impl)
					if err != nil {
						b.Fatal(err)
					}
					fromR, fromW, err := newPipe(impl)
					if err != nil {
						b.Fatal(err)
					}
					defer toW.Close()
					defer fromR.Close()
					cmd := helperCommand(b, "pipe-echo-poller", impl, childCPU(cpu))
					cmd.ExtraFiles = []*os.File{toR, fromW}
					ch, line := startChild(b, cmd)
					toR.Close()
					fromW.Close()
					if line != "ready" {
						b.Fatal(line)
					}
					var r io.Reader = fromR
					if impl == "ipc-pipe-lowlatency" {
						if r, err = ipc.NewLowLatencyReader(fromR); err != nil {
							b.Fatal(err)
						}
					}
					buf := make([]byte, size)
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, err := toW.Write(buf); err != nil {
							b.Fatal(err)
						}
						if _, err := io.ReadFull(r, buf); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					toW.Close()
					ch.finish()
				})
			}
		}
	}
}

// writeReadAllocs returns the allocations of a 64-byte Write on client and
// the Read of it on server, averaged over 1000 runs.
func writeReadAllocs(t *testing.T, client, server *ipc.Conn) float64 {
	t.Helper()
	buf := make([]byte, 64)
	return testing.AllocsPerRun(1000, func() {
		if _, err := client.Write(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(server, buf); err != nil {
			t.Fatal(err)
		}
	})
}

// TestNoAllocs checks that steady-state Read and Write allocate nothing.
func TestNoAllocs(t *testing.T) {
	client, server, _ := pair(t, transports(t)[0])
	if allocs := writeReadAllocs(t, client, server); allocs != 0 {
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
	buf := make([]byte, 64)
	allocs := testing.AllocsPerRun(1000, func() {
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
