// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build (linux || android) && !386

// This file implements recvmsg without a source address on the Linux
// architectures that have a recvmsg system call of their own (386 reaches it
// through socketcall; see ipc_linux_386.go). s390x has one since Linux 4.3;
// older kernels, which Go supports, report ENOSYS, and recvmsgSyscall takes
// over.

package ipc

import (
	"syscall"
	"unsafe"
)

// recvmsgNoName wraps recvmsg(2) with no room for the sender's address.
// syscall.Recvmsg always asks for it and allocates it whenever the sender
// has a name, which the client end of a named listener always does; this
// keeps ReadMsg free of allocations. Unlike syscall.Recvmsg it reads
// nothing into a dummy byte when p is empty.
func recvmsgNoName(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	if noDirectRecvmsg.Load() {
		return recvmsgSyscall(fd, p, oob, flags)
	}
	var iov syscall.Iovec
	if len(p) > 0 {
		iov.Base = &p[0]
		iov.SetLen(len(p))
	}
	var msg syscall.Msghdr
	msg.Iov = &iov
	msg.Iovlen = 1
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	r, _, e := syscall.Syscall(syscall.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(flags))
	if e == syscall.ENOSYS {
		noDirectRecvmsg.Store(true)
		return recvmsgSyscall(fd, p, oob, flags)
	}
	if e != 0 {
		return 0, 0, 0, e
	}
	return int(r), int(msg.Controllen), int(msg.Flags), nil
}

// getsockopt wraps getsockopt(2) for options whose value package syscall
// has no function for.
func getsockopt(fd, level, opt int, p unsafe.Pointer, size *uint32) error {
	_, _, e := syscall.Syscall6(syscall.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(p), uintptr(unsafe.Pointer(size)), 0)
	if e != 0 {
		return e
	}
	return nil
}
