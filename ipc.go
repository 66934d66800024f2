// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Package ipc provides interprocess communication for Go programs: local
// sockets that work the same on every operating system, with the standard
// library's contracts.
//
// A local socket is named by one string and served by the native transport of
// each OS: a Unix domain socket on Unix, a named pipe on Windows. [*Listener] satisfies
// [net.Listener] and [*Conn] satisfies [net.Conn] and [syscall.Conn], so
// net/http, gRPC, bufio and anything else written against those interfaces
// work over them unchanged.
//
//	ln, err := ipc.Listen("myapp")       // server
//	conn, err := ipc.Dial("myapp")       // client, in another process
//
// On Unix the package also covers what Unix domain sockets can do beyond
// streams: message-mode connections ([ListenConfig.Message],
// [Conn.ReadMsg], [Conn.WriteMsg]), datagrams ([PacketConn]), socket pairs
// ([ConnPair], [Conn.File], [FileConn]), file passing ([Conn.SendFiles],
// [Conn.RecvFiles]) and peer credentials ([Conn.PeerCred], [Conn.RecvCred]).
//
// Signals complement os/signal: [Signal] and [SignalGroup] send them to a
// process or a process group started with [NewProcessGroup], including a
// portable way to ask a child to stop (os.Interrupt, which travels as
// CTRL_BREAK_EVENT on Windows), [RealtimeSignal] names the Linux real-time
// signals, and [WaitSignal] and [SignalWaiter] wait for signals with a
// context. See [Signal] for what each platform can deliver.
//
// Daemons get three things more: socket activation by a service manager
// such as systemd ([ActivationListeners], [ActivationListener]), handing a
// listening socket to a successor without refusing a client
// ([Listener.File], [FileListener], [Listener.SetUnlinkOnClose]), and, on
// Linux, handles to peer processes that cannot be mistaken for another
// process after a PID is reused ([Conn.PeerProcess], [Process]), with the
// peer's supplementary groups and security label in [Cred].
//
// # Pipes and FIFOs
//
// [Pipe] returns an unnamed pipe whose ends, unlike those of [os.Pipe], are
// on the runtime's poller on every platform, Windows included, so deadlines
// and Close work on them. [PassFile] hands a pipe end (or any file) to a
// child process started by [os/exec], [InheritedFile] takes it up in the
// child and [ReleaseFiles] closes the parent's copies once the child has
// started, so that EOF arrives when the child exits. No end is inherited by
// any other process. [Mkfifo] creates a FIFO with exactly the permissions
// given and [OpenFifo] opens one without blocking a thread, waiting for a
// reader, or with [WaitForWriter] for a writer (Linux), through a context
// (Unix only).
//
// # Names
//
// One string names a local socket:
//
//   - A bare name such as "myapp" (no path separator) is private to the
//     current user. On Unix it becomes the socket file myapp.sock in a
//     per-user directory: $XDG_RUNTIME_DIR when it is set to an absolute
//     path, otherwise ipc-<uid> under [os.TempDir]. (The XDG Base Directory
//     specification makes a relative value invalid, so it is ignored.) The
//     directory is created with mode 0700 if it does not exist, whichever
//     it is, and is used only if it is a real directory (not a symbolic
//     link) owned by the effective user and not writable by group or
//     others. Sockets created from bare names have mode 0600.
//   - A name starting with "@", such as "@myapp", is a Linux abstract socket:
//     it has no file and no permissions, and vanishes with its listener.
//     Anyone in the same network namespace may connect to it, and anyone
//     may also take the name first, so a client that cares checks who
//     serves it with [Conn.PeerCred] (see the example at [Dial]). On other
//     Unix systems "@myapp" means the same as "myapp".
//   - Any other name containing "/" is a file system path, used as given.
//
// On Windows, "myapp" and "@myapp" both name the pipe \\.\pipe\myapp, and a
// name that starts with \\.\pipe\ is used as given (//./pipe/, the spelling
// WSL tools use, means the same); other paths are rejected. Pipes created from bare or "@" names get a DACL that admits only
// the current user and SYSTEM; pipes named by a full path get the system's
// default unless [ListenConfig.SecurityDescriptor] says otherwise. This
// mapping makes "@myapp" on Linux and "myapp" on Windows the names the Rust
// crate interprocess gives its namespaced name "myapp", so Go and Rust
// programs can meet.
//
// Empty names, the bare names "." and "..", names containing a NUL byte and
// names too long for the platform's sockaddr (107 bytes for a Linux path or
// abstract name after the "@", 103 bytes on the BSDs and macOS) are rejected
// before any system call.
// [Listener.Addr] and [Conn.RemoteAddr] show the resolved name, and
// [Resolve] gives it without listening.
//
// # Errors
//
// Errors from listeners and connections are of type [*net.OpError] with Net
// and Addr set; its Err is usually an [*os.SyscallError] naming the system
// call that failed. Test them with [errors.Is] against the standard
// sentinels:
//
//   - [os.ErrNotExist]: no socket file at the name (ENOENT). A Linux
//     abstract name without a listener, or a stale socket file, reports
//     [syscall.ECONNREFUSED] instead.
//   - [os.ErrExist]: the name is taken by a live listener, by a stale
//     socket file left by a listener that died, if [ListenConfig.Reclaim]
//     is not set, or by something that is not a socket (bind's
//     EADDRINUSE; the error says which).
//   - [os.ErrPermission]: the socket or its directory is not accessible, or
//     the private directory for bare names is not safe to use.
//   - [os.ErrDeadlineExceeded]: a deadline or a [Dialer] timeout passed
//     (the error also satisfies [context.DeadlineExceeded] when it came from
//     a context).
//   - [net.ErrClosed]: the listener or connection was closed.
//   - [os.ErrProcessDone]: the process or process group a signal was sent
//     to no longer exists (see [Signal]).
//   - [errors.ErrUnsupported]: the feature does not exist on this platform.
//   - [syscall.EINVAL] or [syscall.ENAMETOOLONG]: the name is malformed or
//     too long.
//
// Read returns [io.EOF] unwrapped when the peer has closed its side.
//
// # Deadlines
//
// Every blocking call parks the calling goroutine on the runtime's network
// poller rather than blocking an OS thread. Accept honours
// [Listener.SetDeadline]; Read and Write honour the [net.Conn] deadlines;
// dialing and listening honour their [context.Context]. Close unblocks every
// pending call on the same listener or connection, which then returns an
// error wrapping [net.ErrClosed].
//
// # Performance
//
// Steady-state Read and Write on a [Conn] allocate nothing and cost what
// [os.File] costs. Two opt-in tools go further on Linux (BENCHMARKS.md has
// the measurements):
//
//   - Low-latency mode ([Conn.SetLowLatency], [Dialer.LowLatency],
//     [ListenConfig.LowLatency], and [LowLatencyReader] for pipes): a Read
//     that finds no data retries briefly, yielding the CPU, before it parks,
//     which cuts round trips between processes several-fold at the price of
//     some CPU time while it waits.
//   - Zero-copy relays: [Conn.ReadFrom] and [Conn.WriteTo] move data with
//     splice(2) when the other side is a pipe, a FIFO, a stream socket or a
//     regular file, so io.Copy between a Conn and those never passes the
//     bytes through the process.
//
// [ListenConfig.BufferSize] and [Dialer.BufferSize] set the socket buffers;
// [Conn.BufferSizes] reports what the system granted.
//
// # Security
//
// Every descriptor the package creates is close-on-exec from birth, so no
// child process inherits one unless it is handed over on purpose. Bare names
// are private to the user (see Names). Permissions given in
// [ListenConfig.Mode] are in force before any client can connect (on Linux,
// from the moment the socket file exists; see Mode for datagram sockets
// elsewhere). A listener never removes a file that is
// not a socket, never displaces a live listener, and on Close removes its
// socket file only if the file is still the one it created.
//
// # Windows
//
// Listeners keep several pipe instances waiting ([ListenConfig.Instances]),
// each with an overlapped ConnectNamedPipe outstanding, so bursts of clients
// connect without ERROR_PIPE_BUSY; a client that still finds every instance
// taken waits in Dial until one frees or its context ends. An instance that
// cannot be replaced is retried with backoff, and a reserve instance, to
// which the listener connects a client end of its own, holds the name for
// the listener's whole life. Listen fails with an error matching
// [os.ErrExist] when another process holds the name, and with one matching
// [os.ErrPermission] only when the system refuses the pipe while no
// instance of the name exists (CreateNamedPipe reports both as
// ERROR_ACCESS_DENIED). No wait holds an OS thread: pipes are
// overlapped handles, dialed byte-mode pipes on the runtime's I/O
// completion port, and accepted and message-mode pipes (whose reads
// os.File cannot do, as it loses the byte count of a read that ends in
// ERROR_MORE_DATA) and Accept's waits on one completion port of the
// package, served by one goroutine. Read, Write, deadlines and Close
// behave as on Unix on both. The kernel's OVERLAPPED structures stay
// allocated until their completion arrives, so a Listener dropped without
// Close is safe; a cleanup then closes its instances.
//
// Remote clients are rejected unless [ListenConfig.AllowRemote] is set.
// Clients dial with the identification impersonation level, so a server can
// learn who they are but cannot act as them unless
// [Dialer.AllowImpersonation] is set; [Conn.Impersonate] runs a function as
// the client.
//
// What the identity checks guarantee: on the server end, [Conn.PeerCred]
// reports the SID of the token the client connected with, taken from the
// client's impersonation token and never looked up by process ID, and
// fails rather than guess for an anonymous client. On the client end,
// [Dialer.ServerSID] and [Conn.PeerCred] read the owner of the pipe object,
// which the creator's token sets and which an unprivileged process cannot
// make another user's. What they cannot: the process IDs in [Cred] are
// advisory (a process may exit and its ID be reused, or pass its handle to
// another); a squatter that created the name first still sees a client
// connect before ServerSID refuses it, and can act as a client that allowed
// impersonation if it holds SeImpersonatePrivilege; an administrator or
// SYSTEM can create a pipe with any owner. A listener refuses a
// [ListenConfig.SecurityDescriptor] that lets other users create pipe
// instances, which would let them receive its clients.
//
// Named pipes have no half close: CloseRead and CloseWrite report
// errors.ErrUnsupported. Close never discards data: what was written before
// Close stays readable by the peer (the pipe is closed, not disconnected),
// and Close does not wait for the peer to read it. File passing, datagrams,
// [FileConn] and [Conn.File] are not available on Windows.
//
// In message mode, a message longer than the buffer given to [Conn.ReadMsg]
// is reported as truncated and its remainder is returned by the next read,
// where a Unix socket would discard it. A message is written in one
// WriteFile call, so it arrives whole or not at all; one longer than
// math.MaxInt32 bytes is refused with [syscall.EMSGSIZE]. Both ends must be
// in the same mode: a Dial in the other mode than the listener fails with
// [syscall.EPROTOTYPE].
//
// # Platforms
//
// Local sockets, pipes and signals work on Linux, Android, macOS, iOS,
// FreeBSD, NetBSD, OpenBSD, DragonFly BSD and Windows; FIFOs on all of them
// but Windows. On every other target the package builds and its functions
// return an error satisfying errors.Is(err, errors.ErrUnsupported).
package ipc

