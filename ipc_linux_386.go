// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements recvmsgNoName on linux/386, which has no recvmsg
// system call number in package syscall: it goes through socketcall, by way
// of syscall.Recvmsg (recvmsgSyscall).

package ipc

func recvmsgNoName(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	return recvmsgSyscall(fd, p, oob, flags)
}
