module github.com/ipcgo/ipc

go 1.25
