// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import (
	"context"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	_ net.Listener = (*Listener)(nil)
	_ net.Conn     = (*Conn)(nil)
	_ syscall.Conn = (*Conn)(nil)
	_ syscall.Conn = (*Listener)(nil)
)

// ListenConfig holds options for creating a [Listener]. The zero value is
// ready to use and gives the defaults described on each field.
type ListenConfig struct {
	// Mode, if not zero, is the permission of the socket file, applied
	// exactly (not masked by the umask) between bind and listen, so no
	// client can connect before it is in force. Only permission bits are
	// allowed. Zero means 0600 for bare names and the umask's default for
	// paths. Abstract names have no file, so a non-zero Mode is an error
	// for them.
	Mode os.FileMode

	// Reclaim allows Listen to take over a path whose socket file was left
	// behind by a listener that died without closing. The path is taken over
	// only if it is a socket (not a symbolic link, regular file or
	// directory) and a connection attempt to it is refused; a live listener
	// is never displaced and nothing that is not a socket is ever removed.
	// Bare names always reclaim: their directory is private, so a stale
	// socket there can only be the user's own.
	Reclaim bool

	// Backlog is the length of the queue of connections not yet accepted.
	// Zero means the system maximum (somaxconn on Linux).
	Backlog int

	// Message makes the listener's connections keep message boundaries:
	// every WriteMsg (or Write) arrives as one message, read whole by one
	// ReadMsg. Clients must dial with [Dialer.Message] set. It uses
	// SOCK_SEQPACKET on Linux and the BSDs; macOS has no such socket type
	// and reports an error satisfying errors.Is(err, errors.ErrUnsupported).
	Message bool
}

// Listen creates a listener on the local socket name with the default
// [ListenConfig]. See the package documentation for how names resolve.
//
// If there is an error, it will be of type [*net.OpError].
func Listen(name string) (*Listener, error) {
	var lc ListenConfig
	return lc.Listen(context.Background(), name)
}

// Listen creates a listener on the local socket name. The context bounds the
// setup (waiting for a concurrent listener on the same directory, probing a
// stale socket); once Listen has returned it has no effect on the listener.
//
// If there is an error, it will be of type [*net.OpError].
func (lc *ListenConfig) Listen(ctx context.Context, name string) (*Listener, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	if lc == nil {
		lc = &ListenConfig{}
	}
	l, addr, err := sysListen(ctx, lc, name)
	if err != nil {
		if addr == nil {
			addr = &Addr{Net: netUnix, Name: name}
		}
		return nil, &net.OpError{Op: "listen", Net: addr.Net, Addr: addr, Err: err}
	}
	return l, nil
}

// Listener is a local socket listener. It satisfies [net.Listener] and
// [syscall.Conn]. Its methods may be called from several goroutines at once.
type Listener struct {
	sysListener
	addr      *Addr
	closed    atomic.Bool // set before the socket is closed
	closeOnce sync.Once
	closeErr  error
}

func (l *Listener) ok() bool { return l != nil && l.addr != nil }

// Accept waits for and returns the next connection. It satisfies
// [net.Listener]; [Listener.AcceptConn] returns the concrete type.
//
// If there is an error, it will be of type [*net.OpError].
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.AcceptConn()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AcceptConn waits for and returns the next connection. It honours the
// deadline set with [Listener.SetDeadline] and returns an error wrapping
// [net.ErrClosed] once the listener is closed, including when Close is
// called while it waits.
//
// If there is an error, it will be of type [*net.OpError].
func (l *Listener) AcceptConn() (*Conn, error) {
	if !l.ok() {
		return nil, syscall.EINVAL
	}
	c, err := l.accept()
	if err != nil {
		return nil, &net.OpError{Op: "accept", Net: l.addr.Net, Addr: l.addr, Err: err}
	}
	return c, nil
}

// Close stops listening, unblocks pending Accept calls and removes the
// socket file if the listener created one and it is still the same file (a
// successor's socket at the same path is left alone). Closing twice reports
// an error wrapping [net.ErrClosed].
//
// If there is an error, it will be of type [*net.OpError].
func (l *Listener) Close() error {
	if !l.ok() {
		return syscall.EINVAL
	}
	err := error(net.ErrClosed)
	l.closeOnce.Do(func() {
		l.closed.Store(true)
		l.closeErr = l.close()
		err = l.closeErr
	})
	if err != nil {
		return &net.OpError{Op: "close", Net: l.addr.Net, Addr: l.addr, Err: err}
	}
	return nil
}

