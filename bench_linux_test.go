// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"net"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

func init() {
	if runtime.NumCPU() >= 2 {
		cpuModes = append(cpuModes, "1cpu", "2cpu")
	}
	relayPipeSizes = append(relayPipeSizes, 1<<20)
}

// _F_SETPIPE_SZ is F_SETPIPE_SZ from <fcntl.h>, the same on every Linux
// architecture.
const _F_SETPIPE_SZ = 1031

// setPipeSize resizes the pipe f is an end of.
func setPipeSize(f *os.File, n int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var e syscall.Errno
	if err := rc.Control(func(fd uintptr) { _, _, e = syscall.Syscall(syscall.SYS_FCNTL, fd, _F_SETPIPE_SZ, uintptr(n)) }); err != nil {
		return err
	}
	if e != 0 {
		return os.NewSyscallError("fcntl", e)
	}
	return nil
}

// cpuSet is a Linux cpu_set_t for up to 1024 CPUs.
type cpuSet [16]uint64

// pinProcess binds every thread of this process to cpu and returns a
// function that restores the previous binding. Threads started later
// inherit the binding of the thread that starts them, so, once every
// existing thread is bound, the whole process stays on cpu.
func pinProcess(cpu int) (restore func(), err error) {
	var old, set cpuSet
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(old), uintptr(unsafe.Pointer(&old))); e != 0 {
		return nil, os.NewSyscallError("sched_getaffinity", e)
	}
	set[cpu/64] |= 1 << (cpu % 64)
	if err := setAffinity(&set); err != nil {
		return nil, err
	}
	return func() { setAffinity(&old) }, nil
}

// setAffinity applies set to every thread, twice over, to catch threads
// started while the first pass ran.
func setAffinity(set *cpuSet) error {
	for pass := 0; pass < 2; pass++ {
		ents, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return err
		}
		for _, ent := range ents {
			tid, err := strconv.Atoi(ent.Name())
			if err != nil {
				continue
			}
			_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(*set), uintptr(unsafe.Pointer(set)))
			if e != 0 && e != syscall.ESRCH {
				return os.NewSyscallError("sched_setaffinity", e)
			}
		}
	}
	return nil
}

// relayPeerIO feeds and drains the relay without copying, so that the
// child costs little and the benchmark measures the relay in the parent:
// the source is fed with vmsplice(2) from a buffer that never changes
// (through a pipe of its own when the source is the socket), and the
// destination is drained into /dev/null with splice(2) (through a pipe of
// its own when it is the socket). All descriptors are used in blocking
// mode; the child does nothing else with them.
func relayPeerIO(c net.Conn, pipe *os.File, dir string, total int64) (int64, error) {
	sock, err := blockingFD(c.(syscall.Conn))
	if err != nil {
		return 0, err
	}
	pfd, err := blockingFD(pipe)
	if err != nil {
		return 0, err
	}
	src, dst, srcIsPipe := sock, pfd, false // what the child feeds / drains
	if dir == "socket-to-pipe" {
		src, dst, srcIsPipe = pfd, sock, true
	}
	errc := make(chan error, 1)
	go func() {
		err := vmspliceFeed(dst, dir == "pipe-to-socket", total)
		if dir == "pipe-to-socket" {
			pipe.Close()
		} else {
			syscall.Shutdown(sock, syscall.SHUT_WR)
		}
		errc <- err
	}()
	n, err := spliceDrain(src, srcIsPipe)
	if err == nil {
		err = <-errc
	}
	return n, err
}

// blockingFD returns the descriptor behind x, switched to blocking mode.
func blockingFD(x syscall.Conn) (int, error) {
	rc, err := x.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	if err := rc.Control(func(f uintptr) { fd = int(f) }); err != nil {
		return -1, err
	}
	return fd, syscall.SetNonblock(fd, false)
}

// vmspliceFeed writes total bytes to fd: with vmsplice if fd is a pipe,
// else with vmsplice into a pipe of its own and splice from there.
func vmspliceFeed(fd int, isPipe bool, total int64) error {
	buf := make([]byte, 1<<20)
	target := fd
	var p [2]int
	if !isPipe {
		if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
			return err
		}
		syscall.Syscall(syscall.SYS_FCNTL, uintptr(p[0]), _F_SETPIPE_SZ, 1<<20) // fewer wake-ups; best effort
		defer syscall.Close(p[0])
		defer syscall.Close(p[1])
		target = p[1]
	}
	for total > 0 {
		var iov syscall.Iovec
		iov.Base = &buf[0]
		iov.SetLen(int(min(total, int64(len(buf)))))
		n, _, e := syscall.Syscall6(syscall.SYS_VMSPLICE, uintptr(target), uintptr(unsafe.Pointer(&iov)), 1, 0, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return os.NewSyscallError("vmsplice", e)
		}
		total -= int64(n)
		for left := int(n); !isPipe && left > 0; {
			m, err := splice64(p[0], nil, fd, nil, left, 1)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return os.NewSyscallError("splice", err)
			}
			left -= int(m)
		}
	}
	return nil
}

// spliceDrain moves everything from fd into /dev/null until EOF and counts
// it: directly if fd is a pipe, else through a pipe of its own.
func spliceDrain(fd int, isPipe bool) (int64, error) {
	null, err := syscall.Open("/dev/null", syscall.O_WRONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer syscall.Close(null)
	src := fd
	var p [2]int
	if !isPipe {
		if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
			return 0, err
		}
		syscall.Syscall(syscall.SYS_FCNTL, uintptr(p[0]), _F_SETPIPE_SZ, 1<<20) // fewer wake-ups; best effort
		defer syscall.Close(p[0])
		defer syscall.Close(p[1])
		src = p[0]
	}
	var total int64
	for {
		n, err := int64(0), error(nil)
		if isPipe {
			n, err = splice64(fd, nil, null, nil, 1<<20, 1)
		} else {
			n, err = splice64(fd, nil, p[1], nil, 1<<20, 1)
		}
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return total, os.NewSyscallError("splice", err)
		}
		if n == 0 {
			return total, nil
		}
		total += n
		for left := n; !isPipe && left > 0; {
			m, err := splice64(src, nil, null, nil, int(left), 1)
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return total, os.NewSyscallError("splice", err)
			}
			left -= m
		}
	}
}

// splice64 is syscall.Splice with an int64 count on every platform.
func splice64(rfd int, roff *int64, wfd int, woff *int64, n int, flags int) (int64, error) {
	m, err := syscall.Splice(rfd, roff, wfd, woff, n, flags)
	return int64(m), err
}
