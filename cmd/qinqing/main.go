// Command qinqing runs the 亲清 private-enterprise service platform and its
// administration commands; see `qinqing help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/qinqing/qinqing/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cli := &app.CLI{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(cli.Run(ctx, os.Args[1:]))
}
