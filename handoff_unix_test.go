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
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["handoff-old"] = helperHandoffOld
	helpers["handoff-new"] = helperHandoffNew
}

// selfHelper is helperCommand for use inside a helper, where there is no
// testing.T.
func selfHelper(name string, args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	return helperCommandExe(exe, name, args...)
}

// serveName accepts connections on ln until it is closed, answering each
// with name and a newline, and returns once every connection it accepted
// has been answered.
func serveName(ln *ipc.Listener, name string) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.AcceptConn()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				fmt.Println("FAIL: accept:", err)
			}
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Write([]byte(name + "\n"))
			c.Close()
		}()
	}
}

// helperHandoffOld serves args[0] until its standard input says "handoff",
// then hands the listener to a successor (helperHandoffNew), waits until
// the successor serves, closes its own listener, finishes its connections
// and exits. The successor shares its standard input and output.
func helperHandoffOld(args []string) int {
	path := args[0]
	ln, err := ipc.Listen(path)
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	served := make(chan struct{})
	go func() {
		serveName(ln, "old")
		close(served)
	}()
	fmt.Println("ready")
	if line, _ := bufio.NewReader(os.Stdin).ReadString('\n'); line != "handoff\n" {
		fmt.Printf("FAIL: read %q\n", line)
		return 1
	}

	// The successor gets a copy of the listening socket, and a pipe to say
	// when it serves.
	f, err := ln.File()
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	r, w, err := ipc.Pipe()
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	cmd := selfHelper("handoff-new")
	lnToken, err1 := ipc.PassFile(cmd, f)
	readyToken, err2 := ipc.PassFile(cmd, w)
	if err := errors.Join(err1, err2); err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	cmd.Args = append(cmd.Args, lnToken, readyToken)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Start()
	ipc.ReleaseFiles(cmd)
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	if line, err := io.ReadAll(r); string(line) != "serving\n" {
		fmt.Printf("FAIL: the successor said %q (%v)\n", line, err)
		return 1
	}

	// Clients keep coming, and the successor takes them: close, finish
	// what was accepted, leave.
	if err := ln.Close(); err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	<-served
	if _, err := os.Lstat(path); err != nil {
		fmt.Println("FAIL: the old server's Close removed the socket file the successor serves:", err)
		return 1
	}
	fmt.Println("handed off")
	return 0 // the successor lives on
}

// helperHandoffNew takes over the listener passed under token args[0],
// says so on the pipe passed under args[1], and serves until its standard
// input closes; then it closes the listener, which removes the socket file.
func helperHandoffNew(args []string) int {
	f, err := ipc.InheritedFile(args[0], "listener")
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	ln, err := ipc.FileListener(f)
	f.Close()
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	ln.SetUnlinkOnClose(true) // this one cleans up when it stops for good
	served := make(chan struct{})
	go func() {
		serveName(ln, "new")
		close(served)
	}()
	w, err := ipc.InheritedFile(args[1], "ready")
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	w.Write([]byte("serving\n"))
	w.Close()
	waitStdin()
	ln.Close()
	<-served
	fmt.Println("new server stopped")
	return 0
}

