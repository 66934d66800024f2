// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package main

import (
	"errors"
	"io"
)

// list reports that Plan 9 has no local sockets.
func list(w io.Writer) error { return errors.ErrUnsupported }
