// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
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

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["recv-stdclosed"] = helperRecvStdClosed
}

// TestRecvStdClosed checks, in a child that has closed its descriptors 0,
// 1 and 2 (the Go runtime opens /dev/null on them at start, so the child
// closes them itself, as a daemon does), that no descriptor the package
// hands out or uses lands on them: received files, accepted connections,
// pipes, FIFOs and the internal pipe of a spliced copy (Linux) here,
// process handles in TestRecvStdClosedPidfd, where the kernel picks the
// lowest free descriptor. One there would take the place of standard
// input or output: a later write to "stdout" would go into it, and package
// os turns EPIPE on descriptors 1 and 2 into a fatal SIGPIPE. The handed
// out descriptors must also be close-on-exec, and 0 to 2 stay closed.
func TestRecvStdClosed(t *testing.T) {
	for _, mode := range []string{"files", "accept", "pipe", "fifo", "splice"} {
		t.Run(mode, func(t *testing.T) { testRecvStdClosed(t, mode) })
	}
}

func testRecvStdClosed(t *testing.T, mode string) {
	// A message-mode connection records every sender from the start, so
	// the data RecvProcess reads has one.
	mine, theirs, err := ipc.ConnPair(mode == "recvprocess")
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	tf, err := theirs.File()
	if err != nil {
		t.Fatal(err)
	}
	theirs.Close()
	args := []string{mode}
	switch mode {
	case "accept", "fifo":
		args = append(args, sockPath(t))
	}
	cmd := helperCommand(t, "recv-stdclosed", args...)
	cmd.ExtraFiles = []*os.File{tf}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tf.Close()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	rd := bufio.NewReader(mine)
	line := func() string {
		t.Helper()
		s, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading from the child: %q, %v", s, err)
		}
		return strings.TrimSuffix(s, "\n")
	}
	if got := line(); got != "ready" {
		t.Fatalf("child: %q", got)
	}
	switch mode {
	case "files":
		// Three files, for the three free descriptors 0, 1, 2.
		var files []*os.File
		for range 3 {
			r, w, err := ipc.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			files = append(files, r)
		}
		if _, err := mine.SendFiles([]byte("x"), files...); err != nil {
			t.Fatal(err)
		}
	case "accept":
		c, err := ipc.Dial(args[1])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	case "recvprocess":
		if _, err := mine.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if got := line(); got != "ok" {
		t.Errorf("child: %s", got)
	}
	mine.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("child: %v", err)
	}
}

// helperRecvStdClosed gets a connection as descriptor 3, closes its
// standard descriptors and takes what args[0] names, then reports on the
// connection whether each descriptor it got is above 2 and close-on-exec,
// and 0 to 2 are still closed.
func helperRecvStdClosed(args []string) int {
	f := os.NewFile(3, "inherited")
	c, err := ipc.FileConn(f)
	f.Close()
	if err != nil {
		return 2
	}
	defer c.Close()
	var ln *ipc.Listener
	if args[0] == "accept" {
		if ln, err = ipc.Listen(args[1]); err != nil {
			return 3
		}
		defer ln.Close()
	}
	for fd := 0; fd <= 2; fd++ {
		syscall.Close(fd)
	}
	if _, err := c.Write([]byte("ready\n")); err != nil {
		return 4
	}
	report := func(err error) int {
		msg := "ok"
		if err != nil {
			msg = strings.ReplaceAll(err.Error(), "\n", " ")
		}
		c.Write([]byte(msg + "\n"))
		c.Read(make([]byte, 1)) // until the test closes its end
		return 0
	}
	var got []syscall.RawConn
	var closers []interface{ Close() error }
	addFile := func(f *os.File) error {
		closers = append(closers, f)
		rc, err := f.SyscallConn()
		got = append(got, rc)
		return err
	}
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	switch args[0] {
	case "files":
		n, files, _, err := c.RecvFiles(make([]byte, 1), 3)
		if err != nil || n != 1 || len(files) != 3 {
			return report(fmt.Errorf("RecvFiles: %d bytes, %d files, %v", n, len(files), err))
		}
		for _, f := range files {
			closers = append(closers, f)
			rc, err := f.SyscallConn()
			if err != nil {
				return report(err)
			}
			got = append(got, rc)
		}
	case "pipe":
		r, w, err := ipc.Pipe()
		if err != nil {
			return report(err)
		}
		addFile(r)
		addFile(w)
	case "fifo":
		if err := ipc.Mkfifo(args[1], 0o600); err != nil {
			return report(err)
		}
		f, err := ipc.OpenFifo(context.Background(), args[1], os.O_RDONLY)
		if err != nil {
			return report(err)
		}
		addFile(f)
	case "splice":
		// While a copy is under way its internal pipe is open: it must
		// not take the place of a standard descriptor either, where a
		// write to standard output would go into the copy.
		a, b, err := ipc.ConnPair(false)
		if err != nil {
			return report(err)
		}
		closers = append(closers, a, b)
		r, w, err := ipc.Pipe()
		if err != nil {
			return report(err)
		}
		closers = append(closers, r)
		done := make(chan error, 1)
		go func() {
			_, err := b.WriteTo(w)
			w.Close()
			done <- err
		}()
		a.Write([]byte("x"))
		if _, err := io.ReadFull(r, make([]byte, 1)); err != nil {
			return report(err)
		}
		for fd := 0; fd <= 2; fd++ {
			if _, err := fcntl(fd, syscall.F_GETFD); err != syscall.EBADF {
				a.Close()
				<-done
				return report(fmt.Errorf("descriptor %d is open during a copy", fd))
			}
		}
		a.Close()
		if err := <-done; err != nil {
			return report(err)
		}
	case "accept":
		a, err := ln.AcceptConn()
		if err != nil {
			return report(err)
		}
		closers = append(closers, a)
		rc, _ := a.SyscallConn()
		got = append(got, rc)
	case "peerprocess", "recvprocess":
		var p *ipc.Process
		if args[0] == "peerprocess" {
			p, err = c.PeerProcess()
		} else {
			_, p, _, err = c.RecvProcess(make([]byte, 1))
			if err == nil && p == nil {
				err = errors.New("RecvProcess: no sender")
			}
		}
		if err != nil {
			return report(err)
		}
		closers = append(closers, p)
		rc, _ := p.SyscallConn()
		got = append(got, rc)
	}
	for _, rc := range got {
		var ferr error
		rc.Control(func(fd uintptr) {
			flags, err := fcntl(int(fd), syscall.F_GETFD)
			switch {
			case fd <= 2:
				ferr = fmt.Errorf("got descriptor %d", fd)
			case err != nil || flags&syscall.FD_CLOEXEC == 0:
				ferr = fmt.Errorf("descriptor %d: flags %#x, %v; want close-on-exec", fd, flags, err)
			}
		})
		if ferr != nil {
			return report(ferr)
		}
	}
	for fd := 0; fd <= 2; fd++ {
		if _, err := fcntl(fd, syscall.F_GETFD); err != syscall.EBADF {
			return report(fmt.Errorf("descriptor %d is open", fd))
		}
	}
	return report(nil)
}

