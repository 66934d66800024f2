// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc

import (
	"net"
	"strconv"
	"strings"
	"syscall"
)

// ActivationListeners returns the listening stream and message-mode sockets
// that the service manager passed to this process, in the order it passed
// them. Datagram sockets among them are left for [ActivationPacketConns];
// any other descriptor (not a socket, not a Unix domain socket, not
// listening) is an error, since the process cannot serve it: take the
// sockets by name with [ActivationListener] then. It never returns an
// empty slice without an error: with no listening socket, the error
// satisfies errors.Is(err, os.ErrNotExist).
//
// Socket activation: a service manager such as systemd creates a service's
// listening sockets itself and starts the service with them already open
// (descriptors 3, 4, ...), described by three environment variables:
// LISTEN_PID (the process they are meant for), LISTEN_FDS (how many) and
// LISTEN_FDNAMES (their names, colon-separated: FileDescriptorName= in a
// systemd socket unit, the unit's name by default). The service can then
// start on its first client and be restarted without refusing any: the
// sockets live on in the manager, and clients wait in their queues.
//
// The first call of ActivationListeners, [ActivationListener],
// [ActivationPacketConns] or [ActivationPacketConn] reads the variables and
// removes them from the environment, so that no child process sees them
// (as sd_listen_fds(3) does when asked to), makes every passed descriptor
// close-on-exec, and makes a Listener or PacketConn of every Unix domain
// socket among them. Every later call returns the same objects: calling
// again, or once per name, hands out nothing twice and leaks nothing. Call
// one early, before starting any child process, which would otherwise
// inherit the descriptors.
//
// The protocol is only environment variables and descriptors, so it works
// on every Unix the package supports, with any service manager that
// follows it (systemd, systemd-socket-activate, and others on the BSDs).
// On Windows and other platforms the functions return an error satisfying
// errors.Is(err, errors.ErrUnsupported).
//
// The sockets behave as ones from [Listen] and [ListenPacket] do: on the
// runtime's poller, with deadlines, Close that unblocks pending calls, and
// [Conn.PeerCred] on accepted connections; a SOCK_SEQPACKET socket gives a
// message-mode listener. Their Close never removes their socket files,
// which belong to the service manager (see [Listener.SetUnlinkOnClose]).
// For a client of an activated socket, the process that made it listen is
// the service manager, which is what [Conn.PeerCred] and
// [Conn.PeerProcess] report on the client's side.
//
// Errors are of type [*net.OpError] with Op "activate". One satisfying
// errors.Is(err, os.ErrNotExist) means there is no such socket for this
// process: it was not socket-activated (no LISTEN_PID or LISTEN_FDS), the
// sockets were meant for another process (LISTEN_PID names another: the
// variables were inherited, and so perhaps the descriptors, which are then
// left alone), or none passed has the kind or name asked for. A program
// that can also run on its own falls back to [Listen] then. Any other
// error means the environment is wrong: a malformed variable
// ([syscall.EINVAL]), fewer descriptors open than LISTEN_FDS says
// ([syscall.EBADF]; the Go runtime may have opened files of its own in
// the gap, and then the error is about one of those, which is not a
// socket), or a descriptor of the wrong kind for the call:
// [syscall.ENOTSOCK] (not a socket), [syscall.EAFNOSUPPORT] (not a Unix
// domain socket, such as a TCP one), [syscall.EPROTOTYPE] (a datagram
// socket where a listener was asked for, or the reverse) or
// [syscall.EINVAL] (a stream socket that is not listening: with
// Accept=yes systemd passes one connection, which
// [FileConn](os.NewFile(3, name)) takes; the descriptor stays open for
// that).
func ActivationListeners() ([]*Listener, error) {
	socks, err := sysActivation()
	if err != nil {
		return nil, activateErr(nil, err)
	}
	var lns []*Listener
	for i := range socks {
		s := &socks[i]
		switch {
		case s.ln != nil:
			lns = append(lns, s.ln)
		case s.pc == nil:
			return nil, activateErr(s, s.kindErr("a listening stream or seqpacket socket"))
		}
	}
	if len(lns) == 0 {
		return nil, activateErr(nil, noneErr(socks, "listening", ""))
	}
	return lns, nil
}

// ActivationPacketConns returns the datagram sockets that the service
// manager passed to this process, in order, as [ActivationListeners] does
// for listening sockets: listening sockets are left for it, any other
// descriptor is an error, and no datagram socket at all is an error
// satisfying errors.Is(err, os.ErrNotExist). See ActivationListeners for
// the protocol and the errors.
func ActivationPacketConns() ([]*PacketConn, error) {
	socks, err := sysActivation()
	if err != nil {
		return nil, activateErr(nil, err)
	}
	var pcs []*PacketConn
	for i := range socks {
		s := &socks[i]
		switch {
		case s.pc != nil:
			pcs = append(pcs, s.pc)
		case s.ln == nil:
			return nil, activateErr(s, s.kindErr("a datagram socket"))
		}
	}
	if len(pcs) == 0 {
		return nil, activateErr(nil, noneErr(socks, "datagram", ""))
	}
	return pcs, nil
}

