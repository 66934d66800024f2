// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || netbsd || openbsd

// This file implements the parts of local sockets for macOS and the BSDs
// that differ from Linux: descriptors are made close-on-exec under
// syscall.ForkLock (macOS has no SOCK_CLOEXEC), and there are no abstract
// names.

package ipc

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"unsafe"
)

// abstractNames tells resolveName that "@name" means the bare name "name".
const abstractNames = false

const acceptCall = "accept"

// unnamed is the name of an unnamed socket as package net shows it.
const unnamed = ""

// sysSocket wraps socket(2) and makes the socket close-on-exec and
// non-blocking. ForkLock keeps a concurrent fork from inheriting it before
// close-on-exec is set.
func sysSocket(typ int) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_UNIX, typ, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return -1, os.NewSyscallError("setnonblock", err)
	}
	return fd, nil
}

// sysAccept wraps accept(2) the same way.
func sysAccept(fd int) (int, error) {
	syscall.ForkLock.RLock()
	nfd, _, err := syscall.Accept(fd)
	if err == nil {
		syscall.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, err
	}
	if err := syscall.SetNonblock(nfd, true); err != nil {
		syscall.Close(nfd)
		return -1, err
	}
	return nfd, nil
}

// presetMode does nothing: these systems create a socket's file with the
// umask's mode whatever the socket's own, and refuse fchmod on a socket.
// The mode is applied after bind (chmodSocket), which for a listener is
// still before it listens; see ListenConfig.Mode for datagram sockets.
func presetMode(fd int, mode uint32) error { return nil }

var errReplaced = errors.New("socket file was replaced before its mode was set")

// chmodSocket sets the mode of the socket file (or FIFO) at path after
// checking that it is still the file described by want. These systems
// have no O_PATH to hold the file by, so chmod(2) goes by path, and only
// where the directory keeps other users from swapping a file in between
// the check and the chmod (dirGuards); elsewhere it refuses.
func chmodSocket(path string, want *syscall.Stat_t, mode uint32) error {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		return &os.PathError{Op: "lstat", Path: path, Err: err}
	}
	if st.Dev != want.Dev || st.Ino != want.Ino || st.Mode&syscall.S_IFMT != want.Mode&syscall.S_IFMT {
		return &os.PathError{Op: "chmod", Path: path, Err: errReplaced}
	}
	if !dirGuards(filepath.Dir(path)) {
		return &os.PathError{Op: "chmod", Path: path, Err: errUnguardedChmod}
	}
	if err := syscall.Chmod(path, mode); err != nil {
		return &os.PathError{Op: "chmod", Path: path, Err: err}
	}
	return nil
}

// Peer credential options, from each system's headers: <sys/un.h> on
// macOS, FreeBSD, DragonFly and NetBSD (level SOL_LOCAL, which is 0) and
// <sys/socket.h> on OpenBSD.
const (
	_SOL_LOCAL      = 0
	_LOCAL_PEERCRED = 0x1    // macOS, FreeBSD, DragonFly: struct xucred
	_LOCAL_PEERPID  = 0x2    // macOS: pid_t
	_LOCAL_PEEREID  = 0x3    // NetBSD: struct unpcbid
	_SO_PEERCRED    = 0x1022 // OpenBSD: struct sockpeercred
)

// xucred is struct xucred from <sys/ucred.h> on macOS, FreeBSD and
// DragonFly. The effective gid is cr_groups[0]. FreeBSD and DragonFly
// end it with a pointer-sized union, which holds cr_pid since FreeBSD 13
// (a null pointer before, and on DragonFly); macOS's structure ends after
// cr_groups.
type xucred struct {
	_      uint32     // cr_version
	uid    uint32     // cr_uid
	_      int16      // cr_ngroups
	groups [16]uint32 // cr_groups
	pid    uintptr    // FreeBSD: union { pid_t cr_pid; void *_cr_unused1; }
}

// sockpeercred is OpenBSD's struct sockpeercred from <sys/socket.h>.
type sockpeercred struct {
	uid uint32
	gid uint32
	pid int32
}

