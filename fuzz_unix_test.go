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