import (
	"context"
	"net"
	"os"
	"strconv"
	"unicode/utf8"
)

// Resolve returns what the local socket name means on this OS, following
// the rules under Names: the socket file's path, "@name" for a Linux
// abstract socket, or the pipe's path such as \\.\pipe\myapp on Windows. It
// is the string [Listener.Addr] would show, for handing to tools that
// take an OS name (curl --unix-socket, socat, a configuration file).
//
// Resolve creates nothing. For a bare name on Unix it checks the private
// directory as Listen does if the directory exists, and otherwise returns
// the path Listen would create it at. A bad name gives the error Listen
// would give, of type [*net.OpError].
func Resolve(name string) (string, error) {
	path, err := sysResolve(name)
	if err != nil {
		return "", &net.OpError{Op: "resolve", Net: netUnix, Addr: nameAddr(netUnix, name), Err: err}
	}
	return path, nil
}

// Addr is the address of a local socket. It satisfies [net.Addr].
type Addr struct {
	// Net is the transport: "unix" for a Unix domain stream socket,
	// "unixpacket" for a message-mode (SOCK_SEQPACKET) one.
	Net string
	// Name is the resolved OS name: a socket path, or "@name" for a Linux
	// abstract socket. For an unnamed socket (a client that did not bind)
	// it is what package net shows: "@" on Linux and Android, empty
	// elsewhere.
	Name string
}

