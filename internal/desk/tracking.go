package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
)

// ParcelTx is what following parcels needs of a case's transaction.
type ParcelTx interface {
	CaseParcels(ctx context.Context, caseID int64) ([]store.Parcel, error)
	InsertParcel(ctx context.Context, p store.Parcel) error
	UpdateParcel(ctx context.Context, p store.Parcel) error
	AddScan(ctx context.Context, caseID int64, number string, at time.Time, status string) (bool, error)
	UnknownParcel(ctx context.Context, id int64) (store.UnknownParcel, error)
	ClaimUnknownParcel(ctx context.Context, id, caseID int64, by string, at time.Time) (bool, error)
}

// ParcelStore is what the follower and the warehouse desk read outside a case's
// transaction.
type ParcelStore interface {
	ParcelsByNumber(ctx context.Context, number string) ([]store.Parcel, error)
	Parcels(ctx context.Context, caseID int64) ([]store.Parcel, error)
	DueParcels(ctx context.Context, now time.Time, limit int) ([]store.Parcel, error)
	MarkParcel(ctx context.Context, p store.Parcel) error
	InsertUnknownParcel(ctx context.Context, u store.UnknownParcel) (store.UnknownParcel, error)
	UnknownParcels(ctx context.Context, claimed bool, limit int) ([]store.UnknownParcel, error)
	UnknownParcelByID(ctx context.Context, id int64) (store.UnknownParcel, error)
}

// Facts the parcels' scans and silences record on a case (the 催件, 截件 flows ask them).
const (
	factLogistics     = "logistics_state"       // stalled, no_pickup, signed, returned
	factPickupScanned = "pickup_scanned"        // yes, no
	factShowsReturn   = "tracking_shows_return" // yes
	// factParcelState is the shipment's canonical state (playbook.SystemFacts).
	factParcelState = "parcel_state"
	// factParcelReturned: the warehouse received the original shipment back (截件).
	factParcelReturned = "parcel_returned"
	timerNoPickupName  = "no_pickup" // the playbook timer whose span is the 48 h
)

// errNothingNew ends a scan write that found only scans the case has.
var errNothingNew = errors.New("no new scans")

func (d *Desk) parcelTx(tx store.Tx) (ParcelTx, bool) {
	pt, ok := tx.(ParcelTx)
	return pt, ok
}

func (d *Desk) parcelStore() (ParcelStore, error) {
	ps, ok := d.store.(ParcelStore)
	if !ok {
		return nil, errors.New("store keeps no parcels")
	}
	return ps, nil
}

// TrackingEnabled reports whether a provider follows the parcels.
func (d *Desk) TrackingEnabled() bool { return d.provider != nil }

// TrackingProvider is the configured provider (nil: tracking off).
func (d *Desk) TrackingProvider() tracking.Provider { return d.provider }

// wantedParcels are the tracking numbers a case has: the original shipment, and for
// each execution the customer's return and our reshipment or exchange.
func wantedParcels(c cases.Case) []store.Parcel {
	var out []store.Parcel
	add := func(number, courier string, role tracking.Role) {
		number = tracking.Normalize(number)
		if !tracking.ValidNumber(number) || slices.ContainsFunc(out, func(p store.Parcel) bool { return p.Number == number }) {
			return
		}
		out = append(out, store.Parcel{CaseID: c.ID, Number: number, Courier: courier, Role: string(role)})
	}
	add(c.TrackingNo, c.Courier, tracking.RoleShipment)
	for _, s := range c.Executions {
		add(s.ReturnTrackingNo, s.ReturnCourier, tracking.RoleReturn)
		role := tracking.RoleReship
		if s.Kind == execution.KindExchange {
			role = tracking.RoleExchange
		}
		add(s.TrackingNo, s.Courier, role)
	}
	return out
}

