// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements the Linux and Android parts of local sockets: the
// fast path that creates descriptors non-blocking and close-on-exec in one
// call, abstract names, race-free chmod and SO_PEERCRED.

package ipc

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// abstractNames tells resolveName that "@name" is an abstract socket.
const abstractNames = true

const acceptCall = "accept4"

// unnamed is the name of an unnamed socket as package net shows it: Linux
// reports such a socket's address as the bare family, which package
// syscall, and so net, reads as an abstract name of nothing, "@".
const unnamed = "@"

// _O_PATH is O_PATH from <fcntl.h>, the same on every Linux architecture Go
// supports; package syscall does not define it.
const _O_PATH = 0x200000

// sysSocket wraps socket(2), creating the socket non-blocking and
// close-on-exec atomically.
func sysSocket(typ int) (int, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

// sysAccept wraps accept4(2), creating the connection's socket non-blocking
// and close-on-exec atomically.
func sysAccept(fd int) (int, error) {
	nfd, _, err := syscall.Accept4(fd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
	return nfd, err
}

// presetMode gives the socket the mode its file is to have. Linux creates
// a socket's file with the socket's own mode less the umask's bits, so
// from the moment the file exists it grants no more than mode: nobody the
// mode excludes can ever connect or send a datagram. Bits the umask takes
// are added after bind (chmodSocket), which can only widen access to what
// mode allows.
func presetMode(fd int, mode uint32) error { return syscall.Fchmod(fd, mode) }

var errReplaced = errors.New("socket file was replaced before its mode was set")

// chmodSocket sets the mode of the socket file (or FIFO) at path, which
// must still be the file described by want. It opens the file itself with
// O_PATH and O_NOFOLLOW and changes the mode through /proc/self/fd, so a
// symbolic link swapped in at path cannot redirect the chmod to another
// file. Without /proc it changes the mode by path only where the directory
// keeps other users from swapping a file in (dirGuards).
func chmodSocket(path string, want *syscall.Stat_t, mode uint32) error {
	fd, err := syscall.Open(path, _O_PATH|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Dev != want.Dev || st.Ino != want.Ino {
		return &os.PathError{Op: "chmod", Path: path, Err: errReplaced}
	}
	err = syscall.Chmod(procFDDir+"/"+strconv.Itoa(fd), mode)
	if err == syscall.ENOENT && !procFDs() {
		err = errUnguardedChmod
		if dirGuards(filepath.Dir(path)) {
			err = syscall.Chmod(path, mode)
		}
	}
	if err != nil {
		return &os.PathError{Op: "chmod", Path: path, Err: err}
	}
	return nil
}

// peerCred wraps getsockopt(SO_PEERCRED), and reads the peer's groups and
// security label (peerIdentity).
func (c *Conn) peerCred() (*Cred, error) {
	rc, err := c.f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *Cred
	var serr error
	if err := rc.Control(func(fd uintptr) {
		u, err := syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
		if err != nil {
			serr = os.NewSyscallError("getsockopt", err)
			return
		}
		cred = &Cred{PID: int(u.Pid), UID: int(u.Uid), GID: int(u.Gid)}
		serr = peerIdentity(int(fd), cred)
	}); err != nil {
		return nil, fileErr(err)
	}
	if serr != nil {
		return nil, serr
	}
	return cred, nil
}

// seqpacketOK: Linux has SOCK_SEQPACKET for AF_UNIX.
const seqpacketOK = true

const (
	msgCmsgCloexec = syscall.MSG_CMSG_CLOEXEC
	scmCredentials = syscall.SCM_CREDENTIALS
)

// credSpace is the control space of one SCM_CREDENTIALS message.
var credSpace = syscall.CmsgSpace(syscall.SizeofUcred)

// scmPidfd is the control message that carries the sender's pidfd, a
// descriptor the receiver must close if it does not return it.
const scmPidfd = _SCM_PIDFD

// pidfdSpace is the control space of one SCM_PIDFD message, whose data is
// one int.
var pidfdSpace = syscall.CmsgSpace(4)

// initMsgConn turns on SO_PASSCRED for a message-mode socket, so that every
// message, even an empty one, arrives with the sender's credentials: that is
// how an empty message is told apart from the end of the connection, where
// recvmsg returns 0 too.
func initMsgConn(fd int) error {
	return os.NewSyscallError("setsockopt", syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_PASSCRED, 1))
}

// sysSocketpair wraps socketpair(2), with both ends non-blocking and
// close-on-exec atomically.
func sysSocketpair(typ int) ([2]int, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	return fds, os.NewSyscallError("socketpair", err)
}

// dupFD duplicates fd onto the lowest free descriptor at least min,
// close-on-exec from birth.
func dupFD(fd, min int) (int, error) { return dupFcntl(fd, min) }

// ---- FIFOs (fifo.go) ----

// fifoRef is a FIFO found by path and not yet opened: an O_PATH descriptor
// of the file itself (the last component not followed if it is a symbolic
// link), which opens nothing (no driver, no FIFO end) and can be reopened
// through /proc/self/fd, and the file's status.
type fifoRef struct {
	fd int
	st syscall.Stat_t
}

// lookFifo returns a fifoRef for path, refusing anything but a FIFO.
func lookFifo(path string) (*fifoRef, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, _O_PATH|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	r := &fifoRef{fd: fd}
	if err := syscall.Fstat(fd, &r.st); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("fstat", err)
	}
	if err := checkFifo(&r.st); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return r, nil
}

// open opens the FIFO r refers to with flag, through /proc/self/fd, so that
// it is that FIFO whatever path names now. Without /proc it opens path,
// not following a symbolic link, and the caller compares the file it got.
func (r *fifoRef) open(path string, flag int) (int, error) {
	fd, err := syscall.Open(procFDDir+"/"+strconv.Itoa(r.fd), flag, 0)
	if err == syscall.ENOENT && !procFDs() {
		fd, err = syscall.Open(path, flag|syscall.O_NOFOLLOW, 0)
		return fd, reopenErr(path, &r.st, err)
	}
	return fd, err
}

func (r *fifoRef) close() { syscall.Close(r.fd) }

// noFollowErr reports whether err is how open(2) with O_NOFOLLOW refuses a
// symbolic link.
func noFollowErr(err error) bool { return err == syscall.ELOOP }

// procFDDir is where a process's descriptors can be reopened (a variable
// for the tests, which take it away).
var procFDDir = "/proc/self/fd"

// procFDs reports whether procFDDir is there.
func procFDs() bool {
	var st syscall.Stat_t
	return syscall.Stat(procFDDir, &st) == nil
}

// fifoWaitOK: OpenFifo can wait for a FIFO's first writer here.
const fifoWaitOK = true

// waitWriter waits until f, a FIFO just opened for reading, has data or
// has had a writer come and go since it was opened, or until ctx ends;
// until then a read would report a false end of file. It parks on the
// poller: Linux reports a FIFO's hang-up only to readers that opened it
// before the writer left (pipe_poll), so neither the poller nor the check
// below sees one for the time before any writer came.
func waitWriter(ctx context.Context, f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return bareFileErr(err)
	}
	if d, ok := ctx.Deadline(); ok {
		f.SetReadDeadline(d)
	}
	stop := func() bool { return true }
	var fired chan struct{}
	if ctx.Done() != nil {
		fired = make(chan struct{})
		stop = context.AfterFunc(ctx, func() {
			f.SetReadDeadline(time.Unix(1, 0))
			close(fired)
		})
	}
	var perr error
	err = rc.Read(func(fd uintptr) bool {
		var ready bool
		ready, perr = readable(int(fd))
		return ready || perr != nil
	})
	if !stop() {
		<-fired
	}
	f.SetReadDeadline(time.Time{})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return mapCtxErr(cerr)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return errTimeout // ctx's deadline, seen by the poller first
		}
		return bareFileErr(err)
	}
	return perr
}

