// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ipcgo/ipc"
)

// An addrKind is the type of an address.
type addrKind int

const (
	addrStdio addrKind = iota
	addrDial
	addrListen
	addrTCP
	addrTCPListen
	addrExec
	addrFifo
	addrFile
)

// address is one side of a relay, as the command line gives it.
type address struct {
	kind addrKind
	arg  string   // the name, host:port or path
	argv []string // exec: the command and its arguments

	swapped             bool // moved from first to second place (see plan)
	readOnly, writeOnly bool // fifo: and file:
}

func (a *address) listens() bool { return a.kind == addrListen || a.kind == addrTCPListen }

// String shows the address as the command line would give it.
func (a *address) String() string {
	switch a.kind {
	case addrStdio:
		return "-"
	case addrDial:
		return a.arg
	case addrListen:
		return "listen:" + a.arg
	case addrTCP:
		return "tcp:" + a.arg
	case addrTCPListen:
		return "tcp-listen:" + a.arg
	case addrExec:
		return "exec:" + strings.Join(a.argv, " ")
	case addrFifo:
		return "fifo:" + a.arg
	case addrFile:
		return "file:" + a.arg
	}
	return "?"
}

// parseAddress parses one address of the two-address form.
func parseAddress(s string) (*address, error) {
	if s == "-" {
		return &address{kind: addrStdio}, nil
	}
	typ, rest, ok := strings.Cut(s, ":")
	if !ok || !isAddrType(typ) {
		return &address{kind: addrDial, arg: s}, nil
	}
	if rest == "" {
		return nil, usagef("address %q: missing what follows %s:", s, typ)
	}
	switch strings.ToLower(typ) {
	case "dial":
		return &address{kind: addrDial, arg: rest}, nil
	case "listen":
		return &address{kind: addrListen, arg: rest}, nil
	case "tcp":
		if _, _, err := net.SplitHostPort(rest); err != nil {
			return nil, usagef("address %q: want tcp:HOST:PORT", s)
		}
		return &address{kind: addrTCP, arg: rest}, nil
	case "tcp-listen":
		if !strings.Contains(rest, ":") {
			rest = "127.0.0.1:" + rest
		}
		if _, _, err := net.SplitHostPort(rest); err != nil {
			return nil, usagef("address %q: want tcp-listen:[HOST:]PORT", s)
		}
		return &address{kind: addrTCPListen, arg: rest}, nil
	case "exec":
		argv, err := splitWords(rest)
		if err != nil {
			return nil, usagef("address %q: %v", s, err)
		}
		if len(argv) == 0 {
			return nil, usagef("address %q: missing the command", s)
		}
		return &address{kind: addrExec, argv: argv}, nil
	case "fifo":
		return &address{kind: addrFifo, arg: rest}, nil
	case "file":
		return &address{kind: addrFile, arg: rest}, nil
	}
	return nil, usagef("unknown address type %q in %q (want -, NAME, dial:, listen:, tcp:, tcp-listen:, exec:, fifo: or file:)", typ, s)
}

// isAddrType reports whether the text before a colon names an address
// type, known or not: a word of two or more letters, digits and dashes.
// Paths (which hold a separator) and Windows drive letters do not.
func isAddrType(t string) bool {
	if len(t) < 2 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// splitWords splits a command line into words at spaces and tabs. Single
// quotes keep everything up to the next single quote; double quotes keep
// everything but a backslash before " or \, which escapes it; outside
// quotes a backslash escapes the next character.
func splitWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated '")
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`unterminated "`)
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// listener accepts connections for a listening address.
type listener struct {
	accept func() (*endpoint, error)
	close  func() error
	addr   string // what it listens on, resolved
}

// openListener starts listening on a listening address.
func openListener(ctx context.Context, a *address, o *options) (*listener, error) {
	switch a.kind {
	case addrListen:
		lc := ipc.ListenConfig{
			Mode: o.mode, Reclaim: o.reclaim, SecurityDescriptor: o.sddl,
			Message: o.message, LowLatency: o.lowLatency,
		}
		ln, err := lc.Listen(ctx, a.arg)
		if err != nil {
			return nil, err
		}
		return &listener{
			accept: func() (*endpoint, error) {
				c, err := ln.AcceptConn()
				if err != nil {
					return nil, err
				}
				return connEndpoint(c, o), nil
			},
			close: ln.Close,
			addr:  ln.Addr().String(),
		}, nil
	case addrTCPListen:
		var lc net.ListenConfig
		ln, err := lc.Listen(ctx, "tcp", a.arg)
		if err != nil {
			return nil, err
		}
		return &listener{
			accept: func() (*endpoint, error) {
				c, err := ln.Accept()
				if err != nil {
					return nil, err
				}
				return netEndpoint(c, "tcp:"+c.RemoteAddr().String()), nil
			},
			close: ln.Close,
			addr:  ln.Addr().String(),
		}, nil
	}
	panic("openListener: not a listening address")
}

