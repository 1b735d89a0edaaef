// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol) for development and tests.
// It uses the ferretdb package rather than cmd/ferretdb, whose v1.24.2 build panics without a
// generated version file.
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	sqliteDir := flag.String("sqlite-dir", "", "folder for the SQLite backend's files")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL URL; selects the PostgreSQL backend instead of SQLite")
	exitWithStdin := flag.Bool("exit-with-stdin", false, "stop when stdin closes, so the server never outlives the process that started it")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}, Logger: logger}
	switch {
	case *postgresqlURL != "":
		config.Handler = "postgresql"
		config.PostgreSQLURL = *postgresqlURL
	case *sqliteDir != "":
		if err := os.MkdirAll(*sqliteDir, 0o700); err != nil {
			log.Fatalf("cannot create %s: %v", *sqliteDir, err)
		}
		config.Handler = "sqlite"
		config.SQLiteURL = "file:" + *sqliteDir + "/"
	default:
		log.Fatal("one of -sqlite-dir or -postgresql-url is required")
	}

	server, err := ferretdb.New(&config)
	if err != nil {
		log.Fatalf("cannot configure FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	if err := server.Run(ctx); err != nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}
