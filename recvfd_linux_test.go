// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"unsafe"

	"github.com/ipcgo/ipc"
)

// SO_PASSPIDFD and SCM_PIDFD, which package syscall does not have.
const (
	soPassPidfd = 76
	scmPidfd    = 4
)

// TestRecvStdClosedPidfd is TestRecvStdClosed for process handles, whose
// pidfds the kernel makes at the lowest free descriptor: from SO_PEERPIDFD
// (Conn.PeerProcess) and from SCM_PIDFD (Conn.RecvProcess).
func TestRecvStdClosedPidfd(t *testing.T) {
	t.Run("peerprocess", func(t *testing.T) {
		peerProcessSupported(t)
		testRecvStdClosed(t, "peerprocess")
	})
	t.Run("recvprocess", func(t *testing.T) {
		recvProcessSupported(t)
		testRecvStdClosed(t, "recvprocess")
	})
}

// TestUnaskedPidfdClosed checks that a pidfd the kernel attaches to a
// message that the caller did not ask a process handle for is closed, not
// leaked, and leaves room for everything else. SO_PASSPIDFD is a property
// of the socket, shared by every descriptor for it: another holder of a
// copy (a process it was handed to, a FileConn, or RecvProcess in the
// moment it waits) may turn it on, and from then on every recvmsg with
// room for it gets a new pidfd, SCM_PIDFD, after the data's files.
func TestUnaskedPidfdClosed(t *testing.T) {
	recvProcessSupported(t)
	pollerUp(t)
	for _, message := range []bool{false, true} {
		t.Run(map[bool]string{false: "stream", true: "message"}[message], func(t *testing.T) {
			a, b, err := ipc.ConnPair(message)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			defer b.Close()
			cp, err := b.File()
			if err != nil {
				t.Fatal(err)
			}
			defer cp.Close()
			rc, err := cp.SyscallConn()
			if err != nil {
				t.Fatal(err)
			}
			var serr error
			rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soPassPidfd, 1) })
			if serr != nil {
				t.Fatal(serr)
			}
			r, w, err := ipc.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			buf := make([]byte, 16)
			before := fdCount(t)
			check := func(what string) {
				t.Helper()
				if after := fdCount(t); after != before {
					t.Errorf("%s: %d descriptors before, %d after", what, before, after)
				}
			}

			// The handle RecvProcess returns is the only pidfd, and it
			// leaves SO_PASSPIDFD on, as the other holder wants it.
			a.Write([]byte("proc"))
			n, p, _, err := b.RecvProcess(buf)
			if err != nil || string(buf[:n]) != "proc" || p == nil {
				t.Fatalf("RecvProcess: %q, %v, %v", buf[:n], p, err)
			}
			if after := fdCount(t); after != before+1 {
				t.Errorf("RecvProcess: %d descriptors before, %d with the handle open", before, after)
			}
			p.Close()
			check("RecvProcess")
			var on int
			rc.Control(func(fd uintptr) { on, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, soPassPidfd) })
			if on != 1 || serr != nil {
				t.Errorf("SO_PASSPIDFD after RecvProcess: %d, %v; want it left on", on, serr)
			}

			// Files, as many as a message carries: the pidfd after them
			// must not make the kernel report the control data truncated.
			for _, nfiles := range []int{0, 1, ipc.MaxFilesPerMsg} {
				files := make([]*os.File, nfiles)
				for i := range files {
					files[i] = r
				}
				if _, err := a.SendFiles([]byte("files"), files...); err != nil {
					t.Fatal(err)
				}
				n, got, _, err := b.RecvFiles(buf, ipc.MaxFilesPerMsg)
				if err != nil || string(buf[:n]) != "files" || len(got) != nfiles {
					t.Fatalf("RecvFiles of %d files: %q, %d files, %v", nfiles, buf[:n], len(got), err)
				}
				for _, f := range got {
					var st syscall.Stat_t
					if err := syscall.Fstat(int(f.Fd()), &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
						t.Errorf("received %s: mode %#o, %v; want the pipe", f.Name(), st.Mode, err)
					}
					f.Close()
				}
				check(fmt.Sprintf("RecvFiles of %d files", nfiles))
			}

			a.Write([]byte("cred"))
			n, cred, _, err := b.RecvCred(buf)
			if err != nil || string(buf[:n]) != "cred" || cred == nil || cred.PID != os.Getpid() {
				t.Fatalf("RecvCred: %q, %+v, %v", buf[:n], cred, err)
			}
			check("RecvCred")
			if message {
				a.WriteMsg([]byte("msg"))
				n, _, err := b.ReadMsg(buf)
				if err != nil || string(buf[:n]) != "msg" {
					t.Fatalf("ReadMsg: %q, %v", buf[:n], err)
				}
				check("ReadMsg")
			}

		})
	}
}

