// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"unsafe"

	"github.com/ipcgo/ipc"
)

// openPty opens a pseudo-terminal and returns its master and the path of
// its slave, which nothing has opened.
func openPty(t *testing.T) (*os.File, string) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock, n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatal(e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatal(e)
	}
	return m, "/dev/pts/" + strconv.Itoa(int(n))
}

// TestOpenFifoSwapped flips a path between a FIFO and symbolic links to a
// regular file and to a terminal while OpenFifo opens it, for reading and
// for writing, again and again. inotify watches the two targets: OpenFifo
// must never open either of them, not even to close it again at once.
func TestOpenFifoSwapped(t *testing.T) {
	if n := openFifoSwapped(t); n != 0 {
		t.Errorf("OpenFifo opened the files symbolic links swapped in pointed to: %d inotify events", n)
	}
}

// TestOpenFifoSwappedNoProc is TestOpenFifoSwapped without /proc: then a
// file swapped in may be opened, but is closed at once and refused, and
// OpenFifo still opens the FIFO when it stays in place.
func TestOpenFifoSwappedNoProc(t *testing.T) {
	defer ipc.NoProcFD()()
	t.Logf("swapped-in files opened and refused: %d", openFifoSwapped(t))
	path := filepath.Join(t.TempDir(), "fifo")
	if err := ipc.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := ipc.OpenFifo(context.Background(), path, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w, err := ipc.OpenFifo(context.Background(), path, os.O_WRONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
}

// openFifoSwapped runs the swapping of TestOpenFifoSwapped, checks that
// every file OpenFifo returned is a FIFO, and returns the number of times
// the targets of the symbolic links were opened.
func openFifoSwapped(t *testing.T) int {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, pts := openPty(t)
	fifo := filepath.Join(dir, "fifo")
	if err := ipc.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A reader that stays, so that openings for writing succeed at once.
	keep, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()

	in, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(in)
	for _, p := range []string{file, pts} {
		if _, err := syscall.InotifyAddWatch(in, p, syscall.IN_OPEN); err != nil {
			t.Fatal(err)
		}
	}

	path := filepath.Join(dir, "path")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tmp := filepath.Join(dir, "tmp")
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			var err error
			switch i % 4 {
			case 0, 2:
				err = os.Link(fifo, tmp)
			case 1:
				err = os.Symlink(file, tmp)
			case 3:
				err = os.Symlink(pts, tmp)
			}
			if err == nil {
				err = os.Rename(tmp, path)
			}
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	// Two openers at once, for more chances of hitting the moment between
	// a check by path and an open by path.
	var opened atomic.Int64
	var owg sync.WaitGroup
	for g := 0; g < 2; g++ {
		owg.Add(1)
		go func() {
			defer owg.Done()
			for i := range volume(25000, 5000) {
				flag := os.O_RDONLY
				if i%2 == 1 {
					flag = os.O_WRONLY
				}
				f, err := ipc.OpenFifo(context.Background(), path, flag)
				if err == nil {
					opened.Add(1)
					var st syscall.Stat_t
					if err := syscall.Fstat(int(f.Fd()), &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
						t.Errorf("OpenFifo returned a file of mode %o, %v", st.Mode, err)
					}
					f.Close()
				} else if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, os.ErrNotExist) {
					t.Errorf("OpenFifo: %v", err)
					return
				}
			}
		}()
	}
	owg.Wait()
	close(stop)
	wg.Wait()
	if opened.Load() == 0 {
		t.Error("no OpenFifo found the FIFO in place")
	}

	if b, err := os.ReadFile(file); err != nil || string(b) != "data" {
		t.Errorf("the regular file now holds %q, %v", b, err)
	}
	buf := make([]byte, 64<<10)
	n, err := syscall.Read(in, buf)
	if err == syscall.EAGAIN {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	// Reading the file above added one event; each is 16 bytes without a
	// name.
	return n/16 - 1
}

func init() {
	helpers["mkfifo-swap"] = helperMkfifoSwap
	helpers["mkfifo-noproc"] = helperMkfifoNoProc
}

// helperMkfifoSwap runs as a user other than root (which would not need
// the owner's read permission) under umask 477: it creates FIFOs at
// args[0]/path again and again while a goroutine swaps symbolic links to
// args[0]/victim in at that path. It prints the victim's mode at the end,
// which must still be 600.
func helperMkfifoSwap(args []string) int {
	dir := args[0]
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, nil, 0o600); err != nil {
		fmt.Println(err)
		return 1
	}
	os.Chmod(victim, 0o600)
	syscall.Umask(0o477)
	path := filepath.Join(dir, "path")
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tmp := filepath.Join(dir, "tmp")
		for {
			select {
			case <-stop:
				return
			default:
			}
			os.Remove(tmp)
			if os.Symlink(victim, tmp) == nil {
				os.Rename(tmp, path)
			}
		}
	}()
	made := 0
	for i := 0; i < 3000; i++ {
		os.Remove(path)
		if ipc.Mkfifo(path, 0o666) == nil {
			made++
		}
	}
	close(stop)
	<-done
	fi, err := os.Stat(victim)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Printf("%d FIFOs, victim %o\n", made, fi.Mode().Perm())
	return 0
}