// Addr returns the listener's resolved address.
func (l *Listener) Addr() net.Addr {
	if !l.ok() {
		return nil
	}
	return l.addr
}

// SetDeadline sets the deadline for Accept. A zero time means no deadline.
// Once it passes, Accept returns an error wrapping
// [os.ErrDeadlineExceeded].
//
// If there is an error, it will be of type [*net.OpError].
func (l *Listener) SetDeadline(t time.Time) error {
	if !l.ok() {
		return syscall.EINVAL
	}
	if err := l.setDeadline(t); err != nil {
		return &net.OpError{Op: "set", Net: l.addr.Net, Addr: l.addr, Err: fileErr(err)}
	}
	return nil
}

// SyscallConn returns a raw connection to the listening socket, for
// setting options the package does not cover.
func (l *Listener) SyscallConn() (syscall.RawConn, error) {
	if !l.ok() {
		return nil, syscall.EINVAL
	}
	return l.syscallConn()
}

// Dialer holds options for connecting to a local socket. The zero value is
// ready to use.
type Dialer struct {
	// Timeout bounds the whole dial. Zero means no timeout beyond the
	// context's. When it passes, the error wraps an error matching both
	// [os.ErrDeadlineExceeded] and [context.DeadlineExceeded].
	Timeout time.Duration

	// Message dials a message-mode listener (see [ListenConfig.Message]).
	Message bool
}

// Dial connects to the local socket name with the default [Dialer].
//
// If there is an error, it will be of type [*net.OpError].
func Dial(name string) (*Conn, error) {
	var d Dialer
	return d.DialContext(context.Background(), name)
}

// DialContext connects to the local socket name. The context bounds the
// connection attempt; once DialContext has returned, the context has no
// effect on the connection.
//
// If there is an error, it will be of type [*net.OpError].
func (d *Dialer) DialContext(ctx context.Context, name string) (*Conn, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	if d == nil {
		d = &Dialer{}
	}
	if d.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.Timeout)
		defer cancel()
	}
	c, addr, err := sysDial(ctx, d, name)
	if err != nil {
		if addr == nil {
			addr = &Addr{Net: netUnix, Name: name}
		}
		return nil, &net.OpError{Op: "dial", Net: addr.Net, Addr: addr, Err: err}
	}
	return c, nil
}

// Conn is a connection over a local socket. It satisfies [net.Conn] and
// [syscall.Conn]. Its methods may be called from several goroutines at once;
// concurrent Reads (or Writes) are serialised.
type Conn struct {
	f     *os.File        // on the runtime poller; never handed out
	rc    syscall.RawConn // f's raw connection
	laddr *Addr
	raddr *Addr
	msg   bool // message mode: SOCK_SEQPACKET, or SOCK_DGRAM with dgram
	dgram bool // datagram socket, inside a PacketConn
	sysConn
}

func (c *Conn) ok() bool { return c != nil && c.f != nil }

// Read reads data from the connection. It returns [io.EOF] once the peer has
// closed its side and all data has been read.
//
// If there is any other error, it will be of type [*net.OpError].
func (c *Conn) Read(b []byte) (int, error) {
	if !c.ok() {
		return 0, syscall.EINVAL
	}
	n, err := c.f.Read(b)
	if err != nil && err != io.EOF {
		err = c.opError("read", err)
	}
	return n, err
}

// Write writes all of b to the connection, blocking until it is written,
// the write deadline passes or the connection is closed.
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) Write(b []byte) (int, error) {
	if !c.ok() {
		return 0, syscall.EINVAL
	}
	n, err := c.f.Write(b)
	if err != nil {
		err = c.opError("write", err)
	}
	return n, err
}

// Close closes the connection and unblocks its pending Read and Write
// calls. Closing twice reports an error wrapping [net.ErrClosed].
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) Close() error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.f.Close(); err != nil {
		return c.opError("close", err)
	}
	return nil
}

// CloseRead shuts down the reading side of the connection.
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) CloseRead() error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.shutdown(false); err != nil {
		return c.opError("close", err)
	}
	return nil
}

// CloseWrite shuts down the writing side of the connection: the peer reads
// [io.EOF] once it has read everything sent before, while data still flows
// in the other direction.
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) CloseWrite() error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.shutdown(true); err != nil {
		return c.opError("close", err)
	}
	return nil
}

