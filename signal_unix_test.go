// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// isWine reports false: Wine runs only Windows programs.
func isWine() bool { return false }

func init() {
	helpers["sig-report"] = helperSigReport
	helpers["sig-default"] = helperSigDefault
}

// helperSigReport receives the signals numbered in args[2:] and prints
// "<name> got <number>" for each until its standard input closes. It first
// prints "ready <name> <pid> <pgid>". With args[1] == "spawn" it also starts
// a grandchild doing the same as "<name>-grandchild", on the same standard
// input and output, and waits for it before exiting.
func helperSigReport(args []string) int {
	name := args[0]
	var sigs []os.Signal
	for _, a := range args[2:] {
		n, err := strconv.Atoi(a)
		if err != nil {
			fmt.Println(err)
			return 2
		}
		sigs = append(sigs, syscall.Signal(n))
	}
	w, err := ipc.NewSignalWaiter(sigs...)
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
	var gc *exec.Cmd
	if args[1] == "spawn" {
		exe, err := os.Executable()
		if err != nil {
			fmt.Println(err)
			return 2
		}
		gc = helperCommandExe(exe, "sig-report", append([]string{name + "-grandchild", "-"}, args[2:]...)...)
		gc.Stdin, gc.Stdout = os.Stdin, os.Stdout
		if err := gc.Start(); err != nil {
			fmt.Println(err)
			return 2
		}
	}
	fmt.Printf("ready %s %d %d\n", name, os.Getpid(), syscall.Getpgrp())
	for {
		sig, err := w.Wait(ctx)
		if err != nil {
			break
		}
		fmt.Printf("%s got %d\n", name, sig.(syscall.Signal))
	}
	if gc != nil {
		if err := gc.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, "grandchild:", err)
			return 1
		}
	}
	return 0
}

// helperSigDefault waits for SIGTERM with an expired context, so that
// WaitSignal registers and unregisters at once, then prints "ready" and
// waits for its standard input to close. SIGTERM must then end it, as it
// ends any Go program that has not asked for it.
func helperSigDefault(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ipc.WaitSignal(ctx, syscall.SIGTERM); err != context.Canceled {
		fmt.Println("WaitSignal:", err)
		return 2
	}
	fmt.Println("ready")
	waitStdin()
	return 0
}

// readLines reads n lines from c and returns them sorted.
func readLines(t *testing.T, c *child, n int) []string {
	t.Helper()
	var lines []string
	for range n {
		l, err := c.out.ReadString('\n')
		if err != nil {
			t.Fatalf("reading from %v: %q, %v", c.cmd.Args, l, err)
		}
		lines = append(lines, strings.TrimSuffix(l, "\n"))
	}
	sort.Strings(lines)
	return lines
}

// finishQuiet is finish, but fails the test if the child prints anything
// more.
func finishQuiet(t *testing.T, c *child) {
	t.Helper()
	c.stdin.Close()
	rest, _ := io.ReadAll(c.out)
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("helper %v: %v", c.cmd.Args, err)
	}
	if len(rest) > 0 {
		t.Errorf("helper %v printed %q after the last expected line", c.cmd.Args, rest)
	}
}

type readyLine struct {
	name      string
	pid, pgid int
}

func parseReady(t *testing.T, line string) readyLine {
	t.Helper()
	var r readyLine
	if _, err := fmt.Sscanf(line, "ready %s %d %d", &r.name, &r.pid, &r.pgid); err != nil {
		t.Fatalf("ready line %q: %v", line, err)
	}
	return r
}

// A group signal reaches the child and the grandchild in the group, and not
// a sibling in another group, which gets only the later fence signal.
func TestSignalGroup(t *testing.T) {
	usr1, usr2 := int(syscall.SIGUSR1), int(syscall.SIGUSR2)
	sigArgs := []string{strconv.Itoa(usr1), strconv.Itoa(usr2)}

	leader := helperCommand(t, "sig-report", append([]string{"leader", "spawn"}, sigArgs...)...)
	ipc.NewProcessGroup(leader)
	cl, first := startChild(t, leader)
	second, err := cl.out.ReadString('\n')
	if err != nil {
		t.Fatalf("second ready line: %q, %v", second, err)
	}
	pgid := leader.Process.Pid
	for _, line := range []string{first, strings.TrimSuffix(second, "\n")} {
		r := parseReady(t, line)
		switch r.name {
		case "leader":
			if r.pid != pgid || r.pgid != pgid {
				t.Fatalf("leader: pid %d, group %d; want %d, %d", r.pid, r.pgid, pgid, pgid)
			}
		case "leader-grandchild":
			if r.pid == pgid || r.pgid != pgid {
				t.Fatalf("grandchild: pid %d, group %d; want a pid other than %d in group %d", r.pid, r.pgid, pgid, pgid)
			}
		default:
			t.Fatalf("unexpected ready line %q", line)
		}
	}

	sibling := helperCommand(t, "sig-report", append([]string{"sibling", "-"}, sigArgs...)...)
	ipc.NewProcessGroup(sibling)
	cs, line := startChild(t, sibling)
	if r := parseReady(t, line); r.pgid != sibling.Process.Pid || r.pgid == pgid || r.pgid == syscall.Getpgrp() {
		t.Fatalf("sibling in group %d; want its own group %d", r.pgid, sibling.Process.Pid)
	}

	if err := ipc.SignalGroup(pgid, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	got := readLines(t, cl, 2)
	want := []string{fmt.Sprintf("leader got %d", usr1), fmt.Sprintf("leader-grandchild got %d", usr1)}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("the group reported %q; want %q", got, want)
	}

	// The fence: SIGUSR1, had it been sent to the sibling, would have been
	// pending before SIGUSR2 is sent and so reported first.
	if err := ipc.Signal(sibling.Process, syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	if got := readLines(t, cs, 1); got[0] != fmt.Sprintf("sibling got %d", usr2) {
		t.Fatalf("the sibling reported %q first; want only the fence signal %d", got[0], usr2)
	}
	finishQuiet(t, cl)
	finishQuiet(t, cs)
}

func TestSignalGroupGone(t *testing.T) {
	cmd := helperCommand(t, "sig-idle")
	ipc.NewProcessGroup(cmd)
	c, _ := startChild(t, cmd)
	c.finish()
	err := ipc.SignalGroup(cmd.Process.Pid, syscall.Signal(0))
	var se *os.SyscallError
	if !errors.Is(err, os.ErrProcessDone) || !errors.Is(err, syscall.ESRCH) || !errors.As(err, &se) {
		t.Errorf("SignalGroup to a group that is gone: %v; want an *os.SyscallError matching ErrProcessDone and ESRCH", err)
	}
}

// os.FindProcess accepts a negative pid on Unix; kill(2) with it would
// signal a whole group. Signal refuses it.
func TestSignalFoundNegativePID(t *testing.T) {
	for _, pid := range []int{-1, -2, -12345} {
		p, err := os.FindProcess(pid)
		if err != nil {
			continue // nothing to send to
		}
		if err := ipc.Signal(p, syscall.Signal(0)); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("Signal to os.FindProcess(%d): %v; want EINVAL", pid, err)
		}
		p.Release()
	}
}

