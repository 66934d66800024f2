// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import "syscall"

// FailInstances makes the next n CreateNamedPipe calls for further
// listener instances fail, and calls done each time a listener has
// replaced all the instances it could not create at first.
func FailInstances(n int32, done func()) (restore func()) {
	failInstances.Store(n)
	refilled = done
	return func() { failInstances.Store(0); refilled = nil }
}

// ListenerInstances reports how many instances of l wait for clients, how
// many are missing and whether a reserve instance holds the name.
func ListenerInstances(l *Listener) (waiting, missing int, reserved bool) {
	return l.ls.instances()
}

// NameTakenErr is the error Listen gives when the first instance of name
// fails with errno.
func NameTakenErr(name string, errno syscall.Errno) error {
	p, _ := syscall.UTF16PtrFromString(name)
	return nameTakenErr(p, errno)
}
