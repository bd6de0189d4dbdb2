package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// StartCaseIDsAt makes the next case of an empty embedded store take id first (the
// training space numbers its practice cases from cases.TrainingCaseBase). A store that
// already holds cases keeps its numbering.
func (s *Store) StartCaseIDsAt(ctx context.Context, first int64) error {
	if _, ok := s.dialect.(sqliteDialect); !ok {
		return errors.New("the training space is an embedded database")
	}
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
		return fmt.Errorf("count cases: %w", err)
	}
	if n > 0 {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sqlite_sequence WHERE name = 'cases'`); err != nil {
		return fmt.Errorf("reset case numbers: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ('cases', ?)`, first-1); err != nil {
		return fmt.Errorf("start case numbers: %w", err)
	}
	return nil
}

// CreateAssignment stores a trainer's assignment.
func (s *Store) CreateAssignment(ctx context.Context, a store.TrainingAssignment) (store.TrainingAssignment, error) {
	q := s.dialect.rebind(`INSERT INTO training_assignments (trainee, scenario_id, exam, assigned_by, assigned_at) VALUES (?,?,?,?,?) RETURNING id`)
	if err := s.write.QueryRowContext(ctx, q, a.Trainee, a.ScenarioID, boolInt(a.Exam), a.AssignedBy, millis(a.AssignedAt)).Scan(&a.ID); err != nil {
		return a, fmt.Errorf("insert assignment: %w", err)
	}
	return a, nil
}

// Assignment reads one assignment.
func (s *Store) Assignment(ctx context.Context, id int64) (store.TrainingAssignment, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT id, trainee, scenario_id, exam, assigned_by, assigned_at FROM training_assignments WHERE id = ?`), id)
	if err != nil {
		return store.TrainingAssignment{}, fmt.Errorf("read assignment: %w", err)
	}
	as, err := scanAssignments(rows)
	if err != nil {
		return store.TrainingAssignment{}, err
	}
	if len(as) == 0 {
		return store.TrainingAssignment{}, store.ErrNotFound
	}
	return as[0], nil
}

// Assignments lists a trainee's assignments ("" everyone's), newest first.
func (s *Store) Assignments(ctx context.Context, trainee string) ([]store.TrainingAssignment, error) {
	q, args := `SELECT id, trainee, scenario_id, exam, assigned_by, assigned_at FROM training_assignments ORDER BY id DESC LIMIT 1000`, []any{}
	if trainee != "" {
		q, args = `SELECT id, trainee, scenario_id, exam, assigned_by, assigned_at FROM training_assignments WHERE trainee = ? ORDER BY id DESC LIMIT 1000`, []any{trainee}
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list assignments: %w", err)
	}
	return scanAssignments(rows)
}

func scanAssignments(rows *sql.Rows) ([]store.TrainingAssignment, error) {
	defer rows.Close()
	var out []store.TrainingAssignment
	for rows.Next() {
		var a store.TrainingAssignment
		var at int64
		if err := rows.Scan(&a.ID, &a.Trainee, &a.ScenarioID, &a.Exam, &a.AssignedBy, &at); err != nil {
			return nil, err
		}
		a.AssignedAt = time.UnixMilli(at).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

const attemptCols = `id, assignment_id, trainee, scenario_id, exam, case_id, offset_ms, started_at, finished_at, points, max_points, card`

// CreateAttempt stores a new attempt. An exam assignment takes one attempt only: a
// second one is store.ErrDuplicate.
func (s *Store) CreateAttempt(ctx context.Context, a store.TrainingAttempt) (store.TrainingAttempt, error) {
	err := s.InTx(ctx, func(tx store.Tx) error {
		t := tx.(*Tx)
		if a.Exam && a.AssignmentID != 0 {
			var n int64
			if err := t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT COUNT(*) FROM training_attempts WHERE assignment_id = ?`), a.AssignmentID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return store.ErrDuplicate
			}
		}
		q := t.d.rebind(`INSERT INTO training_attempts (assignment_id, trainee, scenario_id, exam, case_id, offset_ms, started_at) VALUES (?,?,?,?,?,?,?) RETURNING id`)
		return t.tx.QueryRowContext(ctx, q, a.AssignmentID, a.Trainee, a.ScenarioID, boolInt(a.Exam), a.CaseID, a.Offset.Milliseconds(), millis(a.StartedAt)).Scan(&a.ID)
	})
	if err != nil {
		return a, fmt.Errorf("insert attempt: %w", err)
	}
	return a, nil
}

