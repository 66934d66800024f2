// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["sig-interrupt"] = helperSigInterrupt
	helpers["sig-idle"] = helperSigIdle
}

// helperSigInterrupt waits for os.Interrupt, then removes the file args[0]
// (its "cleanup") and exits 0. It registers for the signal before it prints
// "ready", so an interrupt sent after that line cannot be missed. It gives
// up when its standard input closes.
func helperSigInterrupt(args []string) int {
	w, err := ipc.NewSignalWaiter(os.Interrupt)
	if err != nil {
		fmt.Println(err)
		return 2
	}
	defer w.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitStdin()
		cancel()
	}()
	fmt.Println("ready")
	sig, err := w.Wait(ctx)
	if err != nil {
		fmt.Println("no signal:", err)
		return 3
	}
	if err := os.Remove(args[0]); err != nil {
		fmt.Println("cleanup:", err)
		return 4
	}
	fmt.Println("got", sig)
	return 0
}

// helperSigIdle prints "ready" and waits for its standard input to close.
func helperSigIdle(args []string) int {
	fmt.Println("ready")
	waitStdin()
	return 0
}

// The parent starts a child in a new process group and asks it to stop with
// os.Interrupt; the child sees the signal through a SignalWaiter, cleans up
// and exits 0. On Windows the interrupt travels as CTRL_BREAK_EVENT.
func TestSignalInterruptChild(t *testing.T) {
	f, err := os.CreateTemp("", "ipc-signal-")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { os.Remove(f.Name()) })

	cmd := helperCommand(t, "sig-interrupt", f.Name())
	ipc.NewProcessGroup(cmd)
	c, line := startChild(t, cmd)
	if line != "ready" {
		t.Fatalf("child said %q; want ready", line)
	}
	if err := ipc.Signal(cmd.Process, os.Interrupt); err != nil {
		if isWine() {
			t.Skipf("Wine cannot deliver console control events (GenerateConsoleCtrlEvent with CTRL_BREAK_EVENT fails, wine.md probe h): %v", err)
		}
		t.Fatal(err)
	}
	line, err = c.out.ReadString('\n')
	if err != nil || line != "got interrupt\n" {
		t.Fatalf("child said %q, %v; want \"got interrupt\"", line, err)
	}
	c.finish()
	if _, err := os.Stat(f.Name()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the child did not clean up: stat: %v", err)
	}
}

// os.Kill terminates a child on every platform (under Wine too), and a child
// that has been waited for gives os.ErrProcessDone.
func TestSignalKill(t *testing.T) {
	cmd := helperCommand(t, "sig-idle")
	startChild(t, cmd)
	p := cmd.Process
	if err := ipc.Signal(p, syscall.Signal(0)); err != nil {
		t.Fatalf("Signal 0 to a running child: %v", err)
	}
	if err := ipc.Signal(p, os.Kill); err != nil {
		t.Fatalf("Signal Kill: %v", err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("Wait after Kill: %v; want an *exec.ExitError", err)
	}
	want := -1 // killed by a signal
	if runtime.GOOS == "windows" {
		want = 1 // TerminateProcess's exit code
	}
	if got := ee.ExitCode(); got != want {
		t.Errorf("exit code %d; want %d", got, want)
	}
	for _, sig := range []os.Signal{os.Kill, os.Interrupt, syscall.Signal(0)} {
		err := ipc.Signal(p, sig)
		if !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("Signal %v after Wait: %v; want os.ErrProcessDone", sig, err)
		}
		var se *os.SyscallError
		if !errors.As(err, &se) {
			t.Errorf("Signal %v after Wait: %T; want an *os.SyscallError", sig, err)
		}
		if runtime.GOOS != "windows" && !errors.Is(err, syscall.ESRCH) {
			t.Errorf("Signal %v after Wait: %v; want ESRCH", sig, err)
		}
	}
}

type fakeSignal struct{}

func (fakeSignal) String() string { return "fake" }
func (fakeSignal) Signal()        {}

