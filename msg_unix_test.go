// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["msg-echo-server"] = helperMsgEchoServer
	helpers["pair-child"] = helperPairChild
}

func seqpacketOK() bool { return runtime.GOOS != "darwin" && runtime.GOOS != "ios" }

// helperMsgEchoServer listens in message mode on args[0] and sends every
// message back, prefixed by nothing, until the client closes.
func helperMsgEchoServer(args []string) int {
	ln, err := (&ipc.ListenConfig{Message: true}).Listen(context.Background(), args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer ln.Close()
	fmt.Println(ln.Addr())
	c, err := ln.AcceptConn()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	buf := make([]byte, 256<<10)
	for {
		n, trunc, err := c.ReadMsg(buf)
		if err == io.EOF {
			return 0
		}
		if err != nil || trunc {
			fmt.Fprintln(os.Stderr, "ReadMsg:", n, trunc, err)
			return 1
		}
		if _, err := c.WriteMsg(buf[:n]); err != nil {
			fmt.Fprintln(os.Stderr, "WriteMsg:", err)
			return 1
		}
	}
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*13+i>>9)
	}
	return b
}

// TestMessageBoundaries sends messages of 0, 1, 64 KiB and 200 KiB to a
// child that echoes them, and checks that each comes back whole and alone.
func TestMessageBoundaries(t *testing.T) {
	if !seqpacketOK() {
		_, err := (&ipc.ListenConfig{Message: true}).Listen(context.Background(), sockPath(t))
		wantErr(t, err, "listen", errors.ErrUnsupported)
		return
	}
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			ch, addr := startChild(t, helperCommand(t, "msg-echo-server", tr.newName(t)))
			if strings.HasPrefix(addr, "error") {
				t.Fatal(addr)
			}
			c, err := (&ipc.Dialer{Message: true}).DialContext(context.Background(), addr)
			if err != nil {
				t.Fatal(err)
			}
			if c.RemoteAddr().Network() != "unixpacket" {
				t.Errorf("Network() = %q; want unixpacket", c.RemoteAddr().Network())
			}
			sizes := []int{0, 1, 64 << 10, 200 << 10, 0, 0, 7}
			// Send them all before reading any, so they queue up together.
			for i, size := range sizes {
				if n, err := c.WriteMsg(pattern(size, byte(i))); err != nil || n != size {
					t.Fatalf("WriteMsg(%d bytes) = %d, %v", size, n, err)
				}
			}
			buf := make([]byte, 256<<10)
			for i, size := range sizes {
				n, trunc, err := c.ReadMsg(buf)
				if err != nil || trunc || n != size || !bytes.Equal(buf[:n], pattern(size, byte(i))) {
					t.Fatalf("message %d: ReadMsg = %d, %v, %v; want %d bytes intact", i, n, trunc, err, size)
				}
			}
			// A too-small buffer reports truncation; the next ReadMsg
			// gets the next message.
			c.WriteMsg(pattern(100, 1))
			c.WriteMsg(pattern(5, 2))
			small := make([]byte, 10)
			n, trunc, err := c.ReadMsg(small)
			if err != nil || !trunc || n != 10 || !bytes.Equal(small, pattern(100, 1)[:10]) {
				t.Fatalf("ReadMsg into 10 bytes = %d, %v, %v; want 10, truncated", n, trunc, err)
			}
			n, trunc, err = c.ReadMsg(small)
			if err != nil || trunc || n != 5 || !bytes.Equal(small[:5], pattern(5, 2)) {
				t.Fatalf("next ReadMsg = %d, %v, %v; want the 5-byte message", n, trunc, err)
			}
			// A message larger than the socket can carry fails whole.
			_, err = c.WriteMsg(make([]byte, 8<<20))
			wantErr(t, err, "write", syscall.EMSGSIZE)

			// After the child closes, ReadMsg reports EOF.
			c.CloseWrite()
			if _, _, err := c.ReadMsg(buf); err != io.EOF {
				t.Fatalf("ReadMsg at end = %v; want io.EOF", err)
			}
			c.Close()
			ch.finish()
		})
	}
}

