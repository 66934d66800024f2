// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || netbsd || openbsd

// This file implements the parts of local sockets for macOS and the BSDs
// that differ from Linux: descriptors are made close-on-exec under
// syscall.ForkLock (macOS has no SOCK_CLOEXEC), and there are no abstract
// names.

package ipc

import (
	"errors"
	"io"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// abstractNames tells resolveName that "@name" means the bare name "name".
const abstractNames = false

const acceptCall = "accept"

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

var errReplaced = errors.New("socket file was replaced before its mode was set")

// chmodSocket sets the mode of the socket file at path after checking that
// it is still the file described by want.
//
// BUG(ipc): On macOS and the BSDs, a file swapped in at the socket's path
// between that check and chmod(2) gets the mode instead; only a directory
// writable by others allows that.
func chmodSocket(path string, want *syscall.Stat_t, mode uint32) error {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		return &os.PathError{Op: "lstat", Path: path, Err: err}
	}
	if st.Dev != want.Dev || st.Ino != want.Ino || st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return &os.PathError{Op: "chmod", Path: path, Err: errReplaced}
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

// peerCred reads the peer's credentials with the option each system has.
// Package syscall has no getsockopt for arbitrary structures on these
// systems, and macOS and OpenBSD allow system calls only through libc, so
// the structure is read through GetsockoptICMPv6Filter, whose 32-byte
// buffer the kernel fills with as much of the structure as fits:
//
//   - struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups;
//     gid_t cr_groups[16]; ... }: the uid is word 1 and the effective gid,
//     cr_groups[0], word 3. FreeBSD 13 and later put cr_pid after the
//     groups, past 32 bytes, so on FreeBSD it is read with a direct
//     getsockopt(2) system call (FreeBSD allows those) into a buffer large
//     enough for the whole structure.
//   - OpenBSD struct sockpeercred { uid_t uid; gid_t gid; pid_t pid; }.
//   - NetBSD struct unpcbid { pid_t unp_pid; uid_t unp_euid; gid_t unp_egid; }.
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
		return &Cred{UID: int(w.Filt[0]), GID: int(w.Filt[1]), PID: int(int32(w.Filt[2]))}, nil
	case "netbsd":
		w, err := syscall.GetsockoptICMPv6Filter(fd, _SOL_LOCAL, _LOCAL_PEEREID)
		if err != nil {
			return nil, err
		}
		return &Cred{PID: int(int32(w.Filt[0])), UID: int(w.Filt[1]), GID: int(w.Filt[2])}, nil
	case "freebsd":
		return freebsdPeerCred(fd)
	}
	// macOS, iOS and DragonFly: struct xucred.
	w, err := syscall.GetsockoptICMPv6Filter(fd, _SOL_LOCAL, _LOCAL_PEERCRED)
	if err != nil {
		return nil, err
	}
	cred := &Cred{UID: int(w.Filt[1]), GID: int(w.Filt[3]), PID: -1}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		if pid, err := syscall.GetsockoptInt(fd, _SOL_LOCAL, _LOCAL_PEERPID); err == nil {
			cred.PID = pid
		}
	}
	return cred, nil
}

// freebsdPeerCred reads FreeBSD's whole struct xucred, whose union after
// cr_groups holds cr_pid since FreeBSD 13 (a null pointer before).
func freebsdPeerCred(fd int) (*Cred, error) {
	var buf [32]uint32 // 128 bytes, more than any xucred
	size := uint32(unsafe.Sizeof(buf))
	_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), _SOL_LOCAL, _LOCAL_PEERCRED,
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0)
	if e != 0 {
		return nil, e
	}
	cred := &Cred{UID: int(buf[1]), GID: int(buf[3]), PID: -1}
	// cr_version, cr_uid, cr_ngroups (padded), 16 groups: 76 bytes, then
	// the union, aligned to a pointer.
	const ptr = unsafe.Sizeof(uintptr(0))
	off := (76 + ptr - 1) &^ (ptr - 1)
	if uintptr(size) >= off+4 {
		if pid := int32(buf[off/4]); pid > 0 {
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

// ---- signals (signal.go) ----

// No real-time signals: FreeBSD has them from 65 on, but the Go runtime
// handles only signals up to 32 on the BSDs, so a Go program cannot
// receive them.
const rtSigMin, rtSigMax = 0, 0

// maxSignal returns the highest signal os/signal can deliver: the runtime's
// NSIG-1.
func maxSignal() int {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return 31
	}
	return 32
}

func runtimeSignal(s syscall.Signal) bool { return false }

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
// splicing: no splice here, so no state for it.
type splicing struct{}

func spliceFrom(c *Conn, r io.Reader, remain int64) (int64, bool, error) { return 0, false, nil }
func spliceTo(c *Conn, w io.Writer) (int64, bool, error)                 { return 0, false, nil }

// ---- peer identity: no pidfds ----

func (c *Conn) peerProcess() (*Process, error) { return nil, errNoPidfd }

func (c *Conn) recvProcess(b []byte, from *string) (int, *Process, bool, error) {
	return 0, nil, false, errNoPidfd
}

func (p *Process) exited(fd uintptr) (bool, error) { return false, errNoPidfd }

func (p *Process) signal(fd uintptr, sig os.Signal) (string, error) { return "", errNoPidfd }

var errNoPidfd = &argError{"process handles (pidfds) exist only on Linux", errors.ErrUnsupported}