// pollFd is struct pollfd.
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

// poll(2) events, the same on every Linux architecture.
const (
	_POLLIN  = 0x1
	_POLLERR = 0x8
	_POLLHUP = 0x10
)

// readable reports whether a read on fd would not block, with a ppoll(2)
// that does not wait.
func readable(fd int) (bool, error) {
	p := pollFd{fd: int32(fd), events: _POLLIN}
	var ts syscall.Timespec
	for {
		n, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		switch e {
		case 0:
			return n > 0 && p.revents&(_POLLIN|_POLLHUP|_POLLERR) != 0, nil
		case syscall.EINTR:
			continue
		}
		return false, os.NewSyscallError("ppoll", e)
	}
}

// ---- recvmsg ----

// noDirectRecvmsg is set once the kernel has reported that it has no
// recvmsg system call of its own (s390x before Linux 4.3, where only
// socketcall(2) reaches it); recvmsgSyscall then does the work.
var noDirectRecvmsg atomic.Bool

// recvmsgSyscall is recvmsgNoName by way of syscall.Recvmsg, which uses
// socketcall(2) where the architecture needs it, at the cost of allocating
// the sender's address when the sender has a name. With an empty p and a
// control buffer, syscall.Recvmsg reads one byte into a buffer of its own,
// so that descriptors can come with it; on a message socket that is the
// message, which did not fit and is reported as truncated, as it would be
// without the byte. (On a stream socket the byte would be lost, but recvMsg
// never reads a stream into an empty buffer.)
func recvmsgSyscall(fd int, p, oob []byte, flags int) (n, oobn, rflags int, err error) {
	n, oobn, rflags, _, err = syscall.Recvmsg(fd, p, oob, flags)
	if err == nil && n > len(p) {
		n, rflags = len(p), rflags|syscall.MSG_TRUNC
	}
	return n, oobn, rflags, err
}

// ---- signals (signal.go) ----

