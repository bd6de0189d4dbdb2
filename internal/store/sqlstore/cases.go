package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// Tx is one write transaction: reads inside it see its own writes, and everything
// in it commits or nothing does.
type Tx struct {
	tx txConn
	d  dialect
	// locked holds the version of the cases GetCase read and locked in this
	// transaction (PostgreSQL), updated by this transaction's own writes: their
	// compare-and-set cannot miss, so it travels with the next round trip.
	locked map[int64]int64
	// read holds the search text of the cases GetCase read in this transaction: a
	// write that leaves it unchanged (most do) skips the search index's round trip.
	read map[int64]string
	// search holds the text-index writes of the transaction, made at its end
	// (flushSearch): see there.
	search []searchWrite
}

// InTx runs fn in one write transaction and commits it when fn returns nil; nothing
// fn wrote survives an error. On SQLite the single writer runs transactions one after
// the other (group commit, see batch.go), so the case a transaction reads cannot
// change before it writes.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	if s.batch != nil {
		return unavailable(s.batch.submit(ctx, fn))
	}
	var err error
	for attempt := range maxTxAttempts {
		if err = s.pgTx(ctx, fn); !retryable(err) || attempt == maxTxAttempts-1 {
			break
		}
		// A deadlock or serialization failure undid the whole transaction: run it
		// again after a short, growing, jittered pause.
		select {
		case <-time.After(time.Duration(attempt+1) * time.Duration(1+rand.IntN(10)) * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return unavailable(err)
}

// maxTxAttempts bounds how often InTx re-runs a transaction PostgreSQL aborted as a
// deadlock or serialization failure (rows are locked in one order, so these are rare).
const maxTxAttempts = 5

func (s *Store) pgTx(ctx context.Context, fn func(tx store.Tx) error) error {
	var txErr error
	err := withPgConn(ctx, s.write, func(conn *pgx.Conn) bool {
		p := &pipeConn{conn: conn}
		tx := &Tx{tx: p, d: s.dialect}
		txErr = fn(tx)
		if txErr == nil {
			txErr = tx.flushSearch(ctx)
		}
		if txErr == nil {
			txErr = p.commit(ctx)
		}
		if txErr != nil {
			if p.failed != nil {
				// A deferred statement failed: that is the cause, whatever the
				// statement that reported it made of it.
				txErr = p.failed
			}
			txErr = errors.Join(txErr, p.rollback(ctx))
			var stale *staleWrite
			if errors.As(txErr, &stale) {
				txErr = versionConflict(ctx, sqlConn{s.read}, s.dialect, stale.id)
			}
		}
		return p.idle()
	})
	if txErr == nil && err != nil {
		txErr = fmt.Errorf("begin: %w", err)
	}
	return txErr
}

// retryable reports a PostgreSQL abort that running the transaction again resolves:
// 40001 serialization failure, 40P01 deadlock detected.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

const caseCols = `version, platform, order_no, customer_name, customer_phone, type, demand, emotion,
	level, stage, status, assignee, amount_fen, description, remarked, last_remark, created_by,
	created_at, updated_at, closed_at, response_due_at, resolve_due_at, merged_into, pending_approval, shop_id, state`

func caseValues(c cases.Case) ([]any, error) {
	for _, f := range []struct{ field, text string }{
		{"order_no", c.OrderNo}, {"customer_name", c.CustomerName}, {"customer_phone", c.CustomerPhone},
		{"assignee", c.Assignee}, {"description", c.Description}, {"created_by", c.CreatedBy}, {"text", c.LastRemark()},
	} {
		if err := checkText(f.field, f.text); err != nil {
			return nil, err
		}
	}
	state, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode case: %w", err)
	}
	if err := checkJSON("body", state); err != nil {
		return nil, err
	}
	remarked := 0
	if c.Remarked() {
		remarked = 1
	}
	pending := 0
	if c.PendingApproval != nil {
		pending = 1
	}
	var merged any
	if c.MergedInto != 0 {
		merged = c.MergedInto
	}
	return []any{
		c.Version, string(c.Platform), c.OrderNo, c.CustomerName, c.CustomerPhone, string(c.Type),
		string(c.Demand), string(c.Emotion), int64(c.Level), string(c.Stage), string(c.Status),
		c.Assignee, c.Amount.Fen(), c.Description, remarked, c.LastRemark(), c.CreatedBy,
		millis(c.CreatedAt), millis(c.UpdatedAt), nullMillis(c.ClosedAt), nullMillis(openResponseDue(c)),
		dueMillis(runningResolveDue(c)), merged, pending, c.Shop(), string(state),
	}, nil
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// openResponseDue is the first-response deadline while the case waits for its first
// answer; the column is NULL once answered, so "first response breached" is a plain
// indexed range (the state document keeps the deadline for display).
func openResponseDue(c cases.Case) *time.Time {
	if _, paused := c.Paused(); paused || c.FirstRespondedAt != nil {
		return nil
	}
	return c.ResponseDueAt
}

// runningResolveDue is the resolution deadline unless the SLA clock is paused: a case
// waiting on the customer is not overdue and sorts after the running clocks.
func runningResolveDue(c cases.Case) *time.Time {
	if _, paused := c.Paused(); paused {
		return nil
	}
	return c.ResolveDueAt
}

// noDeadline is what resolve_due_at holds for a case without a deadline: the far
// future, so that "the clock that runs out first" is a plain index order (an
// expression such as COALESCE in ORDER BY would defeat the index).
const noDeadline = math.MaxInt64

func dueMillis(t *time.Time) int64 {
	if t == nil {
		return noDeadline
	}
	return t.UnixMilli()
}

func nullMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// InsertCase stores a new case with its first events and returns it with the id the
// database assigned (also set on the events).
func (t *Tx) InsertCase(ctx context.Context, c cases.Case, events []cases.Event) (cases.Case, error) {
	vals, err := caseValues(c)
	if err != nil {
		return c, err
	}
	q := t.d.rebind(`INSERT INTO cases (` + caseCols + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`)
	if err := t.tx.QueryRowContext(ctx, q, vals...).Scan(&c.ID); err != nil {
		return c, fmt.Errorf("insert case: %w", err)
	}
	t.lock(c.ID, c.Version) // nobody else sees the row before this transaction commits
	for i := range events {
		events[i].CaseID = c.ID
	}
	if err := t.insertEvents(ctx, events); err != nil {
		return c, err
	}
	if err := t.insertSearch(ctx, c); err != nil {
		return c, err
	}
	// The state document carries the id, which exists only now.
	_, err = t.writeState(ctx, c, c.Version, nil)
	return c, err
}

// AppendEvents adds events to a case whose stored version must still be expected,
// and stores next as its new state. A stale expected version is a *store.ConflictError.
func (t *Tx) AppendEvents(ctx context.Context, expected int64, next cases.Case, events []cases.Event) error {
	var with *cases.Event
	if len(events) == 1 {
		with = &events[0]
	}
	folded, err := t.writeState(ctx, next, expected, with)
	if err != nil {
		return err
	}
	if folded {
		events = events[1:]
	}
	return t.insertEvents(ctx, events)
}

// lock records that this transaction holds case id's row at version.
func (t *Tx) lock(id, version int64) {
	if !t.tx.pipelined() {
		return
	}
	if t.locked == nil {
		t.locked = map[int64]int64{}
	}
	t.locked[id] = version
}

// staleWrite is a deferred compare-and-set that found the case moved: the
// transaction ends and InTx reports the case's current version.
type staleWrite struct{ id int64 }

func (e *staleWrite) Error() string { return fmt.Sprintf("case %d changed under the write", e.id) }

const (
	updateCase  = `UPDATE cases SET (` + caseCols + `) = (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) WHERE id = ? AND version = ?`
	insertEvent = `INSERT INTO case_events (case_id, seq, type, actor, at, payload) VALUES (?,?,?,?,?,?)`
	// updateCaseChecked is the deferred compare-and-set: it fails (division by
	// zero) when it changes no row, so the transaction cannot commit.
	updateCaseChecked = `WITH u AS (` + updateCase + ` RETURNING 1) SELECT 1 / count(*) FROM u`
	// updateCaseWithEvent is updateCaseChecked and the insert of one event in one
	// statement: an append costs PostgreSQL one statement fewer. Both sub-statements
	// always run; the event's foreign-key check runs at the end of the statement.
	updateCaseWithEvent = `WITH u AS (` + updateCase + ` RETURNING 1), e AS (` + insertEvent + `) SELECT 1 / count(*) FROM u`
)

// writeState stores c as the case's new state if its stored version is still
// expected. With an event (one appended by the same write), it may insert the event
// in the same statement, and then reports folded: the caller must not insert it again.
func (t *Tx) writeState(ctx context.Context, c cases.Case, expected int64, with *cases.Event) (folded bool, err error) {
	vals, err := caseValues(c)
	if err != nil {
		return false, err
	}
	args := append(vals, c.ID, expected)
	if v, ok := t.locked[c.ID]; ok && v == expected {
		// The row is locked by this transaction at the expected version, so the
		// compare-and-set cannot miss: it goes out with the next round trip. It
		// still checks in the database, failing the statement (division by zero)
		// should it ever change no row, so the transaction could not commit.
		q := updateCaseChecked
		var seq int64
		if with != nil && with.CaseID == c.ID {
			evArgs, err := eventArgs(*with)
			if err != nil {
				return false, err
			}
			q, seq, folded = updateCaseWithEvent, with.Seq, true
			args = append(args, evArgs...)
		}
		id := c.ID
		err := t.tx.later(ctx, func(err error) error {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "22012" {
				return &staleWrite{id: id}
			}
			if folded && t.d.isUniqueViolation(err) {
				return &store.ConflictError{CaseID: id, Current: seq}
			}
			return fmt.Errorf("update case %d: %w", id, err)
		}, t.d.rebind(q), args...)
		if err != nil {
			return false, err
		}
	} else {
		res, err := t.tx.ExecContext(ctx, t.d.rebind(updateCase), args...)
		if err != nil {
			return false, fmt.Errorf("update case %d: %w", c.ID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, err
		}
		if n != 1 {
			return false, versionConflict(ctx, t.tx, t.d, c.ID)
		}
	}
	t.lock(c.ID, c.Version)
	if err := t.updateSearch(ctx, c); err != nil {
		return folded, err
	}
	return folded, t.writePayouts(ctx, c)
}

// versionConflict explains a compare-and-set that changed no row: the case is gone, or
// another write moved its version on.
func versionConflict(ctx context.Context, q querier, d dialect, id int64) error {
	var current int64
	err := q.QueryRowContext(ctx, d.rebind(`SELECT version FROM cases WHERE id = ?`), id).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("read version of case %d: %w", id, err)
	}
	return &store.ConflictError{CaseID: id, Current: current}
}

func (t *Tx) insertEvents(ctx context.Context, events []cases.Event) error {
	q := t.d.rebind(insertEvent)
	for _, e := range events {
		args, err := eventArgs(e)
		if err != nil {
			return err
		}
		caseID, seq := e.CaseID, e.Seq
		err = t.tx.later(ctx, func(err error) error {
			if t.d.isUniqueViolation(err) {
				return &store.ConflictError{CaseID: caseID, Current: seq}
			}
			return fmt.Errorf("insert event: %w", err)
		}, q, args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// eventArgs are the values of insertEvent for e, refused when they cannot be stored.
func eventArgs(e cases.Event) ([]any, error) {
	if err := checkJSON("payload", e.Payload); err != nil {
		return nil, err
	}
	if err := checkText("actor", e.Actor); err != nil {
		return nil, err
	}
	return []any{e.CaseID, e.Seq, string(e.Type), e.Actor, millis(e.At), string(e.Payload)}, nil
}

// Events reads a case's whole log inside the transaction.
func (t *Tx) Events(ctx context.Context, caseID int64) ([]cases.Event, error) {
	return readEvents(ctx, t.tx, t.d, caseID, 0, 0)
}

// GetCase reads a case inside the transaction.
func (t *Tx) GetCase(ctx context.Context, id int64) (cases.Case, error) {
	// On PostgreSQL the row is locked until the transaction ends, so concurrent
	// writers of one case queue instead of all but one failing at the version check:
	// a write without a version always lands. SQLite has a single writer already.
	c, err := getCase(ctx, t.tx, t.d, id, t.d.forUpdate())
	if err == nil {
		t.lock(id, c.Version)
		if t.read == nil {
			t.read = map[int64]string{}
		}
		t.read[id] = searchBody(c)
	}
	return c, err
}

// IdempotentCase returns the case an earlier create with the same actor and key made.
func (t *Tx) IdempotentCase(ctx context.Context, actor, key string) (int64, bool, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT case_id FROM idempotency_keys WHERE actor = ? AND key = ?`), actor, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read idempotency key: %w", err)
	}
	return id, true, nil
}

// RememberIdempotency records that actor's key made case id.
func (t *Tx) RememberIdempotency(ctx context.Context, actor, key string, id int64, now time.Time) error {
	_, err := t.tx.ExecContext(ctx, t.d.rebind(`INSERT INTO idempotency_keys (actor, key, case_id, created_at) VALUES (?,?,?,?)`), actor, key, id, millis(now))
	if t.d.isUniqueViolation(err) {
		return store.ErrDuplicate
	}
	return err
}

// GetCase reads the current state of a case.
func (s *Store) GetCase(ctx context.Context, id int64) (cases.Case, error) {
	return getCase(ctx, sqlConn{s.read}, s.dialect, id, "")
}

func getCase(ctx context.Context, q querier, d dialect, id int64, lock string) (cases.Case, error) {
	var state []byte
	err := q.QueryRowContext(ctx, d.rebind(`SELECT state FROM cases WHERE id = ?`+lock), id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, store.ErrNotFound
	}
	if err != nil {
		return cases.Case{}, unavailable(fmt.Errorf("read case %d: %w", id, err))
	}
	return decodeCase(state)
}

func decodeCase(state []byte) (cases.Case, error) {
	var c cases.Case
	if err := json.Unmarshal(state, &c); err != nil {
		return c, fmt.Errorf("decode case: %w", err)
	}
	return c, nil
}

// EventsOfType returns events of one type across all cases in log order, after the
// global event id afterID, at most limit (for exports and reports).
func (s *Store) EventsOfType(ctx context.Context, typ cases.EventType, afterID int64, limit int) ([]cases.Event, error) {
	q := `SELECT id, case_id, seq, type, actor, at, payload FROM case_events WHERE type = ? AND id > ? ORDER BY id LIMIT ?`
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), string(typ), afterID, limit)
	if err != nil {
		return nil, unavailable(fmt.Errorf("read events: %w", err))
	}
	return scanEvents(rows)
}

// Events returns a case's log in order, from seq afterSeq+1, at most limit events
// (limit <= 0: all).
func (s *Store) Events(ctx context.Context, caseID, afterSeq int64, limit int) ([]cases.Event, error) {
	return readEvents(ctx, sqlConn{s.read}, s.dialect, caseID, afterSeq, limit)
}

func readEvents(ctx context.Context, db querier, d dialect, caseID, afterSeq int64, limit int) ([]cases.Event, error) {
	q := `SELECT id, case_id, seq, type, actor, at, payload FROM case_events WHERE case_id = ? AND seq > ? ORDER BY seq`
	args := []any{caseID, afterSeq}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.QueryContext(ctx, d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return scanEvents(rows)
}

func scanEvents(rows rows) ([]cases.Event, error) {
	defer rows.Close()
	events := []cases.Event{}
	for rows.Next() {
		var e cases.Event
		var at int64
		var payload []byte
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Seq, &e.Type, &e.Actor, &at, &payload); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		e.Payload = json.RawMessage(payload)
		events = append(events, e)
	}
	return events, rows.Err()
}
