// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["emfile"] = helperEMFILE
	helpers["kill-peer"] = helperKillPeer
	helpers["std-closed-conn"] = helperStdClosedConn
	helpers["stream-source"] = helperStreamSource
	helpers["stream-sink"] = helperStreamSink
	helpers["readonly-dir"] = helperReadOnlyDir
}

// fillFDTable lowers RLIMIT_NOFILE to limit and opens /dev/null until the
// table is full. It returns the descriptors it opened.
func fillFDTable(limit uint64) ([]int, error) {
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		return nil, err
	}
	var spare []int
	for {
		fd, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EMFILE {
			return spare, nil
		}
		if err != nil {
			return spare, err
		}
		spare = append(spare, fd)
	}
}

// processCPU is the CPU time, user and system, this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// helperEMFILE runs one operation with a full descriptor table (a
// RLIMIT_NOFILE of 64) and checks that it fails at once with an error
// matching EMFILE, leaks nothing and works once descriptors are free.
// args[0] is the operation: "accept" (on a listener of its own, with a
// connection from the test waiting at args[1]), "dial" (to the test's
// listener at args[1]), "pipe" or "recvfiles" (two descriptors sent over a
// connection pair made before the table filled up: the kernel cannot
// install them, and RecvFiles reports an error matching EMFILE and
// returns no file). It prints "ok", the CPU time the failing calls used
// and the last error, or what went wrong.
func helperEMFILE(args []string) int {
	op := args[0]
	fail := func(format string, a ...any) int {
		fmt.Printf("error: "+format+"\n", a...)
		return 1
	}
	var ln *ipc.Listener
	if op == "accept" {
		var err error
		if ln, err = ipc.Listen(args[1]); err != nil {
			return fail("%v", err)
		}
		defer ln.Close()
		fmt.Println("listening")
		// The test connects now and says so.
		var line string
		if _, err := fmt.Scanln(&line); err != nil {
			return fail("stdin: %v", err)
		}
	}
	var a, b *ipc.Conn
	var pr, pw *os.File
	if op == "recvfiles" {
		var err error
		if a, b, err = ipc.ConnPair(false); err != nil {
			return fail("%v", err)
		}
		if pr, pw, err = ipc.Pipe(); err != nil {
			return fail("%v", err)
		}
	}
	spare, err := fillFDTable(64)
	if err != nil {
		return fail("filling the table: %v", err)
	}
	full := countOpen()
	const tries = 1000
	cpu0 := processCPU()
	var callErr error
	for range tries {
		switch op {
		case "accept":
			_, callErr = ln.Accept()
		case "dial":
			_, callErr = ipc.Dial(args[1])
		case "pipe":
			_, _, callErr = ipc.Pipe()
		case "recvfiles":
			if _, err := a.SendFiles([]byte("x"), pr, pw); err != nil {
				return fail("SendFiles: %v", err)
			}
			var files []*os.File
			_, files, _, callErr = b.RecvFiles(make([]byte, 1), 4)
			if len(files) != 0 || callErr == nil {
				return fail("RecvFiles with a full table: %d files, %v; want none and an error", len(files), callErr)
			}
			continue
		}
		if !errors.Is(callErr, syscall.EMFILE) {
			return fail("%s with a full table: %v; want EMFILE", op, callErr)
		}
	}
	cpu := processCPU() - cpu0
	switch op {
	case "accept", "dial":
		var oe *net.OpError
		if !errors.As(callErr, &oe) || oe.Op != op {
			return fail("%s: %T %v; want *net.OpError with Op %q", op, callErr, callErr, op)
		}
	case "pipe":
		var se *os.SyscallError
		if !errors.As(callErr, &se) {
			return fail("pipe: %T %v; want *os.SyscallError", callErr, callErr)
		}
	case "recvfiles":
		var oe *net.OpError
		if !errors.As(callErr, &oe) || !errors.Is(callErr, syscall.EMFILE) {
			return fail("recvfiles: %T %v; want *net.OpError matching EMFILE", callErr, callErr)
		}
	}
	if n := countOpen(); n != full {
		return fail("%d descriptors open after the failures; %d before", n, full)
	}
	// Free descriptors: the same calls work again.
	for _, fd := range spare[:4] {
		syscall.Close(fd)
	}
	switch op {
	case "accept":
		c, err := ln.Accept()
		if err != nil {
			return fail("accept once descriptors were free: %v", err)
		}
		if _, err := c.Write([]byte("x")); err != nil {
			return fail("write: %v", err)
		}
		c.Close()
	case "dial":
		c, err := ipc.Dial(args[1])
		if err != nil {
			return fail("dial once descriptors were free: %v", err)
		}
		c.Close()
	case "pipe":
		r, w, err := ipc.Pipe()
		if err != nil {
			return fail("pipe once descriptors were free: %v", err)
		}
		r.Close()
		w.Close()
	case "recvfiles":
		if _, err := a.SendFiles([]byte("x"), pr, pw); err != nil {
			return fail("SendFiles: %v", err)
		}
		_, files, _, err := b.RecvFiles(make([]byte, 1), 4)
		if err != nil || len(files) != 2 {
			return fail("RecvFiles once descriptors were free: %d files, %v", len(files), err)
		}
		for _, f := range files {
			f.Close()
		}
	}
	fmt.Printf("ok %d %v %v\n", tries, cpu, callErr)
	return 0
}

