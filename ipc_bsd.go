// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || netbsd || openbsd

// This file implements the parts of local sockets for macOS and the BSDs
// that differ from Linux: descriptors are made close-on-exec under
// syscall.ForkLock (macOS has no SOCK_CLOEXEC), and there are no abstract
// names.

package ipc

import (
	"errors"
	"os"
	"runtime"
	"syscall"
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

// peerCred is not implemented on these systems yet.
func (c *Conn) peerCred() (*Cred, error) {
	return nil, errors.ErrUnsupported
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
