package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/store"
)

// trackQuality brings the case's quality marks in line with its intake after a write
// that may change them (opening, an intake edit, a merge) and raises or grows the
// alerts the marks now complete, in the same transaction: one alert per kind and key,
// listing its cases, and a notification to the supervisors each time it is raised or
// grows.
func (d *Desk) trackQuality(ctx context.Context, tx store.Tx, c cases.Case, events []cases.Event, now time.Time, told *fireOutcome) error {
	if d.quality == (quality.Config{}) || !slices.ContainsFunc(events, func(e cases.Event) bool {
		return e.Type == cases.EvCreated || e.Type == cases.EvFieldsChanged || e.Type == cases.EvMerged
	}) {
		return nil
	}
	marks := d.quality.Marks(c)
	rows := make([]store.QualityMark, len(marks))
	for i, m := range marks {
		rows[i] = store.QualityMark{CaseID: m.CaseID, Kind: m.Kind, Key: m.Key, At: m.At}
	}
	if err := tx.SetQualityMarks(ctx, c.ID, rows); err != nil {
		return err
	}
	for _, m := range marks {
		n, window := d.quality.Rule(m.Kind)
		near, err := tx.QualityMarks(ctx, m.Kind, m.Key, m.At.Add(-window), m.At.Add(window))
		if err != nil {
			return err
		}
		group := make([]quality.Mark, len(near))
		for i, r := range near {
			group[i] = quality.Mark{CaseID: r.CaseID, Kind: r.Kind, Key: r.Key, At: r.At}
		}
		cluster, ok := quality.Cluster(group, c.ID, n, window)
		if !ok {
			continue
		}
		if err := d.raise(ctx, tx, c, m, cluster, window, now, told); err != nil {
			return err
		}
	}
	return nil
}

// raise creates the alert of the mark's key with the cluster's cases, or adds the new
// cases to it (an acknowledged alert opens again), and notifies the supervisors.
func (d *Desk) raise(ctx context.Context, tx store.Tx, c cases.Case, m quality.Mark, cluster []quality.Mark, window time.Duration, now time.Time, told *fireOutcome) error {
	a, err := tx.QualityAlert(ctx, 0, m.Kind, m.Key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a = store.QualityAlert{Kind: m.Kind, Key: m.Key, CreatedAt: now, FirstAt: cluster[0].At, LastAt: cluster[0].At}
	case err != nil:
		return err
	default:
		a.Version++
	}
	grew := false
	for _, cm := range cluster {
		if !slices.Contains(a.CaseIDs, cm.CaseID) {
			a.CaseIDs, grew = append(a.CaseIDs, cm.CaseID), true
		}
		if cm.At.Before(a.FirstAt) {
			a.FirstAt = cm.At
		}
		if cm.At.After(a.LastAt) {
			a.LastAt = cm.At
		}
	}
	if !grew {
		return nil
	}
	slices.Sort(a.CaseIDs)
	a.Status, a.UpdatedAt = store.AlertOpen, now
	a.Text = quality.Text(m.Kind, m.Key, window, a.CaseIDs)
	if _, err := tx.PutQualityAlert(ctx, a); err != nil {
		return err
	}
	payload, err := json.Marshal(cases.NotificationPayload{Kind: notify.KindAlert, Text: a.Text, Recipients: []string{SupervisorsGroup}})
	if err != nil {
		return err
	}
	return d.deliver(ctx, tx, c, []cases.Event{{CaseID: c.ID, Seq: c.Version, Type: cases.EvNotified, At: now, Payload: payload}}, told)
}

// AlertStore lists the quality alerts outside a transaction.
type AlertStore interface {
	QualityAlerts(ctx context.Context, f store.AlertFilter) ([]store.QualityAlert, error)
}

// Alerts lists the quality alerts (status "" all, open, acknowledged), open first.
func (d *Desk) Alerts(ctx context.Context, actor Actor, status string) ([]store.QualityAlert, error) {
	if !actor.CanApprove() {
		return nil, fmt.Errorf("%w: 只有主管可以查看质量预警", ErrForbidden)
	}
	if status != "" && status != store.AlertOpen && status != store.AlertAcknowledged {
		return nil, invalid("status", "状态须为 open(待处理)或 acknowledged(已确认)")
	}
	as, ok := d.store.(AlertStore)
	if !ok {
		return nil, errors.New("store keeps no quality alerts")
	}
	return as.QualityAlerts(ctx, store.AlertFilter{Status: status, Limit: 200})
}

// AcknowledgeAlert marks an alert handled with the supervisor's note (e.g. 已反馈工厂);
// expected is the alert's version the supervisor saw.
func (d *Desk) AcknowledgeAlert(ctx context.Context, actor Actor, id, expected int64, note string) (store.QualityAlert, error) {
	if !actor.CanApprove() {
		return store.QualityAlert{}, fmt.Errorf("%w: 只有主管可以确认质量预警", ErrForbidden)
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return store.QualityAlert{}, invalid("note", "请填写处理说明(例如 已反馈工厂)")
	}
	if err := textField("note", note, 500, true); err != nil {
		return store.QualityAlert{}, err
	}
	var out store.QualityAlert
	err := d.store.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.QualityAlert(ctx, id, "", "")
		if err != nil {
			return err
		}
		if expected != AnyVersion && a.Version != expected {
			return &RuleError{Code: "alert_changed", Message: "预警在你打开后有了变化(新的工单加入或已被他人确认),请刷新后再确认"}
		}
		if a.Status == store.AlertAcknowledged {
			return &RuleError{Code: "alert_acknowledged", Message: "该预警已确认"}
		}
		now := d.clockNow()
		a.Status, a.AckBy, a.AckNote, a.AckAt, a.UpdatedAt = store.AlertAcknowledged, actor.Name, note, &now, now
		a.Version++
		out, err = tx.PutQualityAlert(ctx, a)
		return err
	})
	return out, err
}
