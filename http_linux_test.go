// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build linux && (amd64 || arm64)

// The net/http tests run on Linux on the two common CPUs only: net/http and
// crypto/tls would be most of what each emulated CPU's test build compiles
// (make test-arch), and what they test does not depend on the CPU.

package ipc_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ipcgo/ipc"
)

func init() {
	helpers["http-server"] = helperHTTPServer
}

// helperHTTPServer serves HTTP on args[0] until its standard input closes.
func helperHTTPServer(args []string) int {
	ln, err := ipc.Listen(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s from pid %d", r.URL.Path, os.Getpid())
	})}
	fmt.Println(ln.Addr())
	go func() {
		waitStdin()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "serve:", err)
		return 1
	}
	return 0
}

func TestHTTP(t *testing.T) {
	for _, tr := range transports(t) {
		t.Run(tr.name, func(t *testing.T) {
			c, addr := startChild(t, helperCommand(t, "http-server", tr.newName(t)))
			if strings.HasPrefix(addr, "error") {
				t.Fatal(addr)
			}
			var d ipc.Dialer
			client := &http.Client{Transport: &http.Transport{
				DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
					return d.DialContext(ctx, addr)
				},
			}}
			for _, path := range []string{"/a", "/b", "/c"} {
				resp, err := client.Get("http://ipc" + path)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				want := fmt.Sprintf("hello %s from pid %d", path, c.cmd.Process.Pid)
				if string(body) != want {
					t.Fatalf("body %q; want %q", body, want)
				}
			}
			client.CloseIdleConnections()
			c.finish()
		})
	}
}
