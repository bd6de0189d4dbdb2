// Package desk carries out what agents do to cases: each operation loads the case,
// decides the events the change consists of, folds them into the new state and
// appends them in one transaction, with the actor and time on every event.
package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/followup"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/timers"
	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/understand"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// Store is what the desk needs of a case store.
type Store interface {
	InTx(ctx context.Context, fn func(tx store.Tx) error) error
	GetCase(ctx context.Context, id int64) (cases.Case, error)
	ListCases(ctx context.Context, f store.CaseFilter) (store.CasePage, error)
	Events(ctx context.Context, caseID, afterSeq int64, limit int) ([]cases.Event, error)
	CasesByOrder(ctx context.Context, platform cases.Platform, orderNo string) ([]int64, error)
	Payouts(ctx context.Context, f store.PayoutFilter) ([]store.Payout, error)
	SOPStore
}

// Classifier understands a customer's message (internal/understand).
type Classifier interface {
	Classify(text string) understand.Result
	// ClassifyConversation reads a pasted conversation (or a single message).
	ClassifyConversation(raw string) understand.Result
	ClassifyTurns(turns []understand.Turn) understand.Result
	SafetyWords(text string) []string
	SafetyLevel() cases.Level
}

// Actor is who makes a change; every event records it.
type Actor struct {
	Name string
	Role store.Role
}

// CanApprove reports whether the actor may take supervisor decisions.
func (a Actor) CanApprove() bool { return a.Role == store.RoleSupervisor || a.Role == store.RoleAdmin }

// RuleError is a change the SOP does not allow, with the reason in Chinese.
type RuleError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *RuleError) Error() string { return e.Code + ": " + e.Message }

// ErrForbidden wraps changes the actor's role may not make.
var ErrForbidden = errors.New("forbidden")

// Opts are the desk's dependencies.
type Opts struct {
	Store Store
	SLA   clock.SLA
	// Days is the shop's calendar for SLA business hours on working days only (nil:
	// every day, Beijing time).
	Days clock.Days
	// Rules checks changes against the SOP; Limits applies the compensation limits.
	// Either may be nil (no checks), e.g. for imports.
	Rules  Rulebook
	Limits MoneyRules
	// Classifier reads the first message of a new case; nil records no prediction.
	Classifier Classifier
	// Scripts is the shop's script library; nil offers no scripts. The case's shop
	// (ShopStore) and the agent fill their placeholders.
	Scripts *ScriptBook
	// CaseLimits bound one case's size (zero: DefaultCaseLimits).
	CaseLimits CaseLimits
	Now        func() time.Time
	// Zone is the shop's time zone: days in filters and on pages are its days
	// (default: the calendar's, Asia/Shanghai).
	Zone   *time.Location
	Logger *slog.Logger
	// Timing holds the durable timers' numbers (warnings, follow-up, pause intents);
	// Alarm wakes the scheduler when a write schedules an earlier timer (nil: none).
	Timing timers.Config
	Alarm  *timers.Alarm
	// FollowUp is when the 回访 visit is due after closing and which outcomes go back
	// to a supervisor (zero: no visit); Calendar counts its working days (nil: the
	// built-in mainland calendar).
	FollowUp followup.Config
	Calendar *calendar.Calendar
	// Quality raises the 同批次 and courier-damage alerts (zero: none).
	Quality quality.Config
	// Dispatch says whether new cases are assigned automatically and which status
	// changes hand an agent's cases to others; Users checks that an assignee exists
	// and is an agent (nil: no check, e.g. for imports).
	Dispatch dispatch.Config
	Users    UserDirectory
	// Notify lists the webhooks a notification goes to; Hub tells this process's open
	// 通知 streams; DeliveryAlarm wakes the webhook sender after a commit.
	Notify        notify.Config
	Hub           *notify.Hub
	DeliveryAlarm *timers.Alarm
	// ClockControl is the settable clock behind Now; AllowClockAdvance lets an admin
	// move it forward (demo only, off by default).
	ClockControl      ClockControl
	AllowClockAdvance bool
	// Links configures the customer's upload links (zero: uploadlink.DefaultConfig).
	Links uploadlink.Config
	// Tracking holds the parcel follower's numbers (zero: tracking.DefaultConfig);
	// Provider follows the parcels (nil: numbers are recorded, nothing is followed).
	Tracking tracking.Config
	Provider tracking.Provider
	// RecordRefusals appends a training.refused event for a move the SOP or a money
	// rule refused (the training space: the score card shows what was tried).
	RecordRefusals bool
	// Observer hears of every committed write with its new events (the training
	// space's simulated customer answers through it); nil: nobody.
	Observer Observer
	// Platforms maps the platforms' after-sale statuses (nil: the built-in data files).
	Platforms *platform.Catalog
}

