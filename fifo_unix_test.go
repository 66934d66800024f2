// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["fifo-reader"] = helperFifoReader
	helpers["mkfifo-modes"] = helperMkfifoModes
}

func fifoPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "fifo")
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := fifoPath(t)
	if err := ipc.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMkfifoMode creates FIFOs under umask 077: they get the mode asked
// for all the same. The umask is process-wide, so this test must not run in
// parallel with others that create files.
func TestMkfifoMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	for _, perm := range mkfifoPerms {
		path := fifoPath(t)
		if err := ipc.Mkfifo(path, perm); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != os.ModeNamedPipe|perm {
			t.Errorf("Mkfifo(%v): mode %v; want %v", perm, fi.Mode(), os.ModeNamedPipe|perm)
		}
	}
}

// mkfifoPerms are the modes TestMkfifoMode asks for: some the owner cannot
// read, which Mkfifo must still set for a user who is not root.
var mkfifoPerms = []os.FileMode{0o666, 0o640, 0o777, 0o604, 0o200, 0o022, 0}

// TestMkfifoModeNotRoot runs the modes of TestMkfifoMode as nobody, under
// umask 077 and 477 (the owner's read permission taken too).
func TestMkfifoModeNotRoot(t *testing.T) {
	cmd := nobodyCommand(t, "mkfifo-modes")
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777)
	cmd.Args = append(cmd.Args, dir)
	cmd.Stderr = nil
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "ok\n" {
		t.Fatalf("child as nobody: %v\n%s", err, out)
	}
}

func helperMkfifoModes(args []string) int {
	for _, mask := range []int{0o077, 0o477} {
		syscall.Umask(mask)
		for i, perm := range mkfifoPerms {
			path := filepath.Join(args[0], fmt.Sprintf("fifo-%o-%d", mask, i))
			if err := ipc.Mkfifo(path, perm); err != nil {
				fmt.Printf("umask %o: %v\n", mask, err)
				return 1
			}
			fi, err := os.Lstat(path)
			if err != nil || fi.Mode() != os.ModeNamedPipe|perm {
				fmt.Printf("umask %o, Mkfifo(%v): %v, %v\n", mask, perm, fi.Mode(), err)
				return 1
			}
		}
	}
	fmt.Println("ok")
	return 0
}

func TestMkfifoErrors(t *testing.T) {
	path := mkfifo(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, file} {
		err := ipc.Mkfifo(p, 0o600)
		var pe *os.PathError
		if !errors.As(err, &pe) || pe.Op != "mkfifo" || pe.Path != p || !errors.Is(err, os.ErrExist) {
			t.Errorf("Mkfifo on an existing path: %v; want an mkfifo *os.PathError satisfying os.ErrExist", err)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "data" {
		t.Errorf("the existing file now holds %q, %v", b, err)
	}

	missing := filepath.Join(t.TempDir(), "missing", "fifo")
	if err := ipc.Mkfifo(missing, 0o600); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Mkfifo in a missing directory: %v; want os.ErrNotExist", err)
	}

	p := fifoPath(t)
	for _, perm := range []os.FileMode{os.ModeSetuid | 0o600, os.ModeNamedPipe | 0o600, os.ModeDir} {
		if err := ipc.Mkfifo(p, perm); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("Mkfifo(%v): %v; want EINVAL", perm, err)
		}
	}
	if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rejected Mkfifo left %s behind: %v", p, err)
	}
}

