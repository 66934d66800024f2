// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"unsafe"

	"github.com/ipcgo/ipc"
)

var procGetHandleInformation = syscall.NewLazyDLL("kernel32.dll").NewProc("GetHandleInformation")

// inheritable reports whether handle h has HANDLE_FLAG_INHERIT.
func inheritable(h syscall.Handle) (bool, error) {
	var flags uint32
	r, _, e := procGetHandleInformation.Call(uintptr(h), uintptr(unsafe.Pointer(&flags)))
	if r == 0 {
		return false, e
	}
	return flags&syscall.HANDLE_FLAG_INHERIT != 0, nil
}

// checkPassed checks an inherited handle before InheritedFile: it is open
// and inheritable (it was inherited).
func checkPassed(token string) error {
	v, err := strconv.ParseUint(token, 10, 64)
	if err != nil {
		return err
	}
	inh, err := inheritable(syscall.Handle(v))
	if err != nil {
		return fmt.Errorf("GetHandleInformation: %v", err)
	}
	if !inh {
		return errors.New("not inheritable before InheritedFile")
	}
	return nil
}

// checkPrivate checks that f's handle is not inheritable.
func checkPrivate(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var inh bool
	var herr error
	if err := rc.Control(func(h uintptr) { inh, herr = inheritable(syscall.Handle(h)) }); err != nil {
		return err
	}
	if herr != nil {
		return herr
	}
	if inh {
		return errors.New("inheritable")
	}
	return nil
}

// checkNoOtherInherited has no way to list a process's handles; Go's
// process starts name the handles to inherit, and checkPrivate covers the
// flag.
func checkNoOtherInherited(tokens []string) error { return nil }

// rawCopy copies from handle in to handle out with synchronous ReadFile and
// WriteFile calls, without OVERLAPPED, until the writer is gone.
func rawCopy(in, out string) error {
	rv, err := strconv.ParseUint(in, 10, 64)
	if err != nil {
		return err
	}
	wv, err := strconv.ParseUint(out, 10, 64)
	if err != nil {
		return err
	}
	r, w := syscall.Handle(rv), syscall.Handle(wv)
	buf := make([]byte, 32<<10)
	for {
		var n uint32
		err := syscall.ReadFile(r, buf, &n, nil)
		if err == syscall.ERROR_BROKEN_PIPE {
			return nil
		}
		if err != nil {
			return err
		}
		for b := buf[:n]; len(b) > 0; {
			var m uint32
			if err := syscall.WriteFile(w, b, &m, nil); err != nil {
				return err
			}
			b = b[m:]
		}
	}
}

func processAlive(pid int) bool {
	const _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
	const _STILL_ACTIVE = 259
	h, err := syscall.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer syscall.CloseHandle(h)
	var code uint32
	return syscall.GetExitCodeProcess(h, &code) == nil && code == _STILL_ACTIVE
}

// unusedToken returns a handle value far above any a test process opens.
func unusedToken(t *testing.T) string { return strconv.Itoa(1 << 30) }

func pipeMaxSize(t *testing.T) int { return 1 << 30 }

func TestFifoUnsupported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := ipc.Mkfifo(path, 0o600); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Mkfifo: %v; want errors.ErrUnsupported", err)
	}
	if _, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("OpenFifo: %v; want errors.ErrUnsupported", err)
	}
}

// fileHandle returns the handle under f.
func fileHandle(t testing.TB, f *os.File) syscall.Handle {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var h syscall.Handle
	if err := rc.Control(func(fd uintptr) { h = syscall.Handle(fd) }); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestPipeDACL reads the pipe's DACL back: the current user and SYSTEM,
// nobody else. (Wine stores it but does not enforce it.)
func TestPipeDACL(t *testing.T) {
	r, w := newPipe(t, nil)
	want := "D:P(A;;FA;;;" + ownSID() + ")(A;;FA;;;SY)"
	for _, f := range []*os.File{r, w} {
		if got := pipeDACL(t, fileHandle(t, f)); got != want {
			t.Errorf("DACL of %s = %q; want %q", f.Name(), got, want)
		}
	}
}

// TestPipeNoLeaks checks that creating, passing and closing pipes leaves no handle
// behind.
func TestPipeNoLeaks(t *testing.T) {
	before := handleCount(t)
	for i := 0; i < 200; i++ {
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
	if got := handleCount(t); got != before {
		t.Errorf("handles: %d before, %d after", before, got)
	}
}

// TestPassFileSysProcAttr checks that PassFile keeps the other fields of
// cmd.SysProcAttr, leaves the caller's struct alone and refuses settings
// under which the child could not inherit the handle.
func TestPassFileSysProcAttr(t *testing.T) {
	const createNewProcessGroup = 0x200
	r, w := newPipe(t, nil)
	orig := &syscall.SysProcAttr{CreationFlags: createNewProcessGroup, HideWindow: true}
	cmd := exec.Command("x")
	cmd.SysProcAttr = orig
	tok, err := ipc.PassFile(cmd, w)
	if err != nil {
		t.Fatal(err)
	}
	defer ipc.ReleaseFiles(cmd)
	sp := cmd.SysProcAttr
	if sp.CreationFlags != createNewProcessGroup || !sp.HideWindow {
		t.Errorf("SysProcAttr after PassFile: %+v; the other fields are lost", sp)
	}
	if len(sp.AdditionalInheritedHandles) != 1 || strconv.FormatUint(uint64(sp.AdditionalInheritedHandles[0]), 10) != tok {
		t.Errorf("AdditionalInheritedHandles %v; want the handle %s", sp.AdditionalInheritedHandles, tok)
	}
	if len(orig.AdditionalInheritedHandles) != 0 {
		t.Error("the caller's SysProcAttr was changed")
	}

	for _, sp := range []*syscall.SysProcAttr{{NoInheritHandles: true}, {ParentProcess: 1}} {
		cmd := exec.Command("x")
		cmd.SysProcAttr = sp
		if _, err := ipc.PassFile(cmd, r); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("PassFile with %+v: %v; want EINVAL", sp, err)
		}
	}
}