// Observer is told of a committed write: the case after it and the events it added.
type Observer interface {
	Committed(ctx context.Context, d *Desk, c cases.Case, events []cases.Event)
}

// Desk is the case service.
type Desk struct {
	store Store
	sla   clock.SLA
	days  clock.Days
	rules Rulebook
	// policy is the money policy in force: the shop's file, or the newest one an admin
	// applied in the workbench (policy_change.go); swapped without a restart.
	policy      atomic.Pointer[policyState]
	policyCheck atomic.Int64 // when the store was last asked for a newer change (Unix ms)
	classifier  Classifier
	scripts     *ScriptBook
	linter      *script.Linter
	caseLimits  CaseLimits
	// placeholders are the script placeholder names ({金额} …) a sent message may not keep.
	placeholders  map[string]bool
	now           func() time.Time
	zone          *time.Location
	logger        *slog.Logger
	timing        timers.Config
	followUp      followup.Config
	quality       quality.Config
	calendar      *calendar.Calendar
	alarm         *timers.Alarm
	dispatch      dispatch.Config
	users         UserDirectory
	notify        notify.Config
	hub           *notify.Hub
	deliveryAlarm *timers.Alarm
	clockCtl      ClockControl
	allowAdvance  bool
	links         uploadlink.Config
	// shops caches the shops (read on every case write for the clocks and scripts);
	// a save in this process clears it, another process's save shows within shopsTTL.
	shops       shopCache
	trackingCfg tracking.Config
	provider    tracking.Provider
	refusals    bool
	observer    Observer
	platforms   *platform.Catalog
}

// New builds a desk from its dependencies.
func New(o Opts) *Desk {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Calendar == nil {
		o.Calendar = calendar.Default()
	}
	if o.Zone == nil {
		o.Zone = o.Calendar.Location()
	}
	if o.CaseLimits == (CaseLimits{}) {
		o.CaseLimits = DefaultCaseLimits()
	}
	if o.Links == (uploadlink.Config{}) {
		o.Links = uploadlink.DefaultConfig()
	}
	if o.Tracking == (tracking.Config{}) {
		o.Tracking = tracking.DefaultConfig()
	}
	if o.Platforms == nil {
		o.Platforms = platform.MustLoad()
	}
	placeholders := map[string]bool{}
	for _, p := range script.DefaultPlaceholders() {
		placeholders[p.Name] = true
	}
	d := &Desk{store: o.Store, sla: o.SLA, days: o.Days, rules: o.Rules, classifier: o.Classifier, scripts: o.Scripts,
		linter:     script.NewLinter(script.DefaultLintConfig()),
		caseLimits: o.CaseLimits, placeholders: placeholders, now: o.Now, zone: o.Zone, logger: o.Logger, timing: o.Timing, followUp: o.FollowUp, quality: o.Quality, calendar: o.Calendar, alarm: o.Alarm, dispatch: o.Dispatch, users: o.Users, notify: o.Notify, hub: o.Hub, deliveryAlarm: o.DeliveryAlarm, clockCtl: o.ClockControl, allowAdvance: o.AllowClockAdvance, links: o.Links,
		trackingCfg: o.Tracking, provider: o.Provider,
		refusals: o.RecordRefusals, observer: o.Observer, platforms: o.Platforms}
	if o.Limits != nil {
		d.policy.Store(&policyState{rules: o.Limits})
	}
	return d
}

// clockNow is the time stamped on events: UTC to the millisecond, which is what the
// store keeps, so a case read back equals the case written.
func (d *Desk) clockNow() time.Time { return d.now().UTC().Truncate(time.Millisecond) }

// draft is an event the desk decided on but has not numbered yet.
type draft struct {
	typ     cases.EventType
	payload any
}

// fold numbers drafts after c's version and applies them.
func (d *Desk) fold(c cases.Case, actor string, at time.Time, drafts []draft) (cases.Case, []cases.Event, error) {
	events := make([]cases.Event, 0, len(drafts))
	for _, dr := range drafts {
		payload, err := json.Marshal(dr.payload)
		if err != nil {
			return c, nil, fmt.Errorf("encode %s: %w", dr.typ, err)
		}
		e := cases.Event{CaseID: c.ID, Seq: c.Version + 1, Type: dr.typ, Actor: actor, At: at, Payload: payload}
		if c, err = cases.Apply(c, e); err != nil {
			return c, nil, err
		}
		events = append(events, e)
	}
	return c, events, nil
}

