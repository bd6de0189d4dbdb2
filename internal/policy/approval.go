package policy

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Role is a desk role that may grant compensation.
type Role string

const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Label is the role's Chinese name.
func (r Role) Label() string { return cases.RoleLabel(string(r)) }

// ErrUnknownRole is returned for a role other than agent, supervisor or admin.
var ErrUnknownRole = errors.New("unknown role")

// Approval says whether the actor may grant a compensation alone and, if not, which
// role must approve it.
type Approval struct {
	Decision
	Limit         money.Amount `json:"limit"`
	Unlimited     bool         `json:"unlimited"`
	NeedsApproval bool         `json:"needs_approval"`
	Approver      Role         `json:"approver,omitempty"`
}

// Exposure is the part of a solution's amount that counts against a role's limit:
// the whole amount of the kinds in role_limits.kinds, and of a refund what exceeds the
// order's amount (all of it when the order's amount is unknown).
func (p Policy) Exposure(kind string, amount, order money.Amount) money.Amount {
	switch {
	case amount <= 0:
		return 0
	case slices.Contains(p.cfg.RoleLimits.Kinds, kind):
		return amount
	case kind == cases.SolutionReturnRefund || kind == cases.SolutionRefundOnly:
		if order <= 0 {
			return amount
		}
		return max(amount-order, 0)
	}
	return 0
}

// LowersPrice reports whether a solution kind is a discount on the order's price, to
// which the supervisor-level floor applies (CheckDiscount).
func (p Policy) LowersPrice(kind string) bool { return slices.Contains(p.cfg.Discount.Kinds, kind) }

// Authorize checks the money a solution of kind gives (its Exposure) against the
// actor's limit (seed 000: an agent settles at 50; a request of 200 needs a supervisor).
func (p Policy) Authorize(actor Role, kind string, amount money.Amount) (Approval, error) {
	label, ok := cases.SolutionLabel(kind)
	if !ok {
		label = "补偿"
	}
	limit, unlimited, err := p.limit(actor)
	if err != nil {
		return Approval{}, err
	}
	base := Approval{Limit: limit, Unlimited: unlimited}
	base.Amount = amount
	if unlimited || amount <= limit {
		base.Allowed = true
		base.Rule = Rule{ID: RuleWithinRoleLimit,
			Text: fmt.Sprintf("%s%s在%s权限内（%s）", label, yuan(amount), actor.Label(), p.limitText(actor))}
		return base, nil
	}
	if approver, ok := p.approverFor(amount); ok {
		base.NeedsApproval, base.Approver = true, approver
		base.Rule = Rule{ID: RuleNeedsApproval, Text: fmt.Sprintf("%s%s超过%s权限（上限%s），需%s审批（%s）",
			label, yuan(amount), actor.Label(), yuan(limit), approver.Label(), p.limitText(approver))}
		return base, nil
	}
	base.Rule = Rule{ID: RuleAboveAllLimits, Text: fmt.Sprintf("%s%s超过所有角色的权限（管理员上限%s），不能发放",
		label, yuan(amount), yuan(*p.cfg.RoleLimits.Admin))}
	return base, nil
}

func (p Policy) limit(r Role) (limit money.Amount, unlimited bool, err error) {
	switch r {
	case RoleAgent:
		return p.cfg.RoleLimits.Agent, false, nil
	case RoleSupervisor:
		return p.cfg.RoleLimits.Supervisor, false, nil
	case RoleAdmin:
		if p.cfg.RoleLimits.Admin == nil {
			return 0, true, nil
		}
		return *p.cfg.RoleLimits.Admin, false, nil
	}
	return 0, false, fmt.Errorf("policy: %w %q", ErrUnknownRole, r)
}

func (p Policy) limitText(r Role) string {
	limit, unlimited, _ := p.limit(r)
	if unlimited {
		return "不限额"
	}
	return "上限" + yuan(limit)
}

// approverFor is the lowest role whose limit covers amount.
func (p Policy) approverFor(amount money.Amount) (Role, bool) {
	// From the smallest limit to the largest, as Validate guarantees.
	for _, r := range [...]Role{RoleAgent, RoleSupervisor, RoleAdmin} {
		limit, unlimited, _ := p.limit(r)
		if unlimited || amount <= limit {
			return r, true
		}
	}
	return "", false
}
