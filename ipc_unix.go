// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// This file implements local sockets with Unix domain sockets, using only
// calls that every supported Unix provides. The platform files supply
// sysSocket, sysAccept, chmodSocket, peerCred and the name rules.

package ipc

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const (
	netUnix       = "unix"
	netUnixPacket = "unixpacket"
)

// sockType returns the socket type for stream or message mode.
func sockType(message bool) (int, error) {
	if !message {
		return syscall.SOCK_STREAM, nil
	}
	if !seqpacketOK {
		return 0, errors.ErrUnsupported
	}
	return syscall.SOCK_SEQPACKET, nil
}

// maxPathLen is the longest socket name the kernel takes, in bytes: the
// size of sun_path less the terminating NUL (107 on Linux, 103 on the BSDs
// and macOS). A Linux abstract name may use the same number of bytes after
// its leading NUL.
const maxPathLen = len(syscall.RawSockaddrUnix{}.Path) - 1

// defaultBacklog asks for the system maximum; every supported kernel clamps
// a larger backlog to somaxconn.
const defaultBacklog = 1<<16 - 1

type sysListener struct {
	f     *os.File        // the listening socket, on the poller
	rc    syscall.RawConn // f's raw connection, for accept
	bound boundFile
	spin  spinWindow // low-latency accepts (performance section)
	keep  bool       // SetUnlinkOnClose(false); guarded by unlinkMu
}

// sysConn is kept small: a server holds one per idle connection. State
// that only some connections use is made on first use (rx, tx, spin) or
// only for the sockets that need it (owned).
type sysConn struct {
	dgram bool                    // a datagram socket, inside a PacketConn (msg is set too)
	spin  spinConn                // low-latency state (performance section)
	owned *ownedFile              // a datagram socket's file; nil for others
	rx    atomic.Pointer[rxState] // made on first use
	tx    atomic.Pointer[txState] // made on first use
}

// flag reports whether the connFlag f is set.
func (c *Conn) flag(f uint32) bool { return c.flags.Load()&f != 0 }

// ownedFile is the socket file a datagram socket may remove on Close.
type ownedFile struct {
	bound boundFile // the file it created, if any
	keep  bool      // SetUnlinkOnClose(false); guarded by unlinkMu
}

// rxState carries a recvmsg call's arguments and results through the
// poller's callback. One per connection, made on first use, so a steady
// stream of ReadMsg calls allocates nothing; mu serialises its users.
type rxState struct {
	mu       sync.Mutex
	b, oob   []byte
	lockFork bool
	wantFrom bool
	n, oobn  int
	flags    int
	sa       syscall.Sockaddr
	err      error
	fn       func(fd uintptr) bool
	buf      [64]byte
	big      []byte // control buffer for RecvFiles, made on first use

	// Low-latency mode (performance section): the raw recvmsg, and its
	// spinning as Read's.
	try     func(fd uintptr) bool
	spinner spinner
}

// maxFilesPerMsg is the most descriptors a kernel passes in one message:
// SCM_MAX_FD (253) on Linux; the BSDs have no fixed limit below what fits
// in a control mbuf, so 512 covers them in practice.
var maxFilesPerMsg = map[bool]int{true: 253, false: 512}[runtime.GOOS == "linux" || runtime.GOOS == "android"]

// txState is the same for sendmsg.
type txState struct {
	mu     sync.Mutex
	b, oob []byte
	to     syscall.Sockaddr
	n      int
	err    error
	fn     func(fd uintptr) bool
}

func (c *Conn) rxState() *rxState {
	if rx := c.rx.Load(); rx != nil {
		return rx
	}
	rx := &rxState{}
	rx.fn = func(fd uintptr) bool { return rx.spinner.step(fd, rx.try) }
	rx.try = func(fd uintptr) bool {
		for {
			if rx.lockFork {
				syscall.ForkLock.RLock()
			}
			if rx.wantFrom {
				rx.n, rx.oobn, rx.flags, rx.sa, rx.err = syscall.Recvmsg(int(fd), rx.b, rx.oob, msgCmsgCloexec)
			} else {
				rx.n, rx.oobn, rx.flags, rx.err = recvmsgNoName(int(fd), rx.b, rx.oob, msgCmsgCloexec)
			}
			if rx.lockFork {
				if rx.err == nil {
					ctl, _ := parseControl(rx.oob[:rx.oobn])
					for _, fd := range ctl.fds {
						syscall.CloseOnExec(fd)
					}
				}
				syscall.ForkLock.RUnlock()
			}
			if rx.err == syscall.EINTR {
				continue
			}
			return rx.err != syscall.EAGAIN
		}
	}
	if !c.rx.CompareAndSwap(nil, rx) {
		return c.rx.Load()
	}
	return rx
}

func (c *Conn) txState() *txState {
	if tx := c.tx.Load(); tx != nil {
		return tx
	}
	tx := &txState{}
	tx.fn = func(fd uintptr) bool {
		for {
			tx.n, tx.err = syscall.SendmsgN(int(fd), tx.b, tx.oob, tx.to, 0)
			if tx.err == syscall.EINTR {
				continue
			}
			return tx.err != syscall.EAGAIN
		}
	}
	if !c.tx.CompareAndSwap(nil, tx) {
		return c.tx.Load()
	}
	return tx
}

// boundFile is a socket file created by bind, to be removed on Close if it
// is still the same file.
type boundFile struct {
	path string // "" if none
	dev  uint64
	ino  uint64
}

// sockName is a resolved local socket name.
type sockName struct {
	path     string // OS name: a file path, or "@name" for an abstract socket
	private  bool   // resolved from a bare name into the private directory
	abstract bool   // Linux abstract namespace
}

// resolveName maps a local socket name to its OS name. It makes no system
// call except, for bare names, to create (if create is set) and check the
// private directory.
func resolveName(name string, create bool) (sockName, error) {
	sn, err := namePath(name)
	if err != nil || !sn.private {
		return sn, err
	}
	if err := checkPrivateDir(filepath.Dir(sn.path), create); err != nil {
		return sockName{}, err
	}
	return sn, nil
}

// namePath maps a local socket name to its OS name without any system call.
func namePath(name string) (sockName, error) {
	if name == "" {
		return sockName{}, &argError{"empty name", syscall.EINVAL}
	}
	if strings.IndexByte(name, 0) >= 0 {
		return sockName{}, &argError{"name contains a NUL byte", syscall.EINVAL}
	}
	if name[0] == '@' {
		rest := name[1:]
		if rest == "" {
			return sockName{}, &argError{"empty name after @", syscall.EINVAL}
		}
		if abstractNames {
			if len(rest) > maxPathLen {
				return sockName{}, tooLong(len(rest), "")
			}
			return sockName{path: name, abstract: true}, nil
		}
		if strings.IndexByte(rest, '/') >= 0 {
			return sockName{}, &argError{"a name starting with @ must not contain / on " + runtime.GOOS, syscall.EINVAL}
		}
		name = rest
	} else if strings.IndexByte(name, '/') >= 0 {
		if len(name) > maxPathLen {
			return sockName{}, tooLong(len(name), "")
		}
		return sockName{path: name}, nil
	}
	if name == "." || name == ".." {
		return sockName{}, errDotName
	}
	dir := privateDirName()
	path := dir + "/" + name + ".sock"
	if len(path) > maxPathLen {
		return sockName{}, tooLong(len(path), dir)
	}
	return sockName{path: path, private: true}, nil
}

// sysResolve is Resolve: the name's OS name, with the private directory
// checked if it exists but not created.
func sysResolve(name string) (string, error) {
	sn, err := namePath(name)
	if err != nil || !sn.private {
		return sn.path, err
	}
	err = checkPrivateDir(filepath.Dir(sn.path), false)
	if pe, ok := err.(*os.PathError); ok && pe.Err == syscall.ENOENT {
		err = nil // not made yet: Listen will make it
	}
	if err != nil {
		return "", err
	}
	return sn.path, nil
}

// tooLong reports a name of n bytes, or for a bare name a path of n bytes
// in the private directory dir, that sun_path cannot hold. The error does
// not repeat the name, which the error's address shows.
func tooLong(n int, dir string) error {
	what := "name is "
	if dir != "" {
		what = "name makes a socket path of "
	}
	msg := what + strconv.Itoa(n) + " bytes, longer than the limit of " + strconv.Itoa(maxPathLen)
	if dir != "" {
		msg += " (in " + dir + ")"
	}
	return &argError{msg, syscall.ENAMETOOLONG}
}

// errDotName refuses the bare names "." and "..", which would make socket
// files named "..sock" and "...sock".
var errDotName = &argError{`"." and ".." are not names: a bare name must be a plain file name`, syscall.EINVAL}

// privateDirName returns the directory for bare names: $XDG_RUNTIME_DIR if
// it is set to an absolute path, else ipc-<euid> in the temporary directory.
func privateDirName() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Clean(d)
	}
	return filepath.Join(os.TempDir(), "ipc-"+strconv.Itoa(os.Geteuid()))
}

// unsafeDirError reports a private directory that is not safe to use. It
// matches os.ErrPermission.
type unsafeDirError struct{ msg string }

func (e *unsafeDirError) Error() string        { return e.msg }
func (e *unsafeDirError) Is(target error) bool { return target == os.ErrPermission }