// countOpen counts the open descriptors without opening one (the table
// may be full): fcntl on every number below the limit.
func countOpen() int {
	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	n := 0
	for fd := 0; fd < int(lim.Cur); fd++ {
		if _, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0); e == 0 {
			n++
		}
	}
	return n
}

// TestFaultEMFILE runs Accept, Dial, Pipe and RecvFiles in a child whose
// descriptor table is full: each of 1,000 calls fails at once with an
// error matching EMFILE, so a server's accept loop sees the condition rather than a spinning or
// hanging call; no descriptor leaks, and the same call works as soon as
// descriptors are free, on the same listener or connection.
func TestFaultEMFILE(t *testing.T) {
	for _, op := range []string{"accept", "dial", "pipe", "recvfiles"} {
		t.Run(op, func(t *testing.T) {
			path := sockPath(t)
			cmd := helperCommand(t, "emfile", op, path)
			if op == "dial" {
				ln := listen(t, path)
				go func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				}()
			}
			c, line := startChild(t, cmd)
			if op == "accept" {
				if line != "listening" {
					t.Fatal(line)
				}
				conn, err := ipc.Dial(path)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				fmt.Fprintln(c.stdin, "dialled")
				line, _ = c.out.ReadString('\n')
				line = strings.TrimSpace(line)
				if _, err := io.ReadFull(conn, make([]byte, 1)); err != nil && strings.HasPrefix(line, "ok") {
					t.Fatalf("reading what the child wrote once it could accept: %v", err)
				}
			}
			if !strings.HasPrefix(line, "ok ") {
				t.Fatal(line)
			}
			t.Logf("%s: %s (calls, CPU time of all the failing calls, last error)", op, line)
			c.finish()
		})
	}
}

// helperKillPeer connects to the test's listener at args[1] and, for mode
// args[0]: "write" writes without end; "read" reads one byte and then
// nothing more; "sendfiles" sends a pipe end with each message without
// end; "message" (in message mode) writes 4 KiB messages without end;
// "relay" is "write" for a test that relays with splice. It prints
// "dialled" once connected and is then killed.
func helperKillPeer(args []string) int {
	mode, path := args[0], args[1]
	c, err := (&ipc.Dialer{Message: mode == "message"}).DialContext(context.Background(), path)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("dialled")
	buf := make([]byte, 64<<10)
	switch mode {
	case "write", "relay":
		for {
			if _, err := c.Write(buf); err != nil {
				return 1
			}
		}
	case "message":
		for {
			if _, err := c.WriteMsg(buf[:4096]); err != nil {
				return 1
			}
		}
	case "read":
		c.Read(buf[:1])
		waitStdin()
	case "sendfiles":
		r, w, err := ipc.Pipe()
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		defer r.Close()
		for {
			if _, err := c.SendFiles([]byte("f"), w); err != nil {
				return 1
			}
		}
	}
	return 1
}