// The real-time signals RealtimeSignal hands out: SIGRTMIN to SIGRTMAX. The
// kernel's are 32 to 64, but the C libraries and the Go runtime keep the
// first ones for themselves:
//
//   - Linux: glibc keeps 32 and 33 and musl also 34, and the Go runtime
//     reserves all three: it uses 33 itself for per-thread system calls
//     (never passed on to os/signal), and passes 32 and 34 on only when
//     they come from kill(2), not from sigqueue(3). SIGRTMIN is 35.
//   - Android: bionic reserves 32 to 41 (__SIGRT_RESERVED: POSIX timers,
//     libbacktrace, libcore, debuggerd, profilers, coverage, fdtrack, MTE),
//     and debuggerd's signal 35 makes a process dump its stacks. Its
//     SIGRTMIN is 42. Older releases reserved fewer (SIGRTMIN 38 or 41);
//     42 is free on all of them.
//
// os/signal handles signals up to 64 on every architecture, MIPS included,
// where the kernel has 128.
const (
	linuxRTMin   = 35
	androidRTMin = 42
	rtSigMax     = 64
)

// sigOS is the system whose signal layout applies: runtime.GOOS ("linux" or
// "android"). The tests switch it to check Android's layout on Linux.
var sigOS = runtime.GOOS

// rtRange returns SIGRTMIN and SIGRTMAX as RealtimeSignal numbers them.
func rtRange() (min, max int) {
	if sigOS == "android" {
		return androidRTMin, rtSigMax
	}
	return linuxRTMin, rtSigMax
}

func rtSignal(n int) os.Signal {
	min, _ := rtRange()
	return syscall.Signal(min + n)
}

// maxSignal returns the highest signal os/signal can deliver.
func maxSignal() int { return rtSigMax }

// reservedSignal says who keeps s for itself, or "" if no one does (see
// rtRange).
func reservedSignal(s syscall.Signal) string {
	switch min, _ := rtRange(); {
	case s >= 32 && s < linuxRTMin:
		return "the Go runtime"
	case s >= linuxRTMin && int(s) < min:
		return "Android's C library (bionic)"
	}
	return ""
}

// ---- pipes (pipe.go) ----

const pipeCall = "pipe2"

// sysPipe2 wraps pipe2(2), creating both ends non-blocking and
// close-on-exec atomically.
func sysPipe2() ([2]int, error) {
	var p [2]int
	err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC)
	return p, os.NewSyscallError("pipe2", err)
}

// pipeMaxSizeFile holds the largest size an unprivileged process may give a
// pipe.
const pipeMaxSizeFile = "/proc/sys/fs/pipe-max-size"

// setPipeSize resizes the pipe of fd with fcntl(F_SETPIPE_SZ). A size above
// pipe-max-size is refused here rather than by the kernel, which grants it
// to processes with CAP_SYS_RESOURCE, so that the limit holds for everyone.
func setPipeSize(fd, size int) error {
	if size > math.MaxInt32 {
		// The kernel takes an unsigned int and would truncate it.
		return os.NewSyscallError("fcntl", &argError{"PipeConfig.BufferSize " + strconv.Itoa(size) + " is too large", syscall.EINVAL})
	}
	if b, err := os.ReadFile(pipeMaxSizeFile); err == nil {
		if max, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && size > max {
			return os.NewSyscallError("fcntl", &argError{"PipeConfig.BufferSize " + strconv.Itoa(size) +
				" is above the system limit of " + strconv.Itoa(max) + " (" + pipeMaxSizeFile + ")", syscall.EINVAL})
		}
	}
	_, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETPIPE_SZ, uintptr(size))
	if e != 0 {
		return os.NewSyscallError("fcntl", e)
	}
	return nil
}

// pipeSize wraps fcntl(F_GETPIPE_SZ).
func pipeSize(fd int) (int, error) {
	n, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETPIPE_SZ, 0)
	if e != 0 {
		return 0, os.NewSyscallError("fcntl", e)
	}
	return int(n), nil
}

// ---- performance: sched_yield and splice (issue 7) ----

// spinOK: low-latency mode spins here, with sched_yield between attempts.
const spinOK = true

// osYield gives the CPU to any other runnable thread (sched_yield(2)), so
// that spinning never starves a peer that shares the CPU. It is a raw
// system call, without telling the Go scheduler: the call returns as soon
// as the threads it let run give the CPU back, usually within
// microseconds, and announcing it as a system call made the runtime hand
// the goroutine's P to another thread and take it back on return, which
// on one shared CPU cost more than the yield itself (1-byte round trip on
// one CPU: 25-28 µs with syscall.Syscall, 16-21 µs with RawSyscall).
func osYield() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }

const (
	_SPLICE_F_MOVE     = 0x1
	_SPLICE_F_NONBLOCK = 0x2

	// maxSpliceSize is the most one splice call is asked to move, as in
	// internal/poll.
	maxSpliceSize = 1 << 20
)

// splicedBytes counts the bytes that splice has delivered to destinations,
// for the tests.
var splicedBytes atomic.Int64

// What splice can take on the other side of a copy.
const (
	kindNone = iota
	kindPipe
	kindSocket // a stream socket
	kindFile   // a regular file
)