// TestListenerFileCloseRace checks File against a Close that runs while
// File is under way, right after the socket was duplicated: either File
// fails with net.ErrClosed, or it returns a copy and Close leaves the
// socket file in place for it, as File promises. (Before, Close could
// remove the file between the duplication and File's turning removal off,
// leaving a successor serving a socket no client can reach by name.)
func TestListenerFileCloseRace(t *testing.T) {
	t.Run("listener", func(t *testing.T) {
		path := sockPath(t)
		ln, err := ipc.Listen(path)
		if err != nil {
			t.Fatal(err)
		}
		f := fileCloseRace(t, ln.File, ln.Close, "ipc.(*Listener).Close", path)
		if f == nil {
			return
		}
		defer f.Close()
		succ, err := ipc.FileListener(f)
		if err != nil {
			t.Fatal(err)
		}
		defer succ.Close()
		c, err := ipc.Dial(path)
		if err != nil {
			t.Fatalf("dialing the copy by name: %v", err)
		}
		c.Close()
	})
	t.Run("packet", func(t *testing.T) {
		path := sockPath(t)
		pc, err := ipc.ListenPacket(path)
		if err != nil {
			t.Fatal(err)
		}
		f := fileCloseRace(t, pc.File, pc.Close, "ipc.(*PacketConn).Close", path)
		if f != nil {
			f.Close()
		}
	})
}

// fileCloseRace runs close inside file, right after the duplication, and
// checks the outcome: file failed with net.ErrClosed (nil is returned), or
// it returned a copy (which is returned) and the socket file at path is
// still there.
func fileCloseRace(t *testing.T, file func() (*os.File, error), close func() error, closeFn, path string) *os.File {
	t.Helper()
	closed := make(chan error, 1)
	restore := ipc.SetFileHook(func() {
		go func() { closed <- close() }()
		// Wait until Close has finished, or waits for File to finish.
		buf := make([]byte, 1<<20)
		for {
			select {
			case err := <-closed:
				closed <- err
				return
			default:
			}
			n := runtime.Stack(buf, true)
			for _, g := range strings.Split(string(buf[:n]), "\n\n") {
				if strings.Contains(g, closeFn) && strings.Contains(g, "sync.(*Mutex).Lock") {
					return
				}
			}
			runtime.Gosched()
		}
	})
	f, ferr := file()
	restore()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if ferr != nil {
		if !errors.Is(ferr, net.ErrClosed) {
			t.Fatalf("File: %v; want a copy or net.ErrClosed", ferr)
		}
		return nil
	}
	if _, err := os.Lstat(path); err != nil {
		f.Close()
		t.Fatalf("File returned a copy, and Close removed the socket file: %v", err)
	}
	return f
}
