// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements the Linux and Android parts of local sockets: the
// fast path that creates descriptors non-blocking and close-on-exec in one
// call, abstract names, race-free chmod and SO_PEERCRED.

package ipc

import (
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// abstractNames tells resolveName that "@name" is an abstract socket.
const abstractNames = true

const acceptCall = "accept4"

// _O_PATH is O_PATH from <fcntl.h>, the same on every Linux architecture Go
// supports; package syscall does not define it.
const _O_PATH = 0x200000

// sysSocket wraps socket(2), creating the socket non-blocking and
// close-on-exec atomically.
func sysSocket(typ int) (int, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

// sysAccept wraps accept4(2), creating the connection's socket non-blocking
// and close-on-exec atomically.
func sysAccept(fd int) (int, error) {
	nfd, _, err := syscall.Accept4(fd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
	return nfd, err
}

var errReplaced = errors.New("socket file was replaced before its mode was set")

// chmodSocket sets the mode of the socket file at path, which must still be
// the file described by want. It opens the file itself with O_PATH and
// O_NOFOLLOW and changes the mode through /proc/self/fd, so a symbolic link
// swapped in at path cannot redirect the chmod to another file.
func chmodSocket(path string, want *syscall.Stat_t, mode uint32) error {
	fd, err := syscall.Open(path, _O_PATH|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Dev != want.Dev || st.Ino != want.Ino {
		return &os.PathError{Op: "chmod", Path: path, Err: errReplaced}
	}
	err = syscall.Chmod("/proc/self/fd/"+strconv.Itoa(fd), mode)
	if err == syscall.ENOENT {
		// No /proc: fall back to the path, checked just above.
		err = syscall.Chmod(path, mode)
	}
	if err != nil {
		return &os.PathError{Op: "chmod", Path: path, Err: err}
	}
	return nil
}

// peerCred wraps getsockopt(SO_PEERCRED).
func (c *Conn) peerCred() (*Cred, error) {
	rc, err := c.f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var u *syscall.Ucred
	var serr error
	if err := rc.Control(func(fd uintptr) {
		u, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return nil, fileErr(err)
	}
	if serr != nil {
		return nil, os.NewSyscallError("getsockopt", serr)
	}
	return &Cred{PID: int(u.Pid), UID: int(u.Uid), GID: int(u.Gid)}, nil
}

// seqpacketOK: Linux has SOCK_SEQPACKET for AF_UNIX.
const seqpacketOK = true

const (
	msgCmsgCloexec = syscall.MSG_CMSG_CLOEXEC
	scmCredentials = syscall.SCM_CREDENTIALS
)

// credSpace is the control space of one SCM_CREDENTIALS message.
var credSpace = syscall.CmsgSpace(syscall.SizeofUcred)

// initMsgConn turns on SO_PASSCRED for a message-mode socket, so that every
// message, even an empty one, arrives with the sender's credentials: that is
// how an empty message is told apart from the end of the connection, where
// recvmsg returns 0 too.
func initMsgConn(fd int) error {
	return os.NewSyscallError("setsockopt", syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_PASSCRED, 1))
}

// sysSocketpair wraps socketpair(2), with both ends non-blocking and
// close-on-exec atomically.
func sysSocketpair(typ int) ([2]int, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	return fds, os.NewSyscallError("socketpair", err)
}

// ---- signals (signal.go) ----

// The real-time signals RealtimeSignal hands out. The kernel's are 32 to 64
// (SIGRTMIN, SIGRTMAX), but glibc keeps 32 and 33 and musl also 34, and the
// Go runtime reserves all three: it uses 33 itself for per-thread system
// calls (never passed on to os/signal), and passes 32 and 34 on only when
// they come from kill(2), not from sigqueue(3). os/signal handles signals up
// to 64 on every architecture, MIPS included, where the kernel has 128.
const (
	rtSigMin = 35
	rtSigMax = 64
)

// maxSignal returns the highest signal os/signal can deliver.
func maxSignal() int { return 64 }

// runtimeSignal reports the signals the Go runtime keeps for itself and the
// C libraries (see rtSigMin).
func runtimeSignal(s syscall.Signal) bool { return s >= 32 && s < rtSigMin }

// ---- pipes (pipe.go) ----

const pipeCall = "pipe2"

// sysPipe2 wraps pipe2(2), creating both ends non-blocking and
// close-on-exec atomically.
func sysPipe2() ([2]int, error) {
	var p [2]int
	err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC)
	return p, os.NewSyscallError("pipe2", err)
}

// pipeMaxSizeFile holds the largest size an unprivileged process may give a
// pipe.
const pipeMaxSizeFile = "/proc/sys/fs/pipe-max-size"

// setPipeSize resizes the pipe of fd with fcntl(F_SETPIPE_SZ). A size above
// pipe-max-size is refused here rather than by the kernel, which grants it
// to processes with CAP_SYS_RESOURCE, so that the limit holds for everyone.
func setPipeSize(fd, size int) error {
	if size > math.MaxInt32 {
		// The kernel takes an unsigned int and would truncate it.
		return os.NewSyscallError("fcntl", &argError{"PipeConfig.BufferSize " + strconv.Itoa(size) + " is too large", syscall.EINVAL})
	}
	if b, err := os.ReadFile(pipeMaxSizeFile); err == nil {
		if max, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && size > max {
			return os.NewSyscallError("fcntl", &argError{"PipeConfig.BufferSize " + strconv.Itoa(size) +
				" is above the system limit of " + strconv.Itoa(max) + " (" + pipeMaxSizeFile + ")", syscall.EINVAL})
		}
	}
	_, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETPIPE_SZ, uintptr(size))
	if e != 0 {
		return os.NewSyscallError("fcntl", e)
	}
	return nil
}

// pipeSize wraps fcntl(F_GETPIPE_SZ).
func pipeSize(fd int) (int, error) {
	n, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETPIPE_SZ, 0)
	if e != 0 {
		return 0, os.NewSyscallError("fcntl", e)
	}
	return int(n), nil
}
