package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// rows is what a query returns: *sql.Rows, or pgx's rows inside a PostgreSQL write
// transaction.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Close() error
	Err() error
}

// row is one row of a query; its Scan reports sql.ErrNoRows when there is none.
type row interface{ Scan(dest ...any) error }

// collect scans every row of rows with scan and closes them; no rows is an empty,
// non-nil list (JSON []).
func collect[T any](rows rows, scan func(row) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// querier runs statements: the read pool, or a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) row
}

// txConn is the connection a write transaction runs on.
type txConn interface {
	querier
	// later runs a statement whose only outcome is success or failure. On PostgreSQL
	// it is sent with the transaction's next round trip (the next query, statement or
	// the commit, pipelined); a failure, mapped by fail, then ends the transaction:
	// the statement of that round trip and the commit report it. On SQLite it runs at
	// once and its mapped failure is returned.
	later(ctx context.Context, fail func(error) error, query string, args ...any) error
	// pipelined reports whether later defers statements.
	pipelined() bool
}

// sqlDB is what *sql.DB and *sql.Tx offer.
type sqlDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sqlConn runs statements through database/sql, one round trip each.
type sqlConn struct{ db sqlDB }

func (c sqlConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.db.ExecContext(ctx, query, args...)
}

func (c sqlConn) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (c sqlConn) QueryRowContext(ctx context.Context, query string, args ...any) row {
	return c.db.QueryRowContext(ctx, query, args...)
}

func (c sqlConn) later(ctx context.Context, fail func(error) error, query string, args ...any) error {
	if _, err := c.db.ExecContext(ctx, query, args...); err != nil {
		return fail(err)
	}
	return nil
}

func (sqlConn) pipelined() bool { return false }

// pipeConn is a PostgreSQL write transaction on pgx's own connection, pipelined: BEGIN
// goes out with the transaction's first query, statements whose result nobody reads
// (later) with the next query, and the last of them with COMMIT. An append — lock and
// read the case, update it, insert its event, commit — is two round trips instead of
// five. Every guarantee of a transaction stays: the statements run in order inside
// BEGIN … COMMIT, and a failed statement makes PostgreSQL skip the rest of its round
// trip, COMMIT included.
type pipeConn struct {
	conn    *pgx.Conn
	begun   bool
	pending []pendingStmt
	// failed is the first failure of a deferred statement: everything after it, and
	// the commit, report it.
	failed error
}

type pendingStmt struct {
	query string
	args  []any
	fail  func(error) error
}

func (p *pipeConn) pipelined() bool { return true }

func (p *pipeConn) later(_ context.Context, fail func(error) error, query string, args ...any) error {
	if p.failed != nil {
		return p.failed
	}
	p.pending = append(p.pending, pendingStmt{query: query, args: args, fail: fail})
	return nil
}

// send makes one round trip: BEGIN if the transaction has not begun, the deferred
// statements, then query (when not ""). The results are read up to query's, which
// the caller reads and then closes the batch.
func (p *pipeConn) send(ctx context.Context, query string, args []any) (pgx.BatchResults, error) {
	if p.failed != nil {
		return nil, p.failed
	}
	b := &pgx.Batch{}
	begin := !p.begun
	if begin {
		b.Queue("BEGIN")
	}
	pending := p.pending
	p.pending, p.begun = nil, true
	for _, s := range pending {
		b.Queue(s.query, s.args...)
	}
	if query != "" {
		b.Queue(query, args...)
	}
	br := p.conn.SendBatch(ctx, b)
	if begin {
		if _, err := br.Exec(); err != nil {
			br.Close()
			p.failed = fmt.Errorf("begin: %w", err)
			return nil, p.failed
		}
	}
	for _, s := range pending {
		if _, err := br.Exec(); err != nil {
			br.Close()
			p.failed = s.fail(err)
			return nil, p.failed
		}
	}
	return br, nil
}

func (p *pipeConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	br, err := p.send(ctx, query, args)
	if err != nil {
		return nil, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return tagResult(tag), nil
}

func (p *pipeConn) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	br, err := p.send(ctx, query, args)
	if err != nil {
		return nil, err
	}
	r, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &pipeRows{Rows: r, br: br}, nil
}

// QueryRowContext sends the query at once; the caller must Scan the row (as every
// caller does) before the transaction's next statement.
func (p *pipeConn) QueryRowContext(ctx context.Context, query string, args ...any) row {
	r, err := p.QueryContext(ctx, query, args...)
	if err != nil {
		return errRow{err}
	}
	return pipeRow{r}
}

// commit sends the deferred statements with COMMIT: one round trip.
func (p *pipeConn) commit(ctx context.Context) error {
	if !p.begun && len(p.pending) == 0 {
		return nil // nothing was read or written
	}
	br, err := p.send(ctx, "COMMIT", nil)
	if err != nil {
		return err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tag.String() != "COMMIT" {
		// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
		return errors.New("commit: the transaction failed and was rolled back")
	}
	return nil
}

// rollback undoes whatever the transaction sent; deferred statements never sent are
// dropped.
func (p *pipeConn) rollback(ctx context.Context) error {
	p.pending = nil
	if !p.begun || p.conn.PgConn().TxStatus() == 'I' {
		return nil
	}
	_, err := p.conn.Exec(ctx, "ROLLBACK")
	return err
}

// idle reports that the connection is outside any transaction and can serve the
// next caller.
func (p *pipeConn) idle() bool {
	return !p.conn.IsClosed() && p.conn.PgConn().TxStatus() == 'I'
}

type tagResult pgconn.CommandTag

func (r tagResult) LastInsertId() (int64, error) {
	return 0, errors.New("LastInsertId is not supported on PostgreSQL: use RETURNING")
}
func (r tagResult) RowsAffected() (int64, error) { return pgconn.CommandTag(r).RowsAffected(), nil }

// pipeRows are a query's rows; closing them ends the round trip.
type pipeRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
}

func (r *pipeRows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.Rows.Close()
	return r.br.Close()
}

func (r *pipeRows) Err() error { return r.Rows.Err() }

type pipeRow struct{ r rows }

func (p pipeRow) Scan(dest ...any) error {
	defer p.r.Close()
	if !p.r.Next() {
		if err := p.r.Err(); err != nil {
			return err
		}
		if err := p.r.Close(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := p.r.Scan(dest...); err != nil {
		return err
	}
	return p.r.Close()
}

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// withPgConn runs fn on a connection of the pool as pgx's own connection. When fn
// leaves it inside a transaction (a rollback that could not be sent), the pool drops
// it instead of handing it to the next caller.
func withPgConn(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) (idle bool)) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres connection is %T, not pgx", dc)
		}
		if !fn(c.Conn()) {
			return driver.ErrBadConn
		}
		return nil
	})
}

// write runs a statement whose result nobody reads (see txConn.later); a failure is
// reported as "what: cause".
func (t *Tx) write(ctx context.Context, what string, query string, args ...any) error {
	return t.tx.later(ctx, func(err error) error { return fmt.Errorf("%s: %w", what, err) }, query, args...)
}