// otherEnd returns the raw connection of x, a reader or writer, and what
// kind of descriptor is behind it: a pipe or FIFO or a stream socket in
// non-blocking mode (waits go through the poller, so a blocking one would
// hold a thread or fail), or a regular file (not in append mode, which
// splice refuses, when it is the destination).
func otherEnd(x any, dst bool) (syscall.RawConn, int) {
	sc, ok := x.(syscall.Conn)
	if !ok {
		return nil, kindNone
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, kindNone
	}
	kind := kindNone
	if rc.Control(func(fd uintptr) { kind = spliceKind(int(fd), dst) }) != nil {
		return nil, kindNone
	}
	return rc, kind
}

func spliceKind(fd int, dst bool) int {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil {
		return kindNone
	}
	fl, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if e != 0 {
		return kindNone
	}
	nonblock := fl&syscall.O_NONBLOCK != 0
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFIFO:
		if nonblock {
			return kindPipe
		}
	case syscall.S_IFSOCK:
		if typ, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE); err == nil &&
			typ == syscall.SOCK_STREAM && nonblock {
			return kindSocket
		}
	case syscall.S_IFREG:
		if !dst || fl&syscall.O_APPEND == 0 {
			return kindFile
		}
	}
	return kindNone
}

// spliceFrom moves up to remain bytes (all, if remain is negative) from r
// into c.
func spliceFrom(c *Conn, r io.Reader, remain int64) (int64, bool, error) {
	rc, kind := otherEnd(r, false)
	s := &splicer{src: rc, dst: c.rc, remain: remain, spin: copySpin(c), write: c.Write, arg: r, argIsSrc: true}
	return s.run(kind)
}

// spliceTo moves everything from c into w.
func spliceTo(c *Conn, w io.Writer) (int64, bool, error) {
	rc, kind := otherEnd(w, true)
	s := &splicer{src: c.rc, dst: rc, remain: -1, spin: copySpin(c), write: w.Write, arg: w}
	return s.run(kind)
}

// copySpin returns the spin window of c's copies in low-latency mode, nil
// in default mode.
func copySpin(c *Conn) *spinWindow {
	if c.flag(flagLowLatency) {
		return &c.spin.state().copy
	}
	return nil
}

// splicer is one ReadFrom or WriteTo by splice. The data goes through an
// internal 1 MiB pipe, filled from the source and drained into the
// destination, so each splice call has one side to wait for. Every wait
// goes through that side's poller, with its deadline, and follows an
// attempt made after the poller was armed, so no wake-up is lost.
//
// The internal pipe is used even when the other side is a pipe, which one
// splice call could reach directly: measured between processes, the
// direct splice was slower (0.6-1.0x of the internal pipe's throughput
// with a 64 KiB pipe on the other side, 0.7-1.0x with 1 MiB), because the
// internal pipe takes up to 1 MiB off the source at once and lets the
// source's writer go on while the destination drains, and a direct copy
// needs an extra poll(2) to learn which side it must wait for.
type splicer struct {
	src, dst syscall.RawConn
	remain   int64 // bytes still to move; negative means until EOF
	written  int64 // bytes delivered to the destination
	calls    int   // successful splice calls, to tell a first-call refusal
	eof      bool
	err      error // the failed splice's error, or the other side's

	// spin is the Conn's window in low-latency mode, else nil. Then a
	// splice that finds nothing to do retries, yielding between attempts,
	// for the window (spinWindow.spin) before the copy waits on a poller;
	// after a wait the next empty splice spins again.
	spin *spinWindow

	// write is the plain Write of the destination, for data that is in
	// the internal pipe when the destination refuses splice.
	write func([]byte) (int, error)

	// arg is the reader or writer on the other side of the connection,
	// the source if argIsSrc; the errors of its raw connection are its
	// own (argFileErr), not the connection's.
	arg      any
	argIsSrc bool
}

// spinOn retries the splice step on fd for the spin window, if the copy
// spins. step reports whether it got anywhere (moved data, or found an end or an
// error); spinOn reports the same of its last attempt.
func (s *splicer) spinOn(fd uintptr, step func(uintptr) bool) bool {
	return s.spin != nil && s.spin.spin(fd, step)
}

func (s *splicer) chunk(limit int) int {
	if s.remain >= 0 && s.remain < int64(limit) {
		return int(s.remain)
	}
	return limit
}

func (s *splicer) done() bool { return s.eof || s.err != nil || s.remain == 0 }

// run moves the data. handled is false if splice cannot do it at all (the
// kind of the other side, or the kernel refused the first call): then the
// caller copies the rest plainly, after the written bytes, if err is nil;
// a non-nil err is then the destination's own, from writing out what the
// internal pipe held.
func (s *splicer) run(kind int) (written int64, handled bool, err error) {
	switch kind {
	case kindPipe, kindSocket, kindFile:
	default:
		return 0, false, nil
	}
	p, err := getSplicePipe()
	if err != nil {
		return 0, false, nil
	}
	defer putSplicePipe(p)
	err = s.viaPipe(p)
	if s.calls == 0 && s.written == 0 && refused(err) {
		// A source that refuses does so before anything is taken from it,
		// but a destination refuses only once the first chunk has left the
		// source for the internal pipe. That chunk goes out with plain
		// writes, ahead of the plain copy of the rest.
		written, err = s.writeOut(p)
		return written, false, err
	}
	return s.written, true, err
}

