// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import (
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"weak"
)

// PipeConfig holds options for creating a pipe with [PipeConfig.Pipe]. The
// zero value is ready to use and gives the defaults described on each field.
type PipeConfig struct {
	// BufferSize, if not zero, is the capacity in bytes to ask for. With a
	// larger buffer a writer can run further ahead of its reader, which
	// saves context switches when large amounts of data stream through.
	// [PipeBufferSize] reports the size granted.
	//
	//   - Linux: the pipe is resized with fcntl(F_SETPIPE_SZ), which rounds
	//     the size up to a power of two pages. A size above the system
	//     limit in /proc/sys/fs/pipe-max-size is an error wrapping
	//     [syscall.EINVAL], for every user: Pipe checks the limit itself
	//     instead of relying on the kernel, which lets privileged processes
	//     exceed it. Zero keeps the kernel's default (64 KiB).
	//   - Windows: the size is the pipe's buffer quota, passed to
	//     CreateNamedPipe. Zero means 64 KiB.
	//   - macOS and the BSDs size their pipes themselves: a non-zero
	//     BufferSize is an error satisfying
	//     errors.Is(err, errors.ErrUnsupported).
	//
	// A negative size is an error wrapping [syscall.EINVAL].
	BufferSize int

	// BlockingRead and BlockingWrite make the read or the write end a
	// plain blocking file, for a child process that is not a Go program
	// to use with blocking read and write calls once it is handed over
	// with [PassFile]. In this process that end then has no deadlines and
	// holds a thread while it waits. It matters on Windows, where that end
	// is opened for synchronous I/O instead of overlapped I/O (see
	// PassFile), and so has no deadlines in a Go child either; on Unix
	// PassFile gives a child a blocking pipe in any case.
	BlockingRead, BlockingWrite bool
}

// Pipe returns a connected pair of files with the default [PipeConfig]:
// bytes written to w can be read from r. See [PipeConfig.Pipe].
//
// If there is an error, it will be of type [*os.SyscallError].
func Pipe() (r, w *os.File, err error) {
	var pc PipeConfig
	return pc.Pipe()
}

// Pipe returns a connected pair of files: bytes written to w can be read
// from r. Unlike [os.Pipe], both ends are on the runtime's poller on every
// platform, Windows included, so Read and Write honour the deadlines set
// with [os.File.SetReadDeadline] and [os.File.SetWriteDeadline] and Close
// unblocks them (except for an end made blocking with
// [PipeConfig.BlockingRead] or [PipeConfig.BlockingWrite]). Neither end is
// inherited by child processes unless handed over with [PassFile].
//
// Read returns [io.EOF] once every copy of w is closed and the data is
// read. Write to a pipe whose read end is closed returns an error: EPIPE on
// Unix, where the process never gets a SIGPIPE for it (neither end is ever
// descriptor 0, 1 or 2, even in a process that has closed them: package os
// raises one for 1 and 2), and ERROR_NO_DATA or ERROR_BROKEN_PIPE on
// Windows.
//
// For low latency, read r through a [LowLatencyReader]; the ends are plain
// files, so the mode cannot live in the pipe itself. [io.Copy] between an
// end and a [Conn] moves the data with splice(2) on Linux (see
// [Conn.ReadFrom]).
//
// On Unix the ends are a pipe(2), created close-on-exec and non-blocking
// (atomically with pipe2 on Linux). On Windows they are the two ends of a
// named pipe opened for overlapped I/O: the read end is an inbound-only
// server instance, the only one its name can ever have, and the write end
// its client. The name is \\.\pipe\ipc-anon-<pid>-<128 random bits in hex>;
// remote clients are rejected and the pipe's DACL grants access to the
// current user and SYSTEM only, so no other process can take the client
// end first.
//
// If there is an error, it will be of type [*os.SyscallError].
func (pc *PipeConfig) Pipe() (r, w *os.File, err error) {
	if pc == nil {
		pc = &PipeConfig{}
	}
	if pc.BufferSize < 0 {
		return nil, nil, os.NewSyscallError(pipeCall, &argError{"negative PipeConfig.BufferSize " + strconv.Itoa(pc.BufferSize), syscall.EINVAL})
	}
	return sysPipe(pc)
}

// PipeBufferSize returns the capacity in bytes of the pipe that f is an end
// of: on Linux the size from fcntl(F_GETPIPE_SZ), on Windows the larger of
// the named pipe's two buffer quotas from GetNamedPipeInfo. It works on any
// pipe, not only those from [Pipe]. Other platforms report an error
// satisfying errors.Is(err, errors.ErrUnsupported).
//
// If there is an error, it will be of type [*os.PathError].
func PipeBufferSize(f *os.File) (int, error) {
	if f == nil {
		return 0, &os.PathError{Op: "buffersize", Err: &argError{"nil *os.File", syscall.EINVAL}}
	}
	n, err := sysPipeBufferSize(f)
	if err != nil {
		return 0, &os.PathError{Op: "buffersize", Path: f.Name(), Err: err}
	}
	return n, nil
}

// passed holds the parent's copies of the files handed to each command, for
// ReleaseFiles. The key is weak, so the map does not keep a command alive:
// a command that is collected without ReleaseFiles has its copies closed
// by release, run as its cleanup.
var passed = struct {
	sync.Mutex
	m map[weak.Pointer[exec.Cmd]][]io.Closer
}{m: make(map[weak.Pointer[exec.Cmd]][]io.Closer)}

// release removes the entry of key from passed and closes its files.
func release(key weak.Pointer[exec.Cmd]) {
	passed.Lock()
	cs := passed.m[key]
	delete(passed.m, key)
	passed.Unlock()
	for _, c := range cs {
		c.Close()
	}
}

