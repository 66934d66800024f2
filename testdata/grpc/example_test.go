// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package grpc_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"github.com/ipcgo/ipc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// A gRPC server and client over a local socket: a Unix domain socket on
// Unix, a named pipe on Windows. The server serves an ipc.Listener as it
// would a TCP listener. The client's target starts with passthrough:///, so
// that gRPC hands the name unresolved to the dialer, which gives it to
// ipc (the default resolver would look it up in DNS). The health service
// stands in for a real one; any generated service works the same way.
func Example() {
	const name = "example-grpc" // in real use, known to both programs

	// The server.
	ln, err := ipc.Listen(name)
	if err != nil {
		log.Fatal(err)
	}
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer()) // reports SERVING
	go srv.Serve(ln)
	defer srv.Stop() // closes ln

	// The client.
	conn, err := grpc.NewClient("passthrough:///"+name,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) {
			// addr is name, from the target.
			var d ipc.Dialer
			return d.DialContext(ctx, addr)
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.GetStatus())
	// Output: SERVING
}
