// Package store persists cases, their event logs, users and sessions. The types here
// are shared by the implementations in store/sqlstore (SQLite and PostgreSQL); the
// services that use a store declare the few methods they need as their own interfaces.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

var (
	// ErrNotFound means no row has that key.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique key (user name, idempotency key) is already taken.
	ErrDuplicate = errors.New("duplicate")
	// ErrBadCursor means a list cursor was not one the store handed out.
	ErrBadCursor = errors.New("invalid cursor")
	// ErrBadText means a text holds a NUL character or invalid UTF-8, which no store
	// keeps faithfully (PostgreSQL refuses both): the write is refused, nothing changes.
	ErrBadText = errors.New("text holds a NUL character or invalid UTF-8")
	// ErrQueryTooLong means a search text is longer than MaxQueryBytes.
	ErrQueryTooLong = errors.New("search text too long")
	// ErrUnavailable means the database cannot be reached or cannot write (down,
	// restarting, disk full): the request may be retried later; nothing was written.
	ErrUnavailable = errors.New("database unavailable")
)

// MaxQueryBytes bounds CaseFilter.Query: a search longer than this is refused
// (SQLite gives up on LIKE patterns over 50,000 bytes, and no order number, name or
// description search needs more).
const MaxQueryBytes = 200

// CleanText reports whether s can be stored: valid UTF-8 without NUL characters.
func CleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

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
	QualityTx
	ReportTx
}

// CaseFilter selects cases for a list. Zero values do not filter.
type CaseFilter struct {
	Stage    cases.Stage
	Type     cases.ProblemType
	Level    cases.Level
	Platform cases.Platform
	// Shop keeps one shop's cases; Shops, when not empty, keeps the cases of these
	// shops only (an agent's shops: the desk sets it, never the query string).
	Shop     int64
	Shops    []int64
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
	// RoleWarehouse works only the warehouse's receiving desk (仓库收货).
	RoleWarehouse Role = "warehouse"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin || r == RoleWarehouse
}

// User is a person who signs in. Customers are not users.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	// AgentNo is the agent's public name in chats (工号, e.g. 客服8号); it fills
	// {客服工号} in scripts.
	AgentNo string `json:"agent_no"`
}

// Name is what pages show for the user: the display name, else the user name.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// APIToken is an integration's credential; only a hash of the secret is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked"`
	// Scopes limit the token: empty is full access as its user; ScopeIntake may call
	// only the intake endpoints.
	Scopes []string `json:"scopes"`
}

// ScopeIntake lets a token call the intake endpoints (and nothing else).
const ScopeIntake = "intake"

// Scopes lists the known token scopes.
var Scopes = []string{ScopeIntake}

// Payout is one compensation or price-difference refund being paid (小额打款), as the
// payer's list shows it.
type Payout struct {
	CaseID       int64          `json:"case_id"`
	SolutionID   int64          `json:"solution_id"`
	Kind         string         `json:"kind"`
	State        string         `json:"state"`
	Ready        bool           `json:"ready"`
	Amount       money.Amount   `json:"amount"`
	Channel      string         `json:"channel,omitempty"`
	Account      string         `json:"account,omitempty"`
	PayeeName    string         `json:"payee_name,omitempty"`
	AfterReview  bool           `json:"after_review,omitempty"`
	Platform     cases.Platform `json:"platform"`
	OrderNo      string         `json:"order_no"`
	CustomerName string         `json:"customer_name"`
	Reference    string         `json:"reference,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	OpenedAt     time.Time      `json:"opened_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	PaidAt       *time.Time     `json:"paid_at,omitempty"`
}

// PayoutFilter selects payouts: by state ("" any; the pseudo-state "due" is ready and
// not paid, "waiting" approved but not ready) and, for paid ones, by payment time in
// [PaidFrom, PaidTo). At most Limit rows (0: 1000), oldest first.
type PayoutFilter struct {
	State    string
	PaidFrom time.Time
	PaidTo   time.Time
	Limit    int
}

// SOPChange is a change to the SOP an admin applied in the workbench (audit log).
type SOPChange struct {
	Seq     int64     `json:"seq"`
	Kind    string    `json:"kind"` // policy
	Name    string    `json:"name"` // the uploaded file's name
	Body    []byte    `json:"-"`
	Summary string    `json:"summary"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// ScriptChange is one entry of the script library's history: Action is save (Body is
// the script as saved), hide or restore (back to the built-in version).
type ScriptChange struct {
	Seq    int64     `json:"seq"`
	ID     string    `json:"id"`
	Action string    `json:"action"`
	Body   []byte    `json:"-"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
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
