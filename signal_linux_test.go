// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// Real-time signals at both ends of the range and in between reach a child.
func TestRealtimeSignalDelivered(t *testing.T) {
	ns := []int{0, 3, 27, 29}
	if os.Getenv("IPC_TEST_EXEC") != "" {
		// qemu-user (7.2) keeps the two highest host signals for itself
		// and cannot map the guest's 63 and 64: kill gives EINVAL.
		ns = ns[:3]
	}
	var nums []string
	var sigs []syscall.Signal
	for _, n := range ns {
		sig, err := ipc.RealtimeSignal(n)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig.(syscall.Signal))
		nums = append(nums, strconv.Itoa(int(sig.(syscall.Signal))))
	}
	cmd := helperCommand(t, "sig-report", append([]string{"rt", "-"}, nums...)...)
	c, line := startChild(t, cmd)
	parseReady(t, line)
	for _, sig := range sigs {
		if err := ipc.Signal(cmd.Process, sig); err != nil {
			t.Fatal(err)
		}
		if got := readLines(t, c, 1); got[0] != fmt.Sprintf("rt got %d", sig) {
			t.Fatalf("child reported %q; want signal %d", got[0], sig)
		}
	}
	finishQuiet(t, c)
}

// The signals the Go runtime keeps cannot be waited for.
func TestSignalWaiterRejectsRuntimeSignals(t *testing.T) {
	for _, n := range []int{32, 33, 34, 65} {
		if _, err := ipc.NewSignalWaiter(syscall.Signal(n)); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("NewSignalWaiter(%d): %v; want EINVAL", n, err)
		}
	}
}
