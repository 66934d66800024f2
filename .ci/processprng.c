/* Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0 */

/*
 * bcryptprimitives.dll for Wine versions that lack it (Wine 8 does).
 *
 * Go 1.22 and later get their random bytes from ProcessPrng in
 * bcryptprimitives.dll, at start-up; without it a Go program dies before
 * main. This DLL exports only that function and fills the buffer from
 * advapi32's RtlGenRandom (exported as SystemFunction036), which Wine has.
 * .ci/wine.sh builds it with mingw and copies it into the prefix's system32.
 */

#include <windows.h>

__declspec(dllimport) BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE buf, SIZE_T len)
{
	/* RtlGenRandom takes a ULONG length: feed it at most 2^31-1 at a time. */
	while (len > 0) {
		ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
		if (!SystemFunction036(buf, n))
			return FALSE;
		buf += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllEntry(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst;
	(void)reason;
	(void)reserved;
	return TRUE;
}
