// Package auth signs people in: users with roles, argon2id passwords, browser
// sessions and API tokens for integrations. Only hashes of session and token secrets
// are stored, so a copy of the database does not let anyone in.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// Store is what auth needs of the database.
type Store interface {
	CreateUser(ctx context.Context, u store.User) (store.User, error)
	UpdateUser(ctx context.Context, u store.User) error
	UserByName(ctx context.Context, username string) (store.User, error)
	UserByID(ctx context.Context, id int64) (store.User, error)
	Users(ctx context.Context) ([]store.User, error)
	CreateSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time) error
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (store.User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	CreateToken(ctx context.Context, tokenHash string, t store.APIToken) (store.APIToken, error)
	TokenUser(ctx context.Context, tokenHash string) (store.User, error)
	// TokenGrant is TokenUser with the token's scopes.
	TokenGrant(ctx context.Context, tokenHash string) (store.User, []string, error)
	Tokens(ctx context.Context, userID int64) ([]store.APIToken, error)
	RevokeToken(ctx context.Context, userID, tokenID int64) error
	// RevokeUser ends all of a user's sessions and revokes all their API tokens.
	RevokeUser(ctx context.Context, userID int64) error
}

// ErrBadCredentials means the user name or password is wrong (which one is not said).
var ErrBadCredentials = errors.New("bad credentials")

// ErrUnauthenticated means no valid session or token was presented.
var ErrUnauthenticated = errors.New("unauthenticated")

// ErrBadToken means the API token presented is unknown, revoked, or its user is
// disabled: it is an ErrUnauthenticated that says so.
var ErrBadToken = fmt.Errorf("%w: bad API token", ErrUnauthenticated)

// Opts configure the manager.
type Opts struct {
	Store      Store
	SessionTTL time.Duration
	// Throttle slows down repeated wrong passwords per (user name, address) and per
	// address; Gate bounds the password checks running at once (see their defaults).
	Throttle ThrottleOpts
	Gate     GateOpts
	Now      func() time.Time
}

// Manager signs users in and out.
type Manager struct {
	store      Store
	sessionTTL time.Duration
	now        func() time.Time
	throttle   *throttle
	gate       *gate
}

// dummyHash is checked when a login names an unknown user, so that the answer takes as
// long as for a known one and timing does not tell which user names exist.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$8EJ8pK88iYa5orV9YmmKxQ$30eZgBOdtSfmVyS9Q8Y8WJODjf2WqjbBGrP8ek37qbQ"

