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
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["count-server"] = helperCountServer
	helpers["bind-no-listen"] = helperBindNoListen
	helpers["flock"] = helperFlock
	helpers["dgram-send"] = helperDgramSend
}

// helperCountServer listens on args[0], prints the resolved name and
// counts the connections it accepts. A connection whose first byte is 'M'
// is the marker: the helper writes the number of connections accepted
// before it to that connection. It stops when its standard input closes.
func helperCountServer(args []string) int {
	ln, err := ipc.Listen(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println(ln.Addr())
	go func() {
		waitStdin()
		ln.Close()
	}()
	n := 0
	for {
		c, err := ln.AcceptConn()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return 0
			}
			fmt.Fprintln(os.Stderr, "accept:", err)
			return 1
		}
		b := make([]byte, 1)
		if _, err := io.ReadFull(c, b); err == nil && b[0] == 'M' {
			fmt.Fprintf(c, "%d\n", n)
		} else {
			n++
		}
		c.Close()
	}
}

// helperBindNoListen binds a plain stream socket (no ipc) to args[0] and
// prints "bound". When a line arrives on its standard input it starts
// listening, prints "listening" and answers one connection with "live".
func helperBindNoListen(args []string) int {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		err = syscall.Bind(fd, &syscall.SockaddrUnix{Name: args[0]})
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("bound")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 0
	}
	if err := syscall.Listen(fd, 1); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("listening")
	nfd, _, err := syscall.Accept(fd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "accept:", err)
		return 1
	}
	syscall.Write(nfd, []byte("live"))
	syscall.Close(nfd)
	return 0
}

// TestFailedListenNotSeen starts a server in a child process that counts
// the connections it accepts, and fails to listen on the same name here in
// every way a second instance would: a path with and without Reclaim, a bare
// name (which always reclaims). The server must see none of it.
func TestFailedListenNotSeen(t *testing.T) {
	privateDir(t, 0o700)
	for _, name := range []string{sockPath(t), uniqueName("count")} {
		c, addr := startChild(t, helperCommand(t, "count-server", name))
		if strings.HasPrefix(addr, "error") {
			t.Fatal(addr)
		}
		for _, reclaim := range []bool{false, true} {
			_, err := (&ipc.ListenConfig{Reclaim: reclaim}).Listen(context.Background(), name)
			wantErr(t, err, "listen", os.ErrExist)
			wantErr(t, err, "listen", syscall.EADDRINUSE)
		}
		mark, err := ipc.Dial(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mark.Write([]byte("M")); err != nil {
			t.Fatal(err)
		}
		var n int
		if _, err := fmt.Fscan(mark, &n); err != nil {
			t.Fatal(err)
		}
		mark.Close()
		c.finish()
		if n != 0 {
			t.Errorf("%s: the live server accepted %d connections from the failed Listen calls; want none", name, n)
		}
	}
}

// TestReclaimBoundNotListening checks that Reclaim leaves alone a socket
// that another program (not using this package) has bound but not yet
// started listening on: it is live, not stale.
func TestReclaimBoundNotListening(t *testing.T) {
	path := sockPath(t)
	c, line := startChild(t, helperCommand(t, "bind-no-listen", path))
	if line != "bound" {
		t.Fatal(line)
	}
	_, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	wantErr(t, err, "listen", os.ErrExist)
	if _, err := io.WriteString(c.stdin, "listen\n"); err != nil {
		t.Fatal(err)
	}
	if line, err := c.out.ReadString('\n'); line != "listening\n" {
		t.Fatalf("child: %q, %v", line, err)
	}
	conn, err := ipc.Dial(path)
	if err != nil {
		t.Fatalf("the other server's socket is gone: %v", err)
	}
	got, _ := io.ReadAll(conn)
	conn.Close()
	if string(got) != "live" {
		t.Fatalf("got %q from the path; want the other server's %q", got, "live")
	}
	c.finish()
}

// helperFlock takes an exclusive flock on args[0] (a file or directory)
// and prints "locked", or the error, and holds the lock until its standard
// input closes.
func helperFlock(args []string) int {
	f, err := os.Open(args[0])
	if err == nil {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	}
	if err != nil {
		fmt.Println("error:", err)
		return 0
	}
	fmt.Println("locked")
	waitStdin()
	return 0
}

// TestReclaimLock checks the lock that serialises reclaims: another user
// can neither hold it nor stall Listen with the lock the package used to
// take (the socket's directory, which anyone can open in /tmp), while a
// reclaim by the same user waits for it.
func TestReclaimLock(t *testing.T) {
	privateDir(t, 0o700)
	// A shared directory like /tmp, with a stale socket in it.
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o1777); err != nil {
		t.Fatal(err)
	}
	path := killedServer(t, dir+"/s")

	// Another user holds a lock on the directory.
	c, line := startChild(t, nobodyCommand(t, "flock", dir))
	if line != "locked" {
		t.Fatalf("nobody could not lock the shared directory: %s", line)
	}
	// The package used to wait 2 s for that lock, then go on without it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ln, err := (&ipc.ListenConfig{Reclaim: true}).Listen(ctx, path)
	if err != nil {
		t.Fatalf("Listen with Reclaim while another user locks the directory: %v", err)
	}
	ln.Close()
	c.finish()

	// The lock Listen takes is out of that user's reach.
	lock, err := ipc.ReclaimLockPath(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := nobodyCommand(t, "flock", lock).Output()
	if err != nil || !strings.Contains(string(out), "permission denied") {
		t.Fatalf("another user locking %s: %q, %v; want permission denied", lock, out, err)
	}

	// The same user's reclaim of the same path waits for it, and then
	// goes ahead. (Listen makes the lock file, if it is missing.)
	path = killedServer(t, dir+"/s")
	f, err := os.Open(lock)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = (&ipc.ListenConfig{Reclaim: true}).Listen(short, path)
	wantErr(t, err, "listen", os.ErrDeadlineExceeded)
	// Another path in the same directory has a lock of its own.
	other := killedServer(t, dir+"/other")
	ln, err = (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), other)
	if err != nil {
		t.Fatalf("reclaim of another path while the first one's lock is held: %v", err)
	}
	ln.Close()
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	ln, err = (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
	if err != nil {
		t.Fatalf("reclaim after the lock was released: %v", err)
	}
	ln.Close()
}

// staleSocket leaves a socket file at path that no socket holds.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = syscall.Bind(fd, &syscall.SockaddrUnix{Name: path})
	syscall.Close(fd)
	if err != nil {
		t.Fatal(err)
	}
}

