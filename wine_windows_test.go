// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"sync"
	"syscall"
	"testing"
)

// isWine reports whether the tests run under Wine (make test-windows), which
// it tells by ntdll.dll exporting wine_get_version.
var isWine = sync.OnceValue(func() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})

// skipOnWine skips the test under Wine, for behaviour Wine does not emulate
// (pipe DACLs, FILE_FLAG_FIRST_PIPE_INSTANCE, console control events, ...).
// why says what is missing.
func skipOnWine(t testing.TB, why string) {
	t.Helper()
	if isWine() {
		t.Skipf("Wine: %s", why)
	}
}