// unpcbid is NetBSD's struct unpcbid from <sys/un.h>.
type unpcbid struct {
	pid int32
	uid uint32
	gid uint32
}

// peerCred reads the peer's credentials with the option each system has.
// Package syscall has no getsockopt for arbitrary structures on these
// systems, and macOS and OpenBSD allow system calls only through libc, so
// the structure is read through GetsockoptICMPv6Filter, whose 32-byte
// buffer the kernel fills with as much of the structure as fits: all of
// sockpeercred and unpcbid, and the start of xucred up to cr_groups[4],
// past the fields read here. FreeBSD 13 and later put cr_pid past 32
// bytes, so on FreeBSD the whole xucred is read with a direct
// getsockopt(2) system call (FreeBSD allows those).
func (c *Conn) peerCred() (*Cred, error) {
	var cred *Cred
	var serr error
	if err := c.rc.Control(func(fd uintptr) { cred, serr = sysPeerCred(int(fd)) }); err != nil {
		return nil, fileErr(err)
	}
	if serr != nil {
		return nil, os.NewSyscallError("getsockopt", serr)
	}
	return cred, nil
}

func sysPeerCred(fd int) (*Cred, error) {
	switch runtime.GOOS {
	case "openbsd":
		w, err := syscall.GetsockoptICMPv6Filter(fd, syscall.SOL_SOCKET, _SO_PEERCRED)
		if err != nil {
			return nil, err
		}
		p := (*sockpeercred)(unsafe.Pointer(&w.Filt))
		return &Cred{UID: int(p.uid), GID: int(p.gid), PID: int(p.pid)}, nil
	case "netbsd":
		w, err := syscall.GetsockoptICMPv6Filter(fd, _SOL_LOCAL, _LOCAL_PEEREID)
		if err != nil {
			return nil, err
		}
		p := (*unpcbid)(unsafe.Pointer(&w.Filt))
		return &Cred{PID: int(p.pid), UID: int(p.uid), GID: int(p.gid)}, nil
	case "freebsd":
		return freebsdPeerCred(fd)
	}
	// macOS, iOS and DragonFly: the start of struct xucred.
	w, err := syscall.GetsockoptICMPv6Filter(fd, _SOL_LOCAL, _LOCAL_PEERCRED)
	if err != nil {
		return nil, err
	}
	var x xucred
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&x)), unsafe.Sizeof(x)), unsafe.Slice((*byte)(unsafe.Pointer(&w.Filt)), unsafe.Sizeof(w.Filt)))
	cred := &Cred{UID: int(x.uid), GID: int(x.groups[0]), PID: -1}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		if pid, err := syscall.GetsockoptInt(fd, _SOL_LOCAL, _LOCAL_PEERPID); err == nil {
			cred.PID = pid
		}
	}
	return cred, nil
}

// freebsdPeerCred reads FreeBSD's whole struct xucred, with cr_pid.
func freebsdPeerCred(fd int) (*Cred, error) {
	var x xucred
	size := uint32(unsafe.Sizeof(x))
	_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), _SOL_LOCAL, _LOCAL_PEERCRED,
		uintptr(unsafe.Pointer(&x)), uintptr(unsafe.Pointer(&size)), 0)
	if e != 0 {
		return nil, e
	}
	cred := &Cred{UID: int(x.uid), GID: int(x.groups[0]), PID: -1}
	// cr_pid is the union's first member, so at its start whatever the
	// byte order.
	if uintptr(size) >= unsafe.Offsetof(x.pid)+4 {
		if pid := *(*int32)(unsafe.Pointer(&x.pid)); pid > 0 {
			cred.PID = int(pid)
		}
	}
	return cred, nil
}

// seqpacketOK: the BSDs have SOCK_SEQPACKET for AF_UNIX, macOS does not.
const seqpacketOK = runtime.GOOS != "darwin" && runtime.GOOS != "ios"

