// Package sqlstore implements the store on database/sql for two dialects: embedded
// SQLite (modernc.org/sqlite, pure Go, WAL) and PostgreSQL (pgx). The SQL is written
// once with ? placeholders; the dialect rebinds it and supplies the few differences.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/shouhou/shouhou/internal/store/migrations"
)

// Store is a case store on SQLite or PostgreSQL.
type Store struct {
	write   *sql.DB // SQLite: one connection, so writers queue instead of failing busy
	read    *sql.DB
	dialect dialect
	path    string // SQLite file, for backups
	batch   *groupCommitter
	// traceList, set by tests only, sees every list query before it runs (the query
	// plan test explains them).
	traceList func(query string, args []any)
	// commonMatches is how many text matches make a due-ordered search walk the due
	// index (SQLite, see someMatches); tests lower it.
	commonMatches int
}

// defaultCommonMatches: sorting 2,000 matches by due time takes SQLite a few ms.
const defaultCommonMatches = 2000

// SQLiteOptions tunes the embedded database.
type SQLiteOptions struct {
	// Synchronous is the SQLite synchronous pragma: FULL (default) makes every
	// acknowledged commit survive power loss; NORMAL survives a process crash only.
	Synchronous string
}

// OpenSQLite opens (creating if needed) the embedded database file and migrates it.
func OpenSQLite(ctx context.Context, path string, opts SQLiteOptions) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	sync := strings.ToUpper(opts.Synchronous)
	if sync == "" {
		sync = "FULL"
	}
	if sync != "FULL" && sync != "NORMAL" && sync != "EXTRA" {
		return nil, fmt.Errorf("sqlite synchronous must be FULL, NORMAL or EXTRA, not %q", opts.Synchronous)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(" + sync + ")", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	writeDSN := "file:" + path + "?" + q.Encode() + "&_txlock=immediate"
	write, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	s := &Store{write: write, read: read, dialect: sqliteDialect{}, path: path, commonMatches: defaultCommonMatches}
	if err := s.migrate(ctx, goose.DialectSQLite3, "sqlite"); err != nil {
		return nil, err
	}
	// Let SQLite gather the index statistics its planner needs, as it recommends at
	// start-up of a long-running process (and again at close).
	if _, err := write.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		s.Close()
		return nil, fmt.Errorf("optimize: %w", err)
	}
	s.batch = newGroupCommitter(write, s.dialect)
	return s, nil
}

