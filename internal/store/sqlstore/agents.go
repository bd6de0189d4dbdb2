package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/store"
)

// loadsQuery lists the profiles of enabled agents and supervisors with their open
// cases (counted on the assignee index).
const loadsQuery = `SELECT p.username, p.levels, p.platforms, p.shops, p.status, p.last_assigned_at,
	(SELECT count(*) FROM cases c WHERE c.assignee = p.username AND c.status = 'open')
	FROM agent_profiles p JOIN users u ON u.username = p.username
	WHERE u.disabled = 0 AND u.role IN ('agent', 'supervisor') ORDER BY p.username`

func scanLoads(rows rows) ([]dispatch.Load, error) {
	defer rows.Close()
	var out []dispatch.Load
	for rows.Next() {
		var l dispatch.Load
		var levels, platforms, shops string
		var last int64
		if err := rows.Scan(&l.Username, &levels, &platforms, &shops, &l.Status, &last, &l.Open); err != nil {
			return nil, fmt.Errorf("scan agent: %w", err)
		}
		l.Levels, l.Platforms, l.Shops = splitLevels(levels), splitPlatforms(platforms), splitIDs(shops)
		if last > 0 {
			l.LastAssignedAt = time.UnixMilli(last).UTC()
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func splitLevels(s string) []cases.Level {
	out := []cases.Level{}
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, cases.Level(n))
		}
	}
	return out
}

func splitIDs(s string) []int64 {
	out := []int64{}
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitPlatforms(s string) []cases.Platform {
	out := []cases.Platform{}
	for _, f := range strings.Split(s, ",") {
		if f != "" {
			out = append(out, cases.Platform(f))
		}
	}
	return out
}

// AgentLoads reads every agent's profile and open cases inside the transaction.
func (t *Tx) AgentLoads(ctx context.Context) ([]dispatch.Load, error) {
	rows, err := t.tx.QueryContext(ctx, loadsQuery)
	if err != nil {
		return nil, fmt.Errorf("read agents: %w", err)
	}
	return scanLoads(rows)
}

// TouchAssigned records that the agent just got a case (the tie-break of dispatch).
func (t *Tx) TouchAssigned(ctx context.Context, username string, at time.Time) error {
	q := `INSERT INTO agent_profiles (username, last_assigned_at, updated_at) VALUES (?,?,?)
		ON CONFLICT (username) DO UPDATE SET last_assigned_at = excluded.last_assigned_at`
	if _, err := t.tx.ExecContext(ctx, t.d.rebind(q), username, millis(at), millis(at)); err != nil {
		return fmt.Errorf("touch agent %s: %w", username, err)
	}
	return nil
}

// AgentLoads reads every agent's profile and open cases.
func (s *Store) AgentLoads(ctx context.Context) ([]dispatch.Load, error) {
	rows, err := s.read.QueryContext(ctx, loadsQuery)
	if err != nil {
		return nil, fmt.Errorf("read agents: %w", err)
	}
	return scanLoads(rows)
}

// AgentProfile reads one agent's profile; a user without one is off, for all levels
// and platforms.
func (s *Store) AgentProfile(ctx context.Context, username string) (dispatch.Profile, error) {
	p := dispatch.Profile{Username: username, Status: dispatch.Off}
	var levels, platforms, shops string
	var last int64
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT levels, platforms, shops, status, last_assigned_at FROM agent_profiles WHERE username = ?`), username).
		Scan(&levels, &platforms, &shops, &p.Status, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read agent %s: %w", username, err)
	}
	p.Levels, p.Platforms, p.Shops = splitLevels(levels), splitPlatforms(platforms), splitIDs(shops)
	if last > 0 {
		p.LastAssignedAt = time.UnixMilli(last).UTC()
	}
	return p, nil
}

// PutAgentProfile stores an agent's tier, platforms and status.
func (s *Store) PutAgentProfile(ctx context.Context, p dispatch.Profile, now time.Time) error {
	levels := make([]string, len(p.Levels))
	for i, l := range p.Levels {
		levels[i] = strconv.Itoa(int(l))
	}
	platforms := make([]string, len(p.Platforms))
	for i, pl := range p.Platforms {
		platforms[i] = string(pl)
	}
	q := `INSERT INTO agent_profiles (username, levels, platforms, shops, status, updated_at) VALUES (?,?,?,?,?,?)
		ON CONFLICT (username) DO UPDATE SET levels = excluded.levels, platforms = excluded.platforms,
		shops = excluded.shops, status = excluded.status, updated_at = excluded.updated_at`
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(q), p.Username, strings.Join(levels, ","), strings.Join(platforms, ","), joinIDs(p.Shops), string(p.Status), millis(now))
	if err != nil {
		return fmt.Errorf("save agent %s: %w", p.Username, err)
	}
	return nil
}

var _ store.DispatchTx = (*Tx)(nil)