// LocalAddr returns the local address: the listener's name on an accepted
// connection, an unnamed address on a dialed one.
func (c *Conn) LocalAddr() net.Addr {
	if !c.ok() {
		return nil
	}
	return c.laddr
}

// RemoteAddr returns the remote address: the dialed name on a dialed
// connection, an unnamed address (Name "") on an accepted one, since
// clients are normally unnamed.
func (c *Conn) RemoteAddr() net.Addr {
	if !c.ok() {
		return nil
	}
	return c.raddr
}

// SetDeadline sets the read and write deadlines. See [net.Conn].
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) SetDeadline(t time.Time) error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.f.SetDeadline(t); err != nil {
		return c.opError("set", err)
	}
	return nil
}

// SetReadDeadline sets the read deadline. See [net.Conn].
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) SetReadDeadline(t time.Time) error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.f.SetReadDeadline(t); err != nil {
		return c.opError("set", err)
	}
	return nil
}

// SetWriteDeadline sets the write deadline. See [net.Conn].
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if !c.ok() {
		return syscall.EINVAL
	}
	if err := c.f.SetWriteDeadline(t); err != nil {
		return c.opError("set", err)
	}
	return nil
}

// SyscallConn returns a raw connection to the socket, for system calls the
// package does not cover. Its Read and Write wait on the runtime poller.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	if !c.ok() {
		return nil, syscall.EINVAL
	}
	return c.f.SyscallConn()
}

// PeerCred returns the credentials of the process at the other end, as the
// kernel recorded them when the connection was made.
//
//   - On Linux and Android it uses SO_PEERCRED and reports the PID, UID and
//     GID.
//   - On macOS and iOS it uses LOCAL_PEERCRED and LOCAL_PEERPID.
//   - On FreeBSD it uses LOCAL_PEERCRED; the PID is reported from FreeBSD 13
//     on and is -1 before.
//   - On DragonFly BSD it uses LOCAL_PEERCRED, which has no PID (-1).
//   - On OpenBSD it uses SO_PEERCRED, on NetBSD LOCAL_PEEREID; both report
//     PID, UID and GID.
//   - The GID is the effective group ID everywhere.
//   - On other platforms it returns an error satisfying
//     errors.Is(err, errors.ErrUnsupported).
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) PeerCred() (*Cred, error) {
	if !c.ok() {
		return nil, syscall.EINVAL
	}
	cred, err := c.peerCred()
	if err != nil {
		return nil, c.opError("peercred", err)
	}
	return cred, nil
}

// ReadMsg reads one whole message from a message-mode connection into b.
// If the message is longer than b, b is filled, the rest of the message is
// discarded and truncated is true. A message may be empty: n is 0 and err is
// nil. At the end of the connection ReadMsg returns [io.EOF].
//
// On a stream connection ReadMsg reports an error wrapping
// [syscall.EINVAL]. Otherwise, if there is an error, it will be of type
// [*net.OpError].
func (c *Conn) ReadMsg(b []byte) (n int, truncated bool, err error) {
	if !c.ok() {
		return 0, false, syscall.EINVAL
	}
	n, _, truncated, err = c.recvMsg(b, 0, nil, nil)
	if err != nil && err != io.EOF {
		err = c.opError("read", err)
	}
	return n, truncated, err
}

// RecvCred reads data into b, as Read does (or as ReadMsg does on a
// message-mode connection), and returns the credentials of the process that
// sent it, as the kernel verified them when it was sent (Linux
// SCM_CREDENTIALS). cred is nil if the kernel attached none. The first call
// turns on SO_PASSCRED for the connection. At the end of the connection
// RecvCred returns [io.EOF].
//
// On platforms other than Linux and Android it returns an error satisfying
// errors.Is(err, errors.ErrUnsupported). Otherwise, if there is an error, it
// will be of type [*net.OpError].
func (c *Conn) RecvCred(b []byte) (n int, cred *Cred, truncated bool, err error) {
	if !c.ok() {
		return 0, nil, false, syscall.EINVAL
	}
	n, cred, truncated, err = c.recvCred(b, nil)
	if err != nil && err != io.EOF {
		err = c.opError("read", err)
	}
	return n, cred, truncated, err
}

