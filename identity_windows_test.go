// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["dial-anonymous"] = helperDialAnonymous
	helpers["dial-and-wait"] = helperDialAndWait
}

// helperDialAndWait dials args[0] with the default Dialer, writes one byte,
// prints "ok" and waits for its standard input to close.
func helperDialAndWait(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	if _, err := c.Write([]byte("x")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ok")
	waitStdin()
	return 0
}

// helperDialAnonymous opens pipe args[0] at the SECURITY_ANONYMOUS level, as
// go-winio's DialPipe does by default, writes one byte, prints "ok" and
// waits for its standard input to close.
func helperDialAnonymous(args []string) int {
	const securitySqosPresent, securityAnonymous = 0x00100000, 0
	p, _ := syscall.UTF16PtrFromString(args[0])
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil, syscall.OPEN_EXISTING, securitySqosPresent|securityAnonymous, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "CreateFile:", err)
		return 1
	}
	defer syscall.CloseHandle(h)
	var n uint32
	if err := syscall.WriteFile(h, []byte("x"), &n, nil); err != nil {
		fmt.Fprintln(os.Stderr, "WriteFile:", err)
		return 1
	}
	fmt.Println("ok")
	waitStdin()
	return 0
}

// acceptOne accepts one connection on ln and reads the byte the helpers
// write.
func acceptOne(t *testing.T, ln *ipc.Listener) *ipc.Conn {
	t.Helper()
	c, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPeerCredServerSide checks that the server end reports the client
// process's ID and, from the client's token, its user: a client in another
// process, dialed with the default identification level.
func TestPeerCredServerSide(t *testing.T) {
	name := uniqueName("ipc-cred")
	ln := listen(t, name)
	child, _ := startChild(t, helperCommand(t, "dial-and-wait", name))
	server := acceptOne(t, ln)
	cred, err := server.PeerCred()
	if err != nil {
		t.Fatal(err)
	}
	if cred.PID != child.cmd.Process.Pid || cred.SID != ownSID() || cred.UID != -1 || cred.GID != -1 {
		t.Errorf("PeerCred = %+v; want PID %d, SID %s, UID and GID -1", cred, child.cmd.Process.Pid, ownSID())
	}
	child.finish()
}

// TestPeerCredAnonymous checks that a client that dials anonymously, as
// go-winio does by default, is not given a SID looked up by its process ID:
// PeerCred fails with an error that matches os.ErrPermission.
func TestPeerCredAnonymous(t *testing.T) {
	skipOnWine(t, "wineserver's FSCTL_PIPE_IMPERSONATE gives the server a copy of its own token, whatever level the client asked for")
	name := uniqueName("ipc-anon")
	ln := listen(t, name)
	child, _ := startChild(t, helperCommand(t, "dial-anonymous", `\\.\pipe\`+name))
	server := acceptOne(t, ln)
	cred, err := server.PeerCred()
	wantErr(t, err, "peercred", os.ErrPermission)
	if cred != nil {
		t.Errorf("PeerCred returned %+v with its error", cred)
	}
	const errorCantOpenAnonymous = syscall.Errno(1347)
	if !errors.Is(err, errorCantOpenAnonymous) {
		t.Errorf("PeerCred error %v; want ERROR_CANT_OPEN_ANONYMOUS", err)
	}
	child.finish()
}

// TestServerSIDIsPipeOwner checks that ServerSID and the client's PeerCred
// read the owner of the pipe object, not the user of the serving process:
// a pipe this process creates with SYSTEM as its owner passes a check for
// SYSTEM and fails one for this process's own user. Creating it needs the
// right to assign that owner, which Wine grants and an unprivileged
// Windows user lacks (ERROR_INVALID_OWNER), which is the other half of the
// guarantee.
func TestServerSIDIsPipeOwner(t *testing.T) {
	const system = "S-1-5-18"
	name := uniqueName("ipc-owner")
	lc := ipc.ListenConfig{SecurityDescriptor: "O:SYD:P(A;;GA;;;SY)(A;;GA;;;" + ownSID() + ")"}
	ln, err := lc.Listen(context.Background(), name)
	const errorInvalidOwner = syscall.Errno(1307)
	if errors.Is(err, errorInvalidOwner) {
		return // not allowed to make another user the owner
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serveEcho(ln)
	d := ipc.Dialer{ServerSID: ownSID()}
	_, err = d.DialContext(context.Background(), name)
	wantErr(t, err, "dial", os.ErrPermission)
	if !strings.Contains(err.Error(), system) {
		t.Errorf("error %q does not name the owner %s", err, system)
	}
	d.ServerSID = strings.ToLower(system)
	c, err := d.DialContext(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cred, err := c.PeerCred()
	if err != nil {
		t.Fatal(err)
	}
	if cred.SID != system || cred.PID != os.Getpid() {
		t.Errorf("client PeerCred = %+v; want SID %s (the owner), PID %d", cred, system, os.Getpid())
	}
}

// TestSecurityDescriptorCreateInstance checks that Listen refuses a DACL
// that lets other users create instances of the pipe, and accepts one that
// grants read and write with an explicit mask.
func TestSecurityDescriptorCreateInstance(t *testing.T) {
	refused := []struct{ sddl, who string }{
		{"D:P(A;;GA;;;SY)(A;;GRGW;;;BU)", "S-1-5-32-545"}, // GENERIC_WRITE
		{"D:P(A;;GA;;;SY)(A;;GA;;;WD)", "S-1-1-0"},        // GENERIC_ALL
		{"D:P(A;;FW;;;AU)", "S-1-5-11"},                   // FILE_GENERIC_WRITE
		{"D:P(A;;0x4;;;BU)", "S-1-5-32-545"},              // FILE_CREATE_PIPE_INSTANCE alone
		{"D:P(A;;WD;;;BU)", "S-1-5-32-545"},               // WRITE_DAC
		{"D:(A;;0x2000000;;;BU)", "S-1-5-32-545"},         // MAXIMUM_ALLOWED
	}
	for _, c := range refused {
		name := uniqueName("ipc-sdci")
		lc := ipc.ListenConfig{SecurityDescriptor: c.sddl}
		ln, err := lc.Listen(context.Background(), name)
		if err == nil {
			ln.Close()
			t.Errorf("Listen with %q succeeded; want it refused", c.sddl)
			continue
		}
		wantErr(t, err, "listen", syscall.EINVAL)
		if !strings.Contains(err.Error(), c.who) || !strings.Contains(err.Error(), "FILE_CREATE_PIPE_INSTANCE") {
			t.Errorf("Listen with %q: error %q does not name %s and the right", c.sddl, err, c.who)
		}
		_, err = ipc.Dial(name)
		wantErr(t, err, "dial", os.ErrNotExist) // nothing was created
	}
	accepted := []string{
		"D:P(A;;GA;;;SY)(A;;GA;;;OW)(A;;0x12019b;;;BU)", // the documented example
		"D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;FR;;;WD)",
		"D:P(A;;FA;;;" + ownSID() + ")(A;OICIIO;GA;;;BU)", // inherit-only: does not apply to the pipe
		"O:" + ownSID() + "G:SY",                          // no DACL: the default one
	}
	for _, sddl := range accepted {
		name := uniqueName("ipc-sdok")
		lc := ipc.ListenConfig{SecurityDescriptor: sddl}
		ln, err := lc.Listen(context.Background(), name)
		if err != nil {
			t.Errorf("Listen with %q: %v", sddl, err)
			continue
		}
		c, err := ipc.Dial(name)
		if err != nil {
			t.Errorf("Dial with %q: %v", sddl, err)
		} else {
			c.Close()
		}
		ln.Close()
	}
	// The example's mask is read and write without FILE_APPEND_DATA.
	const fileGenericRead, fileGenericWrite, fileAppendData = 0x120089, 0x120116, 0x4
	if got := strconv.FormatInt((fileGenericRead|fileGenericWrite)&^fileAppendData, 16); got != "12019b" {
		t.Errorf("mask = %s", got)
	}
}
