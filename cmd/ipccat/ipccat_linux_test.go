// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// need fails the test (it does not skip: CI installs these) when a
// program is missing, naming the Debian package.
func need(t testing.TB, prog, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(prog)
	if err != nil {
		t.Fatalf("%s is needed (Debian package %s): %v", prog, pkg, err)
	}
	return path
}

// These tests drive ipccat with peers nobody here wrote: socat, nc -U
// (netcat-openbsd), curl --unix-socket, Python's socket module and sh.

func resolve(t testing.TB, name string) string {
	t.Helper()
	p, err := ipc.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func noFile(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("%s left behind (Lstat: %v)", path, err)
	}
}

// TestDialSocat: ipccat dials a socat server that echoes through cat. The
// echo ends only if ipccat half-closes on its stdin's end, and ipccat
// exits 0 only once the echo has ended too. -w waits for socat to bind.
func TestDialSocat(t *testing.T) {
	socat := need(t, "socat", "socat")
	name := uniqueName("socat")
	path := resolve(t, name)
	srv := start(t, exec.Command(socat, "UNIX-LISTEN:"+path, "EXEC:cat"))
	c := ipccat(t, "-w", "20s", name)
	c.Stdin = strings.NewReader("hello\nworld\n")
	out, _ := start(t, c).mustExit(0)
	if out != "hello\nworld\n" {
		t.Errorf("ipccat got %q from socat's cat", out)
	}
	srv.mustExit(0)
}

// TestListenNc: ipccat -l serves one nc -U client both ways and exits 0,
// removing its socket file.
func TestListenNc(t *testing.T) {
	nc := need(t, "nc", "netcat-openbsd")
	name := uniqueName("nc")
	srv := start(t, ipccat(t, "-v", "-l", name))
	path := srv.listening()
	if path != resolve(t, name) {
		t.Errorf("listening on %q, want %q", path, resolve(t, name))
	}
	io.WriteString(srv.stdin, "from ipccat\n")
	srv.stdin.Close()
	cl := exec.Command(nc, "-N", "-U", path)
	cl.Stdin = strings.NewReader("from nc\n")
	out, _ := start(t, cl).mustExit(0)
	if out != "from ipccat\n" {
		t.Errorf("nc got %q", out)
	}
	got, _ := srv.mustExit(0)
	if got != "from nc\n" {
		t.Errorf("ipccat got %q", got)
	}
	noFile(t, path)
}

