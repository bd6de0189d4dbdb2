package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shouhou/shouhou/internal/store"
)

// maxBatch bounds how many transactions share one commit.
const maxBatch = 64

// txJob is one caller's transaction waiting for the writer.
type txJob struct {
	ctx  context.Context
	fn   func(tx store.Tx) error
	done chan error
}

// groupCommitter runs SQLite write transactions on the single write connection and
// commits those that arrive together in one SQLite transaction (group commit): with
// synchronous=FULL every acknowledged write is on disk, but one fsync serves the whole
// batch. Each caller's work runs inside its own SAVEPOINT, so a caller that fails is
// rolled back alone and the others commit; nobody is answered before the commit.
type groupCommitter struct {
	db    *sql.DB
	d     dialect
	jobs  chan *txJob
	quit  chan struct{}
	done  chan struct{}
	stmts *stmtCache
}

func newGroupCommitter(db *sql.DB, d dialect) *groupCommitter {
	g := &groupCommitter{db: db, d: d, jobs: make(chan *txJob), quit: make(chan struct{}), done: make(chan struct{}), stmts: newStmtCache(db)}
	go g.run()
	return g
}

var errClosed = errors.New("store closed")

func (g *groupCommitter) submit(ctx context.Context, fn func(tx store.Tx) error) error {
	job := &txJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.jobs <- job:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.quit:
		return errClosed
	}
	// Once taken, the job's outcome is decided by the commit: wait for it.
	return <-job.done
}

func (g *groupCommitter) run() {
	defer close(g.done)
	for {
		var first *txJob
		select {
		case first = <-g.jobs:
		case <-g.quit:
			return
		}
		batch := []*txJob{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		g.commit(batch)
	}
}

func (g *groupCommitter) commit(batch []*txJob) {
	results := make([]error, len(batch))
	sqlTx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range batch {
			j.done <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	for i, j := range batch {
		results[i] = g.runOne(sqlTx, j)
	}
	if err := sqlTx.Commit(); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
	for i, j := range batch {
		j.done <- results[i]
	}
	// The connection is free again: prepare what the batch ran unprepared.
	g.stmts.prepare(context.Background())
}

// runOne runs a job inside a savepoint and undoes exactly its writes if it fails.
func (g *groupCommitter) runOne(sqlTx *sql.Tx, j *txJob) error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	if _, err := sqlTx.Exec("SAVEPOINT job"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	tx := &Tx{tx: cachedTx{tx: sqlTx, cache: g.stmts}, d: g.d}
	err := runRecovered(j.fn, tx)
	if err == nil {
		err = tx.flushSearch(j.ctx)
	}
	if err != nil {
		_, rbErr := sqlTx.Exec("ROLLBACK TO job")
		err = errors.Join(err, rbErr)
	}
	if _, relErr := sqlTx.Exec("RELEASE job"); relErr != nil && err == nil {
		err = fmt.Errorf("release savepoint: %w", relErr)
	}
	return err
}

// runRecovered turns a panic in a caller's transaction into that caller's error: the
// writer goroutine serves everyone and must survive it.
func runRecovered(fn func(tx store.Tx) error, tx store.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("transaction panicked: %v", p)
		}
	}()
	return fn(tx)
}

func (g *groupCommitter) close() {
	close(g.quit)
	<-g.done
	g.stmts.close()
}
