// Package store persists cases, their event logs, users and sessions. The types here
// are shared by the implementations in store/sqlstore (SQLite and PostgreSQL); the
// services that use a store declare the few methods they need as their own interfaces.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

var (
	// ErrNotFound means no row has that key.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique key (user name, idempotency key) is already taken.
	ErrDuplicate = errors.New("duplicate")
	// ErrBadCursor means a list cursor was not one the store handed out.
	ErrBadCursor = errors.New("invalid cursor")
)

// ConflictError is returned when a write was based on a stale case version: the
// caller must reload and decide again; nothing was written.
type ConflictError struct {
	CaseID  int64
	Current int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("case %d changed: current version is %d", e.CaseID, e.Current)
}

// Tx is one write transaction of a store: what it reads sees its own writes, and all
// of it commits or none of it does.
type Tx interface {
	GetCase(ctx context.Context, id int64) (cases.Case, error)
	// Events is the case's whole log, oldest first.
	Events(ctx context.Context, caseID int64) ([]cases.Event, error)
	// InsertCase stores a new case with its first events and returns it with its id.
	InsertCase(ctx context.Context, c cases.Case, events []cases.Event) (cases.Case, error)
	// AppendEvents stores next and its events if the case is still at version expected;
	// otherwise it returns a *ConflictError.
	AppendEvents(ctx context.Context, expected int64, next cases.Case, events []cases.Event) error
	IdempotentCase(ctx context.Context, actor, key string) (caseID int64, found bool, err error)
	RememberIdempotency(ctx context.Context, actor, key string, caseID int64, now time.Time) error
	TimerTx
	DispatchTx
	NotifyTx
}

// CaseFilter selects cases for a list. Zero values do not filter.
type CaseFilter struct {
	Stage    cases.Stage
	Type     cases.ProblemType
	Level    cases.Level
	Platform cases.Platform
	Assignee string
	// Unassigned keeps cases nobody works (the 待分配 queue).
	Unassigned bool
	Status     cases.Status
	// OverdueAt, when set, keeps open cases with a deadline before it: OverdueKind
	// "response" the unanswered first response, "any" either, "" or "resolve" the
	// resolution.
	OverdueAt   time.Time
	OverdueKind string
	// Query matches the order number exactly or by prefix, and the customer name and
	// description by substring.
	Query         string
	CreatedFrom   time.Time
	CreatedBefore time.Time
	OrderNo       string
	// PendingApproval keeps cases waiting for a supervisor's decision.
	PendingApproval bool
	// Sort is "recent" (newest first, the default) or "due" (the clock that runs out
	// first comes first).
	Sort   string
	Limit  int
	Cursor string
}

// CasePage is one page of a list and the cursor of the next page ("" at the end).
type CasePage struct {
	Cases      []cases.Case `json:"cases"`
	NextCursor string       `json:"next_cursor"`
}

// Role is what a user may do: agents work cases, supervisors also approve, admins also
// manage users and configuration.
type Role string

const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin }

// User is a person who signs in. Customers are not users.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

// APIToken is an integration's credential; only a hash of the secret is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked"`
}

// ScriptOverride is a shop's change to the built-in script library: Body (JSON of a
// script) replaces or adds the script with ID; Deleted hides it.
type ScriptOverride struct {
	ID      string
	Body    []byte
	Deleted bool
	By      string
	At      time.Time
}
