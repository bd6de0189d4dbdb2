package desk

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/store"
)

// SystemActor is who the scheduler's events are recorded by.
const SystemActor = "system"

// Next steps the SOP gives when an SLA timer runs out.
var slaNext = map[string]string{
	cases.TimerResponse:     "立即回复顾客(先安抚再核实),并告知主管",
	cases.TimerResponseWarn: "请优先回复顾客",
	cases.TimerResolve:      "立即推进方案,主管介入跟进",
	cases.TimerResolveWarn:  "请优先处理,必要时请主管协助",
	cases.TimerFollowUp:     "回访顾客:确认问题已解决,做满意度调查并记录改进点",
}

// plannedTimers are the timers a case should have running at now: its SLA clocks
// (not while paused, not once answered or closed), their near-deadline warnings, the
// timers of its current playbook step and the follow-up after closing. A kind that
// already fired for the same due time is not planned again.
func (d *Desk) plannedTimers(ctx context.Context, c cases.Case, log []cases.Event, now time.Time) ([]store.Timer, error) {
	sla, err := d.slaOf(ctx, c.Shop())
	if err != nil {
		return nil, err
	}
	return d.planned(sla, c, log, now, true), nil
}

// planned is plannedTimers, leaving out the playbook's timers unless withPlaybook (the
// guide engine is the costly part, and an SLA timer's check does not need it).
// sla is the clocks of the case's shop: the warnings come at a share of its spans.
func (d *Desk) planned(sla clock.SLA, c cases.Case, log []cases.Event, now time.Time, withPlaybook bool) []store.Timer {
	var out []store.Timer
	add := func(kind string, due time.Time, next string) {
		if c.Clocks.Fired[kind] == due.UnixMilli() {
			return
		}
		payload, _ := json.Marshal(cases.TimerFiredPayload{Kind: kind, Label: cases.TimerLabel(kind), DueAt: due, Next: next})
		out = append(out, store.Timer{CaseID: c.ID, Kind: kind, DueAt: due.UTC().Truncate(time.Millisecond), Payload: payload})
	}
	switch c.Status {
	case cases.StatusOpen:
		_, paused := c.Paused()
		lvl := sla.Levels[c.Level]
		if !paused && c.FirstRespondedAt == nil && c.ResponseDueAt != nil {
			add(cases.TimerResponse, *c.ResponseDueAt, slaNext[cases.TimerResponse])
			if w, ok := d.warnAt(*c.ResponseDueAt, time.Duration(lvl.FirstResponseHours)*time.Hour, false); ok {
				add(cases.TimerResponseWarn, w, slaNext[cases.TimerResponseWarn])
			}
		}
		if !paused && c.ResolveDueAt != nil {
			add(cases.TimerResolve, *c.ResolveDueAt, slaNext[cases.TimerResolve])
			if w, ok := d.warnAt(*c.ResolveDueAt, time.Duration(lvl.ResolveHours)*time.Hour, true); ok {
				add(cases.TimerResolveWarn, w, slaNext[cases.TimerResolveWarn])
			}
		}
		if due, next, ok := d.platformTimer(c); ok {
			add(cases.TimerPlatform, due, next)
			if w := d.timing.PlatformWarn; w > 0 && now.Before(due) {
				add(cases.TimerPlatformWarn, due.Add(-w), "平台时限将到:"+platform.Expectation(c.AfterSale, d.zone))
			}
		}
		if d.rules != nil && withPlaybook {
			for _, tv := range d.rules.Guide(&c, log, now).Timers {
				add(cases.TimerPlaybookPrefix+tv.Name, tv.DueAt, tv.OnExpiry)
			}
		}
		d.parcelTimers(c, log, add)
	case cases.StatusClosed:
		if d.followUp.Enabled() && c.ClosedAt != nil && !followedUpSince(log, *c.ClosedAt) {
			add(cases.TimerFollowUp, d.followUp.Due(*c.ClosedAt, d.calendar), slaNext[cases.TimerFollowUp])
		}
	}
	return out
}

