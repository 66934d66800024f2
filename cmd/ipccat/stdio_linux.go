// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"os"
	"syscall"
)

// pollableStdio returns standard input and output as files on the
// runtime's poller when they are pipes, FIFOs or sockets, so that the
// package's ReadFrom and WriteTo can splice through them: such a
// descriptor is put in non-blocking mode, and restore puts it back, since
// its file status may be shared with other processes. Terminals and files
// are left as they are.
func pollableStdio() (in, out *os.File, restore func()) {
	var undo []func()
	in = pollable(0, "/dev/stdin", os.Stdin, &undo)
	out = pollable(1, "/dev/stdout", os.Stdout, &undo)
	return in, out, func() {
		for _, f := range undo {
			f()
		}
	}
}

func pollable(fd int, name string, def *os.File, undo *[]func()) *os.File {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil {
		return def
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFIFO, syscall.S_IFSOCK:
	default:
		return def
	}
	fl, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if e != 0 {
		return def
	}
	if fl&syscall.O_NONBLOCK == 0 {
		if syscall.SetNonblock(fd, true) != nil {
			return def
		}
		*undo = append(*undo, func() { syscall.SetNonblock(fd, false) })
	}
	return os.NewFile(uintptr(fd), name)
}