// writeOut writes what the internal pipe p holds to the destination with
// its plain Write, emptying p.
func (s *splicer) writeOut(p *splicePipe) (int64, error) {
	var written int64
	buf := make([]byte, min(p.data, 64<<10))
	for p.data > 0 {
		n, err := syscall.Read(p.r, buf[:min(p.data, len(buf))])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return written, os.NewSyscallError("read", err)
		}
		p.data -= n
		m, err := s.write(buf[:n])
		written += int64(m)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// refused reports whether a splice error means the kernel does not splice
// between these two descriptors.
func refused(err error) bool {
	var se *os.SyscallError
	if !errors.As(err, &se) {
		return false
	}
	return se.Err == syscall.EINVAL || se.Err == syscall.ENOSYS || se.Err == syscall.EOPNOTSUPP
}

// spliceErr names the failed call.
func spliceErr(err error) error { return os.NewSyscallError("splice", err) }

// viaPipe splices from the source into the internal pipe p and from p into
// the destination, each step in its own side's raw callback.
func (s *splicer) viaPipe(p *splicePipe) error {
	var n int64
	var err error
	fillTry := func(sfd uintptr) bool {
		for {
			n, err = splice(int(sfd), nil, p.w, nil, s.chunk(maxSpliceSize), _SPLICE_F_MOVE|_SPLICE_F_NONBLOCK)
			if err != syscall.EINTR {
				return err != syscall.EAGAIN
			}
		}
	}
	fill := func(sfd uintptr) bool {
		if !fillTry(sfd) && !s.spinOn(sfd, fillTry) {
			return false // the pipe is empty, so the source is
		}
		switch {
		case err != nil:
			s.err = spliceErr(err)
		case n == 0:
			s.eof = true
		default:
			p.data += int(n)
		}
		return true
	}
	drainTry := func(dfd uintptr) bool {
		for {
			n, err = splice(p.r, nil, int(dfd), nil, p.data, _SPLICE_F_MOVE|_SPLICE_F_NONBLOCK)
			if err != syscall.EINTR {
				return err != syscall.EAGAIN
			}
		}
	}
	drain := func(dfd uintptr) bool {
		for p.data > 0 {
			if !drainTry(dfd) && !s.spinOn(dfd, drainTry) {
				return false
			}
			if err != nil {
				s.err = spliceErr(err)
				return true
			}
			s.calls++
			p.data -= int(n)
			s.written += n
			if s.remain > 0 {
				s.remain -= n
			}
			splicedBytes.Add(n)
		}
		return true
	}
	for !s.done() {
		if err := s.src.Read(fill); err != nil {
			if s.argIsSrc {
				return argFileErr("read", s.arg, err)
			}
			return err
		}
		if s.err != nil {
			return s.err
		}
		if p.data == 0 {
			continue // EOF, or the limit reached
		}
		if err := s.dst.Write(drain); err != nil {
			if !s.argIsSrc {
				return argFileErr("write", s.arg, err)
			}
			return err
		}
	}
	return s.err
}

// splice wraps syscall.Splice, whose count is an int64 on some platforms
// and an int on others, without offsets.
func splice(rfd int, roff *int64, wfd int, woff *int64, n int, flags int) (int64, error) {
	m, err := syscall.Splice(rfd, roff, wfd, woff, n, flags)
	return int64(m), err
}

// splicePipe is an internal pipe, kept between copies in a small free list.
type splicePipe struct {
	r, w int
	data int // bytes in the pipe
}

// splicePipes holds up to cap(splicePipes) idle internal pipes. A fixed
// free list, unlike a sync.Pool, closes surplus pipes at once instead of
// leaving them open until a collection finds them, so the number of
// descriptors the package holds stays small and predictable.
var splicePipes = make(chan *splicePipe, 4)

// getSplicePipe takes a pipe from the free list or makes a new one,
// close-on-exec and non-blocking.
func getSplicePipe() (*splicePipe, error) {
	select {
	case p := <-splicePipes:
		return p, nil
	default:
	}
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		return nil, os.NewSyscallError("pipe2", err)
	}
	// Off the standard descriptors, where a write to standard output would
	// go into the copy.
	for i := range fds {
		var err error
		if fds[i], err = above2(fds[i]); err != nil {
			syscall.Close(fds[1-i])
			return nil, err
		}
	}
	// A pipe as large as one splice call, as internal/poll makes its own:
	// each fill then takes all the source has, up to 1 MiB, and the
	// source's writer can go on while the destination drains. Best effort:
	// the kernel counts the 256 pages against the user's pipe-user-pages
	// limits whether or not they hold data, and refuses past the soft one
	// (16384 pages by default), where the default 64 KiB still works, in
	// smaller steps. The free list's bound keeps this package's share at
	// 4 idle pipes plus one per copy in progress.
	syscall.Syscall(syscall.SYS_FCNTL, uintptr(fds[0]), syscall.F_SETPIPE_SZ, maxSpliceSize)
	return &splicePipe{r: fds[0], w: fds[1]}, nil
}

