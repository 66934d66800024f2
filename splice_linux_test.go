// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipcgo/ipc"
)

// relayEnd is one end of a relay test: w is written by the test's producer,
// r is what the relay reads from (or, for the destination, what it writes
// to and what the consumer reads from).
type relayEnd struct {
	r io.Reader // the relay's source (for a source end) or the consumer's input
	w io.Writer // the producer's output (for a source end) or the relay's destination
	// closeW ends the data the producer wrote; closeDst tells the consumer
	// the relay is done.
	closeW func()
}

// sources and destinations of the relays, each made fresh per test.
type endMaker func(t *testing.T) relayEnd

func pipeEnd(t *testing.T) relayEnd {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return relayEnd{r: r, w: w, closeW: func() { w.Close() }}
}

func fifoEnd(t *testing.T) relayEnd {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return relayEnd{r: r, w: w, closeW: func() { w.Close() }}
}

func connEnd(t *testing.T) relayEnd {
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return relayEnd{r: a, w: b, closeW: func() { b.CloseWrite() }}
}

// llConnEnd is connEnd in low-latency mode, whose copies spin before they
// wait.
func llConnEnd(t *testing.T) relayEnd {
	e := connEnd(t)
	e.r.(*ipc.Conn).SetLowLatency(true)
	e.w.(*ipc.Conn).SetLowLatency(true)
	return e
}