func TestMessageDeadlineAndClose(t *testing.T) {
	if !seqpacketOK() {
		t.Skip("no SOCK_SEQPACKET for AF_UNIX on " + runtime.GOOS)
	}
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a.SetReadDeadline(time.Now().Add(-time.Second))
	_, _, err = a.ReadMsg(make([]byte, 1))
	wantErr(t, err, "read", os.ErrDeadlineExceeded)
	a.SetReadDeadline(time.Time{})
	errc := make(chan error)
	go func() {
		_, _, err := a.ReadMsg(make([]byte, 1))
		errc <- err
	}()
	a.Close()
	wantErr(t, <-errc, "read", net.ErrClosed)
	_, err = a.WriteMsg([]byte("x"))
	wantErr(t, err, "write", net.ErrClosed)
}

func TestMessageErrors(t *testing.T) {
	s1, s2, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	defer s2.Close()
	_, _, err = s1.ReadMsg(make([]byte, 1))
	wantErr(t, err, "read", syscall.EINVAL)
	_, err = s1.WriteMsg([]byte("x"))
	wantErr(t, err, "write", syscall.EINVAL)
	f, _ := os.Open(os.DevNull)
	defer f.Close()
	_, err = s1.SendFiles(nil, f)
	wantErr(t, err, "write", syscall.EINVAL)
	_, err = s1.SendFiles([]byte("x"), nil)
	wantErr(t, err, "write", syscall.EINVAL)
	_, _, _, err = s1.RecvFiles(make([]byte, 1), -1)
	wantErr(t, err, "read", syscall.EINVAL)

	// SendFiles without files is a plain write.
	if n, err := s1.SendFiles([]byte("plain")); err != nil || n != 5 {
		t.Fatalf("SendFiles without files = %d, %v", n, err)
	}
	buf := make([]byte, 8)
	if n, files, _, err := s2.RecvFiles(buf, 1); err != nil || string(buf[:n]) != "plain" || files != nil {
		t.Fatalf("RecvFiles = %q, %v, %v", buf[:n], files, err)
	}

	// FileConn refuses what is not a Unix domain stream or seqpacket socket.
	_, err = ipc.FileConn(f)
	wantErr(t, err, "file", syscall.ENOTSOCK)
}

