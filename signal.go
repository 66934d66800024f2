// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Signal sends sig to the process p, which must come from
// [os.StartProcess], [os.FindProcess] or [exec.Cmd.Start]. What can be sent
// depends on the platform:
//
//   - Unix: any [syscall.Signal], including 0, which only checks that p
//     exists. On Linux the signal goes through p's pidfd when it has one
//     (os.StartProcess and os.FindProcess open one on Linux 5.4 and later),
//     so it can never reach another process that has taken over p's pid.
//     [RealtimeSignal] names the Linux real-time signals.
//   - Windows: [os.Interrupt] becomes a CTRL_BREAK_EVENT console control
//     event for the process group that p leads, which the Go runtime of a
//     receiving Go program turns back into os.Interrupt (see
//     [SignalWaiter]). p must have been started with [NewProcessGroup] (or
//     the CREATE_NEW_PROCESS_GROUP flag) and must share the caller's
//     console; the event reaches every process of p's group that does.
//     Beware: Windows delivers an event addressed to a process that does
//     not lead a group to every process on the console, the caller
//     included, and offers no documented way to check leadership first.
//     [os.Kill] terminates p with exit code 1, as [os.Process.Kill] does.
//     syscall.Signal(0) checks that p is still running. Both hold a handle
//     to p during the call, so they cannot reach another process that has
//     taken over its pid. Any other signal gives an error satisfying
//     errors.Is(err, errors.ErrUnsupported).
//   - Wine (as of Wine 8) cannot deliver console control events:
//     GenerateConsoleCtrlEvent fails, so os.Interrupt reports an error
//     there. os.Kill and 0 work.
//   - Other platforms: errors.ErrUnsupported.
//
// A nil p, a pid that is not positive (kill(2) would take 0 and negative
// numbers for process groups or for every process) or too large for the
// platform, and a nil sig are rejected before any system call, with an
// error wrapping [syscall.EINVAL]. A process that has been waited for, or no
// longer exists, gives an error of type [*os.SyscallError] satisfying
// errors.Is(err, os.ErrProcessDone); on Unix it also wraps [syscall.ESRCH].
// On Unix a process that has exited but has not been waited for still
// exists (as a zombie) and accepts signals; on Windows it gives
// os.ErrProcessDone, and so does one released with [os.Process.Release],
// which os cannot tell from one waited for. Other errors are of type
// *os.SyscallError too.
//
// To signal the process at the other end of a connection, use
// [Process.Signal] on the handle from [Conn.PeerProcess], never Signal on
// a process found by its PID: the PID may name another process by then.
func Signal(p *os.Process, sig os.Signal) error {
	if p == nil {
		return &argError{"ipc: signal to a nil process", syscall.EINVAL}
	}
	if p.Pid <= 0 || int64(p.Pid) > maxPID {
		return &argError{"ipc: signal to process " + strconv.Itoa(p.Pid) + ": pid out of range", syscall.EINVAL}
	}
	if sig == nil {
		return &argError{"ipc: nil signal", syscall.EINVAL}
	}
	call, err := sysSignal(p, sig)
	return signalErr(call, err)
}

// SignalGroup sends sig to every process of the process group pgid. The
// group ID of a process started with [NewProcessGroup] is its pid, so
// SignalGroup(cmd.Process.Pid, sig) reaches the child and every descendant
// that has stayed in its group. SignalGroup(cmd.Process.Pid, os.Interrupt)
// is thus the portable way to ask a child and its descendants to stop:
// [Signal] reaches only the child on Unix, but the whole group on Windows.
//
// On Unix any [syscall.Signal] can be sent. On Windows only [os.Interrupt]
// can: it becomes a CTRL_BREAK_EVENT for the group, which reaches the
// group's processes that share the caller's console; pgid must be the pid of
// a group leader (see [Signal] for what Windows does otherwise). Windows has
// no way to terminate a group, so os.Kill gives errors.ErrUnsupported there.
//
// pgid must be greater than 1: kill(2) reads 0 as the caller's own group
// and -1 as every process the caller may signal, the group of init (1) can
// only be named as -1, and GenerateConsoleCtrlEvent reads 0 as every process
// on the console. Such values, and a nil sig, are rejected before any system
// call with an error wrapping [syscall.EINVAL]; to signal your own group, pass
// its ID (syscall.Getpgrp() on Unix). A group without processes gives an
// error satisfying errors.Is(err, os.ErrProcessDone) that on Unix also wraps
// [syscall.ESRCH]. Other errors are of type [*os.SyscallError].
func SignalGroup(pgid int, sig os.Signal) error {
	if pgid <= 1 || int64(pgid) > maxPID {
		return &argError{"ipc: signal to process group " + strconv.Itoa(pgid) + ": group ID out of range", syscall.EINVAL}
	}
	if sig == nil {
		return &argError{"ipc: nil signal", syscall.EINVAL}
	}
	call, err := sysSignalGroup(pgid, sig)
	return signalErr(call, err)
}

