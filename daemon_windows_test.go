// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"errors"
	"net"
	"os"
	"testing"

	"github.com/ipcgo/ipc"
)

// TestDaemonsUnsupported checks that socket activation, listener handoff
// and process handles report errors.ErrUnsupported on Windows, as
// documented, with the usual error types.
func TestDaemonsUnsupported(t *testing.T) {
	unsupported := func(what string, err error) {
		t.Helper()
		var oe *net.OpError
		if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &oe) {
			t.Errorf("%s = %v; want a *net.OpError matching errors.ErrUnsupported", what, err)
		}
	}
	_, err := ipc.ActivationListeners()
	unsupported("ActivationListeners", err)
	_, err = ipc.ActivationListener("x")
	unsupported("ActivationListener", err)
	_, err = ipc.ActivationPacketConns()
	unsupported("ActivationPacketConns", err)
	_, err = ipc.ActivationPacketConn("x")
	unsupported("ActivationPacketConn", err)

	ln := listen(t, uniqueName("daemons"))
	_, err = ln.File()
	unsupported("Listener.File", err)
	ln.SetUnlinkOnClose(true) // does nothing: pipes have no files

	f, err := os.CreateTemp(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ipc.FileListener(f)
	unsupported("FileListener", err)
	_, err = ipc.FilePacketConn(f)
	unsupported("FilePacketConn", err)

	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	_, err = a.PeerProcess()
	unsupported("PeerProcess", err)
	go b.Write([]byte("x"))
	_, _, _, err = a.RecvProcess(make([]byte, 1))
	unsupported("RecvProcess", err)
}