// PassFile arranges for the child process that cmd will start to inherit f,
// and returns the token the child gives to [InheritedFile] to get it back.
// Pass the token to the child in its arguments or environment. The child
// inherits no other descriptor or handle that this package created: all are
// close-on-exec or non-inheritable unless passed this way.
//
// PassFile takes f over. After [exec.Cmd.Start] has returned, whether or
// not it succeeded, call [ReleaseFiles] once: it closes this process's
// copies of every file passed to cmd. Until then do not use f or close it
// yourself (closing it twice is harmless). This matters: a pipe reports
// [io.EOF] to its reader only when every copy of its write end is closed,
// so a parent that kept its copy of the child's end would wait for ever.
// Use Start followed by ReleaseFiles, not [exec.Cmd.Run] or
// [exec.Cmd.Output], which keep the copies open until the child has exited.
// If ReleaseFiles is never called, the copies are closed once cmd has been
// garbage collected, as an unreachable [os.File] closes itself; that is a
// safety net, not a substitute, since it may come much later.
// To give one file to several children, pass a separate duplicate to each.
//
// A child that is not a Go program uses the token as follows:
//
//   - Unix: the token is the descriptor number the file has in the child
//     (3 for the first file passed, and so on). PassFile appends f to
//     cmd.ExtraFiles, so files must not be inserted before it there
//     afterwards. If f is a pipe or FIFO, PassFile puts it in blocking
//     mode, so the child can use plain blocking read and write calls. That
//     mode belongs to the open file, which f and the child's descriptor
//     share. Other files keep their mode: a socket from [Conn.File] stays
//     non-blocking, as the [Conn] it shares it with needs.
//   - Windows: the token is the decimal value of the handle the child
//     inherits, a duplicate of f's handle that PassFile creates inheritable
//     and adds to cmd.SysProcAttr.AdditionalInheritedHandles (in a copy of
//     cmd.SysProcAttr, whose other fields are kept; ParentProcess and
//     NoInheritHandles must not be set). The duplicate refers to the same open file as f, so it
//     is overlapped exactly when f is: the ends from [Pipe] are, unless
//     made with [PipeConfig.BlockingRead] or [PipeConfig.BlockingWrite];
//     those from [os.Pipe] are not. Windows requires an OVERLAPPED
//     structure in every ReadFile and WriteFile call on an overlapped
//     handle, so give a child in another language that makes plain
//     blocking calls an end made with BlockingRead or BlockingWrite.
//     PassFile detaches f from this process's I/O completion port first
//     (as [os.File.Fd] does), so that a child can attach the handle to its
//     own; f must not be in use then. Until ReleaseFiles the duplicate is
//     inheritable: Go's own process starts inherit only the handles listed
//     for them, but other code that creates processes inheriting all
//     handles would let it leak into those.
//
// If there is an error, it will be of type [*os.PathError].
func PassFile(cmd *exec.Cmd, f *os.File) (token string, err error) {
	switch {
	case f == nil:
		return "", &os.PathError{Op: "passfile", Err: &argError{"nil *os.File", syscall.EINVAL}}
	case cmd == nil:
		err = &argError{"nil *exec.Cmd", syscall.EINVAL}
	case cmd.Process != nil:
		err = &argError{"command already started", syscall.EINVAL}
	}
	if err != nil {
		return "", &os.PathError{Op: "passfile", Path: f.Name(), Err: err}
	}
	token, c, err := sysPassFile(cmd, f)
	if err != nil {
		return "", &os.PathError{Op: "passfile", Path: f.Name(), Err: err}
	}
	key := weak.Make(cmd)
	passed.Lock()
	cs, known := passed.m[key]
	passed.m[key] = append(cs, c)
	passed.Unlock()
	if !known {
		// Should ReleaseFiles never come, the copies close when cmd is
		// collected, as an unreachable os.File closes itself.
		runtime.AddCleanup(cmd, release, key)
	}
	return token, nil
}

// ReleaseFiles closes this process's copies of the files passed to cmd with
// [PassFile]. Call it once [exec.Cmd.Start] has returned, whether or not
// Start succeeded; the child keeps its own copies. Calling it again, or for a
// command without passed files, does nothing.
func ReleaseFiles(cmd *exec.Cmd) {
	if cmd != nil {
		release(weak.Make(cmd))
	}
}

// bareFileErr strips the *os.PathError that os.File methods add, for callers
// that add their own, and maps the error of a closed file's raw connection
// to os.ErrClosed.
func bareFileErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	if isFileClosed(err) {
		return os.ErrClosed
	}
	return err
}

// InheritedFile returns the file that the parent process passed with
// [PassFile] under token, giving it name (as in [os.NewFile]). A child calls
// it once per token, early: until then the inherited descriptor or handle
// would also be inherited by any process the child starts.
//
// The file is made close-on-exec (Unix) or non-inheritable (Windows). Pipes,
// FIFOs and sockets on Unix, and handles opened for overlapped I/O on
// Windows, go on the runtime's poller, so deadlines work on them. On Unix
// that sets the open file non-blocking, a mode shared with any other
// process that still holds it; other files, such as regular files and
// terminals, are left in the mode they have.
//
// A token that is malformed, or that names no open descriptor or handle, is
// an error wrapping [syscall.EINVAL] or [syscall.EBADF]
// (ERROR_INVALID_HANDLE on Windows). InheritedFile cannot tell a file that
// was passed from one that was merely left open, so only tokens from
// PassFile should be given to it.
//
// If there is an error, it will be of type [*os.PathError].
func InheritedFile(token, name string) (*os.File, error) {
	f, err := sysInheritedFile(token, name)
	if err != nil {
		return nil, &os.PathError{Op: "inherit", Path: name, Err: err}
	}
	return f, nil
}