// checkPrivateDir makes sure dir is a directory (not a symbolic link) owned
// by the effective user and not writable by anyone else, creating it with
// mode 0700 first if create is set.
func checkPrivateDir(dir string, create bool) error {
	if create {
		if err := syscall.Mkdir(dir, 0o700); err != nil && err != syscall.EEXIST {
			return &os.PathError{Op: "mkdir", Path: dir, Err: err}
		}
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(dir, &st); err != nil {
		return &os.PathError{Op: "lstat", Path: dir, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return &unsafeDirError{"private directory " + dir + " is not a directory"}
	}
	if uid := os.Geteuid(); int(st.Uid) != uid {
		return &unsafeDirError{"private directory " + dir + " is owned by uid " +
			strconv.Itoa(int(st.Uid)) + ", not by the current user (uid " + strconv.Itoa(uid) + ")"}
	}
	if st.Mode&0o022 != 0 {
		return &unsafeDirError{"private directory " + dir + " is writable by group or others (mode " +
			strconv.FormatUint(uint64(st.Mode&0o777), 8) + ")"}
	}
	return nil
}

// listenName checks lc.Mode, resolves name for a socket of network nw and
// returns the mode its file gets (0: leave it to the umask).
func listenName(lc *ListenConfig, name, nw string) (sn sockName, addr *Addr, mode uint32, err error) {
	if lc.Mode&^os.ModePerm != 0 {
		return sn, nil, 0, &argError{"ListenConfig.Mode " + lc.Mode.String() + " has bits other than permissions", syscall.EINVAL}
	}
	if lc.SecurityDescriptor != "" {
		return sn, nil, 0, &argError{"ListenConfig.SecurityDescriptor is for Windows pipes; use Mode", errors.ErrUnsupported}
	}
	if sn, err = resolveName(name, true); err != nil {
		return sn, nil, 0, err
	}
	addr = &Addr{Net: nw, Name: sn.path}
	if sn.abstract && lc.Mode != 0 {
		return sn, addr, 0, &argError{"an abstract socket has no file, so ListenConfig.Mode cannot apply", syscall.EINVAL}
	}
	mode = uint32(lc.Mode)
	if mode == 0 && sn.private {
		mode = 0o600
	}
	return sn, addr, mode, nil
}

func sysListen(ctx context.Context, lc *ListenConfig, name string) (*Listener, *Addr, error) {
	if lc.Backlog < 0 {
		return nil, nil, &argError{"negative ListenConfig.Backlog", syscall.EINVAL}
	}
	sn, addr, mode, err := listenName(lc, name, netUnix)
	if err != nil {
		return nil, addr, err
	}
	backlog := lc.Backlog
	if backlog == 0 {
		backlog = defaultBacklog
	}
	if err := ctx.Err(); err != nil {
		return nil, addr, mapCtxErr(err)
	}

	typ, err := sockType(lc.Message)
	if err != nil {
		return nil, addr, err
	}
	if lc.Message {
		addr.Net = netUnixPacket
	}
	fd, err := sysSocket(typ)
	if err == nil {
		fd, err = above2(fd)
	}
	if err != nil {
		return nil, addr, err
	}
	l := &Listener{addr: addr}
	if err := l.bound.bind(ctx, fd, sn, mode, lc.Reclaim || sn.private, backlog); err != nil {
		syscall.Close(fd)
		return nil, addr, err
	}
	l.f = os.NewFile(uintptr(fd), sn.path)
	l.rc, _ = l.f.SyscallConn() // cannot fail on a fresh file
	return l, addr, nil
}

// bind binds fd to the name, applies the mode and, unless backlog is
// negative, starts listening. It records the file it created in b.
func (b *boundFile) bind(ctx context.Context, fd int, sn sockName, mode uint32, reclaim bool, backlog int) error {
	sa := &syscall.SockaddrUnix{Name: sn.path}
	listen := func() error {
		if backlog < 0 {
			return nil
		}
		return os.NewSyscallError("listen", syscall.Listen(fd, backlog))
	}
	if sn.abstract {
		if err := syscall.Bind(fd, sa); err != nil {
			return bindErr(err)
		}
		return listen()
	}

	if mode != 0 {
		if err := presetMode(fd, mode); err != nil && backlog < 0 {
			// A datagram socket takes datagrams as soon as it is
			// bound; a stream socket gets its mode below, before it
			// listens.
			return os.NewSyscallError("fchmod", err)
		}
	}
	err := syscall.Bind(fd, sa)
	if err == syscall.EADDRINUSE {
		err = rebind(ctx, fd, sa, reclaim)
	} else if err != nil {
		err = bindErr(err)
	}
	if err != nil {
		return err
	}
	if testHookBound != nil {
		testHookBound(sn.path)
	}

	var st syscall.Stat_t
	if err := syscall.Lstat(sn.path, &st); err != nil {
		return &os.PathError{Op: "lstat", Path: sn.path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		// Someone who may write to the directory replaced the socket
		// file between bind and now. What is there is not ours: leave
		// it, and give up, since no client could reach this socket.
		return &os.PathError{Op: "lstat", Path: sn.path, Err: errSwapped}
	}
	*b = boundFile{sn.path, uint64(st.Dev), uint64(st.Ino)}
	if mode != 0 && uint32(st.Mode)&0o777 != mode {
		// The umask took bits that the mode grants (or presetMode could
		// not act): only now, with the file bound, can they be added.
		err = chmodSocket(sn.path, &st, mode)
	}
	if err == nil {
		err = listen()
	}
	if err != nil {
		b.remove()
		return err
	}
	return nil
}

var errSwapped = errors.New("socket file was replaced by another file right after bind")

// testHookBound, if set, runs right after a socket file is bound.
var testHookBound func(path string)

// rebind handles bind's EADDRINUSE at a file path. It finds out what is in
// the way, for the error, and with reclaim set removes a stale socket file
// and binds again.
//
// Removing is serialised by the reclaim lock (lockReclaim), so that two
// listeners that find the same stale socket at once cannot both remove
// "it", the second one removing the first one's new socket. Once a
// listener has bound, its socket holds the file and every probe sees it as
// live, even before it listens, so the lock is needed only from the probe
// to the bind, and binding without reclaim needs none.
func rebind(ctx context.Context, fd int, sa *syscall.SockaddrUnix, reclaim bool) error {
	path := sa.Name
	state, kind, err := probePath(path)
	if err != nil {
		return err
	}
	if !reclaim || (state != pathStale && state != pathGone) {
		return inUseErr(state, kind, reclaim)
	}
	unlock, err := lockReclaim(ctx, path)
	if err != nil {
		return err
	}
	defer unlock()
	// Look again under the lock: another listener may have taken the
	// name over since.
	if state, kind, err = probePath(path); err != nil {
		return err
	}
	switch state {
	case pathStale:
		if err := syscall.Unlink(path); err != nil && err != syscall.ENOENT {
			return &os.PathError{Op: "remove", Path: path, Err: err}
		}
	case pathGone:
	default:
		return inUseErr(state, kind, reclaim)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		if err == syscall.EADDRINUSE {
			// Taken by a listener that does not reclaim, or by
			// another user.
			state, kind, _ = probePath(path)
			return inUseErr(state, kind, reclaim)
		}
		return bindErr(err)
	}
	return nil
}

func bindErr(err error) error {
	serr := os.NewSyscallError("bind", err)
	if err == syscall.EADDRINUSE {
		return &existError{serr}
	}
	return serr
}

// inUseErr is bind's EADDRINUSE, saying what the probe found at the path
// when that tells the user more. It matches os.ErrExist and unwraps to
// syscall.EADDRINUSE.
func inUseErr(state pathState, kind string, reclaim bool) error {
	err := error(syscall.EADDRINUSE)
	switch {
	case state == pathNotSocket:
		err = &detailError{syscall.EADDRINUSE, "the path is " + kind + ", not a socket"}
	case state == pathStale && !reclaim:
		err = &detailError{syscall.EADDRINUSE, "stale socket (no listener); set ListenConfig.Reclaim to take it over"}
	}
	return &existError{os.NewSyscallError("bind", err)}
}

// pathState is what a probe found at a socket path that bind reported in
// use.
type pathState int

const (
	pathGone      pathState = iota // nothing there any more
	pathStale                      // a socket file that no socket holds
	pathLive                       // a socket file that a socket holds
	pathUnknown                    // a socket file the probe could not judge
	pathNotSocket                  // a file of another type
)

// probePath tells whether the file at path is a socket file that no socket
// holds (a stale one, left by a process that died without removing it),
// without making a connection any server could see. It looks at the file
// without following a symbolic link, then connects a datagram socket to it.
// Every supported kernel looks up the socket that holds the file before it
// compares types, so the answer is:
//
//   - ECONNREFUSED: no socket holds the file: stale.
//   - EPROTOTYPE: a stream or seqpacket socket holds it, listening or only
//     bound (between bind and listen): live, and nothing reaches it, as
//     the types differ.
//   - success, or EPERM (its owner connected it elsewhere): a datagram
//     socket holds it: live. Connecting a datagram socket only records the
//     peer on the probing socket; the receiver sees nothing.
//
// Any other error (EACCES: no write permission on the file) leaves it
// unknown. kind names a file of another type ("a regular file").
func probePath(path string) (state pathState, kind string, err error) {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		if err == syscall.ENOENT {
			return pathGone, "", nil
		}
		return pathUnknown, "", &os.PathError{Op: "lstat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return pathNotSocket, fileKind(&st), nil
	}
	fd, err := sysSocket(syscall.SOCK_DGRAM)
	if err != nil {
		return pathUnknown, "", err
	}
	err = syscall.Connect(fd, &syscall.SockaddrUnix{Name: path})
	syscall.Close(fd)
	switch err {
	case syscall.ECONNREFUSED:
		return pathStale, "", nil
	case nil, syscall.EPROTOTYPE, syscall.EPERM:
		return pathLive, "", nil
	case syscall.ENOENT:
		return pathGone, "", nil
	}
	return pathUnknown, "", nil
}

// fileKind names the type of a file for an error message.
func fileKind(st *syscall.Stat_t) string {
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return "a regular file"
	case syscall.S_IFDIR:
		return "a directory"
	case syscall.S_IFLNK:
		return "a symbolic link"
	case syscall.S_IFIFO:
		return "a FIFO"
	case syscall.S_IFSOCK:
		return "a socket"
	case syscall.S_IFCHR:
		return "a character device"
	case syscall.S_IFBLK:
		return "a block device"
	}
	return "a file of unknown type"
}

// lockReclaim takes the lock that serialises this user's reclaims of the
// socket at path (see rebind), waiting without blocking a thread. The lock
// is a file in the user's private directory (the one bare names use),
// named after the identity of the socket's directory and the socket's file
// name, so that every spelling of a path shares one lock and different
// paths do not contend. Only the user can open it: another user can
// neither hold it nor take it away. (Users do not share locks: a listener
// of another user in the same shared directory is not serialised with
// this one. In a sticky directory such as /tmp neither can remove the
// other's socket anyway; where both may remove each other's files, each
// can as well remove the other's live socket.)
//
// Holders keep the lock for a few system calls, so waiting long means a
// process of the user's stopped while holding it: after lockWait (or the
// context's end, if sooner) Listen fails. Where there is no usable private
// directory, or the lock file cannot be opened or locked, it goes on
// without the lock.
func lockReclaim(ctx context.Context, path string) (unlock func(), err error) {
	name, ok := reclaimLockPath(path)
	if !ok {
		return func() {}, nil
	}
	fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0o600)
	if err != nil {
		return func() {}, nil
	}
	unlock = func() { syscall.Close(fd) } // closing drops the lock
	giveUp := time.Now().Add(lockWait)
	delay := 50 * time.Microsecond
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return unlock, nil
		case err == syscall.EINTR:
			continue
		case err != syscall.EWOULDBLOCK:
			return unlock, nil // locks not supported here
		case time.Now().After(giveUp):
			unlock()
			return nil, &os.PathError{Op: "flock", Path: name, Err: &detailError{syscall.EWOULDBLOCK,
				"held for " + lockWait.String() + " by another process of this user taking over the same socket"}}
		}
		if err := sleepCtx(ctx, &delay); err != nil {
			unlock()
			return nil, err
		}
	}
}

// reclaimLockPath returns the name of the reclaim lock for the socket at
// path (see lockReclaim), creating the private directory if need be. It
// reports false if there is no usable private directory or path's
// directory cannot be found.
func reclaimLockPath(path string) (string, bool) {
	priv := privateDirName()
	if checkPrivateDir(priv, true) != nil {
		return "", false
	}
	var st syscall.Stat_t
	if syscall.Stat(filepath.Dir(path), &st) != nil {
		return "", false
	}
	return priv + "/.ipc-reclaim-" + strconv.FormatUint(uint64(st.Dev), 16) + "-" +
		strconv.FormatUint(uint64(st.Ino), 16) + "-" + filepath.Base(path), true
}