// TestReclaimConcurrent starts several reclaiming listeners at once on
// one stale socket: exactly one wins, and clients reach it.
func TestReclaimConcurrent(t *testing.T) {
	privateDir(t, 0o700)
	path := sockPath(t)
	for round := 0; round < 20; round++ {
		staleSocket(t, path)
		const n = 4
		lns := make(chan *ipc.Listener, n)
		errs := make(chan error, n)
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			go func() {
				<-start
				ln, err := (&ipc.ListenConfig{Reclaim: true}).Listen(context.Background(), path)
				if err != nil {
					errs <- err
					return
				}
				lns <- ln
			}()
		}
		close(start)
		var won []*ipc.Listener
		for i := 0; i < n; i++ {
			select {
			case ln := <-lns:
				won = append(won, ln)
			case err := <-errs:
				wantErr(t, err, "listen", os.ErrExist)
			}
		}
		if len(won) != 1 {
			t.Fatalf("round %d: %d listeners won; want 1", round, len(won))
		}
		c, err := ipc.Dial(path)
		if err != nil {
			t.Fatalf("round %d: the winner is unreachable: %v", round, err)
		}
		s, err := won[0].Accept()
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		c.Close()
		won[0].Close()
	}
}

// helperDgramSend sends datagrams from an unbound socket. With args[0]
// "each" it reads paths from its standard input, one a line, sends one
// datagram to each and prints "sent" or the error. With args[0] "flood" it
// prints "started" and sends to args[1] over and over, ignoring errors,
// until its standard input closes.
func helperDgramSend(args []string) int {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	if args[0] == "flood" {
		fmt.Println("started")
		done := make(chan struct{})
		go func() {
			waitStdin()
			close(done)
		}()
		to := &syscall.SockaddrUnix{Name: args[1]}
		for {
			select {
			case <-done:
				return 0
			default:
			}
			syscall.Sendto(fd, []byte("x"), 0, to)
		}
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if err := syscall.Sendto(fd, []byte("x"), 0, &syscall.SockaddrUnix{Name: in.Text()}); err != nil {
			fmt.Println("error:", err)
		} else {
			fmt.Println("sent")
		}
	}
	return 0
}

// TestModeAtBind checks that ListenConfig.Mode is in force from the moment
// the socket file exists: with the umask at 0, another user tries to send a
// datagram (and to connect) right after bind, before Listen or
// ListenPacket returns. Then it races a flood of datagrams from another
// user against ListenPacket, as a program would see it.
func TestModeAtBind(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux can set the mode before bind; elsewhere the window is documented")
	}
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	path := dir + "/s"

	c, line := startChild(t, nobodyCommand(t, "dgram-send", "each"))
	if line != "ready" {
		t.Fatal(line)
	}
	defer syscall.Umask(syscall.Umask(0))
	var got string
	restore := ipc.SetBoundHook(func(p string) {
		fmt.Fprintln(c.stdin, p)
		got, _ = c.out.ReadString('\n')
	})
	defer restore()
	p, err := (&ipc.ListenConfig{Mode: 0o600}).ListenPacket(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if got != "error: permission denied\n" {
		t.Errorf("another user sending to the datagram socket right after bind: %q; want permission denied", got)
	}
	if n := queued(t, p); n != 0 {
		t.Errorf("%d datagrams arrived from another user", n)
	}
	p.Close()
	// A listener too: the file refuses the other user (EACCES) rather than
	// only the socket type (EPROTOTYPE).
	ln, err := (&ipc.ListenConfig{Mode: 0o600}).Listen(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if got != "error: permission denied\n" {
		t.Errorf("another user reaching the listener's socket right after bind: %q; want permission denied", got)
	}
	restore()
	c.finish()

	// A flood of datagrams from another user, and 300 ListenPacket calls.
	c, line = startChild(t, nobodyCommand(t, "dgram-send", "flood", path))
	if line != "started" {
		t.Fatal(line)
	}
	got = ""
	for i := 0; i < 300; i++ {
		p, err := (&ipc.ListenConfig{Mode: 0o600}).ListenPacket(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		n := queued(t, p)
		p.Close()
		if n != 0 {
			t.Fatalf("ListenPacket %d: %d datagrams arrived from another user", i, n)
		}
	}
	c.finish()
}

// queued returns the number of datagrams waiting on p, reading them.
func queued(t *testing.T, p *ipc.PacketConn) int {
	t.Helper()
	rc, err := p.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	rc.Read(func(fd uintptr) bool {
		for {
			_, _, err := syscall.Recvfrom(int(fd), make([]byte, 1), syscall.MSG_DONTWAIT)
			if err != nil {
				return true
			}
			n++
		}
	})
	return n
}
