package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
)

// Update edits intake fields from a JSON patch (only the fields present change) and
// records old and new values. A level change restarts the SLA clock from the case's
// opening time with the new level's hours.
func (d *Desk) Update(ctx context.Context, actor Actor, id, expected int64, patch json.RawMessage) (cases.Case, error) {
	if expected == AnyVersion {
		return cases.Case{}, invalid("version", "修改受理表须带上当前版本号(version),以免覆盖别人刚做的修改")
	}
	return caseOnly(d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		if c.Status != cases.StatusOpen {
			return nil, &RuleError{Code: "case_closed", Message: "工单已结案,请先重新打开"}
		}
		after := c.Intake
		dec := json.NewDecoder(bytes.NewReader(patch))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&after); err != nil {
			return nil, invalid("body", "修改内容格式不正确: "+err.Error())
		}
		after.Normalize()
		if err := after.Validate(d.clockNow()); err != nil {
			return nil, err
		}
		if after.Shop() != c.Shop() {
			// Moving a case to another shop: it must exist, the one moving it must serve
			// it, and so must the agent who works the case.
			if _, err := d.Shop(ctx, after.Shop()); errors.Is(err, store.ErrNotFound) {
				return nil, invalid("shop_id", "店铺不存在")
			} else if err != nil {
				return nil, err
			}
			if err := d.checkOwnShop(ctx, actor, after.Shop()); err != nil {
				return nil, err
			}
			if err := d.checkServes(ctx, c.Assignee, after.Shop()); err != nil {
				var rule *RuleError
				if errors.As(err, &rule) {
					return nil, invalid("shop_id", "当前负责的客服不负责该店铺,请先改派")
				}
				return nil, err
			}
		}
		changes, err := diffIntake(c.Intake, after)
		if err != nil || len(changes) == 0 {
			return nil, err
		}
		drafts := []draft{{cases.EvFieldsChanged, cases.FieldsChangedPayload{Changes: changes, After: after}}}
		if after.Level != c.Level {
			// From the opening, moved by the pauses already ended (a running pause moves
			// the new deadlines when it ends).
			start := c.CreatedAt.Add(time.Duration(c.Clocks.PausedMillis) * time.Millisecond)
			sla, err := d.slaOf(ctx, after.Shop())
			if err != nil {
				return nil, err
			}
			respond, resolve := sla.DeadlinesIn(after.Level, start, d.days)
			drafts = append(drafts, draft{cases.EvSLASet, cases.SLASetPayload{Level: after.Level, ResponseDueAt: respond, ResolveDueAt: resolve}})
		}
		return drafts, nil
	}))
}

// diffIntake compares two forms field by field through their JSON form, so that a new
// intake field is covered without touching this code.
func diffIntake(before, after cases.Intake) (map[string]cases.FieldChange, error) {
	var b, a map[string]any
	for _, pair := range []struct {
		in  cases.Intake
		out *map[string]any
	}{{before, &b}, {after, &a}} {
		raw, err := json.Marshal(pair.in)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, pair.out); err != nil {
			return nil, err
		}
	}
	changes := map[string]cases.FieldChange{}
	for k, nv := range a {
		if ov, ok := b[k]; !ok || !jsonEqual(ov, nv) {
			changes[k] = cases.FieldChange{Old: b[k], New: nv}
		}
	}
	for k, ov := range b {
		if _, ok := a[k]; !ok {
			changes[k] = cases.FieldChange{Old: ov, New: nil}
		}
	}
	return changes, nil
}

func jsonEqual(x, y any) bool {
	bx, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(bx, by)
}

// Remark adds a remark in the SOP format 问题描述 + 进度. Remarks are allowed on closed
// cases too: the register is often completed after the customer is gone.
func (d *Desk) Remark(ctx context.Context, actor Actor, id, expected int64, text string) (cases.Case, []playbook.Violation, error) {
	text = strings.TrimSpace(text)
	if err := cases.ValidateRemark(text); err != nil {
		d.refused(ctx, actor, id, cases.EvRemarkAdded, cases.RemarkPayload{Text: text}, err)
		return cases.Case{}, nil, err
	}
	return d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		return []draft{{cases.EvRemarkAdded, cases.RemarkPayload{Text: text}}}, nil
	})
}

// AddEvidence records a stored photo or video on the case.
func (d *Desk) AddEvidence(ctx context.Context, actor Actor, id, expected int64, ev cases.Evidence) (cases.Case, error) {
	return caseOnly(d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		if err := evidenceAllowed(c); err != nil {
			return nil, err
		}
		return []draft{{cases.EvEvidenceAdded, ev}}, nil
	}))
}

// Close ends a case. A case without a remark cannot be closed: it would count as zero
// output (无备注等于0产能, SOP §1.5). The SOP engine's warnings (e.g. not registered)
// come back with the closed case.
func (d *Desk) Close(ctx context.Context, actor Actor, id, expected int64, note string) (cases.Case, []playbook.Violation, error) {
	if err := textField("text", note, maxNote, false); err != nil {
		return cases.Case{}, nil, err
	}
	return d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		switch {
		case c.Status == cases.StatusClosed:
			return nil, &RuleError{Code: "case_closed", Message: "工单已经结案"}
		case !c.Remarked():
			return nil, &RuleError{Code: "remark_required", Field: "remark",
				Message: "结案前必须填写备注(问题描述+进度),无备注等于0产能"}
		}
		return append(withdrawPending(c, "结案，待审批申请自动撤销"), draft{cases.EvClosed, cases.NotePayload{Text: note}}), nil
	})
}

// withdrawPending drops a request still waiting for a supervisor when the case ends:
// a closed or merged case has no pending approvals (an event says so).
func withdrawPending(c cases.Case, why string) []draft {
	if c.PendingApproval == nil {
		return nil
	}
	p := c.PendingApproval
	return []draft{{cases.EvApprovalVoided, cases.ApprovalPayload{Kind: p.Kind, Amount: p.Amount, Note: why}}}
}

// Reopen opens a closed case again, with the reason.
func (d *Desk) Reopen(ctx context.Context, actor Actor, id, expected int64, reason string) (cases.Case, []playbook.Violation, error) {
	if err := textField("text", reason, maxNote, false); err != nil {
		return cases.Case{}, nil, err
	}
	return d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		if c.Status != cases.StatusClosed {
			return nil, &RuleError{Code: "case_open", Message: "工单未结案,无需重新打开"}
		}
		return []draft{{cases.EvReopened, cases.NotePayload{Text: reason}}}, nil
	})
}
