// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// Command ipccat relays data between local sockets, pipes, FIFOs, TCP
// loopback, commands and its own standard input and output: what socat,
// nc -U and npiperelay do, for the names of package ipc, on every OS, in
// one binary with no dependencies beyond the package and the standard
// library.
//
//	go install github.com/ipcgo/ipc/cmd/ipccat@latest
//
// Talk to a server, or be one:
//
//	ipccat myapp                  # dial myapp; stdin to the socket, the socket to stdout
//	ipccat -l myapp               # listen on myapp and relay one connection
//	ipccat -lk myapp -e sh -c 'echo hello $IPC_PEER_UID'   # a handler per connection
//
// A name is anything [ipc.Dial] takes: a bare name such as myapp (private
// to the user), @myapp (a Linux abstract socket), a path, or on Windows
// \\.\pipe\myapp, also spelled //./pipe/myapp.
//
// Give curl, or any tool that wants a socket path, the name's path:
//
//	curl --unix-socket "$(ipccat resolve myapp)" http://localhost/
//
// Expose a local socket to a tool that only speaks TCP, on 127.0.0.1:
//
//	ipccat -k tcp-listen:8080 myapp
//
// From WSL, reach a Windows named pipe through ipccat.exe on the Windows
// side:
//
//	socat UNIX-LISTEN:/tmp/docker.sock,fork EXEC:"ipccat.exe //./pipe/docker_engine"
//
// The general form relays between two addresses: - (stdin and stdout), a
// name (dialed), listen:NAME, tcp:HOST:PORT, tcp-listen:[HOST:]PORT
// (127.0.0.1 unless a host is given), exec:CMD (a command line split into
// words at spaces, with ” and "" quoting; no shell), fifo:PATH and
// file:PATH (read when first, written when second; the relay then runs
// one way). dial:NAME names a socket whose name looks like an address.
//
// When the data from one side ends, ipccat half-closes the other side
// (CloseWrite) where the transport can, and goes on relaying the other
// direction until it ends too; Windows pipes have no half close, so there
// it waits for the peer to close. -c closes both sides at the first end
// instead. ipccat -h lists the options and exit statuses.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ipcgo/ipc"
)

const usage = `usage: ipccat [options] NAME              dial NAME, relay it with stdin and stdout
       ipccat [options] -l NAME           listen on NAME, relay one connection
       ipccat [options] [-l] NAME -e CMD [ARG...]   run CMD with stdin/stdout on the connection
       ipccat [options] ADDR1 ADDR2       relay between two addresses
       ipccat resolve NAME                print the socket path or pipe that NAME means here
       ipccat ls                          list the user's sockets (Windows: the pipes)

NAME  myapp (private to the user), @myapp (Linux abstract), a path, \\.\pipe\x, //./pipe/x
ADDR  -  NAME  dial:NAME  listen:NAME  tcp:HOST:PORT  tcp-listen:[HOST:]PORT (127.0.0.1
      unless HOST)  exec:CMD  fifo:PATH  file:PATH (fifo, file: read as ADDR1, written as ADDR2)

  -l, --listen        listen on NAME instead of dialing it
  -k, --keep-open     keep listening: connections in turn with stdio, else concurrently
  -e, --exec CMD ...  run CMD per connection (the rest of the line is CMD and its args);
                      env IPC_PEER_PID, IPC_PEER_UID, IPC_PEER_GID, IPC_PEER_SID
  -m, --message       message mode: a line of input per message, a message per output line
      --length-prefix with -m: frame messages by a 4-byte big-endian length, not lines
  -c, --close         at the first end of data, close both sides (default: half-close)
  -w, --wait DUR      retry the dial until the name exists, for up to DUR (e.g. 10s)
  -t, --timeout DUR   bound each dial (also a FIFO's wait for a reader)
      --mode MODE     listen: the socket file's permissions, octal (e.g. 0660)
      --reclaim       listen: take over a stale socket file left by a dead server
      --sddl SDDL     listen (Windows): the pipe's security descriptor
      --peer          print the peer's credentials to stderr
      --low-latency   spin briefly before waiting for data (lower latency, more CPU)
  -v, --verbose       log listening, connections and their ends to stderr
  -h, --help          print this help

Exit status: 0 when every direction ended cleanly; 1 on an error (one line on
stderr names the address and the cause); 2 on a usage error; 130 on SIGINT and
143 on SIGTERM, after closing the listener (which removes its socket file).
`

