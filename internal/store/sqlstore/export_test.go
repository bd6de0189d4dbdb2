package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"

	"github.com/pressly/goose/v3"

	"github.com/shouhou/shouhou/internal/store/migrations"
)

// TraceList makes the store hand every list query to fn before running it.
func (s *Store) TraceList(fn func(query string, args []any)) { s.traceList = fn }

// DB is the store's read pool.
func (s *Store) DB() *sql.DB { return s.read }

// Postgres reports the dialect.
func (s *Store) Postgres() bool { _, ok := s.dialect.(postgresDialect); return ok }

// Remigrate undoes the migrations after version and applies them again.
func (s *Store) Remigrate(ctx context.Context, version int64) error {
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
	_, err = p.Up(ctx)
	return err
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