// NewProcessGroup makes cmd start its process as the leader of a new process
// group, whose ID is then the process's pid. It must be called before
// cmd.Start. Other fields of cmd.SysProcAttr are kept; it is allocated if
// nil.
//
// On Windows this is what lets [Signal] and [SignalGroup] deliver
// [os.Interrupt] to the child (as a CTRL_BREAK_EVENT). It sets
// CREATE_NEW_PROCESS_GROUP, which also makes the child ignore CTRL+C typed
// at the console; CTRL+BREAK still reaches it. The child must share the
// console: do not combine it with CREATE_NEW_CONSOLE or DETACHED_PROCESS.
//
// On Unix it sets Setpgid (with Pgid 0), so that [SignalGroup] reaches the
// child and its descendants and nothing else, and a signal sent to the
// parent's group (CTRL+C at a terminal) no longer reaches the child. Being
// outside the terminal's foreground group, the child is stopped by SIGTTIN
// if it reads from the terminal. If Setsid is already set, the child leads
// a new session and with it a new group, and nothing is changed.
//
// On other platforms NewProcessGroup does nothing.
func NewProcessGroup(cmd *exec.Cmd) {
	sysNewProcessGroup(cmd)
}

// RealtimeSignal returns the Linux real-time signal SIGRTMIN+n, where
// SIGRTMIN is 35 and n runs from 0 to 29 (SIGRTMAX is 64); on Android
// SIGRTMIN is 42 and n runs from 0 to 22. Unlike the standard signals,
// real-time signals are queued: sending one twice delivers it twice to a C
// program. (The Go runtime still merges pending signals of the same number
// before os/signal sees them.)
//
// The kernel's real-time signals are 32 to 64, but the C libraries and the
// Go runtime keep the first ones for themselves: glibc uses 32 and 33 and
// calls 34 its SIGRTMIN (the number `kill -l` shows on glibc systems), musl
// also uses 34 and calls 35 its SIGRTMIN, and the Go runtime reserves all
// three: it uses 33 itself and passes 32 and 34 to os/signal only when they
// come from kill(2). SIGRTMIN+n here is therefore musl's SIGRTMIN+n and glibc's
// SIGRTMIN+n+1; to signal a glibc program that expects its SIGRTMIN+n, send
// syscall.Signal(34+n) instead. Android's C library, bionic, reserves 32
// to 41 (35 makes a process dump its stacks for debuggerd) and calls 42
// its SIGRTMIN, so there SIGRTMIN+n is bionic's on current releases (older
// ones reserved fewer and start lower). On MIPS the kernel has signals up
// to 128, but os/signal cannot receive those above 64.
//
// An n out of range gives an error wrapping [syscall.EINVAL]. On platforms
// other than Linux and Android the error satisfies
// errors.Is(err, errors.ErrUnsupported). The result is a [syscall.Signal].
func RealtimeSignal(n int) (os.Signal, error) {
	min, max := rtRange()
	if max == 0 {
		return nil, &argError{"ipc: real-time signals are not supported on " + runtime.GOOS, errors.ErrUnsupported}
	}
	if n < 0 || n > max-min {
		return nil, &argError{"ipc: real-time signal SIGRTMIN+" + strconv.Itoa(n) + " out of range 0.." + strconv.Itoa(max-min), syscall.EINVAL}
	}
	return rtSignal(n), nil
}

// A SignalWaiter receives a set of signals through [os/signal] from the
// moment it is created until Stop, and hands them out through Wait. Creating
// it before telling another process that it is ready, and only then calling
// Wait, means no signal sent after that point is missed.
//
// While a SignalWaiter exists its signals no longer have their default
// effect (a SIGINT or a Windows CTRL_BREAK_EVENT no longer ends the
// program), exactly as with [signal.Notify]. Stop undoes that: see its
// documentation.
type SignalWaiter struct {
	c       chan os.Signal
	ignored []os.Signal // signals that were ignored before, for Stop
	stop    sync.Once
}

