// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"bufio"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// TestWindowsDial: ipccat.exe dials a pipe served by the package, named in
// npiperelay's //./pipe/ spelling, and relays stdio both ways. Pipes have
// no half close, so ipccat reads until the server closes.
func TestWindowsDial(t *testing.T) {
	name := uniqueName("windial")
	ln, err := ipc.Listen(`\\.\pipe\` + name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		io.WriteString(c, "reply\n")
		got <- line
	}()
	cmd := ipccat(t, "//./pipe/"+name)
	cmd.Stdin = strings.NewReader("hello\n")
	out, _ := start(t, cmd).mustExit(0)
	if out != "reply\n" {
		t.Errorf("ipccat printed %q", out)
	}
	if line := <-got; line != "hello\n" {
		t.Errorf("the server got %q", line)
	}
}

// TestWindowsListen: ipccat.exe -l serves a client of the package both
// ways, and shows its peer's credentials.
func TestWindowsListen(t *testing.T) {
	name := uniqueName("winlisten")
	srv := start(t, ipccat(t, "-v", "--peer", "-l", name))
	if addr := srv.listening(); addr != `\\.\pipe\`+name {
		t.Errorf("listening on %q", addr)
	}
	io.WriteString(srv.stdin, "from stdin\n")
	srv.stdin.Close()
	c, err := ipc.Dial(name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "from the client\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	if line != "from stdin\n" {
		t.Errorf("the client got %q (%v)", line, err)
	}
	c.Close()
	out, errs := srv.mustExit(0)
	if out != "from the client\n" {
		t.Errorf("ipccat printed %q", out)
	}
	if !strings.Contains(errs, "ipccat: peer pid ") || !strings.Contains(errs, " sid S-1-") {
		t.Errorf("--peer printed no credentials with a SID:\n%s", errs)
	}
}

// TestWindowsLs: ipccat ls lists a pipe the package serves.
func TestWindowsLs(t *testing.T) {
	name := uniqueName("winls")
	ln, err := ipc.Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if isWine() {
		// Wine's named pipe file system cannot be enumerated (FindFirstFile
		// fails with ERROR_BAD_DEV_TYPE), so ls must say so in one line.
		_, errs := start(t, ipccat(t, "ls")).mustExit(1)
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "FindFirstFile") {
			t.Errorf("ls under Wine: stderr %q, want one line naming FindFirstFile", errs)
		}
		return
	}
	out, _ := start(t, ipccat(t, "ls")).mustExit(0)
	if !strings.Contains(out, `\\.\pipe\`+name+"\n") && !strings.Contains(out, `\\.\pipe\`+name+"\r\n") {
		t.Errorf("ls does not list %s:\n%s", name, out)
	}
}

// isWine reports whether the tests run under Wine, which it tells by
// ntdll.dll exporting wine_get_version.
var isWine = sync.OnceValue(func() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})

// TestWindowsWait: with -w, ipccat.exe started before the pipe exists
// keeps dialing until it does, as npiperelay's -ep does.
func TestWindowsWait(t *testing.T) {
	name := uniqueName("winwait")
	cmd := ipccat(t, "-w", "60s", "//./pipe/"+name)
	cmd.Stdin = strings.NewReader("waited\n")
	p := start(t, cmd)
	ln, err := ipc.Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(c).ReadString('\n')
	c.Close()
	if line != "waited\n" {
		t.Errorf("the server got %q", line)
	}
	p.mustExit(0)
}
