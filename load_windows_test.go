// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"unsafe"
)

// processCounts returns this process's handle count (GetProcessHandleCount)
// and thread count (the process's entry in a Toolhelp snapshot).
func processCounts(t *testing.T) (handles, threads int) {
	t.Helper()
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("GetProcessHandleCount")
	self, _ := syscall.GetCurrentProcess()
	var n uint32
	if r, _, err := proc.Call(uintptr(self), uintptr(unsafe.Pointer(&n))); r == 0 {
		t.Fatalf("GetProcessHandleCount: %v", err)
	}
	snap, err := syscall.CreateToolhelp32Snapshot(syscall.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.CloseHandle(snap)
	var e syscall.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = syscall.Process32First(snap, &e); err == nil; err = syscall.Process32Next(snap, &e) {
		if int(e.ProcessID) == os.Getpid() {
			return int(n), int(e.Threads)
		}
	}
	t.Fatalf("this process is not in the snapshot: %v", err)
	return 0, 0
}

// TestManyClientsWindows runs cycles of 2,000 clients, from a child
// process, all connected at once to one listener that echoes, and checks
// that this process's handle and thread counts are flat across the
// cycles: after the second cycle (the first lets the runtime and the
// listener's waiting instances settle) they must not grow.
func TestManyClientsWindows(t *testing.T) {
	const clients, cycles = 2000, 4
	name := uniqueName("ipc-many")
	ln := listen(t, name)
	// served counts the connections whose server side is closed, so that
	// every count is taken with all of a cycle's connections gone.
	var served sync.WaitGroup
	go func() {
		for {
			c, err := ln.AcceptConn()
			if err != nil {
				return
			}
			go func() {
				defer served.Done()
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	var handles, threads [cycles]int
	for i := range cycles {
		served.Add(clients)
		out, err := helperCommand(t, "echo-clients", name, strconv.Itoa(clients), "16").CombinedOutput()
		if err != nil {
			t.Fatalf("cycle %d: clients: %v (%s)", i, err, out)
		}
		served.Wait()
		handles[i], threads[i] = processCounts(t)
	}
	t.Logf("%d clients a cycle: handles %v, threads %v", clients, handles, threads)
	for i := 2; i < cycles; i++ {
		if handles[i] > handles[1] {
			t.Errorf("handles grew from %d after cycle 2 to %d after cycle %d", handles[1], handles[i], i+1)
		}
		if threads[i] > threads[1] {
			t.Errorf("threads grew from %d after cycle 2 to %d after cycle %d", threads[1], threads[i], i+1)
		}
	}
}