const lockWait = 2 * time.Second

// sleepCtx waits for *delay or until ctx ends, then doubles *delay up to
// 10ms. It serves the two waits the poller cannot: a flock held by another
// process and a full listen backlog.
func sleepCtx(ctx context.Context, delay *time.Duration) error {
	t := time.NewTimer(*delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return mapCtxErr(ctx.Err())
	case <-t.C:
	}
	if *delay < 10*time.Millisecond {
		*delay *= 2
	}
	return nil
}

// remove removes the socket file if the file at its path is still the one
// that was bound.
func (b *boundFile) remove() {
	if b.path == "" {
		return
	}
	var st syscall.Stat_t
	if syscall.Lstat(b.path, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFSOCK &&
		uint64(st.Dev) == b.dev && uint64(st.Ino) == b.ino {
		syscall.Unlink(b.path)
	}
	b.path = ""
}

func (l *Listener) close() error {
	// Remove the file before closing the socket, as net does, so that no
	// new client finds a path that leads nowhere. While the socket is still
	// open no reclaiming listener can take the path over, so the identity
	// check cannot race with a successor.
	removeOwned(&l.bound, &l.keep)
	return fileErr(l.f.Close())
}

func (l *Listener) accept() (*Conn, error) {
	var nfd int
	var serr error
	spin := spinOK && l.lowLatency
	try := func(fd uintptr) bool {
		for {
			nfd, serr = sysAccept(int(fd))
			if serr == syscall.EINTR || serr == syscall.ECONNABORTED {
				continue
			}
			return serr != syscall.EAGAIN
		}
	}
	err := l.rc.Read(func(fd uintptr) bool {
		if try(fd) {
			return true
		}
		if !spin {
			return false
		}
		spin = false // once per Accept; after a wake, plain retries
		return l.spin.spin(fd, try)
	})
	if err != nil {
		if l.closed.Load() {
			return nil, net.ErrClosed
		}
		return nil, fileErr(err)
	}
	if serr != nil {
		return nil, os.NewSyscallError(acceptCall, serr)
	}
	return newConn(nfd, l.addr, unnamedPeer(l.addr.Net), l.addr.Net == netUnixPacket)
}

// Accepted connections share one remote address per network: it is the
// same for all of them, and an idle connection should cost its server as
// little as it can.
var (
	unnamedStream = &Addr{Net: "unix", Name: unnamed}
	unnamedPacket = &Addr{Net: netUnixPacket, Name: unnamed}
)

// unnamedPeer returns the remote address of a connection accepted on a
// listener of network nw.
func unnamedPeer(nw string) *Addr {
	switch nw {
	case unnamedStream.Net:
		return unnamedStream
	case unnamedPacket.Net:
		return unnamedPacket
	}
	return &Addr{Net: nw, Name: unnamed}
}

func (l *Listener) setDeadline(t time.Time) error { return l.f.SetReadDeadline(t) }

func (l *Listener) syscallConn() (syscall.RawConn, error) { return l.f.SyscallConn() }

// newConn puts a connected non-blocking socket on the poller. It takes
// ownership of fd, closing it on error.
func newConn(fd int, laddr, raddr *Addr, msg bool) (*Conn, error) {
	fd, err := above2(fd)
	if err != nil {
		return nil, err
	}
	if msg {
		if err := initMsgConn(fd); err != nil {
			syscall.Close(fd)
			return nil, err
		}
	}
	c := &Conn{f: os.NewFile(uintptr(fd), raddr.Name), laddr: laddr, raddr: raddr, msg: msg}
	c.setFlag(flagPassCred, msg && scmCredentials >= 0)
	c.rc, _ = c.f.SyscallConn() // cannot fail on a fresh file
	return c, nil
}

// dupAbove2 duplicates fd onto a close-on-exec descriptor above 2.
func dupAbove2(fd int) (int, error) { return dupFD(fd, 3) }

// above2 returns fd if it is above 2, and otherwise moves it onto a
// close-on-exec descriptor above 2. The kernel gives out the lowest free
// descriptor, which in a process that has closed its standard input,
// output or error is 0, 1 or 2: a socket or received file there would
// take their place (a later write to standard output would go into it),
// and os.File raises SIGPIPE for EPIPE on 1 and 2. above2 takes ownership
// of fd: on error it is closed.
func above2(fd int) (int, error) {
	if fd > 2 || fd < 0 {
		return fd, nil
	}
	nfd, err := dupAbove2(fd)
	syscall.Close(fd)
	return nfd, err
}

// fdsAbove2 moves every descriptor of fds that is 0, 1 or 2 above 2, in
// place, as above2 does. On error it closes them all.
func fdsAbove2(fds []int) error {
	for i, fd := range fds {
		nfd, err := above2(fd)
		if err != nil {
			closeFDs(fds[:i])
			closeFDs(fds[i+1:])
			return err
		}
		fds[i] = nfd
	}
	return nil
}

// dupFcntl wraps fcntl(F_DUPFD_CLOEXEC), which makes the copy, the lowest
// free descriptor at least min, close-on-exec from birth.
func dupFcntl(fd, min int) (int, error) {
	for {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, uintptr(min))
		switch e {
		case 0:
			return int(r), nil
		case syscall.EINTR:
			continue
		}
		return -1, os.NewSyscallError("fcntl", e)
	}
}

func sysDial(ctx context.Context, d *Dialer, name string) (*Conn, *Addr, error) {
	sn, err := resolveName(name, false)
	if err != nil {
		return nil, nil, err
	}
	raddr := &Addr{Net: netUnix, Name: sn.path}
	if d.Message {
		raddr.Net = netUnixPacket
	}
	if d.ServerSID != "" {
		return nil, raddr, &argError{"Dialer.ServerSID is for Windows pipes; check PeerCred", errors.ErrUnsupported}
	}
	if err := ctx.Err(); err != nil {
		return nil, raddr, mapCtxErr(err)
	}
	typ, err := sockType(d.Message)
	if err != nil {
		return nil, raddr, err
	}
	fd, err := sysSocket(typ)
	if err != nil {
		return nil, raddr, err
	}
	// Message mode is switched on after connect: on Linux, SO_PASSCRED on
	// an unbound socket would bind it to an autogenerated name.
	c, err := newConn(fd, &Addr{Net: raddr.Net, Name: unnamed}, raddr, false)
	if err != nil {
		return nil, raddr, err
	}
	if err := c.connect(ctx, &syscall.SockaddrUnix{Name: sn.path}); err != nil {
		c.f.Close()
		return nil, raddr, err
	}
	if d.Message {
		if err := c.enablePassCred(); err != nil {
			c.f.Close()
			return nil, raddr, err
		}
		c.msg = true
	}
	return c, raddr, nil
}

// connect connects the socket without blocking a thread.
func (c *Conn) connect(ctx context.Context, sa *syscall.SockaddrUnix) error {
	rc := c.rc
	delay := 50 * time.Microsecond
	var giveUp time.Time // for a full backlog, without a deadline
	if _, ok := ctx.Deadline(); !ok {
		giveUp = time.Now().Add(busyWait)
	}
	for {
		var cerr error
		if err := rc.Control(func(fd uintptr) { cerr = syscall.Connect(int(fd), sa) }); err != nil {
			return fileErr(err)
		}
		switch cerr {
		case nil:
			return nil
		case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
			return c.waitConnect(ctx, rc)
		case syscall.EAGAIN:
			// Linux: the listener's backlog is full. The poller cannot
			// say when it drains, so retry with a growing pause.
			if !giveUp.IsZero() && time.Now().After(giveUp) {
				return os.NewSyscallError("connect", busyErr(syscall.EAGAIN, "backlog"))
			}
			if err := sleepCtx(ctx, &delay); err != nil {
				return err
			}
		default:
			return os.NewSyscallError("connect", cerr)
		}
	}
}

// waitConnect waits for a connect in progress to finish: the socket becomes
// writable and SO_ERROR tells the outcome.
func (c *Conn) waitConnect(ctx context.Context, rc syscall.RawConn) error {
	if d, ok := ctx.Deadline(); ok {
		c.f.SetWriteDeadline(d)
	}
	stop := func() bool { return true }
	var fired chan struct{}
	if ctx.Done() != nil {
		fired = make(chan struct{})
		stop = context.AfterFunc(ctx, func() {
			c.f.SetWriteDeadline(time.Unix(1, 0))
			close(fired)
		})
	}
	var serr error
	err := rc.Write(func(fd uintptr) bool {
		v, err := syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR)
		if err != nil {
			serr = err
			return true
		}
		switch e := syscall.Errno(v); e {
		case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
			return false
		case 0:
			serr = nil
		default:
			serr = e
		}
		return true
	})
	if !stop() {
		<-fired
	}
	c.f.SetWriteDeadline(time.Time{})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return mapCtxErr(cerr)
		}
		return fileErr(err)
	}
	return os.NewSyscallError("connect", serr)
}

func (c *Conn) shutdown(write bool) error {
	how := syscall.SHUT_RD
	if write {
		how = syscall.SHUT_WR
	}
	var serr error
	if err := c.rc.Control(func(fd uintptr) { serr = syscall.Shutdown(int(fd), how) }); err != nil {
		return fileErr(err)
	}
	return os.NewSyscallError("shutdown", serr)
}

var (
	errNotMessage = &argError{"not a message-mode connection", syscall.EINVAL}
	errMaxFiles   = &argError{"maxFiles must not be negative", syscall.EINVAL}
	errNoData     = &argError{"files must be sent with at least one byte of data", syscall.EINVAL}
	errNilFile    = &argError{"nil *os.File", syscall.EINVAL}
)

