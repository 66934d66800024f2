// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

//go:build (darwin || linux || windows) && (amd64 || arm64)

// The example is built for the two common CPUs only, as the net/http tests
// are: what it shows does not depend on the CPU, and net/http with
// crypto/tls would be most of what each emulated CPU's test build
// compiles (make test-arch).

package ipc_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/ipcgo/ipc"
)

// connKey is the context key under which the server finds the connection a
// request came on.
type connKey struct{}

// An HTTP server and client over a local socket. The client's Transport
// ignores the address that net/http gives its dialer (it is "unix:80",
// from the URL's host) and dials the socket's name instead. The server
// puts each connection in the request's context with ConnContext, so that
// a handler can ask who the client is.
func Example_http() {
	const name = "example-http" // in real use, known to both programs

	// The server.
	ln, err := ipc.Listen(name)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c.(*ipc.Conn))
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := r.Context().Value(connKey{}).(*ipc.Conn)
			cred, err := c.PeerCred()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "hello, process %d\n", cred.PID)
		}),
	}
	go srv.Serve(ln)
	defer srv.Close() // closes ln

	// The client.
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d ipc.Dialer
			return d.DialContext(ctx, name)
		},
	}}
	resp, err := client.Get("http://unix/hello") // any host will do
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status)
	fmt.Println("the server saw this process:", string(body) == fmt.Sprintf("hello, process %d\n", os.Getpid()))
	// Output:
	// 200 OK
	// the server saw this process: true
}
