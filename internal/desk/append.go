package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/validation"
)

const (
	maxMessage = 5000
	maxNote    = 2000
)

var factKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// appendable lists the events an agent may append directly, each with the check of
// its payload. Events with their own operations (created, fields, evidence, remark,
// close, reopen, merge, split) are not here.
var appendable = map[cases.EventType]func(raw json.RawMessage, actor Actor) (any, error){
	cases.EvMessageIn:      decodeMessage,
	cases.EvMessageOut:     decodeMessage,
	cases.EvFactRecorded:   decodeFact,
	cases.EvReturnAsked:    decodeNote(false),
	cases.EvRetention:      decodeSolution(false),
	cases.EvReasonGuided:   decodeReason,
	cases.EvSolutionOffer:  decodeSolution(true),
	cases.EvSolutionAccept: decodeSolution(true),
	cases.EvSolutionRefuse: decodeSolution(true),
	cases.EvApprovalAsked:  decodeSolution(true),
	cases.EvApprovalGiven:  supervisorOnly(decodeApproval),
	cases.EvApprovalDenied: supervisorOnly(decodeApproval),
	cases.EvNote:           decodeNote(true),
	cases.EvStageChanged:   decodeStage,
	cases.EvAssigned:       decodeAssign,
	cases.EvRegistered:     decodeNote(false),
	cases.EvFollowedUp:     decodeFollowUp,
	cases.EvSLAPaused:      decodePause(true),
	cases.EvSLAResumed:     decodePause(false),
}

// Append adds one agent event to a case after checking its payload, the compensation
// limits and the SOP; it returns the SOP engine's warnings with the new state.
func (d *Desk) Append(ctx context.Context, actor Actor, id, expected int64, typ cases.EventType, raw json.RawMessage) (cases.Case, []playbook.Violation, error) {
	check, ok := appendable[typ]
	if !ok {
		return cases.Case{}, nil, invalid("type", fmt.Sprintf("不能直接追加 %q 类事件", typ))
	}
	payload, err := check(raw, actor)
	if err != nil {
		return cases.Case{}, nil, err
	}
	if p, ok := payload.(cases.AssignedPayload); ok {
		// The same rules as the 分配 control: existing agents only, agents only claim.
		c, err := d.Assign(ctx, actor, id, expected, p.To)
		return c, nil, err
	}
	if p, ok := payload.(cases.FollowUpPayload); ok {
		return d.FollowUp(ctx, actor, id, expected, p)
	}
	if m, ok := payload.(cases.MessagePayload); ok && typ == cases.EvMessageOut {
		if err := d.checkPlaceholders(m.Text); err != nil {
			return cases.Case{}, nil, err
		}
		if payload, err = d.scriptIntent(ctx, m); err != nil {
			return cases.Case{}, nil, err
		}
	}
	var notes []playbook.Violation
	c, warnings, err := d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		visit := c.Status == cases.StatusClosed && c.Stage == cases.StageFollowUp && typ == cases.EvMessageOut // the 回访 message
		if c.Status != cases.StatusOpen && typ != cases.EvNote && typ != cases.EvFollowedUp && typ != cases.EvMessageIn && !visit {
			return nil, &RuleError{Code: "case_closed", Message: "工单已结案,请先重新打开"}
		}
		checked, err := d.checkMoney(ctx, tx, actor, c, typ, payload, d.clockNow())
		if err != nil {
			return nil, err
		}
		payload, notes = checked.payload, checked.warnings
		if sc, ok := payload.(cases.StageChangedPayload); ok {
			sc.From = c.Stage
			payload = sc
		}
		drafts := append([]draft{{typ, payload}}, checked.extra...)
		if sol, ok := payload.(cases.SolutionPayload); ok && typ == cases.EvApprovalAsked {
			// The supervisors learn of the request at once (通知, webhooks), not only
			// when they look at 主管视图.
			label, _ := cases.SolutionLabel(sol.Kind)
			text := fmt.Sprintf("工单 #%d(%s)%s申请审批:%s %s元", c.ID, c.CustomerName, d.displayName(ctx, actor.Name), label, sol.Amount.Yuan())
			drafts = append(drafts, draft{cases.EvNotified, cases.NotificationPayload{Kind: notify.KindApproval, Text: text,
				Recipients: []string{SupervisorsGroup}}})
		}
		if sol, ok := payload.(cases.SolutionPayload); ok && typ == cases.EvSolutionAccept {
			o, ok, err := d.opening(ctx, tx, c, sol, c.Version+1)
			if err != nil {
				return nil, err
			}
			if ok {
				drafts = append(drafts, draft{cases.EvExecOpened, o})
			}
		}
		return drafts, nil
	})
	if err != nil {
		d.refused(ctx, actor, id, typ, payload, err)
	}
	if m, ok := payload.(cases.MessagePayload); ok && typ == cases.EvMessageOut && err == nil {
		// A reply is linted when it is sent, whichever face sent it and whatever script
		// it came from (a supervisor may have saved a flagged script): warnings only.
		for _, w := range d.Lint(m.Text) {
			notes = append(notes, playbook.Violation{Rule: w.Rule, Severity: playbook.Warning, Message: w.Message})
		}
	}
	return c, append(notes, warnings...), err
}

