// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements recvmsgNoName on linux/386, which has no recvmsg
// system call number in package syscall: it goes through syscall.Recvmsg
// and so allocates the sender's address when the sender has a name.

package ipc

import "syscall"

func recvmsgNoName(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	n, oobn, rflags, _, err = syscall.Recvmsg(fd, p, oob, flags)
	return n, oobn, rflags, err
}
