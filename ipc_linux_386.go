// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements recvmsgNoName and getsockopt on linux/386, which
// has no recvmsg or getsockopt system call number in package syscall: both
// go through socketcall, recvmsgNoName by way of syscall.Recvmsg
// (recvmsgSyscall).

package ipc

import (
	"syscall"
	"unsafe"
)

func recvmsgNoName(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	return recvmsgSyscall(fd, p, oob, flags)
}

// _SYS_GETSOCKOPT is getsockopt's call number for socketcall(2)
// (<linux/net.h>), which reaches it on every i386 kernel.
const _SYS_GETSOCKOPT = 15

// getsockopt wraps getsockopt(2) for options whose value package syscall
// has no function for.
func getsockopt(fd, level, opt int, p unsafe.Pointer, size *uint32) error {
	args := [5]uintptr{uintptr(fd), uintptr(level), uintptr(opt), uintptr(p), uintptr(unsafe.Pointer(size))}
	_, _, e := syscall.Syscall(syscall.SYS_SOCKETCALL, _SYS_GETSOCKOPT, uintptr(unsafe.Pointer(&args)), 0)
	if e != 0 {
		return e
	}
	return nil
}
