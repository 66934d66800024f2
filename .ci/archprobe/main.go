// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Command archprobe is the program .ci/arch.sh runs to decide how this
// machine can run binaries of one GOARCH: directly, or under a qemu user
// emulator. It prints "archprobe GOOS/GOARCH ok" and exits 0 only after it
// has done what the package's tests do to the runtime: threads that the
// scheduler preempts with signals, a signal sent to itself and received
// through os/signal, and a child process (itself again, one level deep).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

func main() {
	if os.Getenv("ARCHPROBE_CHILD") == "" {
		if err := child(); err != nil {
			fail(err)
		}
	}

	// Busy goroutines on every P for a while: sysmon preempts them with
	// SIGURG, which is what a broken emulator mishandles first.
	var wg sync.WaitGroup
	stop := time.Now().Add(300 * time.Millisecond)
	for i := 0; i < 2*runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := 0
			for time.Now().Before(stop) {
				x++
			}
			_ = x
		}()
	}
	wg.Wait()

	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		fail(err)
	}
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		fail(fmt.Errorf("SIGUSR1 sent to itself did not arrive"))
	}
	fmt.Printf("archprobe %s/%s ok\n", runtime.GOOS, runtime.GOARCH)
}

// child runs this program again, under the emulator named by
// ARCHPROBE_EXEC if any, as the tests start their children.
func child() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{exe}
	if wrap := os.Getenv("ARCHPROBE_EXEC"); wrap != "" {
		args = append([]string{wrap}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "ARCHPROBE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("child: %v: %s", err, out)
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "archprobe:", err)
	os.Exit(1)
}
