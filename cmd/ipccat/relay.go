// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ipcgo/ipc"
)

// endpoint is an open side of a relay.
type endpoint struct {
	name string
	r    io.Reader // nil for a write-only side
	w    io.Writer // nil for a read-only side
	conn *ipc.Conn // a local socket connection, else nil
	msg  bool      // conn is in message mode
	exec bool      // a command's pipes

	// closeWrite ends the data going into the side (nil: it cannot be
	// ended alone); it returns errNoHalfClose where the transport has no
	// half close.
	closeWrite func() error
	close      func() error
	wait       func() error // exec: waits for the command; else nil
}

// shut closes the endpoint.
func (e *endpoint) shut() {
	if e.close != nil {
		e.close()
	}
}

// finish closes the endpoint and, for a command, waits for it.
func (e *endpoint) finish() error {
	e.shut()
	if e.wait != nil {
		return e.wait()
	}
	return nil
}

// stdio: standard input and output, on the poller where the OS lets the
// relay splice through them.
var (
	stdioOnce      sync.Once
	stdin, stdout  *os.File
	stdoutClosed   atomic.Bool
	restoreStdioFn func()
)

func stdioFiles() (*os.File, *os.File) {
	stdioOnce.Do(func() { stdin, stdout, restoreStdioFn = pollableStdio() })
	return stdin, stdout
}

// restoreStdio undoes what pollableStdio changed in the file status of
// standard input and output, which other processes may share.
func restoreStdio() {
	stdioFiles()
	if restoreStdioFn != nil {
		restoreStdioFn()
	}
}

// stdioEndpoint is standard input and output. With a shared pump
// (listening with -k) it reads standard input through the pump and
// never closes standard output, which the next connection needs.
func stdioEndpoint(shared *stdinPump) *endpoint {
	in, out := stdioFiles()
	e := &endpoint{name: "-", r: in, w: out}
	if shared != nil {
		e.r = shared.reader()
		return e
	}
	e.closeWrite = func() error {
		if stdoutClosed.Swap(true) {
			return nil
		}
		return out.Close()
	}
	return e
}

// stdinPump reads standard input for connections served one after another,
// so that a connection that ends does not take the data read for it.
type stdinPump struct {
	ch      chan []byte
	err     error // why ch was closed
	pending []byte
}

func startStdinPump() *stdinPump {
	p := &stdinPump{ch: make(chan []byte)}
	in, _ := stdioFiles()
	go func() {
		for {
			buf := make([]byte, 32<<10)
			n, err := in.Read(buf)
			if n > 0 {
				p.ch <- buf[:n]
			}
			if err != nil {
				if err != io.EOF {
					p.err = err
				}
				close(p.ch)
				return
			}
		}
	}()
	return p
}

// pumpReader reads from the pump until stop is closed.
type pumpReader struct {
	p    *stdinPump
	stop chan struct{}
}

var errStopped = errors.New("stopped")

func isPump(r io.Reader) bool {
	_, ok := r.(*pumpReader)
	return ok
}

func (p *stdinPump) reader() *pumpReader { return &pumpReader{p: p, stop: make(chan struct{})} }