// warnAt is when WarnPercent of a span ending at due has passed.
func (d *Desk) warnAt(due time.Time, span time.Duration, business bool) (time.Time, bool) {
	if d.timing.WarnPercent <= 0 || span <= 0 {
		return time.Time{}, false
	}
	left := span * time.Duration(100-d.timing.WarnPercent) / 100
	if business {
		// The resolution clock may count business hours only (clock.BusinessHours).
		return d.sla.BusinessHours.Before(due, left, d.days), true
	}
	return due.Add(-left), true
}

// followedUpSince reports whether the case had its 回访 since it was last (re)opened:
// a visit recorded in the flow before closing counts; a reopening asks for a new one.
func followedUpSince(log []cases.Event, _ time.Time) bool {
	for _, e := range slices.Backward(log) {
		switch e.Type {
		case cases.EvFollowedUp:
			return true
		case cases.EvReopened:
			return false
		}
	}
	return false
}

// syncTimers makes the case's timer rows what plannedTimers says, inside the
// transaction that wrote the case: new timers are inserted, moved ones updated, ended
// ones deleted. It returns the earliest due time it wrote (zero if none), for the
// scheduler's alarm after the commit.
func (d *Desk) syncTimers(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event) (time.Time, error) {
	have, err := tx.CaseTimers(ctx, c.ID)
	if err != nil {
		return time.Time{}, err
	}
	return d.syncTimersFrom(ctx, tx, c, log, have)
}

// syncTimersFrom is syncTimers with the case's timers have already read in tx.
func (d *Desk) syncTimersFrom(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event, have []store.Timer) (time.Time, error) {
	want, err := d.plannedTimers(ctx, c, log, d.clockNow())
	if err != nil {
		return time.Time{}, err
	}
	var earliest time.Time
	for _, w := range want {
		i := slices.IndexFunc(have, func(h store.Timer) bool { return h.Kind == w.Kind })
		if i >= 0 && have[i].DueAt.Equal(w.DueAt) && jsonSame(have[i].Payload, w.Payload) {
			continue
		}
		if err := tx.PutTimer(ctx, w); err != nil {
			return time.Time{}, err
		}
		if earliest.IsZero() || w.DueAt.Before(earliest) {
			earliest = w.DueAt
		}
	}
	for _, h := range have {
		if !slices.ContainsFunc(want, func(w store.Timer) bool { return w.Kind == h.Kind }) {
			if err := tx.DeleteTimer(ctx, h.ID); err != nil {
				return time.Time{}, err
			}
		}
	}
	if !earliest.IsZero() {
		// Other servers sleeping past it wake at the commit.
		if err := tx.Announce(ctx, store.ChannelTimers, strconv.FormatInt(earliest.UnixMilli(), 10)); err != nil {
			return time.Time{}, err
		}
	}
	return earliest, nil
}