// fdCount returns the number of open descriptors.
func fdCount(t *testing.T) int {
	ents, err := os.ReadDir("/dev/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestRecvFilesTooMany checks that surplus descriptors are all closed and
// reported, on both socket kinds.
func TestRecvFilesTooMany(t *testing.T) {
	for _, message := range []bool{false, true} {
		if message && !seqpacketOK() {
			continue
		}
		a, b, err := ipc.ConnPair(message)
		if err != nil {
			t.Fatal(err)
		}
		var files []*os.File
		for i := 0; i < 5; i++ {
			f, err := os.Open(os.DevNull)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		before := fdCount(t)
		if _, err := a.SendFiles([]byte("five"), files...); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 10)
		n, got, _, err := b.RecvFiles(buf, 2)
		wantErr(t, err, "read", syscall.EMSGSIZE)
		if n != 4 || string(buf[:n]) != "five" || got != nil {
			t.Errorf("RecvFiles = %d %q, %v files; want the data and no files", n, buf[:n], len(got))
		}
		if after := fdCount(t); after != before {
			t.Errorf("descriptors: %d before, %d after; surplus files leaked", before, after)
		}
		// The connection still works afterwards.
		a.SendFiles([]byte("one"), files[0])
		n, got, _, err = b.RecvFiles(buf, 1)
		if err != nil || len(got) != 1 || string(buf[:n]) != "one" {
			t.Fatalf("RecvFiles after the surplus = %q, %d files, %v", buf[:n], len(got), err)
		}
		got[0].Close()
		for _, f := range files {
			f.Close()
		}
		a.Close()
		b.Close()
	}
}

// TestRecvFilesMaxFiles passes maxFiles values up to math.MaxInt: any
// value of at least the most descriptors one message can carry means no
// limit, and none of them panics, loses descriptors or leaves a large
// buffer behind. A negative value is an error; 0 accepts no files.
func TestRecvFilesMaxFiles(t *testing.T) {
	for _, message := range []bool{false, true} {
		if message && !seqpacketOK() {
			continue
		}
		a, b, err := ipc.ConnPair(message)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		defer b.Close()
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		buf := make([]byte, 8)

		// math.MaxInt>>2+1 is 1<<61 with a 64-bit int, 1<<29 with a
		// 32-bit one.
		maxes := []int{math.MaxInt, math.MaxInt>>1 + 1, math.MaxInt>>2 + 1, 1 << 29, 1 << 24,
			math.MaxInt32, ipc.MaxFilesPerMsg, 3}
		for _, max := range maxes {
			before := fdCount(t)
			if _, err := a.SendFiles([]byte("three"), f, f, f); err != nil {
				t.Fatal(err)
			}
			n, files, _, err := b.RecvFiles(buf, max)
			if err != nil || string(buf[:n]) != "three" || len(files) != 3 {
				t.Fatalf("message %v, RecvFiles(maxFiles %d) = %q, %d files, %v; want three and 3 files", message, max, buf[:n], len(files), err)
			}
			for _, g := range files {
				g.Close()
			}
			if after := fdCount(t); after != before {
				t.Errorf("maxFiles %d: descriptors %d before, %d after", max, before, after)
			}
			// Room for one message's descriptors is a few KiB at most.
			if c := ipc.RecvBufCap(b); c > 4<<10 {
				t.Errorf("maxFiles %d: control buffer of %d bytes kept", max, c)
			}
		}

		// As many descriptors as one message can carry, with no limit.
		many := make([]*os.File, ipc.MaxFilesPerMsg)
		for i := range many {
			many[i] = f
		}
		if _, err := a.SendFiles([]byte("many"), many...); err != nil {
			t.Fatal(err)
		}
		n, files, _, err := b.RecvFiles(buf, math.MaxInt)
		if err != nil || string(buf[:n]) != "many" || len(files) != len(many) {
			t.Fatalf("message %v: RecvFiles of %d files = %q, %d files, %v", message, len(many), buf[:n], len(files), err)
		}
		for _, g := range files {
			g.Close()
		}

		// 0 accepts data without files, and refuses files, closing them.
		if _, err := a.SendFiles([]byte("plain")); err != nil {
			t.Fatal(err)
		}
		if n, files, _, err := b.RecvFiles(buf, 0); err != nil || string(buf[:n]) != "plain" || files != nil {
			t.Fatalf("message %v: RecvFiles(0) of plain data = %q, %v, %v", message, buf[:n], files, err)
		}
		before := fdCount(t)
		if _, err := a.SendFiles([]byte("one"), f); err != nil {
			t.Fatal(err)
		}
		n, files, _, err = b.RecvFiles(buf, 0)
		wantErr(t, err, "read", syscall.EMSGSIZE)
		if string(buf[:n]) != "one" || files != nil {
			t.Errorf("message %v: RecvFiles(0) of a file = %q, %v", message, buf[:n], files)
		}
		if after := fdCount(t); after != before {
			t.Errorf("RecvFiles(0): descriptors %d before, %d after", before, after)
		}

		for _, max := range []int{-1, math.MinInt} {
			_, _, _, err := b.RecvFiles(buf, max)
			wantErr(t, err, "read", syscall.EINVAL)
		}
	}
}

// TestDupWithoutForkLock duplicates descriptors (Conn.File, FileConn)
// while syscall.ForkLock is held for writing, as os/exec holds it while it
// starts a process: with F_DUPFD_CLOEXEC the copies are close-on-exec from
// birth and need no lock, so the calls finish. The copies are
// close-on-exec and above the standard descriptors.
func TestDupWithoutForkLock(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" || runtime.GOOS == "openbsd" {
		t.Skip("system calls go through libc here, which has no F_DUPFD_CLOEXEC call in package syscall; ForkLock is used")
	}
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	syscall.ForkLock.Lock()
	locked := true
	defer func() {
		if locked {
			syscall.ForkLock.Unlock()
		}
	}()
	done := make(chan []*os.File, 1)
	go func() {
		var files []*os.File
		f, err := a.File()
		if err != nil {
			t.Error(err)
		} else {
			files = append(files, f)
			c, err := ipc.FileConn(f)
			if err != nil {
				t.Error(err)
			} else {
				c.Close()
			}
		}
		done <- files
	}()
	buf := make([]byte, 1<<20)
	for {
		select {
		case files := <-done:
			syscall.ForkLock.Unlock()
			locked = false
			for _, f := range files {
				fd := int(f.Fd())
				flags, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
				if e != 0 || flags&syscall.FD_CLOEXEC == 0 || fd <= 2 {
					t.Errorf("copy %d: flags %#x, %v; want close-on-exec and above 2", fd, flags, e)
				}
				f.Close()
			}
			return
		default:
		}
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "ipc.dupCloexec") && strings.Contains(g, "RWMutex") {
				t.Fatalf("a duplication waits for ForkLock:\n%s", g)
			}
		}
		runtime.Gosched()
	}
}