// TestReadmeCurl runs the README's curl recipe as written: an HTTP
// responder made with -lk and -e, and curl given the socket's path by
// ipccat resolve, through sh.
func TestReadmeCurl(t *testing.T) {
	need(t, "curl", "curl")
	readme := readmeSection(t)
	serve := `ipccat -lk myapp -e sh -c 'printf "HTTP/1.0 200 OK\r\n\r\nhello from $IPC_PEER_UID\n"'`
	get := `curl -s --unix-socket "$(ipccat resolve myapp)" http://localhost/`
	for _, r := range []string{serve, get} {
		if !strings.Contains(readme, r) {
			t.Fatalf("README's ipccat section lacks the recipe\n%s", r)
		}
	}
	env := shellEnv(t)
	srv := exec.Command("sh", "-c", "exec "+strings.Replace(serve, "ipccat -lk", "ipccat -v -lk", 1))
	srv.Env = env
	p := start(t, srv)
	p.listening()
	for range 2 {
		cl := exec.Command("sh", "-c", get)
		cl.Env = env
		out, _ := start(t, cl).mustExit(0)
		if want := "hello from " + strconv.Itoa(os.Getuid()) + "\n"; out != want {
			t.Errorf("curl got %q, want %q", out, want)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.mustExit(exitSIGTRM)
	noFile(t, resolve(t, "myapp"))
}

// shellEnv is the environment for running the README's recipes with sh:
// PATH starts with a directory holding an ipccat that runs the test
// binary as the command.
func shellEnv(t testing.TB) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := "#!/bin/sh\nIPCCAT_TEST_MAIN=1 exec " + os.Getenv("IPC_TEST_EXEC") + " '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "ipccat"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// readmeSection returns the README's ipccat section.
func readmeSection(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n## ipccat\n")
	if i < 0 {
		t.Fatal("README.md has no ## ipccat section")
	}
	s = s[i+1:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	return s
}

// TestPythonClient: a Python socket client talks to ipccat -l through
// the path ipccat resolve gives, and sees ipccat's half close.
func TestPythonClient(t *testing.T) {
	py := need(t, "python3", "python3")
	name := uniqueName("py")
	srv := start(t, ipccat(t, "-v", "-l", name))
	path := srv.listening()
	io.WriteString(srv.stdin, "to python\n")
	srv.stdin.Close()
	script := `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"to ipccat\n")
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    data += b
sys.stdout.write(data.decode())
`
	out, _ := start(t, exec.Command(py, "-c", script, path)).mustExit(0)
	if out != "to python\n" {
		t.Errorf("python got %q", out)
	}
	if got, _ := srv.mustExit(0); got != "to ipccat\n" {
		t.Errorf("ipccat got %q", got)
	}
}

// TestMessageSeqpacket: -m against a Python SOCK_SEQPACKET server that
// answers each message with its length: lines go out as messages, and
// messages come back one per line; with --length-prefix, frames.
func TestMessageSeqpacket(t *testing.T) {
	py := need(t, "python3", "python3")
	for _, lp := range []bool{false, true} {
		name := uniqueName("seq")
		path := resolve(t, name)
		script := `
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1])
s.listen(1)
print("ready", file=sys.stderr, flush=True)
c, _ = s.accept()
while True:
    m = c.recv(65536)
    if not m:
        break
    c.send(b"%d:%s" % (len(m), m))
c.close()
`
		srv := start(t, exec.Command(py, "-c", script, path))
		srv.expect("ready")
		args := []string{"-m", name}
		// Python's recv cannot tell an empty message from the end, so
		// none is sent.
		in := "one\ntwo\nthree words"
		want := "3:one\n3:two\n11:three words\n"
		if lp {
			args = []string{"-m", "--length-prefix", name}
			in = frame("a\nb") + frame("xyz")
			want = frame("3:a\nb") + frame("3:xyz")
		}
		c := ipccat(t, args...)
		c.Stdin = strings.NewReader(in)
		out, _ := start(t, c).mustExit(0)
		if out != want {
			t.Errorf("length prefix %v: got %q, want %q", lp, out, want)
		}
		srv.wait()
		os.Remove(path)
	}
}

func frame(s string) string {
	n := len(s)
	return string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + s
}

// TestTCPBridge runs the README's TCP recipe: ipccat -k tcp-listen:PORT
// NAME exposes a local socket, served here by ipccat -lk -e, to nc over
// TCP loopback, for two clients in turn.
func TestTCPBridge(t *testing.T) {
	nc := need(t, "nc", "netcat-openbsd")
	if r := "ipccat -k tcp-listen:8080 myapp"; !strings.Contains(readmeSection(t), r) {
		t.Fatalf("README's ipccat section lacks %q", r)
	}
	name := uniqueName("tcp")
	back := start(t, ipccat(t, "-v", "-lk", name, "-e", "sh", "-c", `read line; echo "got $line from $IPC_PEER_PID"`))
	back.listening()
	bridge := start(t, ipccat(t, "-v", "-k", "tcp-listen:0", name))
	addr := bridge.listening()
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("tcp-listen:0 listens on %q, want 127.0.0.1:PORT", addr)
	}
	for i := range 2 {
		cl := exec.Command(nc, "-N", host, port)
		cl.Stdin = strings.NewReader("ping" + strconv.Itoa(i) + "\n")
		out, _ := start(t, cl).mustExit(0)
		if !strings.HasPrefix(out, "got ping"+strconv.Itoa(i)+" from ") {
			t.Errorf("client %d got %q", i, out)
		}
	}
	bridge.cmd.Process.Signal(os.Interrupt)
	bridge.mustExit(exitSIGINT)
	back.cmd.Process.Signal(syscall.SIGTERM)
	back.mustExit(exitSIGTRM)
	noFile(t, resolve(t, name))
}

// TestExecPeerEnv: -e gives the command the peer's credentials; the
// peer here is this test process.
func TestExecPeerEnv(t *testing.T) {
	name := uniqueName("env")
	srv := start(t, ipccat(t, "-v", "-l", name, "-e", "sh", "-c", `echo "$IPC_PEER_PID $IPC_PEER_UID $IPC_PEER_GID [$IPC_PEER_SID]"`))
	srv.listening()
	c, err := ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	want := strconv.Itoa(os.Getpid()) + " " + strconv.Itoa(os.Geteuid()) + " " + strconv.Itoa(os.Getegid()) + " []\n"
	if string(b) != want {
		t.Errorf("the command printed %q, want %q", b, want)
	}
	c.Close()
	srv.mustExit(0)
}

// TestKeepSerial: -lk with stdio serves nc clients one after another,
// printing what each sends.
func TestKeepSerial(t *testing.T) {
	nc := need(t, "nc", "netcat-openbsd")
	name := uniqueName("serial")
	srv := start(t, ipccat(t, "-v", "-lk", name))
	path := srv.listening()
	for i := range 3 {
		cl := exec.Command(nc, "-N", "-U", path)
		cl.Stdin = strings.NewReader("client" + strconv.Itoa(i) + "\n")
		start(t, cl).mustExit(0)
		srv.expect("closed;")
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	out, _ := srv.mustExit(exitSIGTRM)
	if out != "client0\nclient1\nclient2\n" {
		t.Errorf("ipccat -lk printed %q", out)
	}
	noFile(t, path)
}

// TestErrors: a refused dial and a taken name are one line naming the
// address, status 1, and leave no socket file behind.
func TestErrors(t *testing.T) {
	name := uniqueName("missing")
	_, errs := start(t, ipccat(t, name)).mustExit(1)
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, name) || !strings.Contains(errs, "no such file") {
		t.Errorf("dialing a missing name: stderr %q", errs)
	}
	taken := uniqueName("taken")
	ln, err := ipc.Listen(taken)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, errs = start(t, ipccat(t, "-l", taken)).mustExit(1)
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, taken) {
		t.Errorf("listening on a taken name: stderr %q", errs)
	}
	if _, err := os.Stat(resolve(t, taken)); err != nil {
		t.Errorf("the live listener's socket file: %v", err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	_, errs = start(t, ipccat(t, taken, "-e", "/nonexistent/cmd")).mustExit(1)
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "/nonexistent/cmd") {
		t.Errorf("a command that cannot start: stderr %q", errs)
	}
}

// TestSignal: SIGINT and SIGTERM end a listening ipccat with 130 and 143,
// its socket file removed.
func TestSignal(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		name := uniqueName("sig")
		srv := start(t, ipccat(t, "-v", "-l", name))
		path := srv.listening()
		srv.cmd.Process.Signal(sig)
		want := exitSIGINT
		if sig == syscall.SIGTERM {
			want = exitSIGTRM
		}
		srv.mustExit(want)
		noFile(t, path)
	}
}

// TestLs: ls lists the live and the stale sockets of the private
// directory and nothing else.
func TestLs(t *testing.T) {
	py := need(t, "python3", "python3")
	live := uniqueName("live")
	ln, err := ipc.Listen(live)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stale := uniqueName("stale")
	// Python binds and exits without removing the file.
	start(t, exec.Command(py, "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", resolve(t, stale))).mustExit(0)
	defer os.Remove(resolve(t, stale))
	os.WriteFile(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "notasocket.sock"), nil, 0o600)
	out, _ := start(t, ipccat(t, "ls")).mustExit(0)
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("ls line %q: want NAME STATE PATH", line)
		}
		got[f[0]] = f[1] + " " + f[2]
	}
	if got[live] != "live "+resolve(t, live) {
		t.Errorf("ls shows %s as %q", live, got[live])
	}
	if got[stale] != "stale "+resolve(t, stale) {
		t.Errorf("ls shows %s as %q", stale, got[stale])
	}
	if _, ok := got["notasocket"]; ok {
		t.Errorf("ls lists a regular file")
	}
}