// AnyVersion lets a write go on top of whatever the case's version is (appending a
// customer message needs no concurrency check; editing fields does).
const AnyVersion int64 = -1

const maxRetries = 3

// change runs decide on the current case, has the SOP engine review the events and
// appends them with the rows of their notifications and timers, in one transaction;
// it returns the new state and the engine's warnings. With AnyVersion a lost race is retried; with a version it is a conflict.
func (d *Desk) change(ctx context.Context, actor Actor, id, expected int64, decide func(tx store.Tx, c cases.Case) ([]draft, error)) (cases.Case, []playbook.Violation, error) {
	var out cases.Case
	var warnings []playbook.Violation
	var err error
	var earliest time.Time
	if err := d.syncPolicy(ctx); err != nil {
		d.logger.ErrorContext(ctx, "policy change not put in force", slog.Any("err", err))
	}
	var told fireOutcome
	var committed []cases.Event
	for range maxRetries {
		err = d.store.InTx(ctx, func(tx store.Tx) error {
			earliest, told, committed = time.Time{}, fireOutcome{}, nil
			c, err := tx.GetCase(ctx, id)
			if err != nil {
				return err
			}
			if err := writable(c, expected); err != nil {
				return err
			}
			drafts, err := decide(tx, c)
			if err != nil {
				return err
			}
			if drafts, err = d.clockDrafts(c, drafts); err != nil {
				return err
			}
			next, events, err := d.fold(c, actor.Name, d.clockNow(), drafts)
			if err != nil {
				return err
			}
			if err := d.caseLimits.check(c, next); err != nil {
				return err
			}
			var log []cases.Event
			if warnings, log, err = d.review(ctx, tx, c, events); err != nil {
				return err
			}
			// log is the whole log with events when review read it: the guide
			// follows only a write that moves the case along, and the timers reuse it.
			var follow []draft
			if movesAlong(events) {
				follow = d.followGuide(next, log, d.clockNow())
			}
			if follow != nil {
				var more []cases.Event
				if next, more, err = d.fold(next, actor.Name, d.clockNow(), follow); err != nil {
					return err
				}
				events = append(events, more...)
				log = append(log, more...)
			}
			if err := tx.AppendEvents(ctx, c.Version, next, events); err != nil {
				return err
			}
			out, committed = next, events
			if err := d.deliver(ctx, tx, next, events, &told); err != nil {
				return err
			}
			if err := d.trackQuality(ctx, tx, next, events, d.clockNow(), &told); err != nil {
				return err
			}
			if err := d.scheduled(ctx, tx, &next, &earliest, log); err != nil {
				return err
			}
			out = next
			return nil
		})
		var conflict *store.ConflictError
		if expected == AnyVersion && errors.As(err, &conflict) {
			continue
		}
		break
	}
	if err == nil {
		d.ring(earliest)
		d.notified(told)
		if d.observer != nil {
			d.observer.Committed(ctx, d, out, committed)
		}
	}
	return out, warnings, err
}

// writable refuses a write based on a stale version (a conflict) or on a merged case.
func writable(c cases.Case, expected int64) error {
	if expected != AnyVersion && c.Version != expected {
		return &store.ConflictError{CaseID: c.ID, Current: c.Version}
	}
	if c.Status == cases.StatusMerged {
		return &RuleError{Code: "case_merged", Message: fmt.Sprintf("该工单已合并到 #%d,请在合并后的工单上操作", c.MergedInto)}
	}
	return nil
}

// caseOnly drops the warnings of operations the SOP engine does not review.
func caseOnly(c cases.Case, _ []playbook.Violation, err error) (cases.Case, error) { return c, err }

// Get returns a case.
func (d *Desk) Get(ctx context.Context, id int64) (cases.Case, error) {
	return d.store.GetCase(ctx, id)
}

// Related lists the other cases on the same order: cases of one order are linked.
func (d *Desk) Related(ctx context.Context, c cases.Case) ([]int64, error) {
	ids, err := d.store.CasesByOrder(ctx, c.Platform, c.OrderNo)
	if err != nil {
		return nil, err
	}
	related := ids[:0]
	for _, id := range ids {
		if id != c.ID {
			related = append(related, id)
		}
	}
	return related, nil
}

// List returns a page of cases; Overdue filters against the desk's clock.

// Events returns a case's log.
func (d *Desk) Events(ctx context.Context, id, afterSeq int64, limit int) ([]cases.Event, error) {
	if _, err := d.store.GetCase(ctx, id); err != nil {
		return nil, err
	}
	return d.store.Events(ctx, id, afterSeq, limit)
}