// followParcels, in the transaction that wrote c, adds a row (the subscription to
// make) and a parcel.followed event for each tracking number the case did not have.
func (d *Desk) followParcels(ctx context.Context, tx store.Tx, c *cases.Case) error {
	pt, ok := d.parcelTx(tx)
	if !ok || c.ID == 0 {
		return nil
	}
	want := wantedParcels(*c)
	if len(want) == 0 {
		return nil
	}
	have, err := pt.CaseParcels(ctx, c.ID)
	if err != nil {
		return err
	}
	now := d.clockNow()
	var drafts []draft
	for _, w := range want {
		if slices.ContainsFunc(have, func(h store.Parcel) bool { return h.Number == w.Number }) {
			continue
		}
		w.AddedAt, w.NextAt = now, now
		if err := pt.InsertParcel(ctx, w); err != nil {
			return err
		}
		drafts = append(drafts, draft{cases.EvParcelFollowed, cases.ParcelPayload{Number: w.Number, Courier: w.Courier, Role: w.Role}})
	}
	if len(drafts) == 0 {
		return nil
	}
	next, events, err := d.fold(*c, SystemActor, now, drafts)
	if err != nil {
		return err
	}
	if err := tx.AppendEvents(ctx, c.Version, next, events); err != nil {
		return err
	}
	*c = next
	return nil
}

// parcelLog is what a case's log says about its parcels.
type parcelLog struct {
	followed map[string]time.Time // number → when it was first followed
	roles    map[string]string
	lastScan map[string]cases.ParcelScanPayload
}

func readParcels(log []cases.Event) parcelLog {
	p := parcelLog{followed: map[string]time.Time{}, roles: map[string]string{}, lastScan: map[string]cases.ParcelScanPayload{}}
	for _, e := range log {
		switch e.Type {
		case cases.EvParcelFollowed:
			if f, ok := cases.PayloadAs[cases.ParcelPayload](e); ok {
				if _, seen := p.followed[f.Number]; !seen {
					p.followed[f.Number], p.roles[f.Number] = e.At, f.Role
				}
			}
		case cases.EvParcelScanned:
			if s, ok := cases.PayloadAs[cases.ParcelScanPayload](e); ok {
				if last, seen := p.lastScan[s.Number]; !seen || !s.At.Before(last.At) {
					p.lastScan[s.Number] = s
				}
			}
		}
	}
	return p
}

// noPickupDue is when a shipment followed at start has gone without a pickup scan for
// the playbook's no_pickup span (48 h by default: one number, in the guide's config).
func (d *Desk) noPickupDue(c cases.Case, start time.Time) (time.Time, bool) {
	tr, ok := d.rules.(interface {
		TimerDue(name string, p cases.Platform, start time.Time) (time.Time, bool)
	})
	if !ok {
		return time.Time{}, false
	}
	return tr.TimerDue(timerNoPickupName, c.Platform, start)
}

// parcelTimers are the silences of an open case's parcels, when a provider follows
// them: the shipment without a pickup scan (48 h), and the parcel with no new scan for
// tracking.stalled_after.
func (d *Desk) parcelTimers(c cases.Case, log []cases.Event, add func(kind string, due time.Time, next string)) {
	if d.provider == nil || c.Status != cases.StatusOpen {
		return
	}
	p := readParcels(log)
	ship := tracking.Normalize(c.TrackingNo)
	if at, ok := p.followed[ship]; ok && d.rules != nil {
		if _, scanned := p.lastScan[ship]; !scanned {
			if due, ok := d.noPickupDue(c, at); ok {
				add(cases.TimerParcelNoPickup, due, fmt.Sprintf("单号 %s 超过%s无揽收记录：为顾客补发或退款", ship, d.noPickupSpan()))
			}
		}
	}
	var stalled time.Time
	var which cases.ParcelScanPayload
	for number, s := range p.lastScan {
		if tracking.State(s.State).Final() {
			continue
		}
		if due := s.At.Add(d.trackingCfg.StalledAfter); stalled.IsZero() || due.Before(stalled) || (due.Equal(stalled) && number < which.Number) {
			stalled, which = due, s
		}
	}
	if !stalled.IsZero() {
		add(cases.TimerParcelStalled, stalled, fmt.Sprintf("单号 %s（%s）超过%s无物流更新：安抚顾客，上报快递站点催促并跟进",
			which.Number, tracking.Role(which.Role).Label(), spanLabel(d.trackingCfg.StalledAfter)))
	}
}

func (d *Desk) noPickupSpan() string {
	if tr, ok := d.rules.(interface {
		TimerSpan(tm playbook.Timer) string
	}); ok {
		return tr.TimerSpan(playbook.Timer{Name: timerNoPickupName})
	}
	return "48小时"
}

func spanLabel(x time.Duration) string {
	if x%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d天", x/(24*time.Hour))
	}
	return fmt.Sprintf("%g小时", x.Hours())
}

