// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package ipc_test

import (
	"errors"
	"io"
	"net"
	"os"
)

// pinProcess: the benchmarks pin processes on Linux only.
func pinProcess(cpu int) (restore func(), err error) { return nil, errors.ErrUnsupported }

// setPipeSize: not used here (relayPipeSizes has only the default).
func setPipeSize(f *os.File, n int) error { return errors.ErrUnsupported }

// relayPeerIO feeds and drains the relay with plain copies: it writes
// total bytes to the pipe or the socket (the source of the relay) and
// counts what comes out of the other (its destination).
func relayPeerIO(c net.Conn, pipe *os.File, dir string, total int64) (int64, error) {
	var src io.Reader = c
	var dst io.WriteCloser = pipe
	if dir == "socket-to-pipe" {
		src, dst = pipe, c
	}
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 1<<20)
		var err error
		for left := total; left > 0 && err == nil; left -= int64(len(buf)) {
			_, err = dst.Write(buf[:min(left, int64(len(buf)))])
		}
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		} else {
			dst.Close()
		}
		errc <- err
	}()
	n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{src}, make([]byte, 1<<20))
	if err == nil {
		err = <-errc
	}
	return n, err
}