func scanAttempts(rows *sql.Rows) ([]store.TrainingAttempt, error) {
	defer rows.Close()
	var out []store.TrainingAttempt
	for rows.Next() {
		var a store.TrainingAttempt
		var offset, started int64
		var finished sql.NullInt64
		var card string
		if err := rows.Scan(&a.ID, &a.AssignmentID, &a.Trainee, &a.ScenarioID, &a.Exam, &a.CaseID, &offset, &started, &finished, &a.Points, &a.MaxPoints, &card); err != nil {
			return nil, err
		}
		a.Offset, a.StartedAt = time.Duration(offset)*time.Millisecond, time.UnixMilli(started).UTC()
		if finished.Valid {
			t := time.UnixMilli(finished.Int64).UTC()
			a.FinishedAt = &t
		}
		if card != "" {
			a.Card = []byte(card)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) oneAttempt(ctx context.Context, where string, arg any) (store.TrainingAttempt, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT `+attemptCols+` FROM training_attempts WHERE `+where), arg)
	if err != nil {
		return store.TrainingAttempt{}, fmt.Errorf("read attempt: %w", err)
	}
	as, err := scanAttempts(rows)
	if err != nil {
		return store.TrainingAttempt{}, err
	}
	if len(as) == 0 {
		return store.TrainingAttempt{}, store.ErrNotFound
	}
	return as[0], nil
}

// Attempt reads one attempt.
func (s *Store) Attempt(ctx context.Context, id int64) (store.TrainingAttempt, error) {
	return s.oneAttempt(ctx, `id = ?`, id)
}

// AttemptByCase finds the attempt a practice case belongs to.
func (s *Store) AttemptByCase(ctx context.Context, caseID int64) (store.TrainingAttempt, error) {
	return s.oneAttempt(ctx, `case_id = ?`, caseID)
}

// Attempts lists a trainee's attempts ("" everyone's), oldest first.
func (s *Store) Attempts(ctx context.Context, trainee string) ([]store.TrainingAttempt, error) {
	q, args := `SELECT `+attemptCols+` FROM training_attempts ORDER BY id LIMIT 5000`, []any{}
	if trainee != "" {
		q, args = `SELECT `+attemptCols+` FROM training_attempts WHERE trainee = ? ORDER BY id LIMIT 5000`, []any{trainee}
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list attempts: %w", err)
	}
	return scanAttempts(rows)
}

// AdvanceAttempt moves an unfinished attempt's clock forward by by and returns the
// attempt (store.ErrNotFound when it does not exist or is finished).
func (s *Store) AdvanceAttempt(ctx context.Context, id int64, by time.Duration) (store.TrainingAttempt, error) {
	res, err := s.write.ExecContext(ctx, s.dialect.rebind(`UPDATE training_attempts SET offset_ms = offset_ms + ? WHERE id = ? AND finished_at IS NULL`), by.Milliseconds(), id)
	if err != nil {
		return store.TrainingAttempt{}, fmt.Errorf("advance attempt: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.TrainingAttempt{}, store.ErrNotFound
	}
	return s.Attempt(ctx, id)
}

// FinishAttempt stores the score of an unfinished attempt; it reports false when the
// attempt was already finished (the first score stands).
func (s *Store) FinishAttempt(ctx context.Context, id int64, at time.Time, points, maxPoints int, card []byte) (bool, error) {
	res, err := s.write.ExecContext(ctx, s.dialect.rebind(`UPDATE training_attempts SET finished_at = ?, points = ?, max_points = ?, card = ? WHERE id = ? AND finished_at IS NULL`),
		millis(at), points, maxPoints, string(card), id)
	if err != nil {
		return false, fmt.Errorf("finish attempt: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SaveScenario stores a scenario made from a real case (a new id only).
func (s *Store) SaveScenario(ctx context.Context, sc store.TrainingScenario) error {
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(`INSERT INTO training_scenarios (id, body, source_case, created_by, created_at) VALUES (?,?,?,?,?)`),
		sc.ID, sc.Body, sc.SourceCase, sc.CreatedBy, millis(sc.CreatedAt))
	if err != nil {
		if s.dialect.isUniqueViolation(err) {
			return store.ErrDuplicate
		}
		return fmt.Errorf("save scenario: %w", err)
	}
	return nil
}

// Scenarios lists the scenarios made from real cases.
func (s *Store) Scenarios(ctx context.Context) ([]store.TrainingScenario, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, body, source_case, created_by, created_at FROM training_scenarios ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	defer rows.Close()
	var out []store.TrainingScenario
	for rows.Next() {
		var sc store.TrainingScenario
		var at int64
		if err := rows.Scan(&sc.ID, &sc.Body, &sc.SourceCase, &sc.CreatedBy, &at); err != nil {
			return nil, err
		}
		sc.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, sc)
	}
	return out, rows.Err()
}
