// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

// This file keeps the API compiling on targets without local sockets: every
// call that would create one reports errors.ErrUnsupported.

package ipc

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"
)

const netUnix = "unix"

type sysListener struct{}

type sysConn struct{}

func sysResolve(name string) (string, error) { return "", errors.ErrUnsupported }

func sysListen(ctx context.Context, lc *ListenConfig, name string) (*Listener, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func sysDial(ctx context.Context, d *Dialer, name string) (*Conn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func (l *Listener) accept() (*Conn, error)                { return nil, errors.ErrUnsupported }
func (l *Listener) close() error                          { return errors.ErrUnsupported }
func (l *Listener) setDeadline(t time.Time) error         { return errors.ErrUnsupported }
func (l *Listener) syscallConn() (syscall.RawConn, error) { return nil, errors.ErrUnsupported }
func (c *Conn) shutdown(write bool) error                 { return errors.ErrUnsupported }
func (c *Conn) peerCred() (*Cred, error)                  { return nil, errors.ErrUnsupported }

func (c *Conn) recvMsg(b []byte, maxFiles int, from *string, cred **Cred) (int, []*os.File, bool, error) {
	return 0, nil, false, errors.ErrUnsupported
}
func (c *Conn) sendMsg(b []byte, files []*os.File, to sockaddr) (int, error) {
	return 0, errors.ErrUnsupported
}

type sockaddr = any

func (c *Conn) file() (*os.File, error) { return nil, errors.ErrUnsupported }

func (c *Conn) fileKeep(closed *atomic.Bool) (*os.File, error) { return nil, errors.ErrUnsupported }

func sysConnPair(message bool) (*Conn, *Conn, error) { return nil, nil, errors.ErrUnsupported }

var errMaxFiles = errors.New("maxFiles must not be negative")

func sysFileConn(f *os.File) (*Conn, error) { return nil, errors.ErrUnsupported }

const netUnixgram = "unixgram"

var errNoAddr = errors.New("no destination address")

func (c *Conn) removeBound() {}

func (c *Conn) sendTo(b []byte, addr any) (int, error) { return 0, errors.ErrUnsupported }

func sysListenPacket(ctx context.Context, lc *ListenConfig, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func sysDialPacket(ctx context.Context, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func (c *Conn) recvCred(b []byte, from *string) (int, *Cred, bool, error) {
	return 0, nil, false, errors.ErrUnsupported
}

func (c *Conn) close() error { return c.f.Close() }
func (c *Conn) setDeadline(t time.Time, read, write bool) error {
	return fileDeadline(c.f, t, read, write)
}
func (c *Conn) read(b []byte) (int, error)        { return c.f.Read(b) }
func (c *Conn) write(b []byte) (int, error)       { return c.f.Write(b) }
func (c *Conn) impersonate(fn func() error) error { return errors.ErrUnsupported }

// ---- signals (signal.go) ----

const maxPID = math.MaxInt32

func rtRange() (min, max int) { return 0, 0 }

func sysSignal(p *os.Process, sig os.Signal) (string, error) { return "", unsupportedSignal(sig) }

func sysSignalGroup(pgid int, sig os.Signal) (string, error) { return "", unsupportedSignal(sig) }

func sysNewProcessGroup(cmd *exec.Cmd) {}

func rtSignal(n int) os.Signal { return nil }

// checkWaitSignal leaves the choice to os/signal, except for Kill, which no
// platform lets a program catch.
func checkWaitSignal(sig os.Signal) error {
	if sig == os.Kill {
		return &argError{"ipc: signal " + sig.String() + " cannot be caught", syscall.EINVAL}
	}
	return nil
}

// ---- pipes and FIFOs (pipe.go, fifo.go) ----

const pipeCall = "pipe"

func sysPipe(pc *PipeConfig) (r, w *os.File, err error) {
	return nil, nil, os.NewSyscallError("pipe", errors.ErrUnsupported)
}

func sysPipeBufferSize(f *os.File) (int, error) { return 0, errors.ErrUnsupported }

func sysPassFile(cmd *exec.Cmd, f *os.File) (string, io.Closer, error) {
	return "", nil, errors.ErrUnsupported
}

func sysInheritedFile(token, name string) (*os.File, error) { return nil, errors.ErrUnsupported }

func sysMkfifo(path string, perm uint32) error { return errors.ErrUnsupported }

func sysOpenFifo(ctx context.Context, path string, flag int) (*os.File, error) {
	return nil, errors.ErrUnsupported
}

// ---- performance (issue 7) ----

func (c *Conn) setBufferSize(n int) error                 { return errors.ErrUnsupported }
func (c *Conn) bufferSizes() (send, recv int, err error)  { return 0, 0, errors.ErrUnsupported }
func (c *Conn) readFrom(r io.Reader) (int64, bool, error) { return 0, false, nil }
func (c *Conn) writeTo(w io.Writer) (int64, bool, error)  { return 0, false, nil }

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
