package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/store"
)

// NewCase is what opening a case takes: the intake form, optionally the agent it goes
// to, the customer's first message and an idempotency key so that a retried webhook
// never makes two cases.
type NewCase struct {
	Intake         cases.Intake
	Assignee       string
	FirstMessage   string
	IdempotencyKey string
	safety         []string  // safety words found in the description or first message
	sla            clock.SLA // the clocks of the case's shop (resolveShop)
	// extra are events recorded with the opening ones (the platform's record);
	// integration opens no case for itself even when its user is an agent.
	extra       []draft
	integration bool
}

// safetyLevel applies SOP §3: a safety word (漏电, 冒烟 …) in the description or the
// customer's first message makes the case level 1, whatever level the form says.
func (d *Desk) safetyLevel(n *NewCase) {
	if d.classifier == nil {
		return
	}
	seen := map[string]bool{}
	for _, text := range []string{n.Intake.Description, n.FirstMessage} {
		for _, w := range d.classifier.SafetyWords(text) {
			if !seen[w] {
				seen[w] = true
				n.safety = append(n.safety, w)
			}
		}
	}
	if len(n.safety) > 0 {
		n.Intake.Level = d.classifier.SafetyLevel()
	}
}

const maxIdempotencyKey = 128

func (n *NewCase) validate(now time.Time) error {
	n.Intake.Normalize()
	n.FirstMessage = strings.TrimSpace(n.FirstMessage)
	var errs cases.ValidationError
	if err := n.Intake.Validate(now); err != nil {
		errs = append(errs, err.(cases.ValidationError)...)
	}
	if utf8.RuneCountInString(n.FirstMessage) > maxMessage {
		errs = append(errs, cases.FieldError{Field: "first_message", Message: "顾客消息不能超过5000个字"})
	}
	if len(n.IdempotencyKey) > maxIdempotencyKey {
		errs = append(errs, cases.FieldError{Field: "Idempotency-Key", Message: "幂等键不能超过128个字符"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// prepare puts a new case in its shop and validates it: every field error at once.
func (d *Desk) prepare(ctx context.Context, n *NewCase, now time.Time) error {
	var errs cases.ValidationError
	if err := d.resolveShop(ctx, n); err != nil {
		if !errors.As(err, &errs) {
			return err
		}
	}
	if err := n.validate(now); err != nil {
		var more cases.ValidationError
		if !errors.As(err, &more) {
			return err
		}
		errs = append(errs, more...)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// openingDrafts are the events that open a case: created, its SLA clock, the
// assignment and the customer's first message.
func (d *Desk) openingDrafts(actor Actor, n NewCase, splitFrom int64, at time.Time) []draft {
	sla := n.sla
	if sla.Levels == nil {
		sla = d.sla
	}
	respond, resolve := sla.DeadlinesIn(n.Intake.Level, at, d.days)
	drafts := []draft{
		{cases.EvCreated, cases.CreatedPayload{Intake: n.Intake, SplitFrom: splitFrom}},
		{cases.EvSLASet, cases.SLASetPayload{Level: n.Intake.Level, ResponseDueAt: respond, ResolveDueAt: resolve}},
	}
	if len(n.safety) > 0 {
		drafts = append(drafts, draft{cases.EvFactRecorded, cases.FactPayload{Key: factSafety, Value: strings.Join(n.safety, "、")}})
	}
	drafts = append(drafts, n.extra...)
	assignee := n.Assignee
	if assignee == "" && actor.Role == store.RoleAgent && !n.integration {
		assignee = actor.Name
	}
	if assignee != "" {
		drafts = append(drafts, draft{cases.EvAssigned, cases.AssignedPayload{To: assignee}})
	}
	if n.FirstMessage != "" {
		drafts = append(drafts, draft{cases.EvMessageIn, cases.MessagePayload{Text: n.FirstMessage}})
		if d.classifier != nil {
			r := d.classifier.ClassifyConversation(n.FirstMessage)
			predicted := cases.Labels{Type: r.Type, Demand: r.Demand, Emotion: r.Emotion, Level: r.Level}
			drafts = append(drafts, draft{cases.EvClassified, cases.ClassifiedPayload{Text: n.FirstMessage,
				Predicted: predicted, Confidence: r.Confidence, Corrected: predicted.Differences(cases.LabelsOf(n.Intake))}})
		}
	}
	return drafts
}

// Create opens a case. With an idempotency key already used by the same actor it
// returns the case that key made and created=false.
func (d *Desk) Create(ctx context.Context, actor Actor, n NewCase) (c cases.Case, created bool, err error) {
	now := d.clockNow()
	if err := d.defaultShop(ctx, actor, &n); err != nil {
		return c, false, err
	}
	if err := d.prepare(ctx, &n, now); err != nil {
		return c, false, err
	}
	d.safetyLevel(&n)
	if err := d.checkAssignee(ctx, n.Assignee); err != nil {
		return c, false, err
	}
	if err := d.checkServes(ctx, n.Assignee, n.Intake.Shop()); err != nil {
		return c, false, err
	}
	if err := d.checkOwnShop(ctx, actor, n.Intake.Shop()); err != nil {
		return c, false, err
	}
	var earliest time.Time
	var told fireOutcome
	err = d.store.InTx(ctx, func(tx store.Tx) error {
		earliest, told = time.Time{}, fireOutcome{}
		if n.IdempotencyKey != "" {
			id, found, err := tx.IdempotentCase(ctx, actor.Name, n.IdempotencyKey)
			if err != nil || found {
				c, created = cases.Case{ID: id}, false
				return err
			}
		}
		c, err = d.insert(ctx, tx, actor, n, 0, now, &earliest, &told)
		if err == nil && n.IdempotencyKey != "" {
			err = tx.RememberIdempotency(ctx, actor.Name, n.IdempotencyKey, c.ID, now)
		}
		created = err == nil
		return err
	})
	if errors.Is(err, store.ErrDuplicate) {
		// Another request with the same key committed first: answer with its case.
		return d.Create(ctx, actor, n)
	}
	if err == nil && !created {
		c, err = d.store.GetCase(ctx, c.ID)
	}
	if err == nil {
		d.ring(earliest)
		d.notified(told)
	}
	return c, created, err
}

func (d *Desk) insert(ctx context.Context, tx store.Tx, actor Actor, n NewCase, splitFrom int64, now time.Time, earliest *time.Time, told *fireOutcome) (cases.Case, error) {
	drafts, err := d.dispatchNew(ctx, tx, actor, n, d.openingDrafts(actor, n, splitFrom, now), now)
	if err != nil {
		return cases.Case{}, err
	}
	c, events, err := d.fold(cases.Case{}, actor.Name, now, drafts)
	if err != nil {
		return c, err
	}
	if c, err = tx.InsertCase(ctx, c, events); err != nil {
		return c, err
	}
	for i := range events {
		events[i].CaseID = c.ID
	}
	if err := d.trackQuality(ctx, tx, c, events, now, told); err != nil {
		return c, err
	}
	err = d.scheduled(ctx, tx, &c, earliest, events)
	return c, err
}

// Split opens a new case from part of an existing one (e.g. a second problem on the
// same order); both point to each other and the source keeps its history.
func (d *Desk) Split(ctx context.Context, actor Actor, sourceID int64, n NewCase) (cases.Case, error) {
	now := d.clockNow()
	if n.Intake.ShopID == 0 {
		// A split-off case stays in its source's shop unless another is named.
		src, err := d.store.GetCase(ctx, sourceID)
		if err != nil {
			return cases.Case{}, err
		}
		n.Intake.ShopID = src.Shop()
	}
	if err := d.prepare(ctx, &n, now); err != nil {
		return cases.Case{}, err
	}
	d.safetyLevel(&n)
	if err := d.checkAssignee(ctx, n.Assignee); err != nil {
		return cases.Case{}, err
	}
	if err := d.checkServes(ctx, n.Assignee, n.Intake.Shop()); err != nil {
		return cases.Case{}, err
	}
	if err := d.checkOwnShop(ctx, actor, n.Intake.Shop()); err != nil {
		return cases.Case{}, err
	}
	var created cases.Case
	var earliest time.Time
	var told fireOutcome
	err := d.store.InTx(ctx, func(tx store.Tx) error {
		earliest, told = time.Time{}, fireOutcome{}
		src, err := tx.GetCase(ctx, sourceID)
		if err != nil {
			return err
		}
		if src.Status != cases.StatusOpen {
			return &RuleError{Code: "case_not_open", Message: "只能从处理中的工单拆分"}
		}
		if created, err = d.insert(ctx, tx, actor, n, src.ID, now, &earliest, &told); err != nil {
			return err
		}
		_, err = d.appendOne(ctx, tx, actor, src, cases.EvSplitOff, cases.LinkPayload{CaseID: created.ID}, now)
		return err
	})
	if err == nil {
		d.ring(earliest)
		d.notified(told)
	}
	return created, err
}

// Merge folds source into survivor: the source keeps its history, is marked merged and
// points to the survivor, which records where it absorbed it from.
func (d *Desk) Merge(ctx context.Context, actor Actor, sourceID, survivorID int64) (cases.Case, error) {
	if sourceID == survivorID {
		return cases.Case{}, &RuleError{Code: "merge_self", Message: "不能把工单合并到自己", Field: "into"}
	}
	now := d.clockNow()
	var survivor cases.Case
	err := d.store.InTx(ctx, func(tx store.Tx) error {
		// Both cases are read (and on PostgreSQL locked) lower id first, whichever is
		// the source: merges A→B and B→A at once then queue instead of deadlocking.
		var src, dst cases.Case
		for _, id := range []int64{min(sourceID, survivorID), max(sourceID, survivorID)} {
			c, err := tx.GetCase(ctx, id)
			switch {
			case errors.Is(err, store.ErrNotFound) && id == survivorID:
				return &RuleError{Code: "merge_target_missing", Message: fmt.Sprintf("工单 #%d 不存在", survivorID), Field: "into"}
			case err != nil:
				return err
			case id == sourceID:
				src = c
			default:
				dst = c
			}
		}
		if src.Status == cases.StatusMerged || dst.Status == cases.StatusMerged {
			return &RuleError{Code: "case_merged", Message: "已合并的工单不能再合并"}
		}
		if src.Shop() != dst.Shop() {
			return &RuleError{Code: "merge_other_shop", Message: fmt.Sprintf("工单 #%d 属于另一个店铺,不能合并", dst.ID), Field: "into"}
		}
		merged := append(withdrawPending(src, "工单已合并，待审批申请自动撤销"), draft{cases.EvMerged, cases.LinkPayload{CaseID: dst.ID}})
		if _, err := d.appendDrafts(ctx, tx, actor, src, now, merged); err != nil {
			return err
		}
		var err error
		survivor, err = d.appendOne(ctx, tx, actor, dst, cases.EvAbsorbed, cases.LinkPayload{CaseID: src.ID}, now)
		return err
	})
	return survivor, err
}

func (d *Desk) appendOne(ctx context.Context, tx store.Tx, actor Actor, c cases.Case, typ cases.EventType, payload any, now time.Time) (cases.Case, error) {
	return d.appendDrafts(ctx, tx, actor, c, now, []draft{{typ, payload}})
}

func (d *Desk) appendDrafts(ctx context.Context, tx store.Tx, actor Actor, c cases.Case, now time.Time, drafts []draft) (cases.Case, error) {
	next, events, err := d.fold(c, actor.Name, now, drafts)
	if err != nil {
		return c, err
	}
	if err := tx.AppendEvents(ctx, c.Version, next, events); err != nil {
		return next, err
	}
	if err := d.trackQuality(ctx, tx, next, events, now, &fireOutcome{}); err != nil {
		return next, err
	}
	// A merged case stops its clocks; the new due times need no alarm sooner than now.
	var earliest time.Time
	err = d.scheduled(ctx, tx, &next, &earliest, nil)
	return next, err
}
