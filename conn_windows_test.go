// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func transports(t testing.TB) []transport {
	bare := func(testing.TB) string { return uniqueName("ipc-test") }
	return []transport{
		{name: "bare", newName: bare},
		{name: "pipe-path", newName: func(testing.TB) string { return `\\.\pipe\` + uniqueName("ipc-test") }},
		{name: "message", newName: bare, message: true},
	}
}

// ownCred is what PeerCred reports for a peer of this user, less the PID.
func ownCred() ipc.Cred {
	return ipc.Cred{UID: -1, GID: -1, SID: ownSID()}
}

// ownSID returns the SID of the user the test runs as.
func ownSID() string {
	tok, err := syscall.OpenCurrentProcessToken()
	if err != nil {
		panic(err)
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		panic(err)
	}
	s, err := u.User.Sid.String()
	if err != nil {
		panic(err)
	}
	return s
}
