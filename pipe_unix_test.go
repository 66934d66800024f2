// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["pipe-stdclosed"] = helperPipeStdClosed
	if os.Getenv("IPC_TEST_HELPER") == "" {
		// The test process itself may have inherited descriptors without
		// close-on-exec from whatever started it; every child inherits
		// those too. Tell the children which they are.
		os.Setenv("IPC_TEST_AMBIENT_FDS", strings.Join(inheritedFDs(), ","))
	}
}

// inheritedFDs lists the descriptors above 2 that are not close-on-exec.
func inheritedFDs() []string {
	var fds []string
	for fd := 3; fd < 1024; fd++ {
		if fdf, err := fcntl(fd, syscall.F_GETFD); err == nil && fdf&syscall.FD_CLOEXEC == 0 {
			fds = append(fds, strconv.Itoa(fd))
		}
	}
	return fds
}

// fcntl returns the result of fcntl(fd, cmd, 0).
func fcntl(fd, cmd int) (int, error) {
	r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), uintptr(cmd), 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// checkPassed checks an inherited descriptor before InheritedFile: open,
// not close-on-exec (it was inherited) and blocking, for children that are
// not Go programs.
func checkPassed(token string) error {
	fd, err := strconv.Atoi(token)
	if err != nil {
		return err
	}
	fdf, err := fcntl(fd, syscall.F_GETFD)
	if err != nil {
		return fmt.Errorf("F_GETFD: %v", err)
	}
	fl, err := fcntl(fd, syscall.F_GETFL)
	if err != nil {
		return fmt.Errorf("F_GETFL: %v", err)
	}
	if fdf&syscall.FD_CLOEXEC != 0 {
		return errors.New("close-on-exec before InheritedFile")
	}
	if fl&syscall.O_NONBLOCK != 0 {
		return errors.New("non-blocking: a child that is not a Go program would get EAGAIN")
	}
	return nil
}

// checkPrivate checks that f is close-on-exec and non-blocking.
func checkPrivate(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var fdf, fl int
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		if fdf, ferr = fcntl(int(fd), syscall.F_GETFD); ferr == nil {
			fl, ferr = fcntl(int(fd), syscall.F_GETFL)
		}
	}); err != nil {
		return err
	}
	if ferr != nil {
		return ferr
	}
	if fdf&syscall.FD_CLOEXEC == 0 {
		return errors.New("not close-on-exec")
	}
	if fl&syscall.O_NONBLOCK == 0 {
		return errors.New("blocking")
	}
	return nil
}

// checkNoOtherInherited reports a descriptor above 2 that is not one of
// tokens and was inherited: in a freshly started process every descriptor
// the Go runtime opened is close-on-exec, so any other one came from the
// parent. Those that the test process itself inherited are ignored.
func checkNoOtherInherited(tokens []string) error {
	ambient := strings.Split(os.Getenv("IPC_TEST_AMBIENT_FDS"), ",")
	var leaked []string
	for _, fd := range inheritedFDs() {
		if !contains(tokens, fd) && !contains(ambient, fd) {
			leaked = append(leaked, fd)
		}
	}
	if leaked != nil {
		return fmt.Errorf("inherited descriptors %s besides %v", strings.Join(leaked, ", "), tokens)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rawCopy copies from descriptor in to descriptor out with blocking read
// and write calls until EOF.
func rawCopy(in, out string) error {
	rfd, err := strconv.Atoi(in)
	if err != nil {
		return err
	}
	wfd, err := strconv.Atoi(out)
	if err != nil {
		return err
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := syscall.Read(rfd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		for b := buf[:n]; len(b) > 0; {
			m, err := syscall.Write(wfd, b)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return err
			}
			b = b[m:]
		}
	}
}

func processAlive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// unusedToken returns a descriptor number that is not open.
func unusedToken(t *testing.T) string {
	const fd = 1<<20 - 1
	if _, err := fcntl(fd, syscall.F_GETFD); err == nil {
		t.Fatalf("descriptor %d is open", fd)
	}
	return strconv.Itoa(fd)
}

// pipeMaxSize returns the largest pipe buffer size allowed.
func pipeMaxSize(t *testing.T) int {
	if runtime.GOOS != "linux" {
		return 1 << 30
	}
	b, err := os.ReadFile("/proc/sys/fs/pipe-max-size")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPipeStdClosed checks, in a child with descriptors 1 and 2 closed,
// that neither pipe end lands on them, where package os would turn EPIPE
// into a fatal SIGPIPE.
func TestPipeStdClosed(t *testing.T) {
	cmd := helperCommand(t, "pipe-stdclosed")
	cmd.Stderr = nil
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v (output %q)", err, out)
	}
}

func helperPipeStdClosed(args []string) int {
	os.Stdout.Close()
	os.Stderr.Close()
	r, w, err := ipc.Pipe()
	if err != nil {
		return 3
	}
	for _, f := range []*os.File{r, w} {
		rc, _ := f.SyscallConn()
		var low bool
		rc.Control(func(fd uintptr) { low = fd <= 2 })
		if low {
			return 4
		}
	}
	r.Close()
	if _, err := w.Write([]byte("x")); !errors.Is(err, syscall.EPIPE) {
		return 5
	}
	return 0
}

// pollerUp makes sure that the runtime's poller, which opens descriptors of
// its own when first used, is running, so that tests that count
// descriptors do not count those.
func pollerUp(t *testing.T) {
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	w.Close()
}

// TestPipeNoLeaks checks that creating, passing and closing pipes leaves no
// descriptor behind.
func TestPipeNoLeaks(t *testing.T) {
	pollerUp(t)
	fds := countFDs(t)
	for i := 0; i < 1000; i++ {
		r, w, err := ipc.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		// Passing and releasing w closes it, and the duplicate on Windows.
		cmd := exec.Command("x")
		if _, err := ipc.PassFile(cmd, w); err != nil {
			t.Fatal(err)
		}
		ipc.ReleaseFiles(cmd)
		r.Close()
	}
	if got := countFDs(t); got != fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
}

// TestInheritedFileModes takes up descriptors as a child would: each
// becomes close-on-exec; a pipe becomes non-blocking, a regular file keeps
// its blocking mode.
func TestInheritedFileModes(t *testing.T) {
	file, err := os.CreateTemp(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, tc := range []struct {
		f        *os.File
		nonblock bool
	}{{file, false}, {r, true}} {
		// A plain dup is neither close-on-exec nor, for the pipe, non-blocking
		// once os.File.Fd has made it blocking: what a child inherits.
		fd, err := syscall.Dup(int(tc.f.Fd()))
		if err != nil {
			t.Fatal(err)
		}
		f, err := ipc.InheritedFile(strconv.Itoa(fd), "inherited")
		if err != nil {
			syscall.Close(fd)
			t.Fatal(err)
		}
		fdf, _ := fcntl(fd, syscall.F_GETFD)
		fl, _ := fcntl(fd, syscall.F_GETFL)
		if fdf&syscall.FD_CLOEXEC == 0 {
			t.Errorf("%s: not close-on-exec", tc.f.Name())
		}
		if got := fl&syscall.O_NONBLOCK != 0; got != tc.nonblock {
			t.Errorf("%s: non-blocking %v; want %v", tc.f.Name(), got, tc.nonblock)
		}
		f.Close()
	}
}
