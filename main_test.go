// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// helpers are the child-process entry points. The test binary re-executes
// itself with IPC_TEST_HELPER set to a key of this map; the function gets the
// remaining arguments and its result is the exit code.
var helpers = map[string]func(args []string) int{}

func TestMain(m *testing.M) {
	if name := os.Getenv("IPC_TEST_HELPER"); name != "" {
		h, ok := helpers[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown helper %q\n", name)
			os.Exit(2)
		}
		os.Exit(h(os.Args[1:]))
	}
	if os.Getenv("IPC_TEST_EXEC") != "" && !canExecSelf() {
		// Several examples start this program again as a user's program
		// would, with exec.Command and os.Executable. Under an emulator
		// that works only where the kernel hands foreign binaries to the
		// emulator (binfmt_misc). Where it does not, those examples cannot
		// run; the tests, which start their children through
		// IPC_TEST_EXEC, cover the same features there.
		flag.Parse()
		skip := selfExecExamples
		if s := flag.Lookup("test.skip").Value.String(); s != "" {
			skip = s + "|" + skip
		}
		flag.Set("test.skip", skip)
	}
	// Bare names resolve into $XDG_RUNTIME_DIR. Give the tests (and the
	// children, which inherit it) a private one of their own, so a missing
	// or unusual runtime directory on the machine cannot change results.
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

// selfExecExamples matches the examples that start this program again
// directly, without IPC_TEST_EXEC.
const selfExecExamples = `^Example(PassFile|Signal|FileListener|ActivationListener|Conn_PeerProcess)$`

func init() { helpers["true"] = func([]string) int { return 0 } }

// canExecSelf reports whether this program can start itself directly.
func canExecSelf() bool {
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "IPC_TEST_HELPER=true")
	return cmd.Run() == nil
}

// volume returns full, or short under go test -short. make race and the
// emulated CPUs of make test-arch run with -short, many times slower than
// a native run: there the data a test moves and the number of processes
// it starts shrink, never what it checks.
func volume(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// helperCommand returns a command that runs helper name in a child process.
// When IPC_TEST_EXEC is set (the qemu runs of make test-arch), the child runs
// under that program, as the test binary itself does.
func helperCommand(t testing.TB, name string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return helperCommandExe(exe, name, args...)
}

func helperCommandExe(exe, name string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if wrap := os.Getenv("IPC_TEST_EXEC"); wrap != "" {
		cmd = exec.Command(wrap, append([]string{exe}, args...)...)
	} else {
		cmd = exec.Command(exe, args...)
	}
	cmd.Env = append(os.Environ(), "IPC_TEST_HELPER="+name)
	cmd.Stderr = os.Stderr
	return cmd
}

// child is a running helper process with its standard input and output
// connected to the test.
type child struct {
	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startChild starts helper name and waits for the first line it prints,
// which it returns. Helpers print that line once they are ready.
func startChild(t testing.TB, cmd *exec.Cmd) (*child, string) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	t.Cleanup(func() {
		c.stdin.Close()
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	line, err := c.out.ReadString('\n')
	if err != nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		t.Fatalf("helper %v: reading its first line: %v", cmd.Args, err)
	}
	return c, strings.TrimSuffix(line, "\n")
}

// finish closes the child's standard input, which tells it to stop, and
// waits for it to exit with status 0.
func (c *child) finish() {
	c.t.Helper()
	c.stdin.Close()
	rest, _ := io.ReadAll(c.out)
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("helper %v: %v (output %q)", c.cmd.Args, err, rest)
	}
}

// waitStdin blocks until the test closes the helper's standard input.
func waitStdin() { io.Copy(io.Discard, os.Stdin) }

var nameSeq atomic.Int64

// uniqueName returns a name unique to this test process.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), nameSeq.Add(1))
}
