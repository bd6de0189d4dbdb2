package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// policyState is the money policy in force and the SOP change it came from (0: the
// shop's file at start-up).
type policyState struct {
	rules MoneyRules
	seq   int64
}

// money is the policy in force (nil: no money rules, e.g. for imports).
func (d *Desk) money() MoneyRules {
	if p := d.policy.Load(); p != nil {
		return p.rules
	}
	return nil
}

// SOPStore keeps the SOP changes applied in the workbench (audit log).
type SOPStore interface {
	SaveSOPChange(ctx context.Context, c store.SOPChange) (int64, error)
	LatestSOPChange(ctx context.Context, kind string) (store.SOPChange, bool, error)
	SOPChanges(ctx context.Context, kind string, limit int) ([]store.SOPChange, error)
}

// policyRefresh bounds how long another server process's policy change may take to be
// in force here.
const policyRefresh = 10 * time.Second

// syncPolicy puts the newest policy an admin applied in force, when the store has a
// newer one than this process runs (another process applied it, or this one just
// started); it asks the store at most every policyRefresh.
func (d *Desk) syncPolicy(ctx context.Context) error {
	cur := d.policy.Load()
	if cur == nil {
		return nil
	}
	now := d.now().UnixMilli()
	if last := d.policyCheck.Load(); last != 0 && now-last < policyRefresh.Milliseconds() {
		return nil
	}
	d.policyCheck.Store(now)
	c, ok, err := d.store.LatestSOPChange(ctx, sopPolicy)
	if err != nil || !ok || c.Seq <= cur.seq {
		return err
	}
	p, err := parsePolicy(c.Name, c.Body)
	if err != nil {
		return fmt.Errorf("applied policy change %d: %w", c.Seq, err)
	}
	d.policy.CompareAndSwap(cur, &policyState{rules: p, seq: c.Seq})
	return nil
}

const sopPolicy = "policy"

// parsePolicy validates a policy file exactly as at start-up (sop.LoadPolicy): the
// shop's YAML over the SOP defaults; a mistake names the file, the line and the cause.
func parsePolicy(name string, raw []byte) (policy.Policy, error) {
	cfg, err := policy.Parse(raw)
	if err != nil {
		return policy.Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	return policy.New(cfg)
}

// PolicyDiff is one number a new policy file changes.
type PolicyDiff struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// PolicyPreview is the dry run of a policy file: what it changes and which open cases
// have a money decision still to take under it (a pending approval, or at the
// solution or execution stage).
type PolicyPreview struct {
	Name     string       `json:"name"`
	Changes  []PolicyDiff `json:"changes"`
	Affected []int64      `json:"affected"`
}

// maxPolicyFile bounds an uploaded policy file.
const maxPolicyFile = 64 << 10

// PreviewPolicy validates a policy file as at start-up and says what applying it would
// change; nothing changes.
func (d *Desk) PreviewPolicy(ctx context.Context, actor Actor, name string, raw []byte) (PolicyPreview, error) {
	out := PolicyPreview{Name: name}
	if actor.Role != store.RoleAdmin {
		return out, fmt.Errorf("%w: 只有管理员可以修改金额规则", ErrForbidden)
	}
	cur := d.money()
	if cur == nil {
		return out, invalid("file", "此服务器未启用金额规则")
	}
	if len(raw) == 0 || len(raw) > maxPolicyFile {
		return out, invalid("file", fmt.Sprintf("请上传1字节到%dKB的政策文件(YAML)", maxPolicyFile>>10))
	}
	p, err := parsePolicy(name, raw)
	if err != nil {
		return out, invalid("file", err.Error())
	}
	if out.Changes, err = policyDiff(cur.Config(), p.Config()); err != nil {
		return out, err
	}
	for _, f := range []store.CaseFilter{{PendingApproval: true, Limit: 50}, {Status: cases.StatusOpen, Stage: cases.StageSolution, Limit: 50},
		{Status: cases.StatusOpen, Stage: cases.StageExecute, Limit: 50}} {
		page, err := d.store.ListCases(ctx, f)
		if err != nil {
			return out, err
		}
		for _, c := range page.Cases {
			if !slices.Contains(out.Affected, c.ID) {
				out.Affected = append(out.Affected, c.ID)
			}
		}
	}
	slices.Sort(out.Affected)
	return out, nil
}

// ApplyPolicy puts a policy file in force without a restart: validated as at start-up,
// recorded in the audit log (who, when, the file, what changed), and in force on this
// server at once and on the others within policyRefresh.
func (d *Desk) ApplyPolicy(ctx context.Context, actor Actor, name string, raw []byte) (PolicyPreview, error) {
	pv, err := d.PreviewPolicy(ctx, actor, name, raw)
	if err != nil {
		return pv, err
	}
	p, err := parsePolicy(name, raw)
	if err != nil {
		return pv, invalid("file", err.Error())
	}
	var summary []string
	for _, c := range pv.Changes {
		summary = append(summary, fmt.Sprintf("%s: %s → %s", c.Label, c.Old, c.New))
	}
	seq, err := d.store.SaveSOPChange(ctx, store.SOPChange{Kind: sopPolicy, Name: name, Body: raw, Summary: strings.Join(summary, ";"),
		By: actor.Name, At: d.clockNow()})
	if err != nil {
		return pv, err
	}
	d.policy.Store(&policyState{rules: p, seq: seq})
	return pv, nil
}

// PolicyChanges is the audit log of the policy files applied, newest first.
func (d *Desk) PolicyChanges(ctx context.Context) ([]store.SOPChange, error) {
	return d.store.SOPChanges(ctx, sopPolicy, 20)
}

func policyDiff(old, new policy.Config) ([]PolicyDiff, error) {
	a, err := policy.Flatten(old)
	if err != nil {
		return nil, err
	}
	b, err := policy.Flatten(new)
	if err != nil {
		return nil, err
	}
	var out []PolicyDiff
	for k, v := range b {
		if a[k] != v {
			platform := ""
			if p, ok := strings.CutPrefix(k, "shipping.deadline_hours."); ok {
				platform = cases.PlatformLabel(cases.Platform(p))
			}
			label, _ := policy.KeyLabel(k, platform)
			out = append(out, PolicyDiff{Key: k, Label: label, Old: policy.ValueLabel(a[k]), New: policy.ValueLabel(v)})
		}
	}
	slices.SortFunc(out, func(x, y PolicyDiff) int { return strings.Compare(x.Key, y.Key) })
	return out, nil
}