func jsonSame(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// scheduled reschedules the case's timers after a write in tx and remembers the
// earliest so the caller can ring the alarm once the transaction committed. known is
// the case's whole log as the caller already holds it (read in this transaction plus
// the events it appended), or nil: it is used only when it ends at the case's
// version, else the log is read again.
func (d *Desk) scheduled(ctx context.Context, tx store.Tx, cp *cases.Case, earliest *time.Time, known []cases.Event) error {
	// A tracking number that appeared with this write is followed from this write.
	if err := d.followParcels(ctx, tx, cp); err != nil {
		return err
	}
	c := *cp
	log := known
	if !wholeLog(c, log) {
		var err error
		if log, err = tx.Events(ctx, c.ID); err != nil {
			return err
		}
	}
	// The stored contribution and the timers in one round trip; the rollup writes
	// no timer, so what was read is still the case's timers when they are synced.
	fact, have, err := tx.CaseSchedule(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := d.rollupFrom(ctx, tx, c, log, fact); err != nil {
		return err
	}
	due, err := d.syncTimersFrom(ctx, tx, c, log, have)
	if err != nil {
		return err
	}
	if !due.IsZero() && (earliest.IsZero() || due.Before(*earliest)) {
		*earliest = due
	}
	return nil
}

// wholeLog reports whether log is every event of c: sequence numbers 1 to c's
// version, in order, all of c.
func wholeLog(c cases.Case, log []cases.Event) bool {
	if int64(len(log)) != c.Version || len(log) == 0 {
		return false
	}
	for i, e := range log {
		if e.Seq != int64(i+1) || e.CaseID != c.ID {
			return false
		}
	}
	return true
}

// ring tells the scheduler about a timer written by a committed transaction.
func (d *Desk) ring(due time.Time) {
	if !due.IsZero() && d.alarm != nil {
		d.alarm.Ring(due)
	}
}

// NextDue is when the earliest timer of any case is due.
func (d *Desk) NextDue(ctx context.Context) (time.Time, bool, error) {
	ts, ok := d.store.(TimerStore)
	if !ok {
		return time.Time{}, false, errors.New("store keeps no timers")
	}
	return ts.NextTimerDue(ctx)
}

// TimerStore is what reading timers outside a transaction needs.
type TimerStore interface {
	NextTimerDue(ctx context.Context) (time.Time, bool, error)
	Timers(ctx context.Context, caseID int64) ([]store.Timer, error)
}

// Timers lists a case's running timers.
func (d *Desk) Timers(ctx context.Context, caseID int64) ([]store.Timer, error) {
	ts, ok := d.store.(TimerStore)
	if !ok {
		return nil, nil
	}
	return ts.Timers(ctx, caseID)
}

// FireDue fires up to limit timers due at the desk's now, earliest first, in one
// transaction: each claimed row is deleted, timer.fired (with what expired and what
// the SOP says next) and its notification are appended to the case, and the case's
// timers are rescheduled — all or nothing, so a timer fires exactly once. A timer
// whose case another process changed meanwhile is left for the next round.
func (d *Desk) FireDue(ctx context.Context, limit int) (claimed, fired int, err error) {
	now := d.clockNow()
	var out fireOutcome
	err = d.store.InTx(ctx, func(tx store.Tx) error {
		claimed, fired, out = 0, 0, fireOutcome{}
		due, err := tx.ClaimDueTimers(ctx, now, limit)
		if err != nil {
			return err
		}
		claimed = len(due)
		// Cases are written in ascending id order in every firing transaction, so two
		// of them (workers, processes) never wait on each other in a cycle; a case's
		// own timers stay in due order.
		slices.SortStableFunc(due, func(a, b store.Timer) int {
			if a.CaseID != b.CaseID {
				return cmp.Compare(a.CaseID, b.CaseID)
			}
			return a.DueAt.Compare(b.DueAt)
		})
		for len(due) > 0 {
			n := 1
			for n < len(due) && due[n].CaseID == due[0].CaseID {
				n++
			}
			k, err := d.fire(ctx, tx, due[:n], now, &out)
			if err != nil {
				return fmt.Errorf("fire timers of case %d: %w", due[0].CaseID, err)
			}
			fired += k
			due = due[n:]
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	d.ring(out.earliest)
	d.notified(out)
	return claimed, fired, nil
}

// fireOutcome is what a firing transaction did that others hear of after the commit:
// the earliest timer it scheduled, who it notified, whether webhooks wait.
type fireOutcome struct {
	earliest    time.Time
	recipients  []string
	deliveries  int
	supervisors []string // read once per transaction
}

// fire fires the claimed timers of one case (in due order) with one append: each a
// timer.fired and its notification. It returns how many fired; a row the case no
// longer plans is only deleted, and all of them stay for the next round when another
// process changed the case meanwhile.
func (d *Desk) fire(ctx context.Context, tx store.Tx, ts []store.Timer, now time.Time, out *fireOutcome) (int, error) {
	if locked, err := tx.LockCaseNoWait(ctx, ts[0].CaseID); err != nil || !locked {
		return 0, err // a writer holds the case: its timers wait for the next round
	}
	c, err := tx.GetCase(ctx, ts[0].CaseID)
	if err != nil {
		return 0, err
	}
	log, err := tx.Events(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	var drafts []draft
	var fired []store.Timer
	sla, err := d.slaOf(ctx, c.Shop())
	if err != nil {
		return 0, err
	}
	for _, t := range ts {
		// The row must still be what the case plans; anything else is stale and only
		// goes. The plan is read just before the due time: at it, a playbook timer with
		// expire_to has already moved the flow on.
		planned := d.planned(sla, c, log, t.DueAt.Add(-time.Millisecond), strings.HasPrefix(t.Kind, cases.TimerPlaybookPrefix))
		if !slices.ContainsFunc(planned, func(p store.Timer) bool { return p.Kind == t.Kind && p.DueAt.Equal(t.DueAt) }) {
			if err := tx.DeleteTimer(ctx, t.ID); err != nil {
				return 0, err
			}
			continue
		}
		var p cases.TimerFiredPayload
		if err := json.Unmarshal(t.Payload, &p); err != nil {
			return 0, fmt.Errorf("decode timer %d: %w", t.ID, err)
		}
		drafts = append(drafts, draft{cases.EvTimerFired, p})
		drafts = append(drafts, d.notifyDrafts(c, p)...)
		// A parcel's silence is a fact the flow reads (no pickup scan, stalled).
		drafts = append(drafts, d.parcelTimerFacts(c, log, t.Kind)...)
		fired = append(fired, t)
	}
	if len(fired) == 0 {
		return 0, nil
	}
	next, events, err := d.fold(c, SystemActor, now, drafts)
	if err != nil {
		return 0, err
	}
	if d.rules != nil && slices.ContainsFunc(events, func(e cases.Event) bool { return e.Type == cases.EvFactRecorded }) {
		// The facts may move the flow on: the stage follows the guide, as on any write.
		if follow := d.followGuide(next, append(slices.Clone(log), events...), now); follow != nil {
			var more []cases.Event
			if next, more, err = d.fold(next, SystemActor, now, follow); err != nil {
				return 0, err
			}
			events = append(events, more...)
		}
	}
	err = tx.AppendEvents(ctx, c.Version, next, events)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		return 0, nil // the case moved under us (another process); the rows stay for the next round
	}
	if err != nil {
		return 0, err
	}
	for _, t := range fired {
		if err := tx.DeleteTimer(ctx, t.ID); err != nil {
			return 0, err
		}
	}
	log = append(log, events...)
	if err := d.rollup(ctx, tx, next, log); err != nil {
		return 0, err
	}
	due, err := d.syncTimers(ctx, tx, next, log)
	if err != nil {
		return 0, err
	}
	if !due.IsZero() && (out.earliest.IsZero() || due.Before(out.earliest)) {
		out.earliest = due
	}
	return len(fired), d.deliver(ctx, tx, next, events, out)
}

// FireDueOf fires the timers of one case that are due at the desk's now (the training
// space, where every practice case runs on its own clock: a click that skips 48 hours
// fires that case's timers and nobody else's).
func (d *Desk) FireDueOf(ctx context.Context, caseID int64) (fired int, err error) {
	now := d.clockNow()
	var out fireOutcome
	err = d.store.InTx(ctx, func(tx store.Tx) error {
		fired, out = 0, fireOutcome{}
		ts, err := tx.CaseTimers(ctx, caseID)
		if err != nil {
			return err
		}
		due := slices.DeleteFunc(ts, func(t store.Timer) bool { return t.DueAt.After(now) })
		if len(due) == 0 {
			return nil
		}
		slices.SortStableFunc(due, func(a, b store.Timer) int { return a.DueAt.Compare(b.DueAt) })
		fired, err = d.fire(ctx, tx, due, now, &out)
		return err
	})
	if err != nil {
		return 0, err
	}
	d.notified(out)
	return fired, nil
}