// TestParseControlPidfd checks that the control-message parser finds the
// descriptor of an SCM_PIDFD message, laid out by the kernel after the
// credentials and the files, so that it is returned or closed.
func TestParseControlPidfd(t *testing.T) {
	oob := syscall.UnixCredentials(&syscall.Ucred{Pid: 1, Uid: 2, Gid: 3})
	oob = append(oob, syscall.UnixRights(7, 8)...)
	pidfd := syscall.UnixRights(9)
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&pidfd[0]))
	h.Type = scmPidfd
	oob = append(oob, pidfd...)
	fds, cred, ok := ipc.ParseControl(oob)
	if !ok || !cred || len(fds) != 2 || fds[0] != 7 || fds[1] != 8 {
		t.Errorf("ParseControl = %v, %v, %v; want [7 8], credentials, ok", fds, cred, ok)
	}
	if got := ipc.ParseControlPidfds(oob); len(got) != 1 || got[0] != 9 {
		t.Errorf("pidfds %v; want [9]", got)
	}
}

// TestRecvProcessEmptyStream checks that RecvProcess with an empty buffer
// on a stream reads nothing, as Read and RecvFiles do: the files that come
// with the next byte are still there for RecvFiles. (recvmsg with no room
// for data on a stream takes the files of the next byte and returns 0.)
func TestRecvProcessEmptyStream(t *testing.T) {
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := a.SendFiles([]byte("x"), w); err != nil {
		t.Fatal(err)
	}
	if n, p, trunc, err := b.RecvProcess(nil); n != 0 || p != nil || trunc || err != nil {
		t.Fatalf("RecvProcess(nil) = %d, %v, %v, %v; want 0, nil, false, nil", n, p, trunc, err)
	}
	buf := make([]byte, 4)
	n, files, _, err := b.RecvFiles(buf, 1)
	if err != nil || string(buf[:n]) != "x" || len(files) != 1 {
		t.Fatalf("RecvFiles after RecvProcess(nil) = %q, %d files, %v; want \"x\" and the file", buf[:n], len(files), err)
	}
	files[0].Close()
}

// TestSetUnlinkOnCloseOtherSocket checks that SetUnlinkOnClose(true) on a
// listener that did not create its file takes the file at the path only
// if it is the one its socket is bound to (Linux asks sock_diag): a
// listener whose file was removed and replaced by another listener's
// leaves that one alone on Close, and one whose file is in place removes
// it.
func TestSetUnlinkOnCloseOtherSocket(t *testing.T) {
	path := sockPath(t)
	old, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if !ipc.SockDiagKnows(old) {
		if emu := os.Getenv("IPC_TEST_EXEC"); emu != "" {
			t.Skipf("%s does not pass NETLINK_SOCK_DIAG through; tested natively", emu)
		}
		t.Fatal("sock_diag does not say which file a listener is bound to (a kernel without CONFIG_UNIX_DIAG?)")
	}
	f, err := old.File()
	if err != nil {
		t.Fatal(err)
	}
	old.Close() // File turned removal off: the file stays
	succ, err := ipc.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	other, err := ipc.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	succ.SetUnlinkOnClose(true)
	succ.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("Close of a listener removed another listener's socket file: %v", err)
	}
	c, err := ipc.Dial(path)
	if err != nil {
		t.Fatalf("dialing the other listener: %v", err)
	}
	c.Close()

	// The other listener's own file, taken over by a successor, is the
	// successor's to remove.
	f, err = other.File()
	if err != nil {
		t.Fatal(err)
	}
	succ, err = ipc.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	succ.SetUnlinkOnClose(true)
	succ.Close()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after the successor's Close: %v; want the file removed", err)
	}
}

// TestRecvProcessTruncated checks that RecvProcess reports a sender's
// handle that the kernel dropped for want of room, instead of returning no
// handle as if the kernel had recorded no sender. Another holder of the
// socket turns on SO_TIMESTAMP, whose message comes first and takes the
// room RecvProcess counted on, and the sender sends as many files as one
// message carries.
func TestRecvProcessTruncated(t *testing.T) {
	recvProcessSupported(t)
	pollerUp(t)
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	rc, err := b.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var serr error
	rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMP, 1) })
	if serr != nil {
		t.Fatal(serr)
	}
	r, w, err := ipc.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	files := make([]*os.File, ipc.MaxFilesPerMsg)
	for i := range files {
		files[i] = r
	}
	before := fdCount(t)
	if _, err := a.SendFiles([]byte("files"), files...); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, p, _, err := b.RecvProcess(buf)
	if p != nil {
		p.Close()
	}
	if !errors.Is(err, syscall.EMSGSIZE) || p != nil || string(buf[:n]) != "files" {
		t.Errorf("RecvProcess = %q, %v, %v; want the data and an error wrapping EMSGSIZE", buf[:n], p, err)
	}
	if after := fdCount(t); after != before {
		t.Errorf("descriptors: %d before, %d after", before, after)
	}
	// The next message, with no files, has room again.
	a.WriteMsg([]byte("next"))
	n, p, _, err = b.RecvProcess(buf)
	if err != nil || p == nil || string(buf[:n]) != "next" {
		t.Fatalf("RecvProcess after = %q, %v, %v", buf[:n], p, err)
	}
	p.Close()
}
