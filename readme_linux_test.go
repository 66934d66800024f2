// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["read-all"] = helperReadAll
}

// helperReadAll dials args[0] and prints, quoted, everything the server
// sends before it closes the connection.
func helperReadAll(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Printf("%q\n", b)
	return 0
}

// readmeDaemon returns the Go program of the README's Daemons section.
func readmeDaemon(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Daemons\n")
	if !ok {
		t.Fatal("README.md has no Daemons section")
	}
	_, code, ok := strings.Cut(section, "\n```go\n")
	if !ok {
		t.Fatal("the Daemons section has no Go code")
	}
	code, _, ok = strings.Cut(code, "\n```\n")
	if !ok {
		t.Fatal("the Daemons section's Go code does not end")
	}
	return code + "\n"
}

// TestReadmeDaemon builds the socket-activated server of the README's
// Daemons section exactly as written, runs it under
// systemd-socket-activate as its systemd units would, and checks that it
// greets a client in its group and no one else: a client of another user
// with the group among its supplementary groups, the same user without
// it, and this process.
func TestReadmeDaemon(t *testing.T) {
	code := readmeDaemon(t)
	if n := strings.Count(code, "\n"); n >= 30 {
		t.Errorf("the README's daemon is %d lines; it should stay under 30", n)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building the README's code needs the go command: %v", err)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // other users' clients reach the socket
	gomod := "module hellod\n\ngo 1.25\n\nrequire github.com/ipcgo/ipc v0.0.0\n\nreplace github.com/ipcgo/ipc => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command(goTool, "build", "-o", "hellod", ".")
	build.Dir = dir
	// GOARCH and the rest come from the environment, so under an emulator
	// the program is built for the emulated CPU.
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the README's daemon: %v\n%s\n%s", err, out, code)
	}
	exe := filepath.Join(dir, "hellod")

	path := filepath.Join(dir, "hellod.sock")
	sa, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Fatalf("systemd-socket-activate is not installed (Debian: apt-get install systemd): %v", err)
	}
	argv := []string{"-l", path, "--fdname=hello"}
	if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" {
		argv = append(argv, emu)
	}
	cmd := exec.Command(sa, append(argv, exe)...)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_TARGET=console", "SYSTEMD_LOG_LEVEL=info")
	a := startActivator(t, cmd, 1)
	os.Chmod(path, 0o666) // SocketMode=0666
	defer func() {
		a.cmd.Process.Kill()
		a.cmd.Wait()
		if t.Failed() {
			t.Logf("daemon's standard error:\n%s", a.stderr)
		}
	}()

	ask := func(cmd *exec.Cmd) string {
		t.Helper()
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("client %v: %v (%s)", cmd.Args, err, out)
		}
		s, err := strconv.Unquote(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatalf("client said %q", out)
		}
		return s
	}
	groups, _ := os.Getgroups()
	want := ""
	if os.Getegid() == 100 || slices.Contains(groups, 100) {
		want = fmt.Sprintf("hello, uid %d\n", os.Geteuid())
	}
	if got := ask(helperCommand(t, "read-all", path)); got != want {
		t.Errorf("this process (gid %d, groups %v) got %q; want %q", os.Getegid(), groups, got, want)
	}
	if os.Geteuid() != 0 {
		t.Log("not root: clients of another user, with and without the group, were not tried")
		return
	}
	member := nobodyCommand(t, "read-all", path)
	member.SysProcAttr.Credential.Groups = []uint32{100}
	if got := ask(member); got != "hello, uid 65534\n" {
		t.Errorf("nobody with supplementary group 100 got %q", got)
	}
	if got := ask(nobodyCommand(t, "read-all", path)); got != "" {
		t.Errorf("nobody without group 100 got %q", got)
	}
}
