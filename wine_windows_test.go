// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package ipc_test

import (
	"sync"
	"syscall"
	"testing"
)

// isWine reports whether the tests run under Wine, whose ntdll exports
// wine_get_version.
var isWine = sync.OnceValue(func() bool {
	return syscall.NewLazyDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})

// skipOnWine skips t under Wine only, for a documented Wine limitation.
func skipOnWine(t testing.TB, why string) {
	t.Helper()
	if isWine() {
		t.Skipf("Wine: %s", why)
	}
}