// putSplicePipe keeps an empty pipe for the next copy, if there is room,
// and closes any other, including one that still holds data, which
// belongs to no one now.
func putSplicePipe(p *splicePipe) {
	if p.data == 0 {
		select {
		case splicePipes <- p:
			return
		default:
		}
	}
	syscall.Close(p.r)
	syscall.Close(p.w)
}

// ---- peer identity: pidfds, supplementary groups, security labels ----

// Socket options and a control message newer than package syscall, with
// the values every Linux architecture Go supports uses (<asm/socket.h>,
// checked against golang.org/x/sys/unix; only SPARC, which Go does not
// support, numbers the first three differently).
const (
	_SO_PEERGROUPS = 59 // Linux 4.13
	_SO_PASSPIDFD  = 76 // Linux 6.5
	_SO_PEERPIDFD  = 77 // Linux 6.5
	_SCM_PIDFD     = 4  // Linux 6.5
)

// sysBase is where the architecture's system call numbers start: 4000 for
// the MIPS o32 ABI, 5000 for MIPS n64 and 0 everywhere else. (exit is
// system call 1, 60 or 93 elsewhere, 4001 and 5058 on MIPS.) System calls
// added since Linux 5.1 have the same number above this base on every
// architecture.
const sysBase = syscall.SYS_EXIT / 1000 * 1000

const sysPidfdSendSignal = sysBase + 424 // Linux 5.1

// peerIdentity adds the supplementary groups (SO_PEERGROUPS) and security
// label (SO_PEERSEC) of the peer of fd to cred. An option the kernel (or an
// emulator) does not have leaves its field unset; other errors are
// returned.
func peerIdentity(fd int, cred *Cred) error {
	var buf [64]uint32 // room for most processes' groups; retried if not
	gids := buf[:]
	for {
		size := uint32(4 * len(gids))
		err := getsockopt(fd, syscall.SOL_SOCKET, _SO_PEERGROUPS, unsafe.Pointer(&gids[0]), &size)
		if err == syscall.ERANGE {
			if int(size) > 4*len(gids) {
				gids = make([]uint32, size/4)
				continue
			}
			// The kernel always says how much room it needs; qemu-user
			// passes the option through with room for one int only and
			// reports ERANGE for more than one group without the size.
			break
		}
		if err == nil {
			// In ascending order: the kernel keeps a process's groups
			// sorted (groups_sort) and hands them out as they are.
			cred.Groups = make([]int, size/4)
			for i := range cred.Groups {
				cred.Groups[i] = int(gids[i])
			}
		} else if !optionMissing(err) {
			return os.NewSyscallError("getsockopt", err)
		}
		break
	}
	label := make([]byte, 256)
	for {
		size := uint32(len(label))
		err := getsockopt(fd, syscall.SOL_SOCKET, syscall.SO_PEERSEC, unsafe.Pointer(&label[0]), &size)
		if err == syscall.ERANGE && int(size) > len(label) {
			label = make([]byte, size)
			continue
		}
		if err == nil {
			// SELinux counts the terminating NUL in the length.
			cred.SecurityLabel = strings.TrimRight(string(label[:min(int(size), len(label))]), "\x00")
		} else if !optionMissing(err) {
			return os.NewSyscallError("getsockopt", err)
		}
		return nil
	}
}

// optionMissing reports whether a getsockopt error means the option is not
// there to read: the kernel does not know it (ENOPROTOOPT), no security
// module labels the socket (ENOPROTOOPT), or an emulator such as qemu-user
// does not pass it through (EOPNOTSUPP).
func optionMissing(err error) bool {
	return err == syscall.ENOPROTOOPT || err == syscall.EOPNOTSUPP
}

// unsupportedError marks an errno that says the kernel lacks a feature, so
// that errors.Is(err, errors.ErrUnsupported) holds while the errno stays
// reachable through Unwrap.
type unsupportedError struct {
	err  error
	what string
}

func (e *unsupportedError) Error() string        { return e.what + ": " + e.err.Error() }
func (e *unsupportedError) Unwrap() error        { return e.err }
func (e *unsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }

// pidfdErr maps the errors of calls that make a pidfd: a missing option to
// ErrUnsupported, a vanished process to os.ErrProcessDone.
func pidfdErr(call, option string, err error) error {
	switch {
	case optionMissing(err), err == syscall.ENOSYS:
		return os.NewSyscallError(call, &unsupportedError{err, option + " is not supported here (Linux has it from 6.5)"})
	case err == syscall.ESRCH:
		return os.NewSyscallError(call, goneErr(err))
	}
	return os.NewSyscallError(call, err)
}

// peerProcess opens a pidfd for the peer with SO_PEERPIDFD and reads its
// PID with SO_PEERCRED. Both name the process the kernel recorded at
// connect, so they agree.
func (c *Conn) peerProcess() (*Process, error) {
	pidfd, pid := -1, 0
	var serr error
	if err := c.rc.Control(func(fd uintptr) {
		if pidfd, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, _SO_PEERPIDFD); serr != nil {
			serr = pidfdErr("getsockopt", "SO_PEERPIDFD", serr)
			return
		}
		u, err := syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
		if err != nil {
			serr = os.NewSyscallError("getsockopt", err)
			return
		}
		pid = int(u.Pid)
	}); err != nil {
		return nil, fileErr(err)
	}
	if serr != nil {
		if pidfd >= 0 {
			syscall.Close(pidfd)
		}
		return nil, serr
	}
	return newProcess(pidfd, pid)
}