// OpenPostgres connects to PostgreSQL with a pgx connection string and migrates.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, unavailable(fmt.Errorf("connect postgres: %w", err))
	}
	s := &Store{write: db, read: db, dialect: newPostgresDialect()}
	if err := s.migrate(ctx, goose.DialectPostgres, "postgres"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context, d goose.Dialect, dir string) error {
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(d, s.write, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		s.Close()
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() error {
	if s.batch != nil {
		s.batch.close()
		s.write.Exec("PRAGMA optimize") // statistics only; a failure changes no data
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Backup writes a consistent copy of the embedded database to dest while the store
// stays online (SQLite VACUUM INTO). PostgreSQL deployments use pg_dump instead.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if s.path == "" {
		return errors.New("backup is for the embedded database; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup target %s already exists", dest)
	}
	if _, err := s.read.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// dialect holds what differs between SQLite and PostgreSQL.
type dialect interface {
	rebind(query string) string
	isUniqueViolation(err error) bool
	forUpdate() string // the clause that locks the rows a write transaction reads
	// searchID is the text index's case id column; textMatches the query of the ids
	// of the cases whose text holds q (search.go).
	searchID() string
	textMatches(q string) (query string, args []any)
	// dueWalk reports that a due-ordered search for a common text walks the due
	// index and tests each case against the matches (search.go).
	dueWalk() bool
	// searchJoin, when ok, is the text index as the driving table of a newest-first
	// list: from joins it to the cases, conds keep the rows whose text holds q.
	searchJoin(q string) (from listFrom, conds []string, args []any, ok bool)
}

type sqliteDialect struct{}

func (sqliteDialect) rebind(q string) string { return q }
func (sqliteDialect) forUpdate() string      { return "" }
func (sqliteDialect) searchID() string       { return "rowid" }
func (sqliteDialect) dueWalk() bool          { return true }
func (sqliteDialect) textMatches(q string) (string, []any) {
	match, verify := ftsQuery(q)
	if !verify {
		return "SELECT rowid FROM case_search WHERE case_search MATCH ?", []any{match}
	}
	return "SELECT rowid FROM case_search WHERE case_search MATCH ? AND instr(lower(body), ?) > 0", []any{match, searchKey(q)}
}

// searchJoin reads the FTS5 matches newest first (FTS5 walks its rowids in either
// order and takes a rowid range from the cursor; CROSS JOIN keeps it the outer loop)
// and looks each case up by id, stopping when the page is full: an IN (subquery)
// materialised every match first and sorted them (a fragment held by a tenth of a
// million cases, ~100,000 rows, for a page of 50).
func (sqliteDialect) searchJoin(q string) (listFrom, []string, []any, bool) {
	match, verify := ftsQuery(q)
	conds, args := []string{"case_search MATCH ?"}, []any{match}
	if verify {
		conds, args = append(conds, "instr(lower(case_search.body), ?) > 0"), append(args, searchKey(q))
	}
	return listFrom{table: "case_search CROSS JOIN cases ON cases.id = case_search.rowid", id: "case_search.rowid"}, conds, args, true
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// postgresDialect rebinds ? to $n, remembering the queries it rebound (the write
// path runs a handful of them thousands of times a second).
type postgresDialect struct{ rebound *rebindCache }

func newPostgresDialect() postgresDialect {
	return postgresDialect{rebound: &rebindCache{m: map[string]string{}}}
}

// rebindCache holds rebound queries, at most maxRebound (a query built with a varying
// number of placeholders must not grow it without end).
type rebindCache struct {
	mu sync.RWMutex
	m  map[string]string
}

const maxRebound = 2048

func (d postgresDialect) rebind(q string) string {
	if d.rebound == nil {
		return rebindPostgres(q)
	}
	c := d.rebound
	c.mu.RLock()
	r, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return r
	}
	r = rebindPostgres(q)
	c.mu.Lock()
	if len(c.m) < maxRebound {
		c.m[q] = r
	}
	c.mu.Unlock()
	return r
}

func rebindPostgres(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
func (postgresDialect) forUpdate() string { return " FOR UPDATE" }
func (postgresDialect) searchID() string  { return "case_id" }

// textMatches asks pg_trgm for the cases whose text holds q. A query longer than 5
// characters asks the index for its 4 most distinctive trigrams only and confirms
// the whole query on those candidates, matching the column joined to an empty string
// (which no index holds, so the confirmation stays a filter): an order number's
// trigrams include p00 and 000, held by nearly every case, and the GIN scan of all of
// them read most of the index (order-number search at 1,000,000 cases: p50 44 ms; a
// scan with 4 trigrams: about 2 ms).
func (postgresDialect) textMatches(q string) (string, []any) {
	like := "%" + escapeLike(q) + "%"
	grams := distinctGrams(q, 4)
	if grams == nil {
		return "SELECT case_id FROM case_search WHERE body ILIKE ? ESCAPE '\\'", []any{like}
	}
	conds, args := make([]string, 0, len(grams)+1), make([]any, 0, len(grams)+1)
	for _, g := range grams {
		conds, args = append(conds, "body ILIKE ? ESCAPE '\\'"), append(args, "%"+escapeLike(g)+"%")
	}
	conds, args = append(conds, "(body || '') ILIKE ? ESCAPE '\\'"), append(args, like)
	return "SELECT case_id FROM case_search WHERE " + strings.Join(conds, " AND "), args
}

// dueWalk: PostgreSQL sorts a common text's matches by due time well enough (a
// description piece held by a tenth of 1,000,000 cases, open cases by due time:
// p50 5 ms, p99 9 ms).
func (postgresDialect) dueWalk() bool { return false }
func (postgresDialect) searchJoin(string) (listFrom, []string, []any, bool) {
	return listFrom{}, nil, nil, false
}
func (postgresDialect) isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "SQLSTATE 23505")
}