// msgCmsgCloexec is MSG_CMSG_CLOEXEC from each system's <sys/socket.h>
// (the values package syscall has); macOS has none, so received
// descriptors are made close-on-exec under ForkLock there.
var msgCmsgCloexec = map[string]int{"freebsd": 0x40000, "dragonfly": 0x1000, "netbsd": 0x800, "openbsd": 0x800}[runtime.GOOS]

// scmCredentials: these systems send no per-message credentials here.
const scmCredentials = -1

// scmPidfd: nor process handles (type 4 at SOL_SOCKET is another message
// here, such as FreeBSD's SCM_BINTIME, which carries no descriptor).
const scmPidfd = -1

// pidfdSpace is the control space of the process handle that comes with a
// message: none here.
const pidfdSpace = 0

const credSpace = 0

// initMsgConn has nothing to do on these systems.
//
// BUG(ipc): On the BSDs, ReadMsg cannot tell an empty message from the end
// of the connection and reports both as io.EOF.
func initMsgConn(fd int) error { return nil }

// sysSocketpair wraps socketpair(2) and makes both ends close-on-exec and
// non-blocking.
func sysSocketpair(typ int) ([2]int, error) {
	syscall.ForkLock.RLock()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, typ, 0)
	if err == nil {
		syscall.CloseOnExec(fds[0])
		syscall.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return fds, os.NewSyscallError("socketpair", err)
	}
	for _, fd := range fds {
		if err := syscall.SetNonblock(fd, true); err != nil {
			syscall.Close(fds[0])
			syscall.Close(fds[1])
			return fds, os.NewSyscallError("setnonblock", err)
		}
	}
	return fds, nil
}

// recvmsgNoName wraps recvmsg(2) through syscall.Recvmsg, dropping the
// sender's address (which it allocates when the sender has a name).
func recvmsgNoName(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	n, oobn, rflags, _, err = syscall.Recvmsg(fd, p, oob, flags)
	return n, oobn, rflags, err
}

// dupFD duplicates fd onto the lowest free descriptor at least min,
// close-on-exec: from birth with fcntl(F_DUPFD_CLOEXEC) on FreeBSD, NetBSD
// and DragonFly, which allow direct system calls; under ForkLock on macOS
// and OpenBSD, whose system calls go through libc, where package syscall
// has no fcntl with F_DUPFD_CLOEXEC.
func dupFD(fd, min int) (int, error) {
	switch runtime.GOOS {
	case "freebsd", "netbsd", "dragonfly":
		return dupFcntl(fd, min)
	}
	return dupForkLock(fd, min)
}

// dupForkLock is dupFD where there is no F_DUPFD_CLOEXEC to call: dup(2)
// until the copy is at least min, then close-on-exec, all under ForkLock
// so that no process this one starts meanwhile inherits a copy.
func dupForkLock(fd, min int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	var low []int
	defer func() {
		for _, l := range low {
			syscall.Close(l)
		}
	}()
	for {
		nfd, err := syscall.Dup(fd)
		if err != nil {
			return -1, os.NewSyscallError("dup", err)
		}
		if nfd >= min {
			syscall.CloseOnExec(nfd)
			return nfd, nil
		}
		low = append(low, nfd)
	}
}

// ---- FIFOs (fifo.go) ----

// fifoRef is a FIFO found by path and not yet opened: its status, from
// lstat(2). These systems have no O_PATH to hold the file itself, so open
// opens the path again, not following a symbolic link, and the caller
// compares the file it got with st.
type fifoRef struct{ st syscall.Stat_t }

// lookFifo returns a fifoRef for path, refusing anything but a FIFO.
func lookFifo(path string) (*fifoRef, error) {
	r := &fifoRef{}
	if err := syscall.Lstat(path, &r.st); err != nil {
		return nil, err
	}
	if err := checkFifo(&r.st); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *fifoRef) open(path string, flag int) (int, error) {
	fd, err := syscall.Open(path, flag|syscall.O_NOFOLLOW, 0)
	return fd, reopenErr(path, &r.st, err)
}

func (r *fifoRef) close() {}