// Network returns the address's network name, a.Net.
func (a *Addr) Network() string {
	if a == nil {
		return "<nil>"
	}
	return a.Net
}

// String returns the resolved name, a.Name.
func (a *Addr) String() string {
	if a == nil {
		return "<nil>"
	}
	return a.Name
}

// nameAddr is the address that an error about the name shows: the name as
// given, quoted as by %q if it has a NUL byte or any other byte that would
// garble the message.
func nameAddr(nw, name string) *Addr {
	for _, r := range name {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			name = strconv.Quote(name)
			break
		}
	}
	return &Addr{Net: nw, Name: name}
}

// Cred holds the credentials of the process at the other end of a
// connection, as the kernel recorded them when the connection was made.
//
// The PID is advisory: by the time it is used the process may have exited
// and its PID may name another process. Never decide whom to trust, or
// whom to signal, by PID; on Linux [Conn.PeerProcess] gives a handle that
// cannot be confused with another process.
type Cred struct {
	PID int    // process ID, or -1 where the platform does not report it
	UID int    // effective user ID; -1 on Windows
	GID int    // effective group ID; -1 on Windows
	SID string // Windows: the user's security identifier, such as "S-1-5-18"; empty on Unix

	// Groups holds the supplementary group IDs, in ascending order, as
	// [Conn.PeerCred] reports them on Linux and Android (SO_PEERGROUPS,
	// Linux 4.13 and later). It is empty but not nil for a process that
	// has none, and nil where they are not reported: on other platforms,
	// on older kernels, under emulators that do not pass the option
	// through, and in the credentials of a message ([Conn.RecvCred]). A
	// group check on a nil Groups sees only GID, so it fails closed for
	// members through a supplementary group; [Cred.InGroup] does the
	// check.
	Groups []int

	// SecurityLabel is the security context of the peer as its Linux
	// security module recorded it when the connection was made
	// (SO_PEERSEC), such as an SELinux context
	// ("system_u:system_r:sshd_t:s0") or an AppArmor profile
	// ("unconfined"); empty where no security module labels sockets, and
	// on other platforms.
	SecurityLabel string
}