// TestFifo: fifo:PATH as the first address reads the FIFO (written here
// by sh) into a socket; as the second it writes what the socket sends.
func TestFifo(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, p := range []string{in, out} {
		if err := ipc.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	name := uniqueName("fifo")
	srv := start(t, ipccat(t, "-v", "listen:"+name, "fifo:"+out))
	srv.listening()
	cl := start(t, ipccat(t, "fifo:"+in, name))
	sh := exec.Command("sh", "-c", `echo through the fifos > "$1"; cat "$2"`, "sh", in, out)
	got, _ := start(t, sh).mustExit(0)
	if got != "through the fifos\n" {
		t.Errorf("got %q", got)
	}
	cl.mustExit(0)
	srv.mustExit(0)
}

// TestCloseFlag: with -c, the end of stdin closes the connection at once,
// though the server never closes.
func TestCloseFlag(t *testing.T) {
	name := uniqueName("close")
	ln, err := ipc.Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := ipccat(t, "-c", name)
	c.Stdin = strings.NewReader("bye\n")
	p := start(t, c)
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	b, _ := io.ReadAll(bufio.NewReader(sc))
	if string(b) != "bye\n" {
		t.Errorf("server got %q", b)
	}
	p.mustExit(0)
}

// TestCloseFlagPeerFirst: with -c, the server closing ends ipccat at once,
// though its standard input stays open and is never read to its end.
func TestCloseFlagPeerFirst(t *testing.T) {
	name := uniqueName("closepeer")
	ln, err := ipc.Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := start(t, ipccat(t, "-c", name)) // the test holds stdin open
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(sc, "server says bye\n")
	sc.Close()
	<-p.outc
	if got := p.stdout.String(); got != "server says bye\n" {
		t.Errorf("ipccat printed %q", got)
	}
	err = p.cmd.Wait()
	p.exited.Store(true)
	if err != nil {
		t.Errorf("ipccat -c with stdin open: %v", err)
	}
}