// unixEnd is a net.UnixConn pair, for relays to and from the standard
// library's sockets.
func unixEnd(t *testing.T) relayEnd {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	conn := func(fd int) *net.UnixConn {
		f := os.NewFile(uintptr(fd), "socketpair")
		defer f.Close()
		c, err := net.FileConn(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c.(*net.UnixConn)
	}
	a, b := conn(fds[0]), conn(fds[1])
	return relayEnd{r: a, w: b, closeW: func() { b.CloseWrite() }}
}

// fileEnd is a regular file: the producer writes it whole before the relay
// starts, and a destination file is read back after it ends.
func fileEnd(t *testing.T) relayEnd {
	f, err := os.CreateTemp("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(); os.Remove(f.Name()) })
	return relayEnd{r: f, w: f, closeW: func() { f.Seek(0, io.SeekStart) }}
}

// produce writes size pseudo-random bytes to w and returns their hash.
func produce(w io.Writer, size int) ([32]byte, error) {
	block := make([]byte, 1<<20)
	rnd := rand.NewChaCha8([32]byte{7})
	rnd.Read(block)
	h := sha256.New()
	for i := 0; size > 0; i++ {
		binary.LittleEndian.PutUint64(block, uint64(i))
		n := min(size, len(block))
		h.Write(block[:n])
		if _, err := w.Write(block[:n]); err != nil {
			return [32]byte{}, err
		}
		size -= n
	}
	return [32]byte(h.Sum(nil)), nil
}

// consume reads r to EOF and returns the hash and count of what it read.
func consume(r io.Reader) ([32]byte, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, struct{ io.Reader }{r})
	return [32]byte(h.Sum(nil)), n, err
}

// TestSpliceRelay copies 64 MiB with io.Copy between every pair of a
// Conn, a pipe, a FIFO, a regular file and a net.UnixConn that involves a
// Conn, checks the data by its hash, and checks that splice moved all of it.
func TestSpliceRelay(t *testing.T) {
	size := 64 << 20
	if testing.Short() {
		// Still 32 times a pipe's default buffer, so every pair goes
		// through many splice calls.
		size = 2 << 20
	}
	ends := []struct {
		name string
		make endMaker
	}{
		{"pipe", pipeEnd}, {"fifo", fifoEnd}, {"conn", connEnd}, {"unix", unixEnd}, {"file", fileEnd},
		{"llconn", llConnEnd},
	}
	isConn := func(name string) bool { return name == "conn" || name == "llconn" }
	for _, src := range ends {
		for _, dst := range ends {
			if !isConn(src.name) && !isConn(dst.name) {
				continue // not this package's copy
			}
			if isConn(src.name) && isConn(dst.name) && src.name != dst.name {
				continue // nothing new
			}
			t.Run(src.name+"-to-"+dst.name, func(t *testing.T) {
				s, d := src.make(t), dst.make(t)
				before := ipc.SplicedBytes()
				type result struct {
					sum [32]byte
					n   int64
					err error
				}
				prod := make(chan result, 1)
				produceAll := func() {
					sum, err := produce(s.w, size)
					s.closeW()
					prod <- result{sum: sum, err: err}
				}
				if src.name == "file" {
					produceAll()
				} else {
					go produceAll()
				}
				cons := make(chan result, 1)
				consumeAll := func() {
					sum, n, err := consume(d.r)
					cons <- result{sum, n, err}
				}
				if dst.name != "file" {
					go consumeAll()
				}
				n, err := io.Copy(d.w, s.r)
				if err != nil {
					t.Fatalf("io.Copy: %v", err)
				}
				d.closeW()
				if dst.name == "file" {
					consumeAll()
				}
				p, c := <-prod, <-cons
				if p.err != nil || c.err != nil {
					t.Fatalf("producer: %v; consumer: %v", p.err, c.err)
				}
				if n != int64(size) || c.n != int64(size) || p.sum != c.sum {
					t.Fatalf("io.Copy moved %d bytes, the consumer got %d (hash match: %v); want %d", n, c.n, p.sum == c.sum, size)
				}
				if got := ipc.SplicedBytes() - before; got != int64(size) {
					t.Errorf("splice moved %d bytes; want all %d", got, size)
				}
			})
		}
	}
}

// TestSpliceLimited checks io.CopyN into a Conn, from a pipe and from a
// Conn: exactly the limit moves, the
// LimitedReader is used up and the rest stays in the source.
func TestSpliceLimited(t *testing.T) {
	for _, src := range []struct {
		name string
		make endMaker
	}{{"pipe", pipeEnd}, {"conn", connEnd}} {
		t.Run(src.name, func(t *testing.T) {
			s, d := src.make(t), connEnd(t)
			data := bytes.Repeat([]byte("0123456789"), 500)
			if _, err := s.w.Write(data); err != nil {
				t.Fatal(err)
			}
			before := ipc.SplicedBytes()
			lr := &io.LimitedReader{R: s.r, N: 1234}
			n, err := d.w.(*ipc.Conn).ReadFrom(lr)
			if n != 1234 || err != nil || lr.N != 0 {
				t.Fatalf("ReadFrom = %d, %v, N left %d; want 1234, nil, 0", n, err, lr.N)
			}
			if got := ipc.SplicedBytes() - before; got != 1234 {
				t.Errorf("splice moved %d bytes; want 1234", got)
			}
			got := make([]byte, 1234)
			if _, err := io.ReadFull(d.r, got); err != nil || !bytes.Equal(got, data[:1234]) {
				t.Fatalf("destination got %q, %v", got, err)
			}
			rest := make([]byte, len(data)-1234)
			if _, err := io.ReadFull(s.r, rest); err != nil || !bytes.Equal(rest, data[1234:]) {
				t.Fatalf("the rest of the source: %v", err)
			}
			// A used-up limit moves nothing and reports no error.
			if n, err := d.w.(*ipc.Conn).ReadFrom(&io.LimitedReader{R: s.r, N: 0}); n != 0 || err != nil {
				t.Fatalf("ReadFrom with N 0 = %d, %v", n, err)
			}
		})
	}
}

// TestSpliceBrokenPipe checks that a relay into a destination whose reader
// is gone fails with EPIPE (and the process survives: no SIGPIPE kills it).
func TestSpliceBrokenPipe(t *testing.T) {
	t.Run("pipe-to-conn", func(t *testing.T) {
		s, d := pipeEnd(t), connEnd(t)
		d.r.(*ipc.Conn).Close() // the destination's peer
		go func() { s.w.Write(make([]byte, 1<<20)); s.closeW() }()
		_, err := io.Copy(d.w, s.r)
		wantErr(t, err, "readfrom", syscall.EPIPE)
	})
	t.Run("conn-to-pipe", func(t *testing.T) {
		s, d := connEnd(t), pipeEnd(t)
		d.r.(*os.File).Close()
		go func() { s.w.Write(make([]byte, 1<<20)); s.closeW() }()
		_, err := io.Copy(d.w, s.r)
		wantErr(t, err, "writeto", syscall.EPIPE)
	})
	t.Run("conn-to-conn", func(t *testing.T) {
		s, d := connEnd(t), connEnd(t)
		d.r.(*ipc.Conn).Close()
		go func() { s.w.Write(make([]byte, 1<<20)); s.closeW() }()
		_, err := io.Copy(d.w, s.r)
		wantErr(t, err, "writeto", syscall.EPIPE)
	})
}

// TestSpliceDeadlines checks that each side's deadline applies while the
// relay waits for that side, in both directions and through the internal
// pipe, in default and in low-latency mode.
func TestSpliceDeadlines(t *testing.T) {
	soon := func() time.Time { return time.Now().Add(30 * time.Millisecond) }
	// flood keeps writing to w until it fails.
	flood := func(w io.Writer) {
		buf := make([]byte, 64<<10)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}
	for _, mode := range []string{"default", "lowlatency"} {
		mkConn := connEnd
		if mode == "lowlatency" {
			mkConn = llConnEnd
		}
		t.Run(mode+"/conn-read", func(t *testing.T) { // WriteTo waits for the Conn
			s, d := mkConn(t), pipeEnd(t)
			s.r.(*ipc.Conn).SetReadDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			wantErr(t, err, "writeto", os.ErrDeadlineExceeded)
		})
		t.Run(mode+"/pipe-write", func(t *testing.T) { // WriteTo waits for the pipe
			s, d := mkConn(t), pipeEnd(t)
			go flood(s.w)
			d.w.(*os.File).SetWriteDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			wantErr(t, err, "writeto", os.ErrDeadlineExceeded)
			s.r.(*ipc.Conn).Close() // stop the flood
		})
		t.Run(mode+"/pipe-read", func(t *testing.T) { // ReadFrom waits for the pipe
			s, d := pipeEnd(t), mkConn(t)
			s.r.(*os.File).SetReadDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			wantErr(t, err, "readfrom", os.ErrDeadlineExceeded)
		})
		t.Run(mode+"/conn-write", func(t *testing.T) { // ReadFrom waits for the Conn
			s, d := pipeEnd(t), mkConn(t)
			go flood(s.w)
			d.w.(*ipc.Conn).SetWriteDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			wantErr(t, err, "readfrom", os.ErrDeadlineExceeded)
			s.r.(*os.File).Close()
		})
		t.Run(mode+"/via-pipe-read", func(t *testing.T) { // Conn to Conn, waiting for the source
			s, d := mkConn(t), mkConn(t)
			s.r.(*ipc.Conn).SetReadDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			wantErr(t, err, "writeto", os.ErrDeadlineExceeded)
		})
		t.Run(mode+"/via-pipe-write", func(t *testing.T) { // Conn to Conn, waiting for the destination
			s, d := mkConn(t), mkConn(t)
			go flood(s.w)
			d.w.(*ipc.Conn).SetWriteDeadline(soon())
			_, err := io.Copy(d.w, s.r)
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("io.Copy: %v; want a deadline error", err)
			}
			s.r.(*ipc.Conn).Close()
		})
	}
}

