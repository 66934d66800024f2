// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package xcheck

// entry places one of ipc's hand-written constants, variables or struct
// types, on the targets it covers; see xcheck_test.go.
type entry struct {
	name   string // ipc's name; func.name or Type.method.name inside a function
	goos   string // the GOOS it covers, separated by spaces; "" for all
	goarch string // likewise for GOARCH

	// One of:
	sys      string // x/sys's counterpart: a constant expression (see evaluator), or a struct type
	lacking  string // x/sys has none: the header or document that defines it, and what it says
	internal string // not an OS number or layout: why
	unused   string // compiled for these targets but not used there: why

	want   string // with lacking: the value (a constant expression) or the layout ("size N: field@offset/size ...")
	fields string // with a struct sys: "ours=theirs" pairs where the fields do not pair in order; theirs may be #N, the Nth field
	extra  string // with a struct sys: "field: why; ..." for our fields past the end of theirs
	prefix string // with a struct sys: ours is the leading part of theirs: why
}

// syscallSkip lists names of package syscall that ipc uses and that
// differ from x/sys's on purpose, with why.
var syscallSkip = map[string]string{}

// The GOOS each platform file of ipc is compiled for.
const (
	linuxOS = "linux android"                               // ipc_linux.go
	bsdOS   = "darwin ios dragonfly freebsd netbsd openbsd" // ipc_bsd.go
	unixOS  = linuxOS + " " + bsdOS                         // ipc_unix.go
	otherOS = "aix illumos solaris js wasip1 plan9"         // ipc_other.go
	macOS   = "darwin ios"
	nsigMax = "min(runtime._NSIG, signal.numSig) - 1" // the highest signal os/signal delivers
)