// Exit statuses.
const (
	exitOK     = 0
	exitError  = 1
	exitUsage  = 2
	exitSIGINT = 130 // 128 + SIGINT
	exitSIGTRM = 143 // 128 + SIGTERM
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// options are the parsed command line.
type options struct {
	listen, keep, message, lengthPrefix bool
	closeOnEOF, reclaim, peer           bool
	lowLatency, verbose, help           bool
	mode                                os.FileMode
	modeSet                             bool
	sddl                                string
	wait, timeout                       time.Duration
	exec                                []string // -e: the command and its arguments
	execSet                             bool
	args                                []string // positional arguments
}

// usageError is a bad command line: ipccat prints it with a hint and exits
// with status 2.
type usageError string

func (e usageError) Error() string { return string(e) }

func usagef(format string, args ...any) error { return usageError(fmt.Sprintf(format, args...)) }

// parseArgs parses the command line. Options may come before, between
// and after the positional arguments; "--" ends them, and -e takes the
// rest of the line. Short boolean options combine, as in -lkv.
func parseArgs(args []string) (*options, error) {
	o := &options{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			o.args = append(o.args, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			o.args = append(o.args, a)
			continue
		}
		// value returns the option's value: inline (--x=v, -wv) or the
		// next argument.
		var inline string
		var hasInline bool
		value := func(name string) (string, error) {
			if hasInline {
				return inline, nil
			}
			if i+1 >= len(args) {
				return "", usagef("option %s needs a value", name)
			}
			i++
			return args[i], nil
		}
		if strings.HasPrefix(a, "--") {
			name := a[2:]
			if k := strings.IndexByte(name, '='); k >= 0 {
				name, inline, hasInline = name[:k], name[k+1:], true
			}
			if name == "exec" {
				if hasInline {
					return nil, usagef("--exec takes the command as the following arguments, not --exec=")
				}
				o.exec, o.execSet = args[i+1:], true
				return o, nil
			}
			if err := o.setLong(name, "--"+name, hasInline, value); err != nil {
				return nil, err
			}
			continue
		}
		// A cluster of short options.
		for k := 1; k < len(a); k++ {
			c := a[k]
			name := "-" + string(c)
			switch c {
			case 'e':
				if k != len(a)-1 {
					return nil, usagef("-e takes the command as the following arguments")
				}
				o.exec, o.execSet = args[i+1:], true
				return o, nil
			case 'w', 't':
				if k+1 < len(a) {
					inline, hasInline = a[k+1:], true
				}
				v, err := value(name)
				if err != nil {
					return nil, err
				}
				if err := o.setDuration(name, v); err != nil {
					return nil, err
				}
				k = len(a)
			default:
				long, ok := shortBool[c]
				if !ok {
					return nil, usagef("unknown option %s", name)
				}
				if err := o.setLong(long, name, false, nil); err != nil {
					return nil, err
				}
			}
		}
	}
	return o, nil
}

// shortBool maps the short boolean options to their long names.
var shortBool = map[byte]string{
	'l': "listen", 'k': "keep-open", 'm': "message", 'c': "close", 'v': "verbose", 'h': "help",
}

func (o *options) setLong(name, shown string, hasInline bool, value func(string) (string, error)) error {
	flags := map[string]*bool{
		"listen": &o.listen, "keep-open": &o.keep, "message": &o.message,
		"length-prefix": &o.lengthPrefix, "close": &o.closeOnEOF, "reclaim": &o.reclaim,
		"peer": &o.peer, "low-latency": &o.lowLatency, "verbose": &o.verbose, "help": &o.help,
	}
	if p, ok := flags[name]; ok {
		if hasInline {
			return usagef("option %s takes no value", shown)
		}
		*p = true
		return nil
	}
	if value == nil {
		return usagef("unknown option %s", shown)
	}
	switch name {
	case "wait", "timeout":
		v, err := value(shown)
		if err != nil {
			return err
		}
		return o.setDuration(shown, v)
	case "mode":
		v, err := value(shown)
		if err != nil {
			return err
		}
		m, err := strconv.ParseUint(v, 8, 32)
		if err != nil || m == 0 || m&^0o777 != 0 {
			return usagef("--mode %q: want octal permission bits such as 0660", v)
		}
		o.mode, o.modeSet = os.FileMode(m), true
		return nil
	case "sddl":
		v, err := value(shown)
		if err != nil {
			return err
		}
		o.sddl = v
		return nil
	}
	return usagef("unknown option %s", shown)
}

func (o *options) setDuration(name, v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return usagef("option %s %q: want a positive duration such as 5s or 500ms", name, v)
	}
	if name == "-w" || name == "--wait" {
		o.wait = d
	} else {
		o.timeout = d
	}
	return nil
}

