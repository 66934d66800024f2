// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements the package on Windows: local sockets are named pipes.

package ipc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf16"
	"unsafe"
)

//sys	createNamedPipe(name *uint16, openMode uint32, pipeMode uint32, maxInstances uint32, outSize uint32, inSize uint32, defaultTimeout uint32, sa *syscall.SecurityAttributes) (h syscall.Handle, err error) [failretval==syscall.InvalidHandle] = kernel32.CreateNamedPipeW
//sys	connectNamedPipe(h syscall.Handle, o *syscall.Overlapped) (err error) = kernel32.ConnectNamedPipe
//sys	disconnectNamedPipe(h syscall.Handle) (err error) = kernel32.DisconnectNamedPipe
//sys	waitNamedPipe(name *uint16, timeout uint32) (err error) = kernel32.WaitNamedPipeW
//sys	setNamedPipeHandleState(h syscall.Handle, mode *uint32, maxCollection *uint32, timeout *uint32) (err error) = kernel32.SetNamedPipeHandleState
//sys	getNamedPipeInfo(h syscall.Handle, flags *uint32, outSize *uint32, inSize *uint32, maxInstances *uint32) (err error) = kernel32.GetNamedPipeInfo
//sys	getNamedPipeClientProcessId(h syscall.Handle, pid *uint32) (err error) = kernel32.GetNamedPipeClientProcessId
//sys	getNamedPipeServerProcessId(h syscall.Handle, pid *uint32) (err error) = kernel32.GetNamedPipeServerProcessId
//sys	getOverlappedResult(h syscall.Handle, o *syscall.Overlapped, n *uint32, wait bool) (err error) = kernel32.GetOverlappedResult
//sys	createEvent(sa *syscall.SecurityAttributes, manualReset bool, initialState bool, name *uint16) (h syscall.Handle, err error) [failretval==0] = kernel32.CreateEventW
//sys	createIoCompletionPort(file syscall.Handle, port syscall.Handle, key uintptr, threads uint32) (h syscall.Handle, err error) [failretval==0] = kernel32.CreateIoCompletionPort
//sys	getQueuedCompletionStatus(port syscall.Handle, qty *uint32, key *uintptr, ov *uintptr, ms uint32) (err error) = kernel32.GetQueuedCompletionStatus
//sys	generateConsoleCtrlEvent(event uint32, groupID uint32) (err error) = kernel32.GenerateConsoleCtrlEvent
//sys	impersonateNamedPipeClient(h syscall.Handle) (err error) = advapi32.ImpersonateNamedPipeClient
//sys	revertToSelf() (err error) = advapi32.RevertToSelf
//sys	openThreadToken(thread syscall.Handle, access uint32, openAsSelf bool, token *syscall.Token) (err error) = advapi32.OpenThreadToken
//sys	convertStringSecurityDescriptorToSecurityDescriptor(sddl *uint16, revision uint32, sd **byte, size *uint32) (err error) = advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW
//sys	getSecurityInfo(h syscall.Handle, objectType uint32, info uint32, owner **syscall.SID, group **syscall.SID, dacl *uintptr, sacl *uintptr, sd *uintptr) (ret error) = advapi32.GetSecurityInfo

const (
	netUnix     = "pipe"
	netUnixgram = "unixgram"
	pipePrefix  = `\\.\pipe\`
	// slashPipePrefix is pipePrefix spelt with forward slashes.
	slashPipePrefix = `//./pipe/`
	maxPipeName     = 256 // UTF-16 units, prefix included

	pipeAccessInbound         = 0x1
	pipeAccessDuplex          = 0x3
	fileFlagFirstPipeInstance = 0x00080000
	pipeTypeMessage           = 0x4
	pipeReadmodeMessage       = 0x2
	pipeRejectRemoteClients   = 0x8
	pipeUnlimitedInstances    = 255
	securitySqosPresent       = 0x00100000
	securityIdentification    = 1 << 16
	securityImpersonation     = 2 << 16
	sddlRevision1             = 1
	seKernelObject            = 6
	ownerSecurityInformation  = 0x1
	readControl               = 0x00020000
	defaultInstances          = 4
	maxInstances              = 63 // the bound Instances has always had
	defaultPipeBuffer         = 64 << 10
	currentThread             = ^syscall.Handle(1) // GetCurrentThread's pseudo-handle, -2
	errorPipeBusy             = syscall.Errno(231)
	errorNoData               = syscall.Errno(232)
	errorPipeConnected        = syscall.Errno(535)
	errorSemTimeout           = syscall.Errno(121)
	errorPipeNotConnected     = syscall.Errno(233)
)

var (
	errMaxFiles = &argError{"maxFiles must not be negative", syscall.EINVAL}
	errNoAddr   = &argError{"no destination address", syscall.EINVAL}
)

