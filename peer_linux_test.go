// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["peer-hold"] = helperPeerHold
	helpers["pid-reuse"] = helperPIDReuse
	helpers["idle"] = helperIdle
	helpers["send-inherited"] = helperSendInherited
}

// helperPeerHold dials args[0], checks the handle it gets for the listening
// process (the test, whose pid is args[1]), prints "held", and exits when
// its standard input closes.
func helperPeerHold(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	p, err := c.PeerProcess()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer p.Close()
	if strconv.Itoa(p.Pid()) != args[1] || !p.Alive() {
		fmt.Printf("error: listener's handle has pid %d, alive %v; want %s, alive\n", p.Pid(), p.Alive(), args[1])
		return 1
	}
	fmt.Println("held")
	waitStdin()
	return 0
}

// helperIdle prints "idle" and waits for its standard input to close.
func helperIdle(args []string) int {
	fmt.Println("idle")
	waitStdin()
	return 0
}

// peerProcessSupported reports whether SO_PEERPIDFD works here. Where it
// does not, the test is skipped only under an emulator (IPC_TEST_EXEC),
// with the reason; on a real kernel the feature is required, and the tests
// fail.
func peerProcessSupported(t *testing.T) {
	t.Helper()
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	p, err := a.PeerProcess()
	if err == nil {
		p.Close()
		return
	}
	if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" && errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("%s does not pass SO_PEERPIDFD through to the kernel (%v); pidfds are tested natively", emu, err)
	}
	t.Fatalf("PeerProcess on a socket pair: %v", err)
}

// recvProcessSupported is peerProcessSupported for SO_PASSPIDFD.
func recvProcessSupported(t *testing.T) {
	t.Helper()
	peerProcessSupported(t)
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	a.WriteMsg([]byte("x"))
	_, p, _, err := b.RecvProcess(make([]byte, 1))
	if err == nil {
		if p == nil {
			t.Fatal("RecvProcess on a socket pair: no sender")
		}
		p.Close()
		return
	}
	if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" && errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("%s does not pass SO_PASSPIDFD through to the kernel (%v); SCM_PIDFD is tested natively", emu, err)
	}
	t.Fatalf("RecvProcess on a socket pair: %v", err)
}