// recvMsg reads into b with recvmsg(2). With maxFiles >= 0 it also takes up
// to maxFiles descriptors, closing them all if more arrive; with noFiles
// the connection must be in message mode and no descriptors are accepted
// (the kernel discards any that were sent).
//
// If from is not nil, it receives the sender's name (datagram sockets). If
// cred is not nil, it receives the sender's credentials, or nil if none
// came (Linux SCM_CREDENTIALS; SO_PASSCRED must be on).
func (c *Conn) recvMsg(b []byte, maxFiles int, from *string, cred **Cred) (n int, files []*os.File, truncated bool, err error) {
	if maxFiles < 0 && !c.msg && cred == nil {
		return 0, nil, false, errNotMessage
	}
	if len(b) == 0 && !c.msg {
		// As Read: nothing to read into on a stream, so nothing is read,
		// descriptors included (they come with a byte).
		return 0, nil, false, nil
	}
	space := 0
	if c.flag(flagPassCred) || cred != nil {
		space += credSpace // Linux: every message carries SCM_CREDENTIALS
	}
	if maxFiles >= 0 {
		// Room for as many descriptors as the kernel sends in one message,
		// whatever maxFiles is: surplus ones then arrive here and are
		// closed and counted, instead of being dropped by the kernel (or,
		// under qemu-user, leaked by the emulator's control-message
		// translation), and a larger maxFiles needs no more room.
		space += syscall.CmsgSpace(maxFilesPerMsg * 4)
		// And for a pidfd after them (Linux SCM_PIDFD), which is closed,
		// but which would otherwise make the kernel report the control
		// data truncated.
		space += pidfdSpace
	}
	rx := c.rxState()
	rx.mu.Lock()
	defer rx.mu.Unlock()
	rx.b, rx.oob = b, rx.buf[:0]
	switch {
	case space <= len(rx.buf):
		rx.oob = rx.buf[:space]
	case space <= cap(rx.big):
		rx.oob = rx.big[:space]
	default:
		rx.big = make([]byte, space)
		rx.oob = rx.big
	}
	// Where the kernel cannot make received descriptors close-on-exec
	// atomically, hold ForkLock until they are.
	rx.lockFork = msgCmsgCloexec == 0 && maxFiles >= 0
	rx.wantFrom = from != nil
	rx.spinner.start(spinOK && c.flag(flagLowLatency))
	err = c.rc.Read(rx.fn)
	n, oobn, flags, sa, serr := rx.n, rx.oobn, rx.flags, rx.sa, rx.err
	oob := rx.oob
	rx.b, rx.oob, rx.sa = nil, nil, nil
	if err != nil {
		return 0, nil, false, fileErr(err)
	}
	if serr != nil {
		return 0, nil, false, os.NewSyscallError("recvmsg", serr)
	}
	if from != nil {
		*from = ""
		if sun, ok := sa.(*syscall.SockaddrUnix); ok {
			*from = unixName(sun)
		}
	}
	ctl, ok := parseControl(oob[:oobn])
	// A process handle nobody asked for: SO_PASSPIDFD is a property of the
	// socket, which another holder of it may have turned on.
	closeFDs(ctl.pidfds)
	fds, uc, hasCred := ctl.fds, ctl.cred, ctl.hasCred
	if cred != nil {
		*cred = nil
		// PID 0 is what Linux reports when no credentials were recorded
		// at send time (a datagram sent before SO_PASSCRED was on).
		if hasCred && uc.Pid != 0 {
			*cred = &Cred{PID: int(uc.Pid), UID: int(uc.Uid), GID: int(uc.Gid)}
		}
	}
	truncated = c.msg && flags&syscall.MSG_TRUNC != 0
	switch {
	case flags&syscall.MSG_CTRUNC != 0 && maxFiles >= 0 && oobn+syscall.CmsgSpace(4) <= len(oob):
		// Truncated with room to spare: the buffer holds the most
		// descriptors one message carries, so the kernel could not install
		// the others in this process, whose descriptor table is full. It
		// does not say how many it dropped.
		closeFDs(fds)
		return n, nil, truncated, &argError{"descriptors lost: the descriptor table is full; " +
			strconv.Itoa(len(fds)) + " received were closed, the rest were dropped by the kernel", syscall.EMFILE}
	case flags&syscall.MSG_CTRUNC != 0 && maxFiles >= 0, !ok:
		closeFDs(fds)
		return n, nil, truncated, &argError{"control data truncated: " + strconv.Itoa(len(fds)) +
			" received descriptors closed", syscall.EMSGSIZE}
	case len(fds) > max(maxFiles, 0):
		closeFDs(fds)
		return n, nil, truncated, &argError{strconv.Itoa(len(fds)) + " descriptors arrived, more than the " +
			strconv.Itoa(max(maxFiles, 0)) + " asked for: all closed", syscall.EMSGSIZE}
	}
	if n == 0 && len(fds) == 0 && (len(b) > 0 || c.msg) && !(c.msg && hasCred) && !c.dgram {
		// End of stream. In message mode on Linux an empty message carries
		// credentials and the end of the connection does not. Datagram
		// sockets have no end: an empty datagram is just that.
		return 0, nil, false, io.EOF
	}
	if len(fds) > 0 {
		if err := fdsAbove2(fds); err != nil {
			return n, nil, truncated, err
		}
		files = make([]*os.File, len(fds))
		for i, fd := range fds {
			files[i] = os.NewFile(uintptr(fd), "fd "+strconv.Itoa(fd)+" from "+c.raddr.Name)
		}
	}
	return n, files, truncated, nil
}

func closeFDs(fds []int) {
	for _, fd := range fds {
		syscall.Close(fd)
	}
}

// sendMsg sends b, and the files if any, with sendmsg(2), to the address
// to if it is not nil. Without files the connection must be in message mode.
func (c *Conn) sendMsg(b []byte, files []*os.File, to syscall.Sockaddr) (int, error) {
	if len(files) == 0 && !c.msg {
		return 0, errNotMessage
	}
	if len(files) > 0 && len(b) == 0 {
		return 0, errNoData
	}
	for _, f := range files {
		if f == nil {
			return 0, errNilFile
		}
	}
	tx := c.txState()
	tx.mu.Lock()
	defer tx.mu.Unlock()
	send := func(oob []byte) error {
		tx.b, tx.oob, tx.to = b, oob, to
		err := c.rc.Write(tx.fn)
		tx.b, tx.oob, tx.to = nil, nil, nil
		if err != nil {
			return fileErr(err)
		}
		return os.NewSyscallError("sendmsg", tx.err)
	}
	var err error
	if len(files) == 0 {
		err = send(nil)
	} else {
		err = withFDs(files, make([]int, 0, len(files)), func(fds []int) error {
			return send(syscall.UnixRights(fds...))
		})
	}
	if err != nil {
		return 0, err
	}
	n := tx.n
	if n < len(b) && !c.msg {
		// A stream socket took part of b; the files went with it.
		m, err := c.f.Write(b[n:])
		n += m
		if err != nil {
			return n, fileErr(err)
		}
	}
	return n, nil
}

// withFDs calls fn with the descriptors of files, each held valid (by its
// file's raw connection) for the duration of the call. A file that cannot
// give its descriptor, a closed one say, is an *argFileError.
func withFDs(files []*os.File, fds []int, fn func([]int) error) error {
	if len(files) == 0 {
		return fn(fds)
	}
	rc, err := files[0].SyscallConn()
	if err != nil {
		return argFileErr("send", files[0], err)
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = withFDs(files[1:], append(fds, int(fd)), fn) }); err != nil {
		return argFileErr("send", files[0], err)
	}
	return ferr
}

// argFileErr wraps err, an error for op on the argument x, as an
// *argFileError, with a closed file or socket reported as os.ErrClosed.
// It returns nil for a nil err.
func argFileErr(op string, x any, err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	if isFileClosed(err) || errors.Is(err, net.ErrClosed) {
		err = os.ErrClosed
	}
	return &argFileError{&os.PathError{Op: op, Path: argName(x), Err: err}}
}

// argName names x, a file or socket passed as an argument: its Name, or
// its address if it is a connection.
func argName(x any) string {
	switch v := x.(type) {
	case interface{ Name() string }:
		return v.Name()
	case interface{ RemoteAddr() net.Addr }:
		if a := v.RemoteAddr(); a != nil && a.String() != "" {
			return a.String()
		}
	}
	if v, ok := x.(interface{ LocalAddr() net.Addr }); ok {
		if a := v.LocalAddr(); a != nil && a.String() != "" {
			return a.String()
		}
	}
	return "(unnamed)"
}

// control is what the control data of one recvmsg carried. Every
// descriptor in it is open in this process: the receiver returns it to
// its caller or closes it.
type control struct {
	fds     []int // from SCM_RIGHTS messages, in order
	pidfds  []int // from SCM_PIDFD messages (Linux); the kernel sends one at most
	cred    ucred // from the last SCM_CREDENTIALS message (Linux)
	hasCred bool
}