// TestOpenFifoWaitsForReader opens the write side first: it waits, without
// a thread, until the read side is opened.
func TestOpenFifoWaitsForReader(t *testing.T) {
	path := mkfifo(t)
	type result struct {
		f   *os.File
		err error
	}
	wc := make(chan result)
	go func() {
		f, err := ipc.OpenFifo(context.Background(), path, os.O_WRONLY)
		wc <- result{f, err}
	}()
	waitParked(t, "select", "ipc.sleepCtx") // waiting for a reader
	r, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res := <-wc
	if res.err != nil {
		t.Fatal(res.err)
	}
	w := res.f
	defer w.Close()

	if fifoPollableHere() {
		for _, f := range []*os.File{r, w} {
			if err := checkPrivate(f); err != nil {
				t.Errorf("%s: %v", f.Name(), err)
			}
		}
	}
	if _, err := io.WriteString(w, "hello"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if b, err := io.ReadAll(r); err != nil || string(b) != "hello" {
		t.Fatalf("read %q, %v; want hello", b, err)
	}
}

// fifoPollableHere reports whether OpenFifo puts FIFOs on the poller here
// (not on macOS; see OpenFifo).
func fifoPollableHere() bool { return runtime.GOOS != "darwin" && runtime.GOOS != "ios" }

func TestOpenFifoTimeout(t *testing.T) {
	path := mkfifo(t)
	pollerUp(t)
	fds := countFDs(t)
	const d = 50 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	f, err := ipc.OpenFifo(ctx, path, os.O_WRONLY)
	if err == nil {
		f.Close()
		t.Fatal("OpenFifo for writing without a reader succeeded")
	}
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || pe.Path != path ||
		!errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("OpenFifo: %v; want an open *os.PathError matching context.DeadlineExceeded and os.ErrDeadlineExceeded", err)
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Errorf("OpenFifo: %v; want a timeout error", err)
	}
	if el := time.Since(start); el < d {
		t.Errorf("OpenFifo returned after %v; want at least %v", el, d)
	}
	if got := countFDs(t); got != fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
	// The package starts no goroutine that could still be running now.
	// (Counting goroutines would not do: the context's timer runs its
	// cancel function on a goroutine of its own, which may not be done.)
	buf := make([]byte, 1<<20)
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "github.com/ipcgo/ipc.") {
			t.Errorf("goroutine left running in the package:\n%s", g)
		}
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	for _, flag := range []int{os.O_RDONLY, os.O_WRONLY} {
		if _, err := ipc.OpenFifo(ctx, path, flag); !errors.As(err, &pe) || pe.Err != context.Canceled {
			t.Errorf("OpenFifo with a cancelled context: %v; want an *os.PathError wrapping context.Canceled", err)
		}
	}
}

// TestOpenFifoNotFifo refuses everything that is not a FIFO, without
// touching it and without waiting.
func TestOpenFifoNotFifo(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	// A symbolic link is refused even when it leads to a FIFO: only the
	// FIFO's own name is followed to it.
	fifoLink := filepath.Join(dir, "fifolink")
	if err := os.Symlink(mkfifo(t), fifoLink); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{file, dir, sock, link, fifoLink, os.DevNull} {
		for _, flag := range []int{os.O_RDONLY, os.O_WRONLY} {
			f, err := ipc.OpenFifo(context.Background(), path, flag)
			if err == nil {
				f.Close()
				t.Errorf("OpenFifo(%s, %d) succeeded", path, flag)
				continue
			}
			var pe *os.PathError
			if !errors.As(err, &pe) || !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "not a FIFO") {
				t.Errorf("OpenFifo(%s, %d): %v; want an *os.PathError saying not a FIFO", path, flag, err)
			}
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "data" {
		t.Errorf("the regular file now holds %q, %v", b, err)
	}

	for _, path := range []string{link, fifoLink} {
		if _, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("OpenFifo(%s): %v; want it to say symbolic link", path, err)
		}
	}

	path := mkfifo(t)
	for _, flag := range []int{os.O_RDWR, os.O_WRONLY | os.O_CREATE, os.O_RDONLY | syscall.O_NONBLOCK, -1,
		os.O_WRONLY | ipc.WaitForWriter, os.O_RDWR | ipc.WaitForWriter} {
		if _, err := ipc.OpenFifo(context.Background(), path, flag); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("OpenFifo with flag %#x: %v; want EINVAL", flag, err)
		}
	}
	if _, err := ipc.OpenFifo(context.Background(), filepath.Join(dir, "missing"), os.O_WRONLY); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenFifo of a missing path: %v; want os.ErrNotExist", err)
	}
}

