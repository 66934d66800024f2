// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["activated"] = helperActivated
	helpers["activation-env"] = helperActivationEnv
}

// activator returns a command that runs helper "activated" with args under
// systemd-socket-activate with the given options (-l PATH and so on), the
// way systemd starts a socket-activated service. It fails the test if
// systemd-socket-activate is missing: it is the real implementation of the
// protocol, and Debian's systemd package has it.
func activator(t *testing.T, opts []string, args ...string) *exec.Cmd {
	t.Helper()
	sa, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Fatalf("systemd-socket-activate, the reference for socket activation, is not installed "+
			"(Debian: apt-get install systemd; .ci/run installs it): %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	argv := append([]string{}, opts...)
	// The activator passes the service only the variables it is told to.
	argv = append(argv, "-E", "IPC_TEST_HELPER=activated")
	if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" {
		argv = append(argv, "-E", "IPC_TEST_EXEC="+emu, emu)
	}
	argv = append(argv, exe)
	argv = append(argv, args...)
	cmd := exec.Command(sa, argv...)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_TARGET=console", "SYSTEMD_LOG_LEVEL=info")
	return cmd
}

// activation is a running systemd-socket-activate and, once a client has
// come, the helper it became.
type activation struct {
	t      *testing.T
	cmd    *exec.Cmd
	out    *bufio.Reader
	stderr *lockedBuffer
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startActivator starts cmd and waits until it listens on all n sockets,
// which it reports on its standard error.
func startActivator(t *testing.T, cmd *exec.Cmd, n int) *activation {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &activation{t: t, cmd: cmd, out: bufio.NewReader(stdout), stderr: &lockedBuffer{}}
	t.Cleanup(func() {
		if a.cmd.ProcessState == nil {
			a.cmd.Process.Kill()
			a.cmd.Wait()
		}
	})
	errs := bufio.NewReader(stderr)
	for listening := 0; listening < n; {
		line, err := errs.ReadString('\n')
		a.stderr.Write([]byte(line))
		if err != nil {
			t.Fatalf("systemd-socket-activate did not listen: %v\n%s", err, a.stderr)
		}
		if strings.HasPrefix(line, "Listening on ") {
			listening++
		}
	}
	go io.Copy(a.stderr, errs)
	return a
}

// waitFor reads what the activated helper prints up to the line want.
func (a *activation) waitFor(want string) {
	a.t.Helper()
	for {
		l, err := a.out.ReadString('\n')
		if err != nil {
			a.t.Fatalf("reading from the activated helper: %v (got %q)\nits standard error:\n%s", err, l, a.stderr)
		}
		l = strings.TrimSuffix(l, "\n")
		if l == want {
			return
		}
		a.t.Log(l)
		if strings.HasPrefix(l, "FAIL") {
			a.t.Fatal("the activated helper failed")
		}
	}
}

// finish reads the rest of the helper's output, which must end in "ok",
// and waits for it to exit with status 0.
func (a *activation) finish() {
	a.t.Helper()
	rest, _ := io.ReadAll(a.out)
	err := a.cmd.Wait()
	lines := strings.Split(strings.TrimSpace(string(rest)), "\n")
	for _, l := range lines {
		a.t.Log(l)
	}
	if err != nil || lines[len(lines)-1] != "ok" {
		a.t.Fatalf("activated helper: %v\nits standard error:\n%s", err, a.stderr)
	}
}

// TestActivationStream runs the helper as a socket-activated service of a
// stream socket, started by the first client, as systemd does with
// Accept=no.
func TestActivationStream(t *testing.T) {
	testActivationConn(t, "stream", nil)
}

// TestActivationSeqpacket is TestActivationStream for a SOCK_SEQPACKET
// socket, which gives a message-mode listener.
func TestActivationSeqpacket(t *testing.T) {
	testActivationConn(t, "seqpacket", []string{"--seqpacket"})
}

func testActivationConn(t *testing.T, kind string, opts []string) {
	path := sockPath(t)
	a := startActivator(t, activator(t, append(opts, "-l", path), kind, path, strconv.Itoa(os.Getpid())), 1)
	// The first client starts the service; it waits in the socket's queue
	// meanwhile.
	c, err := (&ipc.Dialer{Message: kind == "seqpacket"}).DialContext(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "pong" {
		t.Fatalf("reply %q, %v\n%s", buf[:n], err, a.stderr)
	}
	a.finish()
	// The service stopped; the socket file is the activator's, and stays.
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("socket file after the service closed its listener: %v, %v", fi, err)
	}
}

// TestActivationDatagram runs the helper as a socket-activated service of a
// datagram socket, started by the first datagram.
func TestActivationDatagram(t *testing.T) {
	path := sockPath(t)
	a := startActivator(t, activator(t, []string{"--datagram", "-l", path}, "datagram", path, strconv.Itoa(os.Getpid())), 1)
	p, err := ipc.DialPacket(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Write([]byte("first")); err != nil {
		t.Fatal(err)
	}
	a.waitFor("ready")
	if _, err := p.Write([]byte("second")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := p.Read(buf)
	if err != nil || string(buf[:n]) != "pong" {
		t.Fatalf("reply %q, %v", buf[:n], err)
	}
	a.finish()
	if _, err := os.Lstat(path); err != nil {
		t.Errorf("socket file after the service closed: %v", err)
	}
}

// TestActivationNames passes two named sockets, as FileDescriptorName=
// does in systemd units, and takes them by name.
func TestActivationNames(t *testing.T) {
	one, two := sockPath(t), sockPath(t)
	a := startActivator(t, activator(t, []string{"-l", one, "-l", two, "--fdname=one:two"}, "names", one, two), 2)
	c, err := ipc.Dial(two)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "two" {
		t.Fatalf("the socket named two answered %q, %v\n%s", buf[:n], err, a.stderr)
	}
	a.finish()
}

// helperActivated is the socket-activated service of the tests above:
// args[0] says which, the rest are the socket paths and the test's pid. It
// prints what it checks and, at the end, "ok".
func helperActivated(args []string) int {
	var failed bool
	fail := func(format string, a ...any) {
		fmt.Printf("FAIL: "+format+"\n", a...)
		failed = true
	}
	check := func(what string, err error, target error) {
		if !errors.Is(err, target) {
			fail("%s: %v; want an error matching %v", what, err, target)
			return
		}
		var oe *net.OpError
		if !errors.As(err, &oe) || oe.Op != "activate" {
			fail("%s: %#v; want a *net.OpError with Op activate", what, err)
			return
		}
		fmt.Printf("%s: %v\n", what, err)
	}
	envGone := func() {
		for _, v := range []string{"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"} {
			if val, ok := os.LookupEnv(v); ok {
				fail("%s=%s still set", v, val)
			}
		}
		// A child inherits no descriptor.
		out, err := selfHelper("list-sockets").Output()
		if err != nil || strings.TrimSpace(string(out)) != "sockets: []" {
			fail("a child process inherits %q (%v)", out, err)
		}
	}
	switch args[0] {
	case "stream", "seqpacket":
		path, testPID := args[1], args[2]
		lns, err := ipc.ActivationListeners()
		if err != nil || len(lns) != 1 {
			fail("ActivationListeners = %v, %v", lns, err)
			break
		}
		ln := lns[0]
		wantNet := map[string]string{"stream": "unix", "seqpacket": "unixpacket"}[args[0]]
		if ln.Addr().String() != path || ln.Addr().Network() != wantNet {
			fail("Addr %s %q; want %s %q", ln.Addr().Network(), ln.Addr(), wantNet, path)
		}
		envGone()
		again, err := ipc.ActivationListeners()
		if err != nil || len(again) != 1 || again[0] != ln {
			fail("a second ActivationListeners gave %v, %v; want the same listener", again, err)
		}
		if byName, err := ipc.ActivationListener("unknown"); err != nil || byName != ln {
			fail(`ActivationListener("unknown") (no names given) = %v, %v`, byName, err)
		}
		_, err = ipc.ActivationPacketConns()
		check("ActivationPacketConns with only a listener", err, os.ErrNotExist)
		_, err = ipc.ActivationPacketConn("unknown")
		check(`ActivationPacketConn("unknown"), a listener`, err, syscall.EPROTOTYPE)

		// The client that started the service waits in the queue.
		c, err := ln.AcceptConn()
		if err != nil {
			fail("Accept: %v", err)
			break
		}
		cred, err := c.PeerCred()
		if err != nil || strconv.Itoa(cred.PID) != testPID {
			fail("PeerCred %+v, %v; want pid %s", cred, err, testPID)
		}
		buf := make([]byte, 64)
		var n int
		if args[0] == "seqpacket" {
			n, _, err = c.ReadMsg(buf)
		} else {
			n, err = c.Read(buf)
		}
		if err != nil || string(buf[:n]) != "ping" {
			fail("read %q, %v", buf[:n], err)
		}
		c.Write([]byte("pong"))
		c.Close()

		// Deadlines, and Close unblocking Accept.
		ln.SetDeadline(time.Now())
		_, err = ln.AcceptConn()
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			fail("Accept past its deadline: %v", err)
		}
		ln.SetDeadline(time.Time{})
		accepted := make(chan error, 1)
		go func() {
			_, err := ln.AcceptConn()
			accepted <- err
		}()
		if err := ln.Close(); err != nil {
			fail("Close: %v", err)
		}
		if err := <-accepted; !errors.Is(err, net.ErrClosed) {
			fail("Accept ended by Close: %v", err)
		}
		if _, err := os.Lstat(path); err != nil {
			fail("Close removed the activator's socket file: %v", err)
		}
	case "datagram":
		path, testPID := args[1], args[2]
		pcs, err := ipc.ActivationPacketConns()
		if err != nil || len(pcs) != 1 {
			fail("ActivationPacketConns = %v, %v", pcs, err)
			break
		}
		pc := pcs[0]
		if pc.LocalAddr().String() != path || pc.LocalAddr().Network() != "unixgram" {
			fail("LocalAddr %s %q; want unixgram %q", pc.LocalAddr().Network(), pc.LocalAddr(), path)
		}
		envGone()
		_, err = ipc.ActivationListeners()
		check("ActivationListeners with only a datagram socket", err, os.ErrNotExist)
		_, err = ipc.ActivationListener("unknown")
		check(`ActivationListener("unknown"), a datagram socket`, err, syscall.EPROTOTYPE)
		buf := make([]byte, 64)
		// The datagram that started the service waits in the queue; it
		// came before the service could ask for credentials.
		n, _, err := pc.ReadFrom(buf)
		if err != nil || string(buf[:n]) != "first" {
			fail("first datagram %q, %v", buf[:n], err)
		}
		fmt.Println("ready")
		n, cred, from, err := pc.RecvCredFrom(buf)
		if err != nil || string(buf[:n]) != "second" || cred == nil || strconv.Itoa(cred.PID) != testPID {
			fail("second datagram %q from %+v, %v; want from pid %s", buf[:n], cred, err, testPID)
		} else if _, err := pc.WriteTo([]byte("pong"), from); err != nil {
			fail("reply: %v", err)
		}
		pc.SetReadDeadline(time.Now())
		if _, _, err := pc.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
			fail("ReadFrom past its deadline: %v", err)
		}
		if err := pc.Close(); err != nil {
			fail("Close: %v", err)
		}
		if _, err := os.Lstat(path); err != nil {
			fail("Close removed the activator's socket file: %v", err)
		}
	case "names":
		one, two := args[1], args[2]
		l2, err := ipc.ActivationListener("two")
		if err != nil || l2.Addr().String() != two {
			fail(`ActivationListener("two") = %v, %v; want %s`, l2, err, two)
			break
		}
		l1, err := ipc.ActivationListener("one")
		if err != nil || l1.Addr().String() != one {
			fail(`ActivationListener("one") = %v, %v; want %s`, l1, err, one)
		}
		_, err = ipc.ActivationListener("three")
		check(`ActivationListener("three")`, err, os.ErrNotExist)
		if err != nil && !strings.Contains(err.Error(), `"one", "two"`) {
			fail("the error does not list the names: %v", err)
		}
		lns, err := ipc.ActivationListeners()
		if err != nil || len(lns) != 2 || lns[0] != l1 || lns[1] != l2 {
			fail("ActivationListeners = %v, %v; want [one two] as taken by name", lns, err)
		}
		envGone()
		c, err := l2.AcceptConn()
		if err != nil {
			fail("Accept: %v", err)
			break
		}
		c.Write([]byte("two"))
		c.Close()
		l1.Close()
		l2.Close()
	}
	if failed {
		return 1
	}
	fmt.Println("ok")
	return 0
}

// envCase is one hand-made environment for the activation protocol's
// error cases.
type envCase struct {
	name  string
	files func(t *testing.T) []*os.File // descriptors 3, 4, ...
	env   []string                      // LISTEN_PID is this process's unless given
}

// TestActivationErrors sets the protocol's variables by hand, as a service
// manager would, for the cases a real manager should not produce: the
// sockets were meant for another process, descriptors that are not sockets,
// or not Unix domain sockets, or not listening, too few descriptors,
// malformed variables; and the mixed and ambiguous sets that only the
// by-name functions can take apart. The helper checks each case and prints
// "ok".
func TestActivationErrors(t *testing.T) {
	unixListener := func(t *testing.T) *os.File {
		ln := listen(t, sockPath(t))
		f, err := ln.File()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	datagram := func(t *testing.T) *os.File {
		pc, err := ipc.ListenPacket(sockPath(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pc.Close() })
		f, err := pc.File()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	regular := func(t *testing.T) *os.File {
		f, err := os.CreateTemp(t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	tcp := func(t *testing.T) *os.File {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		f, err := ln.(*net.TCPListener).File()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	connected := func(t *testing.T) *os.File {
		a, b, err := ipc.ConnPair(false)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		defer b.Close()
		f, err := a.File()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	files := func(fs ...func(*testing.T) *os.File) func(*testing.T) []*os.File {
		return func(t *testing.T) []*os.File {
			var out []*os.File
			for _, f := range fs {
				out = append(out, f(t))
			}
			return out
		}
	}
	for _, c := range []envCase{
		{"unset", files(unixListener), nil},
		{"wrong-pid", files(unixListener), []string{"LISTEN_PID=" + strconv.Itoa(os.Getpid()), "LISTEN_FDS=1"}},
		{"bad-pid", files(unixListener), []string{"LISTEN_PID=12x", "LISTEN_FDS=1"}},
		{"bad-fds", files(unixListener), []string{"LISTEN_FDS=-1"}},
		{"bad-names", files(unixListener), []string{"LISTEN_FDS=1", "LISTEN_FDNAMES=a:b"}},
		// The Go runtime opens the cgroup's CPU limits at start, into the
		// lowest free descriptors, and keeps them open, unless told not
		// to follow them.
		{"too-few", files(unixListener), []string{"LISTEN_FDS=2", "GODEBUG=containermaxprocs=0,updatemaxprocs=0"}},
		{"too-few-any", files(unixListener), []string{"LISTEN_FDS=2"}},
		{"not-socket", files(regular), []string{"LISTEN_FDS=1"}},
		{"tcp", files(tcp), []string{"LISTEN_FDS=1", "LISTEN_FDNAMES=web"}},
		{"connected", files(connected), []string{"LISTEN_FDS=1"}},
		{"mixed", files(unixListener, datagram, tcp), []string{"LISTEN_FDS=3", "LISTEN_FDNAMES=api:log:web"}},
		{"ambiguous", files(unixListener, unixListener), []string{"LISTEN_FDS=2", "LISTEN_FDNAMES=x:x"}},
		{"none", nil, []string{"LISTEN_FDS=0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var fs []*os.File
			if c.files != nil {
				fs = c.files(t)
			}
			exe, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			argv := []string{exe, c.name}
			if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" {
				argv = append([]string{emu}, argv...)
			}
			// The shell sets LISTEN_PID to its own PID, which the helper
			// keeps across exec, as a service manager does.
			setPID := `LISTEN_PID=$$; export LISTEN_PID; `
			for _, e := range c.env {
				if strings.HasPrefix(e, "LISTEN_PID=") {
					setPID = ""
				}
			}
			if c.env == nil {
				setPID = ""
			}
			cmd := exec.Command("/bin/sh", append([]string{"-c", setPID + `exec "$@"`, "sh"}, argv...)...)
			cmd.Env = append(os.Environ(), "IPC_TEST_HELPER=activation-env")
			cmd.Env = append(cmd.Env, c.env...)
			cmd.ExtraFiles = fs
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			for _, f := range fs {
				f.Close()
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			for _, l := range lines {
				t.Log(l)
			}
			if err != nil || lines[len(lines)-1] != "ok" {
				t.Fatalf("helper: %v", err)
			}
		})
	}
}

// helperActivationEnv checks one case of TestActivationErrors (args[0]).
func helperActivationEnv(args []string) int {
	var failed bool
	fail := func(format string, a ...any) {
		fmt.Printf("FAIL: "+format+"\n", a...)
		failed = true
	}
	// expect checks err against target and that the message says it.
	expect := func(what string, err error, target error, says string) {
		var oe *net.OpError
		switch {
		case !errors.Is(err, target):
			fail("%s: %v; want an error matching %v", what, err, target)
		case !errors.As(err, &oe) || oe.Op != "activate":
			fail("%s: %#v; want a *net.OpError with Op activate", what, err)
		case !strings.Contains(err.Error(), says):
			fail("%s: %q does not say %q", what, err, says)
		default:
			fmt.Printf("%s: %v\n", what, err)
		}
	}
	cloexec := func(fd int) bool {
		flags, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
		return e == 0 && flags&syscall.FD_CLOEXEC != 0
	}
	_, err := ipc.ActivationListeners()
	first := err
	for _, v := range []string{"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"} {
		if val, ok := os.LookupEnv(v); ok {
			fail("%s=%s still set", v, val)
		}
	}
	switch args[0] {
	case "unset":
		expect("no variables", err, os.ErrNotExist, "not socket-activated")
		if cloexec(3) {
			fail("descriptor 3, not passed by the protocol, was made close-on-exec")
		}
	case "wrong-pid":
		expect("LISTEN_PID of another process", err, os.ErrNotExist, "another process")
		if cloexec(3) {
			fail("another process's descriptor 3 was made close-on-exec")
		}
		var st syscall.Stat_t
		if syscall.Fstat(3, &st) != nil {
			fail("another process's descriptor 3 was closed")
		}
	case "bad-pid":
		expect("malformed LISTEN_PID", err, syscall.EINVAL, `"12x"`)
	case "bad-fds":
		expect("negative LISTEN_FDS", err, syscall.EINVAL, `"-1"`)
	case "bad-names":
		expect("two names for one descriptor", err, syscall.EINVAL, "2 names")
	case "too-few":
		expect("LISTEN_FDS=2 with one descriptor", err, syscall.EBADF, "descriptor 4 is not open")
		if !cloexec(3) {
			fail("descriptor 3 was not made close-on-exec")
		}
	case "too-few-any":
		// Without GOMAXPROCS the runtime opens the cgroup's CPU limits at
		// start, into descriptor 4: the gap is filled, but not with a
		// socket.
		if !errors.Is(err, syscall.EBADF) && !errors.Is(err, syscall.ENOTSOCK) || err == nil ||
			!strings.Contains(err.Error(), "descriptor 4") {
			fail("LISTEN_FDS=2 with one descriptor: %v; want an error about descriptor 4", err)
		} else {
			fmt.Println("LISTEN_FDS=2 with one descriptor:", err)
		}
	case "not-socket":
		expect("a regular file", err, syscall.ENOTSOCK, "descriptor 3")
		if !cloexec(3) {
			fail("descriptor 3 was not made close-on-exec")
		}
	case "tcp":
		expect("a TCP socket", err, syscall.EAFNOSUPPORT, "TCP")
		_, err = ipc.ActivationListener("web")
		expect(`ActivationListener("web"), the TCP socket`, err, syscall.EAFNOSUPPORT, `"web"`)
	case "connected":
		expect("a connected socket", err, syscall.EINVAL, "not listening")
	case "mixed":
		// The listeners would leave out the datagram socket, but the TCP
		// socket cannot be served: the by-name functions take them apart.
		expect("ActivationListeners over a TCP socket", err, syscall.EAFNOSUPPORT, `descriptor 5 (named "web")`)
		_, err = ipc.ActivationPacketConns()
		expect("ActivationPacketConns over a TCP socket", err, syscall.EAFNOSUPPORT, `descriptor 5 (named "web")`)
		ln, err := ipc.ActivationListener("api")
		if err != nil || ln.Addr().Network() != "unix" {
			fail(`ActivationListener("api") = %v, %v`, ln, err)
		}
		pc, err := ipc.ActivationPacketConn("log")
		if err != nil || pc.LocalAddr().Network() != "unixgram" {
			fail(`ActivationPacketConn("log") = %v, %v`, pc, err)
		}
		_, err = ipc.ActivationListener("log")
		expect(`ActivationListener("log")`, err, syscall.EPROTOTYPE, "ActivationPacketConn")
		_, err = ipc.ActivationPacketConn("api")
		expect(`ActivationPacketConn("api")`, err, syscall.EPROTOTYPE, "ActivationListener")
		for fd := 3; fd <= 5; fd++ {
			if !cloexec(fd) {
				fail("descriptor %d was not made close-on-exec", fd)
			}
		}
	case "ambiguous":
		lns, err := ipc.ActivationListeners()
		if err != nil || len(lns) != 2 {
			fail("ActivationListeners = %v, %v", lns, err)
		}
		_, err = ipc.ActivationListener("x")
		expect(`ActivationListener("x") for two`, err, syscall.EINVAL, "several")
	case "none":
		expect("LISTEN_FDS=0", err, os.ErrNotExist, "among the 0 passed")
	}
	// Whatever happened, the outcome is the same the second time.
	if _, again := ipc.ActivationListeners(); (again == nil) != (first == nil) || again != nil && again.Error() != first.Error() {
		fail("a second call gave %v after %v", again, first)
	}
	if failed {
		return 1
	}
	fmt.Println("ok")
	return 0
}
