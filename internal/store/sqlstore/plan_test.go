package sqlstore_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// listFilters are the list filters the API and the workbench accept (desk.ListQuery),
// one value each; the plan test combines them in pairs.
var listFilters = []struct {
	name string
	set  func(f *store.CaseFilter)
}{
	{"stage", func(f *store.CaseFilter) { f.Stage = cases.StageVerify }},
	{"type", func(f *store.CaseFilter) { f.Type = cases.TypeLeak }},
	{"level", func(f *store.CaseFilter) { f.Level = 2 }},
	{"platform", func(f *store.CaseFilter) { f.Platform = cases.PlatformTaobao }},
	{"shop", func(f *store.CaseFilter) { f.Shop = 2 }},
	{"agent's shops", func(f *store.CaseFilter) { f.Shops = []int64{1, 2} }},
	{"assignee", func(f *store.CaseFilter) { f.Assignee = "agent1" }},
	{"unassigned", func(f *store.CaseFilter) { f.Unassigned = true }},
	{"status", func(f *store.CaseFilter) { f.Status = cases.StatusClosed }},
	{"pending", func(f *store.CaseFilter) { f.PendingApproval = true }},
	{"order_no", func(f *store.CaseFilter) { f.OrderNo = "JD1001" }},
	{"overdue-resolve", func(f *store.CaseFilter) { f.OverdueAt, f.OverdueKind = t0, store.OverdueResolve }},
	{"overdue-response", func(f *store.CaseFilter) { f.OverdueAt, f.OverdueKind = t0, store.OverdueResponse }},
	{"overdue-any", func(f *store.CaseFilter) { f.OverdueAt, f.OverdueKind = t0, store.OverdueAny }},
	{"created_from", func(f *store.CaseFilter) { f.CreatedFrom = t0.Add(-30 * 24 * time.Hour) }},
	{"created_to", func(f *store.CaseFilter) { f.CreatedBefore = t0 }},
	{"created range", func(f *store.CaseFilter) { f.CreatedFrom, f.CreatedBefore = t0.Add(-24*time.Hour), t0 }},
	{"q short", func(f *store.CaseFilter) { f.Query = "张" }},
	{"q long", func(f *store.CaseFilter) { f.Query = "杯子碎了" }},
}

// TestEveryListFilterUsesAnIndex explains every list query the store runs for each
// filter and each pair of filters, in both orders, on a first page and with a cursor,
// and fails when a plan reads the cases table without an index condition (a scan).
// An index range of ids alone (the table walked from a cursor) counts as a scan;
// allowedWalk lists the exception.
// PostgreSQL plans the conditions (without order and limit) with enable_seqscan off,
// so a missing index shows as a Seq Scan or an index walked without a condition,
// whatever the table's size.
func TestEveryListFilterUsesAnIndex(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		// A few rows so that SQLite's statistics exist (PRAGMA optimize at open).
		for i := range 20 {
			c, ev := newCase(t, fmt.Sprintf("JD%04d", 1000+i), cases.TypeDamaged, t0)
			insert(t, s, c, ev)
		}
		type traced struct {
			q    string
			args []any
		}
		var queries []traced
		s.TraceList(func(q string, args []any) { queries = append(queries, traced{q, args}) })
		walkCommon := false // due-ordered searches walk the due index (someMatches)
		explain := func(name string, f store.CaseFilter) {
			for _, sort := range []string{"recent", "due"} {
				for _, cursor := range []bool{false, true} {
					f := f
					f.Sort, f.Limit = sort, 1
					queries = nil
					page, err := s.ListCases(ctx, f)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if cursor {
						// A cursor of each part of a search, and of a plain list.
						cur := page.NextCursor
						if cur == "" {
							cur = forgeCursor(f)
						}
						f.Cursor = cur
						queries = nil
						if _, err := s.ListCases(ctx, f); err != nil {
							t.Fatalf("%s with cursor %q: %v", name, cur, err)
						}
					}
					for _, q := range queries {
						plan := planOf(t, s, q.q, q.args)
						if bad := scanLine(s.Postgres(), plan); bad != "" && !allowedWalk(name, plan, walkCommon) {
							t.Errorf("%s sort=%s cursor=%v reads the table without an index: %s\nquery: %s\nplan:\n%s", name, sort, cursor, bad, q.q, plan)
						}
					}
				}
			}
		}
		all := func() {
			explain("none", store.CaseFilter{})
			for i, a := range listFilters {
				var f store.CaseFilter
				a.set(&f)
				explain(a.name, f)
				for _, b := range listFilters[i+1:] {
					g := f
					b.set(&g)
					explain(a.name+"+"+b.name, g)
				}
			}
		}
		all()
		if !s.Postgres() {
			// Again as if every text were common: due-ordered searches then walk
			// the due index (someMatches), which must exist for every filter.
			s.SetCommonMatches(1)
			walkCommon = true
			all()
		}
	})
}