// Pids and group IDs that kill(2) or GenerateConsoleCtrlEvent would read as
// "some group" or "everyone", and nil arguments, are rejected before any
// system call.
func TestSignalBadInput(t *testing.T) {
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	defer self.Release()
	inval := []struct {
		name string
		err  error
	}{
		{"nil process", ipc.Signal(nil, os.Interrupt)},
		{"pid 0", ipc.Signal(&os.Process{Pid: 0}, os.Interrupt)},
		{"pid -1", ipc.Signal(&os.Process{Pid: -1}, os.Interrupt)},
		{"pid -5", ipc.Signal(&os.Process{Pid: -5}, os.Interrupt)},
		{"pid MinInt", ipc.Signal(&os.Process{Pid: math.MinInt}, os.Kill)},
		{"nil signal", ipc.Signal(self, nil)},
		{"group 0", ipc.SignalGroup(0, os.Interrupt)},
		{"group 1", ipc.SignalGroup(1, os.Interrupt)},
		{"group -1", ipc.SignalGroup(-1, os.Interrupt)},
		{"group -5", ipc.SignalGroup(-5, os.Interrupt)},
		{"group nil signal", ipc.SignalGroup(os.Getpid(), nil)},
	}
	if strconv.IntSize == 64 {
		// Cut to 32 bits, 2^32+5 would be pid or group 5, and on Unix
		// (pid_t is signed) 2^32-3 would be -3, that is group 3.
		big := []int64{1<<32 + 5, math.MaxInt64}
		if runtime.GOOS != "windows" {
			big = append(big, 1<<32-3, 1<<31)
		}
		for _, n := range big {
			inval = append(inval, struct {
				name string
				err  error
			}{"pid " + strconv.FormatInt(n, 10), ipc.Signal(&os.Process{Pid: int(n)}, os.Kill)}, struct {
				name string
				err  error
			}{"group " + strconv.FormatInt(n, 10), ipc.SignalGroup(int(n), os.Kill)})
		}
	}
	for _, tc := range inval {
		if !errors.Is(tc.err, syscall.EINVAL) {
			t.Errorf("%s: %v; want EINVAL", tc.name, tc.err)
		}
	}
	for _, err := range []error{ipc.Signal(self, fakeSignal{}), ipc.SignalGroup(os.Getpid(), fakeSignal{})} {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("a foreign signal type: %v; want ErrUnsupported", err)
		}
	}
}

func TestRealtimeSignal(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "android" {
		for _, n := range []int{-1, 0, 1} {
			if _, err := ipc.RealtimeSignal(n); !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("RealtimeSignal(%d): %v; want ErrUnsupported", n, err)
			}
		}
		return
	}
	min := 35
	if runtime.GOOS == "android" {
		min = 42 // bionic keeps 32 to 41
	}
	for n, want := range map[int]int{0: min, 1: min + 1, 64 - min: 64} {
		sig, err := ipc.RealtimeSignal(n)
		if err != nil || sig != syscall.Signal(want) {
			t.Errorf("RealtimeSignal(%d) = %v, %v; want signal %d", n, sig, err, want)
		}
	}
	for _, n := range []int{-1, 64 - min + 1, 64 - min + 2, 100, math.MinInt, math.MaxInt} {
		if sig, err := ipc.RealtimeSignal(n); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("RealtimeSignal(%d) = %v, %v; want EINVAL", n, sig, err)
		}
	}
}

func TestWaitSignalContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if sig, err := ipc.WaitSignal(ctx, os.Interrupt); sig != nil || err != context.Canceled {
		t.Errorf("WaitSignal with a cancelled context = %v, %v; want context.Canceled", sig, err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	if sig, err := ipc.WaitSignal(ctx, os.Interrupt); sig != nil || err != context.DeadlineExceeded {
		t.Errorf("WaitSignal past its deadline = %v, %v; want context.DeadlineExceeded", sig, err)
	}

	// Cancelled while waiting.
	w, err := ipc.NewSignalWaiter(os.Interrupt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := w.Wait(ctx)
		done <- err
	}()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Wait cancelled = %v; want context.Canceled", err)
	}
	w.Stop()
	w.Stop() // a second Stop is harmless
	if sig, err := w.Wait(context.Background()); sig != nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Wait after Stop = %v, %v; want net.ErrClosed", sig, err)
	}
}

func TestSignalWaiterBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		sigs []os.Signal
	}{
		{"no signals", nil},
		{"nil signal", []os.Signal{os.Interrupt, nil}},
	} {
		if _, err := ipc.NewSignalWaiter(tc.sigs...); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%s: %v; want EINVAL", tc.name, err)
		}
		if _, err := ipc.WaitSignal(context.Background(), tc.sigs...); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("WaitSignal, %s: %v; want EINVAL", tc.name, err)
		}
	}
	for _, sig := range []os.Signal{os.Kill, fakeSignal{}} {
		_, err := ipc.NewSignalWaiter(sig)
		if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("NewSignalWaiter(%v): %v; want EINVAL or ErrUnsupported", sig, err)
		}
	}
}