// newProcess puts pidfd, a close-on-exec pidfd as the kernel hands them
// out, on the runtime's poller, where it turns readable when the process
// exits, after moving it above 2 (above2). It takes ownership of pidfd,
// closing it on error.
func newProcess(pidfd, pid int) (*Process, error) {
	pidfd, err := above2(pidfd)
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(pidfd, true); err != nil {
		syscall.Close(pidfd)
		return nil, os.NewSyscallError("setnonblock", err)
	}
	f := os.NewFile(uintptr(pidfd), "pidfd:"+strconv.Itoa(pid))
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Process{pid: pid, f: f, rc: rc, waiting: make(chan struct{}, 1)}, nil
}

// exited reports whether the process of the pidfd has exited, without
// waiting: a pidfd polls readable from the moment its process exits (it
// need not have been reaped), and hung up once it has been.
func (p *Process) exited(fd uintptr) (bool, error) { return readable(int(fd)) }

// signal sends sig through the pidfd with pidfd_send_signal(2).
func (p *Process) signal(fd uintptr, sig os.Signal) (string, error) {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return "", unsupportedSignal(sig)
	}
	_, _, e := syscall.Syscall6(sysPidfdSendSignal, fd, uintptr(s), 0, 0, 0, 0)
	switch {
	case e == 0:
		return "", nil
	case e == syscall.ENOSYS:
		return "pidfd_send_signal", &unsupportedError{e, "pidfd_send_signal needs Linux 5.1 or later"}
	}
	return "pidfd_send_signal", goneErr(e)
}

// recvProcess reads like RecvCred and opens a pidfd for the sender of the
// data (SCM_PIDFD). SO_PASSPIDFD is on for the duration of the call, under
// the receive lock that every other recvmsg of the connection takes, and
// then back as it was; a pidfd that arrives at any other read is closed
// there. SO_PASSCRED stays on from the first call, as RecvCred leaves it:
// a datagram socket records its senders only while it is on.
func (c *Conn) recvProcess(b []byte, from *string) (n int, p *Process, truncated bool, err error) {
	if len(b) == 0 && !c.msg {
		// As Read: nothing to read into on a stream, so nothing is read.
		// recvmsg would wait for data, read none of it and take (and so
		// lose) the files that came with it.
		return 0, nil, false, nil
	}
	if !c.flag(flagPassCred) {
		if err := c.enablePassCred(); err != nil {
			return 0, nil, false, err
		}
	}
	rx := c.rxState()
	rx.mu.Lock()
	defer rx.mu.Unlock()
	was := 0
	setPass := func(on int) error {
		var serr error
		if err := c.rc.Control(func(fd uintptr) {
			if was, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, _SO_PASSPIDFD); serr == nil && was != on {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, _SO_PASSPIDFD, on)
			}
		}); err != nil {
			return fileErr(err)
		}
		if serr != nil {
			return pidfdErr("setsockopt", "SO_PASSPIDFD", serr)
		}
		return nil
	}
	if err := setPass(1); err != nil {
		return 0, nil, false, err
	}
	if was == 0 {
		defer setPass(0)
	}

	// Room for the sender's credentials and its pidfd, in the order the
	// kernel writes them. Descriptors sent with the data (SCM_RIGHTS, which
	// comes between the two) are closed.
	oob := make([]byte, credSpace+syscall.CmsgSpace(4*maxFilesPerMsg)+pidfdSpace)
	var oobn, flags int
	var sa syscall.Sockaddr
	var serr error
	err = c.rc.Read(func(fd uintptr) bool {
		for {
			if from != nil {
				n, oobn, flags, sa, serr = syscall.Recvmsg(int(fd), b, oob, syscall.MSG_CMSG_CLOEXEC)
			} else {
				n, oobn, flags, serr = recvmsgNoName(int(fd), b, oob, syscall.MSG_CMSG_CLOEXEC)
			}
			if serr == syscall.EINTR {
				continue
			}
			return serr != syscall.EAGAIN
		}
	})
	if err != nil {
		return 0, nil, false, fileErr(err)
	}
	if serr != nil {
		return 0, nil, false, os.NewSyscallError("recvmsg", serr)
	}
	ctl, _ := parseControl(oob[:oobn])
	closeFDs(ctl.fds)
	pidfd := -1
	if k := len(ctl.pidfds); k > 0 {
		pidfd = ctl.pidfds[k-1]
		closeFDs(ctl.pidfds[:k-1])
	}
	if from != nil {
		*from = ""
		if sun, ok := sa.(*syscall.SockaddrUnix); ok {
			*from = unixName(sun)
		}
	}
	if n == 0 && (len(b) > 0 || c.msg) && !(c.msg && ctl.hasCred) && !c.dgram {
		if pidfd >= 0 {
			syscall.Close(pidfd)
		}
		return 0, nil, false, io.EOF
	}
	truncated = c.msg && flags&syscall.MSG_TRUNC != 0
	if pidfd < 0 && flags&syscall.MSG_CTRUNC != 0 {
		// The room counted on went to other messages, which another
		// holder of the socket turned on (SO_TIMESTAMP, SO_PASSSEC):
		// the kernel dropped the handle, if there was one.
		return n, nil, truncated, &argError{"control data truncated: the sender's process handle was dropped", syscall.EMSGSIZE}
	}
	if pidfd >= 0 {
		if p, err = newProcess(pidfd, int(ctl.cred.Pid)); err != nil {
			return n, nil, truncated, err
		}
	}
	return n, p, truncated, nil
}