// New builds a manager.
func New(o Opts) (*Manager, error) {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Manager{store: o.Store, sessionTTL: o.SessionTTL, now: o.Now, throttle: newThrottle(o.Throttle), gate: newGate(o.Gate)}, nil
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{1,31}$`)

const (
	minPasswordLen = 8
	// maxPasswordLen bounds what is hashed (bytes); a login with a longer password or
	// a user name over maxUsernameLen is refused before any work.
	maxPasswordLen = 1024
	maxUsernameLen = 64
)

// NewUser is what adding a user takes.
type NewUser struct {
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        store.Role `json:"role"`
	Password    string     `json:"password"`
}

func (n NewUser) validate() error {
	var errs cases.ValidationError
	if !usernamePattern.MatchString(n.Username) {
		errs = append(errs, cases.FieldError{Field: "username", Message: "用户名须为2-32位小写字母、数字、点、下划线或短横线"})
	}
	if utf8.RuneCountInString(n.DisplayName) > 32 {
		errs = append(errs, cases.FieldError{Field: "display_name", Message: "显示名不能超过32个字"})
	}
	if !n.Role.Valid() {
		errs = append(errs, cases.FieldError{Field: "role", Message: "角色须为 agent(客服)、supervisor(主管) 或 admin(管理员)"})
	}
	if len(n.Password) < minPasswordLen {
		errs = append(errs, cases.FieldError{Field: "password", Message: "密码至少8位"})
	} else if len(n.Password) > maxPasswordLen {
		errs = append(errs, cases.FieldError{Field: "password", Message: "密码不能超过1024个字节"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// AddUser creates a user with a hashed password.
func (m *Manager) AddUser(ctx context.Context, n NewUser) (store.User, error) {
	n.Username = strings.TrimSpace(n.Username)
	if err := n.validate(); err != nil {
		return store.User{}, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return store.User{}, err
	}
	if n.DisplayName == "" {
		n.DisplayName = n.Username
	}
	u, err := m.store.CreateUser(ctx, store.User{Username: n.Username, DisplayName: n.DisplayName, Role: n.Role,
		PasswordHash: hash, CreatedAt: m.now().UTC()})
	if errors.Is(err, store.ErrDuplicate) {
		return u, cases.ValidationError{{Field: "username", Message: "用户名已存在"}}
	}
	return u, err
}

// UserChange is an admin's edit of a user; nil fields stay as they are.
type UserChange struct {
	DisplayName *string     `json:"display_name"`
	Role        *store.Role `json:"role"`
	Password    *string     `json:"password"`
	Disabled    *bool       `json:"disabled"`
}

// UpdateUser applies an admin's change to a user. A new password or disabling the
// user ends all of the user's sessions and revokes all their API tokens: whoever held
// the old password (or a token made with it) is out at once.
func (m *Manager) UpdateUser(ctx context.Context, id int64, ch UserChange) (store.User, error) {
	u, err := m.store.UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	if ch.DisplayName != nil {
		u.DisplayName = *ch.DisplayName
	}
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	if ch.Disabled != nil {
		u.Disabled = *ch.Disabled
	}
	password := "unchanged"
	if ch.Password != nil {
		password = *ch.Password
	}
	if err := (NewUser{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Password: password}).validate(); err != nil {
		return u, err
	}
	if ch.Password != nil {
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return u, err
		}
	}
	if err := m.store.UpdateUser(ctx, u); err != nil {
		return u, err
	}
	// After the update, so a session opened in between needed the new password.
	if ch.Password != nil || u.Disabled {
		return u, m.store.RevokeUser(ctx, u.ID)
	}
	return u, nil
}

// SetPassword gives a user a new password (checked like AddUser's) and ends all
// their sessions and API tokens. For the CLI (user passwd) and the users page.
func (m *Manager) SetPassword(ctx context.Context, id int64, password string) (store.User, error) {
	return m.UpdateUser(ctx, id, UserChange{Password: &password})
}

// DisableUser stops a user from signing in and ends all their sessions and API
// tokens at once. For the CLI (user disable) and the users page.
func (m *Manager) DisableUser(ctx context.Context, id int64) (store.User, error) {
	disabled := true
	return m.UpdateUser(ctx, id, UserChange{Disabled: &disabled})
}

// EnableUser lets a disabled user sign in again (with a new session; the old
// sessions and tokens stay revoked).
func (m *Manager) EnableUser(ctx context.Context, id int64) (store.User, error) {
	disabled := false
	return m.UpdateUser(ctx, id, UserChange{Disabled: &disabled})
}

// Users lists all users.
func (m *Manager) Users(ctx context.Context) ([]store.User, error) { return m.store.Users(ctx) }

// Login checks a password and opens a session; it returns the session secret. It is
// LoginFrom without a client address (command-line tools and tests).
func (m *Manager) Login(ctx context.Context, username, password string) (string, store.User, error) {
	return m.LoginFrom(ctx, username, password, "")
}

// LoginFrom checks a password sent from the client address addr (the host of the
// connection) and opens a session. Attempts are throttled per (user name, addr) and
// per addr (*ThrottledError, errors.Is ErrThrottled); at most a few passwords are
// checked at once and a bounded queue waits (ErrBusy beyond).
func (m *Manager) LoginFrom(ctx context.Context, username, password, addr string) (string, store.User, error) {
	username = strings.TrimSpace(username)
	if len(username) > maxUsernameLen || len(password) > maxPasswordLen {
		return "", store.User{}, ErrBadCredentials // no account has such a name or password
	}
	try, err := m.throttle.begin(username, addr, m.now())
	if err != nil {
		return "", store.User{}, err
	}
	u, ok, err := m.checkPassword(ctx, username, password)
	switch {
	case err != nil:
		try.cancelled()
		return "", u, err
	case !ok:
		try.failed()
		return "", u, ErrBadCredentials
	}
	try.succeeded()
	secret, hash, err := newSecret("shs_")
	if err != nil {
		return "", u, err
	}
	now := m.now().UTC()
	if err := m.store.CreateSession(ctx, hash, u.ID, now, now.Add(m.sessionTTL)); err != nil {
		return "", u, err
	}
	return secret, u, nil
}

// checkPassword looks the user up and checks the password in a turn of the gate; an
// unknown name costs the same hash, so timing does not tell which names exist.
func (m *Manager) checkPassword(ctx context.Context, username, password string) (store.User, bool, error) {
	leave, err := m.gate.enter(ctx)
	if err != nil {
		return store.User{}, false, err
	}
	defer leave()
	u, err := m.store.UserByName(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		CheckPassword(dummyHash, password)
		return u, false, nil
	}
	if err != nil {
		return u, false, err
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	return u, err == nil && ok && !u.Disabled, nil
}

// Logout ends a session.
func (m *Manager) Logout(ctx context.Context, secret string) error {
	return m.store.DeleteSession(ctx, hashSecret(secret))
}

// SessionTTL is how long a session lasts.
func (m *Manager) SessionTTL() time.Duration { return m.sessionTTL }

// FromSession returns the user of a live session.
func (m *Manager) FromSession(ctx context.Context, secret string) (store.User, error) {
	u, err := m.store.SessionUser(ctx, hashSecret(secret), m.now().UTC())
	return m.active(u, err)
}

// FromToken returns the user of an API token.
func (m *Manager) FromToken(ctx context.Context, secret string) (store.User, error) {
	u, _, err := m.FromTokenScoped(ctx, secret)
	return u, err
}

func (m *Manager) active(u store.User, err error) (store.User, error) {
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return u, ErrUnauthenticated
	}
	return u, err
}

// FromTokenScoped returns the user of an API token and the token's scopes (empty:
// full access as the user).
func (m *Manager) FromTokenScoped(ctx context.Context, secret string) (store.User, []string, error) {
	u, scopes, err := m.store.TokenGrant(ctx, hashSecret(secret))
	if u, err = m.active(u, err); errors.Is(err, ErrUnauthenticated) {
		return u, nil, ErrBadToken
	}
	return u, scopes, err
}

// CreateToken issues an API token with full access as the user; the secret is shown once.
func (m *Manager) CreateToken(ctx context.Context, userID int64, name string) (string, store.APIToken, error) {
	return m.CreateScopedToken(ctx, userID, name, nil)
}

// CreateScopedToken issues an API token limited to scopes (store.Scopes; none: full
// access as the user); the secret is shown once.
func (m *Manager) CreateScopedToken(ctx context.Context, userID int64, name string, scopes []string) (string, store.APIToken, error) {
	clean := []string{}
	for _, sc := range scopes {
		sc = strings.TrimSpace(sc)
		if !slices.Contains(store.Scopes, sc) {
			return "", store.APIToken{}, cases.ValidationError{{Field: "scopes", Message: fmt.Sprintf("未知的令牌权限范围 %q,可用:%s", sc, strings.Join(store.Scopes, "、"))}}
		}
		if !slices.Contains(clean, sc) {
			clean = append(clean, sc)
		}
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return "", store.APIToken{}, cases.ValidationError{{Field: "name", Message: "请填写1-64个字的令牌名称"}}
	}
	secret, hash, err := newSecret("sht_")
	if err != nil {
		return "", store.APIToken{}, err
	}
	t, err := m.store.CreateToken(ctx, hash, store.APIToken{UserID: userID, Name: name, CreatedAt: m.now().UTC(), Scopes: clean})
	return secret, t, err
}

// Tokens lists a user's tokens (without secrets).
func (m *Manager) Tokens(ctx context.Context, userID int64) ([]store.APIToken, error) {
	return m.store.Tokens(ctx, userID)
}

// RevokeToken revokes one of the user's tokens.
func (m *Manager) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return m.store.RevokeToken(ctx, userID, tokenID)
}

// newSecret makes a 256-bit random secret with a readable prefix and its hash.
func newSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random: %w", err)
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret), nil
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
