// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol) for development and tests.
// It uses the ferretdb package rather than cmd/ferretdb, whose v1.24.2 build panics without a
// generated version file.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
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

	if config.Handler == "sqlite" {
		go indexIDs(ctx, *sqliteDir, logger)
	}

	if err := server.Run(ctx); err != nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}

// idPath is the expression FerretDB 1.24's SQLite backend filters by `_id` with (metadata.IDColumn) when it reads,
// updates or deletes one document. Its own `_id` index is on `_ferretdb_sjson->"_id"`, an expression SQLite does not
// take for that one, so every such statement scanned the whole table (and held the write lock while doing so).
const idPath = `_ferretdb_sjson->'$._id'`

// indexIDs gives every collection table of the SQLite backend an index on idPath, checking each database file in
// dir twice a second for tables FerretDB created since (it creates one on a collection's first write). The index is
// for lookups only: FerretDB's own unique index still enforces that `_id`s differ, and dropping a collection drops its
// table with the index.
func indexIDs(ctx context.Context, dir string, logger *slog.Logger) {
	opened := map[string]*sql.DB{}
	defer func() {
		for _, db := range opened {
			_ = db.Close()
		}
	}()

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()

	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db, ok := opened[file]
			if !ok {
				var err error
				if db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)"); err != nil {
					logger.Warn("cannot open database file to index _id", slog.String("file", file), slog.String("error", err.Error()))
					continue
				}
				db.SetMaxOpenConns(1)
				opened[file] = db
			}
			if err := indexTables(ctx, db); err != nil && ctx.Err() == nil {
				logger.Warn("cannot index _id", slog.String("file", file), slog.String("error", err.Error()))
			}
		}

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexTables creates the idPath index on each collection table of db that lacks it.
func indexTables(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || '_id_path')`)
	if err != nil {
		return err
	}

	var tables []string
	for rows.Next() {
		var name string
		if err = rows.Scan(&name); err != nil {
			_ = rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	if err = rows.Close(); err != nil {
		return err
	}

	for _, table := range tables {
		// A table dropped meanwhile is no error worth more than the next pass.
		if _, err = db.ExecContext(ctx, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+"_id_path", table, idPath)); err != nil {
			return err
		}
	}
	return nil
}