// TestPeerProcess checks a handle for a peer in another process through its
// life: alive, signalled, waited for with a context, exited but not reaped,
// reaped; and handles that are closed, with a Wait pending.
func TestPeerProcess(t *testing.T) {
	peerProcessSupported(t)
	ln := listen(t, sockPath(t))
	ch, line := startChild(t, helperCommand(t, "peer-hold", ln.Addr().String(), strconv.Itoa(os.Getpid())))
	if line != "held" {
		t.Fatal(line)
	}
	conn, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	p, err := conn.PeerProcess()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pid := ch.cmd.Process.Pid
	if p.Pid() != pid || !p.Alive() {
		t.Fatalf("Pid, Alive = %d, %v; want %d, true", p.Pid(), p.Alive(), pid)
	}
	if err := p.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("Signal(0) to a live peer: %v", err)
	}
	if err := p.Signal(nil); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("Signal(nil) = %v; want EINVAL", err)
	}
	if err := p.Signal(fakeSignal{}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Signal(fakeSignal) = %v; want ErrUnsupported", err)
	}

	// A Wait whose context ends returns its error; one already done at the
	// start too, while the process lives.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err != context.Canceled {
		t.Fatalf("Wait with a cancelled context = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	if err := p.Wait(ctx); err != context.DeadlineExceeded {
		t.Fatalf("Wait with a passing deadline = %v", err)
	}
	cancel()

	// Close ends a pending Wait on another handle to the same process.
	p2, err := conn.PeerProcess()
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- p2.Wait(context.Background()) }()
	if err := p2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-waited; !errors.Is(err, os.ErrClosed) {
		t.Fatalf("Wait ended by Close = %v; want os.ErrClosed", err)
	}
	if p2.Alive() || !errors.Is(p2.Signal(syscall.Signal(0)), os.ErrClosed) || !errors.Is(p2.Close(), os.ErrClosed) {
		t.Error("a closed handle is alive, takes signals or closes twice")
	}

	// Two Waits at once, one for the exit, one that gives up.
	exitWait := make(chan error, 1)
	go func() { exitWait <- p.Wait(context.Background()) }()
	ctx, cancel = context.WithCancel(context.Background())
	giveUp := make(chan error, 1)
	go func() { giveUp <- p.Wait(ctx) }()
	cancel()
	if err := <-giveUp; err != context.Canceled {
		t.Fatalf("second Wait, cancelled = %v", err)
	}
	select {
	case err := <-exitWait:
		t.Fatalf("Wait returned %v while the process lives", err)
	default:
	}

	// The child exits; it is not reaped yet.
	ch.stdin.Close()
	if err := <-exitWait; err != nil {
		t.Fatalf("Wait for the exit: %v", err)
	}
	if p.Alive() {
		t.Error("Alive after the exit")
	}
	if err := p.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("Signal(0) to an exited, unreaped process = %v; want nil (a zombie takes signals)", err)
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Errorf("Wait after the exit = %v", err)
	}
	ch.finish() // reaps it
	err = p.Signal(syscall.SIGTERM)
	if !errors.Is(err, os.ErrProcessDone) || !errors.Is(err, syscall.ESRCH) {
		t.Errorf("Signal to a reaped process = %v; want ErrProcessDone wrapping ESRCH", err)
	}
	var se *os.SyscallError
	if !errors.As(err, &se) || se.Syscall != "pidfd_send_signal" {
		t.Errorf("Signal error %#v; want *os.SyscallError for pidfd_send_signal", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err != nil {
		t.Errorf("Wait for a reaped process with a done context = %v; want nil", err)
	}
	if p.Alive() || p.Pid() != pid {
		t.Errorf("after reaping: Alive %v, Pid %d", p.Alive(), p.Pid())
	}
	rc, err := p.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	rc.Control(func(fd uintptr) {
		if fd < 3 {
			t.Errorf("pidfd %d", fd)
		}
	})
}

// TestPeerProcessSignal checks that a signal reaches the peer through its
// handle: the child is killed.
func TestPeerProcessSignal(t *testing.T) {
	peerProcessSupported(t)
	ln := listen(t, sockPath(t))
	ch, line := startChild(t, helperCommand(t, "peer-hold", ln.Addr().String(), strconv.Itoa(os.Getpid())))
	if line != "held" {
		t.Fatal(line)
	}
	conn, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	p, err := conn.PeerProcess()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = ch.cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v; want killed by SIGKILL", err)
	}
}

// TestPeerProcessPIDReuse makes a peer exit, be reaped, and its PID be
// taken by a new process, and checks that the peer's handle still refers to
// the peer: it is not alive, it waits for nothing, and a signal through it
// fails instead of reaching the new process. The PID comes back at once
// because the scenario runs in a PID namespace of its own, where the test
// sets the next PID through /proc/sys/kernel/ns_last_pid.
func TestPeerProcessPIDReuse(t *testing.T) {
	peerProcessSupported(t)
	cmd := helperCommand(t, "pid-reuse")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" {
		// qemu-user refuses clone flags that make namespaces; unshare(1),
		// a native program, makes the namespace and runs the emulator
		// as its PID 1.
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Fatalf("under %s the PID namespace comes from unshare(1) (util-linux): %v", emu, err)
		}
		cmd.Args = append([]string{unshare, "--pid", "--fork"}, cmd.Args...)
		cmd.Path = unshare
		cmd.SysProcAttr = nil
	}
	if os.Geteuid() != 0 && cmd.SysProcAttr != nil {
		// A user namespace of our own, in which we are root, owns the
		// PID namespace and lets us write ns_last_pid in it.
		cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
	}
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("starting the scenario in a new PID namespace (needs root, or unprivileged user namespaces): %v", err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		t.Log(l)
	}
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Fatalf("scenario failed: %v", err)
	}
}

