package desk

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// Zone is the shop's time zone: the days of filters, pages and reports are its days.
func (d *Desk) Zone() *time.Location { return d.zone }

// ListQuery reads a case list's filters from a query string, the same for the API and
// the workbench: stage type level platform shop (a shop's id) assignee (me: the signed-in user) unassigned
// status overdue (true or any, response, resolve) q order_no created_from created_to (days in the shop's zone, the end
// inclusive) sort cursor limit. A value the desk does not know is a field error, never
// silently ignored.
func (d *Desk) ListQuery(q url.Values, me string) (f store.CaseFilter, overdue bool, err error) {
	f = store.CaseFilter{
		Stage: cases.Stage(q.Get("stage")), Type: cases.ProblemType(q.Get("type")),
		Platform: cases.Platform(q.Get("platform")), Assignee: q.Get("assignee"),
		Status: cases.Status(q.Get("status")), Query: q.Get("q"), Sort: q.Get("sort"),
		Cursor: q.Get("cursor"), OrderNo: q.Get("order_no"),
	}
	if f.Assignee == "me" {
		f.Assignee = me
	}
	var errs cases.ValidationError
	bad := func(field string, isBad bool, msg string) {
		if isBad && !errs.Has(field) {
			errs = append(errs, cases.FieldError{Field: field, Message: msg})
		}
	}
	bad("stage", f.Stage != "" && !f.Stage.Valid(), "未知的阶段")
	bad("type", f.Type != "" && !f.Type.Valid(), "未知的问题类型")
	bad("platform", f.Platform != "" && !f.Platform.Valid(), "未知的平台")
	bad("status", f.Status != "" && f.Status != cases.StatusOpen && f.Status != cases.StatusClosed && f.Status != cases.StatusMerged, "状态须为 open、closed 或 merged")
	bad("sort", f.Sort != "" && f.Sort != "recent" && f.Sort != "due", "排序须为 recent 或 due")
	if v := q.Get("level"); v != "" {
		l, err := strconv.Atoi(v)
		f.Level = cases.Level(l)
		bad("level", err != nil || !f.Level.Valid(), "等级须为1、2或3")
	}
	if v := q.Get("shop"); v != "" {
		var err error
		f.Shop, err = strconv.ParseInt(v, 10, 64)
		bad("shop", err != nil || f.Shop <= 0, "店铺不存在")
	}
	if v := q.Get("limit"); v != "" {
		var err error
		f.Limit, err = strconv.Atoi(v)
		bad("limit", err != nil || f.Limit < 1 || f.Limit > 200, "每页数量须在1到200之间")
	}
	switch v := q.Get("overdue"); v {
	case "", "0", "false":
	case "1", "true", store.OverdueAny:
		overdue, f.OverdueKind = true, store.OverdueAny
	case store.OverdueResponse, store.OverdueResolve:
		overdue, f.OverdueKind = true, v
	default:
		bad("overdue", true, "超时筛选须为 任一超时(any)、首次响应超时(response)、解决超时(resolve)")
	}
	switch q.Get("unassigned") {
	case "", "false", "0":
	case "true", "1":
		f.Unassigned = true
	default:
		bad("unassigned", true, "unassigned 须为 true 或 false")
	}
	var derr error
	if f.CreatedFrom, derr = d.day(q.Get("created_from"), 0); derr != nil {
		bad("created_from", true, "开始日期格式须为 YYYY-MM-DD")
	}
	if f.CreatedBefore, derr = d.day(q.Get("created_to"), 1); derr != nil {
		bad("created_to", true, "结束日期格式须为 YYYY-MM-DD")
	}
	if len(errs) > 0 {
		return f, false, errs
	}
	return f, overdue, nil
}

// day reads a YYYY-MM-DD day in the shop's zone; plusDays 1 makes an inclusive end an
// exclusive bound.
func (d *Desk) day(v string, plusDays int) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	day, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, err
	}
	return day.AddDays(plusDays).Start(d.zone), nil
}

// List returns a page of cases; overdue filters against the desk's clock. A query (q)
// is answered by the store's search indexes: exact identifiers (order number, tracking
// number, phone or its last 4 digits, name, SKU, batch) first, then substrings of 3+
// characters.
func (d *Desk) List(ctx context.Context, f store.CaseFilter, overdue bool) (store.CasePage, error) {
	if overdue {
		f.OverdueAt = d.clockNow()
	}
	return d.store.ListCases(ctx, f)
}