// parseControl walks control messages as the kernel lays them out (using
// the platform's CMSG_LEN and CMSG_SPACE) and returns what they carry, and
// whether the whole buffer was well formed. It never panics and returns
// every descriptor it found even when the buffer is malformed, so the
// caller can close them all.
func parseControl(oob []byte) (ctl control, ok bool) {
	hdrLen := syscall.CmsgLen(0)           // aligned header
	align := syscall.CmsgSpace(1) - hdrLen // alignment of CMSG_SPACE
	for len(oob) > 0 {
		if len(oob) < hdrLen {
			return ctl, false
		}
		var l uint64
		if unsafe.Sizeof(syscall.Cmsghdr{}.Len) == 8 {
			l = binary.NativeEndian.Uint64(oob)
		} else {
			l = uint64(binary.NativeEndian.Uint32(oob))
		}
		level := int32(binary.NativeEndian.Uint32(oob[unsafe.Offsetof(syscall.Cmsghdr{}.Level):]))
		typ := int32(binary.NativeEndian.Uint32(oob[unsafe.Offsetof(syscall.Cmsghdr{}.Type):]))
		if l < uint64(hdrLen) || l > uint64(len(oob)) {
			return ctl, false
		}
		data := oob[hdrLen:l]
		if level == syscall.SOL_SOCKET {
			// Not a switch on typ: the platform's absent messages share
			// the value -1.
			switch {
			case typ == syscall.SCM_RIGHTS:
				for ; len(data) >= 4; data = data[4:] {
					ctl.fds = append(ctl.fds, int(int32(binary.NativeEndian.Uint32(data))))
				}
			case typ == scmPidfd:
				if len(data) >= 4 {
					ctl.pidfds = append(ctl.pidfds, int(int32(binary.NativeEndian.Uint32(data))))
				}
			case typ == scmCredentials:
				if len(data) >= int(unsafe.Sizeof(ctl.cred)) {
					ctl.hasCred = true
					ctl.cred.Pid = int32(binary.NativeEndian.Uint32(data[unsafe.Offsetof(ctl.cred.Pid):]))
					ctl.cred.Uid = binary.NativeEndian.Uint32(data[unsafe.Offsetof(ctl.cred.Uid):])
					ctl.cred.Gid = binary.NativeEndian.Uint32(data[unsafe.Offsetof(ctl.cred.Gid):])
				}
			}
		}
		next := (int(l) + align - 1) &^ (align - 1)
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	return ctl, true
}

// ucred is Linux's struct ucred { pid_t pid; uid_t uid; gid_t gid; }, the
// payload of SCM_CREDENTIALS.
type ucred struct {
	Pid int32
	Uid uint32
	Gid uint32
}

// enablePassCred turns on SO_PASSCRED where the system has it (initMsgConn)
// and records that it is on.
func (c *Conn) enablePassCred() error {
	var serr error
	if err := c.rc.Control(func(fd uintptr) { serr = initMsgConn(int(fd)) }); err != nil {
		return fileErr(err)
	}
	if serr != nil {
		return serr
	}
	c.setFlag(flagPassCred, scmCredentials >= 0)
	return nil
}

// recvCred reads like ReadMsg (or Read on a stream) and reports the
// kernel-verified credentials of the data's sender.
func (c *Conn) recvCred(b []byte, from *string) (n int, cred *Cred, truncated bool, err error) {
	if scmCredentials < 0 {
		return 0, nil, false, errors.ErrUnsupported
	}
	if !c.flag(flagPassCred) {
		if err := c.enablePassCred(); err != nil {
			return 0, nil, false, err
		}
	}
	n, _, truncated, err = c.recvMsg(b, noFiles, from, &cred)
	return n, cred, truncated, err
}

func (c *Conn) file() (*os.File, error) {
	nfd, err := dupCloexec(c.rc)
	if err != nil {
		return nil, fileErr(err)
	}
	return os.NewFile(uintptr(nfd), c.raddr.Name), nil
}

// dupCloexec duplicates the descriptor behind rc onto a close-on-exec one
// above 2. An error of rc itself is returned as it is, for the caller to
// map.
func dupCloexec(rc syscall.RawConn) (int, error) {
	nfd := -1
	var serr error
	if err := rc.Control(func(fd uintptr) { nfd, serr = dupFD(int(fd), 3) }); err != nil {
		return -1, err
	}
	return nfd, serr
}

func sysConnPair(message bool) (*Conn, *Conn, error) {
	typ, err := sockType(message)
	if err != nil {
		return nil, nil, err
	}
	fds, err := sysSocketpair(typ)
	if err != nil {
		return nil, nil, err
	}
	nw := netUnix
	if message {
		nw = netUnixPacket
	}
	c1, err := newConn(fds[0], &Addr{Net: nw, Name: unnamed}, &Addr{Net: nw, Name: unnamed}, message)
	if err != nil {
		syscall.Close(fds[1])
		return nil, nil, err
	}
	c2, err := newConn(fds[1], &Addr{Net: nw, Name: unnamed}, &Addr{Net: nw, Name: unnamed}, message)
	if err != nil {
		c1.f.Close()
		return nil, nil, err
	}
	return c1, c2, nil
}

func sysFileConn(f *os.File) (*Conn, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	nfd, err := dupCloexec(rc)
	if err != nil {
		// f is the caller's: its closing is not the connection's.
		return nil, bareFileErr(err)
	}
	return fdConn(nfd)
}

// fdConn checks that fd is a connected Unix domain stream or seqpacket
// socket and makes a Conn of it. It takes ownership of fd, closing it on
// error.
func fdConn(fd int) (*Conn, error) {
	laddr, raddr, msg, err := fdConnInfo(fd)
	if err == nil {
		err = os.NewSyscallError("setnonblock", syscall.SetNonblock(fd, true))
	}
	if err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return newConn(fd, laddr, raddr, msg)
}

func fdConnInfo(fd int) (laddr, raddr *Addr, msg bool, err error) {
	typ, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil {
		return nil, nil, false, os.NewSyscallError("getsockopt", err)
	}
	lsa, err := syscall.Getsockname(fd)
	if err != nil {
		return nil, nil, false, os.NewSyscallError("getsockname", err)
	}
	lun, ok := lsa.(*syscall.SockaddrUnix)
	if !ok {
		return nil, nil, false, &argError{"not a Unix domain socket", syscall.ENOTSOCK}
	}
	switch typ {
	case syscall.SOCK_STREAM:
	case syscall.SOCK_SEQPACKET:
		msg = true
	default:
		return nil, nil, false, &argError{"not a stream or seqpacket socket", syscall.EPROTOTYPE}
	}
	rsa, err := syscall.Getpeername(fd)
	if err != nil {
		return nil, nil, false, os.NewSyscallError("getpeername", err)
	}
	nw := netUnix
	if msg {
		nw = netUnixPacket
	}
	// Names as package net shows them: package syscall already gives an
	// unnamed socket's name as net prints it (unnamed).
	laddr, raddr = &Addr{Net: nw, Name: lun.Name}, &Addr{Net: nw, Name: unnamed}
	if run, ok := rsa.(*syscall.SockaddrUnix); ok {
		raddr.Name = run.Name
	}
	return laddr, raddr, msg, nil
}

// unixName returns the name of a socket address, "" for an unnamed socket
// (which Linux reports as "@").
func unixName(sa *syscall.SockaddrUnix) string {
	if sa.Name == "@" {
		return ""
	}
	return sa.Name
}

const netUnixgram = "unixgram"

var errNoAddr = &argError{"no destination address", syscall.EINVAL}

func (c *Conn) removeBound() {
	if c.owned != nil {
		removeOwned(&c.owned.bound, &c.owned.keep)
	}
}

var errUnnamed = &argError{"the address is unnamed: an unnamed socket cannot be sent to", syscall.EINVAL}

// sendTo sends one datagram to addr. An *Addr or a *net.UnixAddr holds an
// OS name, as ReadFrom reports it, and is used exactly as given; the String
// of any other net.Addr is a local socket name, resolved as Listen
// resolves it.
func (c *Conn) sendTo(b []byte, addr net.Addr) (int, error) {
	var path string
	switch a := addr.(type) {
	case *Addr:
		if a == nil {
			return 0, errNoAddr
		}
		path = a.Name
	case *net.UnixAddr:
		if a == nil {
			return 0, errNoAddr
		}
		path = a.Name
	default:
		sn, err := resolveName(addr.String(), false)
		if err != nil {
			return 0, err
		}
		path = sn.path
	}
	switch {
	case path == "":
		return 0, errUnnamed
	case len(path) > maxPathLen+1, len(path) > maxPathLen && !(abstractNames && path[0] == '@'):
		return 0, tooLong(len(path), "")
	case strings.IndexByte(path, 0) >= 0 && !(abstractNames && path[0] == '@'):
		// A path ends at a NUL; an abstract name may hold them.
		return 0, &argError{"name contains a NUL byte", syscall.EINVAL}
	}
	return c.sendMsg(b, nil, &syscall.SockaddrUnix{Name: path})
}

func newPacketConn(fd int, laddr, raddr *Addr, bound boundFile) (*PacketConn, error) {
	c, err := newConn(fd, laddr, raddr, false)
	if err != nil {
		return nil, err
	}
	p := &PacketConn{c: c}
	p.c.msg, p.c.dgram, p.c.owned = true, true, &ownedFile{bound: bound}
	return p, nil
}

func sysListenPacket(ctx context.Context, lc *ListenConfig, name string) (*PacketConn, *Addr, error) {
	sn, addr, mode, err := listenName(lc, name, netUnixgram)
	if err != nil {
		return nil, addr, err
	}
	if err := ctx.Err(); err != nil {
		return nil, addr, mapCtxErr(err)
	}
	fd, err := sysSocket(syscall.SOCK_DGRAM)
	if err != nil {
		return nil, addr, err
	}
	var bound boundFile
	if err := bound.bind(ctx, fd, sn, mode, lc.Reclaim || sn.private, -1); err != nil {
		syscall.Close(fd)
		return nil, addr, err
	}
	p, err := newPacketConn(fd, addr, &Addr{Net: netUnixgram}, bound)
	if err != nil {
		bound.remove()
		return nil, addr, err
	}
	if scmCredentials >= 0 {
		// Linux records a datagram's credentials only if the receiver has
		// SO_PASSCRED on when it is sent, so a bound socket turns it on
		// from the start. Bound already, it is not autobound by it.
		if err := p.c.enablePassCred(); err != nil {
			p.Close()
			return nil, addr, err
		}
	}
	return p, addr, nil
}

func sysDialPacket(ctx context.Context, name string) (*PacketConn, *Addr, error) {
	sn, err := resolveName(name, false)
	if err != nil {
		return nil, nil, err
	}
	raddr := &Addr{Net: netUnixgram, Name: sn.path}
	if err := ctx.Err(); err != nil {
		return nil, raddr, mapCtxErr(err)
	}
	fd, err := sysSocket(syscall.SOCK_DGRAM)
	if err != nil {
		return nil, raddr, err
	}
	laddr := &Addr{Net: netUnixgram}
	if abstractNames {
		// Linux: an empty name binds to a fresh abstract name, so the
		// peer can reply.
		if err := syscall.Bind(fd, &syscall.SockaddrUnix{}); err != nil {
			syscall.Close(fd)
			return nil, raddr, os.NewSyscallError("bind", err)
		}
		if sa, err := syscall.Getsockname(fd); err == nil {
			if sun, ok := sa.(*syscall.SockaddrUnix); ok {
				laddr.Name = unixName(sun)
			}
		}
	}
	// Connecting a datagram socket does not wait for anyone.
	if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: sn.path}); err != nil {
		syscall.Close(fd)
		return nil, raddr, os.NewSyscallError("connect", err)
	}
	p, err := newPacketConn(fd, laddr, raddr, boundFile{})
	if err != nil {
		return nil, raddr, err
	}
	return p, raddr, nil
}

func (c *Conn) close() error { return c.f.Close() }
func (c *Conn) setDeadline(t time.Time, read, write bool) error {
	return fileDeadline(c.f, t, read, write)
}

func (c *Conn) write(b []byte) (int, error) {
	if c.msg && len(b) == 0 {
		// os.File.Write of nothing makes one write(2) and returns its
		// EAGAIN when the socket is full, instead of waiting, which would
		// lose an empty message; sendmsg waits.
		return c.sendMsg(b, nil, nil)
	}
	return c.f.Write(b)
}

func (c *Conn) read(b []byte) (int, error) {
	if spinOK && len(b) > 0 && c.flag(flagLowLatency) {
		return c.spinRead(b)
	}
	return c.f.Read(b)
}

func (c *Conn) impersonate(fn func() error) error { return errors.ErrUnsupported }

// ---- signals (signal.go) ----

// maxPID is the largest pid_t. A larger int would be cut to 32 bits by
// kill(2) and could turn into a negative number, that is a process group.
const maxPID = math.MaxInt32

func sysSignal(p *os.Process, sig os.Signal) (string, error) {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return "", unsupportedSignal(sig)
	}
	// os.Process.Signal sends through p's pidfd where it has one (Linux
	// 5.4 and later) and with kill(2) otherwise. It reports a process that
	// has been waited for, or has vanished, as os.ErrProcessDone. The
	// error names kill either way.
	return "kill", goneErr(p.Signal(s))
}

func sysSignalGroup(pgid int, sig os.Signal) (string, error) {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return "", unsupportedSignal(sig)
	}
	return "kill", goneErr(syscall.Kill(-pgid, s))
}

// goneError marks the error for a process or group that no longer exists,
// so that errors.Is(err, os.ErrProcessDone) holds on every OS while ESRCH
// stays reachable through Unwrap.
type goneError struct{ err error }

func (e *goneError) Error() string        { return e.err.Error() }
func (e *goneError) Unwrap() error        { return e.err }
func (e *goneError) Is(target error) bool { return target == os.ErrProcessDone }

// goneErr marks ESRCH and os.ErrProcessDone as a goneError wrapping ESRCH.
func goneErr(err error) error {
	if err == syscall.ESRCH || err == os.ErrProcessDone {
		return &goneError{syscall.ESRCH}
	}
	return err
}

func sysNewProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	a := cmd.SysProcAttr
	if a.Setsid {
		// setsid makes the child lead a new group already, and a
		// session leader may not call setpgid.
		return
	}
	a.Setpgid = true
	a.Pgid = 0
}

