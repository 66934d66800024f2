// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import (
	"context"
	"os"
	"syscall"
)

// Mkfifo creates a FIFO (a named pipe in the file system) at path with the
// permissions perm, exactly: the umask does not narrow them, as it does for
// mkfifo(3). perm may hold permission bits only. The FIFO is created with
// perm less the umask's bits for group and others, so they never get more
// than perm, and read and write for the owner; then it is given perm
// through the FIFO itself, opened without following symbolic links, so
// that nothing swapped in at path meanwhile is changed. (Only under a umask
// that denies the owner read permission is the mode set by path, after a
// check that a FIFO is there.)
//
// An existing file at path, of whatever kind, is an error satisfying
// errors.Is(err, os.ErrExist); a missing directory one satisfying
// errors.Is(err, os.ErrNotExist). Windows and the targets without FIFOs
// report an error satisfying errors.Is(err, errors.ErrUnsupported).
//
// If there is an error, it will be of type [*os.PathError].
func Mkfifo(path string, perm os.FileMode) error {
	if perm&^os.ModePerm != 0 {
		return &os.PathError{Op: "mkfifo", Path: path, Err: &argError{"mode " + perm.String() + " has bits other than permissions", syscall.EINVAL}}
	}
	if err := sysMkfifo(path, uint32(perm)); err != nil {
		return &os.PathError{Op: "mkfifo", Path: path, Err: err}
	}
	return nil
}

// OpenFifo opens the FIFO at path for reading (flag [os.O_RDONLY]) or
// writing ([os.O_WRONLY]) without ever blocking an OS thread. Other flags,
// [os.O_RDWR] among them, are an error wrapping [syscall.EINVAL]: POSIX
// leaves a FIFO opened for both undefined.
//
//   - For reading it opens at once. Until a writer has opened the FIFO,
//     Read may report [io.EOF] (Linux does), just as after the last writer
//     has closed it; have the writer announce itself through another channel
//     if the reader must not start early.
//   - For writing it waits until a reader has the FIFO open, trying again
//     at growing intervals (from 50µs up to 10ms apart) without holding a
//     thread, until ctx ends; then the error wraps ctx.Err().
//
// A path that exists but is not a FIFO, such as a regular file, a directory
// or a socket, is refused with an error wrapping [syscall.EINVAL] before
// anything is opened: nothing is read from or written to it. The check is
// repeated on the opened file, and a file swapped in at path in between is
// closed again and refused the same way.
//
// The file is close-on-exec and non-blocking, on the runtime's poller, so
// its Read and Write honour deadlines and Close unblocks them. Writing after
// every reader has gone returns an EPIPE error, and never raises SIGPIPE.
// On macOS, whose kqueue does not report a FIFO's last writer going away,
// the file is put in blocking mode instead, as [os.OpenFile] does with
// FIFOs there: its Read and Write then hold a thread and have no deadlines.
//
// Windows and the targets without FIFOs report an error satisfying
// errors.Is(err, errors.ErrUnsupported).
//
// If there is an error, it will be of type [*os.PathError].
func OpenFifo(ctx context.Context, path string, flag int) (*os.File, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	if flag != os.O_RDONLY && flag != os.O_WRONLY {
		return nil, &os.PathError{Op: "open", Path: path, Err: &argError{"OpenFifo flag must be os.O_RDONLY or os.O_WRONLY", syscall.EINVAL}}
	}
	f, err := sysOpenFifo(ctx, path, flag)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return f, nil
}
