// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// list prints the named pipes that the user can see, one full path a line.
func list(w io.Writer) error {
	const dir = `\\.\pipe\`
	pattern, err := syscall.UTF16PtrFromString(dir + "*")
	if err != nil {
		return err
	}
	var fd syscall.Win32finddata
	h, err := syscall.FindFirstFile(pattern, &fd)
	if err == syscall.ERROR_FILE_NOT_FOUND {
		return nil
	}
	if err != nil {
		return &os.PathError{Op: "FindFirstFile", Path: dir + "*", Err: err}
	}
	defer syscall.FindClose(h)
	for {
		fmt.Fprintln(w, dir+syscall.UTF16ToString(fd.FileName[:]))
		err := syscall.FindNextFile(h, &fd)
		if errors.Is(err, syscall.ERROR_NO_MORE_FILES) {
			return nil
		}
		if err != nil {
			return os.NewSyscallError("FindNextFile", err)
		}
	}
}

// isWindowsBrokenPipe reports a write to a pipe whose reader has gone:
// ERROR_BROKEN_PIPE, ERROR_NO_DATA (the pipe is being closed) or
// ERROR_PIPE_NOT_CONNECTED.
func isWindowsBrokenPipe(err error) bool {
	return errors.Is(err, syscall.ERROR_BROKEN_PIPE) || errors.Is(err, syscall.Errno(232)) ||
		errors.Is(err, syscall.Errno(233))
}
