// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["mkfifo-ctty"] = helperMkfifoCtty
}

// TestMkfifoNoCtty checks that Mkfifo, which opens the FIFO it made to set
// its mode, never makes a terminal that was put at the path in between
// the controlling terminal of the process. The child is a session leader
// without one (a daemon is), where opening a terminal without O_NOCTTY
// makes it the controlling terminal: its owner could then stop or hang up
// the process. The terminal is bind-mounted on the FIFO, in the child's
// own mount namespace, between mkfifo and the open.
func TestMkfifoNoCtty(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("bind-mounting a terminal on the path needs root (in a mount namespace of its own)")
	}
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cmd := helperCommand(t, "mkfifo-ctty", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Unshareflags: syscall.CLONE_NEWNS}
	out, err := cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "ok") {
		t.Fatalf("child: %v: %s", err, out)
	}
	t.Logf("child: %s", out)
}

func helperMkfifoCtty(args []string) int {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer m.Close()
	var unlock, n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		fmt.Println("TIOCSPTLCK:", e)
		return 1
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		fmt.Println("TIOCGPTN:", e)
		return 1
	}
	pts := "/dev/pts/" + strconv.Itoa(int(n))
	path := filepath.Join(args[0], "fifo")
	var hookErr error
	restore := ipc.SetMkfifoHook(func(p string) {
		hookErr = syscall.Mount(pts, p, "", syscall.MS_BIND, "")
	})
	err = ipc.Mkfifo(path, 0o600)
	restore()
	syscall.Unmount(path, syscall.MNT_DETACH)
	if hookErr != nil {
		fmt.Println("bind mount:", hookErr)
		return 1
	}
	if err == nil {
		fmt.Println("Mkfifo accepted a terminal")
		return 1
	}
	if fd, err := syscall.Open("/dev/tty", syscall.O_RDONLY|syscall.O_NOCTTY, 0); err == nil {
		syscall.Close(fd)
		fmt.Println("the terminal became the controlling terminal")
		return 1
	}
	fmt.Println("ok:", err)
	return 0
}