// WriteMsg sends b as one message on a message-mode connection. The message
// is sent whole or not at all: a message larger than the socket can carry
// fails with an error wrapping [syscall.EMSGSIZE].
//
// On a stream connection WriteMsg reports an error wrapping
// [syscall.EINVAL]. Otherwise, if there is an error, it will be of type
// [*net.OpError].
func (c *Conn) WriteMsg(b []byte) (int, error) {
	if !c.ok() {
		return 0, syscall.EINVAL
	}
	n, err := c.sendMsg(b, nil, nil)
	if err != nil {
		err = c.opError("write", err)
	}
	return n, err
}

// SendFiles sends b together with copies of the open files, which the
// receiver gets from [Conn.RecvFiles] as new descriptors for the same open
// files. The files stay open here; closing them does not affect the copies.
// b must not be empty: the files travel with its first byte. On a stream
// connection all of b is written; on a message-mode connection b is one
// message.
//
// On Windows, files are passed by duplicating handles into the peer process.
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) SendFiles(b []byte, files ...*os.File) (int, error) {
	if !c.ok() {
		return 0, syscall.EINVAL
	}
	n, err := c.sendMsg(b, files, nil)
	if err != nil {
		err = c.opError("write", err)
	}
	return n, err
}

// RecvFiles reads data into b, as Read does (or as ReadMsg does on a
// message-mode connection), and returns the files that arrived with it, at
// most maxFiles of them. Received descriptors are close-on-exec. The caller
// owns the files and must close them.
//
// Nothing leaks: if more files arrive than maxFiles, or the kernel had to
// drop some because the control buffer was too small, every descriptor that
// did arrive is closed and the error, which wraps [syscall.EMSGSIZE], says
// so; the data read is still reported in n. At the end of the connection
// RecvFiles returns [io.EOF].
//
// If there is any other error, it will be of type [*net.OpError].
func (c *Conn) RecvFiles(b []byte, maxFiles int) (n int, files []*os.File, truncated bool, err error) {
	if !c.ok() {
		return 0, nil, false, syscall.EINVAL
	}
	if maxFiles < 1 {
		return 0, nil, false, c.opError("read", errMaxFiles)
	}
	n, files, truncated, err = c.recvMsg(b, maxFiles, nil, nil)
	if err != nil && err != io.EOF {
		err = c.opError("read", err)
	}
	return n, files, truncated, err
}

// File returns a copy of the connection's socket as an *os.File, for
// handing to a child process through [os/exec.Cmd.ExtraFiles]. The copy is
// close-on-exec in this process and independent of c: closing one does not
// close the other. Both share the socket's file status, which stays
// non-blocking.
//
// If there is an error, it will be of type [*net.OpError].
func (c *Conn) File() (*os.File, error) {
	if !c.ok() {
		return nil, syscall.EINVAL
	}
	f, err := c.file()
	if err != nil {
		return nil, c.opError("file", err)
	}
	return f, nil
}

// FileConn returns a connection for a copy of the connected Unix domain
// socket f, such as one a child process inherited from [Conn.File]. The
// caller keeps f and should close it. Stream and message-mode
// (SOCK_SEQPACKET) sockets are accepted; anything else is an error wrapping
// [syscall.ENOTSOCK] or [syscall.EPROTOTYPE].
//
// If there is an error, it will be of type [*net.OpError].
func FileConn(f *os.File) (*Conn, error) {
	if f == nil {
		return nil, syscall.EINVAL
	}
	c, err := sysFileConn(f)
	if err != nil {
		return nil, &net.OpError{Op: "file", Net: netUnix, Addr: &Addr{Net: netUnix, Name: f.Name()}, Err: err}
	}
	return c, nil
}

// ConnPair returns the two ends of a new, unnamed connection, for use within
// a process or between a parent and a child (hand one end over with
// [Conn.File]). With message set, the connection keeps message boundaries
// as described at [ListenConfig.Message].
//
// If there is an error, it will be of type [*os.SyscallError] or satisfy
// errors.Is(err, errors.ErrUnsupported).
func ConnPair(message bool) (*Conn, *Conn, error) {
	return sysConnPair(message)
}

// opError wraps an error from the connection's file the way net does: the
// *os.PathError that os.File adds is replaced by the operation, a closed
// file becomes net.ErrClosed and a bare errno names the call.
func (c *Conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: c.raddr.Net, Source: c.laddr, Addr: c.raddr, Err: fileErr(err)}
}

