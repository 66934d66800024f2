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
// that nothing swapped in at path meanwhile is changed, and with O_NOCTTY,
// so that a terminal swapped in never becomes the process's controlling
// terminal. (Only under a umask
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

// WaitForWriter is a flag for [OpenFifo]: os.O_RDONLY|WaitForWriter opens
// a FIFO for reading and waits for a writer, as opening it in blocking mode
// would, without holding a thread.
const WaitForWriter = 0x40000000

// OpenFifo opens the FIFO at path for reading (flag [os.O_RDONLY], or
// os.O_RDONLY|[WaitForWriter]) or writing ([os.O_WRONLY]) without ever
// blocking an OS thread. Other flags, [os.O_RDWR] among them, are an error
// wrapping [syscall.EINVAL]: POSIX leaves a FIFO opened for both undefined.
//
//   - For writing it waits until a reader has the FIFO open, trying again
//     at growing intervals (from 50µs up to 10ms apart) without holding a
//     thread, until ctx ends.
//   - For reading it opens at once. Until a writer has opened the FIFO,
//     Read may report [io.EOF] (Linux does), just as after the last writer
//     has closed it.
//   - For reading with WaitForWriter it waits, parked on the runtime's
//     poller, until a writer has written to the FIFO, or has opened it and
//     closed it again, or until ctx ends: until Read has something to
//     report, data or a true end of file (a writer that opened the FIFO and
//     closed it without writing). A writer that holds the FIFO open without
//     writing keeps it waiting. WaitForWriter works on Linux and Android;
//     elsewhere it is an error satisfying errors.Is(err, errors.ErrUnsupported).
//
// When ctx ends the wait, the error wraps ctx.Err(); a deadline that passed
// gives an error matching both [context.DeadlineExceeded] and
// [os.ErrDeadlineExceeded], as Dial's does.
//
// Only a FIFO is ever opened. Anything else at path (a regular file, a
// directory, a socket, a device) is refused with an error wrapping
// [syscall.EINVAL], and so is a symbolic link as the last component of path,
// even one leading to a FIFO; symbolic links to the directories on the way
// are followed, as by any open. On Linux the FIFO is found with an O_PATH
// descriptor, which opens nothing, checked, and then opened through
// /proc/self/fd, so a file swapped in at path meanwhile is never opened.
// Elsewhere, and on Linux without /proc, the path is checked, then opened
// again without following a symbolic link, and the opened file must be the
// one checked: a file swapped in between those two steps is opened and
// closed at once, untouched, and refused the same way. The FIFO is opened
// with O_NOCTTY, so a terminal never becomes the process's controlling
// terminal through OpenFifo.
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
	if flag != os.O_RDONLY && flag != os.O_WRONLY && flag != os.O_RDONLY|WaitForWriter {
		return nil, &os.PathError{Op: "open", Path: path, Err: &argError{"OpenFifo flag must be os.O_RDONLY, os.O_RDONLY|ipc.WaitForWriter or os.O_WRONLY", syscall.EINVAL}}
	}
	f, err := sysOpenFifo(ctx, path, flag)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return f, nil
}