// ---- which file a socket is bound to: sock_diag ----

// Netlink sock_diag numbers from <linux/sock_diag.h> and
// <linux/unix_diag.h>, the same on every Linux architecture.
const (
	_NETLINK_SOCK_DIAG   = 4
	_SOCK_DIAG_BY_FAMILY = 20
	_UDIAG_SHOW_VFS      = 0x2
	_UNIX_DIAG_VFS       = 1
)

// unixDiagReq is struct unix_diag_req: a request for one Unix domain
// socket, by inode number.
type unixDiagReq struct {
	Family   uint8
	Protocol uint8
	_        uint16
	States   uint32
	Ino      uint32
	Show     uint32
	Cookie   [2]uint32
}

// unixDiagMsg is struct unix_diag_msg, the head of the reply; attributes
// follow it.
type unixDiagMsg struct {
	Family uint8
	Type   uint8
	State  uint8
	_      uint8
	Ino    uint32
	Cookie [2]uint32
}

// unixDiagVfs is struct unix_diag_vfs, the UNIX_DIAG_VFS attribute: the
// bound file's inode and device numbers, the device as the kernel numbers
// it internally.
type unixDiagVfs struct {
	Ino uint32
	Dev uint32
}

// boundFileOf asks the kernel which file the Unix domain socket fd is
// bound to (sock_diag, UDIAG_SHOW_VFS) and returns its inode number. ok is
// false where the kernel cannot say: a socket with no file (abstract or
// unnamed), a kernel without unix_diag, a socket of another network
// namespace, an emulator that does not pass the netlink family through.
//
// The device number is not returned: the kernel's is its superblock's,
// which is not what stat reports on btrfs subvolumes and overlayfs. Files
// at one path, in one directory, are told apart by inode alone.
func boundFileOf(fd int) (ino uint64, ok bool) {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Ino > math.MaxUint32 {
		return 0, false
	}
	nl, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, _NETLINK_SOCK_DIAG)
	if err != nil {
		return 0, false
	}
	defer syscall.Close(nl)
	var req struct {
		hdr syscall.NlMsghdr
		req unixDiagReq
	}
	req.hdr = syscall.NlMsghdr{Len: uint32(unsafe.Sizeof(req)), Type: _SOCK_DIAG_BY_FAMILY, Flags: syscall.NLM_F_REQUEST, Seq: 1}
	req.req = unixDiagReq{Family: syscall.AF_UNIX, States: math.MaxUint32, Ino: uint32(st.Ino),
		Show: _UDIAG_SHOW_VFS, Cookie: [2]uint32{math.MaxUint32, math.MaxUint32}}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&req)), unsafe.Sizeof(req))
	if syscall.Sendto(nl, b, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}) != nil {
		return 0, false
	}
	// The kernel answers a request for one socket before sendto returns.
	buf := make([]byte, 512)
	n, _, err := syscall.Recvfrom(nl, buf, syscall.MSG_DONTWAIT)
	if err != nil {
		return 0, false
	}
	msgs, err := syscall.ParseNetlinkMessage(buf[:n])
	if err != nil {
		return 0, false
	}
	for _, m := range msgs {
		if m.Header.Type != _SOCK_DIAG_BY_FAMILY || m.Header.Seq != 1 || len(m.Data) < int(unsafe.Sizeof(unixDiagMsg{})) {
			continue
		}
		if binary.NativeEndian.Uint32(m.Data[unsafe.Offsetof(unixDiagMsg{}.Ino):]) != uint32(st.Ino) {
			continue
		}
		for a := m.Data[unsafe.Sizeof(unixDiagMsg{}):]; len(a) >= syscall.SizeofRtAttr; {
			l := int(binary.NativeEndian.Uint16(a))
			typ := binary.NativeEndian.Uint16(a[2:])
			if l < syscall.SizeofRtAttr || l > len(a) {
				break
			}
			if typ == _UNIX_DIAG_VFS && l >= syscall.SizeofRtAttr+int(unsafe.Sizeof(unixDiagVfs{})) {
				data := a[syscall.SizeofRtAttr:]
				return uint64(binary.NativeEndian.Uint32(data[unsafe.Offsetof(unixDiagVfs{}.Ino):])), true
			}
			a = a[min((l+3)&^3, len(a)):]
		}
	}
	return 0, false
}