// fileErr strips the *os.PathError that *os.File adds, maps a closed file
// to net.ErrClosed and names the system call behind an OS error.
func fileErr(err error) error {
	pe, ok := err.(*os.PathError)
	if ok {
		err = pe.Err
	}
	switch {
	case err == os.ErrClosed || err != nil && err.Error() == "use of closed file":
		// The second is internal/poll's ErrFileClosing, which the raw
		// connection of a closed *os.File returns unconverted.
		return net.ErrClosed
	case !ok || err == os.ErrDeadlineExceeded || err == os.ErrNoDeadline:
		return err
	}
	return os.NewSyscallError(pe.Op, err)
}

var (
	_ net.PacketConn = (*PacketConn)(nil)
	_ net.Conn       = (*PacketConn)(nil)
)

// PacketConn is a Unix domain datagram socket: either bound to a name
// ([ListenPacket]) to receive datagrams from any sender, or connected to one
// ([DialPacket]). It satisfies [net.PacketConn], and [net.Conn] for
// connected use. Every datagram is delivered whole or not at all; an empty
// datagram is a datagram, never the end of anything.
//
// The name rules are those of [Listen]. The socket file of a bound
// PacketConn is removed on Close, under the same check as a listener's.
type PacketConn struct {
	c         *Conn
	closeOnce sync.Once
	closeErr  error
}

// ListenPacket creates a datagram socket bound to the local socket name,
// with the default [ListenConfig].
//
// If there is an error, it will be of type [*net.OpError].
func ListenPacket(name string) (*PacketConn, error) {
	var lc ListenConfig
	return lc.ListenPacket(context.Background(), name)
}

// ListenPacket creates a datagram socket bound to the local socket name.
// Mode and Reclaim apply as for [ListenConfig.Listen]; Backlog and Message
// do not.
//
// If there is an error, it will be of type [*net.OpError].
func (lc *ListenConfig) ListenPacket(ctx context.Context, name string) (*PacketConn, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	if lc == nil {
		lc = &ListenConfig{}
	}
	p, addr, err := sysListenPacket(ctx, lc, name)
	if err != nil {
		if addr == nil {
			addr = &Addr{Net: netUnixgram, Name: name}
		}
		return nil, &net.OpError{Op: "listen", Net: netUnixgram, Addr: addr, Err: err}
	}
	return p, nil
}

// DialPacket creates a datagram socket connected to the local socket name,
// with the default [Dialer].
//
// If there is an error, it will be of type [*net.OpError].
func DialPacket(name string) (*PacketConn, error) {
	var d Dialer
	return d.DialPacket(context.Background(), name)
}

// DialPacket creates a datagram socket connected to the local socket name.
// On Linux the socket is bound to an autogenerated abstract name, so the
// peer can answer; elsewhere it is unnamed and can only send.
//
// If there is an error, it will be of type [*net.OpError].
func (d *Dialer) DialPacket(ctx context.Context, name string) (*PacketConn, error) {
	if ctx == nil {
		panic("ipc: nil context")
	}
	p, addr, err := sysDialPacket(ctx, name)
	if err != nil {
		if addr == nil {
			addr = &Addr{Net: netUnixgram, Name: name}
		}
		return nil, &net.OpError{Op: "dial", Net: netUnixgram, Addr: addr, Err: err}
	}
	return p, nil
}

func (p *PacketConn) ok() bool { return p != nil && p.c.ok() }

// ReadFrom reads one datagram into b and returns its sender's address (Name
// "" for an unnamed sender). A datagram longer than b is truncated silently,
// as in package net; use [PacketConn.ReadMsgFrom] to learn of it.
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, _, from, err := p.ReadMsgFrom(b)
	if from == nil {
		return n, nil, err
	}
	return n, from, err
}

// ReadMsgFrom reads one datagram into b, reporting whether it was truncated
// and who sent it.
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) ReadMsgFrom(b []byte) (n int, truncated bool, from *Addr, err error) {
	if !p.ok() {
		return 0, false, nil, syscall.EINVAL
	}
	var name string
	n, _, truncated, err = p.c.recvMsg(b, 0, &name, nil)
	if err != nil {
		return n, truncated, nil, p.c.opError("read", err)
	}
	return n, truncated, &Addr{Net: netUnixgram, Name: name}, nil
}

