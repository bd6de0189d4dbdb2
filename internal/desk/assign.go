package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/store"
)

// UserDirectory finds users by name (the auth store).
type UserDirectory interface {
	UserByName(ctx context.Context, username string) (store.User, error)
}

// ProfileStore keeps the agents' dispatch profiles.
type ProfileStore interface {
	AgentProfile(ctx context.Context, username string) (dispatch.Profile, error)
	PutAgentProfile(ctx context.Context, p dispatch.Profile, now time.Time) error
	AgentLoads(ctx context.Context) ([]dispatch.Load, error)
}

// checkAssignee refuses an assignee who does not exist, is disabled, or is not an agent
// (an agent or a supervisor taking a case over; an admin account works no cases).
func (d *Desk) checkAssignee(ctx context.Context, name string) error {
	if name == "" || d.users == nil {
		return nil
	}
	u, err := d.users.UserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return &RuleError{Code: "assignee_unknown", Field: "assignee", Message: fmt.Sprintf("用户「%s」不存在,不能分配", name)}
	}
	if err != nil {
		return err
	}
	if u.Disabled || (u.Role != store.RoleAgent && u.Role != store.RoleSupervisor) {
		return &RuleError{Code: "assignee_not_agent", Field: "assignee", Message: fmt.Sprintf("「%s」不是可接单的客服,不能分配", name)}
	}
	return nil
}

// checkServes refuses an assignee who does not serve the case's shop.
func (d *Desk) checkServes(ctx context.Context, name string, shop int64) error {
	ps, ok := d.store.(ProfileStore)
	if name == "" || !ok {
		return nil
	}
	p, err := ps.AgentProfile(ctx, name)
	if err != nil {
		return err
	}
	if !p.Serves(shop) {
		return &RuleError{Code: "assignee_other_shop", Field: "assignee", Message: fmt.Sprintf("「%s」不负责该工单所属的店铺,不能分配", d.displayName(ctx, name))}
	}
	return nil
}

// dispatchNew assigns a new case without an explicit assignee to the online agent of
// its tier and platform with the fewest open cases (dispatch.Pick). Nobody online: an
// agent who opened it keeps it; otherwise it waits in 待分配.
func (d *Desk) dispatchNew(ctx context.Context, tx store.Tx, actor Actor, n NewCase, drafts []draft, now time.Time) ([]draft, error) {
	// A case an agent opens from their own chat stays with them; cases from the API,
	// imports and supervisors are dispatched.
	if n.Assignee != "" || !d.dispatch.Auto || actor.Role == store.RoleAgent {
		return drafts, d.touchAssignee(ctx, tx, drafts, now)
	}
	loads, err := tx.AgentLoads(ctx)
	if err != nil {
		return nil, err
	}
	if to, ok := dispatch.Pick(loads, dispatch.CaseOf(cases.Case{Intake: n.Intake}), ""); ok {
		drafts = withAssignee(drafts, to)
	}
	return drafts, d.touchAssignee(ctx, tx, drafts, now)
}

func (d *Desk) touchAssignee(ctx context.Context, tx store.Tx, drafts []draft, now time.Time) error {
	for _, dr := range drafts {
		if p, ok := dr.payload.(cases.AssignedPayload); ok && p.To != "" {
			return tx.TouchAssigned(ctx, p.To, now)
		}
	}
	return nil
}

// withAssignee sets (or adds) the assignment among a new case's opening events.
func withAssignee(drafts []draft, to string) []draft {
	for i, dr := range drafts {
		if dr.typ == cases.EvAssigned {
			drafts[i].payload = cases.AssignedPayload{To: to}
			return drafts
		}
	}
	// After created and sla_set, before the first message.
	out := append([]draft{}, drafts[:2]...)
	out = append(out, draft{cases.EvAssigned, cases.AssignedPayload{To: to}})
	return append(out, drafts[2:]...)
}

