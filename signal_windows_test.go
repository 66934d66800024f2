// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func TestNewProcessGroupWindows(t *testing.T) {
	cmd := exec.Command("cmd")
	ipc.NewProcessGroup(cmd)
	if a := cmd.SysProcAttr; a == nil || a.CreationFlags != syscall.CREATE_NEW_PROCESS_GROUP {
		t.Errorf("nil SysProcAttr: got %+v; want CREATE_NEW_PROCESS_GROUP", a)
	}
	const createNoWindow = 0x08000000
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
	ipc.NewProcessGroup(cmd)
	if a := cmd.SysProcAttr; !a.HideWindow || a.CreationFlags != createNoWindow|syscall.CREATE_NEW_PROCESS_GROUP {
		t.Errorf("got %+v; want HideWindow and both flags", a)
	}
}

// Windows can send only Interrupt (to a group), Kill and 0; everything else
// is ErrUnsupported, and the child survives it.
func TestSignalUnsupportedWindows(t *testing.T) {
	cmd := helperCommand(t, "sig-idle")
	ipc.NewProcessGroup(cmd)
	c, _ := startChild(t, cmd)
	p := cmd.Process
	for _, err := range []error{
		ipc.Signal(p, syscall.SIGTERM),
		ipc.Signal(p, syscall.SIGHUP),
		ipc.Signal(p, syscall.Signal(100)),
		ipc.SignalGroup(p.Pid, os.Kill),
		ipc.SignalGroup(p.Pid, syscall.SIGTERM),
	} {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("got %v; want ErrUnsupported", err)
		}
	}
	for _, sig := range []os.Signal{syscall.SIGHUP, os.Kill, syscall.Signal(40)} {
		if _, err := ipc.NewSignalWaiter(sig); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("NewSignalWaiter(%v): %v; want ErrUnsupported", sig, err)
		}
	}
	if _, err := ipc.NewSignalWaiter(syscall.SIGTERM); err != nil {
		t.Errorf("NewSignalWaiter(SIGTERM): %v", err)
	}
	if err := ipc.Signal(p, syscall.Signal(0)); err != nil {
		t.Errorf("the child is gone after unsupported signals: %v", err)
	}
	c.finish()
}

// A child that has exited but has not been waited for gives ErrProcessDone
// for every signal, before any console event is tried (so also under Wine).
func TestSignalExitedWindows(t *testing.T) {
	cmd := helperCommand(t, "sig-idle")
	ipc.NewProcessGroup(cmd)
	c, _ := startChild(t, cmd)
	c.stdin.Close()
	// Wait for the exit without reaping: cmd.Process keeps its handle,
	// and with it the pid.
	h, err := syscall.OpenProcess(syscall.SYNCHRONIZE, false, uint32(cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	_, err = syscall.WaitForSingleObject(h, syscall.INFINITE)
	syscall.CloseHandle(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []os.Signal{os.Kill, os.Interrupt, syscall.Signal(0)} {
		err := ipc.Signal(cmd.Process, sig)
		var se *os.SyscallError
		if !errors.Is(err, os.ErrProcessDone) || !errors.As(err, &se) {
			t.Errorf("Signal %v to an exited child: %v; want an *os.SyscallError matching ErrProcessDone", sig, err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("the child was killed (%v); it should have exited 0 by itself", err)
	}
}

// A Process literal, which os documents as invalid on Windows (os.Process.Kill
// panics on one), is rejected with an error.
func TestSignalProcessLiteralWindows(t *testing.T) {
	for _, sig := range []os.Signal{os.Kill, os.Interrupt, syscall.Signal(0)} {
		if err := ipc.Signal(&os.Process{Pid: os.Getpid()}, sig); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("Signal %v to a Process literal: %v; want EINVAL", sig, err)
		}
	}
}