// TestSpliceClose checks that closing the Conn ends a WriteTo waiting for
// it, with net.ErrClosed.
func TestSpliceClose(t *testing.T) {
	s, d := connEnd(t), pipeEnd(t)
	errc := make(chan error, 1)
	go func() {
		_, err := io.Copy(d.w, s.r)
		errc <- err
	}()
	s.r.(*ipc.Conn).Close()
	wantErr(t, <-errc, "writeto", net.ErrClosed)
}

// TestSpliceMessageMode checks that a message-mode Conn is copied plainly,
// never spliced, and arrives intact.
func TestSpliceMessageMode(t *testing.T) {
	a, b, err := ipc.ConnPair(true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	d := pipeEnd(t)
	go func() {
		for i := 0; i < 100; i++ {
			b.Write([]byte("message "))
		}
		b.Close()
	}()
	before := ipc.SplicedBytes()
	errc := make(chan error, 1)
	go func() {
		_, err := io.Copy(d.w, a)
		d.closeW()
		errc <- err
	}()
	got, err := io.ReadAll(d.r)
	if err != nil || string(got) != string(bytes.Repeat([]byte("message "), 100)) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if n := ipc.SplicedBytes() - before; n != 0 {
		t.Errorf("splice moved %d bytes of a message-mode connection; want 0", n)
	}
}

// TestLowLatencyCopyIdle checks that an io.Copy from an idle low-latency
// Conn parks after its spin window instead of burning CPU (checkIdle), as
// TestLowLatencyIdle does for Read.
func TestLowLatencyCopyIdle(t *testing.T) {
	s, d := llConnEnd(t), pipeEnd(t)
	src := s.r.(*ipc.Conn)
	const chunks, size = 1000, 64
	consumed := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(d.r, make([]byte, chunks*size))
		consumed <- err
	}()
	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(d.w, src)
		copied <- err
	}()
	// Data first, so the window has adapted to a copy that finds data.
	buf := make([]byte, size)
	for i := 0; i < chunks; i++ {
		if _, err := s.w.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-consumed; err != nil {
		t.Fatal(err)
	}

	checkIdle(t, "io.Copy", "writeto", src.SetReadDeadline, func() error { return <-copied })
}