// helperPIDReuse runs as PID 1 of a new PID namespace: see
// TestPeerProcessPIDReuse. It prints what it sees, then "ok" or the
// failure.
func helperPIDReuse(args []string) int {
	fail := func(format string, a ...any) int {
		fmt.Printf("FAIL: "+format+"\n", a...)
		return 1
	}
	if os.Getpid() != 1 {
		return fail("not PID 1 of a new namespace (pid %d)", os.Getpid())
	}
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		return fail("%v", err)
	}
	defer os.RemoveAll(dir)
	ln, err := ipc.Listen(filepath.Join(dir, "s"))
	if err != nil {
		return fail("%v", err)
	}
	defer ln.Close()

	// The peer connects and is given a handle.
	peer := selfHelper("peer-hold", ln.Addr().String(), "1")
	peerIn, _ := peer.StdinPipe()
	peerOut, _ := peer.StdoutPipe()
	if err := peer.Start(); err != nil {
		return fail("starting the peer: %v", err)
	}
	if line, _ := readLine(peerOut); line != "held" {
		return fail("peer said %q", line)
	}
	conn, err := ln.AcceptConn()
	if err != nil {
		return fail("%v", err)
	}
	defer conn.Close()
	p, err := conn.PeerProcess()
	if err != nil {
		return fail("PeerProcess: %v", err)
	}
	defer p.Close()
	pid := peer.Process.Pid
	if p.Pid() != pid || !p.Alive() {
		return fail("handle: pid %d alive %v; want %d alive", p.Pid(), p.Alive(), pid)
	}
	fmt.Printf("peer is pid %d\n", pid)

	// It exits and is reaped.
	peerIn.Close()
	if err := peer.Wait(); err != nil {
		return fail("peer: %v", err)
	}

	// A new process takes its PID.
	var squatter *exec.Cmd
	var squatterIn io.WriteCloser
	for try := 1; ; try++ {
		if err := os.WriteFile("/proc/sys/kernel/ns_last_pid", []byte(strconv.Itoa(pid-1)), 0); err != nil {
			return fail("setting the next PID: %v", err)
		}
		cmd := selfHelper("idle")
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			return fail("starting a process: %v", err)
		}
		if line, _ := readLine(out); line != "idle" {
			return fail("process said %q", line)
		}
		if cmd.Process.Pid == pid {
			squatter, squatterIn = cmd, in
			fmt.Printf("pid %d taken over by a new process at try %d\n", pid, try)
			break
		}
		// A thread of this process took the PID first; try again.
		in.Close()
		cmd.Wait()
		if try == 100 {
			return fail("PID %d never came back in 100 tries", pid)
		}
	}

	// The PID now names the new process: the stale credentials, and
	// anything that goes by them, reach it.
	cred, err := conn.PeerCred()
	if err != nil {
		return fail("%v", err)
	}
	if cred.PID != pid {
		return fail("PeerCred PID %d; want %d", cred.PID, pid)
	}
	if err := syscall.Kill(cred.PID, 0); err != nil {
		return fail("kill(%d, 0) = %v; the PID should name the new process", cred.PID, err)
	}
	fmt.Printf("PeerCred still says pid %d, and kill(%d, 0) reaches the new process\n", cred.PID, cred.PID)

	// The handle does not.
	if p.Alive() {
		return fail("the handle says the peer is alive")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Wait(ctx); err != nil {
		return fail("Wait = %v; want nil at once", err)
	}
	if err := p.Signal(syscall.SIGKILL); !errors.Is(err, os.ErrProcessDone) {
		return fail("Signal(SIGKILL) through the handle = %v; want ErrProcessDone", err)
	}
	if p.Pid() != pid {
		return fail("Pid = %d", p.Pid())
	}
	// A handle made now, for a peer that is gone, is no better than that.
	if q, err := conn.PeerProcess(); err == nil {
		if q.Alive() || !errors.Is(q.Signal(syscall.Signal(0)), os.ErrProcessDone) {
			return fail("a new handle for the gone peer reaches the new process")
		}
		q.Close()
		fmt.Println("a new handle for the gone peer reports it gone")
	} else if !errors.Is(err, os.ErrProcessDone) {
		return fail("PeerProcess for the gone peer = %v; want a handle or ErrProcessDone", err)
	} else {
		fmt.Println("PeerProcess for the gone peer reports ErrProcessDone")
	}
	// The new process never got the SIGKILL: it ends normally.
	squatterIn.Close()
	if err := squatter.Wait(); err != nil {
		return fail("the new process: %v; want a normal exit", err)
	}
	fmt.Println("the handle reports the peer gone and never reached the new process")
	fmt.Println("ok")
	return 0
}

// readLine reads one line from r, byte by byte, so nothing after it is
// consumed.
func readLine(r io.Reader) (string, error) {
	var b []byte
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				return string(b), nil
			}
			b = append(b, c[0])
		}
		if err != nil {
			return string(b), err
		}
	}
}

// helperSendInherited takes the connected socket its parent passed under
// token args[0], writes its pid and a message on it, prints "sent" and
// waits for its standard input to close.
func helperSendInherited(args []string) int {
	f, err := ipc.InheritedFile(args[0], "conn")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	c, err := ipc.FileConn(f)
	f.Close()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	if _, err := c.Write([]byte("from the child")); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("sent")
	waitStdin()
	return 0
}