// checkWaitSignal rejects signals os/signal can never deliver: those that
// cannot be caught, numbers out of range and those the runtime keeps.
func checkWaitSignal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	switch {
	case !ok:
		return unsupportedSignal(sig)
	case s == syscall.SIGKILL || s == syscall.SIGSTOP:
		return &argError{"ipc: signal " + s.String() + " cannot be caught", syscall.EINVAL}
	case s < 1 || int(s) > maxSignal():
		return &argError{"ipc: signal " + strconv.Itoa(int(s)) + " out of range 1.." + strconv.Itoa(maxSignal()) + " on " + runtime.GOOS, syscall.EINVAL}
	case reservedSignal(s) != "":
		return &argError{"ipc: signal " + strconv.Itoa(int(s)) + " is reserved by " + reservedSignal(s), syscall.EINVAL}
	}
	return nil
}

// ---- pipes and FIFOs (pipe.go, fifo.go) ----

func sysPipe(pc *PipeConfig) (r, w *os.File, err error) {
	p, err := sysPipe2()
	if err != nil {
		return nil, nil, err
	}
	if pc.BufferSize != 0 {
		err = setPipeSize(p[0], pc.BufferSize)
	}
	// Each end is an open file of its own, with its own O_NONBLOCK.
	if err == nil && pc.BlockingRead {
		err = os.NewSyscallError("setnonblock", syscall.SetNonblock(p[0], false))
	}
	if err == nil && pc.BlockingWrite {
		err = os.NewSyscallError("setnonblock", syscall.SetNonblock(p[1], false))
	}
	if err != nil {
		syscall.Close(p[0])
		syscall.Close(p[1])
		return nil, nil, err
	}
	if r, err = newPipeFile(p[0], "|0"); err != nil {
		syscall.Close(p[1])
		return nil, nil, err
	}
	if w, err = newPipeFile(p[1], "|1"); err != nil {
		r.Close()
		return nil, nil, err
	}
	return r, w, nil
}

// newPipeFile makes a file of fd, a close-on-exec pipe end or FIFO, which
// os puts on the poller if it is non-blocking. It takes ownership of fd,
// closing it on error. Like newConn it keeps the file off descriptors 0 to
// 2 (above2): on 1 and 2 package os would turn EPIPE into a SIGPIPE that
// kills the process.
func newPipeFile(fd int, name string) (*os.File, error) {
	fd, err := above2(fd)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

func sysPipeBufferSize(f *os.File) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, bareFileErr(err)
	}
	var n int
	var serr error
	if err := rc.Control(func(fd uintptr) { n, serr = pipeSize(int(fd)) }); err != nil {
		return 0, bareFileErr(err)
	}
	return n, serr
}

// sysPassFile appends f to cmd.ExtraFiles. A pipe or FIFO is put in blocking
// mode for the child's sake; the parent's copy is f itself, closed by
// ReleaseFiles.
func sysPassFile(cmd *exec.Cmd, f *os.File) (string, io.Closer, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return "", nil, bareFileErr(err)
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		var st syscall.Stat_t
		if serr = syscall.Fstat(int(fd), &st); serr != nil {
			serr = os.NewSyscallError("fstat", serr)
			return
		}
		if st.Mode&syscall.S_IFMT == syscall.S_IFIFO {
			serr = os.NewSyscallError("setnonblock", syscall.SetNonblock(int(fd), false))
		}
	}); err != nil {
		return "", nil, bareFileErr(err)
	}
	if serr != nil {
		return "", nil, serr
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles[:len(cmd.ExtraFiles):len(cmd.ExtraFiles)], f)
	// os/exec gives ExtraFiles[i] descriptor 3+i in the child.
	return strconv.Itoa(2 + len(cmd.ExtraFiles)), f, nil
}

func sysInheritedFile(token, name string) (*os.File, error) {
	fd, err := strconv.Atoi(token)
	if err != nil || fd < 3 || strconv.Itoa(fd) != token {
		return nil, &argError{"token " + strconv.Quote(token) + " is not a descriptor number of 3 or more", syscall.EINVAL}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, os.NewSyscallError("fstat", err)
	}
	syscall.CloseOnExec(fd)
	// Only pipes and sockets go on the poller: the non-blocking mode is
	// shared with every holder of the open file, and a terminal, say, may
	// be shared with a shell that expects it blocking. os.NewFile puts a
	// descriptor on the poller if and only if it is non-blocking.
	if t := st.Mode & syscall.S_IFMT; t == syscall.S_IFIFO || t == syscall.S_IFSOCK {
		if err := syscall.SetNonblock(fd, inheritPollable(&st, fifoPollable)); err != nil {
			return nil, os.NewSyscallError("setnonblock", err)
		}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// fifoPollable: macOS's kqueue does not report a FIFO's last writer going
// away (go.dev/issue/24164), so FIFOs stay off the poller there.
const fifoPollable = runtime.GOOS != "darwin" && runtime.GOOS != "ios"

// inheritPollable reports whether InheritedFile puts a pipe, FIFO or
// socket with status st on the poller, where fifos tells whether FIFOs
// may go there (fifoPollable). An unnamed pipe always may: macOS's kqueue
// handles pipes, as os.Pipe relies on there. macOS reports the same file
// type for both and tells them apart by the device: an unnamed pipe lives
// on none (st_dev 0), a FIFO on its file system's.
func inheritPollable(st *syscall.Stat_t, fifos bool) bool {
	if st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
		return true
	}
	return fifos || st.Dev == 0
}

// testHookMkfifo, if set, runs in Mkfifo right after the FIFO is made.
var testHookMkfifo func(path string)

func sysMkfifo(path string, perm uint32) error {
	// Group and others get perm less the umask's bits at first, never more
	// than perm. The owner gets read and write too, so that the FIFO can be
	// opened below; the umask may take them away again, which only the
	// slower path further down has to cope with.
	if err := syscall.Mkfifo(path, perm&0o077|0o600); err != nil {
		return err
	}
	if testHookMkfifo != nil {
		testHookMkfifo(path)
	}
	// Set the mode through the FIFO itself, opened without following a
	// symbolic link, so that nothing swapped in at path can receive it. A
	// non-blocking open for reading succeeds at once on a FIFO. It could
	// let a writer that opened in this very moment go ahead, only to find
	// no reader once it is closed again; nobody should open a FIFO before
	// Mkfifo has returned.
	// O_NOCTTY: a terminal swapped in must not become the controlling
	// terminal of a session leader that has none.
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NOCTTY, 0)
	if err == syscall.EACCES {
		// The umask took the owner's read permission: check, then change
		// the mode of the file checked, as for a socket file, which
		// never follows a symbolic link swapped in.
		var st syscall.Stat_t
		if err := syscall.Lstat(path, &st); err != nil {
			return os.NewSyscallError("lstat", err)
		}
		if err := checkFifo(&st); err != nil {
			return err
		}
		if err := chmodSocket(path, &st, perm); err != nil {
			removeIfSame(path, &st)
			if pe, ok := err.(*os.PathError); ok {
				err = os.NewSyscallError(pe.Op, pe.Err)
			}
			return err
		}
		return nil
	}
	if err != nil {
		return os.NewSyscallError("open", err)
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return os.NewSyscallError("fstat", err)
	}
	if err := checkFifo(&st); err != nil {
		return err // replaced by something else: not ours to remove
	}
	if err := syscall.Fchmod(fd, perm); err != nil {
		// Do not leave a FIFO with the wrong mode behind.
		removeIfSame(path, &st)
		return os.NewSyscallError("fchmod", err)
	}
	return nil
}

// removeIfSame removes the file at path if it is still the one st
// describes.
func removeIfSame(path string, st *syscall.Stat_t) {
	var cur syscall.Stat_t
	if syscall.Lstat(path, &cur) == nil && cur.Dev == st.Dev && cur.Ino == st.Ino {
		syscall.Unlink(path)
	}
}

// dirGuards reports whether no other user can put another file in the
// place of one in dir: dir belongs to this user or root and is writable by
// no one else, or has the sticky bit, which lets only a file's owner
// rename or remove it. A file there that was checked can then be changed
// by path as safely as through a descriptor.
func dirGuards(dir string) bool {
	var st syscall.Stat_t
	if syscall.Stat(dir, &st) != nil {
		return false
	}
	owner := int(st.Uid) == os.Geteuid() || st.Uid == 0
	return owner && (st.Mode&0o022 == 0 || st.Mode&syscall.S_ISVTX != 0)
}

// errUnguardedChmod refuses to change a mode by path where a file swapped
// in could receive it instead.
var errUnguardedChmod = &argError{"cannot set the mode safely: no descriptor to set it through, and the directory lets other users replace the file", syscall.EPERM}

// notFifoError refuses a path that is not a FIFO. It unwraps to EINVAL.
type notFifoError struct{ kind string }

func (e *notFifoError) Error() string { return "not a FIFO but " + e.kind }
func (e *notFifoError) Unwrap() error { return syscall.EINVAL }

// checkFifo refuses a file that is not a FIFO.
func checkFifo(st *syscall.Stat_t) error {
	kind := "a file of unknown type"
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return nil
	case syscall.S_IFREG:
		kind = "a regular file"
	case syscall.S_IFDIR:
		kind = "a directory"
	case syscall.S_IFSOCK:
		kind = "a socket"
	case syscall.S_IFCHR:
		kind = "a character device"
	case syscall.S_IFBLK:
		kind = "a block device"
	case syscall.S_IFLNK:
		kind = "a symbolic link"
	}
	return &notFifoError{kind}
}

var errFifoReplaced = &argError{"the FIFO at the path was replaced while it was being opened", syscall.EINVAL}

// reopenErr maps err, from opening path again by name after it was found
// to be the FIFO with status want, to errFifoReplaced if the path did not
// lead to that FIFO: a symbolic link swapped in, which O_NOFOLLOW refuses
// (noFollowErr), or another file there now.
func reopenErr(path string, want *syscall.Stat_t, err error) error {
	if noFollowErr(err) {
		return errFifoReplaced
	}
	var st syscall.Stat_t
	if err == nil || err == syscall.EINTR || err == syscall.ENXIO || syscall.Lstat(path, &st) != nil {
		return err
	}
	if st.Dev != want.Dev || st.Ino != want.Ino {
		return errFifoReplaced
	}
	return err
}