// TestFaultPeerKilled kills the peer with SIGKILL while the test writes to
// it, reads from it, reads its messages, receives descriptors from it, or
// relays its stream into a pipe with splice: the test's side gets the data
// sent before the kill and then EOF, or an error matching EPIPE or
// ECONNRESET; whole messages only; nothing hangs, no signal kills the
// test, and no descriptor is left behind (the received ones closed by the
// test).
func TestFaultPeerKilled(t *testing.T) {
	for _, mode := range []string{"write", "read", "sendfiles", "message", "relay"} {
		t.Run(mode, func(t *testing.T) {
			pollerUp(t)
			if mode == "relay" {
				warmSplice(t)
			}
			fds := countFDs(t)
			path := sockPath(t)
			ln := listenMsg(t, path, mode == "message")
			c, line := startChild(t, helperCommand(t, "kill-peer", mode, path))
			if line != "dialled" {
				t.Fatal(line)
			}
			conn, err := ln.AcceptConn()
			if err != nil {
				t.Fatal(err)
			}
			switch mode {
			case "write":
				// The child writes; the test reads once, so that the child
				// is known to be inside its write loop, and then kills it.
				if _, err := io.ReadFull(conn, make([]byte, 1)); err != nil {
					t.Fatal(err)
				}
				c.cmd.Process.Kill()
				c.cmd.Wait()
				n, err := io.Copy(io.Discard, conn)
				if err != nil && !errors.Is(err, syscall.ECONNRESET) {
					t.Fatalf("reading from a killed writer: %d bytes, %v; want EOF or ECONNRESET", n, err)
				}
			case "read":
				conn.Write([]byte("x"))
				// Fill the queue to the child, so that the test's next Write
				// blocks, then kill the child under it.
				fillSendQueue(t, conn)
				done := make(chan error, 1)
				go func() {
					buf := make([]byte, 1<<20)
					for {
						if _, err := conn.Write(buf); err != nil {
							done <- err
							return
						}
					}
				}()
				c.cmd.Process.Kill()
				c.cmd.Wait()
				err := <-done
				var oe *net.OpError
				if !errors.As(err, &oe) || !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
					t.Fatalf("write to a killed reader: %v; want *net.OpError matching EPIPE or ECONNRESET", err)
				}
			case "message":
				b := make([]byte, 8192)
				if _, _, err := conn.ReadMsg(b); err != nil {
					t.Fatal(err)
				}
				c.cmd.Process.Kill()
				c.cmd.Wait()
				for {
					n, truncated, err := conn.ReadMsg(b)
					if err == io.EOF || errors.Is(err, syscall.ECONNRESET) {
						break
					}
					if err != nil || n != 4096 || truncated {
						t.Fatalf("ReadMsg from a killed writer: %d bytes, truncated %v, %v; want whole 4096-byte messages, then EOF", n, truncated, err)
					}
				}
			case "relay":
				// The relay runs in a goroutine into a pipe drained here;
				// the child is killed once data has flowed through it.
				r, w, err := ipc.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				relayed := make(chan error, 1)
				go func() {
					_, err := conn.WriteTo(w)
					w.Close()
					relayed <- err
				}()
				if _, err := io.ReadFull(r, make([]byte, 1)); err != nil {
					t.Fatal(err)
				}
				c.cmd.Process.Kill()
				c.cmd.Wait()
				io.Copy(io.Discard, r) // to EOF: the relay has ended
				r.Close()
				if err := <-relayed; err != nil && !errors.Is(err, syscall.ECONNRESET) {
					t.Fatalf("relay from a killed writer: %v; want the end of the stream or ECONNRESET", err)
				}
			case "sendfiles":
				b := make([]byte, 16)
				_, files, _, err := conn.RecvFiles(b, 4)
				if err != nil || len(files) != 1 {
					t.Fatalf("RecvFiles: %v, %d files", err, len(files))
				}
				files[0].Close()
				c.cmd.Process.Kill()
				c.cmd.Wait()
				for {
					_, files, _, err := conn.RecvFiles(b, 4)
					for _, f := range files {
						f.Close()
					}
					if err == io.EOF || errors.Is(err, syscall.ECONNRESET) {
						break
					}
					if err != nil {
						t.Fatalf("RecvFiles from a killed sender: %v; want EOF or ECONNRESET", err)
					}
				}
			}
			conn.Close()
			ln.Close()
			if got := countFDs(t); got != fds {
				t.Errorf("descriptors: %d before, %d after", fds, got)
			}
		})
	}
}

// warmSplice runs one splice copy, so that the internal pipe the package
// keeps for the next one (a free list of at most four) is open before a
// test counts descriptors.
func warmSplice(t *testing.T) {
	t.Helper()
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	b.Write([]byte("x"))
	b.CloseWrite()
	if _, err := a.WriteTo(w); err != nil {
		t.Fatal(err)
	}
}