func invalid(field, msg string) error {
	return cases.ValidationError{{Field: field, Message: msg}}
}

func strictDecode(raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return validation.JSON(err, "payload.")
	}
	return nil
}

func textField(field, text string, limit int, required bool) error {
	switch {
	case required && strings.TrimSpace(text) == "":
		return invalid(field, "内容不能为空")
	case utf8.RuneCountInString(text) > limit:
		return invalid(field, fmt.Sprintf("内容不能超过%d个字", limit))
	}
	return nil
}

func decodeMessage(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.MessagePayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	return p, textField("payload.text", p.Text, maxMessage, true)
}

// checkPlaceholders refuses a reply that still holds a script placeholder such as
// {金额}: the customer would read the braces instead of the amount.
func (d *Desk) checkPlaceholders(text string) error {
	var unfilled []string
	for _, name := range script.Names(text) {
		if d.placeholders[name] {
			unfilled = append(unfilled, name)
		}
	}
	if len(unfilled) == 0 {
		return nil
	}
	return invalid("payload.text", "话术中还有未填写的占位符{"+strings.Join(unfilled, "}、{")+"},请填写后再发送")
}

// scriptIntent records what a sent script does (its intent) from the library, so the
// guide counts soothing and sees offers and tracking numbers whichever face sent it.
func (d *Desk) scriptIntent(ctx context.Context, m cases.MessagePayload) (cases.MessagePayload, error) {
	if m.ScriptID == "" || d.scripts == nil {
		return m, nil
	}
	lib, err := d.scripts.Library(ctx)
	if err != nil {
		return m, err
	}
	sc, ok := lib.Get(m.ScriptID)
	if !ok {
		return m, invalid("payload.script_id", fmt.Sprintf("话术库中没有编号为 %q 的话术", m.ScriptID))
	}
	if m.Intent == "" {
		m.Intent = sc.Intent
	}
	return m, nil
}

func decodeFact(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.FactPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	if !factKey.MatchString(p.Key) {
		return nil, invalid("payload.key", "事实名须为小写字母、数字和下划线,例如 outer_package")
	}
	return p, textField("payload.value", p.Value, 100, true)
}

func decodeNote(required bool) func(json.RawMessage, Actor) (any, error) {
	return func(raw json.RawMessage, _ Actor) (any, error) {
		var p cases.NotePayload
		if err := strictDecode(raw, &p); err != nil {
			return nil, err
		}
		return p, textField("payload.text", p.Text, maxNote, required)
	}
}

func decodeSolution(kindRequired bool) func(json.RawMessage, Actor) (any, error) {
	return func(raw json.RawMessage, _ Actor) (any, error) {
		var p cases.SolutionPayload
		if err := strictDecode(raw, &p); err != nil {
			return nil, err
		}
		if _, ok := cases.SolutionLabel(p.Kind); (kindRequired || p.Kind != "") && !ok {
			return nil, invalid("payload.kind", fmt.Sprintf("未知的方案 %q", p.Kind))
		}
		if p.Amount < 0 {
			return nil, invalid("payload.amount", "金额不能为负数")
		}
		p.Terms, p.UsesApproval = nil, 0 // the desk computes these
		if err := textField("payload.part", p.Part, 64, false); err != nil {
			return nil, err
		}
		return p, textField("payload.note", p.Note, maxNote, false)
	}
}

func decodeReason(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.ReasonPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	return p, textField("payload.reason", p.Reason, 64, true)
}

func decodeApproval(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.ApprovalPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	if _, ok := cases.SolutionLabel(p.Kind); !ok {
		return nil, invalid("payload.kind", fmt.Sprintf("未知的方案 %q", p.Kind))
	}
	return p, textField("payload.note", p.Note, maxNote, false)
}

func supervisorOnly(next func(json.RawMessage, Actor) (any, error)) func(json.RawMessage, Actor) (any, error) {
	return func(raw json.RawMessage, actor Actor) (any, error) {
		if !actor.CanApprove() {
			return nil, fmt.Errorf("%w: 只有主管可以审批", ErrForbidden)
		}
		return next(raw, actor)
	}
}

func decodeStage(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.StageChangedPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	if !p.To.Valid() || p.To == cases.StageClosed {
		return nil, invalid("payload.to", "未知的阶段(结案请用结案操作)")
	}
	return p, nil
}

func decodeAssign(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.AssignedPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	return p, textField("payload.to", p.To, 64, false)
}
