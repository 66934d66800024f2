// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// The tests run ipccat as a separate process: the test binary re-executes
// itself with IPCCAT_TEST_MAIN set and then is the command.
func TestMain(m *testing.M) {
	if os.Getenv("IPCCAT_TEST_MAIN") != "" {
		os.Exit(run(os.Args[1:]))
	}
	// Bare names resolve into $XDG_RUNTIME_DIR: give the tests and every
	// child a private one.
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("XDG_RUNTIME_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ipccat returns a command running ipccat with args. When IPC_TEST_EXEC
// is set (the qemu runs of make test-arch) it runs under that program, as
// the test binary does.
func ipccat(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if wrap := os.Getenv("IPC_TEST_EXEC"); wrap != "" {
		cmd = exec.Command(wrap, append([]string{exe}, args...)...)
	} else {
		cmd = exec.Command(exe, args...)
	}
	cmd.Env = append(os.Environ(), "IPCCAT_TEST_MAIN=1")
	return cmd
}

// proc is a running ipccat (or other program) whose stderr the test
// reads line by line.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bytes.Buffer // filled once the process has exited
	lines  chan string   // stderr, line by line; closed at its end
	stderr strings.Builder
	outc   chan struct{} // closed when stdout is read to its end
	exited atomic.Bool
}

// start starts cmd with pipes on its standard input and output; stderr
// is read line by line.
func start(t testing.TB, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{t: t, cmd: cmd, stdout: new(bytes.Buffer), lines: make(chan string, 100), outc: make(chan struct{})}
	var err error
	if cmd.Stdin == nil {
		if p.stdin, err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	var out io.ReadCloser
	if cmd.Stdout == nil {
		if out, err = cmd.StdoutPipe(); err != nil {
			t.Fatal(err)
		}
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	go func() {
		if out != nil {
			io.Copy(p.stdout, out)
		}
		close(p.outc)
	}()
	go func() {
		sc := bufio.NewScanner(errp)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() {
		if !p.exited.Load() {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p
}

// wait closes stdin if the test holds it, waits for the process and
// returns its exit status, stdout and stderr.
func (p *proc) wait() (int, string, string) {
	p.t.Helper()
	if p.stdin != nil {
		p.stdin.Close()
	}
	<-p.outc
	for line := range p.lines {
		p.stderr.WriteString(line + "\n")
	}
	err := p.cmd.Wait()
	p.exited.Store(true)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		p.t.Fatalf("%v: %v", p.cmd.Args, err)
	}
	return code, p.stdout.String(), p.stderr.String()
}

// mustExit waits for the process and fails unless it exits with code.
func (p *proc) mustExit(code int) (stdout, stderr string) {
	p.t.Helper()
	c, out, errs := p.wait()
	if c != code {
		p.t.Fatalf("%v: exit status %d, want %d; stdout %q, stderr:\n%s", p.cmd.Args, c, code, out, errs)
	}
	return out, errs
}

// TestUsage checks the help text and the usage errors: status 2 and a
// message on stderr, before anything is opened.
func TestUsage(t *testing.T) {
	out, _ := start(t, ipccat(t, "-h")).mustExit(0)
	if n := strings.Count(out, "\n"); n > 40 {
		t.Errorf("-h prints %d lines, want one screen (at most 40)", n)
	}
	for _, want := range []string{"Exit status", "-e, --exec", "--mode", "--sddl", "--wait", "resolve", "ls"} {
		if !strings.Contains(out, want) {
			t.Errorf("-h does not mention %q", want)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "missing a name"},
		{[]string{"-x", "a"}, "unknown option -x"},
		{[]string{"--frobnicate", "a"}, "unknown option --frobnicate"},
		{[]string{"a", "b", "c"}, "too many arguments"},
		{[]string{"bogus:thing", "-"}, `unknown address type "bogus"`},
		{[]string{"-", "-"}, "at most one address may be -"},
		{[]string{"-"}, "needs a second address"},
		{[]string{"-k", "a"}, "-k needs a listening address"},
		{[]string{"--mode", "0660", "a"}, "apply to listening"},
		{[]string{"--mode", "999", "-l", "a"}, "want octal"},
		{[]string{"-w", "soon", "a"}, "positive duration"},
		{[]string{"-w"}, "needs a value"},
		{[]string{"--length-prefix", "a"}, "needs -m"},
		{[]string{"-l", "a", "-e"}, "-e needs a command"},
		{[]string{"-l", "a", "b"}, "-l takes one name"},
		{[]string{"listen:a", "tcp-listen:0"}, "at most one address may listen"},
		{[]string{"resolve"}, "resolve takes one name"},
		{[]string{"ls", "x"}, "ls takes no arguments"},
		{[]string{"tcp:nohostport", "-"}, "want tcp:HOST:PORT"},
		{[]string{`exec:sh -c 'echo`, "a"}, "unterminated"},
	} {
		_, errs := start(t, ipccat(t, tc.args...)).mustExit(2)
		if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "ipccat -h") {
			t.Errorf("ipccat %q: stderr %q, want %q and a pointer to -h", tc.args, errs, tc.want)
		}
	}
}

// TestResolve checks that resolve prints what the package resolves.
func TestResolve(t *testing.T) {
	name := "resolve-me"
	out, _ := start(t, ipccat(t, "resolve", name)).mustExit(0)
	want := filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), name+".sock")
	if runtime.GOOS == "windows" {
		want = `\\.\pipe\` + name
	}
	if strings.TrimSpace(out) != want {
		t.Errorf("resolve %s = %q, want %q", name, out, want)
	}
	_, errs := start(t, ipccat(t, "resolve", "/"+strings.Repeat("x", 300))).mustExit(1)
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "resolve") {
		t.Errorf("resolve of a bad name: stderr %q, want one line naming the operation", errs)
	}
}