// fillSendQueue writes to c until its send queue is full: until a write
// with a deadline 1 ms away times out. It then clears the deadline.
func fillSendQueue(t *testing.T, c *ipc.Conn) {
	t.Helper()
	buf := make([]byte, 64<<10)
	for {
		c.SetWriteDeadline(time.Now().Add(time.Millisecond))
		_, err := c.Write(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	c.SetWriteDeadline(time.Time{})
}

// helperStdClosedConn closes its standard output and error, so that the
// next descriptors the process gets are 1 and 2, and then listens on
// args[0], dials itself and accepts. Neither connection may use 1 or 2: a
// write to a broken socket there would raise SIGPIPE through os.File.
// Both then write to a closed peer; the process must see EPIPE and live.
// The exit code says what failed.
func helperStdClosedConn(args []string) int {
	os.Stdout.Close()
	os.Stderr.Close()
	ln, err := ipc.Listen(args[0])
	if err != nil {
		return 3
	}
	d, err := ipc.Dial(args[0])
	if err != nil {
		return 4
	}
	a, err := ln.AcceptConn()
	if err != nil {
		return 5
	}
	for _, c := range []*ipc.Conn{d, a} {
		rc, _ := c.SyscallConn()
		var low bool
		rc.Control(func(fd uintptr) { low = fd <= 2 })
		if low {
			return 6
		}
	}
	a.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := d.Write(buf); err != nil {
			if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
				return 7
			}
			break
		}
	}
	d.Close()
	ln.Close()
	return 0
}

// TestFaultSIGPIPEOnStdDescriptors runs helperStdClosedConn: sockets made
// while descriptors 1 and 2 are free never land there, and writing to a
// closed peer gives EPIPE, not death by SIGPIPE.
func TestFaultSIGPIPEOnStdDescriptors(t *testing.T) {
	cmd := helperCommand(t, "std-closed-conn", sockPath(t))
	cmd.Stderr = nil
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v (output %q)", err, out)
	}
}

// streamData fills b with the stream's bytes from offset off: a
// deterministic function of the offset.
func streamData(b []byte, off int64) {
	for i := range b {
		x := uint64(off + int64(i))
		b[i] = byte(x*0x9e3779b97f4a7c15>>56) ^ byte(x)
	}
}

// helperStreamSource dials args[0] and writes args[1] bytes of
// streamData, in writes of random sizes, then closes.
func helperStreamSource(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	size, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "source:", err)
		return 1
	}
	buf := make([]byte, 256<<10)
	var off int64
	for off < size {
		n := min(int64(1+rand.IntN(len(buf))), size-off)
		streamData(buf[:n], off)
		if _, err := c.Write(buf[:n]); err != nil {
			fmt.Fprintln(os.Stderr, "source:", err)
			return 1
		}
		off += n
	}
	return 0
}

// helperStreamSink dials args[0], reads to EOF and prints the SHA-256 of
// what it read.
func helperStreamSink(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	h := sha256.New()
	if _, err := io.Copy(h, c); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(hex.EncodeToString(h.Sum(nil)))
	return 0
}