// run is the whole command; its result is the exit status.
func run(args []string) int {
	o, err := parseArgs(args)
	if err == nil && o.help {
		fmt.Fprint(os.Stdout, usage)
		return exitOK
	}
	var job *plan
	if err == nil {
		job, err = o.plan()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ipccat: %v\nRun ipccat -h for usage.\n", err)
		return exitUsage
	}
	switch job.kind {
	case jobResolve:
		p, err := ipc.Resolve(o.args[1])
		if err != nil {
			fmt.Fprintf(os.Stderr, "ipccat: %v\n", err)
			return exitError
		}
		fmt.Println(p)
		return exitOK
	case jobList:
		if err := list(os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "ipccat: ls: %v\n", err)
			return exitError
		}
		return exitOK
	}

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	go func() {
		if s, ok := <-sigc; ok {
			cancel(signalError{s})
		}
	}()

	err = job.run(ctx, o)
	restoreStdio()
	var se signalError
	if errors.As(context.Cause(ctx), &se) {
		if o.verbose {
			fmt.Fprintf(os.Stderr, "ipccat: %v\n", se)
		}
		if se.sig == os.Interrupt {
			return exitSIGINT
		}
		return exitSIGTRM
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ipccat: %v\n", err)
		return exitError
	}
	return exitOK
}

// signalError is the cause of a run ended by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "stopped by " + e.sig.String() }

// logf logs to stderr under -v.
func (o *options) logf(format string, args ...any) {
	if o.verbose {
		fmt.Fprintf(os.Stderr, "ipccat: "+format+"\n", args...)
	}
}

// A jobKind is what the command line asks for.
type jobKind int

const (
	jobRelay jobKind = iota
	jobResolve
	jobList
)

// plan is a checked command line: what to do, between which addresses.
type plan struct {
	kind   jobKind
	a1, a2 *address // a1 listens if either does
}

// plan checks the command line and turns it into a plan.
func (o *options) plan() (*plan, error) {
	if len(o.args) > 0 && !o.execSet && !o.listen {
		switch o.args[0] {
		case "resolve":
			if len(o.args) != 2 {
				return nil, usagef("resolve takes one name")
			}
			return &plan{kind: jobResolve}, nil
		case "ls":
			if len(o.args) != 1 {
				return nil, usagef("ls takes no arguments")
			}
			return &plan{kind: jobList}, nil
		}
	}
	if o.execSet && len(o.exec) == 0 {
		return nil, usagef("-e needs a command")
	}
	if o.lengthPrefix && !o.message {
		return nil, usagef("--length-prefix needs -m")
	}
	p := &plan{kind: jobRelay}
	var err error
	switch len(o.args) {
	case 0:
		return nil, usagef("missing a name to dial or listen on")
	case 1:
		if o.listen {
			p.a1 = &address{kind: addrListen, arg: o.args[0]}
		} else if p.a1, err = parseAddress(o.args[0]); err != nil {
			return nil, err
		}
		if p.a1.kind == addrStdio {
			return nil, usagef("- (stdio) needs a second address")
		}
		if o.execSet {
			p.a2 = &address{kind: addrExec, argv: o.exec}
		} else {
			p.a2 = &address{kind: addrStdio}
		}
	case 2:
		if o.listen {
			return nil, usagef("-l takes one name; with two addresses write listen:NAME")
		}
		if o.execSet {
			return nil, usagef("-e takes one name; with two addresses write exec:CMD")
		}
		if p.a1, err = parseAddress(o.args[0]); err != nil {
			return nil, err
		}
		if p.a2, err = parseAddress(o.args[1]); err != nil {
			return nil, err
		}
		if p.a1.kind == addrStdio && p.a2.kind == addrStdio {
			return nil, usagef("at most one address may be - (stdio)")
		}
	default:
		return nil, usagef("too many arguments: %q (at most two addresses; -e takes the rest of the line)", o.args[2])
	}
	if p.a2.listens() {
		if p.a1.listens() {
			return nil, usagef("at most one address may listen")
		}
		// The relay is symmetric, except that a fifo: or file: address
		// reads as the first address and writes as the second.
		p.a1, p.a2 = p.a2, p.a1
		p.a2.swapped = true
	}
	if p.a1.kind == addrFifo || p.a1.kind == addrFile {
		p.a1.readOnly = !p.a1.swapped
		p.a1.writeOnly = p.a1.swapped
	}
	if p.a2.kind == addrFifo || p.a2.kind == addrFile {
		p.a2.readOnly = p.a2.swapped
		p.a2.writeOnly = !p.a2.swapped
	}
	if (p.a1.kind == addrFifo || p.a1.kind == addrFile) && (p.a2.kind == addrFifo || p.a2.kind == addrFile) &&
		p.a1.readOnly == p.a2.readOnly {
		return nil, usagef("nothing to relay between %s and %s", o.args[0], o.args[1])
	}
	if o.keep && !p.a1.listens() {
		return nil, usagef("-k needs a listening address (-l NAME, listen:NAME or tcp-listen:PORT)")
	}
	if (o.modeSet || o.reclaim || o.sddl != "") && p.a1.kind != addrListen {
		return nil, usagef("--mode, --reclaim and --sddl apply to listening on a name (-l NAME or listen:NAME)")
	}
	if o.wait > 0 && p.a1.kind != addrDial && p.a2.kind != addrDial {
		return nil, usagef("-w applies to dialing a name")
	}
	return p, nil
}