var table = []entry{
	// ---- ipc_unix.go ----
	{name: "maxPathLen", goos: unixOS, sys: "len(RawSockaddrUnix.Path) - 1"},
	{name: "ucred", goos: linuxOS, sys: "Ucred"},
	{name: "ucred", goos: bsdOS, unused: "Linux's struct ucred, the payload of SCM_CREDENTIALS, which these systems do not send (scmCredentials is -1)"},
	{name: "maxFilesPerMsg", goos: linuxOS, lacking: "Linux include/net/scm.h (kernel-internal, not in uapi): SCM_MAX_FD 253", want: "253"},
	{name: "maxFilesPerMsg", goos: bsdOS, internal: "the BSDs have no fixed limit below what fits in a control mbuf; a bound of ours"},
	{name: "defaultBacklog", goos: unixOS, internal: "a backlog above any somaxconn, which the kernel clamps to somaxconn"},
	{name: "lockWait", goos: unixOS, internal: "a time.Duration"},
	{name: "flagLowLatency", goos: unixOS + " windows " + otherOS, internal: "a bit of a Conn's settings word"},
	{name: "flagPassCred", goos: unixOS + " windows " + otherOS, internal: "a bit of a Conn's settings word"},
	{name: "spinMin", goos: unixOS, internal: "low-latency spin window, in nanoseconds"},
	{name: "spinStart", goos: unixOS, internal: "low-latency spin window, in nanoseconds"},
	{name: "spinMax", goos: unixOS, internal: "low-latency spin window, in nanoseconds"},
	{name: "coldProbe", goos: unixOS, internal: "how often a cold low-latency read tries first"},
	{name: "maxRW", goos: unixOS, internal: "the most one read asks for, as in internal/poll"},
	{name: "pathGone", goos: unixOS, internal: "an enumeration of ours: what the stale-socket probe found"},
	{name: "pathStale", goos: unixOS, internal: "an enumeration of ours: what the stale-socket probe found"},
	{name: "pathLive", goos: unixOS, internal: "an enumeration of ours: what the stale-socket probe found"},
	{name: "pathUnknown", goos: unixOS, internal: "an enumeration of ours: what the stale-socket probe found"},
	{name: "pathNotSocket", goos: unixOS, internal: "an enumeration of ours: what the stale-socket probe found"},

	// ---- ipc_linux.go ----
	{name: "_O_PATH", goos: linuxOS, sys: "O_PATH"},
	{name: "msgCmsgCloexec", goos: linuxOS, sys: "MSG_CMSG_CLOEXEC"},
	{name: "scmCredentials", goos: linuxOS, sys: "SCM_CREDENTIALS"},
	{name: "linuxRTMin", goos: linuxOS, want: "35", lacking: "Linux asm-generic/signal.h: SIGRTMIN 32; glibc keeps 32 and 33 (nptl SIGCANCEL, SIGSETXID) and musl also 34, and the Go runtime reserves all three (runtime/sigtab_linux_generic.go)"},
	{name: "rtSigMax", goos: linuxOS, sys: nsigMax},
	{name: "androidRTMin", goos: linuxOS, want: "42", lacking: "bionic libc/include/signal.h: SIGRTMIN is __libc_current_sigrtmin(), 32 + __SIGRT_RESERVED (10 in current bionic: libc/private/sigrtmin.h)"},
	{name: "_SPLICE_F_MOVE", goos: linuxOS, sys: "SPLICE_F_MOVE"},
	{name: "_POLLIN", goos: linuxOS, sys: "POLLIN"},
	{name: "_POLLERR", goos: linuxOS, sys: "POLLERR"},
	{name: "_POLLHUP", goos: linuxOS, sys: "POLLHUP"},
	{name: "pollFd", goos: linuxOS, sys: "PollFd"},
	{name: "fifoRef", goos: linuxOS, internal: "a descriptor and its stat, ours"},
	// peer identity (pidfds, groups, labels)
	{name: "_SO_PEERGROUPS", goos: linuxOS, sys: "SO_PEERGROUPS"},
	{name: "_SO_PASSPIDFD", goos: linuxOS, sys: "SO_PASSPIDFD"},
	{name: "_SO_PEERPIDFD", goos: linuxOS, sys: "SO_PEERPIDFD"},
	{name: "_SCM_PIDFD", goos: linuxOS, sys: "SCM_PIDFD"},
	{name: "scmPidfd", goos: linuxOS, sys: "SCM_PIDFD"},
	{name: "_NETLINK_SOCK_DIAG", goos: linuxOS, sys: "NETLINK_SOCK_DIAG"},
	{name: "_SOCK_DIAG_BY_FAMILY", goos: linuxOS, sys: "SOCK_DIAG_BY_FAMILY"},
	{name: "_UDIAG_SHOW_VFS", goos: linuxOS, lacking: "Linux include/uapi/linux/unix_diag.h: #define UDIAG_SHOW_VFS 0x00000002", want: "2"},
	{name: "_UNIX_DIAG_VFS", goos: linuxOS, lacking: "Linux include/uapi/linux/unix_diag.h: enum { UNIX_DIAG_NAME, UNIX_DIAG_VFS, ... }, so 1", want: "1"},
	{name: "unixDiagReq", goos: linuxOS, lacking: "Linux include/uapi/linux/unix_diag.h: struct unix_diag_req { __u8 sdiag_family; __u8 sdiag_protocol; __u16 pad; __u32 udiag_states; __u32 udiag_ino; __u32 udiag_show; __u32 udiag_cookie[2]; }",
		want: "size 24: Family@0/1 Protocol@1/1 _@2/2 States@4/4 Ino@8/4 Show@12/4 Cookie@16/8"},
	{name: "unixDiagMsg", goos: linuxOS, lacking: "Linux include/uapi/linux/unix_diag.h: struct unix_diag_msg { __u8 udiag_family; __u8 udiag_type; __u8 udiag_state; __u8 pad; __u32 udiag_ino; __u32 udiag_cookie[2]; }",
		want: "size 16: Family@0/1 Type@1/1 State@2/1 _@3/1 Ino@4/4 Cookie@8/8"},
	{name: "unixDiagVfs", goos: linuxOS, lacking: "Linux include/uapi/linux/unix_diag.h: struct unix_diag_vfs { __u32 udiag_vfs_ino; __u32 udiag_vfs_dev; }",
		want: "size 8: Ino@0/4 Dev@4/4"},
	{name: "pidfdSpace", goos: linuxOS, internal: "CMSG_SPACE(sizeof(int)), the room of one SCM_PIDFD message, computed by syscall.CmsgSpace for the target"},
	{name: "sysPidfdSendSignal", goos: linuxOS, sys: "SYS_PIDFD_SEND_SIGNAL"},
	{name: "sysBase", goos: linuxOS, sys: "SYS_PIDFD_SEND_SIGNAL - 424"},
	{name: "_SYS_GETSOCKOPT", goos: linuxOS, goarch: "386", want: "15", lacking: "Linux include/uapi/linux/net.h: SYS_GETSOCKOPT 15, getsockopt's call number for socketcall(2)"},
	{name: "_SPLICE_F_NONBLOCK", goos: linuxOS, sys: "SPLICE_F_NONBLOCK"},
	{name: "maxSpliceSize", goos: linuxOS, internal: "the most one splice call is asked to move, as in internal/poll"},
	{name: "kindNone", goos: linuxOS, internal: "an enumeration of ours"},
	{name: "kindPipe", goos: linuxOS, internal: "an enumeration of ours"},
	{name: "kindSocket", goos: linuxOS, internal: "an enumeration of ours"},
	{name: "kindFile", goos: linuxOS, internal: "an enumeration of ours"},
	{name: "splicePipe", goos: linuxOS, internal: "two descriptors and a byte count, never given to the kernel"},

	// ---- ipc_bsd.go ----
	{name: "_SOL_LOCAL", goos: "darwin ios freebsd", sys: "SOL_LOCAL"},
	{name: "_SOL_LOCAL", goos: "dragonfly netbsd", want: "0", lacking: "DragonFly and NetBSD sys/un.h: the LOCAL_* options are at level 0 (no SOL_LOCAL)"},
	{name: "_SOL_LOCAL", goos: "openbsd", unused: "OpenBSD's SO_PEERCRED is at SOL_SOCKET"},
	{name: "_LOCAL_PEERCRED", goos: "darwin ios freebsd", sys: "LOCAL_PEERCRED"},
	{name: "_LOCAL_PEERCRED", goos: "dragonfly", want: "1", lacking: "DragonFly sys/un.h: LOCAL_PEERCRED 0x001"},
	{name: "_LOCAL_PEERCRED", goos: "netbsd openbsd", unused: "read on macOS, FreeBSD and DragonFly only"},
	{name: "_LOCAL_PEERPID", goos: macOS, sys: "LOCAL_PEERPID"},
	{name: "_LOCAL_PEERPID", goos: "dragonfly freebsd netbsd openbsd", unused: "read on macOS only"},
	{name: "_LOCAL_PEEREID", goos: "netbsd", want: "3", lacking: "NetBSD sys/un.h: LOCAL_PEEREID 0x0003"},
	{name: "_LOCAL_PEEREID", goos: "darwin ios dragonfly freebsd openbsd", unused: "read on NetBSD only (macOS's 3 is LOCAL_PEEREPID)"},
	{name: "_SO_PEERCRED", goos: "openbsd", sys: "SO_PEERCRED"},
	{name: "_SO_PEERCRED", goos: "darwin ios dragonfly freebsd netbsd", unused: "read on OpenBSD only"},
	{name: "xucred", goos: "freebsd", sys: "Xucred"},
	{name: "xucred", goos: macOS, sys: "Xucred", extra: "pid: FreeBSD's union after cr_groups, past the end of macOS's structure; read on FreeBSD only"},
	{name: "xucred", goos: "dragonfly", want: "size 88: _@0/4 uid@4/4 _@8/2 groups@12/64 pid@80/8",
		lacking: "DragonFly sys/ucred.h: struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[XU_NGROUPS = 16]; void *_cr_unused1; }"},
	{name: "xucred", goos: "netbsd openbsd", unused: "read on macOS, FreeBSD and DragonFly only"},
	{name: "sockpeercred", goos: "openbsd", want: "size 12: uid@0/4 gid@4/4 pid@8/4",
		lacking: "OpenBSD sys/socket.h: struct sockpeercred { uid_t uid; gid_t gid; pid_t pid; }"},
	{name: "sockpeercred", goos: "darwin ios dragonfly freebsd netbsd", unused: "read on OpenBSD only"},
	{name: "unpcbid", goos: "netbsd", want: "size 12: pid@0/4 uid@4/4 gid@8/4",
		lacking: "NetBSD sys/un.h: struct unpcbid { pid_t unp_pid; uid_t unp_euid; gid_t unp_egid; }"},
	{name: "unpcbid", goos: "darwin ios dragonfly freebsd openbsd", unused: "read on NetBSD only"},
	{name: "msgCmsgCloexec", goos: "dragonfly freebsd netbsd openbsd", sys: "MSG_CMSG_CLOEXEC"},
	{name: "msgCmsgCloexec", goos: macOS, internal: "0: macOS has no MSG_CMSG_CLOEXEC; received descriptors get close-on-exec under ForkLock"},
	{name: "scmCredentials", goos: bsdOS, internal: "-1: no per-message credentials on these systems"},
	{name: "credSpace", goos: bsdOS, internal: "0: no credentials message on these systems"},
	{name: "scmPidfd", goos: bsdOS, internal: "-1: no process handles (SCM_PIDFD) on these systems; type 4 at SOL_SOCKET is another message here (FreeBSD SCM_BINTIME, macOS SCM_TIMESTAMP_MONOTONIC)"},
	{name: "pidfdSpace", goos: bsdOS, internal: "0: no SCM_PIDFD message on these systems"},
	{name: "sigMax", goos: bsdOS, sys: nsigMax},
	{name: "fifoRef", goos: bsdOS, internal: "a stat of ours"},

	// ---- ipc_other.go ----

	// ---- every target (ipc.go, sock.go, pipe.go, fifo.go, signal.go) ----
	{name: "noFiles", goos: unixOS + " " + otherOS + " windows", internal: "an argument value of ours: recvMsg wants no descriptors"},
	{name: "WaitForWriter", goos: unixOS + " " + otherOS + " windows", internal: "a flag of ours: OpenFifo accepts only O_RDONLY, O_WRONLY and O_RDONLY|WaitForWriter, and never passes it to open(2)"},
	{name: "busyWait", goos: unixOS + " " + otherOS + " windows", internal: "a time.Duration: how long a dial without a deadline waits for a full queue"},

	// ---- every Unix ----
	{name: "maxPID", goos: unixOS + " aix illumos solaris", want: "0x7fffffff", lacking: "sys/types.h: pid_t is a 32-bit int on every Unix Go supports"},
	{name: "maxPID", goos: "js wasip1 plan9", internal: "no process signals here (ErrUnsupported); the bound keeps the argument check the same everywhere"},

	// ---- ipc_windows.go, zsyscall_windows.go ----
	{name: "maxPID", goos: "windows", want: "0xffffffff", lacking: "Win32: a process ID is a DWORD (GetProcessId)"},
	{name: "maxPipeName", goos: "windows", want: "256", lacking: "Win32 CreateNamedPipe documentation: a pipe name, \\\\.\\pipe\\ included, is at most 256 characters"},
	{name: "pipeAccessInbound", goos: "windows", sys: "PIPE_ACCESS_INBOUND"},
	{name: "pipeAccessDuplex", goos: "windows", sys: "PIPE_ACCESS_DUPLEX"},
	{name: "fileFlagFirstPipeInstance", goos: "windows", sys: "FILE_FLAG_FIRST_PIPE_INSTANCE"},
	{name: "pipeTypeMessage", goos: "windows", sys: "PIPE_TYPE_MESSAGE"},
	{name: "pipeReadmodeMessage", goos: "windows", sys: "PIPE_READMODE_MESSAGE"},
	{name: "pipeRejectRemoteClients", goos: "windows", sys: "PIPE_REJECT_REMOTE_CLIENTS"},
	{name: "pipeUnlimitedInstances", goos: "windows", sys: "PIPE_UNLIMITED_INSTANCES"},
	{name: "securitySqosPresent", goos: "windows", sys: "SECURITY_SQOS_PRESENT"},
	{name: "securityIdentification", goos: "windows", sys: "SECURITY_IDENTIFICATION"},
	{name: "securityImpersonation", goos: "windows", sys: "SECURITY_IMPERSONATION"},
	{name: "sddlRevision1", goos: "windows", want: "1", lacking: "sddl.h: SDDL_REVISION_1 1"},
	{name: "seKernelObject", goos: "windows", sys: "SE_KERNEL_OBJECT"},
	{name: "ownerSecurityInformation", goos: "windows", sys: "OWNER_SECURITY_INFORMATION"},
	{name: "defaultInstances", goos: "windows", internal: "pending pipe instances a listener keeps by default"},
	{name: "maxInstances", goos: "windows", internal: "the documented bound of ListenConfig.Instances (it was MAXIMUM_WAIT_OBJECTS less one; waits no longer use WaitForMultipleObjects)"},
	{name: "defaultPipeBuffer", goos: "windows", internal: "our default pipe buffer size"},
	{name: "currentThread", goos: "windows", want: "-2", lacking: "processthreadsapi.h: GetCurrentThread returns the pseudo-handle (HANDLE)-2 (x/sys has it as a function, CurrentThread)"},
	{name: "errorPipeBusy", goos: "windows", sys: "ERROR_PIPE_BUSY"},
	{name: "errorNoData", goos: "windows", sys: "ERROR_NO_DATA"},
	{name: "errorPipeConnected", goos: "windows", sys: "ERROR_PIPE_CONNECTED"},
	{name: "errorSemTimeout", goos: "windows", sys: "ERROR_SEM_TIMEOUT"},
	{name: "errorPipeNotConnected", goos: "windows", sys: "ERROR_PIPE_NOT_CONNECTED"},
	{name: "ctrlBreakEvent", goos: "windows", sys: "CTRL_BREAK_EVENT"},
	{name: "fileReadAttributes", goos: "windows", sys: "FILE_READ_ATTRIBUTES"},
	{name: "errnoERROR_IO_PENDING", goos: "windows", sys: "ERROR_IO_PENDING"},
	{name: "readControl", goos: "windows", sys: "READ_CONTROL"},
	{name: "maxMsg", goos: "windows", internal: "the longest message written in one WriteFile call (its length is a DWORD), kept to an int32"},
	{name: "sdRelative", goos: "windows", lacking: "winnt.h: typedef struct _SECURITY_DESCRIPTOR_RELATIVE { BYTE Revision; BYTE Sbz1; SECURITY_DESCRIPTOR_CONTROL Control; DWORD Owner; DWORD Group; DWORD Sacl; DWORD Dacl; }", want: "size 20: Revision@0/1 Sbz1@1/1 Control@2/2 Owner@4/4 Group@8/4 Sacl@12/4 Dacl@16/4"},
	{name: "aclHeader", goos: "windows", lacking: "winnt.h: typedef struct _ACL { BYTE AclRevision; BYTE Sbz1; WORD AclSize; WORD AceCount; WORD Sbz2; }", want: "size 8: AclRevision@0/1 Sbz1@1/1 AclSize@2/2 AceCount@4/2 Sbz2@6/2"},
	{name: "aceHeader", goos: "windows", sys: "ACE_HEADER"},
	{name: "allowedAce", goos: "windows", lacking: "winnt.h: typedef struct _ACCESS_ALLOWED_ACE { ACE_HEADER Header; ACCESS_MASK Mask; DWORD SidStart; } (ours stops before SidStart, where the SID begins)", want: "size 8: Header@0/4 Mask@4/4"},
	{name: "allowedObjectAce", goos: "windows", lacking: "winnt.h: typedef struct _ACCESS_ALLOWED_OBJECT_ACE { ACE_HEADER Header; ACCESS_MASK Mask; DWORD Flags; GUID ObjectType; GUID InheritedObjectType; DWORD SidStart; } (ours stops before ObjectType; the GUIDs are there only if Flags says so)", want: "size 12: Header@0/4 Mask@4/4 Flags@8/4"},
	{name: "seDaclPresent", goos: "windows", sys: "SE_DACL_PRESENT"},
	{name: "accessAllowedAceType", goos: "windows", sys: "ACCESS_ALLOWED_ACE_TYPE"},
	{name: "accessAllowedObjectAceType", goos: "windows", lacking: "winnt.h: ACCESS_ALLOWED_OBJECT_ACE_TYPE (0x5)", want: "5"},
	{name: "accessAllowedCallbackAceType", goos: "windows", lacking: "winnt.h: ACCESS_ALLOWED_CALLBACK_ACE_TYPE (0x9)", want: "9"},
	{name: "accessAllowedCallbackObjectAce", goos: "windows", lacking: "winnt.h: ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE (0xB)", want: "11"},
	{name: "inheritOnlyAce", goos: "windows", sys: "INHERIT_ONLY_ACE"},
	{name: "aceObjectTypePresent", goos: "windows", sys: "ACE_OBJECT_TYPE_PRESENT"},
	{name: "aceInheritedObjectTypePresent", goos: "windows", sys: "ACE_INHERITED_OBJECT_TYPE_PRESENT"},
	{name: "guidSize", goos: "windows", lacking: "guiddef.h: typedef struct _GUID { unsigned long Data1; unsigned short Data2; unsigned short Data3; unsigned char Data4[8]; }: 16 bytes", want: "16"},
	{name: "sidHeaderSize", goos: "windows", lacking: "winnt.h: typedef struct _SID { BYTE Revision; BYTE SubAuthorityCount; SID_IDENTIFIER_AUTHORITY IdentifierAuthority; DWORD SubAuthority[]; }: 8 bytes before SubAuthority", want: "8"},
	{name: "fileCreatePipeInstance", goos: "windows", lacking: "winnt.h: FILE_CREATE_PIPE_INSTANCE (0x0004), the same bit as FILE_APPEND_DATA", want: "4"},
	{name: "maximumAllowed", goos: "windows", sys: "MAXIMUM_ALLOWED"},
	{name: "writeDAC", goos: "windows", sys: "WRITE_DAC"},
	{name: "writeOwner", goos: "windows", sys: "WRITE_OWNER"},
	{name: "createInstanceRights", goos: "windows", sys: "0x4 | GENERIC_WRITE | GENERIC_ALL | MAXIMUM_ALLOWED | WRITE_DAC | WRITE_OWNER"},
}