// ActivationListener returns the listening stream or message-mode socket
// that the service manager passed to this process under name (systemd's
// FileDescriptorName=, or the socket unit's name by default), so that a
// service can tell its sockets apart whatever their order, and may be
// passed sockets of other kinds and families as well. If no listening
// socket has that name, the error satisfies errors.Is(err,
// os.ErrNotExist); if a socket of that name is of another kind, the error
// says so; if several listening sockets share the name, which one is
// meant is ambiguous and the error wraps [syscall.EINVAL]: use
// [ActivationListeners] then. Every call for a name returns the same
// Listener. See ActivationListeners for the protocol and the errors.
func ActivationListener(name string) (*Listener, error) {
	s, err := activationByName(name, true)
	if err != nil {
		return nil, err
	}
	return s.ln, nil
}

// ActivationPacketConn returns the datagram socket that the service manager
// passed to this process under name, as [ActivationListener] does for
// listening sockets.
func ActivationPacketConn(name string) (*PacketConn, error) {
	s, err := activationByName(name, false)
	if err != nil {
		return nil, err
	}
	return s.pc, nil
}

// activated is one descriptor passed by the service manager.
type activated struct {
	fd   int
	name string      // from LISTEN_FDNAMES; "unknown" if none was given
	ln   *Listener   // a listening Unix domain stream or seqpacket socket
	pc   *PacketConn // a Unix domain datagram socket
	addr *Addr       // the socket's address, if it is a Unix domain socket
	what string      // what it is, for errors: "a TCP socket"
	err  error       // the errno for asking for it as what it is not
}

// activationByName finds the one listening (or datagram) socket named
// name.
func activationByName(name string, listener bool) (*activated, error) {
	socks, err := sysActivation()
	if err != nil {
		return nil, activateErr(nil, err)
	}
	kind, want := "datagram", "a datagram socket"
	if listener {
		kind, want = "listening", "a listening stream or seqpacket socket"
	}
	var found, other *activated
	for i := range socks {
		s := &socks[i]
		if s.name != name {
			continue
		}
		if listener && s.ln == nil || !listener && s.pc == nil {
			if other == nil {
				other = s
			}
			continue
		}
		if found != nil {
			all := "ActivationPacketConns"
			if listener {
				all = "ActivationListeners"
			}
			return nil, activateErr(found, &argError{"several " + kind + " sockets are named " + strconv.Quote(name) +
				" (descriptors " + strconv.Itoa(found.fd) + " and " + strconv.Itoa(s.fd) + "); take them all with " + all,
				syscall.EINVAL})
		}
		found = s
	}
	switch {
	case found != nil:
		return found, nil
	case other != nil:
		return nil, activateErr(other, other.kindErr(want))
	}
	return nil, activateErr(nil, noneErr(socks, kind, name))
}

// kindErr says that s is not what was wanted, and what to use instead.
func (s *activated) kindErr(want string) error {
	msg := s.describe() + ": " + s.what + ", not " + want
	switch {
	case s.ln != nil:
		msg += "; take it with ActivationListener or ActivationListeners"
	case s.pc != nil:
		msg += "; take it with ActivationPacketConn or ActivationPacketConns"
	}
	return &argError{msg, s.err}
}

// describe names the descriptor for an error message.
func (s *activated) describe() string {
	return "descriptor " + strconv.Itoa(s.fd) + " (named " + strconv.Quote(s.name) + ")"
}

// noneErr reports that no socket of the kind, or of the kind and name,
// was passed. It matches os.ErrNotExist.
func noneErr(socks []activated, kind, name string) error {
	var names []string
	for i := range socks {
		names = append(names, strconv.Quote(socks[i].name))
	}
	msg := "no " + kind + " socket"
	if name != "" {
		msg += " named " + strconv.Quote(name)
	}
	msg += " among the " + strconv.Itoa(len(socks)) + " passed"
	if len(names) > 0 {
		msg += " (named " + strings.Join(names, ", ") + ")"
	}
	return &argError{msg, syscall.ENOENT}
}

// activateErr wraps an activation error for s, or for the environment as a
// whole if s is nil.
func activateErr(s *activated, err error) error {
	e := &net.OpError{Op: "activate", Net: netUnix, Err: err}
	if s != nil && s.addr != nil && s.addr.Name != "" {
		e.Net, e.Addr = s.addr.Net, s.addr
	}
	return e
}