// TestRecvProcess checks that RecvProcess names the sender of each piece
// of data, not the process that connected: the test connects, hands its
// end to a child that writes, then writes itself.
func TestRecvProcess(t *testing.T) {
	recvProcessSupported(t)
	for _, message := range []bool{false, true} {
		t.Run(map[bool]string{false: "stream", true: "message"}[message], func(t *testing.T) {
			ln := listenMsg(t, sockPath(t), message)
			client, err := (&ipc.Dialer{Message: message}).DialContext(context.Background(), ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			srv, err := ln.AcceptConn()
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			buf := make([]byte, 64)
			recv := func(want string, wantPID int) {
				t.Helper()
				n, p, _, err := srv.RecvProcess(buf)
				if err != nil {
					t.Fatal(err)
				}
				if string(buf[:n]) != want {
					t.Fatalf("RecvProcess read %q; want %q", buf[:n], want)
				}
				if p == nil {
					t.Fatalf("no sender for %q", want)
				}
				defer p.Close()
				if p.Pid() != wantPID {
					t.Fatalf("sender of %q: pid %d; want %d", want, p.Pid(), wantPID)
				}
			}
			// The first call turns SO_PASSCRED on; from then on every
			// sender is recorded.
			client.Write([]byte("first"))
			if n, p, _, err := srv.RecvProcess(buf); err != nil || string(buf[:n]) != "first" {
				t.Fatalf("first RecvProcess: %q, %v", buf[:n], err)
			} else if p != nil {
				p.Close()
			}

			f, err := client.File()
			if err != nil {
				t.Fatal(err)
			}
			cmd := helperCommand(t, "send-inherited")
			token, err := ipc.PassFile(cmd, f)
			if err != nil {
				t.Fatal(err)
			}
			cmd.Args = append(cmd.Args, token)
			ch, line := startChild(t, cmd)
			ipc.ReleaseFiles(cmd)
			if line != "sent" {
				t.Fatal(line)
			}
			recv("from the child", ch.cmd.Process.Pid)
			client.Write([]byte("from the test"))
			recv("from the test", os.Getpid())

			// The connection's peer is still the process that connected.
			p, err := srv.PeerProcess()
			if err != nil {
				t.Fatal(err)
			}
			if p.Pid() != os.Getpid() {
				t.Errorf("PeerProcess pid %d; want the test's %d", p.Pid(), os.Getpid())
			}
			p.Close()

			// Plain reads, message reads and file reads are unaffected.
			client.Write([]byte("plain"))
			n, err := srv.Read(buf)
			if err != nil || string(buf[:n]) != "plain" {
				t.Fatalf("Read after RecvProcess: %q, %v", buf[:n], err)
			}
			pr, pw, err := ipc.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pr.Close()
			defer pw.Close()
			client.SendFiles([]byte("x"), pw)
			n, files, _, err := srv.RecvFiles(buf, 1)
			if err != nil || n != 1 || len(files) != 1 {
				t.Fatalf("RecvFiles after RecvProcess: %d, %d files, %v", n, len(files), err)
			}
			files[0].Close()

			ch.finish()
			client.Close()
			if _, p, _, err := srv.RecvProcess(buf); err != io.EOF || p != nil {
				t.Fatalf("RecvProcess at the end = %v, %v; want io.EOF", p, err)
			}
		})
	}
}

// TestRecvProcessFrom checks the sender of a datagram.
func TestRecvProcessFrom(t *testing.T) {
	recvProcessSupported(t)
	path := sockPath(t)
	pc, err := ipc.ListenPacket(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	ch, line := startChild(t, helperCommand(t, "cred-client", "datagram", path))
	if line != "sent" {
		t.Fatal(line)
	}
	buf := make([]byte, 16)
	n, p, from, err := pc.RecvProcessFrom(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("RecvProcessFrom = %q, %v", buf[:n], err)
	}
	if p == nil {
		t.Fatal("no sender")
	}
	defer p.Close()
	if p.Pid() != ch.cmd.Process.Pid || !p.Alive() || from == nil || from.Name == "" {
		t.Errorf("sender pid %d alive %v from %v; want pid %d, alive, named", p.Pid(), p.Alive(), from, ch.cmd.Process.Pid)
	}
	ch.finish()
	if err := p.Wait(context.Background()); err != nil || p.Alive() {
		t.Errorf("after the sender exited: Wait %v, Alive %v", err, p.Alive())
	}
}

var manyGroups, manyGIDs = func() (g []uint32, ids []int) {
	for i := range 100 {
		g = append(g, uint32(5000+i))
		ids = append(ids, 5000+i)
	}
	return g, ids
}()

// TestPeerIdentity checks the supplementary groups and security label that
// PeerCred reports, for a child of this user and for children running as
// nobody with and without supplementary groups, against what the kernel
// says of each process in /proc.
func TestPeerIdentity(t *testing.T) {
	self := func(t *testing.T) *exec.Cmd { return helperCommand(t, "cred-client", "stream", "") }
	nobody := func(groups ...uint32) func(t *testing.T) *exec.Cmd {
		return func(t *testing.T) *exec.Cmd {
			cmd := nobodyCommand(t, "cred-client", "stream", "")
			cmd.SysProcAttr.Credential.Groups = groups
			return cmd
		}
	}
	ownGroups, err := os.Getgroups()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		cmd    func(t *testing.T) *exec.Cmd
		gid    int
		groups []int
	}{
		{"self", self, os.Getegid(), ownGroups},
		{"nobody-with-groups", nobody(4242, 100, 12), 65534, []int{12, 100, 4242}},
		{"nobody-without-groups", nobody(), 65534, []int{}},
		// More than the first buffer holds: the kernel says how much
		// room it needs.
		{"nobody-with-100-groups", nobody(manyGroups...), 65534, manyGIDs},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := sockPath(t)
			os.Chmod(filepath.Dir(path), 0o755)
			ln, err := (&ipc.ListenConfig{Mode: 0o666}).Listen(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			cmd := c.cmd(t)
			cmd.Args[len(cmd.Args)-1] = path
			ch, line := startChild(t, cmd)
			if line != "sent" {
				t.Fatal(line)
			}
			conn, err := ln.AcceptConn()
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			cred, err := conn.PeerCred()
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Sorted(slices.Values(c.groups))
			if os.Getenv("IPC_TEST_EXEC") != "" && cred.Groups == nil {
				t.Logf("%s does not pass SO_PEERGROUPS through: Groups is nil, as documented", os.Getenv("IPC_TEST_EXEC"))
			} else if cred.Groups == nil || !slices.Equal(cred.Groups, want) {
				t.Errorf("Groups = %#v; want %#v", cred.Groups, want)
			}
			// The kernel's own account of the child.
			status, err := os.ReadFile("/proc/" + strconv.Itoa(ch.cmd.Process.Pid) + "/status")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(status), "\n") {
				if f, ok := strings.CutPrefix(l, "Groups:"); ok && cred.Groups != nil {
					var procGroups []int
					for _, g := range strings.Fields(f) {
						n, _ := strconv.Atoi(g)
						procGroups = append(procGroups, n)
					}
					slices.Sort(procGroups)
					if !slices.Equal(procGroups, cred.Groups) && !(len(procGroups) == 0 && len(cred.Groups) == 0) {
						t.Errorf("Groups %v; /proc says %v", cred.Groups, procGroups)
					}
				}
			}
			if cred.GID != c.gid || !cred.InGroup(c.gid) {
				t.Errorf("GID %d, InGroup(%d) %v", cred.GID, c.gid, cred.InGroup(c.gid))
			}
			for _, g := range want {
				if !cred.InGroup(g) && cred.Groups != nil {
					t.Errorf("InGroup(%d) false; Groups %v", g, cred.Groups)
				}
			}
			if cred.InGroup(-1) || cred.InGroup(777777) {
				t.Error("InGroup of a group the peer is not in")
			}
			label, err := os.ReadFile("/proc/" + strconv.Itoa(ch.cmd.Process.Pid) + "/attr/current")
			wantLabel := strings.TrimRight(string(label), "\x00\n")
			if err != nil {
				wantLabel = "" // no security module: EINVAL
			}
			if cred.SecurityLabel != wantLabel {
				t.Errorf("SecurityLabel %q; /proc/<pid>/attr/current says %q (%v)", cred.SecurityLabel, wantLabel, err)
			}
			t.Logf("peer groups %v, security label %q", cred.Groups, cred.SecurityLabel)
			ch.finish()
		})
	}
	var nilCred *ipc.Cred
	if nilCred.InGroup(0) {
		t.Error("nil Cred in group 0")
	}
}