// TestFaultDeadlineStorm streams 32 MiB (4 MiB with -short) from a child
// and as much to another child while a goroutine moves the read and write
// deadlines as fast as it can, each to a random point within 50 µs (many
// pass mid-call), and another sends SIGURG to all three processes as fast as it can. Every
// timeout is retried from where the call stopped. No byte may be lost,
// duplicated or changed: the test checks the data read against the
// pattern, and the sink child reports the SHA-256 of what it got.
func TestFaultDeadlineStorm(t *testing.T) {
	path := sockPath(t)
	ln := listen(t, path)
	streamSize := int64(volume(32<<20, 4<<20)) // each way
	src, _ := startChildNoLine(t, helperCommand(t, "stream-source", path, strconv.FormatInt(streamSize, 10)))
	in, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sink, _ := startChildNoLine(t, helperCommand(t, "stream-sink", path))
	out, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()

	stop := make(chan struct{})
	var storms sync.WaitGroup
	var moves int64
	storms.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			d := time.Duration(rand.IntN(50_000))
			in.SetReadDeadline(time.Now().Add(d))
			out.SetWriteDeadline(time.Now().Add(d))
			moves++
		}
	})

	// A signal storm at the same time: SIGURG, which every Go program
	// takes (the runtime's own preemption signal) and which interrupts
	// system calls, to this process and both children, without pause.
	var signals int64
	storms.Go(func() {
		pids := []int{os.Getpid(), src.cmd.Process.Pid, sink.cmd.Process.Pid}
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, pid := range pids {
				syscall.Kill(pid, syscall.SIGURG)
			}
			signals++
		}
	})

	var timeouts [2]int
	var wg sync.WaitGroup
	var readErr, writeErr error
	wg.Go(func() { // read and check the source's stream
		buf := make([]byte, 200<<10)
		want := make([]byte, len(buf))
		var off int64
		for {
			n, err := in.Read(buf)
			if n > 0 {
				streamData(want[:n], off)
				if string(buf[:n]) != string(want[:n]) {
					readErr = fmt.Errorf("stream differs in the %d bytes at offset %d", n, off)
					return
				}
				off += int64(n)
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				timeouts[0]++
				continue
			}
			if err == io.EOF {
				if off != streamSize {
					readErr = fmt.Errorf("EOF after %d bytes; want %d", off, streamSize)
				}
				return
			}
			if err != nil {
				readErr = err
				return
			}
		}
	})
	h := sha256.New()
	wg.Go(func() { // write the stream to the sink
		buf := make([]byte, 300<<10)
		var off int64
		for off < streamSize {
			n := min(int64(len(buf)), streamSize-off)
			streamData(buf[:n], off)
			h.Write(buf[:n])
			b := buf[:n]
			for len(b) > 0 {
				w, err := out.Write(b)
				b = b[w:]
				if errors.Is(err, os.ErrDeadlineExceeded) {
					timeouts[1]++
					continue
				}
				if err != nil {
					writeErr = err
					return
				}
			}
			off += n
		}
		out.CloseWrite()
	})
	wg.Wait()
	close(stop)
	storms.Wait()
	if readErr != nil {
		t.Error("read:", readErr)
	}
	if writeErr != nil {
		t.Error("write:", writeErr)
	}
	line, err := sink.out.ReadString('\n')
	if err != nil {
		t.Fatalf("sink: %v", err)
	}
	if got, want := strings.TrimSpace(line), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("sink read SHA-256 %s; sent %s", got, want)
	}
	t.Logf("%d deadline moves, %d rounds of 3 signals; %d read and %d write timeouts retried", moves, signals, timeouts[0], timeouts[1])
	src.finish()
	sink.finish()
}

// startChildNoLine starts a helper that prints nothing before it works.
func startChildNoLine(t *testing.T, cmd *exec.Cmd) (*child, string) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	t.Cleanup(func() {
		c.stdin.Close()
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	return c, ""
}

// helperReadOnlyDir tries, as a user who may not write to the directory
// args[0], to listen on a path in it, to listen on a bare name with
// XDG_RUNTIME_DIR set to it, to bind a datagram socket in it and to make a
// FIFO in it. It prints one line per attempt: the operation, whether the
// error matched os.ErrPermission and its type.
func helperReadOnlyDir(args []string) int {
	dir := args[0]
	report := func(what string, err error) {
		fmt.Printf("%s permission=%v type=%T err=%v\n", what, errors.Is(err, os.ErrPermission), err, err)
	}
	ln, err := ipc.Listen(filepath.Join(dir, "s"))
	if err == nil {
		ln.Close()
	}
	report("listen-path", err)
	os.Setenv("XDG_RUNTIME_DIR", dir)
	ln, err = ipc.Listen("bare")
	if err == nil {
		ln.Close()
	}
	report("listen-bare", err)
	p, err := ipc.ListenPacket(filepath.Join(dir, "d"))
	if err == nil {
		p.Close()
	}
	report("listen-packet", err)
	report("mkfifo", ipc.Mkfifo(filepath.Join(dir, "f"), 0o600))
	return 0
}

// TestFaultReadOnlyDir runs helperReadOnlyDir as nobody on a directory
// only root may write to: each attempt fails with an error matching
// os.ErrPermission, of the documented type, and the directory stays
// empty.
func TestFaultReadOnlyDir(t *testing.T) {
	dir := filepath.Dir(sockPath(t))
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := nobodyCommand(t, "readonly-dir", dir).Output()
	if err != nil {
		t.Fatalf("child: %v (%s)", err, out)
	}
	want := map[string]string{
		"listen-path":   "*net.OpError",
		"listen-bare":   "*net.OpError",
		"listen-packet": "*net.OpError",
		"mkfifo":        "*fs.PathError", // os.PathError
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || want[f[0]] == "" {
			t.Errorf("unexpected line %q", line)
			continue
		}
		if f[1] != "permission=true" || f[2] != "type="+want[f[0]] {
			t.Errorf("%s: %s; want permission=true type=%s", f[0], line, want[f[0]])
		}
		delete(want, f[0])
	}
	for what := range want {
		t.Errorf("%s: no report", what)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Errorf("left behind in the directory: %v", ents)
	}
}
