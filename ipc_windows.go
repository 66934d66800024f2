// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// This file implements the package on Windows: local sockets are named pipes.

package ipc

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

//sys	createNamedPipe(name *uint16, openMode uint32, pipeMode uint32, maxInstances uint32, outSize uint32, inSize uint32, defaultTimeout uint32, sa *syscall.SecurityAttributes) (h syscall.Handle, err error) [failretval==syscall.InvalidHandle] = kernel32.CreateNamedPipeW
//sys	connectNamedPipe(h syscall.Handle, o *syscall.Overlapped) (err error) = kernel32.ConnectNamedPipe
//sys	disconnectNamedPipe(h syscall.Handle) (err error) = kernel32.DisconnectNamedPipe
//sys	waitNamedPipe(name *uint16, timeout uint32) (err error) = kernel32.WaitNamedPipeW
//sys	setNamedPipeHandleState(h syscall.Handle, mode *uint32, maxCollection *uint32, timeout *uint32) (err error) = kernel32.SetNamedPipeHandleState
//sys	getNamedPipeInfo(h syscall.Handle, flags *uint32, outSize *uint32, inSize *uint32, maxInstances *uint32) (err error) = kernel32.GetNamedPipeInfo
//sys	getNamedPipeClientProcessId(h syscall.Handle, pid *uint32) (err error) = kernel32.GetNamedPipeClientProcessId
//sys	getNamedPipeServerProcessId(h syscall.Handle, pid *uint32) (err error) = kernel32.GetNamedPipeServerProcessId
//sys	peekNamedPipe(h syscall.Handle, buf *byte, size uint32, read *uint32, avail *uint32, left *uint32) (err error) = kernel32.PeekNamedPipe
//sys	createEvent(sa *syscall.SecurityAttributes, manualReset bool, initialState bool, name *uint16) (h syscall.Handle, err error) [failretval==0] = kernel32.CreateEventW
//sys	setEvent(h syscall.Handle) (err error) = kernel32.SetEvent
//sys	resetEvent(h syscall.Handle) (err error) = kernel32.ResetEvent
//sys	waitForMultipleObjects(count uint32, handles *syscall.Handle, waitAll bool, ms uint32) (event uint32, err error) [failretval==0xffffffff] = kernel32.WaitForMultipleObjects
//sys	generateConsoleCtrlEvent(event uint32, groupID uint32) (err error) = kernel32.GenerateConsoleCtrlEvent
//sys	impersonateNamedPipeClient(h syscall.Handle) (err error) = advapi32.ImpersonateNamedPipeClient
//sys	revertToSelf() (err error) = advapi32.RevertToSelf
//sys	openThreadToken(thread syscall.Handle, access uint32, openAsSelf bool, token *syscall.Token) (err error) = advapi32.OpenThreadToken
//sys	convertStringSecurityDescriptorToSecurityDescriptor(sddl *uint16, revision uint32, sd *uintptr, size *uint32) (err error) = advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW
//sys	convertSecurityDescriptorToStringSecurityDescriptor(sd uintptr, revision uint32, info uint32, sddl **uint16, size *uint32) (err error) = advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW
//sys	getSecurityInfo(h syscall.Handle, objectType uint32, info uint32, owner *uintptr, group *uintptr, dacl *uintptr, sacl *uintptr, sd *uintptr) (ret error) = advapi32.GetSecurityInfo

const netUnix = "pipe"

type sysListener struct{}

type sysConn struct{}

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

func sysConnPair(message bool) (*Conn, *Conn, error) { return nil, nil, errors.ErrUnsupported }

var errMaxFiles = errors.New("maxFiles must be at least 1")

func sysFileConn(f *os.File) (*Conn, error) { return nil, errors.ErrUnsupported }

const netUnixgram = "unixgram"

var errNoAddr = errors.New("no destination address")

func (c *Conn) removeBound() {}

func (c *Conn) sendTo(b []byte, name string) (int, error) { return 0, errors.ErrUnsupported }

func sysListenPacket(ctx context.Context, lc *ListenConfig, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func sysDialPacket(ctx context.Context, name string) (*PacketConn, *Addr, error) {
	return nil, nil, errors.ErrUnsupported
}

func (c *Conn) recvCred(b []byte, from *string) (int, *Cred, bool, error) {
	return 0, nil, false, errors.ErrUnsupported
}
