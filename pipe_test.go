// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["pipe-echo"] = helperPipeEcho
	helpers["pipe-parent"] = helperPipeParent
	helpers["pipe-wait"] = helperPipeWait
	helpers["pipe-raw-copy"] = helperPipeRawCopy
}

// newPipe returns the ends of an ipc.Pipe, closed at the end of the test.
func newPipe(t testing.TB, pc *ipc.PipeConfig) (r, w *os.File) {
	t.Helper()
	r, w, err := pc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Close()
		w.Close()
	})
	return r, w
}

// pipeData returns n bytes that differ from one seed to another (the
// Windows build has no msg_unix_test.go and its pattern).
func pipeData(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*13+i>>9)
	}
	return b
}

// TestPipeBothWays streams data through four pairs of pipes at once, each
// pair echoing back through a second pipe what arrives on the first.
func TestPipeBothWays(t *testing.T) {
	const pairs, size = 4, 1 << 20
	errc := make(chan error, 3*pairs)
	for i := 0; i < pairs; i++ {
		r1, w1 := newPipe(t, nil)
		r2, w2 := newPipe(t, nil)
		want := pipeData(size, byte(i))
		go func() { // echo r1 -> w2
			_, err := io.Copy(w2, r1)
			w2.Close()
			errc <- err
		}()
		go func() {
			_, err := w1.Write(want)
			w1.Close()
			errc <- err
		}()
		go func() {
			got, err := io.ReadAll(r2)
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("pair %d: echo of %d bytes differs from the %d bytes sent", i, len(got), len(want))
			}
			errc <- err
		}()
	}
	for i := 0; i < 3*pairs; i++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

func TestPipeDeadline(t *testing.T) {
	r, w := newPipe(t, nil)
	buf := make([]byte, 64<<10)

	// A deadline in the past fails at once.
	r.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := r.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read with past deadline: %v; want os.ErrDeadlineExceeded", err)
	}

	// A blocked Read waits for its deadline.
	const d = 50 * time.Millisecond
	start := time.Now()
	r.SetReadDeadline(start.Add(d))
	if _, err := r.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read with future deadline: %v; want os.ErrDeadlineExceeded", err)
	}
	if el := time.Since(start); el < d {
		t.Errorf("Read returned after %v; want at least %v", el, d)
	}

	// A Write that cannot finish fails at its deadline.
	w.SetWriteDeadline(time.Now().Add(d))
	var err error
	for err == nil {
		_, err = w.Write(buf)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write to a full pipe: %v; want os.ErrDeadlineExceeded", err)
	}

	// Without deadlines the pipe works again and nothing was lost.
	r.SetReadDeadline(time.Time{})
	w.SetWriteDeadline(time.Time{})
	if _, err := r.Read(buf[:1]); err != nil {
		t.Fatalf("Read after clearing the deadline: %v", err)
	}
}

// waitParked returns once a goroutine whose stack contains fn is parked in
// state, such as "IO wait" on the runtime poller, so that a test knows that
// a call is really waiting rather than not yet started.
func waitParked(t *testing.T, state, fn string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "["+state) && strings.Contains(g, fn) {
				return
			}
		}
		runtime.Gosched()
	}
}

func blockedRead(f *os.File, errc chan<- error) {
	_, err := f.Read(make([]byte, 1))
	errc <- err
}

func blockedWrite(f *os.File, errc chan<- error) {
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			errc <- err
			return
		}
	}
}

func TestPipeCloseUnblocks(t *testing.T) {
	r, _ := newPipe(t, nil)
	errc := make(chan error)
	go blockedRead(r, errc)
	waitParked(t, "IO wait", "ipc_test.blockedRead")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, os.ErrClosed) {
		t.Errorf("blocked Read after Close: %v; want os.ErrClosed", err)
	}

	_, w := newPipe(t, nil)
	go blockedWrite(w, errc)
	waitParked(t, "IO wait", "ipc_test.blockedWrite")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, os.ErrClosed) {
		t.Errorf("blocked Write after Close: %v; want os.ErrClosed", err)
	}
}

