// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build !windows && !plan9

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/ipcgo/ipc"
)

// list prints the sockets in the user's private directory, where bare
// names live: each one's name, whether a server holds it (live) or it was
// left behind by one that died (stale), and its path.
func list(w io.Writer) error {
	p, err := ipc.Resolve("ipccat")
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, e := range ents {
		if e.Type()&fs.ModeSocket == 0 {
			continue
		}
		path := filepath.Join(dir, e.Name())
		name, ok := strings.CutSuffix(e.Name(), ".sock")
		if !ok {
			name = path
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, probe(path), path)
	}
	return tw.Flush()
}

// probe tells whether a server holds the socket file at path. It connects
// a datagram socket to it, which no stream or message-mode server sees:
// the kernel refuses a stale file (ECONNREFUSED) and reports a live one of
// another type (EPROTOTYPE), or connects to a live datagram server.
func probe(path string) string {
	pc, err := ipc.DialPacket(path)
	switch {
	case err == nil:
		pc.Close()
		return "live"
	case isRefused(err):
		return "stale"
	case errors.Is(err, syscall.EPROTOTYPE):
		return "live"
	case errors.Is(err, fs.ErrNotExist):
		return "gone"
	}
	return "unknown (" + err.Error() + ")"
}