// InGroup reports whether gid is the effective group ID of the
// credentials or one of their supplementary groups ([Cred.Groups]). It
// reports false for a nil Cred and for a negative gid, so it never matches
// the -1 that stands for "unknown" on Windows.
func (c *Cred) InGroup(gid int) bool {
	if c == nil || gid < 0 {
		return false
	}
	if c.GID == gid {
		return true
	}
	for _, g := range c.Groups {
		if g == gid {
			return true
		}
	}
	return false
}

// errTimeout is returned when a dial's context deadline or Dialer.Timeout
// passes. It matches both os.ErrDeadlineExceeded and context.DeadlineExceeded,
// so callers may test for either.
var errTimeout error = &timeoutError{}

type timeoutError struct{}

func (*timeoutError) Error() string   { return "i/o timeout" }
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }
func (*timeoutError) Is(target error) bool {
	return target == os.ErrDeadlineExceeded || target == context.DeadlineExceeded
}

// existError marks an error as "the name is taken", so that
// errors.Is(err, os.ErrExist) holds on every OS while the OS error stays
// reachable through Unwrap.
type existError struct{ err error }

func (e *existError) Error() string        { return e.err.Error() }
func (e *existError) Unwrap() error        { return e.err }
func (e *existError) Is(target error) bool { return target == os.ErrExist }

// argError reports an argument rejected before any system call. It unwraps
// to the errno a system call would have given (EINVAL, ENAMETOOLONG,
// EMSGSIZE).
type argError struct {
	msg   string
	errno error
}

func (e *argError) Error() string { return e.msg }
func (e *argError) Unwrap() error { return e.errno }

// detailError is an errno with a word on its cause. It unwraps to the
// errno.
type detailError struct {
	errno  error
	detail string
}

func (e *detailError) Error() string { return e.errno.Error() + ": " + e.detail }
func (e *detailError) Unwrap() error { return e.errno }
func (e *detailError) Timeout() bool {
	t, ok := e.errno.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

// busyErr reports a dial without a deadline that gave up waiting for a
// listener's queue (Unix: its backlog; Windows: its pipe instances) after
// busyWait.
func busyErr(errno error, queue string) error {
	return &detailError{errno, "the server's " + queue + " stayed full for " + busyWait.String() +
		" (is it accepting?); set Dialer.Timeout or a context deadline to wait longer"}
}

// mapCtxErr turns a context's error into the error a dial returns.
func mapCtxErr(err error) error {
	if err == context.DeadlineExceeded {
		return errTimeout
	}
	return err
}