// RecvCredFrom reads one datagram like ReadMsgFrom and returns the
// kernel-verified credentials of its sender; see [Conn.RecvCred]. Linux
// records a datagram's credentials only if the receiver asked for them
// before it was sent: a PacketConn from ListenPacket asks from the start, a
// dialed one from its first RecvCredFrom; cred is nil for a datagram sent
// earlier.
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) RecvCredFrom(b []byte) (n int, cred *Cred, from *Addr, err error) {
	if !p.ok() {
		return 0, nil, nil, syscall.EINVAL
	}
	var name string
	n, cred, _, err = p.c.recvCred(b, &name)
	if err != nil {
		return n, nil, nil, p.c.opError("read", err)
	}
	return n, cred, &Addr{Net: netUnixgram, Name: name}, nil
}

// WriteTo sends b as one datagram to addr, a local socket name (an [*Addr]
// from ReadFrom, or any [net.Addr] whose String is a name).
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if !p.ok() {
		return 0, syscall.EINVAL
	}
	if addr == nil {
		return 0, &net.OpError{Op: "write", Net: netUnixgram, Source: p.c.laddr, Addr: p.c.raddr, Err: errNoAddr}
	}
	n, err := p.c.sendTo(b, addr.String())
	if err != nil {
		return n, &net.OpError{Op: "write", Net: netUnixgram, Source: p.c.laddr, Addr: addr, Err: fileErr(err)}
	}
	return n, nil
}

// Read reads one datagram from the connected peer; see [PacketConn.ReadFrom].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) Read(b []byte) (int, error) {
	n, _, _, err := p.ReadMsgFrom(b)
	return n, err
}

// Write sends b as one datagram to the connected peer.
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) Write(b []byte) (int, error) {
	if !p.ok() {
		return 0, syscall.EINVAL
	}
	return p.c.WriteMsg(b)
}

// SendFiles sends b as one datagram to the connected peer, with copies of
// the files; see [Conn.SendFiles].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) SendFiles(b []byte, files ...*os.File) (int, error) {
	if !p.ok() {
		return 0, syscall.EINVAL
	}
	return p.c.SendFiles(b, files...)
}

// RecvFiles reads one datagram and the files that came with it; see
// [Conn.RecvFiles].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) RecvFiles(b []byte, maxFiles int) (n int, files []*os.File, truncated bool, err error) {
	if !p.ok() {
		return 0, nil, false, syscall.EINVAL
	}
	return p.c.RecvFiles(b, maxFiles)
}

// Close closes the socket, unblocks pending calls and removes the socket
// file of a bound PacketConn if it is still the file it created.
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) Close() error {
	if !p.ok() {
		return syscall.EINVAL
	}
	err := error(net.ErrClosed)
	p.closeOnce.Do(func() {
		p.c.removeBound()
		p.closeErr = p.c.f.Close()
		err = p.closeErr
	})
	if err != nil {
		return p.c.opError("close", err)
	}
	return nil
}

// LocalAddr returns the bound name, or an unnamed address.
func (p *PacketConn) LocalAddr() net.Addr {
	if !p.ok() {
		return nil
	}
	return p.c.laddr
}

// RemoteAddr returns the connected peer's name, or nil if not connected.
func (p *PacketConn) RemoteAddr() net.Addr {
	if !p.ok() || p.c.raddr.Name == "" {
		return nil
	}
	return p.c.raddr
}

// SetDeadline sets the read and write deadlines. See [net.PacketConn].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) SetDeadline(t time.Time) error {
	if !p.ok() {
		return syscall.EINVAL
	}
	return p.c.SetDeadline(t)
}

// SetReadDeadline sets the read deadline. See [net.PacketConn].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) SetReadDeadline(t time.Time) error {
	if !p.ok() {
		return syscall.EINVAL
	}
	return p.c.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline. See [net.PacketConn].
//
// If there is an error, it will be of type [*net.OpError].
func (p *PacketConn) SetWriteDeadline(t time.Time) error {
	if !p.ok() {
		return syscall.EINVAL
	}
	return p.c.SetWriteDeadline(t)
}

// SyscallConn returns a raw connection to the socket.
func (p *PacketConn) SyscallConn() (syscall.RawConn, error) {
	if !p.ok() {
		return nil, syscall.EINVAL
	}
	return p.c.SyscallConn()
}
