package sqlstore

import (
	"context"
	"database/sql"
)

// maxCachedStmts bounds the SQLite writer's prepared statements: the write path runs a
// few dozen distinct statements; anything beyond the bound is prepared per use.
const maxCachedStmts = 256

// stmtCache keeps the SQLite writer's statements prepared on its one connection.
// SQLite compiles a statement on every prepare (a sixth of the CPU of a desk write
// went to the parser); database/sql prepares again on every call inside a
// transaction. A statement is prepared once the writer's connection is free again
// (between group commits) — preparing on the database while a transaction holds its
// only connection would wait forever — and a transaction then runs it through
// Tx.StmtContext, which reuses the statement already prepared on that connection.
// Only the group committer's goroutine touches it.
type stmtCache struct {
	db    *sql.DB
	stmts map[string]*sql.Stmt
	want  map[string]bool // seen in a transaction, to prepare after its commit
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, want: map[string]bool{}}
}

// in returns the statement prepared for query inside tx, or nil (and remembers query
// for preparing later).
func (c *stmtCache) in(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if st, ok := c.stmts[query]; ok {
		return tx.StmtContext(ctx, st)
	}
	if len(c.stmts)+len(c.want) < maxCachedStmts {
		c.want[query] = true
	}
	return nil
}

// prepare compiles the statements the last transactions wanted; the writer's
// connection must be free. A statement that fails to prepare is run unprepared.
func (c *stmtCache) prepare(ctx context.Context) {
	for q := range c.want {
		if st, err := c.db.PrepareContext(ctx, q); err == nil {
			c.stmts[q] = st
		}
		delete(c.want, q)
	}
}

func (c *stmtCache) close() {
	for _, st := range c.stmts {
		st.Close()
	}
}

// cachedTx runs a SQLite write transaction's statements, prepared ones when the
// cache has them. Statements made for the transaction close with it.
type cachedTx struct {
	tx    *sql.Tx
	cache *stmtCache
}

func (c cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.cache.in(ctx, c.tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.tx.ExecContext(ctx, query, args...)
}

func (c cachedTx) QueryContext(ctx context.Context, query string, args ...any) (rows, error) {
	if st := c.cache.in(ctx, c.tx, query); st != nil {
		r, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	return sqlConn{c.tx}.QueryContext(ctx, query, args...)
}

func (c cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) row {
	if st := c.cache.in(ctx, c.tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, query, args...)
}

func (c cachedTx) later(ctx context.Context, fail func(error) error, query string, args ...any) error {
	if _, err := c.ExecContext(ctx, query, args...); err != nil {
		return fail(err)
	}
	return nil
}

func (cachedTx) pipelined() bool { return false }
