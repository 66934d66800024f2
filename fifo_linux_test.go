// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
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
			for i := 0; i < 25000; i++ {
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