func sysOpenFifo(ctx context.Context, path string, flag int) (*os.File, error) {
	wait := flag&WaitForWriter != 0
	flag &^= WaitForWriter
	if wait && !fifoWaitOK {
		return nil, &argError{"WaitForWriter is not supported on " + runtime.GOOS, errors.ErrUnsupported}
	}
	if err := ctx.Err(); err != nil {
		return nil, mapCtxErr(err)
	}
	// Find the FIFO without opening it for reading or writing, so that
	// nothing else at the path, a device say, is ever opened; then open
	// that very file (fifoRef, per platform).
	ref, err := lookFifo(path)
	if err != nil {
		return nil, err
	}
	defer ref.close()
	delay := 50 * time.Microsecond
	var fd int
	for {
		fd, err = ref.open(path, flag|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOCTTY)
		if err == nil {
			break
		}
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.ENXIO && flag == syscall.O_WRONLY:
			// No reader yet.
			if err := sleepCtx(ctx, &delay); err != nil {
				return nil, err
			}
			continue
		}
		return nil, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("fstat", err)
	}
	if err := checkFifo(&st); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if st.Dev != ref.st.Dev || st.Ino != ref.st.Ino {
		syscall.Close(fd)
		return nil, errFifoReplaced
	}
	if !fifoPollable {
		if err := syscall.SetNonblock(fd, false); err != nil {
			syscall.Close(fd)
			return nil, os.NewSyscallError("setnonblock", err)
		}
	}
	f, err := newPipeFile(fd, path)
	if err != nil {
		return nil, err
	}
	if wait {
		if err := waitWriter(ctx, f); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// ---- performance: low-latency reads, buffer sizes, splice (issue 7) ----

// Spin windows of low-latency mode, in nanoseconds. A Read that finds no
// data retries for the current window, yielding between attempts, before it
// parks. The window starts at spinStart, doubles (up to spinMax) when
// spinning found data and halves (down to spinMin) when the Read parked
// anyway, so a peer that answers within the window keeps it wide and an
// idle or slow one costs little. Measured on a 2-vCPU VM: a round trip
// across CPUs with both ends spinning takes under 10 µs, so 100 µs covers
// peers that do a little work per message; the floor keeps probing so the
// window can grow again.
const (
	spinMin   = 5_000
	spinStart = 20_000
	spinMax   = 100_000
)

// spinWindow is an adaptive spin window, safe for concurrent use.
type spinWindow struct {
	ns atomic.Int64 // current window; 0 means spinStart
}

// spin retries try on fd, yielding the CPU before each attempt, until try
// reports success or the window has passed, and adapts the window. It
// reports try's last result.
func (w *spinWindow) spin(fd uintptr, try func(fd uintptr) bool) bool {
	win := w.ns.Load()
	if win == 0 {
		win = spinStart
	}
	start := time.Now()
	for {
		osYield()
		if try(fd) {
			w.ns.Store(min(2*win, spinMax))
			return true
		}
		if time.Since(start) >= time.Duration(win) {
			w.ns.Store(max(win/2, spinMin))
			return false
		}
	}
}

// spinner is the low-latency state of one kind of call on one descriptor
// (Read, or ReadMsg): its window, and whether the current call has spun.
type spinner struct {
	on     bool // the current call spins
	spun   bool // the current call has spun already
	window spinWindow

	// cold counts the calls since one last found data at its first
	// attempt. While it is non-zero, a call yields before its first
	// attempt rather than after it: on a connection where each read waits
	// for a reply, the data is never there yet, and the yield lets the
	// peer produce it, saving a read that would fail. Every coldProbe-th
	// call tries first again, so a stream whose data is waiting goes back
	// to reading at once.
	cold int
}

// coldProbe is how often a cold call tries before yielding.
const coldProbe = 16

// start begins a call, spinning if on.
func (s *spinner) start(on bool) { s.on, s.spun = on, false }

// step is the body of a raw read callback: it runs try, spinning first as
// described at spinner, and reports try's last result. After one spin per
// call it only tries, so a call woken by the poller reads at once.
func (s *spinner) step(fd uintptr, try func(fd uintptr) bool) bool {
	if !s.on {
		return try(fd)
	}
	if !s.spun && s.cold > 0 && s.cold%coldProbe != 0 {
		s.spun = true
		s.cold++
		return s.window.spin(fd, try)
	}
	if try(fd) {
		if !s.spun {
			s.cold = 0
		}
		return true
	}
	if s.spun {
		return false
	}
	s.spun = true
	s.cold++
	return s.window.spin(fd, try)
}

// spinConn holds a connection's low-latency state, made on first use, so
// that a connection in default mode carries one pointer for it: the read
// callback and its arguments and results live there, so a steady stream
// of Reads allocates nothing, beside the spin window of ReadFrom and
// WriteTo.
type spinConn struct {
	rd atomic.Pointer[spinRead]
}

type spinRead struct {
	mu      sync.Mutex // serialises Reads that use the fields below
	b       []byte
	n       int
	err     error
	try     func(fd uintptr) bool
	fn      func(fd uintptr) bool
	spinner spinner
	//lint:ignore U1000 used only where ReadFrom and WriteTo splice
	copy spinWindow // the spin window of splicing copies
}

// state returns the low-latency state, making it on first use. Callers
// that race to make it agree on one.
func (sc *spinConn) state() *spinRead {
	if s := sc.rd.Load(); s != nil {
		return s
	}
	s := &spinRead{}
	s.try = func(fd uintptr) bool {
		for {
			s.n, s.err = syscall.Read(int(fd), s.b)
			if s.err != syscall.EINTR {
				return s.err != syscall.EAGAIN
			}
		}
	}
	s.fn = func(fd uintptr) bool { return s.spinner.step(fd, s.try) }
	if sc.rd.CompareAndSwap(nil, s) {
		return s
	}
	return sc.rd.Load()
}

// maxRW is the most a single read asks for, as in internal/poll: some
// kernels reject larger counts.
const maxRW = 1 << 30

// spinRead is Read in low-latency mode: the non-blocking read runs inside
// the raw connection's callback, spins for the window when it finds no
// data, and otherwise leaves the waiting to the poller as os.File does.
func (c *Conn) spinRead(b []byte) (int, error) {
	n, err := c.spin.read(c.rc, b)
	if err != nil && err != io.EOF {
		err = fileErr(err)
	}
	return n, err
}

// read reads into b from the descriptor behind rc, spinning first. Errors
// are those of rc.Read, an *os.SyscallError from read(2), or io.EOF.
func (sc *spinConn) read(rc syscall.RawConn, b []byte) (int, error) {
	s := sc.state()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(b) > maxRW {
		b = b[:maxRW]
	}
	s.b = b
	s.spinner.start(true)
	err := rc.Read(s.fn)
	n, serr := s.n, s.err
	s.b, s.n, s.err = nil, 0, nil
	if err != nil {
		return 0, err
	}
	if serr != nil {
		return 0, os.NewSyscallError("read", serr)
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// lowLatencyReader is LowLatencyReader's spinning state.
type lowLatencyReader struct{ spin spinConn }

// lowLatencyRead is LowLatencyReader.Read: spinning where spinOK, else a
// plain read.
func (r *LowLatencyReader) read(b []byte) (int, error) {
	if !spinOK || len(b) == 0 {
		return r.f.Read(b)
	}
	n, err := r.spin.read(r.rc, b)
	if err != nil && err != io.EOF {
		if se, ok := err.(*os.SyscallError); ok {
			err = se.Err
		} else if fileErr(err) == net.ErrClosed {
			err = os.ErrClosed
		}
		err = &os.PathError{Op: "read", Path: r.f.Name(), Err: err}
	}
	return n, err
}

func (c *Conn) setBufferSize(n int) error {
	var serr error
	if err := c.rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, n)
		if serr == nil {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)
		}
	}); err != nil {
		return fileErr(err)
	}
	return os.NewSyscallError("setsockopt", serr)
}

func (c *Conn) bufferSizes() (send, recv int, err error) {
	var serr error
	if err := c.rc.Control(func(fd uintptr) {
		send, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF)
		if serr == nil {
			recv, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
		}
	}); err != nil {
		return 0, 0, fileErr(err)
	}
	return send, recv, os.NewSyscallError("getsockopt", serr)
}

// readFrom splices from r into the connection where the platform can
// (spliceFrom); handled is false when it did nothing and a plain copy must
// do the work.
func (c *Conn) readFrom(r io.Reader) (written int64, handled bool, err error) {
	if c.msg {
		return 0, false, nil
	}
	remain := int64(-1) // no limit
	lr, ok := r.(*io.LimitedReader)
	if ok {
		if lr.N <= 0 {
			return 0, true, nil
		}
		r, remain = lr.R, lr.N
	}
	written, handled, err = spliceFrom(c, r, remain)
	if lr != nil {
		lr.N -= written
	}
	return written, handled, err
}

// writeTo splices from the connection into w where the platform can
// (spliceTo).
func (c *Conn) writeTo(w io.Writer) (written int64, handled bool, err error) {
	if c.msg {
		return 0, false, nil
	}
	return spliceTo(c, w)
}

// ---- socket activation and listener handoff (activation.go, sock.go) ----

// unlinkMu guards what listeners and bound datagram sockets do with the
// socket files they own: SetUnlinkOnClose, File and Close.
var unlinkMu sync.Mutex

// removeOwned removes the socket file b on Close, unless keep says to
// leave it (SetUnlinkOnClose(false), File).
func removeOwned(b *boundFile, keep *bool) {
	unlinkMu.Lock()
	defer unlinkMu.Unlock()
	if !*keep {
		b.remove()
	}
}

// setOwned turns removal of the socket file b on Close on or off. Turning
// it on for a socket that did not create its file (b.path is empty) takes
// the socket file now at path, the socket's name, as its own: on Linux
// only if the kernel says it is the file the socket (rc) is bound to,
// elsewhere, where the kernel cannot say, whatever socket file is there.
func setOwned(b *boundFile, keep *bool, unlink bool, path string, rc syscall.RawConn) {
	unlinkMu.Lock()
	defer unlinkMu.Unlock()
	*keep = !unlink
	if !unlink || b.path != "" || path == "" || abstractNames && path[0] == '@' {
		return
	}
	var st syscall.Stat_t
	if syscall.Lstat(path, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return
	}
	var ino uint64
	var known bool
	rc.Control(func(fd uintptr) { ino, known = boundFileOf(int(fd)) })
	if known && ino != uint64(st.Ino) {
		return // another socket's file
	}
	*b = boundFile{path: path, dev: uint64(st.Dev), ino: uint64(st.Ino)}
}

func (l *Listener) setUnlinkOnClose(unlink bool) {
	setOwned(&l.bound, &l.keep, unlink, l.addr.Name, l.rc)
}

func (c *Conn) setUnlinkOnClose(unlink bool) {
	if c.owned != nil {
		setOwned(&c.owned.bound, &c.owned.keep, unlink, c.laddr.Name, c.rc)
	}
}

// testHookFile, if set, runs in Listener.File right after the socket is
// duplicated.
var testHookFile func()

// file duplicates the socket and turns removal of its file off in one step
// under unlinkMu, which Close's removal takes too, after Close has marked
// the listener closed: a Close that has begun makes File fail, and one
// that begins meanwhile finds removal off. The copy and the file stay
// together.
func (l *Listener) file() (*os.File, error) {
	unlinkMu.Lock()
	defer unlinkMu.Unlock()
	if l.closed.Load() {
		return nil, net.ErrClosed
	}
	nfd, err := dupCloexec(l.rc)
	if err != nil {
		return nil, fileErr(err)
	}
	if testHookFile != nil {
		testHookFile()
	}
	l.keep = true
	return os.NewFile(uintptr(nfd), l.addr.Name), nil
}

