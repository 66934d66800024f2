// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc

import (
	"errors"
	"syscall"
)

// ResolveName exposes name resolution to the fuzz test; it never creates
// the private directory.
func ResolveName(name string) (path string, abstract bool, err error) {
	sn, err := resolveName(name, false)
	return sn.path, sn.abstract, err
}

const MaxPathLen = maxPathLen

// ParseControl exposes the control-message parser to the fuzz test.
func ParseControl(oob []byte) (fds []int, hasCred, ok bool) {
	ctl, ok := parseControl(oob)
	return ctl.fds, ctl.hasCred, ok
}

// ParseControlPidfds returns the SCM_PIDFD descriptors parseControl finds.
func ParseControlPidfds(oob []byte) []int {
	ctl, _ := parseControl(oob)
	return ctl.pidfds
}

// ReclaimLockPath returns the file that Listen locks while it takes over a
// stale socket at path.
func ReclaimLockPath(path string) (string, error) {
	name, ok := reclaimLockPath(path)
	if !ok {
		return "", errors.New("no reclaim lock for " + path)
	}
	return name, nil
}

// SetBoundHook makes f run right after every bind of a socket file, with
// its path, until restore is called.
func SetBoundHook(f func(path string)) (restore func()) {
	testHookBound = f
	return func() { testHookBound = nil }
}

// RecvBufCap returns the capacity of c's control buffer for RecvFiles, 0
// before the first RecvFiles.
func RecvBufCap(c *Conn) int {
	rx := c.rx.Load()
	if rx == nil {
		return 0
	}
	return cap(rx.big)
}

// MaxFilesPerMsg is the most descriptors one message carries here.
var MaxFilesPerMsg = maxFilesPerMsg

// InheritPollable exposes InheritedFile's choice for a pipe or FIFO, given
// whether FIFOs may go on the poller (macOS: no).
func InheritPollable(named, fifos bool) bool {
	st := syscall.Stat_t{Mode: syscall.S_IFIFO}
	if named {
		st.Dev = 1
	}
	return inheritPollable(&st, fifos)
}

// SetFileHook makes f run inside every Listener.File right after the
// socket is duplicated, until restore is called.
func SetFileHook(f func()) (restore func()) {
	testHookFile = f
	return func() { testHookFile = nil }
}

// SetMkfifoHook makes f run inside every Mkfifo right after the FIFO is
// made, with its path, until restore is called.
func SetMkfifoHook(f func(path string)) (restore func()) {
	testHookMkfifo = f
	return func() { testHookMkfifo = nil }
}
