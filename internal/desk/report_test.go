package desk

import (
	"fmt"
	"testing"

	"github.com/shouhou/shouhou/internal/calendar"
)

func TestAReportRangeReadsWholeMonthsFromMonthRowsAndTheRestByDay(t *testing.T) {
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	for _, tc := range []struct {
		from, to     string
		months, days string
	}{
		{"2026-11-23", "2026-11-24", "[]", "[[2026-11-23 2026-11-24]]"},
		{"2026-11-01", "2026-11-30", "[2026-11]", "[]"},
		{"2026-10-15", "2026-12-10", "[2026-11]", "[[2026-10-15 2026-10-31] [2026-12-01 2026-12-10]]"},
		{"2025-12-01", "2026-11-30", "[2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10 2026-11]", "[]"},
		{"2026-02-01", "2026-02-28", "[2026-02]", "[]"},
		{"2026-02-02", "2026-03-01", "[]", "[[2026-02-02 2026-02-28] [2026-03-01 2026-03-01]]"},
	} {
		m, ds := reportSpans(d(tc.from), d(tc.to))
		if fmt.Sprint(m) != tc.months || fmt.Sprint(ds) != tc.days {
			t.Errorf("%s..%s: months %v days %v, want %s %s", tc.from, tc.to, m, ds, tc.months, tc.days)
		}
	}
}