// NewSignalWaiter starts receiving sigs. At least one signal must be given,
// and each must be one the platform can deliver to a Go program: on Unix
// a [syscall.Signal] from 1 up to the highest signal os/signal handles
// (64 on Linux, 32 on the BSDs, 31 on macOS), not SIGKILL or SIGSTOP, which
// cannot be caught, on Linux not 32 to 34, which the Go runtime keeps, and
// on Android not 32 to 41, which bionic reserves too (see
// [RealtimeSignal]); on Windows [os.Interrupt] (from CTRL_C_EVENT or
// CTRL_BREAK_EVENT) or [syscall.SIGTERM] (from CTRL_CLOSE_EVENT,
// CTRL_LOGOFF_EVENT or CTRL_SHUTDOWN_EVENT; Windows ends the process a few
// seconds after such an event however it is handled). A nil or empty set
// gives an error wrapping [syscall.EINVAL]; a signal that can never arrive
// gives an error wrapping EINVAL or errors.ErrUnsupported.
func NewSignalWaiter(sigs ...os.Signal) (*SignalWaiter, error) {
	if len(sigs) == 0 {
		return nil, &argError{"ipc: no signals to wait for", syscall.EINVAL}
	}
	for _, sig := range sigs {
		if sig == nil {
			return nil, &argError{"ipc: nil signal", syscall.EINVAL}
		}
		if err := checkWaitSignal(sig); err != nil {
			return nil, err
		}
	}
	w := &SignalWaiter{c: make(chan os.Signal, len(sigs))}
	for _, sig := range sigs {
		if signal.Ignored(sig) {
			w.ignored = append(w.ignored, sig)
		}
	}
	signal.Notify(w.c, sigs...)
	return w, nil
}

// Wait returns the next of the waiter's signals, waiting for one to arrive
// if none has, or ctx.Err() once ctx is done; a signal that has already
// arrived is returned even if ctx is done. Like signal.Notify, it may merge
// several deliveries of the same signal into one. Wait may be called again
// for later signals. After Stop, it returns the signals that arrived before
// Stop and then an error satisfying errors.Is(err, net.ErrClosed).
func (w *SignalWaiter) Wait(ctx context.Context) (os.Signal, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	select {
	case sig, ok := <-w.c:
		if !ok {
			return nil, errWaiterStopped
		}
		return sig, nil
	case <-ctx.Done():
		select {
		case sig, ok := <-w.c:
			if ok {
				return sig, nil
			}
		default:
		}
		return nil, ctx.Err()
	}
}

var errWaiterStopped = &argError{"ipc: SignalWaiter is stopped", net.ErrClosed}

// Stop ends the waiter's reception of its signals and leaves their handling
// as it was before NewSignalWaiter, as far as os/signal allows. A signal for
// which other channels are registered with signal.Notify is still delivered
// to them; otherwise it gets the default handling of a Go program back
// (SIGHUP, SIGINT and SIGTERM end it, most others are caught and dropped;
// see os/signal). A signal that was ignored, by [signal.Ignore] or from
// program start (as under nohup), is ignored again; if another goroutine has
// registered a channel for such a signal in the meantime, that registration
// is cancelled too, because os/signal cannot ignore a signal for some
// channels only. Stop returns once no more signals will arrive; it may be
// called more than once, and concurrently with Wait.
func (w *SignalWaiter) Stop() {
	w.stop.Do(func() {
		signal.Stop(w.c)
		if len(w.ignored) > 0 {
			signal.Ignore(w.ignored...)
		}
		// signal.Stop guarantees no more sends on w.c.
		close(w.c)
	})
}

// WaitSignal waits for one of sigs and returns it, or returns ctx.Err() once
// ctx is done. It is [NewSignalWaiter], [SignalWaiter.Wait] and
// [SignalWaiter.Stop] in one call, and leaves the handling of sigs as Stop
// describes. Signals that arrive before WaitSignal has registered for them
// are missed: use a SignalWaiter to register before, for example, telling a
// parent process that it may send the signal.
func WaitSignal(ctx context.Context, sigs ...os.Signal) (os.Signal, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	w, err := NewSignalWaiter(sigs...)
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	return w.Wait(ctx)
}

// signalErr wraps an error from sysSignal or sysSignalGroup in an
// *os.SyscallError naming call, or returns it as it is if no system call was
// made (call "").
func signalErr(call string, err error) error {
	if err == nil || call == "" {
		return err
	}
	return os.NewSyscallError(call, err)
}

// unsupportedSignal reports a signal the platform cannot send or receive.
func unsupportedSignal(sig os.Signal) error {
	return &argError{"ipc: signal " + strconv.Quote(sig.String()) + " is not supported on " + runtime.GOOS, errors.ErrUnsupported}
}

// Process is a handle to a process that cannot be confused with another
// process that later takes over its PID: a Linux pidfd. It comes from
// [Conn.PeerProcess] (the process that made the connection) and
// [Conn.RecvProcess] (the process that sent a message). It refers to the
// same process for as long as it is open, whether that process runs, has
// exited or has been reaped and its PID reused; it keeps no process from
// being reaped. Close it when done. Its pidfd is close-on-exec and never
// one of the standard descriptors 0, 1 and 2.
//
// A handle makes a PID safe to use for reading about the process: read
// /proc/<pid>/... (or anything else keyed by the PID), then check [Process.Alive].
// If the process is still alive, its PID cannot have been reused in
// between, so what was read is about this process; a PID is reused only
// after its process has exited and been reaped.
//
// Its methods may be called from several goroutines at once.
type Process struct {
	pid     int
	f       *os.File        // the pidfd, on the poller
	rc      syscall.RawConn // f's raw connection
	waiting chan struct{}   // holds a token while a Wait uses f's deadline
}

