package desk

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/report"
	"github.com/shouhou/shouhou/internal/store"
)

// rollup brings the report rollups in line with the case after a write in tx: the
// case's previous contribution is subtracted and the new one added, row by row, only
// where they differ.
func (d *Desk) rollup(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event) error {
	old, err := tx.ReportFact(ctx, c.ID)
	if err != nil {
		return err
	}
	return d.rollupFrom(ctx, tx, c, log, old)
}

// rollupFrom is rollup with the case's stored contribution old already read in tx.
func (d *Desk) rollupFrom(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event, old []byte) error {
	now := report.Contribution(c, log, d.zone)
	enc, err := json.Marshal(now)
	if err != nil {
		return err
	}
	if bytes.Equal(old, enc) {
		return nil
	}
	var prev []report.Entry
	if len(old) > 0 {
		if err := json.Unmarshal(old, &prev); err != nil {
			return fmt.Errorf("report fact of case %d: %w", c.ID, err)
		}
	}
	type rowKey struct{ day, dim, key string }
	deltas := map[rowKey]report.Vector{}
	for sign, list := range map[int64][]report.Entry{-1: prev, 1: now} {
		for _, e := range list {
			k := rowKey{e.Day, e.Dim, e.Key}
			if deltas[k] == nil {
				deltas[k] = report.Vector{}
			}
			deltas[k].Add(e.V, sign)
		}
	}
	keys := make([]rowKey, 0, len(deltas))
	for k, v := range deltas {
		if len(v) > 0 {
			keys = append(keys, k)
		}
	}
	// Rows are written in one order in every transaction (PostgreSQL row locks).
	slices.SortFunc(keys, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.dim, b.dim), cmp.Compare(a.key, b.key))
	})
	for _, k := range keys {
		raw, err := tx.ReportRow(ctx, k.day, k.dim, k.key)
		if err != nil {
			return err
		}
		sum := report.Vector{}
		if err := report.DecodeVector(raw, sum); err != nil {
			return fmt.Errorf("report row %v: %w", k, err)
		}
		sum.Add(deltas[k], 1)
		row := store.ReportRow{Day: k.day, Dim: k.dim, Key: k.key}
		if len(sum) > 0 {
			row.Vec = sum.Encode()
		}
		if err := tx.PutReportRow(ctx, row); err != nil {
			return err
		}
	}
	return tx.PutReportFact(ctx, c.ID, enc)
}

// ReportStore reads the rollups outside a transaction: the daily rows of from..to, and
// the month rows (YYYY-MM) of months.
type ReportStore interface {
	ReportRows(ctx context.Context, from, to, dim string) ([]store.ReportRow, error)
	ReportMonthRows(ctx context.Context, months []string) ([]store.ReportRow, error)
}

// reportSpans splits from..to into the months wholly inside it (read from month rows)
// and the day ranges left at either end (read from daily rows).
func reportSpans(from, to calendar.Date) (months []string, days [][2]string) {
	for d := from; !to.Before(d); {
		first := calendar.Date{Year: d.Year, Month: d.Month, Day: 1}
		next := first.AddDays(31) // always in the next month
		last := calendar.Date{Year: next.Year, Month: next.Month, Day: 1}.AddDays(-1)
		if d == first && !to.Before(last) {
			months = append(months, first.String()[:7])
			d = last.AddDays(1)
			continue
		}
		end := last
		if to.Before(end) {
			end = to
		}
		days = append(days, [2]string{d.String(), end.String()})
		d = end.AddDays(1)
	}
	return months, days
}

// ReportDays is the default span of a report: the last 30 days.
const ReportDays = 30

// maxReportDays bounds a report's span (a year and a bit).
const maxReportDays = 400