// parcelTimerFacts are the facts a parcel's silence establishes on the case: the
// shipment without pickup scan, or the shipment stalled.
func (d *Desk) parcelTimerFacts(c cases.Case, log []cases.Event, kind string) []draft {
	ship := tracking.Normalize(c.TrackingNo)
	var facts [][2]string
	switch kind {
	case cases.TimerParcelNoPickup:
		facts = [][2]string{{factLogistics, "no_pickup"}, {factPickupScanned, "no"}}
	case cases.TimerParcelStalled:
		p := readParcels(log)
		if s, ok := p.lastScan[ship]; ok && !tracking.State(s.State).Final() && !s.At.Add(d.trackingCfg.StalledAfter).After(d.clockNow()) {
			facts = [][2]string{{factLogistics, "stalled"}}
		}
	}
	return factDrafts(c, facts)
}

func factDrafts(c cases.Case, facts [][2]string) []draft {
	var out []draft
	for _, f := range facts {
		if c.Facts[f[0]] != f[1] {
			out = append(out, draft{cases.EvFactRecorded, cases.FactPayload{Key: f[0], Value: f[1]}})
		}
	}
	return out
}

// RecordScans records the new scans of a number on every case that follows it: each
// scan not yet on the case (same number, time and status) is a parcel.scanned event,
// the shipment's state becomes the case's facts (揽收 → pickup_scanned, 已签收 →
// logistics_state=signed, 退回 → returned), and the parcel's row learns its state.
// It returns how many scans were new, over all cases.
func (d *Desk) RecordScans(ctx context.Context, number string, scans []tracking.Scan) (int, error) {
	ps, err := d.parcelStore()
	if err != nil {
		return 0, err
	}
	number = tracking.Normalize(number)
	rows, err := ps.ParcelsByNumber(ctx, number)
	if err != nil {
		return 0, err
	}
	scans = slices.Clone(scans)
	slices.SortStableFunc(scans, func(a, b tracking.Scan) int { return a.At.Compare(b.At) })
	total := 0
	for _, row := range rows {
		n := 0
		_, _, err := d.change(ctx, Actor{Name: SystemActor}, row.CaseID, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
			n = 0
			drafts, k, err := d.scanDrafts(ctx, tx, c, number, scans)
			n = k
			return drafts, err
		})
		var rule *RuleError
		if errors.Is(err, errNothingNew) || (errors.As(err, &rule) && rule.Code == "case_merged") {
			continue // nothing new, or a merged case (it takes no more events)
		}
		if err != nil {
			return total, fmt.Errorf("record scans of %s on case %d: %w", number, row.CaseID, err)
		}
		total += n
	}
	return total, nil
}

func (d *Desk) scanDrafts(ctx context.Context, tx store.Tx, c cases.Case, number string, scans []tracking.Scan) ([]draft, int, error) {
	pt, ok := d.parcelTx(tx)
	if !ok {
		return nil, 0, errors.New("store keeps no parcels")
	}
	have, err := pt.CaseParcels(ctx, c.ID)
	if err != nil {
		return nil, 0, err
	}
	i := slices.IndexFunc(have, func(p store.Parcel) bool { return p.Number == number })
	if i < 0 {
		return nil, 0, errNothingNew
	}
	row := have[i]
	var drafts []draft
	var newest *tracking.Scan
	for _, s := range scans {
		if !s.State.Valid() || s.At.IsZero() {
			continue
		}
		s.At = s.At.UTC().Truncate(time.Second)
		fresh, err := pt.AddScan(ctx, c.ID, number, s.At, s.Status)
		if err != nil {
			return nil, 0, err
		}
		if !fresh {
			continue
		}
		courier := s.Courier
		if courier == "" {
			courier = row.Courier
		}
		drafts = append(drafts, draft{cases.EvParcelScanned, cases.ParcelScanPayload{Number: number, Courier: courier, Role: row.Role,
			At: s.At, Place: s.Place, Status: s.Status, State: string(s.State)}})
		if row.LastScanAt == nil || !s.At.Before(*row.LastScanAt) {
			at := s.At
			row.LastScanAt, row.State = &at, string(s.State)
			newest = &s
		}
	}
	if len(drafts) == 0 {
		return nil, 0, errNothingNew
	}
	n := len(drafts)
	row.Final = tracking.State(row.State).Final()
	row.NextAt = d.clockNow().Add(d.trackingCfg.PollEvery) // a push puts the poll off
	if err := pt.UpdateParcel(ctx, row); err != nil {
		return nil, 0, err
	}
	if newest != nil && c.Status == cases.StatusOpen {
		if row.Role == string(tracking.RoleShipment) {
			facts := [][2]string{{factPickupScanned, "yes"}, {factParcelState, string(newest.State)}}
			switch newest.State {
			case tracking.StateSigned:
				facts = append(facts, [2]string{factLogistics, "signed"})
			case tracking.StateReturned:
				facts = append(facts, [2]string{factLogistics, "returned"}, [2]string{factShowsReturn, "yes"})
			}
			drafts = append(drafts, factDrafts(c, facts)...)
		}
		if newest.State == tracking.StateProblem || newest.State == tracking.StateReturned {
			drafts = append(drafts, d.caseNotice(c, notify.KindTimer, fmt.Sprintf("%s单号 %s 物流%s：%s", tracking.Role(row.Role).Label(), number, newest.State.Label(), newest.Status)))
		}
	}
	return drafts, n, nil
}