func (p *Process) ok() bool { return p != nil && p.f != nil }

// Pid returns the process's PID in this process's PID namespace, as the
// kernel reported it when the handle was made, or 0 if the process is not
// visible in it (it lives in a sibling namespace). The number stays the
// same after the process exits, when it may come to name another process:
// use it for messages and for lookups checked with [Process.Alive], never
// to act on the process.
func (p *Process) Pid() int {
	if !p.ok() {
		return -1
	}
	return p.pid
}

// Signal sends sig to the process through its handle (pidfd_send_signal),
// so it can never reach another process that has taken over the PID. Any
// [syscall.Signal] may be sent, including 0, which only checks that the
// process still exists. As with [Signal], a process that has exited but has
// not been reaped still exists and takes signals (unlike [Process.Alive],
// which reports it gone).
//
// A nil sig is an error wrapping [syscall.EINVAL]; a signal that is not a
// [syscall.Signal], an error satisfying errors.Is(err,
// errors.ErrUnsupported). A process that has been reaped gives an error of
// type [*os.SyscallError] satisfying errors.Is(err, os.ErrProcessDone) and
// wrapping [syscall.ESRCH]; a closed handle, one satisfying
// errors.Is(err, os.ErrClosed). Other errors are of type *os.SyscallError,
// such as [syscall.EPERM] for a process this one may not signal.
func (p *Process) Signal(sig os.Signal) error {
	if !p.ok() {
		return syscall.EINVAL
	}
	if sig == nil {
		return &argError{"ipc: nil signal", syscall.EINVAL}
	}
	var call string
	var serr error
	if err := p.rc.Control(func(fd uintptr) { call, serr = p.signal(fd, sig) }); err != nil {
		return bareFileErr(err)
	}
	return signalErr(call, serr)
}

// Alive reports whether the process is still running: it has not exited.
// A process that has exited is not alive, whether or not it has been
// reaped. Alive reports false on a closed handle.
func (p *Process) Alive() bool {
	if !p.ok() {
		return false
	}
	exited, err := p.check()
	return err == nil && !exited
}

// check reports whether the process has exited, without waiting.
func (p *Process) check() (bool, error) {
	var exited bool
	var serr error
	if err := p.rc.Control(func(fd uintptr) { exited, serr = p.exited(fd) }); err != nil {
		return false, bareFileErr(err)
	}
	return exited, serr
}

// Wait waits for the process to exit, parking the goroutine on the
// runtime's poller (a pidfd becomes readable when its process exits), and
// returns nil once it has, or ctx.Err() if ctx is done first. A process
// that has already exited is reported at once, even if ctx is done. Wait
// does not reap the process or report its exit status, which only its
// parent can collect; it works for any process, not only children. Closing
// the handle ends a pending Wait with an error satisfying
// errors.Is(err, os.ErrClosed).
func (p *Process) Wait(ctx context.Context) error {
	if ctx == nil {
		panic("ipc: nil context")
	}
	if !p.ok() {
		return syscall.EINVAL
	}
	if exited, err := p.check(); exited || err != nil {
		return err
	}
	// The handle's read deadline serves the context, so one Wait at a time
	// uses it; the others wait their turn, or for their own context.
	select {
	case p.waiting <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.waiting }()
	expired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		p.f.SetReadDeadline(time.Unix(1, 0))
		close(expired)
	})
	var exited bool
	var serr error
	err := p.rc.Read(func(fd uintptr) bool {
		exited, serr = p.exited(fd)
		return exited || serr != nil
	})
	if !stop() {
		<-expired
		p.f.SetReadDeadline(time.Time{})
	}
	switch {
	case err == nil:
		return serr
	case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil:
		return ctx.Err()
	}
	return bareFileErr(err)
}

// Close closes the handle. It does not affect the process. Closing twice
// reports an error satisfying errors.Is(err, os.ErrClosed).
func (p *Process) Close() error {
	if !p.ok() {
		return syscall.EINVAL
	}
	if err := p.f.Close(); err != nil {
		return &os.PathError{Op: "close", Path: p.f.Name(), Err: bareFileErr(err)}
	}
	return nil
}

// SyscallConn returns a raw connection to the pidfd, for the system calls
// the package does not cover (pidfd_getfd, setns, waitid with P_PIDFD).
// The pidfd is in non-blocking mode (PIDFD_NONBLOCK), so waitid on it
// reports EAGAIN for a child that has not exited.
func (p *Process) SyscallConn() (syscall.RawConn, error) {
	if !p.ok() {
		return nil, syscall.EINVAL
	}
	return p.rc, nil
}