// TestMkfifoSwappedNotRoot checks that Mkfifo under a umask that denies
// the owner read permission never changes the mode of a file a symbolic
// link swapped in at the path leads to.
func TestMkfifoSwappedNotRoot(t *testing.T) {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777)
	cmd := nobodyCommand(t, "mkfifo-swap", dir)
	out, err := cmd.Output()
	if err != nil || !strings.HasSuffix(string(out), "victim 600\n") || strings.HasPrefix(string(out), "0 ") {
		t.Fatalf("child as nobody: %v: %s", err, out)
	}
	t.Logf("%s", out)
}

// helperMkfifoNoProc runs as a user other than root under umask 477 and
// without /proc: Mkfifo sets the mode by path in args[0], a directory of
// its own, and refuses in args[1], a directory everyone may write to,
// leaving nothing behind.
func helperMkfifoNoProc(args []string) int {
	defer ipc.NoProcFD()()
	syscall.Umask(0o477)
	own := filepath.Join(args[0], "fifo")
	if err := ipc.Mkfifo(own, 0o640); err != nil {
		fmt.Println("own directory:", err)
		return 1
	}
	if fi, err := os.Lstat(own); err != nil || fi.Mode() != os.ModeNamedPipe|0o640 {
		fmt.Println("own directory:", fi.Mode(), err)
		return 1
	}
	open := filepath.Join(args[1], "fifo")
	err := ipc.Mkfifo(open, 0o640)
	if !errors.Is(err, syscall.EPERM) {
		fmt.Println("open directory:", err)
		return 1
	}
	if _, err := os.Lstat(open); !errors.Is(err, os.ErrNotExist) {
		fmt.Println("open directory: left behind:", err)
		return 1
	}
	fmt.Println("ok")
	return 0
}

// TestMkfifoNoProcNotRoot checks Mkfifo's last resort, without /proc and
// without the owner's read permission: the mode is set by path only where
// no other user can swap a file in.
func TestMkfifoNoProcNotRoot(t *testing.T) {
	var dirs []string
	for _, mode := range []os.FileMode{0o700, 0o777} {
		dir, err := os.MkdirTemp("", "")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		os.Chmod(dir, mode)
		dirs = append(dirs, dir)
	}
	cmd := nobodyCommand(t, "mkfifo-noproc", dirs...)
	os.Chown(dirs[0], 65534, 65534)
	if out, err := cmd.Output(); err != nil || string(out) != "ok\n" {
		t.Fatalf("child as nobody: %v: %s", err, out)
	}
}