// TestHandoff dials a server continuously, from two goroutines, while the
// server hands its listener over to a successor and exits; not a single
// dial may fail. The old server must leave the socket file in place and the
// successor, which takes it over with SetUnlinkOnClose(true), removes it
// when it stops.
func TestHandoff(t *testing.T) {
	path := sockPath(t)
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer outR.Close()
	// The old server's standard input and output are pipes of the test's
	// own, which the old server shares with its successor and which
	// outlive it (exec.Cmd's would close when it is waited for).
	inR, stdin, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	old := helperCommand(t, "handoff-old", path)
	old.Stdin, old.Stdout = inR, outW
	if err := old.Start(); err != nil {
		t.Fatal(err)
	}
	inR.Close()
	outW.Close()
	defer func() {
		stdin.Close()
		if old.ProcessState == nil {
			old.Process.Kill()
			old.Wait()
		}
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if l := <-lines; l != "ready" {
		t.Fatal(l)
	}

	// The clients.
	type result struct {
		server string
		err    error
	}
	results := make(chan result)
	var stop atomic.Bool
	var dialers sync.WaitGroup
	for range 2 {
		dialers.Add(1)
		go func() {
			defer dialers.Done()
			for !stop.Load() {
				c, err := ipc.Dial(path)
				if err != nil {
					results <- result{err: err}
					return
				}
				l, err := bufio.NewReader(c).ReadString('\n')
				c.Close()
				if err != nil {
					results <- result{err: fmt.Errorf("reading the server's name: %w", err)}
					return
				}
				results <- result{server: strings.TrimSpace(l)}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		dialers.Wait()
		close(done)
	}()
	finish := func() {
		stop.Store(true)
		for {
			select {
			case <-results:
			case <-done:
				return
			}
		}
	}

	count := map[string]int{}
	afterExit := 0
	oldExited := false
	handedOff := false
	for !oldExited || afterExit < 2000 {
		select {
		case r := <-results:
			if r.err != nil {
				finish()
				t.Fatalf("a dial failed after %d good ones (%v): %v", count["old"]+count["new"], count, r.err)
			}
			count[r.server]++
			if oldExited {
				afterExit++
			}
			if count["old"] == 1000 && !handedOff {
				handedOff = true
				if _, err := io.WriteString(stdin, "handoff\n"); err != nil {
					t.Fatal(err)
				}
			}
		case l, ok := <-lines:
			if !ok || l != "handed off" || oldExited {
				finish()
				t.Fatalf("old server said %q", l)
			}
			if err := old.Wait(); err != nil {
				finish()
				t.Fatalf("old server: %v", err)
			}
			oldExited = true
			if _, err := os.Lstat(path); err != nil {
				finish()
				t.Fatalf("socket file after the old server exited: %v", err)
			}
		}
	}
	finish()
	t.Logf("%d dials, none refused: %d served by the old server, %d by its successor (%d after the old one exited)",
		count["old"]+count["new"], count["old"], count["new"], afterExit)

	// The successor stops when its standard input, shared with the old
	// server, closes; it removes the socket file.
	stdin.Close()
	for l := range lines {
		if l != "new server stopped" {
			t.Errorf("successor said %q", l)
		}
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file after the successor stopped: %v; want it removed", err)
	}
}

// TestSetUnlinkOnClose checks who removes a socket file when: the listener
// that created it, unless told not to or once it has handed out a copy; a
// listener made from a file, only when told to, and only the file it
// took.
func TestSetUnlinkOnClose(t *testing.T) {
	exists := func(path string) bool {
		_, err := os.Lstat(path)
		return err == nil
	}
	for _, packet := range []bool{false, true} {
		kind := map[bool]string{false: "listener", true: "packet"}[packet]
		// listen makes a socket at path and returns its Close, File and
		// SetUnlinkOnClose.
		type sock struct {
			close  func() error
			file   func() (*os.File, error)
			unlink func(bool)
		}
		wrap := func(t *testing.T, ln *ipc.Listener, pc *ipc.PacketConn) sock {
			if pc != nil {
				return sock{pc.Close, pc.File, pc.SetUnlinkOnClose}
			}
			return sock{ln.Close, ln.File, ln.SetUnlinkOnClose}
		}
		listen := func(t *testing.T, path string) sock {
			t.Helper()
			if packet {
				pc, err := (&ipc.ListenConfig{Reclaim: true}).ListenPacket(context.Background(), path)
				if err != nil {
					t.Fatal(err)
				}
				return wrap(t, nil, pc)
			}
			ln, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return wrap(t, ln, nil)
		}
		fromFile := func(t *testing.T, f *os.File) sock {
			t.Helper()
			defer f.Close()
			if packet {
				pc, err := ipc.FilePacketConn(f)
				if err != nil {
					t.Fatal(err)
				}
				return wrap(t, nil, pc)
			}
			ln, err := ipc.FileListener(f)
			if err != nil {
				t.Fatal(err)
			}
			return wrap(t, ln, nil)
		}
		t.Run(kind, func(t *testing.T) {
			path := sockPath(t)

			s := listen(t, path)
			s.close()
			if exists(path) {
				t.Error("Close of the creator left the file")
			}

			s = listen(t, path)
			s.unlink(false)
			s.close()
			if !exists(path) {
				t.Error("SetUnlinkOnClose(false), then Close, removed the file")
			}

			s = listen(t, path) // reclaims the stale file
			s.unlink(false)
			s.unlink(true)
			s.close()
			if exists(path) {
				t.Error("SetUnlinkOnClose(false) then (true), then Close, left the file")
			}

			// A copy handed out: the original leaves the file, and so does
			// a socket made from the copy unless told otherwise.
			s = listen(t, path)
			f, err := s.file()
			if err != nil {
				t.Fatal(err)
			}
			f2, err := s.file()
			if err != nil {
				t.Fatal(err)
			}
			c1, c2 := fromFile(t, f), fromFile(t, f2)
			s.close()
			if !exists(path) {
				t.Fatal("Close after File removed the file")
			}
			c1.close()
			if !exists(path) {
				t.Fatal("Close of a socket made from a file removed the file")
			}
			c2.unlink(true)
			c2.close()
			if exists(path) {
				t.Fatal("SetUnlinkOnClose(true) on a socket made from a file, then Close, left the file")
			}

			// File, then SetUnlinkOnClose(true): removal is back on.
			s = listen(t, path)
			f, err = s.file()
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			s.unlink(true)
			s.close()
			if exists(path) {
				t.Error("File, SetUnlinkOnClose(true), Close left the file")
			}

			// A socket from a file that takes its file over removes only
			// that file, not one another listener has since put at the
			// path.
			s = listen(t, path)
			f, err = s.file()
			if err != nil {
				t.Fatal(err)
			}
			c := fromFile(t, f)
			c.unlink(true)
			s.close()
			os.Remove(path) // as a reclaiming listener would once both are closed
			s2 := listen(t, path)
			c.close()
			if !exists(path) {
				t.Error("a socket made from a file removed another listener's file")
			}
			s2.close()
			if exists(path) {
				t.Error("the new listener left its file")
			}
		})
	}
}

// TestFileListenerErrors checks that FileListener and FilePacketConn take
// only what they can serve.
func TestFileListenerErrors(t *testing.T) {
	regular, err := os.CreateTemp(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer regular.Close()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	tcpFile, err := tcp.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer tcpFile.Close()
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	connFile, err := a.File()
	if err != nil {
		t.Fatal(err)
	}
	defer connFile.Close()
	pc, err := ipc.ListenPacket(sockPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pcFile, err := pc.File()
	if err != nil {
		t.Fatal(err)
	}
	defer pcFile.Close()
	ln := listen(t, sockPath(t))
	lnFile, err := ln.File()
	if err != nil {
		t.Fatal(err)
	}
	defer lnFile.Close()
	closed, err := ln.File()
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()

	for _, c := range []struct {
		name     string
		f        *os.File
		listener error // want from FileListener, nil for success
		packet   error // want from FilePacketConn
	}{
		{"regular file", regular, syscall.ENOTSOCK, syscall.ENOTSOCK},
		{"TCP socket", tcpFile, syscall.EAFNOSUPPORT, syscall.EAFNOSUPPORT},
		{"connected socket", connFile, syscall.EINVAL, syscall.EPROTOTYPE},
		{"datagram socket", pcFile, syscall.EPROTOTYPE, nil},
		{"listening socket", lnFile, nil, syscall.EPROTOTYPE},
		{"closed file", closed, os.ErrClosed, os.ErrClosed}, // as FileConn: the argument's, not the listener's
	} {
		l, err := ipc.FileListener(c.f)
		if c.listener == nil {
			if err != nil {
				t.Errorf("FileListener(%s): %v", c.name, err)
			} else {
				if l.Addr().String() != ln.Addr().String() || l.Addr().Network() != "unix" {
					t.Errorf("FileListener(%s).Addr() = %v", c.name, l.Addr())
				}
				l.Close()
			}
		} else {
			wantErr(t, err, "file", c.listener)
			t.Logf("FileListener(%s): %v", c.name, err)
		}
		p, err := ipc.FilePacketConn(c.f)
		if c.packet == nil {
			if err != nil {
				t.Errorf("FilePacketConn(%s): %v", c.name, err)
			} else {
				if p.LocalAddr().String() != pc.LocalAddr().String() {
					t.Errorf("FilePacketConn(%s).LocalAddr() = %v", c.name, p.LocalAddr())
				}
				p.Close()
			}
		} else {
			wantErr(t, err, "file", c.packet)
			t.Logf("FilePacketConn(%s): %v", c.name, err)
		}
	}
	if _, err := ipc.FileListener(nil); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("FileListener(nil) = %v", err)
	}
	ln.Close()
	if _, err := ln.File(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("File of a closed listener = %v; want net.ErrClosed", err)
	}
}

// TestFileListenerMessage hands over a message-mode listener: the mode
// comes from the socket's type.
func TestFileListenerMessage(t *testing.T) {
	if !seqpacketOK() {
		t.Skip("no SOCK_SEQPACKET for AF_UNIX here")
	}
	ln := listenMsg(t, sockPath(t), true)
	f, err := ln.File()
	if err != nil {
		t.Fatal(err)
	}
	l2, err := ipc.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	ln.Close()
	if l2.Addr().Network() != "unixpacket" {
		t.Errorf("Network %q; want unixpacket", l2.Addr().Network())
	}
	cmd := helperCommand(t, "cred-client", "message", l2.Addr().String())
	ch, line := startChild(t, cmd)
	if line != "sent" {
		t.Fatal(line)
	}
	c, err := l2.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 16)
	n, trunc, err := c.ReadMsg(buf)
	if err != nil || trunc || string(buf[:n]) != "hello" {
		t.Fatalf("ReadMsg = %q, %v, %v", buf[:n], trunc, err)
	}
	ch.finish()
}