// allowedWalk: the whole list walks its order's index and stops after one page; so
// does a search for a common text in due order with no other filter (someMatches).
func allowedWalk(name, plan string, walkCommon bool) bool {
	if name == "none" {
		return true
	}
	textOnly := name == "q long" || name == "q short+q long"
	return walkCommon && textOnly && strings.Contains(plan, "SCAN cases USING INDEX cases_due_all")
}

// forgeCursor is a cursor in the middle of a list (the store's format: base64 of
// "key.id", with "s0."/"s1." before it in a search).
func forgeCursor(f store.CaseFilter) string {
	c := sqlstore.EncodeCursor(t0.UnixMilli(), 5)
	if f.Query != "" {
		return "s1." + c
	}
	return c
}

func planOf(t *testing.T, s *sqlstore.Store, q string, args []any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	prefix := "EXPLAIN QUERY PLAN "
	if s.Postgres() {
		// PostgreSQL's planner, seeing a small table, walks the order's index and
		// filters (as it may at any size when it expects many matches): the test asks
		// whether the conditions alone have an index, without the order and limit.
		q, args = q[:strings.LastIndex(q, " ORDER BY ")], args[:len(args)-1]
		prefix = "EXPLAIN "
		if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, "RESET enable_seqscan")
	}
	rows, err := conn.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n")
}

var (
	// A SCAN, or a SEARCH whose only condition is a range of ids (the table walked
	// from a cursor).
	sqliteScan = regexp.MustCompile(`\bSCAN (cases|case_keys)\b|SEARCH cases USING INTEGER PRIMARY KEY \(rowid[<>]`)
	pgIDRange  = regexp.MustCompile(`Index Cond: \(id [<>]`)
	pgNode     = regexp.MustCompile(`(Seq Scan|Index Scan|Index Only Scan|Index Scan Backward|Index Only Scan Backward) (?:Backward )?(?:using \S+ )?on (cases|case_keys|case_search)\b`)
)

// scanLine returns the plan line that reads a table without an index condition.
func scanLine(postgres bool, plan string) string {
	lines := strings.Split(plan, "\n")
	if !postgres {
		for _, l := range lines {
			if sqliteScan.MatchString(l) {
				return strings.TrimSpace(l)
			}
		}
		return ""
	}
	for i, l := range lines {
		m := pgNode.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if strings.HasPrefix(m[1], "Seq Scan") {
			return strings.TrimSpace(l)
		}
		// An index walked without an Index Cond is the whole table in index order.
		indent := len(l) - len(strings.TrimLeft(l, " ->"))
		cond := false
		for _, d := range lines[i+1:] {
			if len(d)-len(strings.TrimLeft(d, " ")) <= indent || strings.Contains(d, "->") {
				break
			}
			if strings.Contains(d, "Index Cond:") && !pgIDRange.MatchString(d) {
				cond = true
			}
		}
		if !cond {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
