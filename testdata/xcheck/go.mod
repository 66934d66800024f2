module github.com/ipcgo/ipc/testdata/xcheck

go 1.26.0

require golang.org/x/sys v0.50.0

require golang.org/x/tools v0.52.0