// open opens an address that does not listen. peer, if not nil, is the
// connection on the other side, whose credentials an exec: command gets.
func open(ctx context.Context, a *address, o *options, peer *endpoint, shared *stdinPump) (*endpoint, error) {
	switch a.kind {
	case addrStdio:
		return stdioEndpoint(shared), nil
	case addrDial:
		c, err := dial(ctx, a.arg, o)
		if err != nil {
			return nil, err
		}
		return connEndpoint(c, o), nil
	case addrTCP:
		d := net.Dialer{Timeout: o.timeout}
		c, err := d.DialContext(ctx, "tcp", a.arg)
		if err != nil {
			return nil, err
		}
		return netEndpoint(c, "tcp:"+a.arg), nil
	case addrExec:
		return startExec(ctx, a.argv, peer)
	case addrFifo:
		return openFifo(ctx, a, o)
	case addrFile:
		var f *os.File
		var err error
		if a.readOnly {
			f, err = os.Open(a.arg)
		} else {
			f, err = os.OpenFile(a.arg, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		}
		if err != nil {
			return nil, err
		}
		return fileEndpoint(f, a), nil
	}
	panic("open: a listening address")
}

// dial dials a name, retrying under -w until the name exists.
func dial(ctx context.Context, name string, o *options) (*ipc.Conn, error) {
	d := ipc.Dialer{Timeout: o.timeout, Message: o.message, LowLatency: o.lowLatency}
	if o.wait <= 0 {
		return d.DialContext(ctx, name)
	}
	deadline := time.Now().Add(o.wait)
	pause := 5 * time.Millisecond
	for {
		c, err := d.DialContext(ctx, name)
		if err == nil || !(errors.Is(err, os.ErrNotExist) || isRefused(err)) {
			return c, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("%w (waited %v)", err, o.wait)
		}
		t := time.NewTimer(min(pause, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// openFifo opens a FIFO, for reading when it is the first address, with
// OpenFifo's wait for a writer where the OS has it, and otherwise for
// writing, waiting for a reader for up to -t.
func openFifo(ctx context.Context, a *address, o *options) (*endpoint, error) {
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	var f *os.File
	var err error
	if a.readOnly {
		f, err = ipc.OpenFifo(ctx, a.arg, os.O_RDONLY|ipc.WaitForWriter)
		if errors.Is(err, errors.ErrUnsupported) {
			f, err = ipc.OpenFifo(ctx, a.arg, os.O_RDONLY)
		}
	} else {
		f, err = ipc.OpenFifo(ctx, a.arg, os.O_WRONLY)
	}
	if err != nil {
		return nil, err
	}
	return fileEndpoint(f, a), nil
}

func fileEndpoint(f *os.File, a *address) *endpoint {
	e := &endpoint{name: a.String(), close: f.Close}
	if a.readOnly {
		e.r = f
	} else {
		e.w = f
		e.closeWrite = f.Close
	}
	return e
}

// connEndpoint wraps a local socket connection.
func connEndpoint(c *ipc.Conn, o *options) *endpoint {
	name := c.RemoteAddr().String()
	if name == "" || name == "@" {
		name = c.LocalAddr().String()
	}
	e := &endpoint{name: name, r: c, w: c, conn: c, msg: o.message, close: c.Close}
	e.closeWrite = func() error {
		err := c.CloseWrite()
		if errors.Is(err, errors.ErrUnsupported) {
			return errNoHalfClose
		}
		return err
	}
	return e
}

// errNoHalfClose is what closeWrite reports for a transport without a half
// close: the relay then waits for the peer to close.
var errNoHalfClose = errors.New("no half close")

// netEndpoint wraps a TCP connection.
func netEndpoint(c net.Conn, name string) *endpoint {
	e := &endpoint{name: name, r: c, w: c, close: c.Close}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		e.closeWrite = cw.CloseWrite
	}
	return e
}

// startExec starts a command with its standard input and output on pipes
// to the relay, and the peer's credentials in its environment.
func startExec(ctx context.Context, argv []string, peer *endpoint) (*endpoint, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = os.Environ()
	if peer != nil && peer.conn != nil {
		if cred, err := peer.conn.PeerCred(); err == nil {
			cmd.Env = append(cmd.Env, credEnv(cred)...)
		}
	}
	// os.Pipe's ends are on the poller in this process (so the relay can
	// splice through them) and are put back in blocking mode when handed
	// to the command, which expects that of its standard input and output.
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, os.Stderr
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	e := &endpoint{name: "exec:" + strings.Join(argv, " "), r: outR, w: inW, exec: true}
	e.closeWrite = inW.Close
	e.close = func() error {
		inW.Close()
		outR.Close()
		return nil
	}
	e.wait = func() error {
		defer stop()
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("%s: %w", cmd.Path, err)
		}
		return nil
	}
	return e, nil
}

// credEnv gives the environment variables that tell a command its peer.
func credEnv(c *ipc.Cred) []string {
	var env []string
	if c.PID >= 0 {
		env = append(env, fmt.Sprintf("IPC_PEER_PID=%d", c.PID))
	}
	if c.UID >= 0 {
		env = append(env, fmt.Sprintf("IPC_PEER_UID=%d", c.UID))
	}
	if c.GID >= 0 {
		env = append(env, fmt.Sprintf("IPC_PEER_GID=%d", c.GID))
	}
	if c.SID != "" {
		env = append(env, "IPC_PEER_SID="+c.SID)
	}
	return env
}

// credString shows credentials for --peer and -v.
func credString(c *ipc.Cred) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pid %d", c.PID)
	if c.UID >= 0 {
		fmt.Fprintf(&b, " uid %d gid %d", c.UID, c.GID)
	}
	if c.SID != "" {
		fmt.Fprintf(&b, " sid %s", c.SID)
	}
	return b.String()
}