// Assign gives a case to an agent: supervisors reassign any case (to "" to put it back
// in 待分配); an agent may only claim an unassigned case for themselves. The assignee
// must be an existing agent (422, field assignee).
func (d *Desk) Assign(ctx context.Context, actor Actor, id, expected int64, to string) (cases.Case, error) {
	if err := d.checkAssignee(ctx, to); err != nil {
		return cases.Case{}, err
	}
	var out cases.Case
	err := d.store.InTx(ctx, func(tx store.Tx) error {
		c, err := tx.GetCase(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case expected != AnyVersion && c.Version != expected:
			return &store.ConflictError{CaseID: id, Current: c.Version}
		case c.Status != cases.StatusOpen:
			return &RuleError{Code: "case_closed", Message: "工单已结案,请先重新打开"}
		case !actor.CanApprove() && (to != actor.Name || c.Assignee != ""):
			return fmt.Errorf("%w: 客服只能认领未分配的工单,改派请找主管", ErrForbidden)
		case c.Assignee == to:
			return &RuleError{Code: "already_assigned", Field: "assignee", Message: "工单已经分配给该客服"}
		}
		if err := d.checkServes(ctx, to, c.Shop()); err != nil {
			return err
		}
		out, err = d.reassign(ctx, tx, actor, c, to)
		return err
	})
	return out, err
}

// reassign records the assignment in tx and the agent's last assignment time.
func (d *Desk) reassign(ctx context.Context, tx store.Tx, actor Actor, c cases.Case, to string) (cases.Case, error) {
	now := d.clockNow()
	next, err := d.appendOne(ctx, tx, actor, c, cases.EvAssigned, cases.AssignedPayload{From: c.Assignee, To: to}, now)
	if err != nil || to == "" {
		return next, err
	}
	return next, tx.TouchAssigned(ctx, to, now)
}

// Profiles lists every agent's dispatch profile with their open cases.
func (d *Desk) Profiles(ctx context.Context) ([]dispatch.Load, error) {
	ps, ok := d.store.(ProfileStore)
	if !ok {
		return nil, errors.New("store keeps no agent profiles")
	}
	return ps.AgentLoads(ctx)
}

// Profile is one agent's dispatch profile.
func (d *Desk) Profile(ctx context.Context, username string) (dispatch.Profile, error) {
	ps, ok := d.store.(ProfileStore)
	if !ok {
		return dispatch.Profile{}, errors.New("store keeps no agent profiles")
	}
	return ps.AgentProfile(ctx, username)
}

// ProfileChange is an edit of an agent's profile; nil fields stay as they are.
type ProfileChange struct {
	Levels    *[]cases.Level    `json:"levels,omitempty"`
	Platforms *[]cases.Platform `json:"platforms,omitempty"`
	// Shops are the shops the agent serves (empty: every shop); admins set them.
	Shops  *[]int64         `json:"shops,omitempty"`
	Status *dispatch.Status `json:"status,omitempty"`
}