func TestNewProcessGroupUnix(t *testing.T) {
	cmd := exec.Command("true")
	ipc.NewProcessGroup(cmd)
	if a := cmd.SysProcAttr; a == nil || !a.Setpgid || a.Pgid != 0 {
		t.Errorf("nil SysProcAttr: got %+v; want Setpgid and Pgid 0", a)
	}

	cmd.SysProcAttr = &syscall.SysProcAttr{Noctty: true, Setpgid: true, Pgid: 77}
	ipc.NewProcessGroup(cmd)
	if a := cmd.SysProcAttr; !a.Noctty || !a.Setpgid || a.Pgid != 0 {
		t.Errorf("got %+v; want Noctty kept, Setpgid, Pgid 0", a)
	}

	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	ipc.NewProcessGroup(cmd)
	if a := cmd.SysProcAttr; !a.Setsid || a.Setpgid {
		t.Errorf("with Setsid: got %+v; want Setsid alone", a)
	}
}

// A SignalWaiter receives its signal, and afterwards another channel that
// was registered before still receives it.
func TestSignalWaiterKeepsOtherChannels(t *testing.T) {
	other := make(chan os.Signal, 1)
	signal.Notify(other, syscall.SIGUSR1)
	defer signal.Stop(other)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ipc.WaitSignal(ctx, syscall.SIGUSR1); err != context.Canceled {
		t.Fatalf("WaitSignal: %v; want context.Canceled", err)
	}

	w, err := ipc.NewSignalWaiter(syscall.SIGUSR1)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	if sig, err := w.Wait(context.Background()); sig != syscall.SIGUSR1 || err != nil {
		t.Fatalf("Wait = %v, %v; want SIGUSR1", sig, err)
	}
	<-other // it got that one too
	w.Stop()

	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	if sig := <-other; sig != syscall.SIGUSR1 {
		t.Fatalf("other channel got %v", sig)
	}
}

// A signal that was ignored is received while a SignalWaiter waits for it
// and ignored again after Stop.
func TestSignalWaiterRestoresIgnore(t *testing.T) {
	signal.Ignore(syscall.SIGUSR2)
	defer signal.Reset(syscall.SIGUSR2)

	w, err := ipc.NewSignalWaiter(syscall.SIGUSR2)
	if err != nil {
		t.Fatal(err)
	}
	if signal.Ignored(syscall.SIGUSR2) {
		t.Errorf("SIGUSR2 still ignored while a SignalWaiter waits for it")
	}
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	if sig, err := w.Wait(context.Background()); sig != syscall.SIGUSR2 || err != nil {
		t.Fatalf("Wait = %v, %v; want SIGUSR2", sig, err)
	}
	w.Stop()
	if !signal.Ignored(syscall.SIGUSR2) {
		t.Fatalf("SIGUSR2 not ignored after Stop")
	}
	// Ignored: this must not end the test binary.
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
}

// After WaitSignal returns in a program with no other registration, the
// signal has its default effect again: SIGTERM ends the program.
func TestWaitSignalRestoresDefault(t *testing.T) {
	cmd := helperCommand(t, "sig-default")
	c, line := startChild(t, cmd)
	if line != "ready" {
		t.Fatalf("child said %q; want ready", line)
	}
	if err := ipc.Signal(cmd.Process, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := c.cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("Wait: %v; want the child killed by SIGTERM", err)
	}
	if ws := ee.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("child ended with %v; want killed by SIGTERM", ee)
	}
}

func TestSignalWaiterRejectsUncatchable(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGKILL, syscall.SIGSTOP, syscall.Signal(0), syscall.Signal(-1), syscall.Signal(200)} {
		if _, err := ipc.NewSignalWaiter(sig); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("NewSignalWaiter(%v): %v; want EINVAL", sig, err)
		}
	}
}