func (r *pumpReader) Read(b []byte) (int, error) {
	p := r.p
	if len(p.pending) == 0 {
		select {
		case chunk, ok := <-p.ch:
			if !ok {
				if p.err != nil {
					return 0, p.err
				}
				return 0, io.EOF
			}
			p.pending = chunk
		case <-r.stop:
			return 0, errStopped
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// maxMsg is the largest message relayed in message mode.
const maxMsg = 1 << 20

// pump copies everything from src to dst, translating between messages
// and lines or length-prefixed frames where one side keeps message
// boundaries and the other does not. It returns the bytes copied.
func pump(dst, src *endpoint, lengthPrefix bool) (int64, error) {
	switch {
	case src.msg && dst.msg:
		return copyMsgs(dst.conn, src.conn, nil)
	case src.msg:
		return copyMsgs(nil, src.conn, func(m []byte) error { return writeFrame(dst.w, m, lengthPrefix) })
	case dst.msg:
		return framesToMsgs(dst.conn, src.r, lengthPrefix)
	}
	// The package's ReadFrom and WriteTo splice where they can.
	if c, ok := dst.w.(*ipc.Conn); ok {
		return c.ReadFrom(src.r)
	}
	if c, ok := src.r.(*ipc.Conn); ok {
		return c.WriteTo(dst.w)
	}
	return io.Copy(dst.w, src.r)
}

// copyMsgs reads messages from src until its end and writes each to dst,
// or hands it to out.
func copyMsgs(dst, src *ipc.Conn, out func([]byte) error) (int64, error) {
	buf := make([]byte, maxMsg)
	var total int64
	for {
		n, trunc, err := src.ReadMsg(buf)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		m := buf[:n]
		if trunc {
			if runtime.GOOS != "windows" {
				return total, fmt.Errorf("a message longer than %d bytes was truncated", maxMsg)
			}
			// A Windows pipe returns the rest of the message next.
			m = append([]byte(nil), m...)
			for trunc {
				n, trunc, err = src.ReadMsg(buf)
				if err != nil {
					return total, err
				}
				m = append(m, buf[:n]...)
			}
		}
		if dst != nil {
			_, err = dst.WriteMsg(m)
		} else {
			err = out(m)
		}
		if err != nil {
			return total, err
		}
		total += int64(len(m))
	}
}

// writeFrame writes a message to a stream: a line, or a 4-byte big-endian
// length and the message.
func writeFrame(w io.Writer, m []byte, lengthPrefix bool) error {
	var b []byte
	if lengthPrefix {
		b = binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(m)), uint32(len(m)))
		b = append(b, m...)
	} else {
		b = append(append(make([]byte, 0, len(m)+1), m...), '\n')
	}
	_, err := w.Write(b)
	return err
}

// framesToMsgs reads lines, or length-prefixed frames, from r and sends
// each as a message. A last line without a newline is a message too.
func framesToMsgs(c *ipc.Conn, r io.Reader, lengthPrefix bool) (int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var total int64
	for {
		var m []byte
		var err error
		if lengthPrefix {
			var hdr [4]byte
			if _, err = io.ReadFull(br, hdr[:]); err == io.EOF {
				return total, nil
			} else if err != nil {
				return total, fmt.Errorf("reading a length prefix: %w", err)
			}
			size := binary.BigEndian.Uint32(hdr[:])
			if size > maxMsg {
				return total, fmt.Errorf("a length prefix of %d bytes is over the limit of %d", size, maxMsg)
			}
			m = make([]byte, size)
			if _, err = io.ReadFull(br, m); err != nil {
				return total, fmt.Errorf("reading a message of %d bytes: %w", size, noEOF(err))
			}
		} else {
			m, err = br.ReadBytes('\n')
			if err != nil && err != io.EOF {
				return total, err
			}
			if err == io.EOF && len(m) == 0 {
				return total, nil
			}
			if len(m) > 0 && m[len(m)-1] == '\n' {
				m = m[:len(m)-1]
			}
		}
		if _, werr := c.WriteMsg(m); werr != nil {
			return total, werr
		}
		total += int64(len(m))
		if err == io.EOF {
			return total, nil
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// brokenPipe reports whether a write failed because the reader went away.
func brokenPipe(err error) bool {
	return isBroken(err) || isWindowsBrokenPipe(err)
}

// closedErr reports an error from using something the relay closed.
func closedErr(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrClosed) || err == errStopped
}

// relay copies between a and b both ways until both directions have ended
// (the first, under -c), then closes both. With serial set (connections
// served one after another with stdio), the connection a ending its data
// ends the relay. It returns the first error, or ctx's cause.
func relay(ctx context.Context, a, b *endpoint, o *options, serial bool) (err error) {
	type result struct {
		dir int
		n   int64
		err error
	}
	results := make(chan result, 2)
	var eof [2]atomic.Bool
	running := 0
	var live [2]bool      // the direction's goroutine has not reported
	var fromStdin [2]bool // the direction reads standard input itself
	start := func(dir int, dst, src *endpoint) {
		running++
		live[dir] = true
		fromStdin[dir] = src.name == "-" && !isPump(src.r)
		go func() {
			n, err := pump(dst, src, o.lengthPrefix)
			switch {
			case err == nil:
				eof[dir].Store(true)
				if !o.closeOnEOF && dst.closeWrite != nil {
					if cerr := dst.closeWrite(); cerr != nil && cerr != errNoHalfClose && !closedErr(cerr) {
						err = fmt.Errorf("%s: %w", dst.name, cerr)
					}
				}
			case brokenPipe(err) && (dst.exec || eof[1-dir].Load()):
				// The command stopped reading, or the peer, having
				// ended its data, closed: nothing more is wanted.
				err = nil
			}
			results <- result{dir, n, err}
		}()
	}
	// Direction 0 is a to b, direction 1 b to a. A side that gets no data
	// is told so at once.
	if a.r != nil && b.w != nil {
		start(0, b, a)
	} else if b.closeWrite != nil {
		b.closeWrite()
	}
	if b.r != nil && a.w != nil {
		start(1, a, b)
	} else if a.closeWrite != nil {
		a.closeWrite()
	}

	closing := false
	closeBoth := func() {
		if closing {
			return
		}
		closing = true
		if pr, ok := b.r.(*pumpReader); ok {
			close(pr.stop)
		}
		a.shut()
		b.shut()
	}
	var sent [2]int64
	for running > 0 {
		select {
		case r := <-results:
			running--
			live[r.dir] = false
			sent[r.dir] = r.n
			if r.err != nil && !(closing && closedErr(r.err)) && !errors.Is(r.err, errStopped) {
				if err == nil {
					err = r.err
				}
				closeBoth()
			}
			if o.closeOnEOF || (serial && r.dir == 0) {
				closeBoth()
			}
		case <-ctx.Done():
			closeBoth()
			return context.Cause(ctx)
		}
		// Once closing, a read of standard input is all that may be left:
		// nothing can interrupt it on a terminal, and its data has nowhere
		// to go, so it is not waited for.
		if closing && running == 1 && (live[0] && fromStdin[0] || live[1] && fromStdin[1]) {
			break
		}
	}
	o.logf("%s: closed; %d bytes from it, %d to it", a.name, sent[0], sent[1])
	return err
}

// connected reports a new connection under -v and --peer.
func connected(e *endpoint, o *options, how string) {
	if !o.verbose && !o.peer {
		return
	}
	var cred *ipc.Cred
	var cerr error
	if e.conn != nil {
		cred, cerr = e.conn.PeerCred()
	}
	if o.verbose {
		if cred != nil {
			o.logf("%s %s (%s)", how, e.name, credString(cred))
		} else {
			o.logf("%s %s", how, e.name)
		}
	}
	if o.peer {
		switch {
		case cred != nil:
			fmt.Fprintf(os.Stderr, "ipccat: peer %s\n", credString(cred))
		case cerr != nil:
			fmt.Fprintf(os.Stderr, "ipccat: peer: %v\n", cerr)
		default:
			fmt.Fprintf(os.Stderr, "ipccat: peer %s: no credentials\n", e.name)
		}
	}
}

// run carries out a relay plan.
func (p *plan) run(ctx context.Context, o *options) error {
	if !p.a1.listens() {
		a, err := open(ctx, p.a1, o, nil, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", p.a1, err)
		}
		connected(a, o, "connected to")
		return serve(ctx, a, p.a2, o, nil)
	}
	ln, err := openListener(ctx, p.a1, o)
	if err != nil {
		return fmt.Errorf("%s: %w", p.a1, err)
	}
	var closeOnce sync.Once
	closeLn := func() { closeOnce.Do(func() { ln.close() }) }
	defer closeLn()
	stopClose := context.AfterFunc(ctx, closeLn)
	defer stopClose()
	o.logf("listening on %s", ln.addr)

	if !o.keep {
		a, err := ln.accept()
		closeLn()
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("%s: %w", p.a1, err)
		}
		connected(a, o, "connection from")
		return serve(ctx, a, p.a2, o, nil)
	}

	var shared *stdinPump
	if p.a2.kind == addrStdio {
		shared = startStdinPump()
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		a, err := ln.accept()
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("%s: %w", p.a1, err)
		}
		connected(a, o, "connection from")
		if shared != nil {
			if err := serve(ctx, a, p.a2, o, shared); err != nil && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "ipccat: %s: %v\n", a.name, err)
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serve(ctx, a, p.a2, o, nil); err != nil && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "ipccat: %s: %v\n", a.name, err)
			}
		}()
	}
}

// serve opens the second address for the open first side a and relays
// between them.
func serve(ctx context.Context, a *endpoint, addr2 *address, o *options, shared *stdinPump) error {
	b, err := open(ctx, addr2, o, a, shared)
	if err != nil {
		a.finish()
		return fmt.Errorf("%s: %w", addr2, err)
	}
	err = relay(ctx, a, b, o, shared != nil)
	a.finish()
	if werr := b.finish(); err == nil && ctx.Err() == nil {
		err = werr
	}
	return err
}