// helperPairChild gets a connection as descriptor 3 and exercises file
// passing from the child's side:
//   - it receives a regular file, a pipe's write end and a connected socket
//     with the data "files"; it writes the regular file's content and its pid
//     into the pipe, and talks over the socket;
//   - it sends back a pipe whose read end says hello;
//   - it sends 200 rounds of 16 files, then one message with 4 files.
func helperPairChild(args []string) int {
	f := os.NewFile(3, "inherited")
	c, err := ipc.FileConn(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	fail := func(what string, err error) int {
		fmt.Fprintln(os.Stderr, what+":", err)
		return 1
	}
	buf := make([]byte, 16)
	n, files, _, err := c.RecvFiles(buf, 3)
	if err != nil || len(files) != 3 || string(buf[:n]) != "files" {
		return fail("RecvFiles", fmt.Errorf("%q, %d files, %v", buf[:n], len(files), err))
	}
	content, err := io.ReadAll(files[0])
	if err != nil {
		return fail("reading the regular file", err)
	}
	fmt.Fprintf(files[1], "%s, pid %d\n", content, os.Getpid())
	sock, err := ipc.FileConn(files[2])
	if err != nil {
		return fail("FileConn", err)
	}
	for _, f := range files {
		f.Close()
	}
	if _, err := sock.Write([]byte("over the passed socket")); err != nil {
		return fail("socket write", err)
	}
	sock.CloseWrite()
	reply, err := io.ReadAll(sock)
	sock.Close()
	if err != nil || string(reply) != "ack" {
		return fail("socket reply", fmt.Errorf("%q, %v", reply, err))
	}

	r, w, err := os.Pipe()
	if err != nil {
		return fail("pipe", err)
	}
	w.Write([]byte("hello from the child"))
	w.Close()
	if _, err := c.SendFiles([]byte("back"), r); err != nil {
		return fail("SendFiles", err)
	}
	r.Close()

	null, err := os.Open(os.DevNull)
	if err != nil {
		return fail("open", err)
	}
	sixteen := make([]*os.File, 16)
	for i := range sixteen {
		sixteen[i] = null
	}
	for i := 0; i < 200; i++ {
		if _, err := c.SendFiles([]byte{byte(i)}, sixteen...); err != nil {
			return fail("SendFiles round", err)
		}
	}
	if _, err := c.SendFiles([]byte("four"), sixteen[:4]...); err != nil {
		return fail("SendFiles four", err)
	}
	null.Close()
	// Wait for the parent to finish.
	c.Read(buf)
	return 0
}

// TestFilePassingAcrossProcesses hands one end of a ConnPair to a child and
// passes files both ways over it: a regular file, a pipe end and a
// connected socket to the child; a pipe, 200 rounds of 16 files and a
// message with too many files back.
func TestFilePassingAcrossProcesses(t *testing.T) {
	for _, message := range []bool{false, true} {
		if message && !seqpacketOK() {
			continue
		}
		t.Run("message="+strconv.FormatBool(message), func(t *testing.T) {
			mine, theirs, err := ipc.ConnPair(message)
			if err != nil {
				t.Fatal(err)
			}
			defer mine.Close()
			tf, err := theirs.File()
			if err != nil {
				t.Fatal(err)
			}
			theirs.Close()
			cmd := helperCommand(t, "pair-child")
			cmd.ExtraFiles = []*os.File{tf}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tf.Close()
			defer func() {
				mine.Close() // the child waits for this before it exits
				cmd.Wait()
			}()

			regular, err := os.CreateTemp("", "")
			if err != nil {
				t.Fatal(err)
			}
			defer os.Remove(regular.Name())
			regular.WriteString("regular content")
			regular.Seek(0, io.SeekStart)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			sockMine, sockTheirs, err := ipc.ConnPair(false)
			if err != nil {
				t.Fatal(err)
			}
			stf, err := sockTheirs.File()
			if err != nil {
				t.Fatal(err)
			}
			sockTheirs.Close()
			if _, err := mine.SendFiles([]byte("files"), regular, w, stf); err != nil {
				t.Fatal(err)
			}
			regular.Close()
			w.Close() // the child holds the only write end now
			stf.Close()
			got, err := io.ReadAll(r)
			r.Close()
			if want := fmt.Sprintf("regular content, pid %d\n", cmd.Process.Pid); err != nil || string(got) != want {
				t.Fatalf("pipe from the child: %q, %v; want %q", got, err, want)
			}
			got, err = io.ReadAll(sockMine)
			if err != nil || string(got) != "over the passed socket" {
				t.Fatalf("passed socket: %q, %v", got, err)
			}
			sockMine.Write([]byte("ack"))
			sockMine.Close()

			buf := make([]byte, 16)
			n, files, _, err := mine.RecvFiles(buf, 1)
			if err != nil || len(files) != 1 || string(buf[:n]) != "back" {
				t.Fatalf("RecvFiles = %q, %d files, %v", buf[:n], len(files), err)
			}
			if runtime.GOOS == "linux" {
				checkCloexec(t, files[0])
			}
			got, err = io.ReadAll(files[0])
			files[0].Close()
			if err != nil || string(got) != "hello from the child" {
				t.Fatalf("file from the child: %q, %v", got, err)
			}

			before := fdCount(t)
			for i := 0; i < 200; i++ {
				n, files, _, err := mine.RecvFiles(buf[:1], 16)
				if err != nil || n != 1 || buf[0] != byte(i) || len(files) != 16 {
					t.Fatalf("round %d: RecvFiles = %d, %d files, %v", i, n, len(files), err)
				}
				for _, f := range files {
					if runtime.GOOS == "linux" {
						checkCloexec(t, f)
					}
					f.Close()
				}
			}
			if after := fdCount(t); after != before {
				t.Errorf("descriptors: %d before 200 rounds, %d after", before, after)
			}
			n, files, _, err = mine.RecvFiles(buf[:4], 1)
			wantErr(t, err, "read", syscall.EMSGSIZE)
			if files != nil || string(buf[:n]) != "four" {
				t.Errorf("RecvFiles of 4 files into 1 = %q, %d files", buf[:n], len(files))
			}
			if after := fdCount(t); after != before {
				t.Errorf("descriptors: %d before, %d after 4 files arrived for 1", before, after)
			}
			mine.Close()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("child: %v", err)
			}
		})
	}
}

// checkCloexec checks through /proc that f's descriptor is close-on-exec.
func checkCloexec(t *testing.T, f *os.File) {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var info []byte
	rc.Control(func(fd uintptr) { info, err = os.ReadFile("/proc/self/fdinfo/" + strconv.Itoa(int(fd))) })
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(line, "flags:"); ok {
			flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			if err != nil || flags&syscall.O_CLOEXEC == 0 {
				t.Errorf("received descriptor flags %q: not close-on-exec", v)
			}
			return
		}
	}
	t.Errorf("no flags in %q", info)
}

func TestConnPair(t *testing.T) {
	for _, message := range []bool{false, true} {
		if message && !seqpacketOK() {
			_, _, err := ipc.ConnPair(true)
			if !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("ConnPair(true) = %v; want ErrUnsupported", err)
			}
			continue
		}
		a, b, err := ipc.ConnPair(message)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8)
		n, err := b.Read(buf)
		if err != nil || string(buf[:n]) != "ping" {
			t.Fatalf("Read = %q, %v", buf[:n], err)
		}
		a.Close()
		if n, err := b.Read(buf); err != io.EOF {
			t.Fatalf("Read after peer Close = %d, %v; want EOF", n, err)
		}
		b.Close()
	}
}