// TestOpenFifoSymlinkedDir opens a FIFO through a symbolic link to its
// directory: links before the last component are followed.
func TestOpenFifoSymlinkedDir(t *testing.T) {
	path := mkfifo(t)
	dirLink := filepath.Join(t.TempDir(), "dir")
	if err := os.Symlink(filepath.Dir(path), dirLink); err != nil {
		t.Fatal(err)
	}
	r, err := ipc.OpenFifo(context.Background(), filepath.Join(dirLink, filepath.Base(path)), os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

// TestOpenFifoWaitForWriter opens FIFOs for reading with WaitForWriter:
// OpenFifo waits, parked on the poller, until a writer in another process
// (a shell) has written or has come and gone, and its context ends the
// wait. Without the flag it returns at once.
func TestOpenFifoWaitForWriter(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "android" {
		_, err := ipc.OpenFifo(context.Background(), mkfifo(t), os.O_RDONLY|ipc.WaitForWriter)
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("OpenFifo with WaitForWriter on %s: %v; want errors.ErrUnsupported", runtime.GOOS, err)
		}
		return
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct{ script, want string }{
		{`echo hi > "$1"`, "hi\n"},
		{`: > "$1"`, ""}, // opens and closes without writing
	} {
		path := mkfifo(t)
		type result struct {
			f   *os.File
			err error
		}
		rc := make(chan result, 1)
		go func() {
			f, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY|ipc.WaitForWriter)
			rc <- result{f, err}
		}()
		waitParked(t, "IO wait", "ipc.waitWriter")
		select {
		case res := <-rc:
			t.Fatalf("OpenFifo returned before any writer: %v", res.err)
		default:
		}
		cmd := exec.Command(sh, "-c", tc.script, "sh", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v %s", tc.script, err, out)
		}
		res := <-rc
		if res.err != nil {
			t.Fatal(res.err)
		}
		b, err := io.ReadAll(res.f)
		res.f.Close()
		if err != nil || string(b) != tc.want {
			t.Errorf("%s: read %q, %v", tc.script, b, err)
		}
	}

	// The context ends the wait, with nothing left behind.
	path := mkfifo(t)
	pollerUp(t)
	fds := countFDs(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		f, err := ipc.OpenFifo(ctx, path, os.O_RDONLY|ipc.WaitForWriter)
		if err == nil {
			f.Close()
		}
		errc <- err
	}()
	waitParked(t, "IO wait", "ipc.waitWriter")
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("OpenFifo after cancel: %v; want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = ipc.OpenFifo(ctx, path, os.O_RDONLY|ipc.WaitForWriter)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("OpenFifo past its deadline: %v; want context.DeadlineExceeded and os.ErrDeadlineExceeded", err)
	}
	if got := countFDs(t); got != fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}

	// Without the flag, no writer: Read reports io.EOF at once.
	r, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("Read without a writer = %d, %v; want io.EOF", n, err)
	}
}

func TestOpenFifoDeadlineAndClose(t *testing.T) {
	if !fifoPollableHere() {
		t.Skip("FIFOs are kept off the poller on " + runtime.GOOS)
	}
	path := mkfifo(t)
	r, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w, err := ipc.OpenFifo(context.Background(), path, os.O_WRONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	r.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read with past deadline: %v; want os.ErrDeadlineExceeded", err)
	}
	r.SetReadDeadline(time.Time{})

	errc := make(chan error)
	go blockedRead(r, errc)
	waitParked(t, "IO wait", "ipc_test.blockedRead")
	r.Close()
	if err := <-errc; !errors.Is(err, os.ErrClosed) {
		t.Fatalf("blocked Read after Close: %v; want os.ErrClosed", err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("Write after the reader closed: %v; want EPIPE", err)
	}
}

// TestOpenFifoTwoProcesses sends 64 MiB (8 MiB with -short) through a FIFO
// to a child and compares hashes.
func TestOpenFifoTwoProcesses(t *testing.T) {
	chunk, chunks := 1<<20, volume(64, 8)
	path := mkfifo(t)

	// The writer starts waiting before the reader exists.
	type result struct {
		f   *os.File
		err error
	}
	wc := make(chan result, 1)
	go func() {
		f, err := ipc.OpenFifo(context.Background(), path, os.O_WRONLY)
		wc <- result{f, err}
	}()
	c, line := startChild(t, helperCommand(t, "fifo-reader", path))
	if line != "ready" {
		t.Fatalf("child: %s", line)
	}
	res := <-wc
	if res.err != nil {
		t.Fatal(res.err)
	}
	w := res.f
	defer w.Close()
	// The writer is there: the reader may start.
	if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for i := 0; i < chunks; i++ {
		b := pipeData(chunk, byte(i))
		h.Write(b)
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	got, err := c.out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d %x\n", chunk*chunks, h.Sum(nil)); got != want {
		t.Fatalf("child read %q; want %q", got, want)
	}
	c.finish()
}

// helperFifoReader opens the FIFO args[0] for reading, says ready, waits
// for a line on standard input, then reads to EOF and prints the byte count
// and SHA-256 of what it read.
func helperFifoReader(args []string) int {
	r, err := ipc.OpenFifo(context.Background(), args[0], os.O_RDONLY)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer r.Close()
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, 1<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(n, hex.EncodeToString(h.Sum(nil)))
	waitStdin()
	return 0
}

// TestInheritPollable checks InheritedFile's choice of poller for pipes
// and FIFOs: on a system whose kqueue mishandles FIFOs (macOS) a named
// FIFO stays off the poller, consistently with OpenFifo, while an unnamed
// pipe (st_dev 0 there) goes on it; elsewhere both go on it.
func TestInheritPollable(t *testing.T) {
	for _, c := range []struct{ named, fifos, want bool }{
		{false, true, true},
		{true, true, true},
		{false, false, true},
		{true, false, false},
	} {
		if got := ipc.InheritPollable(c.named, c.fifos); got != c.want {
			t.Errorf("named FIFO %v, FIFOs pollable %v: on the poller %v; want %v", c.named, c.fifos, got, c.want)
		}
	}
}
