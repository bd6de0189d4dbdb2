package auth

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// maxAgentNo bounds the 工号 (客服8号, 小美-03).
const maxAgentNo = 16

// SetProfile sets a user's display name and 工号 (their public name in chats, which
// fills {客服工号}); an empty display name falls back to the user name. Users edit
// their own profile; admins anyone's.
func (m *Manager) SetProfile(ctx context.Context, id int64, displayName, agentNo string) (store.User, error) {
	displayName, agentNo = strings.TrimSpace(displayName), strings.TrimSpace(agentNo)
	var errs cases.ValidationError
	if utf8.RuneCountInString(displayName) > 32 {
		errs = append(errs, cases.FieldError{Field: "display_name", Message: "显示名不能超过32个字"})
	}
	if utf8.RuneCountInString(agentNo) > maxAgentNo {
		errs = append(errs, cases.FieldError{Field: "agent_no", Message: "工号不能超过16个字"})
	}
	if len(errs) > 0 {
		return store.User{}, errs
	}
	u, err := m.store.UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	if displayName == "" {
		displayName = u.Username
	}
	u.DisplayName, u.AgentNo = displayName, agentNo
	return u, m.store.UpdateUser(ctx, u)
}

// UserByName finds a user by user name (the CLI's user commands name users).
func (m *Manager) UserByName(ctx context.Context, username string) (store.User, error) {
	return m.store.UserByName(ctx, strings.TrimSpace(username))
}