// isBrokenPipe reports whether err is what a write to a pipe without reader
// returns: EPIPE on Unix; ERROR_NO_DATA, or ERROR_BROKEN_PIPE, on Windows.
func isBrokenPipe(err error) bool {
	if runtime.GOOS == "windows" {
		return errors.Is(err, syscall.Errno(232)) || errors.Is(err, syscall.Errno(109))
	}
	return errors.Is(err, syscall.EPIPE)
}

func TestPipeWriteAfterReaderClosed(t *testing.T) {
	r, w := newPipe(t, nil)
	r.Close()
	_, err := w.Write([]byte("x"))
	if !isBrokenPipe(err) {
		t.Fatalf("Write without reader: %v; want a broken pipe error", err)
	}
	// Still alive: no SIGPIPE. Once more for good measure.
	if _, err := w.Write([]byte("x")); !isBrokenPipe(err) {
		t.Fatalf("second Write without reader: %v; want a broken pipe error", err)
	}
}

// TestPipeNoDataLost closes the write end right after a large write: the
// reader must still get every byte, then io.EOF.
func TestPipeNoDataLost(t *testing.T) {
	r, w := newPipe(t, nil)
	want := pipeData(4<<20, 1)
	errc := make(chan error, 1)
	go func() {
		_, err := w.Write(want)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		errc <- err
	}()
	got, err := io.ReadAll(r) // io.ReadAll stops at io.EOF only
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(want))
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("Read after the end: %d, %v; want 0, io.EOF", n, err)
	}
}

func TestPipeBufferSize(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		_, _, err := (&ipc.PipeConfig{BufferSize: 1 << 20}).Pipe()
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("BufferSize on %s: %v; want errors.ErrUnsupported", runtime.GOOS, err)
		}
		return
	}
	r, _ := newPipe(t, nil)
	n, err := ipc.PipeBufferSize(r)
	if err != nil {
		t.Fatal(err)
	}
	if n != 64<<10 {
		t.Errorf("default buffer size %d; want %d", n, 64<<10)
	}

	want := 1 << 20
	if max := pipeMaxSize(t); want > max {
		want = max
	}
	r, w := newPipe(t, &ipc.PipeConfig{BufferSize: want})
	for _, f := range []*os.File{r, w} {
		n, err := ipc.PipeBufferSize(f)
		if err != nil {
			t.Fatal(err)
		}
		if n < want {
			t.Errorf("PipeBufferSize(%s) = %d; want at least the %d asked for", f.Name(), n, want)
		}
	}
	// The writer can now run that far ahead of the reader.
	if _, err := w.Write(make([]byte, want)); err != nil {
		t.Fatal(err)
	}

	_, _, err = (&ipc.PipeConfig{BufferSize: -1}).Pipe()
	var se *os.SyscallError
	if !errors.As(err, &se) || !errors.Is(err, syscall.EINVAL) {
		t.Errorf("BufferSize -1: %v; want an *os.SyscallError wrapping EINVAL", err)
	}

	if _, err := ipc.PipeBufferSize(nil); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("PipeBufferSize(nil): %v; want EINVAL", err)
	}
	r.Close()
	if _, err := ipc.PipeBufferSize(r); !errors.Is(err, os.ErrClosed) {
		t.Errorf("PipeBufferSize of a closed file: %v; want os.ErrClosed", err)
	}
}

