// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["many-clients"] = helperManyClients
}

// helperManyClients connects args[1] clients at once to the echo server at
// args[0], each exchanging 16 bytes; a client waits up to two minutes for
// a free pipe instance, since with thousands dialling at once the last
// ones wait for all before them to be accepted.
func helperManyClients(args []string) int {
	n, _ := strconv.Atoi(args[1])
	errc := make(chan error, n)
	d := ipc.Dialer{Timeout: 2 * time.Minute}
	for i := range n {
		go func() {
			c, err := d.DialContext(context.Background(), args[0])
			if err != nil {
				errc <- err
				return
			}
			defer c.Close()
			errc <- echoExchange(c, 16, uint64(i))
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			fmt.Println("error:", err)
			return 1
		}
	}
	return 0
}

// processCounts returns this process's handle count and thread count.
// Handles are counted by asking GetHandleInformation about every handle
// value up to 1<<16 (Wine's GetProcessHandleCount reports 0); threads
// from the process's entry in a Toolhelp snapshot.
func processCounts(t *testing.T) (handles, threads int) {
	t.Helper()
	info := syscall.NewLazyDLL("kernel32.dll").NewProc("GetHandleInformation")
	var flags uint32
	for h := uintptr(4); h < 1<<16; h += 4 {
		if r, _, _ := info.Call(h, uintptr(unsafe.Pointer(&flags))); r != 0 {
			handles++
		}
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
			return handles, int(e.Threads)
		}
	}
	t.Fatalf("this process is not in the snapshot: %v", err)
	return 0, 0
}

// TestManyClientsWindows runs cycles of 2,000 clients, from a child
// process, all dialling at once one listener that echoes, and checks that
// this process's handle and thread counts are flat across the cycles:
// from the end of the second cycle (the first lets the runtime and the
// listener's waiting instances settle) to the end of the last, they may
// grow by at most 8 handles and 2 threads in all, the runtime adding an
// OS thread now and then; a leak of one handle or thread per connection,
// or per hundred, would exceed that many times over.
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
		cmd := helperCommand(t, "many-clients", name, strconv.Itoa(clients))
		cmd.Stderr = nil
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("cycle %d: clients: %v (%s)", i, err, out)
		}
		served.Wait()
		handles[i], threads[i] = processCounts(t)
	}
	t.Logf("%d clients a cycle: handles %v, threads %v", clients, handles, threads)
	last := cycles - 1
	if d := handles[last] - handles[1]; d > 8 {
		t.Errorf("handles grew by %d from the second cycle to the last: %v", d, handles)
	}
	if d := threads[last] - threads[1]; d > 2 {
		t.Errorf("threads grew by %d from the second cycle to the last: %v", d, threads)
	}
}
