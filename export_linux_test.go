// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

// SplicedBytes returns how many bytes splice(2) has delivered to the
// destinations of ReadFrom and WriteTo so far, so the tests can tell a
// zero-copy relay from a plain copy.
func SplicedBytes() int64 { return splicedBytes.Load() }

// SetSignalOS makes RealtimeSignal and NewSignalWaiter use the real-time
// signal layout of goos ("linux" or "android") until restore is called, so
// that the tests can check Android's layout on Linux.
func SetSignalOS(goos string) (restore func()) {
	old := sigOS
	sigOS = goos
	return func() { sigOS = old }
}

// NoProcFD makes OpenFifo behave as without /proc until the returned
// function is called.
func NoProcFD() (restore func()) {
	old := procFDDir
	procFDDir = "/nonexistent/proc/self/fd"
	return func() { procFDDir = old }
}

// NoDirectRecvmsg makes recvmsg go the way it goes on kernels without a
// recvmsg system call of its own (s390x before Linux 4.3) until the
// returned function is called.
func NoDirectRecvmsg() (restore func()) {
	noDirectRecvmsg.Store(true)
	return func() { noDirectRecvmsg.Store(false) }
}

// SockDiagKnows reports whether the kernel says, through sock_diag, which
// file l's socket is bound to.
func SockDiagKnows(l *Listener) bool {
	var known bool
	l.rc.Control(func(fd uintptr) { _, known = boundFileOf(int(fd)) })
	return known
}