// passPipes hands each file to cmd and returns the tokens.
func passPipes(t *testing.T, cmd *exec.Cmd, files ...*os.File) []string {
	t.Helper()
	var tokens []string
	for _, f := range files {
		tok, err := ipc.PassFile(cmd, f)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	return tokens
}

// TestPipeChildEcho sends lines to a child through one pipe and reads them
// back through another; the child inherits the two ends and nothing else.
// When the parent closes its write end, the child sees EOF and exits, and
// the parent then sees EOF too.
func TestPipeChildEcho(t *testing.T) {
	toChild, childIn := newPipe(t, nil) // child reads toChild
	childOut, fromChild := newPipe(t, nil)
	cmd := helperCommand(t, "pipe-echo")
	cmd.Args = append(cmd.Args, passPipes(t, cmd, toChild, fromChild)...)
	c, line := startChild(t, cmd)
	ipc.ReleaseFiles(cmd)
	if line != "ready" {
		t.Fatalf("child: %s", line)
	}

	in := bufio.NewReader(childOut)
	for i := 0; i < 100; i++ {
		msg := fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", i*100))
		if _, err := io.WriteString(childIn, msg); err != nil {
			t.Fatal(err)
		}
		got, err := in.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if got != msg {
			t.Fatalf("echo %q; want %q", got, msg)
		}
	}
	childIn.Close()
	if rest, err := io.ReadAll(in); err != nil || len(rest) != 0 {
		t.Fatalf("after the last echo: %q, %v; want EOF", rest, err)
	}
	c.finish()
}

func helperPipeEcho(args []string) int {
	if err := pipeChildChecks(args, "r", "w"); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	r, err := ipc.InheritedFile(args[0], "r")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	w, err := ipc.InheritedFile(args[1], "w")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	for _, f := range []*os.File{r, w} {
		if err := checkPrivate(f); err != nil {
			fmt.Println("error:", err)
			return 1
		}
	}
	fmt.Println("ready")
	if _, err := io.Copy(w, r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// pipeChildChecks checks, in a child, what it inherited before InheritedFile
// has touched it: each token names an end usable with blocking calls, and
// nothing else was inherited.
func pipeChildChecks(tokens []string, names ...string) error {
	for i, tok := range tokens {
		if err := checkPassed(tok); err != nil {
			return fmt.Errorf("%s (%s): %v", names[i], tok, err)
		}
	}
	return checkNoOtherInherited(tokens)
}

// TestPipeGrandchild checks that an end a child received does not go on to
// the child's own children: the child starts a grandchild that outlives it,
// yet the parent sees EOF as soon as the child has exited.
func TestPipeGrandchild(t *testing.T) {
	r, w := newPipe(t, nil)
	cmd := helperCommand(t, "pipe-parent")
	cmd.Args = append(cmd.Args, passPipes(t, cmd, w)...)
	c, line := startChild(t, cmd)
	ipc.ReleaseFiles(cmd)
	pid, err := strconv.Atoi(strings.TrimPrefix(line, "grandchild "))
	if err != nil {
		t.Fatalf("child: %s", line)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello" {
		t.Fatalf("read %q; want hello", got)
	}
	if !processAlive(pid) {
		t.Fatal("the grandchild exited early: the test proves nothing")
	}
	c.finish() // its standard input, which the grandchild shares, ends it
}

// helperPipeParent starts a grandchild that waits on the shared standard
// input, writes hello to the inherited pipe and exits.
func helperPipeParent(args []string) int {
	w, err := ipc.InheritedFile(args[0], "w")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	gc := helperCommandExe(exe, "pipe-wait")
	gc.Stdin = os.Stdin
	gc.Stderr = nil
	out, err := gc.StdoutPipe()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	if err := gc.Start(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if line != "ready\n" {
		fmt.Printf("error: grandchild: %q, %v\n", line, err)
		return 1
	}
	if _, err := io.WriteString(w, "hello"); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("grandchild", gc.Process.Pid)
	return 0 // exits while the grandchild runs on, holding w only if it leaked
}

// helperPipeWait checks that it inherited nothing beyond standard input,
// output and error, and waits for its standard input to end.
func helperPipeWait(args []string) int {
	if err := checkNoOtherInherited(nil); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	waitStdin()
	return 0
}

// TestPipeEndsPrivate checks that neither end would be inherited by a
// child process.
func TestPipeEndsPrivate(t *testing.T) {
	r, w := newPipe(t, nil)
	for _, f := range []*os.File{r, w} {
		if err := checkPrivate(f); err != nil {
			t.Errorf("%s: %v", f.Name(), err)
		}
	}
}

// TestPipeChildBlocking hands a child, which acts as if it were not a Go
// program, a blocking read end and a blocking write end: it copies one to
// the other with plain blocking system calls. The parent's ends keep their
// deadlines.
func TestPipeChildBlocking(t *testing.T) {
	toChild, childIn := newPipe(t, &ipc.PipeConfig{BlockingRead: true})
	childOut, fromChild := newPipe(t, &ipc.PipeConfig{BlockingWrite: true})
	for _, f := range []*os.File{toChild, fromChild} {
		if err := f.SetReadDeadline(time.Now()); !errors.Is(err, os.ErrNoDeadline) {
			t.Errorf("SetReadDeadline on the blocking end %s: %v; want os.ErrNoDeadline", f.Name(), err)
		}
	}
	cmd := helperCommand(t, "pipe-raw-copy")
	cmd.Args = append(cmd.Args, passPipes(t, cmd, toChild, fromChild)...)
	c, line := startChild(t, cmd)
	ipc.ReleaseFiles(cmd)
	if line != "ready" {
		t.Fatalf("child: %s", line)
	}

	childOut.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := childOut.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read with past deadline: %v; want os.ErrDeadlineExceeded", err)
	}
	childOut.SetReadDeadline(time.Time{})

	want := pipeData(1<<20, 3)
	errc := make(chan error, 1)
	go func() {
		_, err := childIn.Write(want)
		childIn.Close()
		errc <- err
	}()
	got, err := io.ReadAll(childOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("child copied back %d bytes, not the %d sent", len(got), len(want))
	}
	c.finish()
}

// helperPipeRawCopy copies from the inherited end args[0] to args[1] with
// blocking system calls only, as a C program would.
func helperPipeRawCopy(args []string) int {
	if err := pipeChildChecks(args, "in", "out"); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	if err := rawCopy(args[0], args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "raw copy:", err)
		return 1
	}
	return 0
}

func TestPassFileErrors(t *testing.T) {
	r, w := newPipe(t, nil)

	if _, err := ipc.PassFile(nil, r); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("PassFile(nil, f): %v; want EINVAL", err)
	}
	if _, err := ipc.PassFile(exec.Command("x"), nil); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("PassFile(cmd, nil): %v; want EINVAL", err)
	}
	started := helperCommand(t, "pipe-wait")
	c, _ := startChild(t, started)
	if _, err := ipc.PassFile(started, r); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("PassFile of a started command: %v; want EINVAL", err)
	}
	c.finish()

	w.Close()
	_, err := ipc.PassFile(exec.Command("x"), w)
	var pe *os.PathError
	if !errors.As(err, &pe) || !errors.Is(err, os.ErrClosed) {
		t.Errorf("PassFile of a closed file: %v; want an *os.PathError wrapping os.ErrClosed", err)
	}

	for _, tok := range []string{"", "x", "-1", "3x", " 3", "03", "0x10", "99999999999999999999999"} {
		_, err := ipc.InheritedFile(tok, "f")
		if !errors.As(err, &pe) || !errors.Is(err, syscall.EINVAL) {
			t.Errorf("InheritedFile(%q): %v; want an *os.PathError wrapping EINVAL", tok, err)
		}
	}
	// A well-formed token that names nothing open.
	if _, err := ipc.InheritedFile(unusedToken(t), "f"); err == nil || errors.Is(err, syscall.EINVAL) {
		t.Errorf("InheritedFile of a closed token: %v; want EBADF or ERROR_INVALID_HANDLE", err)
	}

	// ReleaseFiles of a command without files, or twice, does nothing.
	ipc.ReleaseFiles(exec.Command("x"))
	cmd := exec.Command("x")
	r2, _ := newPipe(t, nil)
	if _, err := ipc.PassFile(cmd, r2); err != nil {
		t.Fatal(err)
	}
	ipc.ReleaseFiles(cmd)
	ipc.ReleaseFiles(cmd)
	if _, err := r2.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("passed file after ReleaseFiles: %v; want os.ErrClosed", err)
	}
}

// TestPassFileForgotten checks that the parent's copy of a passed file is
// closed once its command has been garbage collected, when ReleaseFiles was
// never called: the reader of a pipe whose write end was passed then gets
// EOF.
func TestPassFileForgotten(t *testing.T) {
	r, w := newPipe(t, nil)
	func() {
		if _, err := ipc.PassFile(exec.Command("x"), w); err != nil {
			t.Fatal(err)
		}
	}()
	eof := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 1))
		eof <- err
	}()
	// A collection finds the command unreachable and queues the cleanup,
	// which runs on its own goroutine; give each round a generous bound.
	for round := 0; ; round++ {
		runtime.GC()
		select {
		case err := <-eof:
			if err != io.EOF {
				t.Fatalf("Read: %v; want io.EOF", err)
			}
			return
		case <-time.After(time.Second):
		}
		if round == 9 {
			t.Fatal("the passed write end was still open after 10 collections")
		}
	}
}
