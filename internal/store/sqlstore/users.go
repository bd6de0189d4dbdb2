package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

const userCols = `id, username, display_name, role, password_hash, disabled, created_at, agent_no`

func scanUser(row row) (store.User, error) {
	var u store.User
	var disabled int
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.PasswordHash, &disabled, &created, &u.AgentNo)
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	u.Disabled, u.CreatedAt = disabled != 0, time.UnixMilli(created).UTC()
	return u, unavailable(err)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateUser stores a new user; a taken user name is store.ErrDuplicate.
func (s *Store) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if err := checkText("display_name", u.Username, u.DisplayName, u.AgentNo); err != nil {
		return u, err
	}
	q := s.dialect.rebind(`INSERT INTO users (username, display_name, role, password_hash, disabled, created_at, agent_no) VALUES (?,?,?,?,?,?,?) RETURNING id`)
	err := s.write.QueryRowContext(ctx, q, u.Username, u.DisplayName, string(u.Role), u.PasswordHash, boolInt(u.Disabled), millis(u.CreatedAt), u.AgentNo).Scan(&u.ID)
	if s.dialect.isUniqueViolation(err) {
		return u, store.ErrDuplicate
	}
	if err != nil {
		return u, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// UpdateUser rewrites a user's display name, role, password hash, disabled flag and
// 工号.
func (s *Store) UpdateUser(ctx context.Context, u store.User) error {
	if err := checkText("display_name", u.DisplayName, u.AgentNo); err != nil {
		return err
	}
	q := s.dialect.rebind(`UPDATE users SET display_name = ?, role = ?, password_hash = ?, disabled = ?, agent_no = ? WHERE id = ?`)
	res, err := s.write.ExecContext(ctx, q, u.DisplayName, string(u.Role), u.PasswordHash, boolInt(u.Disabled), u.AgentNo, u.ID)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// UserByName finds a user by user name.
func (s *Store) UserByName(ctx context.Context, username string) (store.User, error) {
	if !store.CleanText(username) {
		return store.User{}, store.ErrNotFound // no user name holds such bytes
	}
	return scanUser(s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+userCols+` FROM users WHERE username = ?`), username))
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (store.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(rows, scanUser)
}

// CreateSession stores a browser session under the hash of its secret.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time) error {
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)`),
		tokenHash, userID, millis(now), millis(expires))
	if err != nil {
		return unavailable(fmt.Errorf("create session: %w", err))
	}
	return nil
}

// SessionUser returns the user of a session that has not expired at now.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (store.User, error) {
	q := `SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, u.created_at, u.agent_no
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`
	return scanUser(s.read.QueryRowContext(ctx, s.dialect.rebind(q), tokenHash, millis(now)))
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(`DELETE FROM sessions WHERE expires_at <= ?`), millis(now))
	return err
}

// CreateToken stores an API token under the hash of its secret.
func (s *Store) CreateToken(ctx context.Context, tokenHash string, t store.APIToken) (store.APIToken, error) {
	if err := checkText("name", t.Name); err != nil {
		return t, err
	}
	q := s.dialect.rebind(`INSERT INTO api_tokens (token_hash, user_id, name, created_at, scopes) VALUES (?,?,?,?,?) RETURNING id`)
	if t.Scopes == nil {
		t.Scopes = []string{}
	}
	if err := s.write.QueryRowContext(ctx, q, tokenHash, t.UserID, t.Name, millis(t.CreatedAt), strings.Join(t.Scopes, ",")).Scan(&t.ID); err != nil {
		return t, fmt.Errorf("create token: %w", err)
	}
	return t, nil
}

// TokenUser returns the user of an API token that is not revoked.
func (s *Store) TokenUser(ctx context.Context, tokenHash string) (store.User, error) {
	q := `SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, u.created_at, u.agent_no
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked = 0`
	return scanUser(s.read.QueryRowContext(ctx, s.dialect.rebind(q), tokenHash))
}

// TokenGrant returns the user of an API token that is not revoked and the token's scopes.
func (s *Store) TokenGrant(ctx context.Context, tokenHash string) (store.User, []string, error) {
	q := `SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, u.created_at, u.agent_no, t.scopes
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked = 0`
	var u store.User
	var role, scopes string
	var created int64
	var disabled int
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(q), tokenHash).Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.PasswordHash, &disabled, &created, &u.AgentNo, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return u, nil, store.ErrNotFound
	}
	if err != nil {
		return u, nil, unavailable(err)
	}
	u.Role, u.Disabled, u.CreatedAt = store.Role(role), disabled != 0, time.UnixMilli(created).UTC()
	return u, splitScopes(scopes), nil
}

func splitScopes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Tokens lists a user's API tokens.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]store.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT id, user_id, name, created_at, revoked, scopes FROM api_tokens WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	tokens := []store.APIToken{}
	for rows.Next() {
		var t store.APIToken
		var created int64
		var revoked int
		var scopes string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &revoked, &scopes); err != nil {
			return nil, err
		}
		t.Scopes = splitScopes(scopes)
		t.CreatedAt, t.Revoked = time.UnixMilli(created).UTC(), revoked != 0
		tokens = append(tokens, t)
	}
	return tokens, rows.Err()
}

// RevokeToken revokes one of a user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.write.ExecContext(ctx, s.dialect.rebind(`UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?`), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// RevokeUser ends every session of a user and revokes all their API tokens, in one
// transaction (after a password change or when the user is disabled).
func (s *Store) RevokeUser(ctx context.Context, userID int64) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
		return unavailable(fmt.Errorf("end sessions: %w", err))
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`UPDATE api_tokens SET revoked = 1 WHERE user_id = ?`), userID); err != nil {
		return unavailable(fmt.Errorf("revoke tokens: %w", err))
	}
	return unavailable(tx.Commit())
}
