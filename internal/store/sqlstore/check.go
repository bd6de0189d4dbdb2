package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// IntegrityCheck runs SQLite's integrity check (a restored backup is checked before it
// is used); on PostgreSQL it only pings.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.path == "" {
		return s.read.PingContext(ctx)
	}
	rows, err := s.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// EvidenceHashes lists the content hash of every evidence file the event logs refer
// to, each once.
func (s *Store) EvidenceHashes(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT payload FROM case_events WHERE type = ?`), "evidence.added")
	if err != nil {
		return nil, fmt.Errorf("evidence hashes: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var hashes []string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var p struct {
			Hash string `json:"hash"`
		}
		if json.Unmarshal([]byte(raw), &p) == nil && p.Hash != "" && !seen[p.Hash] {
			seen[p.Hash] = true
			hashes = append(hashes, p.Hash)
		}
	}
	return hashes, rows.Err()
}
