package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"

	"github.com/pressly/goose/v3"

	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/migrations"
)

// TraceList makes the store hand every list query to fn before running it.
func (s *Store) TraceList(fn func(query string, args []any)) { s.traceList = fn }

// DB is the store's read pool.
func (s *Store) DB() *sql.DB { return s.read }

// SetCommonMatches sets how many text matches make a due-ordered search walk the due
// index (SQLite).
func (s *Store) SetCommonMatches(n int) { s.commonMatches = n }

// Postgres reports the dialect.
func (s *Store) Postgres() bool { _, ok := s.dialect.(postgresDialect); return ok }

// Remigrate undoes the migrations after version and applies them again.
func (s *Store) Remigrate(ctx context.Context, version int64) error {
	return s.MigrateTo(ctx, version, func(*sql.DB) error { return nil })
}

// EncodeCursor is the store's list cursor.
var EncodeCursor = encodeCursor

// MigrateTo moves the schema down to version, runs prepare on it (e.g. writes data
// as an older release did), then up to the newest version.
func (s *Store) MigrateTo(ctx context.Context, version int64, prepare func(db *sql.DB) error) error {
	d, dir := goose.DialectSQLite3, "sqlite"
	if s.Postgres() {
		d, dir = goose.DialectPostgres, "postgres"
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(d, s.write, sub)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return err
	}
	if err := prepare(s.write); err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// PreparedWrites is how many statements the SQLite writer keeps prepared.
func (s *Store) PreparedWrites() int {
	if s.batch == nil {
		return 0
	}
	done := make(chan int, 1)
	// The committer's goroutine owns the cache: ask it through a transaction.
	s.batch.submit(context.Background(), func(store.Tx) error { done <- len(s.batch.stmts.stmts); return nil }) //nolint:errcheck
	return <-done
}
