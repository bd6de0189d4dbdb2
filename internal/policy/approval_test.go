package policy

import (
	"errors"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestAuthorizeCompensationByRoleLimit(t *testing.T) {
	p := defaultPolicy(t)
	tests := []struct {
		name     string
		actor    Role
		amount   money.Amount
		allowed  bool
		approver Role
		rule     string
	}{
		{"agent below limit", RoleAgent, money.Amount(4999), true, "", RuleWithinRoleLimit},
		{"agent at limit 50 (seed 000 settles at 50)", RoleAgent, money.Yuan(50), true, "", RuleWithinRoleLimit},
		{"agent just above limit", RoleAgent, money.Amount(5001), false, RoleSupervisor, RuleNeedsApproval},
		{"seed 000: customer asks 200", RoleAgent, money.Yuan(200), false, RoleSupervisor, RuleNeedsApproval},
		{"agent above supervisor limit goes to admin", RoleAgent, money.Amount(20001), false, RoleAdmin, RuleNeedsApproval},
		{"supervisor at limit", RoleSupervisor, money.Yuan(200), true, "", RuleWithinRoleLimit},
		{"supervisor just above limit", RoleSupervisor, money.Amount(20001), false, RoleAdmin, RuleNeedsApproval},
		{"admin unlimited", RoleAdmin, money.Yuan(1_000_000), true, "", RuleWithinRoleLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Authorize(tt.actor, cases.SolutionCompensation, tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			if got.Allowed != tt.allowed || got.NeedsApproval == tt.allowed || got.Approver != tt.approver {
				t.Errorf("got %+v, want allowed %v approver %q", got, tt.allowed, tt.approver)
			}
			checkRule(t, got.Rule, tt.rule)
		})
	}
}

func TestAuthorizeCompensationExplainsWithNumbers(t *testing.T) {
	got, _ := defaultPolicy(t).Authorize(RoleAgent, cases.SolutionCompensation, money.Yuan(200))
	checkRule(t, got.Rule, RuleNeedsApproval, "补偿200元", "客服", "上限50元", "需主管审批")
}

func TestAuthorizeCompensationShopLimits(t *testing.T) {
	p := withYAML(t, "role_limits:\n  agent: 80\n  supervisor: 300\n  admin: 1000\n")
	tests := []struct {
		actor    Role
		amount   money.Amount
		allowed  bool
		approver Role
		rule     string
	}{
		{RoleAgent, money.Yuan(80), true, "", RuleWithinRoleLimit},
		{RoleAgent, money.Amount(8001), false, RoleSupervisor, RuleNeedsApproval},
		{RoleSupervisor, money.Yuan(300), true, "", RuleWithinRoleLimit},
		{RoleAdmin, money.Yuan(1000), true, "", RuleWithinRoleLimit},
		{RoleAdmin, money.Amount(100001), false, "", RuleAboveAllLimits},
		{RoleSupervisor, money.Amount(100001), false, "", RuleAboveAllLimits},
	}
	for _, tt := range tests {
		got, err := p.Authorize(tt.actor, cases.SolutionCompensation, tt.amount)
		if err != nil {
			t.Fatal(err)
		}
		if got.Allowed != tt.allowed || got.Approver != tt.approver {
			t.Errorf("%s %v: got %+v", tt.actor, tt.amount, got)
		}
		checkRule(t, got.Rule, tt.rule)
	}
}

func TestAuthorizeCompensationUnknownRoleIsAnError(t *testing.T) {
	_, err := defaultPolicy(t).Authorize("intern", cases.SolutionCompensation, money.Yuan(1))
	if !errors.Is(err, ErrUnknownRole) {
		t.Errorf("err = %v, want ErrUnknownRole", err)
	}
}