// noFollowErr reports whether err is how open(2) with O_NOFOLLOW refuses a
// symbolic link: ELOOP as POSIX says, EMLINK on FreeBSD and DragonFly,
// EFTYPE on NetBSD.
func noFollowErr(err error) bool {
	return err == syscall.ELOOP || err == syscall.EMLINK || err == syscall.EFTYPE
}

// fifoWaitOK: whether a reader that no writer has opened the FIFO for
// yet sees an end of file or waits differs among these systems, and
// OpenFifo's WaitForWriter is not offered.
const fifoWaitOK = false

func waitWriter(ctx context.Context, f *os.File) error { return errors.ErrUnsupported }

// ---- signals (signal.go) ----

// No real-time signals: FreeBSD has them from 65 on, but the Go runtime
// handles only signals up to 32 on the BSDs, so a Go program cannot
// receive them.
func rtRange() (min, max int) { return 0, 0 }

func rtSignal(n int) os.Signal { return nil }

// sigMax is the highest signal os/signal can deliver: the runtime's NSIG-1
// (NSIG is 32 on macOS, 33 on the BSDs).
var sigMax = map[bool]int{true: 31, false: 32}[runtime.GOOS == "darwin" || runtime.GOOS == "ios"]

// maxSignal returns sigMax.
func maxSignal() int { return sigMax }

// reservedSignal: neither the C libraries nor the Go runtime keep a signal
// here.
func reservedSignal(s syscall.Signal) string { return "" }

// ---- pipes (pipe.go) ----

const pipeCall = "pipe"

// sysPipe2 wraps pipe(2) and makes both ends close-on-exec and non-blocking,
// under ForkLock like sysSocket.
func sysPipe2() ([2]int, error) {
	var p [2]int
	syscall.ForkLock.RLock()
	err := syscall.Pipe(p[:])
	if err == nil {
		syscall.CloseOnExec(p[0])
		syscall.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return p, os.NewSyscallError("pipe", err)
	}
	for _, fd := range p {
		if err := syscall.SetNonblock(fd, true); err != nil {
			syscall.Close(p[0])
			syscall.Close(p[1])
			return p, os.NewSyscallError("setnonblock", err)
		}
	}
	return p, nil
}

// setPipeSize: these systems size their pipes themselves.
func setPipeSize(fd, size int) error {
	return os.NewSyscallError("pipe", &argError{"PipeConfig.BufferSize is not supported on " + runtime.GOOS, errors.ErrUnsupported})
}

func pipeSize(fd int) (int, error) {
	return 0, os.NewSyscallError("fcntl", errors.ErrUnsupported)
}

// ---- performance: low-latency reads and splice (issue 7) ----

// spinOK: no spinning here. Package syscall reaches sched_yield only as a
// raw system call, which macOS and OpenBSD do not allow (they go through
// libc), and runtime.Gosched does not give the CPU to another process, so
// spinning with it would starve a peer sharing the CPU. Low-latency mode
// therefore reads as default mode does.
const spinOK = false

func osYield() {}

// spliceFrom and spliceTo: no splice(2) here; ReadFrom and WriteTo copy.
func spliceFrom(c *Conn, r io.Reader, remain int64) (int64, bool, error) { return 0, false, nil }
func spliceTo(c *Conn, w io.Writer) (int64, bool, error)                 { return 0, false, nil }

// ---- peer identity: no pidfds ----

func (c *Conn) peerProcess() (*Process, error) { return nil, errNoPidfd }

// boundFileOf: these systems do not say which file a socket is bound to.
func boundFileOf(fd int) (ino uint64, ok bool) { return 0, false }

func (c *Conn) recvProcess(b []byte, from *string) (int, *Process, bool, error) {
	return 0, nil, false, errNoPidfd
}

func (p *Process) exited(fd uintptr) (bool, error) { return false, errNoPidfd }

func (p *Process) signal(fd uintptr, sig os.Signal) (string, error) { return "", errNoPidfd }

var errNoPidfd = &argError{"process handles (pidfds) exist only on Linux", errors.ErrUnsupported}