// ReportQuery reads a report's filters: from to (YYYY-MM-DD in the shop's zone, both
// inclusive; default the last 30 days up to today) platform type level agent. A value
// the desk does not know is a field error.
func (d *Desk) ReportQuery(q url.Values) (report.Filter, error) {
	f := report.Filter{From: q.Get("from"), To: q.Get("to"), Platform: q.Get("platform"), Type: q.Get("type"), Level: q.Get("level"), Agent: q.Get("agent"), Shop: q.Get("shop")}
	var errs cases.ValidationError
	today := calendar.DateOf(d.clockNow().In(d.zone))
	to, from := today, today.AddDays(-(ReportDays - 1))
	if f.To != "" {
		t, err := calendar.ParseDate(f.To)
		if err != nil {
			errs = append(errs, cases.FieldError{Field: "to", Message: "结束日期格式须为 YYYY-MM-DD"})
		}
		to, from = t, t.AddDays(-(ReportDays - 1))
	}
	if f.From != "" {
		t, err := calendar.ParseDate(f.From)
		if err != nil {
			errs = append(errs, cases.FieldError{Field: "from", Message: "开始日期格式须为 YYYY-MM-DD"})
		}
		from = t
	}
	if len(errs) == 0 {
		switch {
		case to.Before(from):
			errs = append(errs, cases.FieldError{Field: "from", Message: "开始日期不能晚于结束日期"})
		case from.AddDays(maxReportDays).Before(to):
			errs = append(errs, cases.FieldError{Field: "from", Message: fmt.Sprintf("报表跨度不能超过%d天", maxReportDays)})
		}
	}
	f.From, f.To = from.String(), to.String()
	if f.Platform != "" && !cases.Platform(f.Platform).Valid() {
		errs = append(errs, cases.FieldError{Field: "platform", Message: "未知的平台"})
	}
	if f.Type != "" && !cases.ProblemType(f.Type).Valid() {
		errs = append(errs, cases.FieldError{Field: "type", Message: "未知的问题类型"})
	}
	if f.Shop != "" {
		if id, err := strconv.ParseInt(f.Shop, 10, 64); err != nil || id <= 0 {
			errs = append(errs, cases.FieldError{Field: "shop", Message: "店铺不存在"})
		}
	}
	if f.Level != "" {
		if l, err := strconv.Atoi(f.Level); err != nil || !cases.Level(l).Valid() {
			errs = append(errs, cases.FieldError{Field: "level", Message: "等级须为1、2或3"})
		}
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

// Report computes the KPIs of the filter from the daily rollups (supervisors).
func (d *Desk) Report(ctx context.Context, actor Actor, f report.Filter) (report.Report, error) {
	if !actor.CanApprove() {
		return report.Report{}, fmt.Errorf("%w: 只有主管可以查看报表", ErrForbidden)
	}
	rs, ok := d.store.(ReportStore)
	if !ok {
		return report.Report{}, errors.New("store keeps no report rollups")
	}
	if f.Agent != "" && d.users != nil {
		// An unknown agent is a mistyped filter, not a report of zeros.
		if _, err := d.users.UserByName(ctx, f.Agent); errors.Is(err, store.ErrNotFound) {
			return report.Report{}, invalid("agent", fmt.Sprintf("没有用户「%s」", f.Agent))
		} else if err != nil {
			return report.Report{}, err
		}
	}
	if f.Shop != "" {
		// An unknown shop is a mistyped filter too (as in the case list and the register).
		id, _ := strconv.ParseInt(f.Shop, 10, 64)
		if _, err := d.Shop(ctx, id); errors.Is(err, store.ErrNotFound) {
			return report.Report{}, invalid("shop", "店铺不存在")
		} else if err != nil {
			return report.Report{}, err
		}
	}
	from, err1 := calendar.ParseDate(f.From)
	to, err2 := calendar.ParseDate(f.To)
	if err := errors.Join(err1, err2); err != nil {
		return report.Report{}, invalid("from", "日期格式须为 YYYY-MM-DD")
	}
	months, days := reportSpans(from, to)
	var raw []store.ReportRow
	if len(months) > 0 {
		rs, err := rs.ReportMonthRows(ctx, months)
		if err != nil {
			return report.Report{}, err
		}
		raw = append(raw, rs...)
	}
	for _, span := range days {
		rs, err := rs.ReportRows(ctx, span[0], span[1], "")
		if err != nil {
			return report.Report{}, err
		}
		raw = append(raw, rs...)
	}
	// 产能 is kept by day only: the whole range's days are read for it.
	if len(months) > 0 {
		out, err := rs.ReportRows(ctx, f.From, f.To, report.DimOutput)
		if err != nil {
			return report.Report{}, err
		}
		for _, r := range out {
			if !inSpans(r.Day, days) {
				raw = append(raw, r)
			}
		}
	}
	rows := make([]report.Row, 0, len(raw))
	dec := report.NewDecoder()
	for _, r := range raw {
		v := make(report.Vector, 16)
		if err := dec.Decode(r.Vec, v); err != nil {
			return report.Report{}, fmt.Errorf("report row %s %s: %w", r.Day, r.Dim, err)
		}
		rows = append(rows, report.Row{Day: r.Day, Dim: r.Dim, Key: r.Key, V: v})
	}
	return report.Sum(rows, f), nil
}

func inSpans(day string, spans [][2]string) bool {
	for _, s := range spans {
		if day >= s[0] && day <= s[1] {
			return true
		}
	}
	return false
}

// RebuildReports brings the report rollups and the quality marks of every case in line
// with its state, a page of cases per transaction: for an installation upgraded with
// cases written before the rollups existed. It raises no alerts and sends nothing; it
// may run again (a case already in line is left alone).
func (d *Desk) RebuildReports(ctx context.Context) (int, error) {
	f := store.CaseFilter{Sort: "recent", Limit: 200}
	n := 0
	for {
		page, err := d.store.ListCases(ctx, f)
		if err != nil {
			return n, err
		}
		err = d.store.InTx(ctx, func(tx store.Tx) error {
			for _, listed := range page.Cases {
				c, err := tx.GetCase(ctx, listed.ID)
				if err != nil {
					return err
				}
				log, err := tx.Events(ctx, c.ID)
				if err != nil {
					return err
				}
				if err := d.rollup(ctx, tx, c, log); err != nil {
					return err
				}
				var marks []store.QualityMark
				for _, m := range d.quality.Marks(c) {
					marks = append(marks, store.QualityMark{CaseID: m.CaseID, Kind: m.Kind, Key: m.Key, At: m.At})
				}
				if err := tx.SetQualityMarks(ctx, c.ID, marks); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(page.Cases)
		if page.NextCursor == "" {
			return n, nil
		}
		f.Cursor = page.NextCursor
	}
}
