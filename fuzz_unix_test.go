// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ipc_test

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcgo/ipc"
)

// FuzzResolveName checks the name rules on arbitrary input: no panic, and
// every accepted name maps to an OS name the kernel can take.
func FuzzResolveName(f *testing.F) {
	for _, s := range []string{"", "app", "@app", "/tmp/x.sock", "./rel", "a\x00b", "@", "@a/b", "..", strings.Repeat("x", 120)} {
		f.Add(s)
	}
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		f.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Setenv("XDG_RUNTIME_DIR", dir)
	linux := runtime.GOOS == "linux" || runtime.GOOS == "android"
	f.Fuzz(func(t *testing.T, name string) {
		path, abstract, err := ipc.ResolveName(name)
		if err != nil {
			if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENAMETOOLONG) {
				t.Fatalf("ResolveName(%q): unexpected error %v", name, err)
			}
			return
		}
		if path == "" || strings.IndexByte(path, 0) >= 0 {
			t.Fatalf("ResolveName(%q) = %q", name, path)
		}
		if abstract {
			if !linux || path != name || len(path)-1 > ipc.MaxPathLen {
				t.Fatalf("ResolveName(%q) = abstract %q", name, path)
			}
			return
		}
		if len(path) > ipc.MaxPathLen {
			t.Fatalf("ResolveName(%q) = %q, longer than %d", name, path, ipc.MaxPathLen)
		}
		if !strings.Contains(name, "/") || name[0] == '@' {
			// A bare name lands in the private directory, nowhere else.
			want := dir + "/" + strings.TrimPrefix(name, "@") + ".sock"
			if path != want {
				t.Fatalf("ResolveName(%q) = %q; want %q", name, path, want)
			}
		} else if path != name {
			t.Fatalf("ResolveName(%q) = %q; want the path itself", name, path)
		}
	})
}

// FuzzParseControl feeds arbitrary control data to the parser that handles
// received descriptors: it must not panic, must find every descriptor of a
// well-formed SCM_RIGHTS message and never more than the data can hold.
func FuzzParseControl(f *testing.F) {
	f.Add(syscall.UnixRights(3))
	f.Add(syscall.UnixRights(3, 4, 5))
	f.Add(append(syscall.UnixRights(7), syscall.UnixRights(8, 9)...))
	f.Add([]byte{})
	f.Add(make([]byte, syscall.CmsgLen(0)))
	f.Fuzz(func(t *testing.T, oob []byte) {
		fds, _, ok := ipc.ParseControl(oob)
		if len(fds) > len(oob)/4 {
			t.Fatalf("%d descriptors from %d bytes", len(fds), len(oob))
		}
		// A buffer made by UnixRights from the descriptors found parses
		// back to the same descriptors.
		if ok && len(fds) > 0 {
			again, _, ok2 := ipc.ParseControl(syscall.UnixRights(fds...))
			if !ok2 || len(again) != len(fds) {
				t.Fatalf("round trip of %v gave %v, %v", fds, again, ok2)
			}
			for i := range fds {
				if again[i] != fds[i] {
					t.Fatalf("round trip of %v gave %v", fds, again)
				}
			}
		}
	})
}

func TestParseControlKnown(t *testing.T) {
	fds, cred, ok := ipc.ParseControl(append(syscall.UnixRights(7), syscall.UnixRights(8, 9)...))
	if !ok || cred || len(fds) != 3 || fds[0] != 7 || fds[1] != 8 || fds[2] != 9 {
		t.Fatalf("ParseControl = %v, %v, %v; want [7 8 9], no credentials, ok", fds, cred, ok)
	}
	// A truncated header is malformed but keeps what was found before it.
	b := append(syscall.UnixRights(5), 1, 2, 3)
	fds, _, ok = ipc.ParseControl(b)
	if ok || len(fds) != 1 || fds[0] != 5 {
		t.Fatalf("ParseControl(truncated) = %v, %v; want [5], not ok", fds, ok)
	}
}