// pipeName resolves a local socket name to a pipe path. private reports
// whether the name was a bare one, which gets an owner-only DACL.
func pipeName(name string) (path string, private bool, err error) {
	switch {
	case name == "":
		return "", false, &argError{"empty name", syscall.EINVAL}
	case strings.IndexByte(name, 0) >= 0:
		return "", false, &argError{"name contains a NUL byte", syscall.EINVAL}
	case len(name) > len(pipePrefix) && strings.EqualFold(name[:len(pipePrefix)], pipePrefix):
		path = name
	case len(name) > len(slashPipePrefix) && strings.EqualFold(name[:len(slashPipePrefix)], slashPipePrefix):
		// The spelling with forward slashes that npiperelay and WSL
		// tools use: only the prefix changes, as the rest of a pipe
		// name may contain "/".
		path = pipePrefix + name[len(slashPipePrefix):]
	case strings.HasPrefix(name, "@") && len(name) > 1 && !strings.ContainsAny(name, `/\`):
		path, private = pipePrefix+name[1:], true
	case strings.ContainsAny(name, `/\`) || name == "@":
		return "", false, &argError{`not a pipe name: use a bare name or \\.\pipe\name`, syscall.EINVAL}
	default:
		path, private = pipePrefix+name, true
	}
	if private && (path == pipePrefix+"." || path == pipePrefix+"..") {
		return "", false, &argError{`"." and ".." are not names: a bare name must be a plain file name`, syscall.EINVAL}
	}
	if len(utf16.Encode([]rune(path))) > maxPipeName {
		return "", false, &argError{"name too long for a pipe", syscall.ENAMETOOLONG}
	}
	return path, private, nil
}

func sysResolve(name string) (string, error) {
	path, _, err := pipeName(name)
	return path, err
}

// ---- the package's I/O completion port ----

// ioPort receives the completions of the overlapped calls this package
// makes itself: ConnectNamedPipe on listening instances, and every read and
// write of message-mode connections (which do not go through os.File: a
// ReadFile that fills the buffer with more of the message left ends with
// ERROR_MORE_DATA, which internal/poll neither reports with its byte count
// nor expects a completion packet for, though Windows queues one). One
// goroutine waits on the port for the whole process, so no waiting Accept
// or Read holds an OS thread of its own.
//
// Every operation in flight is in live, keyed by the address of its
// OVERLAPPED, from before the call that starts it until its completion
// packet has been taken off the port: the kernel may write the OVERLAPPED
// until then, so it must stay where it is and stay allocated, whatever
// happens to the listener or connection that started it. Go heap objects
// do not move, and live keeps them reachable.
var ioPort struct {
	once sync.Once
	h    syscall.Handle
	err  error

	mu   sync.Mutex
	live map[uintptr]*ioOp
}

// ioOp is one overlapped operation on the package's port.
type ioOp struct {
	ov   syscall.Overlapped
	done chan *ioOp // told, without blocking, when the completion arrives
	n    uint32     // bytes transferred, from the completion packet
	err  error      // the operation's error, from the completion packet
	slot *pendingPipe
}

func startPort() error {
	ioPort.once.Do(func() {
		h, err := createIoCompletionPort(syscall.InvalidHandle, 0, 0, 1)
		if err != nil {
			ioPort.err = os.NewSyscallError("CreateIoCompletionPort", err)
			return
		}
		ioPort.h = h
		ioPort.live = make(map[uintptr]*ioOp)
		go portLoop(h)
	})
	return ioPort.err
}

// portLoop hands each completion packet to the operation it belongs to.
func portLoop(port syscall.Handle) {
	for {
		var n uint32
		var key, ov uintptr
		err := getQueuedCompletionStatus(port, &n, &key, &ov, syscall.INFINITE)
		if ov == 0 {
			continue // not a completion (the port cannot fail while open)
		}
		ioPort.mu.Lock()
		op := ioPort.live[ov]
		delete(ioPort.live, ov)
		ioPort.mu.Unlock()
		if op == nil {
			continue
		}
		op.n, op.err = n, err
		select {
		case op.done <- op:
		default:
			// Channels are sized so this cannot happen; never stall
			// the port if it does.
			go func() { op.done <- op }()
		}
		// Let the goroutine just made ready run on this P now, rather
		// than wait there while this one blocks in the next call.
		runtime.Gosched()
	}
}

// associate joins h to the package's port.
func associate(h syscall.Handle) error {
	if err := startPort(); err != nil {
		return err
	}
	if _, err := createIoCompletionPort(h, ioPort.h, 0, 0); err != nil {
		return os.NewSyscallError("CreateIoCompletionPort", err)
	}
	return nil
}

// start makes the overlapped call with op's OVERLAPPED and reports whether
// a completion packet will follow (see begin and started).
func (op *ioOp) start(call func(ov *syscall.Overlapped) error) (bool, error) {
	return op.started(call(op.begin()))
}

// begin enters op in the port's table and returns its OVERLAPPED, cleared,
// for the overlapped call, whose error then goes to started.
func (op *ioOp) begin() *syscall.Overlapped {
	op.ov = syscall.Overlapped{}
	ioPort.mu.Lock()
	ioPort.live[uintptr(unsafe.Pointer(&op.ov))] = op
	ioPort.mu.Unlock()
	return &op.ov
}

// started reports whether a completion packet will follow the overlapped
// call that returned err: for a call that started (ERROR_IO_PENDING) or
// finished at once with success or a warning (ERROR_MORE_DATA). A call
// that failed at once queues nothing: op leaves the table, and the error
// is returned.
func (op *ioOp) started(err error) (bool, error) {
	switch err {
	case nil, syscall.ERROR_IO_PENDING, syscall.ERROR_MORE_DATA:
		return true, nil
	}
	ioPort.mu.Lock()
	delete(ioPort.live, uintptr(unsafe.Pointer(&op.ov)))
	ioPort.mu.Unlock()
	return false, err
}

// ---- listeners ----

// sysListener holds a listener's pending pipe instances. Each has an
// overlapped ConnectNamedPipe outstanding, so that several clients can
// connect at once without ERROR_PIPE_BUSY; Accept waits for any of them.
type sysListener struct {
	ls *pipeListener
}

// pipeListener is the state of a listener. It does not refer to its
// Listener, so that a Listener dropped without Close can be collected and
// its cleanup can close the instances.
type pipeListener struct {
	path     *uint16
	sa       *syscall.SecurityAttributes
	sd       uintptr // LocalAlloc'd security descriptor
	openMode uint32
	pipeMode uint32
	bufSize  uint32
	msg      bool
	want     int // instances to keep waiting

	ready    chan *ioOp    // completed connects; room for every instance
	closing  chan struct{} // closed by Close
	wake     chan struct{} // SetDeadline happened
	deadline atomic.Int64  // Accept deadline in Unix nanoseconds, 0 for none

	acceptMu sync.Mutex // serialises Accept
	timer    *time.Timer

	mu      sync.Mutex // guards the rest
	closed  bool
	pending map[*pendingPipe]bool // instances not yet accepted, all open
	missing int                   // instances that could not be replaced
	refill  *time.Timer           // retries the missing ones
	backoff time.Duration
	reserve [2]syscall.Handle // server and client end of the instance that holds the name, or 0
}

// pendingPipe is a pipe instance waiting for a client.
type pendingPipe struct {
	op ioOp
	h  syscall.Handle
}

func sysListen(ctx context.Context, lc *ListenConfig, name string) (*Listener, *Addr, error) {
	path, private, err := pipeName(name)
	if err != nil {
		return nil, nil, err
	}
	addr := &Addr{Net: netUnix, Name: path}
	if lc.Mode != 0 {
		return nil, addr, &argError{"Mode applies to socket files; pipes take a SecurityDescriptor", errors.ErrUnsupported}
	}
	n := lc.Instances
	switch {
	case n == 0:
		n = defaultInstances
	case n < 0 || n > maxInstances:
		return nil, addr, &argError{fmt.Sprintf("Instances must be between 1 and %d", maxInstances), syscall.EINVAL}
	}
	buf := lc.BufferSize
	switch {
	case buf == 0:
		buf = defaultPipeBuffer
	case buf < 0 || buf > math.MaxInt32:
		return nil, addr, &argError{"BufferSize out of range", syscall.EINVAL}
	}
	if err := startPort(); err != nil {
		return nil, addr, err
	}
	ls := &pipeListener{
		msg:      lc.Message,
		openMode: pipeAccessDuplex | syscall.FILE_FLAG_OVERLAPPED,
		bufSize:  uint32(buf),
		want:     n,
		ready:    make(chan *ioOp, maxInstances+8),
		closing:  make(chan struct{}),
		wake:     make(chan struct{}, 1),
		pending:  make(map[*pendingPipe]bool),
	}
	ls.path, _ = syscall.UTF16PtrFromString(path)
	if lc.Message {
		ls.pipeMode = pipeTypeMessage | pipeReadmodeMessage
	}
	if !lc.AllowRemote {
		ls.pipeMode |= pipeRejectRemoteClients
	}
	self, err := currentUserSID()
	if err != nil {
		return nil, addr, err
	}
	sddl := lc.SecurityDescriptor
	if sddl == "" && private {
		sddl = ownerOnlySDDL(self)
	}
	var sdBytes []byte
	if ls.sd, sdBytes, err = sddlToSD(sddl); err != nil {
		return nil, addr, err
	}
	if lc.SecurityDescriptor != "" {
		err = checkInstanceRights(sdBytes, sddl, self)
	}
	if err == nil && !hasOwner(sdBytes) {
		// The creator's default owner is not always its user (an
		// elevated administrator's is BUILTIN\Administrators, Wine's the
		// user's primary group): name the user, which every token may
		// assign, so that Dialer.ServerSID can check it.
		syscall.LocalFree(syscall.Handle(ls.sd))
		ls.sd, _, err = sddlToSD("O:" + self + sddl)
	}
	if err != nil {
		if ls.sd != 0 {
			syscall.LocalFree(syscall.Handle(ls.sd))
		}
		return nil, addr, err
	}
	ls.sa = &syscall.SecurityAttributes{Length: uint32(unsafe.Sizeof(syscall.SecurityAttributes{})), SecurityDescriptor: ls.sd}

	ls.mu.Lock()
	defer ls.mu.Unlock()
	if err := ls.reserveName(); err != nil {
		ls.shutdownLocked()
		return nil, addr, err
	}
	for range n {
		if err := ls.newInstance(); err != nil {
			ls.shutdownLocked()
			return nil, addr, os.NewSyscallError("CreateNamedPipe", err)
		}
	}
	l := &Listener{addr: addr, sysListener: sysListener{ls}}
	runtime.AddCleanup(l, func(ls *pipeListener) { ls.shutdown() }, ls)
	return l, addr, nil
}

// reserveName creates the listener's first instance, which claims the name
// (FILE_FLAG_FIRST_PIPE_INSTANCE), and connects a client end of its own to
// it, so that the name stays the listener's for as long as it lives, even
// when every other instance is in use and none can be created. The client
// end asks only for READ_CONTROL, which the pipe's owner always has. A
// client that takes the instance first is served like any other; if the
// listener's own end cannot connect at all, the name is held by the
// listening instances alone.
func (ls *pipeListener) reserveName() error {
	h, err := createNamedPipe(ls.path, ls.openMode|fileFlagFirstPipeInstance, ls.pipeMode, pipeUnlimitedInstances, ls.bufSize, ls.bufSize, 0, ls.sa)
	if err != nil {
		return nameTakenErr(ls.path, err)
	}
	for try := 0; ; try++ {
		c, err := syscall.CreateFile(ls.path, readControl, 0, nil, syscall.OPEN_EXISTING, syscall.FILE_FLAG_OVERLAPPED|securitySqosPresent|securityIdentification, 0)
		if err == nil {
			ls.reserve = [2]syscall.Handle{h, c}
			return nil
		}
		// Someone else's client took the instance (ERROR_PIPE_BUSY), or
		// the DACL keeps even the owner out: serve h as a listening
		// instance, and try once more with a fresh one if it was taken.
		if err := ls.listenOn(h); err != nil {
			return os.NewSyscallError("ConnectNamedPipe", err)
		}
		if err != errorPipeBusy || try == 3 {
			return nil
		}
		if h, err = ls.createInstance(); err != nil {
			return os.NewSyscallError("CreateNamedPipe", err)
		}
	}
}

// nameTakenErr explains why the first instance of path could not be
// created: another process holds the name (os.ErrExist), or the system
// refused this process outright (os.ErrPermission). Both come back from
// CreateNamedPipe as ERROR_ACCESS_DENIED, told apart by whether any
// instance of the name exists.
func nameTakenErr(path *uint16, err error) error {
	serr := os.NewSyscallError("CreateNamedPipe", err)
	switch err {
	case errorPipeBusy:
		return &existError{serr}
	case syscall.ERROR_ACCESS_DENIED:
		if werr := waitNamedPipe(path, 1); werr != syscall.ERROR_FILE_NOT_FOUND {
			return &existError{serr}
		}
	}
	return serr
}

// failInstances makes that many CreateNamedPipe calls for further
// instances fail, for tests.
var failInstances atomic.Int32

// refilled, if set, is called when a listener has replaced every instance
// it could not create at first, for tests.
var refilled func()

func (ls *pipeListener) createInstance() (syscall.Handle, error) {
	if failInstances.Load() > 0 && failInstances.Add(-1) >= 0 {
		return 0, syscall.Errno(1450) // ERROR_NO_SYSTEM_RESOURCES
	}
	h, err := createNamedPipe(ls.path, ls.openMode, ls.pipeMode, pipeUnlimitedInstances, ls.bufSize, ls.bufSize, 0, ls.sa)
	if err != nil {
		return 0, err
	}
	return h, nil
}

// newInstance adds a listening instance. ls.mu is held.
func (ls *pipeListener) newInstance() error {
	h, err := ls.createInstance()
	if err != nil {
		return err
	}
	return ls.listenOn(h)
}

// listenOn starts an overlapped ConnectNamedPipe on instance h, which it
// takes over (closing it on error). ls.mu is held.
func (ls *pipeListener) listenOn(h syscall.Handle) error {
	if err := associate(h); err != nil {
		syscall.CloseHandle(h)
		return err
	}
	p := &pendingPipe{h: h}
	p.op.done = ls.ready
	p.op.slot = p
	for {
		started, err := p.op.start(func(ov *syscall.Overlapped) error { return connectNamedPipe(h, ov) })
		if started {
			ls.pending[p] = true
			return nil
		}
		switch err {
		case errorPipeConnected:
			// A client opened the instance before the call: ready now.
			p.op.n, p.op.err = 0, nil
			ls.pending[p] = true
			ls.ready <- &p.op
			return nil
		case errorNoData:
			// A client opened the instance and closed it again: make
			// the instance free and wait again.
			if err := disconnectNamedPipe(h); err != nil {
				syscall.CloseHandle(h)
				return err
			}
		default:
			syscall.CloseHandle(h)
			return err
		}
	}
}

// replace puts a new listening instance in place of an accepted one, or,
// if that fails, counts it missing and retries later, backing off from
// 10 ms to 1 s between tries. ls.mu is held.
func (ls *pipeListener) replace() {
	if ls.missing == 0 {
		if err := ls.newInstance(); err == nil {
			return
		}
	}
	ls.missing++
	if ls.refill == nil {
		ls.backoff = 10 * time.Millisecond
		ls.refill = time.AfterFunc(ls.backoff, ls.refillMissing)
	}
}

// refillMissing retries the instances replace could not create.
func (ls *pipeListener) refillMissing() {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.closed {
		return
	}
	for ls.missing > 0 {
		if err := ls.newInstance(); err != nil {
			ls.backoff = min(2*ls.backoff, time.Second)
			ls.refill.Reset(ls.backoff)
			return
		}
		ls.missing--
	}
	ls.refill = nil
	if refilled != nil {
		refilled()
	}
}

// instances reports how many instances wait for clients, how many are
// missing and whether the reserve instance holds the name, for tests.
func (ls *pipeListener) instances() (waiting, missing int, reserved bool) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return len(ls.pending), ls.missing, ls.reserve[1] != 0
}

func (l *Listener) accept() (*Conn, error) {
	ls := l.ls
	ls.acceptMu.Lock()
	defer ls.acceptMu.Unlock()
	for {
		select {
		case <-ls.closing:
			return nil, net.ErrClosed
		default:
		}
		dl := ls.deadline.Load()
		var expired <-chan time.Time
		if dl != 0 {
			d := time.Until(time.Unix(0, dl))
			if d <= 0 {
				return nil, os.ErrDeadlineExceeded
			}
			if ls.timer == nil {
				ls.timer = time.NewTimer(d)
			} else {
				ls.timer.Reset(d)
			}
			expired = ls.timer.C
		}
		var op *ioOp
		select {
		case op = <-ls.ready:
		case <-ls.closing:
		case <-ls.wake:
		case <-expired:
		}
		if expired != nil {
			ls.timer.Stop()
		}
		if op == nil {
			continue // look again at Close and the deadline
		}
		p := op.slot
		ls.mu.Lock()
		mine := ls.pending[p]
		delete(ls.pending, p)
		closed := ls.closed
		if mine && !closed {
			ls.replace()
		}
		ls.mu.Unlock()
		if !mine {
			continue // Close has closed it
		}
		if closed {
			syscall.CloseHandle(p.h)
			return nil, net.ErrClosed
		}
		if op.err != nil {
			syscall.CloseHandle(p.h)
			switch op.err {
			case errorNoData, syscall.ERROR_BROKEN_PIPE, errorPipeNotConnected, syscall.ERROR_OPERATION_ABORTED:
				continue // the client left before we got to it
			}
			return nil, os.NewSyscallError("ConnectNamedPipe", op.err)
		}
		// The instance stays on the package's port, where it does its I/O
		// (a handle cannot move to the runtime's port under Wine, which
		// lacks FileReplaceCompletionInformation).
		return newPipeConn(p.h, ls.msg, true, true, l.addr, &Addr{Net: netUnix})
	}
}

func (l *Listener) close() error {
	l.ls.shutdown()
	return nil
}

// shutdown closes every instance and frees the security descriptor. The
// operations in flight stay in the port's table until their cancelled
// completions arrive.
func (ls *pipeListener) shutdown() {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.shutdownLocked()
}

func (ls *pipeListener) shutdownLocked() {
	if ls.closed {
		return
	}
	ls.closed = true
	close(ls.closing)
	for p := range ls.pending {
		syscall.CancelIoEx(p.h, &p.op.ov)
		syscall.CloseHandle(p.h)
	}
	clear(ls.pending)
	if ls.refill != nil {
		ls.refill.Stop()
	}
	for _, h := range ls.reserve {
		if h != 0 {
			syscall.CloseHandle(h)
		}
	}
	if ls.sd != 0 {
		syscall.LocalFree(syscall.Handle(ls.sd))
		ls.sd = 0
	}
}

func (l *Listener) setDeadline(t time.Time) error {
	ls := l.ls
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.closed {
		return net.ErrClosed
	}
	ls.deadline.Store(deadlineNanos(t))
	select {
	case ls.wake <- struct{}{}:
	default:
	}
	return nil
}

func (l *Listener) syscallConn() (syscall.RawConn, error) { return nil, errors.ErrUnsupported }

// deadlineNanos stores a deadline as Unix nanoseconds, 0 for none.
func deadlineNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return max(t.UnixNano(), 1)
}

// ---- connections ----

// sysConn holds what a Windows connection needs beyond its file.
//
// A connection accepted by a Listener, and every message-mode connection,
// does its reads and writes itself, on the package's port (see ioPort);
// its os.File only holds the handle, for Close and SyscallConn. Other
// connections (dialed or from ConnPair, in byte mode) read and write
// through os.File, on the runtime's port.
type sysConn struct {
	server bool // the pipe's server end
	own    *ownIO
}

// ownIO is the state of a message-mode connection's own I/O.
type ownIO struct {
	h       syscall.Handle // the file's handle, open while closed is false
	mu      sync.Mutex     // held while an operation starts or is cancelled, and by Close
	closed  bool
	closing chan struct{} // closed by Close
	rd, wr  ownOp
}

// ownOp is one direction of ownIO. Its mutex serialises the calls.
type ownOp struct {
	mu       sync.Mutex
	op       ioOp
	pin      runtime.Pinner
	deadline atomic.Int64  // Unix nanoseconds, 0 for none
	wake     chan struct{} // the deadline changed
	timer    *time.Timer
}

func newOwnIO(h syscall.Handle) *ownIO {
	o := &ownIO{h: h, closing: make(chan struct{})}
	for _, op := range []*ownOp{&o.rd, &o.wr} {
		op.op.done = make(chan *ioOp, 1)
		op.wake = make(chan struct{}, 1)
	}
	return o
}

func (c *Conn) close() error {
	if o := c.own; o != nil {
		// Operations that started before this are cancelled by the
		// os.File's Close; none starts after it.
		o.mu.Lock()
		if !o.closed {
			o.closed = true
			close(o.closing)
		}
		o.mu.Unlock()
	}
	return c.f.Close()
}

func (c *Conn) setDeadline(t time.Time, read, write bool) error {
	o := c.own
	if o == nil {
		return fileDeadline(c.f, t, read, write)
	}
	o.mu.Lock()
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return &os.PathError{Op: "SetDeadline", Path: c.f.Name(), Err: os.ErrClosed}
	}
	ns := deadlineNanos(t)
	for _, op := range []*ownOp{&o.rd, &o.wr} {
		if (op == &o.rd && read) || (op == &o.wr && write) {
			op.deadline.Store(ns)
			select {
			case op.wake <- struct{}{}:
			default:
			}
		}
	}
	return nil
}

// maxMsg is the longest message a connection writes: one WriteFile call,
// whose length is a DWORD, kept to an int32 like the sizes Windows
// reports.
const maxMsg = math.MaxInt32

// do runs one overlapped ReadFile (or WriteFile, with write set) on the
// connection and waits for it, for the deadline or for Close. A read that
// fills b with more of the message left ends with ERROR_MORE_DATA and n ==
// len(b).
func (c *Conn) do(write bool, b []byte) (n int, err error) {
	o := c.own
	op := &o.rd
	if write {
		op = &o.wr
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(b) > maxMsg {
		b = b[:maxMsg] // reads only: sendMsg refuses longer messages
	}
	if len(b) > 0 {
		op.pin.Pin(&b[0])
		defer op.pin.Unpin()
	}
	if dl := op.deadline.Load(); dl != 0 && time.Now().UnixNano() >= dl {
		return 0, c.ioErr(write, os.ErrDeadlineExceeded)
	}
	// Holding o.mu with o.closed false, the handle is open: Close marks
	// the connection closed under o.mu before it closes the file.
	o.mu.Lock()
	started := false
	if o.closed {
		err = net.ErrClosed
	} else {
		ov := op.op.begin()
		if write {
			err = syscall.WriteFile(o.h, b, nil, ov)
		} else {
			err = syscall.ReadFile(o.h, b, nil, ov)
		}
		started, err = op.op.started(err)
	}
	o.mu.Unlock()
	if !started {
		return 0, c.ioErr(write, err)
	}
	var cause error
wait:
	for {
		var expired <-chan time.Time
		if dl := op.deadline.Load(); dl != 0 {
			d := time.Until(time.Unix(0, dl))
			if d <= 0 {
				cause = os.ErrDeadlineExceeded
				break
			}
			if op.timer == nil {
				op.timer = time.NewTimer(d)
			} else {
				op.timer.Reset(d)
			}
			expired = op.timer.C
		}
		select {
		case <-op.op.done:
			if expired != nil {
				op.timer.Stop()
			}
			break wait
		case <-o.closing:
			cause = net.ErrClosed
		case <-op.wake:
		case <-expired:
		}
		if expired != nil {
			op.timer.Stop()
		}
		if cause != nil {
			break
		}
	}
	if cause != nil {
		// Cancel, then wait for the completion, which always comes: the
		// buffer and the OVERLAPPED are the kernel's until then. If the
		// connection is closed, its Close cancels the call.
		o.mu.Lock()
		if !o.closed {
			syscall.CancelIoEx(o.h, &op.op.ov)
		}
		o.mu.Unlock()
		<-op.op.done
	}
	n, err = int(op.op.n), op.op.err
	switch err {
	case nil:
	case syscall.ERROR_OPERATION_ABORTED:
		if cause == nil {
			cause = net.ErrClosed // os.File's Close cancelled it
		}
		err = cause
	case syscall.ERROR_MORE_DATA:
		n = len(b)
	}
	// A call that completed while being cancelled reports what it did.
	return n, c.ioErr(write, err)
}

// ioErr maps the error of a message-mode read or write: the end of the
// pipe is io.EOF for a read, and the rest is wrapped in an *os.PathError.
func (c *Conn) ioErr(write bool, err error) error {
	switch err {
	case nil, syscall.ERROR_MORE_DATA:
		return err
	case syscall.ERROR_BROKEN_PIPE, errorPipeNotConnected:
		if !write {
			return io.EOF
		}
	}
	opName := "read"
	if write {
		opName = "write"
	}
	return &os.PathError{Op: opName, Path: c.f.Name(), Err: err}
}

// newPipeConn wraps a connected overlapped pipe handle. It takes ownership of
// h, even on error. onPort says h is on the package's port already (an
// accepted instance); a message-mode handle is joined to it otherwise, and
// any other handle is left to os, which joins it to the runtime's.
func newPipeConn(h syscall.Handle, msg, server, onPort bool, laddr, raddr *Addr) (*Conn, error) {
	own := msg || onPort
	if own && !onPort {
		if err := associate(h); err != nil {
			syscall.CloseHandle(h)
			return nil, err
		}
	}
	f := os.NewFile(uintptr(h), raddr.Name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	c := &Conn{f: f, rc: rc, laddr: laddr, raddr: raddr, msg: msg, sysConn: sysConn{server: server}}
	if own {
		c.own = newOwnIO(h)
	}
	return c, nil
}

func sysDial(ctx context.Context, d *Dialer, name string) (*Conn, *Addr, error) {
	path, _, err := pipeName(name)
	if err != nil {
		return nil, nil, err
	}
	addr := &Addr{Net: netUnix, Name: path}
	p16, _ := syscall.UTF16PtrFromString(path)
	flags := uint32(syscall.FILE_FLAG_OVERLAPPED | securitySqosPresent | securityIdentification)
	if d.AllowImpersonation {
		flags = syscall.FILE_FLAG_OVERLAPPED | securitySqosPresent | securityImpersonation
	}
	var h syscall.Handle
	var giveUp time.Time // for busy instances, without a deadline
	var oddWait error    // an unexpected error of the last WaitNamedPipe
	if _, ok := ctx.Deadline(); !ok {
		giveUp = time.Now().Add(busyWait)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, addr, mapCtxErr(err)
		}
		h, err = syscall.CreateFile(p16, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil, syscall.OPEN_EXISTING, flags, 0)
		if err == nil {
			break
		}
		if err != errorPipeBusy {
			return nil, addr, os.NewSyscallError("CreateFile", err)
		}
		if !giveUp.IsZero() && time.Now().After(giveUp) {
			return nil, addr, os.NewSyscallError("CreateFile", busyErr(err, "pipe instances"))
		}
		// Every instance is taken: wait for one to come free, in slices
		// short enough to notice the context ending.
		wait := 50 * time.Millisecond
		if dl, ok := ctx.Deadline(); ok {
			// Clamp before converting: a deadline that passed since the
			// check above must not become a wait of 49 days.
			wait = max(min(wait, time.Until(dl)), time.Millisecond)
		}
		ms := uint32(wait / time.Millisecond)
		err := waitNamedPipe(p16, ms)
		switch {
		case err == nil, err == errorSemTimeout, err == syscall.ERROR_FILE_NOT_FOUND:
			oddWait = nil
		case oddWait != nil:
			// The wait only says when to try again; CreateFile decides.
			// An error it gives twice in a row, though, is not a pipe
			// going away under it (Wine reports those with odd codes).
			return nil, addr, os.NewSyscallError("WaitNamedPipe", err)
		default:
			oddWait = err
		}
	}
	var flagsInfo uint32
	if err := getNamedPipeInfo(h, &flagsInfo, nil, nil, nil); err != nil {
		syscall.CloseHandle(h)
		return nil, addr, os.NewSyscallError("GetNamedPipeInfo", err)
	}
	if !d.Message && flagsInfo&pipeTypeMessage != 0 {
		// A byte-mode reader would take the server's empty message for
		// the end of the stream.
		syscall.CloseHandle(h)
		return nil, addr, &argError{"the listener is in message mode; dial with Dialer.Message", syscall.EPROTOTYPE}
	}
	if d.Message {
		if flagsInfo&pipeTypeMessage == 0 {
			syscall.CloseHandle(h)
			return nil, addr, &argError{"the listener is not in message mode", syscall.EPROTOTYPE}
		}
		mode := uint32(pipeReadmodeMessage)
		if err := setNamedPipeHandleState(h, &mode, nil, nil); err != nil {
			syscall.CloseHandle(h)
			return nil, addr, os.NewSyscallError("SetNamedPipeHandleState", err)
		}
	}
	if d.ServerSID != "" {
		if err := checkServer(h, d.ServerSID); err != nil {
			syscall.CloseHandle(h)
			return nil, addr, err
		}
	}
	c, err := newPipeConn(h, d.Message, false, false, &Addr{Net: netUnix}, addr)
	return c, addr, err
}

// checkServer verifies that the pipe object behind h is owned by the SID
// string want. The owner is part of the object, so it cannot change with a
// process ID being reused or a handle being passed on.
func checkServer(h syscall.Handle, want string) error {
	sid, err := pipeOwner(h)
	if err != nil {
		return err
	}
	if sid == "" || !strings.EqualFold(sid, want) {
		return &serverUserError{got: sid, want: want}
	}
	return nil
}

// pipeOwner returns the owner SID of the pipe object behind h as a string.
// The creator's token sets it (its TokenOwner: the user, or for an elevated
// administrator usually BUILTIN\Administrators), or the creator's security
// descriptor if it names an owner the creator may assign.
func pipeOwner(h syscall.Handle) (string, error) {
	var owner *syscall.SID
	var sd uintptr
	if err := getSecurityInfo(h, seKernelObject, ownerSecurityInformation, &owner, nil, nil, nil, &sd); err != nil {
		return "", os.NewSyscallError("GetSecurityInfo", err)
	}
	defer syscall.LocalFree(syscall.Handle(sd))
	if owner == nil {
		return "", nil // a descriptor without an owner
	}
	s, err := owner.String()
	if err != nil {
		return "", os.NewSyscallError("ConvertSidToStringSid", err)
	}
	return s, nil
}

// serverUserError reports a pipe owned by an unexpected user. It matches
// os.ErrPermission.
type serverUserError struct{ got, want string }

func (e *serverUserError) Error() string {
	if e.got == "" {
		return "pipe has no owner, not " + e.want
	}
	return "pipe is owned by " + e.got + ", not " + e.want
}
func (e *serverUserError) Is(target error) bool { return target == os.ErrPermission }

func tokenSID(tok syscall.Token) (string, error) {
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", os.NewSyscallError("GetTokenInformation", err)
	}
	s, err := u.User.Sid.String()
	if err != nil {
		return "", os.NewSyscallError("ConvertSidToStringSid", err)
	}
	return s, nil
}

// currentUserSID returns the SID of the user this process runs as.
func currentUserSID() (string, error) {
	tok, err := syscall.OpenCurrentProcessToken()
	if err != nil {
		return "", os.NewSyscallError("OpenProcessToken", err)
	}
	defer tok.Close()
	return tokenSID(tok)
}

// ownerOnlySDDL returns a DACL that gives the user with SID self and SYSTEM
// full access and nobody else any.
func ownerOnlySDDL(self string) string {
	return "O:" + self + "D:P(A;;FA;;;" + self + ")(A;;FA;;;SY)"
}

// sddlToSD converts SDDL to a self-relative security descriptor, which the
// caller frees with LocalFree, and returns its bytes too.
func sddlToSD(sddl string) (uintptr, []byte, error) {
	s16, err := syscall.UTF16PtrFromString(sddl)
	if err != nil {
		return 0, nil, &argError{"security descriptor contains a NUL byte", syscall.EINVAL}
	}
	var sd *byte
	var size uint32
	if err := convertStringSecurityDescriptorToSecurityDescriptor(s16, sddlRevision1, &sd, &size); err != nil {
		return 0, nil, &sddlError{sddl, os.NewSyscallError("ConvertStringSecurityDescriptorToSecurityDescriptor", err)}
	}
	return uintptr(unsafe.Pointer(sd)), unsafe.Slice(sd, size), nil
}

// Security descriptor layouts (winnt.h), read by checkInstanceRights.
type (
	// sdRelative is SECURITY_DESCRIPTOR_RELATIVE: offsets instead of
	// pointers, 0 for an absent part.
	sdRelative struct {
		Revision byte
		Sbz1     byte
		Control  uint16
		Owner    uint32
		Group    uint32
		Sacl     uint32
		Dacl     uint32
	}
	aclHeader struct { // ACL
		AclRevision byte
		Sbz1        byte
		AclSize     uint16
		AceCount    uint16
		Sbz2        uint16
	}
	aceHeader struct { // ACE_HEADER
		AceType  byte
		AceFlags byte
		AceSize  uint16
	}
	allowedAce struct { // ACCESS_ALLOWED_ACE, up to SidStart
		Header aceHeader
		Mask   uint32
	}
	allowedObjectAce struct { // ACCESS_ALLOWED_OBJECT_ACE, up to ObjectType
		Header aceHeader
		Mask   uint32
		Flags  uint32
	}
)

const (
	seDaclPresent                  = 0x4
	accessAllowedAceType           = 0x0
	accessAllowedObjectAceType     = 0x5
	accessAllowedCallbackAceType   = 0x9
	accessAllowedCallbackObjectAce = 0xb
	inheritOnlyAce                 = 0x8
	aceObjectTypePresent           = 0x1
	aceInheritedObjectTypePresent  = 0x2
	guidSize                       = 16
	sidHeaderSize                  = 8 // SID up to SubAuthority: Revision, SubAuthorityCount, IdentifierAuthority

	fileCreatePipeInstance = 0x4 // FILE_APPEND_DATA on a pipe
	// createInstanceRights are the rights that include or lead to
	// FILE_CREATE_PIPE_INSTANCE: itself, the generic rights that map to it,
	// MAXIMUM_ALLOWED, and the rights to rewrite the DACL or take ownership.
	createInstanceRights = fileCreatePipeInstance | syscall.GENERIC_WRITE | syscall.GENERIC_ALL | maximumAllowed | writeDAC | writeOwner
	maximumAllowed       = 0x02000000
	writeDAC             = 0x00040000
	writeOwner           = 0x00080000
)

// hasOwner reports whether the self-relative security descriptor sd names
// an owner.
func hasOwner(sd []byte) bool {
	return len(sd) >= int(unsafe.Sizeof(sdRelative{})) && (*sdRelative)(unsafe.Pointer(&sd[0])).Owner != 0
}

// instanceTrusted are the SIDs, besides the current user's, that may be
// granted FILE_CREATE_PIPE_INSTANCE: SYSTEM, BUILTIN\Administrators and
// OWNER RIGHTS (the pipe's owner).
var instanceTrusted = []string{"S-1-5-18", "S-1-5-32-544", "S-1-3-4"}

// checkInstanceRights refuses a security descriptor whose DACL lets anyone
// but the current user (self), SYSTEM, the Administrators and the owner
// create instances of the pipe. Such a user could add server instances
// under the listener's name and take some of its clients: a pipe's
// FILE_APPEND_DATA right is FILE_CREATE_PIPE_INSTANCE, and GENERIC_WRITE
// and GENERIC_ALL include it. A descriptor without a DACL gets the
// creator's default DACL, which grants it to none of them; a NULL DACL
// grants it to everyone.
func checkInstanceRights(sd []byte, sddl, self string) error {
	bad := func(who string) error {
		return &argError{"security descriptor " + strconv.Quote(sddl) + " lets " + who +
			" create instances of the pipe (FILE_CREATE_PIPE_INSTANCE, which is FILE_APPEND_DATA 0x4 and part of GENERIC_WRITE, GENERIC_ALL and FILE_GENERIC_WRITE), so it could serve the pipe's clients;" +
			" grant read and write with an explicit mask without it, such as 0x12019b", syscall.EINVAL}
	}
	malformed := &argError{"security descriptor " + strconv.Quote(sddl) + " is malformed", syscall.EINVAL}
	if len(sd) < int(unsafe.Sizeof(sdRelative{})) {
		return malformed
	}
	hdr := (*sdRelative)(unsafe.Pointer(&sd[0]))
	if hdr.Control&seDaclPresent == 0 {
		return nil
	}
	if hdr.Dacl == 0 {
		return bad("everyone (NULL DACL)")
	}
	off := int(hdr.Dacl)
	if off < 0 || off+int(unsafe.Sizeof(aclHeader{})) > len(sd) {
		return malformed
	}
	acl := (*aclHeader)(unsafe.Pointer(&sd[off]))
	end := off + int(acl.AclSize)
	if end > len(sd) {
		return malformed
	}
	pos := off + int(unsafe.Sizeof(aclHeader{}))
	for range acl.AceCount {
		if pos+int(unsafe.Sizeof(aceHeader{})) > end {
			return malformed
		}
		ace := (*aceHeader)(unsafe.Pointer(&sd[pos]))
		next := pos + int(ace.AceSize)
		if ace.AceSize < uint16(unsafe.Sizeof(aceHeader{})) || next > end {
			return malformed
		}
		var mask uint32
		sidAt := 0
		switch ace.AceType {
		case accessAllowedAceType, accessAllowedCallbackAceType:
			if pos+int(unsafe.Sizeof(allowedAce{})) > next {
				return malformed
			}
			mask = (*allowedAce)(unsafe.Pointer(&sd[pos])).Mask
			sidAt = pos + int(unsafe.Sizeof(allowedAce{}))
		case accessAllowedObjectAceType, accessAllowedCallbackObjectAce:
			if pos+int(unsafe.Sizeof(allowedObjectAce{})) > next {
				return malformed
			}
			oa := (*allowedObjectAce)(unsafe.Pointer(&sd[pos]))
			mask = oa.Mask
			sidAt = pos + int(unsafe.Sizeof(allowedObjectAce{}))
			if oa.Flags&aceObjectTypePresent != 0 {
				sidAt += guidSize
			}
			if oa.Flags&aceInheritedObjectTypePresent != 0 {
				sidAt += guidSize
			}
		}
		if sidAt != 0 && ace.AceFlags&inheritOnlyAce == 0 && mask&createInstanceRights != 0 {
			if sidAt+sidHeaderSize > next || sidAt+sidHeaderSize+4*int(sd[sidAt+1]) > next {
				return malformed
			}
			who, err := (*syscall.SID)(unsafe.Pointer(&sd[sidAt])).String()
			if err != nil {
				return malformed
			}
			if !strings.EqualFold(who, self) && !slices.Contains(instanceTrusted, who) {
				return bad(who)
			}
		}
		pos = next
	}
	return nil
}

// sddlError reports SDDL that Windows rejected. It unwraps to the system
// call's error and matches syscall.EINVAL.
type sddlError struct {
	sddl string
	err  error
}

func (e *sddlError) Error() string {
	return "invalid security descriptor " + strconv.Quote(e.sddl) + ": " + e.err.Error()
}
func (e *sddlError) Unwrap() error        { return e.err }
func (e *sddlError) Is(target error) bool { return target == syscall.EINVAL }

// handle runs fn with the connection's pipe handle, which stays open while
// fn runs.
func (c *Conn) handle(fn func(h syscall.Handle) error) error {
	var err error
	if cerr := c.rc.Control(func(fd uintptr) { err = fn(syscall.Handle(fd)) }); cerr != nil {
		return cerr
	}
	return err
}

func (c *Conn) read(b []byte) (int, error) {
	switch {
	case c.own == nil:
		return c.f.Read(b)
	case !c.msg && len(b) == 0:
		return 0, nil
	}
	// A message arrives in parts if b is short; an empty one reads as
	// zero bytes.
	n, err := c.do(false, b)
	if err == syscall.ERROR_MORE_DATA {
		err = nil
	}
	return n, err
}

func (c *Conn) write(b []byte) (n int, err error) {
	switch {
	case c.own == nil:
		n, err = c.f.Write(b)
	case c.msg:
		// One message, in one WriteFile call: whole or not at all.
		if len(b) > maxMsg {
			return 0, &argError{"message too long", syscall.EMSGSIZE}
		}
		n, err = c.do(true, b)
	default:
		for len(b) > 0 && err == nil {
			var k int
			k, err = c.do(true, b[:min(len(b), maxMsg)])
			if k == 0 && err == nil {
				err = io.ErrShortWrite
			}
			n += k
			b = b[k:]
		}
	}
	if pe, ok := err.(*os.PathError); ok {
		switch pe.Err {
		case errorNoData, syscall.ERROR_BROKEN_PIPE, errorPipeNotConnected:
			pe.Err = &brokenPipeError{pe.Err}
		}
	}
	return n, err
}

// brokenPipeError marks a write to a pipe whose other end is closed. It
// matches syscall.EPIPE, as the same write does on Unix, and unwraps to the
// Windows error.
type brokenPipeError struct{ err error }

func (e *brokenPipeError) Error() string        { return e.err.Error() }
func (e *brokenPipeError) Unwrap() error        { return e.err }
func (e *brokenPipeError) Is(target error) bool { return target == syscall.EPIPE }

func (c *Conn) recvMsg(b []byte, maxFiles int, from *string, cred **Cred) (int, []*os.File, bool, error) {
	if maxFiles != noFiles {
		return 0, nil, false, errors.ErrUnsupported
	}
	if !c.msg {
		return 0, nil, false, &argError{"not a message-mode connection", syscall.EINVAL}
	}
	n, err := c.do(false, b)
	if err == syscall.ERROR_MORE_DATA {
		return n, nil, true, nil
	}
	return n, nil, false, err
}

func (c *Conn) sendMsg(b []byte, files []*os.File, to sockaddr) (int, error) {
	if len(files) > 0 {
		return 0, errors.ErrUnsupported
	}
	if !c.msg {
		return 0, &argError{"not a message-mode connection", syscall.EINVAL}
	}
	return c.write(b)
}

func (c *Conn) shutdown(write bool) error {
	return c.handle(func(syscall.Handle) error { return errors.ErrUnsupported })
}

func (c *Conn) peerCred() (*Cred, error) {
	var pid uint32
	var sid string
	err := c.handle(func(h syscall.Handle) error {
		if c.server {
			return os.NewSyscallError("GetNamedPipeClientProcessId", getNamedPipeClientProcessId(h, &pid))
		}
		if err := getNamedPipeServerProcessId(h, &pid); err != nil {
			return os.NewSyscallError("GetNamedPipeServerProcessId", err)
		}
		var err error
		sid, err = pipeOwner(h)
		return err
	})
	if err != nil {
		return nil, err
	}
	if c.server {
		if sid, err = c.clientSID(); err != nil {
			return nil, err
		}
	}
	return &Cred{PID: int(pid), UID: -1, GID: -1, SID: sid}, nil
}

// clientSID returns the user SID of the token the client connected with,
// seen through impersonation. It never looks the client up by its process
// ID: that process may be gone and its ID reused, or may have handed the
// handle to another.
func (c *Conn) clientSID() (string, error) {
	var sid string
	err := c.impersonate(func() error {
		var tok syscall.Token
		if err := openThreadToken(currentThread, syscall.TOKEN_QUERY, true, &tok); err != nil {
			return os.NewSyscallError("OpenThreadToken", err)
		}
		defer tok.Close()
		var err error
		sid, err = tokenSID(tok)
		return err
	})
	if err != nil {
		return "", &unidentifiedError{err}
	}
	return sid, nil
}

// unidentifiedError reports a pipe client whose token the server cannot
// read: an anonymous client (OpenThreadToken's ERROR_CANT_OPEN_ANONYMOUS),
// or one that the system does not yet let the server impersonate
// (ImpersonateNamedPipeClient's ERROR_CANNOT_IMPERSONATE). It matches
// os.ErrPermission and unwraps to the system call's error.
type unidentifiedError struct{ err error }

func (e *unidentifiedError) Error() string {
	return "cannot identify the pipe client: " + e.err.Error()
}
func (e *unidentifiedError) Unwrap() error        { return e.err }
func (e *unidentifiedError) Is(target error) bool { return target == os.ErrPermission }

func (c *Conn) impersonate(fn func() error) error {
	if !c.server {
		return &argError{"only the server end of a pipe can impersonate", syscall.EINVAL}
	}
	runtime.LockOSThread()
	err := c.handle(func(h syscall.Handle) error {
		return os.NewSyscallError("ImpersonateNamedPipeClient", impersonateNamedPipeClient(h))
	})
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer func() {
		if err := revertToSelf(); err != nil {
			// The thread still wears the client's identity: keep it
			// locked, so that it exits with this goroutine instead of
			// running other code as the client.
			return
		}
		runtime.UnlockOSThread()
	}()
	return fn()
}

func (c *Conn) file() (*os.File, error) { return nil, errors.ErrUnsupported }

func (c *Conn) fileKeep(closed *atomic.Bool) (*os.File, error) { return nil, errors.ErrUnsupported }

// sysConnPair connects the two ends of a fresh pipe with an unguessable
// name and an owner-only DACL (see pipePair).
func sysConnPair(message bool) (*Conn, *Conn, error) {
	server, client, err := pipePair(pipeSpec{duplex: true, message: message, bufSize: defaultPipeBuffer})
	if err != nil {
		return nil, nil, err
	}
	unnamed := &Addr{Net: netUnix}
	a, err := newPipeConn(server, message, true, false, unnamed, unnamed)
	if err != nil {
		syscall.CloseHandle(client)
		return nil, nil, err
	}
	b, err := newPipeConn(client, message, false, false, unnamed, unnamed)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, b, nil
}

func sysFileConn(f *os.File) (*Conn, error) { return nil, errors.ErrUnsupported }

type sockaddr = any

func (c *Conn) removeBound() {}

func (c *Conn) sendTo(b []byte, addr net.Addr) (int, error) { return 0, errors.ErrUnsupported }

func sysListenPacket(ctx context.Context, lc *ListenConfig, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func sysDialPacket(ctx context.Context, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func (c *Conn) recvCred(b []byte, from *string) (int, *Cred, bool, error) {
	return 0, nil, false, errors.ErrUnsupported
}

// ---- signals (signal.go) ----

// maxPID is the largest process ID: a DWORD.
const maxPID = math.MaxUint32

const ctrlBreakEvent = 1 // CTRL_BREAK_EVENT

// Windows has no real-time signals.
func rtRange() (min, max int) { return 0, 0 }

func sysSignal(p *os.Process, sig os.Signal) (string, error) {
	s, ok := sig.(syscall.Signal)
	if !ok || (s != 0 && s != syscall.SIGINT && s != syscall.SIGKILL) {
		return "", unsupportedSignal(sig)
	}
	call, access := "GenerateConsoleCtrlEvent", uint32(syscall.SYNCHRONIZE)
	switch s {
	case syscall.SIGKILL:
		call, access = "TerminateProcess", access|syscall.PROCESS_TERMINATE
	case 0:
		call = "WaitForSingleObject"
	}
	if err := handleHeld(p); err != nil {
		if err == os.ErrProcessDone {
			return call, err
		}
		return "", err
	}
	// p holds a handle to the process, and an open handle keeps the pid
	// from being reused, so the process OpenProcess finds is p (unless
	// another goroutine waits for p at this very moment, which closes that
	// handle; os.Process.WithHandle, new in Go 1.26, would close that gap).
	h, err := syscall.OpenProcess(access, false, uint32(p.Pid))
	if err != nil {
		return "OpenProcess", err
	}
	defer syscall.CloseHandle(h)
	if exited(h) {
		return call, os.ErrProcessDone
	}
	switch s {
	case 0:
		return call, nil
	case syscall.SIGKILL:
		err := syscall.TerminateProcess(h, 1)
		if err != nil && exited(h) {
			// It exited by itself meanwhile (TerminateProcess
			// reports ACCESS_DENIED for an exited process).
			err = os.ErrProcessDone
		}
		return call, err
	}
	// h stays open during the call, so p.Pid still names p.
	return call, generateConsoleCtrlEvent(ctrlBreakEvent, uint32(p.Pid))
}

// handleHeld reports whether p still holds its process handle: it returns
// os.ErrProcessDone once p has been waited for or released (os cannot tell
// the two apart on Windows, and either way p's pid may have been reused).
//
// It asks os.Process.Signal, which makes no system call for a signal other
// than Kill; it only checks p's state. For a Process that os did not make
// (a literal, which os documents as invalid on Windows) it panics before
// touching anything; that is reported as an EINVAL argument error instead.
func handleHeld(p *os.Process) (err error) {
	defer func() {
		if recover() != nil {
			err = &argError{"ipc: signal to a Process not made by package os", syscall.EINVAL}
		}
	}()
	switch p.Signal(syscall.Signal(0)) {
	case os.ErrProcessDone, syscall.EINVAL:
		return os.ErrProcessDone
	}
	return nil
}

// exited reports whether the process h has exited.
func exited(h syscall.Handle) bool {
	ev, err := syscall.WaitForSingleObject(h, 0)
	return err == nil && ev == syscall.WAIT_OBJECT_0
}

func sysSignalGroup(pgid int, sig os.Signal) (string, error) {
	if s, ok := sig.(syscall.Signal); !ok || s != syscall.SIGINT {
		return "", unsupportedSignal(sig)
	}
	return "GenerateConsoleCtrlEvent", generateConsoleCtrlEvent(ctrlBreakEvent, uint32(pgid))
}

func sysNewProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= syscall.CREATE_NEW_PROCESS_GROUP
}

func rtSignal(n int) os.Signal { return nil }

// checkWaitSignal accepts the two signals the Go runtime makes of console
// control events.
func checkWaitSignal(sig os.Signal) error {
	if s, ok := sig.(syscall.Signal); ok && (s == syscall.SIGINT || s == syscall.SIGTERM) {
		return nil
	}
	return unsupportedSignal(sig)
}

// ---- pipes (pipe.go, fifo.go) ----

const pipeCall = "CreateNamedPipe"

func sysPipe(pc *PipeConfig) (r, w *os.File, err error) {
	size := pc.BufferSize
	if size == 0 {
		size = defaultPipeBuffer
	}
	if uint64(size) > math.MaxUint32 {
		return nil, nil, os.NewSyscallError(pipeCall, &argError{"PipeConfig.BufferSize " + strconv.Itoa(size) + " is too large", syscall.EINVAL})
	}
	server, client, err := pipePair(pipeSpec{bufSize: uint32(size), syncServer: pc.BlockingRead, syncClient: pc.BlockingWrite})
	if err != nil {
		return nil, nil, err
	}
	// os joins overlapped handles to the runtime's completion port.
	return os.NewFile(uintptr(server), "|0"), os.NewFile(uintptr(client), "|1"), nil
}

// pipeSpec describes the pipe that pipePair creates.
type pipeSpec struct {
	// duplex makes both ends read and write; without it the server end
	// only reads and the client end only writes.
	duplex bool
	// message gives the pipe message type, and message read mode to both
	// ends that read.
	message bool
	// bufSize is the buffer quota of each direction.
	bufSize uint32
	// syncServer and syncClient open that end for synchronous I/O rather
	// than overlapped I/O.
	syncServer, syncClient bool
}

// pipePair creates a named pipe under a fresh unguessable name and returns
// its server and client ends, connected and not inheritable. The pipe has
// one instance and no other can ever be created under its name
// (FILE_FLAG_FIRST_PIPE_INSTANCE), rejects remote clients, and its DACL
// admits the current user and SYSTEM only; and since the client end is
// opened right after the server's, by the time pipePair returns nobody else
// can hold it.
func pipePair(spec pipeSpec) (server, client syscall.Handle, err error) {
	var rnd [16]byte
	rand.Read(rnd[:])
	name, _ := syscall.UTF16PtrFromString(pipePrefix + "ipc-anon-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(rnd[:]))

	self, err := currentUserSID()
	if err != nil {
		return 0, 0, err
	}
	sddl := ownerOnlySDDL(self)
	sd, _, err := sddlToSD(sddl)
	if err != nil {
		return 0, 0, err
	}
	defer syscall.LocalFree(syscall.Handle(sd))
	sa := &syscall.SecurityAttributes{Length: uint32(unsafe.Sizeof(syscall.SecurityAttributes{})), SecurityDescriptor: sd}

	openMode := uint32(pipeAccessInbound | fileFlagFirstPipeInstance)
	access := uint32(syscall.GENERIC_WRITE | fileReadAttributes)
	if spec.duplex {
		openMode = pipeAccessDuplex | fileFlagFirstPipeInstance
		access = syscall.GENERIC_READ | syscall.GENERIC_WRITE
	}
	if !spec.syncServer {
		openMode |= syscall.FILE_FLAG_OVERLAPPED
	}
	pipeMode := uint32(pipeRejectRemoteClients)
	if spec.message {
		pipeMode |= pipeTypeMessage | pipeReadmodeMessage
	}
	clientFlags := uint32(securitySqosPresent | securityIdentification)
	if !spec.syncClient {
		clientFlags |= syscall.FILE_FLAG_OVERLAPPED
	}
	server, err = createNamedPipe(name, openMode, pipeMode, 1, spec.bufSize, spec.bufSize, 0, sa)
	if err != nil {
		return 0, 0, os.NewSyscallError("CreateNamedPipe", err)
	}
	client, err = syscall.CreateFile(name, access, 0, nil, syscall.OPEN_EXISTING, clientFlags, 0)
	if err != nil {
		syscall.CloseHandle(server)
		return 0, 0, os.NewSyscallError("CreateFile", err)
	}
	if spec.message && spec.duplex {
		mode := uint32(pipeReadmodeMessage)
		err = os.NewSyscallError("SetNamedPipeHandleState", setNamedPipeHandleState(client, &mode, nil, nil))
	}
	if err == nil {
		err = connectOpenedPipe(server)
	}
	if err != nil {
		syscall.CloseHandle(server)
		syscall.CloseHandle(client)
		return 0, 0, err
	}
	return server, client, nil
}

// fileReadAttributes lets the write-only client end of a pipe be inspected
// with GetNamedPipeInfo.
const fileReadAttributes = 0x80

// connectOpenedPipe completes the connection of the server end h, whose
// client has already opened the pipe, so ConnectNamedPipe reports
// ERROR_PIPE_CONNECTED at once.
func connectOpenedPipe(h syscall.Handle) error {
	ev, err := createEvent(nil, true, false, nil)
	if err != nil {
		return os.NewSyscallError("CreateEvent", err)
	}
	defer syscall.CloseHandle(ev)
	// The kernel may write the OVERLAPPED until the call is over, so it
	// lives on the heap, pinned, never on a goroutine stack, which can
	// move. h is on no completion port yet, so none is queued.
	o := &syscall.Overlapped{HEvent: ev}
	var pin runtime.Pinner
	pin.Pin(o)
	defer pin.Unpin()
	switch err = connectNamedPipe(h, o); err {
	case nil, errorPipeConnected:
		return nil
	case syscall.ERROR_IO_PENDING:
		// Waiting for a client: the one opened is gone. Do not wait, but
		// keep o until the kernel is done with it.
		syscall.CancelIoEx(h, o)
		var n uint32
		getOverlappedResult(h, o, &n, true)
		err = errorPipeNotConnected
	}
	return os.NewSyscallError("ConnectNamedPipe", err)
}

func sysPipeBufferSize(f *os.File) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, bareFileErr(err)
	}
	var in, out uint32
	var serr error
	if err := rc.Control(func(h uintptr) {
		serr = getNamedPipeInfo(syscall.Handle(h), nil, &out, &in, nil)
	}); err != nil {
		return 0, bareFileErr(err)
	}
	if serr != nil {
		return 0, os.NewSyscallError("GetNamedPipeInfo", serr)
	}
	return int(max(in, out)), nil
}

// passedHandle is the parent's side of a file passed to a child: the
// inheritable duplicate and the original.
type passedHandle struct {
	h syscall.Handle
	f *os.File
}

func (p passedHandle) Close() error {
	syscall.CloseHandle(p.h)
	return p.f.Close()
}

func sysPassFile(cmd *exec.Cmd, f *os.File) (string, io.Closer, error) {
	sys := cmd.SysProcAttr
	if sys != nil && sys.ParentProcess != 0 {
		return "", nil, &argError{"PassFile cannot be used with SysProcAttr.ParentProcess", syscall.EINVAL}
	}
	if sys != nil && sys.NoInheritHandles {
		return "", nil, &argError{"PassFile cannot be used with SysProcAttr.NoInheritHandles", syscall.EINVAL}
	}
	// Fd detaches an overlapped handle from this process's completion
	// port, which the child could not otherwise attach it to its own.
	h := syscall.Handle(f.Fd())
	if h == syscall.InvalidHandle {
		return "", nil, os.ErrClosed
	}
	p, _ := syscall.GetCurrentProcess()
	var dup syscall.Handle
	if err := syscall.DuplicateHandle(p, h, p, &dup, 0, true, syscall.DUPLICATE_SAME_ACCESS); err != nil {
		return "", nil, os.NewSyscallError("DuplicateHandle", err)
	}
	// A copy, in case the caller shares its SysProcAttr between commands.
	var sp syscall.SysProcAttr
	if sys != nil {
		sp = *sys
	}
	sp.AdditionalInheritedHandles = append(sp.AdditionalInheritedHandles[:len(sp.AdditionalInheritedHandles):len(sp.AdditionalInheritedHandles)], dup)
	cmd.SysProcAttr = &sp
	return strconv.FormatUint(uint64(dup), 10), passedHandle{dup, f}, nil
}

func sysInheritedFile(token, name string) (*os.File, error) {
	v, err := strconv.ParseUint(token, 10, 64)
	h := syscall.Handle(v)
	if err != nil || v == 0 || uint64(h) != v || h == syscall.InvalidHandle || strconv.FormatUint(v, 10) != token {
		return nil, &argError{"token " + strconv.Quote(token) + " is not a handle value", syscall.EINVAL}
	}
	if err := syscall.SetHandleInformation(h, syscall.HANDLE_FLAG_INHERIT, 0); err != nil {
		return nil, os.NewSyscallError("SetHandleInformation", err)
	}
	return os.NewFile(uintptr(h), name), nil
}

func sysMkfifo(path string, perm uint32) error { return errors.ErrUnsupported }

func sysOpenFifo(ctx context.Context, path string, flag int) (*os.File, error) {
	return nil, errors.ErrUnsupported
}

// ---- performance (issue 7) ----

// setBufferSize has nothing to do: the server sizes a pipe's buffers in
// CreateNamedPipe (sysListen), and a client cannot change them.
func (c *Conn) setBufferSize(n int) error { return nil }

// bufferSizes reports the pipe's output and input buffer sizes.
func (c *Conn) bufferSizes() (send, recv int, err error) {
	var out, in uint32
	err = c.handle(func(h syscall.Handle) error {
		return os.NewSyscallError("GetNamedPipeInfo", getNamedPipeInfo(h, nil, &out, &in, nil))
	})
	if err != nil {
		return 0, 0, fileErr(err)
	}
	return int(out), int(in), nil
}

// readFrom and writeTo: no zero-copy path on Windows; ReadFrom and WriteTo
// copy through a buffer.
func (c *Conn) readFrom(r io.Reader) (int64, bool, error) { return 0, false, nil }
func (c *Conn) writeTo(w io.Writer) (int64, bool, error)  { return 0, false, nil }

// lowLatencyReader: no spinning on Windows.
type lowLatencyReader struct{}

func (r *LowLatencyReader) read(b []byte) (int, error) { return r.f.Read(b) }

// ---- socket activation, listener handoff and peer processes ----

func (l *Listener) file() (*os.File, error)             { return nil, errors.ErrUnsupported }
func (l *Listener) setUnlinkOnClose(unlink bool)        {}
func (c *Conn) setUnlinkOnClose(unlink bool)            {}
func sysFileListener(f *os.File) (*Listener, error)     { return nil, errors.ErrUnsupported }
func sysFilePacketConn(f *os.File) (*PacketConn, error) { return nil, errors.ErrUnsupported }
func sysActivation() ([]activated, error)               { return nil, errors.ErrUnsupported }
func (c *Conn) peerProcess() (*Process, error)          { return nil, errors.ErrUnsupported }
func (p *Process) exited(fd uintptr) (bool, error)      { return false, errors.ErrUnsupported }
func (p *Process) signal(fd uintptr, sig os.Signal) (string, error) {
	return "", errors.ErrUnsupported
}
func (c *Conn) recvProcess(b []byte, from *string) (int, *Process, bool, error) {
	return 0, nil, false, errors.ErrUnsupported
}