// caseNotice tells the case's agent (the supervisors when nobody works it).
func (d *Desk) caseNotice(c cases.Case, kind, text string) draft {
	to := []string{SupervisorsGroup}
	if c.Assignee != "" {
		to = []string{c.Assignee}
	}
	return draft{cases.EvNotified, cases.NotificationPayload{Kind: kind, Text: fmt.Sprintf("工单 #%d(%s)%s", c.ID, c.CustomerName, text), Recipients: to}}
}

// CaseParcels lists a case's followed numbers.
func (d *Desk) CaseParcels(ctx context.Context, caseID int64) ([]store.Parcel, error) {
	ps, err := d.parcelStore()
	if err != nil {
		return nil, err
	}
	return ps.Parcels(ctx, caseID)
}

// FollowParcels is one round of the follower: it makes the subscriptions still to
// make and polls the parcels no push came for in tracking.poll_every (the fallback).
// A failed subscription is tried again later, backing off up to poll_every.
func (d *Desk) FollowParcels(ctx context.Context) (int, error) {
	if d.provider == nil {
		return 0, nil
	}
	ps, err := d.parcelStore()
	if err != nil {
		return 0, err
	}
	due, err := ps.DueParcels(ctx, d.clockNow(), d.trackingCfg.Batch)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, p := range due {
		if ctx.Err() != nil {
			return done, ctx.Err()
		}
		now := d.clockNow()
		parcel := tracking.Parcel{Number: p.Number, Courier: p.Courier}
		var stepErr error
		if p.SubscribedAt == nil {
			if stepErr = d.provider.Subscribe(ctx, parcel); stepErr == nil {
				p.SubscribedAt = &now
			}
		} else {
			var scans []tracking.Scan
			if scans, stepErr = d.provider.Poll(ctx, parcel); stepErr == nil {
				_, stepErr = d.RecordScans(ctx, p.Number, scans)
			}
		}
		if stepErr != nil {
			p.Attempts++
			p.LastError = truncate(stepErr.Error(), 200)
			wait := time.Minute << min(p.Attempts, 10)
			p.NextAt = now.Add(min(wait, d.trackingCfg.PollEvery))
			d.logger.WarnContext(ctx, "tracking", slog.String("number", p.Number), slog.Any("err", stepErr))
		} else {
			p.Attempts, p.LastError = 0, ""
			p.NextAt = now.Add(d.trackingCfg.PollEvery)
			done++
		}
		if err := ps.MarkParcel(ctx, p); err != nil {
			return done, err
		}
	}
	return done, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// Track is a case's parcels with their scans, oldest first, for the timeline.
type Track struct {
	Parcel store.Parcel              `json:"parcel"`
	Scans  []cases.ParcelScanPayload `json:"scans"`
}

// Tracks reads a case's parcels and their scans from its log.
func (d *Desk) Tracks(ctx context.Context, caseID int64, log []cases.Event) ([]Track, error) {
	parcels, err := d.CaseParcels(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]Track, len(parcels))
	for i, p := range parcels {
		out[i].Parcel = p
		out[i].Scans = []cases.ParcelScanPayload{}
	}
	for _, e := range log {
		s, ok := cases.PayloadAs[cases.ParcelScanPayload](e)
		if !ok {
			continue
		}
		for i := range out {
			if out[i].Parcel.Number == s.Number {
				out[i].Scans = append(out[i].Scans, s)
			}
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Scans, func(a, b cases.ParcelScanPayload) int { return a.At.Compare(b.At) })
	}
	return out, nil
}