// fileKeep is Listener.file for a bound datagram socket, whose Close sets
// closed.
func (c *Conn) fileKeep(closed *atomic.Bool) (*os.File, error) {
	unlinkMu.Lock()
	defer unlinkMu.Unlock()
	if closed.Load() {
		return nil, net.ErrClosed
	}
	f, err := c.file()
	if err != nil {
		return nil, err
	}
	if testHookFile != nil {
		testHookFile()
	}
	if c.owned != nil {
		c.owned.keep = true
	}
	return f, nil
}

func sysFileListener(f *os.File) (*Listener, error) {
	nfd, info, err := dupSocket(f)
	if err != nil {
		return nil, err
	}
	if err := info.listenerErr(); err != nil {
		syscall.Close(nfd)
		return nil, err
	}
	return fdListener(nfd, info)
}

func sysFilePacketConn(f *os.File) (*PacketConn, error) {
	nfd, info, err := dupSocket(f)
	if err != nil {
		return nil, err
	}
	if err := info.packetErr(); err != nil {
		syscall.Close(nfd)
		return nil, err
	}
	return fdPacketConn(nfd, info)
}

// dupSocket duplicates f's descriptor onto a close-on-exec one and finds
// out what socket it is.
func dupSocket(f *os.File) (int, sockInfo, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, sockInfo{}, bareFileErr(err)
	}
	nfd, err := dupCloexec(rc)
	if err != nil {
		// f is the caller's: its closing is not the listener's.
		return -1, sockInfo{}, bareFileErr(err)
	}
	info, err := inspectSocket(nfd)
	if err != nil {
		syscall.Close(nfd)
		return -1, sockInfo{}, err
	}
	return nfd, info, nil
}

// sockInfo says what kind of descriptor was handed to the package.
type sockInfo struct {
	unix      bool  // a Unix domain socket
	typ       int   // its type: SOCK_STREAM and so on
	listening bool  // SO_ACCEPTCONN
	addr      *Addr // a Unix domain socket's name, Net by its type
	what      string
	errno     error // why it is none of the package's sockets, if it is not
}

// inspectSocket finds out what fd is. Its error is for a system call that
// failed; a descriptor that is not a Unix domain socket is described in the
// result.
func inspectSocket(fd int) (sockInfo, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return sockInfo{}, os.NewSyscallError("fstat", err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFSOCK {
		return sockInfo{what: nonSocketKind(uint32(st.Mode)), errno: syscall.ENOTSOCK}, nil
	}
	typ, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil {
		return sockInfo{}, os.NewSyscallError("getsockopt", err)
	}
	info := sockInfo{typ: typ}
	sa, err := syscall.Getsockname(fd)
	switch sa := sa.(type) {
	case *syscall.SockaddrUnix:
		info.unix = true
		info.addr = &Addr{Net: netUnixgram, Name: unixName(sa)}
	case *syscall.SockaddrInet4, *syscall.SockaddrInet6:
		info.what, info.errno = "an IP socket", syscall.EAFNOSUPPORT
		switch typ {
		case syscall.SOCK_STREAM:
			info.what = "a TCP socket"
		case syscall.SOCK_DGRAM:
			info.what = "a UDP socket"
		}
		return info, nil
	default:
		if err != nil && err != syscall.EAFNOSUPPORT {
			return sockInfo{}, os.NewSyscallError("getsockname", err)
		}
		info.what, info.errno = "a socket of another address family", syscall.EAFNOSUPPORT
		return info, nil
	}
	switch typ {
	case syscall.SOCK_STREAM, syscall.SOCK_SEQPACKET:
		acc, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ACCEPTCONN)
		if err != nil {
			return sockInfo{}, os.NewSyscallError("getsockopt", err)
		}
		info.listening = acc != 0
		kind := "stream"
		info.addr.Net = netUnix
		if typ == syscall.SOCK_SEQPACKET {
			kind, info.addr.Net = "seqpacket", netUnixPacket
		}
		if info.listening {
			info.what = "a listening " + kind + " socket"
		} else {
			info.what, info.errno = "a "+kind+" socket that is not listening", syscall.EINVAL
		}
	case syscall.SOCK_DGRAM:
		info.what = "a datagram socket"
	default:
		info.what, info.errno = "a Unix domain socket of type "+strconv.Itoa(typ), syscall.EPROTOTYPE
	}
	return info, nil
}

// nonSocketKind names a file that is not a socket.
func nonSocketKind(mode uint32) string {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return "a regular file"
	case syscall.S_IFDIR:
		return "a directory"
	case syscall.S_IFIFO:
		return "a pipe or FIFO"
	case syscall.S_IFCHR:
		return "a character device"
	case syscall.S_IFBLK:
		return "a block device"
	}
	return "a file that is not a socket"
}

func (info *sockInfo) isListener() bool { return info.unix && info.listening }
func (info *sockInfo) isPacket() bool   { return info.unix && info.typ == syscall.SOCK_DGRAM }

// listenerErr refuses anything but a listening Unix domain stream or
// seqpacket socket.
func (info *sockInfo) listenerErr() error {
	switch {
	case info.isListener():
		return nil
	case info.isPacket():
		return &argError{info.what + ", not a listening stream or seqpacket socket; use FilePacketConn", syscall.EPROTOTYPE}
	case info.errno == syscall.EINVAL:
		return &argError{info.what + ", not a listening one; use FileConn", syscall.EINVAL}
	}
	return &argError{info.what + ", not a listening Unix domain socket", info.errno}
}

// packetErr refuses anything but a Unix domain datagram socket.
func (info *sockInfo) packetErr() error {
	switch {
	case info.isPacket():
		return nil
	case info.unix:
		return &argError{info.what + ", not a datagram socket", syscall.EPROTOTYPE}
	}
	return &argError{info.what + ", not a Unix domain datagram socket", info.errno}
}

// fdListener makes a Listener of fd, a listening Unix domain stream or
// seqpacket socket. It takes ownership of fd, closing it on error. The
// listener owns no socket file.
func fdListener(fd int, info sockInfo) (*Listener, error) {
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("setnonblock", err)
	}
	l := &Listener{addr: info.addr}
	l.f = os.NewFile(uintptr(fd), info.addr.Name)
	l.rc, _ = l.f.SyscallConn() // cannot fail on a fresh file
	return l, nil
}

// fdPacketConn makes a PacketConn of fd, a Unix domain datagram socket. It
// takes ownership of fd, closing it on error. The PacketConn owns no socket
// file.
func fdPacketConn(fd int, info sockInfo) (*PacketConn, error) {
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("setnonblock", err)
	}
	raddr := &Addr{Net: netUnixgram}
	if sa, err := syscall.Getpeername(fd); err == nil {
		if sun, ok := sa.(*syscall.SockaddrUnix); ok {
			raddr.Name = unixName(sun)
		}
	}
	p, err := newPacketConn(fd, info.addr, raddr, boundFile{})
	if err != nil {
		return nil, err
	}
	if scmCredentials >= 0 && info.addr.Name != "" {
		// As sysListenPacket does, so that every sender is recorded.
		if err := p.c.enablePassCred(); err != nil {
			p.c.f.Close()
			return nil, err
		}
	}
	return p, nil
}

// activation holds the sockets passed by the service manager, taken once.
var activation struct {
	once  sync.Once
	socks []activated
	err   error
}

func sysActivation() ([]activated, error) {
	activation.once.Do(func() { activation.socks, activation.err = takeActivation() })
	return activation.socks, activation.err
}

// takeActivation reads and unsets LISTEN_PID, LISTEN_FDS and
// LISTEN_FDNAMES, makes the descriptors close-on-exec and makes a Listener
// or PacketConn of each Unix domain socket among them.
func takeActivation() ([]activated, error) {
	pidVar, hasPID := os.LookupEnv("LISTEN_PID")
	fdsVar, hasFDs := os.LookupEnv("LISTEN_FDS")
	namesVar, hasNames := os.LookupEnv("LISTEN_FDNAMES")
	os.Unsetenv("LISTEN_PID")
	os.Unsetenv("LISTEN_FDS")
	os.Unsetenv("LISTEN_FDNAMES")
	if !hasPID || !hasFDs {
		return nil, &argError{"the process was not socket-activated: LISTEN_PID and LISTEN_FDS are not both set", syscall.ENOENT}
	}
	pid, err := strconv.Atoi(pidVar)
	if err != nil || pid <= 0 {
		return nil, &argError{"LISTEN_PID=" + strconv.Quote(pidVar) + " is not a process ID", syscall.EINVAL}
	}
	if self := os.Getpid(); pid != self {
		return nil, &argError{"the sockets were passed to another process: LISTEN_PID is " + pidVar +
			", this process is " + strconv.Itoa(self), syscall.ENOENT}
	}
	n, err := strconv.Atoi(fdsVar)
	if err != nil || n < 0 || n > math.MaxInt32-3 {
		return nil, &argError{"LISTEN_FDS=" + strconv.Quote(fdsVar) + " is not a number of descriptors", syscall.EINVAL}
	}
	var names []string
	if hasNames && (n > 0 || namesVar != "") {
		names = strings.Split(namesVar, ":")
		if len(names) != n {
			return nil, &argError{"LISTEN_FDNAMES has " + strconv.Itoa(len(names)) + " names for the " +
				strconv.Itoa(n) + " descriptors of LISTEN_FDS", syscall.EINVAL}
		}
	}
	// Every descriptor must be open (a process cannot have more than its
	// descriptor limit, so this ends soon for any n); each becomes
	// close-on-exec, as sd_listen_fds(3) makes them.
	for fd := 3; fd < 3+n; fd++ {
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			if err == syscall.EBADF {
				return nil, &argError{"LISTEN_FDS is " + fdsVar + ", but descriptor " + strconv.Itoa(fd) +
					" is not open", syscall.EBADF}
			}
			return nil, os.NewSyscallError("fstat", err)
		}
		syscall.CloseOnExec(fd)
	}
	socks := make([]activated, n)
	for i := range socks {
		s := &socks[i]
		s.fd, s.name = 3+i, "unknown" // sd_listen_fds_with_names(3)'s name for an unnamed one
		if names != nil {
			s.name = names[i]
		}
		info, err := inspectSocket(s.fd)
		if err == nil {
			s.addr, s.what, s.err = info.addr, info.what, info.errno
			switch {
			case info.isListener():
				s.ln, err = fdListener(s.fd, info)
				s.err = syscall.EPROTOTYPE // for a request for a datagram socket
			case info.isPacket():
				s.pc, err = fdPacketConn(s.fd, info)
				s.err = syscall.EPROTOTYPE
			}
		}
		if err != nil {
			// The descriptors made into sockets so far are closed; the
			// others stay open, as they came.
			for _, t := range socks[:i] {
				if t.ln != nil {
					t.ln.f.Close()
				} else if t.pc != nil {
					t.pc.c.f.Close()
				}
			}
			return nil, &argError{"descriptor " + strconv.Itoa(s.fd) + ": " + err.Error(), err}
		}
	}
	return socks, nil
}