// SetProfile changes an agent's tier, platforms or status. Agents change only their
// own status; supervisors change anything. Switching to a status the configuration
// lists under redistribute hands the agent's open cases to others; it returns how many
// moved and how many wait in 待分配.
func (d *Desk) SetProfile(ctx context.Context, actor Actor, username string, ch ProfileChange) (dispatch.Profile, int, int, error) {
	ps, ok := d.store.(ProfileStore)
	if !ok {
		return dispatch.Profile{}, 0, 0, errors.New("store keeps no agent profiles")
	}
	if !actor.CanApprove() && (username != actor.Name || ch.Levels != nil || ch.Platforms != nil) {
		return dispatch.Profile{}, 0, 0, fmt.Errorf("%w: 客服只能切换自己的在线状态", ErrForbidden)
	}
	if ch.Shops != nil && actor.Role != store.RoleAdmin {
		return dispatch.Profile{}, 0, 0, fmt.Errorf("%w: 只有管理员可以设置客服负责的店铺", ErrForbidden)
	}
	if err := d.checkAssignee(ctx, username); err != nil {
		return dispatch.Profile{}, 0, 0, err
	}
	if ch.Shops != nil {
		shops, err := d.Shops(ctx)
		if err != nil {
			return dispatch.Profile{}, 0, 0, err
		}
		ids := []int64{}
		for _, id := range *ch.Shops {
			if !slices.ContainsFunc(shops, func(s store.Shop) bool { return s.ID == id }) {
				return dispatch.Profile{}, 0, 0, invalid("shops", fmt.Sprintf("店铺 %d 不存在", id))
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		ch.Shops = &ids
	}
	p, err := ps.AgentProfile(ctx, username)
	if err != nil {
		return p, 0, 0, err
	}
	before := p.Status
	if ch.Levels != nil {
		for _, l := range *ch.Levels {
			if !l.Valid() {
				return p, 0, 0, invalid("levels", "等级须为1、2或3")
			}
		}
		p.Levels = *ch.Levels
	}
	if ch.Platforms != nil {
		for _, pl := range *ch.Platforms {
			if !pl.Valid() {
				return p, 0, 0, invalid("platforms", fmt.Sprintf("未知的平台 %q", pl))
			}
		}
		p.Platforms = *ch.Platforms
	}
	if ch.Shops != nil {
		p.Shops = *ch.Shops
	}
	if ch.Status != nil {
		if !ch.Status.Valid() {
			return p, 0, 0, invalid("status", "状态须为 online(在线)、away(离开)或 off(下线)")
		}
		p.Status = *ch.Status
	}
	if err := ps.PutAgentProfile(ctx, p, d.clockNow()); err != nil {
		return p, 0, 0, err
	}
	if p.Status == before {
		return p, 0, 0, nil
	}
	if p.Status == dispatch.Online && d.dispatch.Auto {
		// Someone came online: the 待分配 backlog is dispatched again.
		moved, err := d.DispatchWaiting(ctx, actor)
		return p, moved, 0, err
	}
	if !slices.Contains(d.dispatch.Redistribute, p.Status) {
		return p, 0, 0, nil
	}
	moved, waiting, err := d.Redistribute(ctx, actor, username)
	return p, moved, waiting, err
}

// DispatchWaiting gives the open cases in 待分配, the clock that runs out first
// first, to the online agents who can take them (least loaded first); it returns how
// many found an agent.
func (d *Desk) DispatchWaiting(ctx context.Context, actor Actor) (int, error) {
	moved := 0
	cursor := ""
	for {
		page, err := d.store.ListCases(ctx, store.CaseFilter{Unassigned: true, Status: cases.StatusOpen, Sort: "due", Limit: 100, Cursor: cursor})
		if err != nil {
			return moved, err
		}
		for _, listed := range page.Cases {
			err := d.store.InTx(ctx, func(tx store.Tx) error {
				c, err := tx.GetCase(ctx, listed.ID)
				if err != nil || c.Assignee != "" || c.Status != cases.StatusOpen {
					return err
				}
				loads, err := tx.AgentLoads(ctx)
				if err != nil {
					return err
				}
				to, ok := dispatch.Pick(loads, dispatch.CaseOf(c), "")
				if !ok {
					return nil
				}
				if _, err := d.reassign(ctx, tx, actor, c, to); err != nil {
					return err
				}
				moved++
				return nil
			})
			if err != nil {
				return moved, err
			}
		}
		if page.NextCursor == "" {
			return moved, nil
		}
		cursor = page.NextCursor
	}
}

// Redistribute hands an agent's open cases to the online agents who can take them,
// least loaded first, one transaction per case; a case nobody can take is put back
// in 待分配.
func (d *Desk) Redistribute(ctx context.Context, actor Actor, from string) (moved, waiting int, err error) {
	for {
		page, err := d.store.ListCases(ctx, store.CaseFilter{Assignee: from, Status: cases.StatusOpen, Sort: "due", Limit: 100})
		if err != nil || len(page.Cases) == 0 {
			return moved, waiting, err
		}
		progress := false
		for _, listed := range page.Cases {
			err := d.store.InTx(ctx, func(tx store.Tx) error {
				c, err := tx.GetCase(ctx, listed.ID)
				if err != nil || c.Assignee != from || c.Status != cases.StatusOpen {
					return err
				}
				loads, err := tx.AgentLoads(ctx)
				if err != nil {
					return err
				}
				to, ok := dispatch.Pick(loads, dispatch.CaseOf(c), from)
				if _, err := d.reassign(ctx, tx, actor, c, to); err != nil {
					return err
				}
				progress = true
				if ok {
					moved++
				} else {
					waiting++
				}
				return nil
			})
			if err != nil {
				return moved, waiting, err
			}
		}
		if !progress {
			return moved, waiting, nil
		}
	}
}

// displayName is how people see a user in texts the desk writes (小美, not xiaomei).
func (d *Desk) displayName(ctx context.Context, name string) string {
	if d.users == nil {
		return name
	}
	if u, err := d.users.UserByName(ctx, name); err == nil && u.DisplayName != "" {
		return u.DisplayName
	}
	return name
}