func init() { helpers["send-two-chunks"] = helperSendTwoChunks }

// helperSendTwoChunks dials args[0], writes "AAAA", waits for a line on
// standard input, writes "BBBB" and closes the connection.
func helperSendTwoChunks(args []string) int {
	c, err := ipc.Dial(args[0])
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	if _, err := c.Write([]byte("AAAA")); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("sent")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 1
	}
	if _, err := c.Write([]byte("BBBB")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// spliceRefuser is an io.Writer whose descriptor, a /proc file, refuses
// splice with EINVAL; what is written to it through Write is kept in
// memory. The first time a copy waits to write to it (that is, after a
// splice has taken data off the source), draining is closed.
type spliceRefuser struct {
	f        *os.File
	buf      bytes.Buffer
	draining chan struct{}
	once     sync.Once
}

func (w *spliceRefuser) Write(b []byte) (int, error) { return w.buf.Write(b) }

func (w *spliceRefuser) SyscallConn() (syscall.RawConn, error) {
	rc, err := w.f.SyscallConn()
	return drainHook{rc, w}, err
}

type drainHook struct {
	syscall.RawConn
	w *spliceRefuser
}

func (h drainHook) Write(f func(uintptr) bool) error {
	h.w.once.Do(func() { close(h.w.draining) })
	return h.RawConn.Write(f)
}

func newSpliceRefuser(t *testing.T) *spliceRefuser {
	f, err := os.OpenFile("/proc/self/oom_score_adj", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { f.Close() })
	return &spliceRefuser{f: f, draining: make(chan struct{})}
}

// TestWriteToSpliceRefused copies from a connection to a destination that
// refuses splice after the first chunk is already in the internal pipe:
// that chunk must reach the destination, followed by the rest.
func TestWriteToSpliceRefused(t *testing.T) {
	ln := listen(t, uniqueName("refused"))
	c, line := startChild(t, helperCommand(t, "send-two-chunks", ln.Addr().String()))
	if line != "sent" {
		t.Fatal(line)
	}
	conn, err := ln.AcceptConn()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	w := newSpliceRefuser(t)
	go func() {
		<-w.draining // "AAAA" has left the socket
		io.WriteString(c.stdin, "go\n")
	}()
	n, err := conn.WriteTo(w)
	if err != nil || n != 8 || w.buf.String() != "AAAABBBB" {
		t.Fatalf("WriteTo = %d, %v, destination got %q; want 8, nil, \"AAAABBBB\"", n, err, w.buf.String())
	}
	c.finish()
}

// TestReadFromSpliceRefused audits ReadFrom for the same loss: a source
// that refuses splice (a /proc file) is refused before anything is in the
// internal pipe, and the plain copy that follows delivers it all.
func TestReadFromSpliceRefused(t *testing.T) {
	f, err := os.Open("/proc/self/cmdline")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	want, err := os.ReadFile("/proc/self/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	a, b, err := ipc.ConnPair(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	errc := make(chan error, 1)
	go func() {
		_, err := a.ReadFrom(f)
		a.CloseWrite()
		errc <- err
	}()
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("ReadFrom copied %q; want %q", got, want)
	}
}
